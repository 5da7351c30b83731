// Baseline for bench/pipeline.ts: a bare workflow running as many no-op activities as the invoice
// workflow runs on its auto-approve path, so the ratio shows what PlexSync's own work costs.
import { proxyActivities } from '@temporalio/workflow';

export const NOOP_ACTIVITIES_PER_INVOICE = 8;

const { noop } = proxyActivities<{ noop(step: number): Promise<void> }>({ startToCloseTimeout: '30s' });

export async function bareWorkflow(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await noop(i);
}
