// Login throttling with growing delays instead of account lockout. Failures are counted on three keys:
// the source address (any account), the account from that address, and the account from everywhere.
// After a key's free failures, each further failure holds the key back for a delay that doubles up to a
// cap; while any key of an attempt is held back the attempt is refused unread (and is not counted).
// Successful logins count nothing. The keys do not depend on whether the account exists, so the answers
// (and the delays) are the same for an unknown email as for a real one; and a victim logging in from their
// own address is held back only by the account-wide key, whose cap is short.
import type { Sql } from '../../db/client.js';
import { blockedUntil, countFailure, forget, holdBack, pruneThrottle } from '../../db/login-throttle.js';

export interface ThrottlePolicy {
  /** Failures allowed before delays start. */
  free: number;
  /** The first delay; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
}

const MINUTE = 60_000;
/** Failures older than this no longer count. */
export const THROTTLE_WINDOW_MS = 60 * MINUTE;
export const POLICIES = {
  // Someone guessing one account from one place: a few typos are free, then 15 s, 30 s, … up to 15 min.
  accountFromAddress: { free: 5, firstDelayMs: 15_000, maxDelayMs: 15 * MINUTE },
  // One place trying many accounts (password spraying).
  address: { free: 20, firstDelayMs: 15_000, maxDelayMs: 15 * MINUTE },
  // One account guessed from many places: slowed, but never for long, so the owner is never locked out.
  account: { free: 20, firstDelayMs: 5_000, maxDelayMs: MINUTE },
} satisfies Record<string, ThrottlePolicy>;

/** The delay after the `failures`-th failure on a key (0 while failures are free). */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.firstDelayMs * 2 ** Math.min(failures - policy.free, 30), policy.maxDelayMs);
}

export interface LoginThrottle {
  /** Milliseconds the attempt must wait, or 0 when it may go ahead. */
  waitMs(email: string, address: string): Promise<number>;
  failed(email: string, address: string): Promise<void>;
  succeeded(email: string, address: string): Promise<void>;
}

export function createLoginThrottle(sql: Sql, now: () => Date = () => new Date()): LoginThrottle {
  const keysOf = (email: string, address: string) => ({
    accountFromAddress: `account-address:${email}|${address}`,
    address: `address:${address}`,
    account: `account:${email}`,
  });
  return {
    async waitMs(email, address) {
      const at = now();
      const until = await blockedUntil(sql, Object.values(keysOf(email, address)), at);
      return until ? until.getTime() - at.getTime() : 0;
    },
    async failed(email, address) {
      const at = now();
      for (const [name, key] of Object.entries(keysOf(email, address)) as [keyof typeof POLICIES, string][]) {
        const delay = delayAfter(await countFailure(sql, key, at, THROTTLE_WINDOW_MS), POLICIES[name]);
        if (delay > 0) await holdBack(sql, key, new Date(at.getTime() + delay));
      }
      await pruneThrottle(sql, at, THROTTLE_WINDOW_MS);
    },
    async succeeded(email, address) {
      // The owner has shown the password: their typos from this address are forgiven. The address and
      // account-wide counts stay, so logging in to one account does not reset guessing at others.
      await forget(sql, keysOf(email, address).accountFromAddress);
    },
  };
}
