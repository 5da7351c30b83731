// Parsing of page form posts into validated inputs.
import type { Context } from 'hono';
import { z } from 'zod';
import { CORRECTION_LABELS, parsePickedBox, type PickedBox } from '../../domain/extraction.js';
import {
  InvoiceStatus,
  QUEUE_REASONS,
  ReviewAction,
  ReviewDecisionInput,
  type ReviewDecisionInput as ReviewInput,
} from '../../domain/invoice.js';
import type { AppEnv } from '../context.js';

const CORRECTION_FIELDS = Object.keys(CORRECTION_LABELS) as (keyof typeof CORRECTION_LABELS)[];

export async function uploadedFiles(c: Context<AppEnv>): Promise<File[]> {
  const body = await c.req.parseBody({ all: true });
  const raw = body['files'] ?? body['file'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((f): f is File => f instanceof File);
}

/**
 * A review form post. The decision must be named by the button the clerk pressed (`decision`): a post
 * without one (an implicit submit, a forged form) decides nothing. Corrections are the fields whose value
 * differs from the value shown (`was.<field>`), so an untouched prefilled field is no correction.
 */
export async function reviewFromForm(
  c: Context<AppEnv>,
  actor: string,
): Promise<{ ok: true; decision: ReviewInput } | { ok: false; error: string }> {
  const form = await c.req.parseBody();
  const decision = ReviewAction.safeParse(form.decision);
  if (!decision.success) {
    return {
      ok: false,
      error:
        'Nothing was decided: press Approve and sync, Send back or Reject (Enter in a correction field decides nothing).',
    };
  }
  const corrections: Record<string, string> = {};
  if (decision.data !== 'reject' && decision.data !== 'hold') {
    for (const name of CORRECTION_FIELDS) {
      const v = form[name];
      const was = form[`was.${name}`];
      if (typeof v === 'string' && v.trim() !== '' && v.trim() !== (typeof was === 'string' ? was.trim() : undefined))
        corrections[name] = v.trim();
    }
  }
  // Where the clerk picked a corrected value on the document (`provenance.<field>` = "page,x,y,width,height",
  // set by the viewer); a field typed by hand sends none, and a box for an uncorrected field is dropped.
  const provenance: Record<string, PickedBox> = {};
  for (const name of Object.keys(corrections)) {
    const raw = form[`provenance.${name}`];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const picked = parsePickedBox(raw);
    if (!picked)
      return {
        ok: false,
        error: `${CORRECTION_LABELS[name as keyof typeof CORRECTION_LABELS]} (box picked on the document): expected page,x,y,width,height as numbers.`,
      };
    provenance[name] = picked;
  }
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const reason = text(decision.data === 'reject' ? form.reason : (form.note ?? form.reason));
  const placeholderId = decision.data === 'approve' ? text(form.placeholderId) : undefined;
  // An admin's explicit four-eyes override under an approval policy (approvals only; needs the note as reason).
  const override = decision.data === 'approve' && form.override === '1' ? true : undefined;
  const parsed = ReviewDecisionInput.safeParse({
    action: decision.data,
    actor,
    reason,
    corrections,
    placeholderId,
    override,
    ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
  });
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${issueField(i.path)}: ${i.message}`).join('; ') };
  }
  return { ok: true, decision: { ...parsed.data } };
}

const FIELD_NAMES: Record<string, string> = { ...CORRECTION_LABELS, reason: 'Reason' };
const issueField = (path: readonly PropertyKey[]) =>
  path[0] === 'provenance' && typeof path[1] === 'string'
    ? `${FIELD_NAMES[path[1]] ?? path[1]} (box picked on the document)`
    : (FIELD_NAMES[String(path.at(-1))] ?? (path.join('.') || 'decision'));

/** Queue filters from the query string; anything unknown is dropped rather than failing the page. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const QueueQueryForm = z.object({
  status: z.preprocess(blankToUndefined, InvoiceStatus.optional()).catch(undefined),
  vendor: z.preprocess(blankToUndefined, z.string().max(100).optional()).catch(undefined),
  po: z.preprocess(blankToUndefined, z.string().max(64).optional()).catch(undefined),
  band: z.preprocess(blankToUndefined, z.enum(['low', 'medium', 'high']).optional()).catch(undefined),
  age: z.preprocess(blankToUndefined, z.enum(['4', '24', '72']).optional()).catch(undefined),
  order: z.preprocess(blankToUndefined, z.enum(['newest', 'oldest']).optional()).catch(undefined),
  mine: z.preprocess(blankToUndefined, z.enum(['1']).optional()).catch(undefined),
  reason: z.preprocess(blankToUndefined, z.enum(QUEUE_REASONS).optional()).catch(undefined),
});

/** A form field's text as posted: '' when it is missing or is a file, never "[object File]". */
export const fieldText = (value: unknown): string => (typeof value === 'string' ? value : '');
