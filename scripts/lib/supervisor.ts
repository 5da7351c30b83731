// Keeps each part of the dev stack running: a process that dies is logged with its last lines and started
// again after a pause that doubles on each quick failure (1 s, 2 s, 4 s … up to a minute) and resets once
// it has stayed up for a while. The other parts are not touched; only stop() (Ctrl-C) ends them.
import { delay, describeExit, type ManagedProcess } from './processes.js';

export interface Started {
  process: ManagedProcess;
  /** Graceful stop of this instance. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  name: string;
  /** Starts one instance and resolves once it is ready (rejects when it cannot start). */
  start(): Promise<Started>;
  /** Each (re)started instance, e.g. to record its pid. */
  onStart?(started: Started): void;
  log?: (message: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Up this long, and the next failure is treated as a new one (backoff back to the start). */
  stableAfterMs?: number;
}

export interface Supervised {
  readonly name: string;
  /** The instance running now, if any. */
  current(): Started | undefined;
  /** Restarts so far. */
  restarts(): number;
  /** Stops the instance and restarts no more. */
  stop(): Promise<void>;
}

/** Starts the first instance (rejecting if that fails: a broken setup is reported, not retried for ever). */
export async function supervise(opts: SuperviseOptions): Promise<Supervised> {
  const log = opts.log ?? ((message: string) => console.error(message));
  const initial = opts.initialBackoffMs ?? 1_000;
  const max = opts.maxBackoffMs ?? 60_000;
  const stableAfter = opts.stableAfterMs ?? 60_000;
  let current: Started | undefined = await opts.start();
  opts.onStart?.(current);
  let restarts = 0;
  let stopping = false;
  let wake: (() => void) | undefined;

  const sleep = async (ms: number) => {
    await Promise.race([delay(ms), new Promise<void>((resolve) => (wake = resolve))]);
  };

  const watch = async () => {
    let backoff = initial;
    let startedAt = Date.now();
    while (!stopping && current) {
      const status = await current.process.exited;
      if (stopping) return;
      const log30 = current.process.logFile ? ` (full log: ${current.process.logFile})` : '';
      current = undefined;
      if (Date.now() - startedAt >= stableAfter) backoff = initial;
      log(`${opts.name} stopped unexpectedly (${describeExit(status)}); restarting in ${formatMs(backoff)}${log30}.`);
      for (;;) {
        await sleep(backoff);
        backoff = Math.min(backoff * 2, max);
        if (stopping) return;
        try {
          const next = await opts.start();
          if (stopping) {
            await next.stop();
            return;
          }
          current = next;
          startedAt = Date.now();
          restarts++;
          opts.onStart?.(next);
          log(`${opts.name} restarted (pid ${next.process.pid}, restart ${restarts}).`);
          break;
        } catch (error) {
          log(
            `${opts.name} did not start again: ${(error as Error).message.split('\n')[0]}; next try in ${formatMs(backoff)}.`,
          );
        }
      }
    }
  };
  const watching = watch();

  return {
    name: opts.name,
    current: () => current,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      wake?.();
      const instance = current;
      current = undefined;
      if (instance) await instance.stop();
      await watching;
    },
  };
}

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);
