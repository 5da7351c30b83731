// The "Received" placeholder convention (PLEX_API.md §3), in one place: the client lists open
// placeholders with it, and the sync re-checks a placeholder with it before writing.

/** Invoice numbers compare trimmed and case-insensitively (Plex may normalise case; sites type both). */
export const sameInvoiceNumber = (a: string | null | undefined, b: string): boolean =>
  typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The site convention for "goods received, vendor invoice not yet entered". */
export const isPlaceholderNumber = (invoiceNumber: string | null | undefined): boolean =>
  sameInvoiceNumber(invoiceNumber, 'received');

/** AP statuses that still accept a vendor invoice number. The real status list is unverified. */
const OPEN_STATUSES = new Set(['new', 'open']);
export const isOpenStatus = (status: string | null | undefined): boolean =>
  typeof status === 'string' && OPEN_STATUSES.has(status.trim().toLowerCase());
