// What PlexSync will write into a Plex AP invoice's invoiceNumber, checked before any write (and by the
// simulator on every PUT, so it refuses what Plex is assumed to refuse). Plex publishes no length or
// character rules for the field (docs/plex.md, "Invoice numbers"), so the rules are deliberately narrow:
// what vendors print as invoice numbers, nothing that a screen, a report or an export could misread.

/** Longest invoice number written; the field's real width in Plex is not published. */
export const MAX_INVOICE_NUMBER_LENGTH = 50;

/** Letters and digits (ASCII), space, and the separators vendors print inside invoice numbers. */
const ACCEPTED = /^[A-Za-z0-9 \-_/.#:,()+]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Bidirectional overrides, embeddings, isolates and marks: they make a number display unlike its bytes. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Zero-width characters and the BOM: invisible, so two numbers that look equal would differ. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/u;

export type InvoiceNumberCheck = { ok: true; value: string } | { ok: false; reason: string };

/**
 * The field rules alone, on the value as it would be stored (no trimming): what the Plex simulator refuses
 * with a 400. null when the value is acceptable.
 */
export function invoiceNumberFieldProblem(value: string): string | null {
  const check = validateInvoiceNumber(value, { placeholderAllowed: true });
  if (!check.ok) return check.reason;
  return check.value === value ? null : 'The invoice number has leading or trailing spaces.';
}

export function validateInvoiceNumber(raw: unknown, { placeholderAllowed = false } = {}): InvoiceNumberCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'The invoice number is missing.' };
  if (CONTROL.test(raw))
    return { ok: false, reason: 'The invoice number contains a control character (a line break, tab or similar).' };
  if (BIDI.test(raw))
    return {
      ok: false,
      reason:
        'The invoice number contains a text-direction control character, which would make it display differently from what is stored.',
    };
  if (INVISIBLE.test(raw))
    return { ok: false, reason: 'The invoice number contains an invisible character (zero-width space or similar).' };
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'The invoice number is empty.' };
  if (value.length > MAX_INVOICE_NUMBER_LENGTH) {
    return {
      ok: false,
      reason: `The invoice number is ${value.length} characters long; Plex takes at most ${MAX_INVOICE_NUMBER_LENGTH}.`,
    };
  }
  if (!ACCEPTED.test(value)) {
    const refused = [...new Set([...value].filter((c) => !ACCEPTED.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    return {
      ok: false,
      reason: `The invoice number contains characters Plex invoice numbers do not take: ${refused}. Use letters, digits, spaces and - _ / . # : , ( ) +.`,
    };
  }
  if (!/[A-Za-z0-9]/.test(value)) return { ok: false, reason: 'The invoice number has no letter or digit.' };
  if (!placeholderAllowed && value.toLowerCase() === 'received')
    return { ok: false, reason: '"Received" is the placeholder itself, not a vendor invoice number.' };
  return { ok: true, value };
}

/** "inv-1001" = "INV 1001" = "INV1001": case, spaces and punctuation do not make a new invoice. */
export function invoiceNumberKey(invoiceNumber: string | null | undefined): string | null {
  const key = (invoiceNumber ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return key || null;
}
