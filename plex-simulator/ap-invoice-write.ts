// DEV/TEST DOUBLE OF PLEX — not Plex. How the simulator handles PUT (and, when allowed, PATCH) of
// /accounting/v1/ap-invoices/{id}: body validation in Plex's {code, message, errors[]} shape, the
// "someone else got there first" faults, and merging the body into the stored record (PLEX_API.md §2.3).
import { z } from 'zod';
import type { FaultPlan, SimulatorStore, WriteRecord } from './store.js';
import { API_USER_ID, isoSeconds, UUID_PATTERN, type SimApInvoice } from './records.js';
import { invoiceNumberFieldProblem } from '../domain/invoice-number.js';
import { WRITABLE_AP_INVOICE_FIELDS } from '../plex/schemas.js';

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');
const text = (max: number) => z.string().max(max);
const timestamp = z.iso.datetime({ offset: true });

/** Every field optional, as in the spec; unknown fields are ignored (not stored), as gateways tend to. */
export const ApInvoicePutBody = z.looseObject({
  // As strict as PlexSync assumes Plex is (domain/invoice-number.ts): length, characters, no control/bidi.
  invoiceNumber: z
    .string()
    .superRefine((value, ctx) => {
      const problem = invoiceNumberFieldProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  supplierId: uuid.optional(),
  supplierCode: text(50).optional(),
  supplierAddressCode: text(50).optional(),
  status: text(50).optional(),
  type: text(50).optional(),
  department: text(50).optional(), // a string on writes, an integer on reads (sic)
  buildingCode: text(50).optional(),
  governmentIssuedNumber: text(50).optional(),
  invoiceDate: timestamp.optional(),
  dueDate: timestamp.optional(),
  discountDueDate: timestamp.optional(),
  taxPointDate: timestamp.optional(),
  expectedPayDate: timestamp.optional(),
  periodDisplay: text(20).optional(),
  currencyCode: z.string().length(3).optional(),
  exchangeRate: z.number().positive().optional(),
  discount: z.number().optional(),
  discountableAmount: z.number().optional(),
  interCompany: z.boolean().optional(),
  poId: uuid.optional(),
  poNumber: text(50).optional(),
  terms: text(100).optional(),
  note: text(500).optional(),
  checkNote: text(500).optional(),
  checkNos: text(100).optional(),
  lines: z.array(z.unknown()).optional(),
});

/** Body fields stored under the same name on the read record (the writable fields of the reference); the rest are accepted and dropped. */
const MERGED_FIELDS = WRITABLE_AP_INVOICE_FIELDS;

export interface WriteOutcome {
  status: 200 | 400 | 404 | 409;
  body: unknown;
  /** Applied, but the response must not be sent (applyThenDrop). */
  drop?: boolean;
}

export const plexError = (code: string, message: string, errors?: { code: string; message: string }[]) =>
  errors ? { code, message, errors } : { code, message };

export const notFound = (what: string) => plexError('RESOURCE_NOT_FOUND', `${what} was not found.`);
export const badId = (id: string) => plexError('BAD_REQUEST', `'${id}' is not a valid UUID.`);

export function writeApInvoice(
  store: SimulatorStore,
  id: string,
  rawBody: unknown,
  plan: FaultPlan,
  write: WriteRecord | undefined,
): WriteOutcome {
  if (!UUID_PATTERN.test(id)) return { status: 400, body: badId(id) };
  if (rawBody === undefined || typeof rawBody !== 'object' || rawBody === null || Array.isArray(rawBody)) {
    return { status: 400, body: plexError('BAD_REQUEST', 'The request body must be a JSON object.') };
  }
  const parsed = ApInvoicePutBody.safeParse(rawBody);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      code: issue.code.toUpperCase(),
      message: `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`,
    }));
    return { status: 400, body: plexError('VALIDATION_ERROR', 'One or more fields are invalid.', errors) };
  }
  const body = parsed.data;

  if (plan.mutateBeforeWrite === 'remove') store.apInvoices.delete(id);
  const invoice = store.apInvoices.get(id);
  if (!invoice) return { status: 404, body: notFound(`AP invoice ${id}`) };
  if (plan.mutateBeforeWrite === 'change') {
    Object.assign(invoice, { invoiceNumber: 'SOMEONE-ELSE', modifiedDate: isoSeconds() });
    return {
      status: 409,
      body: plexError('CONFLICT', 'The AP invoice was changed by another user; read it again before updating.'),
    };
  }

  const problems = fieldProblems(store, invoice, body);
  if (problems.length > 0) {
    return { status: 400, body: plexError('VALIDATION_ERROR', 'One or more fields are invalid.', problems) };
  }

  const record = invoice as unknown as Record<string, unknown>;
  const overwrote: string[] = [];
  for (const field of MERGED_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    const stored = field === 'department' ? Number.parseInt(String(value), 10) || 0 : value;
    if (field !== 'invoiceNumber' && JSON.stringify(record[field]) !== JSON.stringify(stored)) overwrote.push(field);
    record[field] = stored;
  }
  invoice.modifiedDate = isoSeconds();
  invoice.modifiedById = API_USER_ID;
  if (write) Object.assign(write, { applied: true, overwrote, appliedAt: new Date().toISOString() });
  return { status: 200, body: structuredClone(invoice), drop: plan.applyThenDrop };
}

/** Checks that need the stored data, reported like Plex's field errors. */
function fieldProblems(
  store: SimulatorStore,
  invoice: SimApInvoice,
  body: z.infer<typeof ApInvoicePutBody>,
): { code: string; message: string }[] {
  const problems: { code: string; message: string }[] = [];
  const supplierCode = body.supplierCode ?? invoice.supplierCode;
  if (body.supplierCode !== undefined && ![...store.suppliers.values()].some((s) => s.code === body.supplierCode)) {
    problems.push({ code: 'INVALID_SUPPLIER', message: `supplierCode: no supplier '${body.supplierCode}'.` });
  }
  if (store.settings.rejectDuplicateInvoiceNumbers && body.invoiceNumber !== undefined) {
    const clash = [...store.apInvoices.values()].some(
      (other) =>
        other.id !== invoice.id && other.supplierCode === supplierCode && other.invoiceNumber === body.invoiceNumber,
    );
    if (clash) {
      problems.push({
        code: 'DUPLICATE_INVOICE_NUMBER',
        message: `invoiceNumber: supplier ${supplierCode} already has an invoice '${body.invoiceNumber}'.`,
      });
    }
  }
  return problems;
}
