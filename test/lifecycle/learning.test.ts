// Learning from corrections end to end, on real Temporal, Postgres and HTTP: a vendor's first invoice is
// read wrong, a clerk corrects it through the review API, and the same vendor's next invoice is read right.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { createAuditActivities } from '../../activities/audit.js';
import { createKnowledgeStore } from '../../db/vendor-knowledge.js';
import type { Extraction } from '../../domain/extraction.js';
import type { DecisionRecord } from '../../domain/invoice.js';
import { seedPurchaseOrder, withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { makeVendorInvoicePdf, NORTHBEAM, QUARRY_LANE, type VendorInvoiceSpec } from '../support/vendor-invoice.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

/** A Northbeam invoice for a fresh PO seeded in the simulator. */
async function vendorInvoice(
  base: Omit<VendorInvoiceSpec, 'poNumber' | 'lines' | 'invoiceDate' | 'invoiceNumber'>,
  invoiceNumber: string,
): Promise<VendorInvoiceSpec> {
  const unique = uniqueInvoice({ vendorName: base.vendorName });
  const spec = {
    ...base,
    invoiceNumber,
    poNumber: unique.poNumber,
    invoiceDate: unique.invoiceDate,
    lines: unique.lines,
  };
  await seedPurchaseOrder(stack.plex, { poNumber: spec.poNumber, supplier: spec.vendorName, lines: spec.lines });
  return spec;
}

const extractionOf = async (id: string): Promise<Extraction> =>
  (await stack.waitFor(id, (s) => s.extraction !== null && s.status !== 'parsing' && s.status !== 'matching'))
    .extraction!;

describe('learning from corrections', () => {
  test('a clerk\'s correction teaches the vendor\'s layout: its next invoice is read right, with source "learned"', async () => {
    // 1. The first invoice: the number sits under "Voucher ID", which no general rule knows.
    const first = await vendorInvoice(NORTHBEAM, 'NBT-26-0417');
    const firstId = await stack.uploadOne('northbeam-1.pdf', await makeVendorInvoicePdf(first));
    const waiting = await stack.waitFor(firstId, (s) => s.status === 'awaiting_review');
    assert.equal(waiting.extraction?.fields.invoiceNumber.value, null);
    assert.ok(
      waiting.reviewReasons.some((r) => /invoice number/i.test(r)),
      waiting.reviewReasons.join(' | '),
    );

    // 2. The clerk types the number and approves.
    const res = await stack.api(`/api/invoices/${firstId}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve', corrections: { invoiceNumber: first.invoiceNumber } }),
    });
    assert.equal(res.status, 202, await res.clone().text());
    const synced = await stack.waitFor(firstId, (s) => s.status === 'synced');
    const decisionId = synced.decisions.at(-1)!.id;
    const rows = await stack.sql<
      { decision_id: string; field: string; tax_id: string; pattern: { label: string; value: string } }[]
    >`
      select decision_id, field, tax_id, pattern from vendor_patterns where invoice_id = ${firstId}`;
    assert.deepEqual(
      rows.map((r) => [r.decision_id, r.field, r.tax_id, r.pattern.label, r.pattern.value]),
      [[decisionId, 'invoiceNumber', 'GB123456789', 'voucher id', 'NBT-26-0417']],
    );

    // 3. The same vendor's next invoice, another number: read from where the clerk showed it was.
    const second = await vendorInvoice(NORTHBEAM, 'NBT-26-0502');
    const secondId = await stack.uploadOne('northbeam-2.pdf', await makeVendorInvoicePdf(second));
    const extraction = await extractionOf(secondId);
    const field = extraction.fields.invoiceNumber;
    assert.equal(field.value, 'NBT-26-0502');
    assert.equal(field.provenance?.source, 'learned');
    assert.equal(field.provenance?.label, 'voucher id');
    assert.ok(field.confidence >= 0.9, String(field.confidence));
    const api = (await (await stack.api(`/api/invoices/${secondId}`)).json()) as {
      invoice: { invoiceNumber: string | null };
    };
    assert.equal(api.invoice.invoiceNumber, 'NBT-26-0502');

    // 4. Another vendor with the same habit learns nothing from Northbeam's correction.
    const other = await vendorInvoice(QUARRY_LANE, 'QLC-88-1200');
    const otherId = await stack.uploadOne('quarry-1.pdf', await makeVendorInvoicePdf(other));
    assert.equal((await extractionOf(otherId)).fields.invoiceNumber.value, null);

    // 5. Recording the same decision again (a retried activity) learns nothing twice.
    const activities = createAuditActivities({
      sql: stack.sql,
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      learning: { store: createKnowledgeStore(stack.sql) },
    } as never);
    await activities.recordDecision({ invoiceId: firstId, decision: synced.decisions.at(-1)! as DecisionRecord });
    const [count] = await stack.sql<
      { n: number }[]
    >`select count(*)::int as n from vendor_patterns where invoice_id = ${firstId}`;
    assert.equal(count?.n, 1);
  });
});
