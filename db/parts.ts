// Parts of a file that held several invoices (migration 025): which invoice holds which pages of which
// source, per split round (the reading's split is round 1; each moved split adds a round).
import type { Sql } from './client.js';

export interface PartRow {
  sourceInvoiceId: string;
  round: number;
  position: number;
  partInvoiceId: string;
  fromPage: number;
  toPage: number;
  evidence: string[];
  createdBy: string;
  createdAt: Date;
}

type Raw = {
  source_invoice_id: string;
  round: number;
  position: number;
  part_invoice_id: string;
  from_page: number;
  to_page: number;
  evidence: string[];
  created_by: string;
  created_at: Date;
};
const toRow = (r: Raw): PartRow => ({
  sourceInvoiceId: r.source_invoice_id,
  round: r.round,
  position: r.position,
  partInvoiceId: r.part_invoice_id,
  fromPage: r.from_page,
  toPage: r.to_page,
  evidence: r.evidence,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Records a round's parts; a round already recorded is left as it is (an activity's retry). */
export async function recordParts(
  sql: Sql,
  sourceInvoiceId: string,
  round: number,
  createdBy: string,
  parts: Array<{ partInvoiceId: string; fromPage: number; toPage: number; evidence: string[] }>,
): Promise<void> {
  await sql.begin(async (tx) => {
    for (const [i, p] of parts.entries()) {
      await tx`
        insert into invoice_parts (source_invoice_id, round, position, part_invoice_id, from_page, to_page, evidence, created_by)
        values (${sourceInvoiceId}, ${round}, ${i + 1}, ${p.partInvoiceId}, ${p.fromPage}, ${p.toPage}, ${sql.json(p.evidence)}, ${createdBy})
        on conflict do nothing`;
    }
  });
}

/** The parts of the latest round of a source (empty when it was never split). */
export async function currentParts(sql: Sql, sourceInvoiceId: string): Promise<PartRow[]> {
  const rows = await sql<Raw[]>`
    select * from invoice_parts
    where source_invoice_id = ${sourceInvoiceId}
      and round = (select max(round) from invoice_parts where source_invoice_id = ${sourceInvoiceId})
    order by position`;
  return rows.map(toRow);
}

/** Where an invoice was cut from: its latest part row, or undefined for an invoice that is a whole file. */
export async function partOf(sql: Sql, partInvoiceId: string): Promise<PartRow | undefined> {
  const [row] = await sql<
    Raw[]
  >`select * from invoice_parts where part_invoice_id = ${partInvoiceId} order by created_at desc, round desc limit 1`;
  return row ? toRow(row) : undefined;
}
