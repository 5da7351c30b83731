// The one polling helper of the tests: ask until the answer is there, or fail saying what never happened
// and what was seen last. A probe answers `undefined` or `false` for "not yet"; a probe that throws counts
// as "not yet" too (a server still starting), and its last error is in the failure.
import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  /** How long to keep asking (default one minute). */
  timeoutMs?: number;
  /** Pause between two questions (default 100 ms). */
  intervalMs?: number;
  /** Let a probe's error fail at once instead of counting as "not yet". */
  rethrow?: boolean;
}

export async function eventually<T>(
  what: string | (() => string),
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 60_000, intervalMs = 100, rethrow = false } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      if (rethrow) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(
        `${typeof what === 'function' ? what() : what}: not within ${Math.round(timeoutMs / 100) / 10} s${reason}`,
      );
    }
    await delay(intervalMs);
  }
}
