// The reconciler: starts the workflows of invoice rows whose start is outstanding. An upload commits its
// row before it starts the workflow (the row is the outbox entry); when Temporal was down then, or the web
// process died in between, the row waits here until Temporal answers again.
//
// A loop in the worker rather than a Temporal Schedule: the rows it fixes are made while Temporal is down,
// when no Schedule fires, and a Schedule that fires every few seconds afterwards would add one workflow
// execution per round to Temporal's history for a query that is almost always empty. The loop tries every
// `intervalMs`, so a pending invoice starts within seconds of Temporal coming back. Several workers may
// run it at once: starting is idempotent (one workflow per invoice id, USE_EXISTING).
import type { Logger } from 'pino';
import type { InvoiceService } from '../services/invoices.js';
import { TemporalUnavailableError } from '../services/temporal.js';

export interface ReconcilerOptions {
  invoices: Pick<InvoiceService, 'startPending'>;
  logger: Logger;
  /** Pause between rounds (default 10 s). */
  intervalMs?: number;
  /** Rows younger than this are left to the upload that is starting them (default 10 s). */
  graceMs?: number;
  /** Rows per round (default 100; a full round is followed at once by the next). */
  batch?: number;
}

export interface Reconciler {
  /** One round now; resolves with what it did. */
  runOnce(): Promise<{ started: string[]; closed: string[] }>;
  stop(): Promise<void>;
}

export function startReconciler(opts: ReconcilerOptions): Reconciler {
  const intervalMs = opts.intervalMs ?? 10_000;
  const batch = opts.batch ?? 100;
  const { logger } = opts;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();

  const round = async () => {
    const result = await opts.invoices.startPending({ olderThanMs: opts.graceMs ?? 10_000, limit: batch });
    if (result.started.length || result.closed.length)
      logger.info(result, 'reconciler started invoices left without a workflow');
    return result;
  };
  const loop = async () => {
    let full = false;
    try {
      const result = await round();
      full = result.started.length + result.closed.length >= batch;
    } catch (err) {
      // Temporal (or Postgres) still away: nothing is lost, the next round tries again.
      const level = err instanceof TemporalUnavailableError ? 'warn' : 'error';
      logger[level]({ err: (err as Error).message }, 'reconciler round failed; trying again');
    }
    if (!stopped)
      timer = setTimeout(
        () => {
          current = loop();
        },
        full ? 0 : intervalMs,
      );
  };
  timer = setTimeout(() => {
    current = loop();
  }, 0);

  return {
    runOnce: () => {
      const run = current.then(round);
      current = run.catch(() => undefined);
      return run;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
