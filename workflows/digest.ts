// The daily digest of what waits for review, started by a Temporal Schedule (notify/digest-schedule.ts)
// at the configured local time. Each run's workflow id is unique, so it is the digest's natural key:
// a retried run never mails the same digest twice; the next day's run is a new digest.
import { workflowInfo } from '@temporalio/workflow';
import { notificationWorkflow, type NotificationResult } from './notify.js';

export async function digestWorkflow(): Promise<NotificationResult> {
  return notificationWorkflow({ key: `digest:${workflowInfo().workflowId}`, event: 'digest' });
}
