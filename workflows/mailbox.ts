// One long-running poller per mailbox: list what is new since the last UID, ingest each message, move
// it, then wait — with IDLE when the server offers it (woken as soon as mail arrives), otherwise for the
// poll interval. Continue-as-new keeps the history short. A Temporal Schedule was not chosen: IDLE needs
// a process that waits on the server, and a schedule cannot be woken early by new mail or by "poll now".
// Order per message: ingest (records first, starts invoices idempotently) → settle (move). If the move
// fails, the next round lists the message again; ingest sees the record and does nothing, so only the
// move is retried and nothing is ingested twice.
import {
  ActivityFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import * as v from 'valibot';
import type { IngestActivities, MailListing } from '../domain/ingest.js';
import { checked, MailboxPollerInput, PollSettings } from '../domain/workflow-inputs.js';

/**
 * "Poll now": ends the current wait (poll interval or IDLE) so the mailbox is listed at once, adopting
 * the poll settings sent with it. Only state changes: no command is added, so running histories replay.
 */
export const pollNowSignal = defineSignal<[PollSettings?]>('pollNow');

// IMAP and database work of one step: a dropped connection or a restarting server is worth a few quick
// retries; after that the round ends and the next one (after the poll interval) tries again.
const imap = proxyActivities<IngestActivities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4 },
});

const ROUNDS_PER_RUN = 200;

export async function mailboxPoller(rawInput: MailboxPollerInput): Promise<string> {
  let input = checked(MailboxPollerInput, rawInput, 'input');
  let wake = false;
  setHandler(pollNowSignal, (settings) => {
    wake = true;
    const parsed = v.safeParse(PollSettings, settings ?? {});
    if (parsed.success) input = { ...input, ...parsed.output };
  });

  for (let round = 0; round < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; round++) {
    wake = false;
    // Waits up to idleMax for one IDLE; the activity heartbeats so a dead worker is noticed within 30 s.
    const idle = proxyActivities<IngestActivities>({
      startToCloseTimeout: input.idleMaxMs + 60_000,
      heartbeatTimeout: '30s',
      retry: { maximumAttempts: 1 },
    });
    let listing: MailListing | undefined;
    let clean = true;
    try {
      listing = await imap.listNewMail({ mailboxId: input.mailboxId });
      if (listing.disabled) return 'disabled';
      for (const uid of listing.uids) {
        const ref = { mailboxId: input.mailboxId, uidValidity: listing.uidValidity, uid };
        const outcome = await imap.ingestMailMessage(ref);
        if (outcome.status === 'stale') break;
        await imap.settleMailMessage(ref);
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      clean = false; // recorded on the mailbox by the activity; try again after the poll interval
    }
    if (wake) continue;
    if (clean && listing && !listing.disabled && listing.uids.length > 0) continue; // maybe more than one batch waiting
    if (clean && listing && !listing.disabled && listing.idleSupported) {
      const uidNext = listing.uidNext;
      const scope = new CancellationScope();
      const waiting = scope
        .run(() => idle.waitForMail({ mailboxId: input.mailboxId, uidNext, maxMs: input.idleMaxMs }))
        .catch(() => 'timeout' as const);
      const result = await Promise.race([waiting, condition(() => wake).then(() => 'woken' as const)]);
      if (result === 'woken') scope.cancel();
      if (result !== 'no_idle') continue;
    }
    await condition(() => wake, input.pollInterval);
  }
  return continueAsNew<typeof mailboxPoller>(input);
}
