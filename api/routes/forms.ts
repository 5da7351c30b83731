// Parsing of page form posts into validated inputs.
import type { Context } from 'hono';
import { z } from 'zod';
import { InvoiceStatus, ReviewDecisionInput, type ReviewDecisionInput as ReviewInput } from '../../domain/invoice.js';
import type { AppEnv } from '../context.js';

const CORRECTION_FIELDS = ['invoiceNumber', 'poNumber', 'vendorName', 'invoiceDate', 'total', 'tax', 'subtotal', 'currency', 'dueDate'] as const;

export async function uploadedFiles(c: Context<AppEnv>): Promise<File[]> {
  const body = await c.req.parseBody({ all: true });
  const raw = body['files'] ?? body['file'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((f): f is File => f instanceof File);
}

export async function reviewFromForm(c: Context<AppEnv>, actor: string): Promise<{ ok: true; decision: ReviewInput } | { ok: false; error: string }> {
  const form = await c.req.parseBody();
  const corrections: Record<string, string> = {};
  for (const name of CORRECTION_FIELDS) {
    const v = form[name];
    if (typeof v === 'string' && v.trim() !== '') corrections[name] = v.trim();
  }
  const reason = typeof form.reason === 'string' && form.reason.trim() ? form.reason.trim() : undefined;
  const override = form.override === '1' ? true : undefined; // an admin's four-eyes override (approval policies)
  const parsed = ReviewDecisionInput.safeParse({ action: form.action, actor, reason, corrections, override });
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'decision'}: ${i.message}`).join('; ') };
  }
  return { ok: true, decision: { ...parsed.data } };
}

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
});
