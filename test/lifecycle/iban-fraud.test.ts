// Bank-detail fraud end to end on real Temporal, Postgres and HTTP with the Plex simulator: an invoice that
// prints an IBAN other than the supplier's in Plex goes to a clerk with a masked warning and is never
// written automatically; the same invoice with the supplier's own IBAN auto-syncs.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { withStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

const LINES = [
  { description: 'Hex bolt M8x40, zinc', quantity: 500, unitPrice: '0.42' },
  { description: 'Lock washer M8', quantity: 500, unitPrice: '0.05' },
];
const PLEX_IBAN = 'DE89 3704 0044 0532 0130 00';
const CHANGED_IBAN = 'GB82 WEST 1234 5698 7654 32';

/** A PO of a new supplier whose financials in Plex carry PLEX_IBAN. */
async function seedSupplierWithIban(supplier: string): Promise<{ poNumber: string; placeholderId: string }> {
  const poNumber = String(randomInt(100_000, 1_000_000));
  const headers = { 'Content-Type': 'application/json', 'X-Plex-Connect-Api-Key': stack.plex.apiKey };
  const res = await fetch(`${stack.plex.url}/__admin/purchase-orders`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      supplier: { name: supplier },
      poNumber,
      lines: LINES,
      placeholders: 1,
      orderedDate: '2026-10-20T00:00:00Z',
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const created = (await res.json()) as { supplierCode: string; placeholderIds: string[] };
  const set = await fetch(`${stack.plex.url}/__admin/suppliers/${created.supplierCode}/financials`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ibanNo: PLEX_IBAN, bankName: 'Commerzbank' }),
  });
  assert.equal(set.status, 200, await set.clone().text());
  return { poNumber, placeholderId: created.placeholderIds[0]! };
}

/** The invoice PDF with the vendor's bank details in a footer line. */
async function invoiceWithIban(spec: InvoiceSpec, iban: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(await makeInvoicePdf(spec));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.getPage(0).drawText(`Bank details: Commerzbank  IBAN ${iban}  BIC COBADEFFXXX`, { x: 50, y: 30, size: 8, font });
  return pdf.save();
}

/** An invoice of a new supplier "<name> <n> GmbH" (PLEX_IBAN in Plex) for its PO, printing `iban`, uploaded: its id and the PO's placeholder. */
async function uploadedWithIban(name: string, iban: string): Promise<{ id: string; placeholderId: string }> {
  const vendor = `${name} ${randomInt(1000, 10_000)} GmbH`;
  const { poNumber, placeholderId } = await seedSupplierWithIban(vendor);
  const spec: InvoiceSpec = {
    invoiceNumber: `INV-${randomInt(100_000, 1_000_000)}`,
    vendorName: vendor,
    invoiceDate: '2026-11-02',
    poNumber,
    lines: LINES,
  };
  const id = await stack.uploadOne(`${spec.invoiceNumber}.pdf`, await invoiceWithIban(spec, iban));
  return { id, placeholderId };
}

const writesTo = (placeholderId: string) => stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId);

describe('IBAN on the invoice vs the supplier in Plex', () => {
  test("the supplier's own IBAN is vendor evidence and the invoice auto-syncs", async () => {
    const { id, placeholderId } = await uploadedWithIban('Rheinland Praezision', PLEX_IBAN);
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.deepEqual(done.extraction?.ibans, ['DE89370400440532013000']);
    assert.ok(
      done.match?.evidence.some((e) => e.signal === 'supplier_tax_id_or_iban'),
      JSON.stringify(done.match?.evidence),
    );
    assert.equal(writesTo(placeholderId).filter((w) => w.applied).length, 1);
  });

  test('a changed IBAN goes to review with both values masked, and nothing is written', async () => {
    const { id, placeholderId } = await uploadedWithIban('Hanse Antriebe', CHANGED_IBAN);
    const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
    assert.equal(waiting.match?.status, 'matched', 'the PO and placeholder were found; only the bank account is wrong');
    const warning = waiting.match?.warnings.find((w) => w.startsWith('Bank account changed?'));
    assert.ok(warning, JSON.stringify(waiting.match?.warnings));
    assert.match(warning, /\*+5432.*\*+3000/);
    assert.ok(!warning.includes('WEST1234') && !warning.includes('37040044'), 'only the last four digits are shown');
    assert.ok(waiting.reviewReasons.some((r) => r.startsWith('Bank account changed?')));
    assert.equal(waiting.decisions.length, 0, 'not approved automatically');
    assert.deepEqual(writesTo(placeholderId), [], 'nothing written to Plex');
  });
});
