// The one rule for an invoice number a person types (a review correction): it is what gets written into
// the Plex placeholder, so it meets the same bar as a Plex write — trimmed, printable, at most 50
// characters, no control or bidirectional-override characters (which can make "INV-1" display as another
// number), no angle brackets.
export const INVOICE_NUMBER_MAX = 50;

// C0/C1 controls, zero-width and bidi formatting characters, line/paragraph separators, BOM.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

export type InvoiceNumberCheck = { ok: true; value: string } | { ok: false; reason: string };

export function validateInvoiceNumber(raw: string): InvoiceNumberCheck {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'The invoice number is empty.' };
  if (INVISIBLE.test(value)) return { ok: false, reason: 'The invoice number contains a control or invisible (bidirectional) character; type it again.' };
  if (/[<>]/.test(value)) return { ok: false, reason: 'The invoice number cannot contain < or >.' };
  if ([...value].length > INVOICE_NUMBER_MAX) return { ok: false, reason: `The invoice number is longer than ${INVOICE_NUMBER_MAX} characters.` };
  return { ok: true, value };
}
