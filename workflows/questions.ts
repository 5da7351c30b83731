// Questions on an invoice's comment thread stop its escalation clock. The SLA counts only the time no
// question is open: the clock stands still from the question until its answer, then runs on with the time
// it had left (it does not restart, so a quick question cannot buy a fresh day). Deterministic: the
// signals only change the state, and the waiting is workflow timers.
import { condition, setHandler } from '@temporalio/workflow';
import * as v from 'valibot';
import { durationMs } from '../domain/duration.js';
import type { InvoiceState } from '../domain/invoice.js';
import { QuestionInput } from '../domain/workflow-inputs.js';
import { questionAnsweredSignal, questionOpenedSignal } from './messages.js';

export interface EscalationClock {
  /**
   * Waits until `arrived()` holds, for at most `sla` of unpaused time; true when it arrived, false when the
   * SLA ran out. Without `pauses` (QUESTIONS_PAUSE_ESCALATION=false) exactly one timer of `sla`.
   */
  within(arrived: () => boolean, sla: string): Promise<boolean>;
}

/** Registers the question signals on `state.openQuestions` and returns the clock that honours them. */
export function escalationClock(state: InvoiceState, pauses: boolean): EscalationClock {
  // An answer can overtake its question (a signal resent after a timeout): a late "opened" stays answered.
  const answered = new Set<string>();
  setHandler(questionOpenedSignal, (raw) => {
    const q = v.safeParse(QuestionInput, raw);
    if (!q.success || answered.has(q.output.questionId)) return;
    const open = state.openQuestions ?? [];
    if (!open.includes(q.output.questionId)) state.openQuestions = [...open, q.output.questionId];
  });
  setHandler(questionAnsweredSignal, (raw) => {
    const q = v.safeParse(QuestionInput, raw);
    if (!q.success) return;
    answered.add(q.output.questionId);
    if (state.openQuestions?.includes(q.output.questionId))
      state.openQuestions = state.openQuestions.filter((id) => id !== q.output.questionId);
  });
  const paused = () => pauses && (state.openQuestions?.length ?? 0) > 0;
  return {
    async within(arrived, sla) {
      let leftMs = durationMs(sla);
      for (;;) {
        if (!paused()) {
          const started = Date.now();
          const woke = await condition(() => arrived() || paused(), leftMs);
          if (!woke) return false;
          if (arrived()) return true;
          leftMs -= Date.now() - started;
        }
        await condition(() => arrived() || !paused());
        if (arrived()) return true;
        if (leftMs <= 0) return false;
      }
    },
  };
}
