// Matching end to end on real Temporal, Postgres and HTTP with the Plex simulator: fuzzy PO numbers,
// supplier + amount without a PO number, ambiguity, amount and three-way warnings, duplicates.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import type { InvoiceState } from '../../domain/invoice.js';
import { getStoredSettings, saveSettings } from '../../db/settings.js';
import { PageSession } from '../support/browserless-session.js';
import { makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { ADMIN, withStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

const LINES = [
  { description: 'Hex bolt M8x40, zinc', quantity: 500, unitPrice: '0.42' },
  { description: 'Lock washer M8', quantity: 500, unitPrice: '0.05' },
]; // 235.00
// Fixed dates, so the date window does not depend on the day the tests run.
const ORDERED = '2026-10-20T00:00:00Z';
const INVOICE_DATE = '2026-11-02';
const poNumber = () => String(randomInt(100_000, 1_000_000));

interface Created {
  purchaseOrderId: string;
  lineItemIds: string[];
  receiptIds: string[];
  placeholderIds: string[];
}

/** A PO through the simulator's /__admin/purchase-orders (supplier created or reused by name). */
async function seedPo(po: {
  supplier: string;
  poNumber: string;
  lines?: typeof LINES;
  placeholders?: number | { amount?: string }[];
  invoices?: { invoiceNumber: string; amount: string }[];
}): Promise<Created> {
  const res = await fetch(`${stack.plex.url}/__admin/purchase-orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Plex-Connect-Api-Key': stack.plex.apiKey },
    body: JSON.stringify({
      supplier: { name: po.supplier },
      poNumber: po.poNumber,
      lines: po.lines ?? LINES,
      placeholders: po.placeholders ?? 1,
      invoices: po.invoices ?? [],
      orderedDate: ORDERED,
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as Created;
}

function invoice(vendorName: string, over: Partial<InvoiceSpec> = {}): InvoiceSpec {
  return {
    invoiceNumber: `INV-${randomInt(100_000, 1_000_000)}`,
    vendorName,
    invoiceDate: INVOICE_DATE,
    lines: LINES,
    ...over,
  };
}

async function upload(spec: InvoiceSpec): Promise<string> {
  return stack.uploadOne(`${spec.invoiceNumber}.pdf`, await makeInvoicePdf(spec));
}

const review = (id: string, body: Record<string, unknown>) =>
  stack.api(`/api/invoices/${id}/review`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const writesTo = (placeholderId: string) => stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId);
const waiting = (s: InvoiceState) => s.status === 'awaiting_review';
const signals = (s: InvoiceState) => s.match?.evidence.map((e) => e.signal) ?? [];

describe('matching', () => {
  test('an OCR-confused PO number ("…B6" for "…86") still auto-syncs when exactly one PO fits', async () => {
    const digits = String(randomInt(1000, 10_000));
    const { placeholderIds } = await seedPo({ supplier: 'Borealis Tooling LLC', poNumber: `${digits}86` });
    const id = await upload(invoice('Borealis Tooling LLC', { poNumber: `${digits}B6` }));
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(done.decisions[0]?.action, 'auto_approve');
    assert.equal(done.match?.purchaseOrder?.poNumber, `${digits}86`);
    assert.ok(signals(done).includes('po_number_ocr'), signals(done).join());
    assert.equal(done.match?.threeWay?.status, 'ok');
    assert.equal(writesTo(placeholderIds[0]!).filter((w) => w.applied).length, 1);
  });

  test('a PO number printed with a "PO#" prefix and dashes matches the plain Plex number', async () => {
    const number = poNumber();
    const { placeholderIds } = await seedPo({ supplier: 'Cascade Abrasives Inc.', poNumber: number });
    const id = await upload(
      invoice('Cascade Abrasives Inc.', { poNumber: `PO#${number.slice(0, 3)}-${number.slice(3)}` }),
    );
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.ok(signals(done).includes('po_number_normalised'), signals(done).join());
    assert.equal(done.match?.score, 0.95);
    assert.equal(writesTo(placeholderIds[0]!).filter((w) => w.applied).length, 1);
  });

  test('without a PO number, the one open PO of the supplier that fits the amount is matched; a clerk approves and it syncs', async () => {
    const vendor = 'Delta Hydraulics GmbH';
    const right = await seedPo({ supplier: vendor, poNumber: poNumber() });
    const other = await seedPo({
      supplier: vendor,
      poNumber: poNumber(),
      lines: [{ description: 'Hydraulic hose 1/2 in', quantity: 100, unitPrice: '9.00' }],
    });
    const id = await upload(invoice('Delta Hydraulics GmbH', { omit: ['poNumber'] }));
    const state = await stack.waitFor(id, waiting);
    assert.equal(state.match?.status, 'matched', state.match?.reason);
    assert.equal(state.match?.placeholder?.id, right.placeholderIds[0]);
    for (const signal of ['supplier', 'amount']) {
      assert.ok(
        state.match.evidence.some((e) => e.signal === signal && e.points > 0),
        `${signal} evidence: ${JSON.stringify(state.match.evidence)}`,
      );
    }
    assert.ok(
      state.match.candidates.some((c) => c.placeholders[0]?.id === other.placeholderIds[0] && c.passed === false),
    );
    const ok = await review(id, { action: 'approve' });
    assert.equal(ok.status, 202, await ok.clone().text());
    await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(writesTo(right.placeholderIds[0]!).filter((w) => w.applied).length, 1);
    assert.equal(writesTo(other.placeholderIds[0]!).length, 0);
  });

  test('two open POs fitting supplier, amount and date are ambiguous: the clerk must choose, nothing is written', async () => {
    const vendor = 'Evergreen Castings Co.';
    const first = await seedPo({ supplier: vendor, poNumber: poNumber() });
    const second = await seedPo({ supplier: vendor, poNumber: poNumber() });
    const id = await upload(invoice(vendor, { omit: ['poNumber'] }));
    const state = await stack.waitFor(id, waiting);
    assert.equal(state.match?.status, 'ambiguous', state.match?.reason);
    assert.equal(state.match?.candidates.filter((c) => c.passed).length, 2);
    const refused = await review(id, { action: 'approve' });
    assert.equal(refused.status, 409);
    assert.equal(writesTo(first.placeholderIds[0]!).length + writesTo(second.placeholderIds[0]!).length, 0);
  });

  test('an invoice total outside the amount tolerance is a warning: review, and a clerk approval still syncs', async () => {
    const number = poNumber();
    const { placeholderIds } = await seedPo({
      supplier: 'Falcon Springs Ltd',
      poNumber: number,
      placeholders: [{ amount: '200.00' }],
    });
    const id = await upload(invoice('Falcon Springs Ltd', { poNumber: number }));
    const state = await stack.waitFor(id, waiting);
    assert.equal(state.match?.status, 'matched');
    assert.ok(
      state.reviewReasons.some((r) =>
        /Amount outside tolerance: invoice total 235.00 is 17.50 % above the placeholder amount 200.00/.test(r),
      ),
      state.reviewReasons.join(' | '),
    );
    const ok = await review(id, { action: 'approve' });
    assert.equal(ok.status, 202, await ok.clone().text());
    await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(writesTo(placeholderIds[0]!).filter((w) => w.applied).length, 1);
  });

  test('a tolerance an admin stored on the Settings page is the one matching uses', async () => {
    const stored = await getStoredSettings(stack.sql);
    await saveSettings(stack.sql, { ...stored.values, amountTolerancePct: 20 }, ADMIN.email);
    try {
      const number = poNumber();
      await seedPo({ supplier: 'Falcon Springs Ltd', poNumber: number, placeholders: [{ amount: '200.00' }] });
      const id = await upload(invoice('Falcon Springs Ltd', { poNumber: number }));
      // 17.5 % above the placeholder is inside the stored 20 %: no warning, so it syncs untouched.
      const done = await stack.waitFor(id, (s) => s.status === 'synced' || waiting(s));
      assert.equal(done.status, 'synced', done.reviewReasons.join(' | '));
    } finally {
      await saveSettings(stack.sql, stored.values, ADMIN.email);
    }
  });

  test('fewer goods received than invoiced is a three-way warning explained per line, and shown on the page', async () => {
    const number = poNumber();
    const created = await seedPo({ supplier: 'Granite Gaskets Inc.', poNumber: number });
    stack.plex.store.receipts.get(created.receiptIds[0]!)!.quantity = 400; // only 400 bolts arrived
    const id = await upload(invoice('Granite Gaskets Inc.', { poNumber: number }));
    const state = await stack.waitFor(id, waiting);
    const check = state.match?.threeWay;
    assert.equal(check?.status, 'mismatch');
    assert.deepEqual(
      check?.lines.map((l) => [l.invoiceLine, l.poLine, l.status, l.receivedQuantity]),
      [
        [1, 1, 'mismatch', '400.00'],
        [2, 2, 'ok', '500.00'],
      ],
    );
    assert.ok(
      state.match!.warnings.some((w) =>
        /invoice line 1 "Hex bolt M8x40, zinc" \(PO line 1\): invoiced 500 but 400 received/.test(w),
      ),
      state.match!.warnings.join(' | '),
    );
    assert.equal(writesTo(created.placeholderIds[0]!).length, 0);

    const page = new PageSession(stack.url);
    await page.login(ADMIN.email, ADMIN.password);
    const html = await (await page.fetch(`/invoices/${id}`)).text();
    assert.match(html, /Three-way check: mismatch/);
    assert.match(html, /invoiced 500 but 400 received/);
    assert.match(html, /The PO number on the invoice is in Plex/);
    assert.doesNotMatch(html, /po number exact/);
  });

  test('a PO without a placeholder says whether the goods are still to come or the PO is already invoiced', async () => {
    const [early, invoiced] = [poNumber(), poNumber()];
    const notReceived = await seedPo({ supplier: 'Juniper Castings Inc.', poNumber: early, placeholders: 0 });
    assert.deepEqual(notReceived.receiptIds, [], 'nothing has arrived yet');
    // received, and the placeholder already carries another vendor invoice number
    await seedPo({
      supplier: 'Juniper Castings Inc.',
      poNumber: invoiced,
      placeholders: 0,
      invoices: [{ invoiceNumber: 'JC-2026-0098', amount: '235.00' }],
    });
    const [a, b] = [
      await upload(invoice('Juniper Castings Inc.', { poNumber: early })),
      await upload(invoice('Juniper Castings Inc.', { poNumber: invoiced })),
    ];
    const [first, second] = [await stack.waitFor(a, waiting), await stack.waitFor(b, waiting)];
    assert.equal(first.match?.status, 'no_placeholder');
    assert.match(first.match.reason, /no receipt in Plex yet: the goods have not been received/);
    assert.equal(second.match?.status, 'no_placeholder');
    assert.match(
      second.match.reason,
      /receipts? in Plex but no open "Received" placeholder: it has most likely been invoiced already/,
    );
  });

  test('a duplicate of an already synced invoice from the same supplier is refused and never written', async () => {
    const vendor = 'Harbor Welding Supply Inc.';
    const [firstPo, secondPo] = [poNumber(), poNumber()];
    await seedPo({ supplier: vendor, poNumber: firstPo });
    const spec = invoice(vendor, { poNumber: firstPo });
    const original = await upload(spec);
    await stack.waitFor(original, (s) => s.status === 'synced');

    const second = await seedPo({ supplier: vendor, poNumber: secondPo });
    // The same invoice number again, on another layout (another file) and for another PO.
    const id = await upload({ ...spec, poNumber: secondPo, layout: 'right-labels' });
    const state = await stack.waitFor(id, waiting);
    assert.equal(state.match?.status, 'duplicate', state.match?.reason);
    assert.equal(state.match?.duplicateOf?.invoiceId, original);
    assert.ok(state.match?.reason.includes(original));
    const refused = await review(id, { action: 'approve' });
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, new RegExp(original));
    assert.equal(writesTo(second.placeholderIds[0]!).length, 0, 'nothing written for the duplicate');

    const page = new PageSession(stack.url);
    await page.login(ADMIN.email, ADMIN.password);
    const html = await (await page.fetch(`/invoices/${id}`)).text();
    assert.ok(html.includes(`href="/invoices/${original}"`), 'the page links to the original');
  });

  test('same supplier, total and date under another invoice number is flagged as a possible duplicate', async () => {
    const vendor = 'Ironwood Pallets LLC';
    const number = poNumber();
    await seedPo({ supplier: vendor, poNumber: number });
    const original = await upload(invoice(vendor, { poNumber: number }));
    await stack.waitFor(original, (s) => s.status === 'synced');
    const id = await upload(invoice(vendor, { poNumber: number }));
    const state = await stack.waitFor(id, waiting);
    assert.notEqual(state.match?.status, 'duplicate');
    assert.equal(state.match?.duplicateOf?.invoiceId, original);
    assert.ok(
      state.reviewReasons.some((r) => r.startsWith('Possible duplicate') && r.includes(original)),
      state.reviewReasons.join(' | '),
    );
  });
});
