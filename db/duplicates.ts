// Read-model queries for duplicate detection: other invoices with the same invoice number (compared as
// matching/duplicates.ts does, without case or punctuation), or with the same invoice date and total,
// that are synced or in flight. Indexed by db/migrations/002_duplicate_lookup.sql.
import { COMMITTED_STATUSES, IN_FLIGHT_STATUSES, type OtherInvoice } from '../matching/duplicates.js';
import type { Sql } from './client.js';

/** Enough to decide; a supplier with more look-alikes than this has bigger problems. */
const LIMIT = 50;

export async function findPossibleOriginals(
  sql: Sql,
  q: { invoiceId: string; invoiceNumberKey: string | null; total: string | null; invoiceDate: string | null },
): Promise<OtherInvoice[]> {
  if (!q.invoiceNumberKey && !(q.total && q.invoiceDate)) return [];
  const statuses = [...COMMITTED_STATUSES, ...IN_FLIGHT_STATUSES];
  const sameNumber = q.invoiceNumberKey
    ? sql`upper(regexp_replace(i.invoice_number, '[^A-Za-z0-9]', '', 'g')) = ${q.invoiceNumberKey}`
    : sql`false`;
  const sameDateAndTotal =
    q.total && q.invoiceDate
      ? sql`(i.invoice_date = ${q.invoiceDate}::date and i.total = ${q.total}::numeric)`
      : sql`false`;
  const rows = await sql<RawOther[]>`
    select i.id, i.status, i.vendor_name, i.invoice_number, i.total::text as total,
           to_char(i.invoice_date, 'YYYY-MM-DD') as invoice_date, m.po_id,
           m.result -> 'purchaseOrder' ->> 'supplierId' as supplier_id,
           m.result -> 'purchaseOrder' ->> 'supplierName' as supplier_name,
           coalesce((i.created_at, i.id) < (select created_at, id from invoices where id = ${q.invoiceId}), true) as uploaded_earlier
    from invoices i
    left join matches m on m.invoice_id = i.id
    where i.id <> ${q.invoiceId}
      and i.status in ${sql(statuses)}
      and (${sameNumber} or ${sameDateAndTotal})
    order by i.created_at, i.id
    limit ${LIMIT}`;
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    vendorName: r.vendor_name,
    invoiceNumber: r.invoice_number,
    total: r.total,
    invoiceDate: r.invoice_date,
    purchaseOrderId: r.po_id,
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    uploadedEarlier: r.uploaded_earlier,
  }));
}

interface RawOther {
  id: string;
  status: string;
  vendor_name: string | null;
  invoice_number: string | null;
  total: string | null;
  invoice_date: string | null;
  po_id: string | null;
  supplier_id: string | null;
  supplier_name: string | null;
  uploaded_earlier: boolean;
}
