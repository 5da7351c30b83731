// E-invoices through the whole lifecycle on real Temporal, Postgres and HTTP with the Plex simulator:
// an XRechnung XML upload and a Factur-X PDF upload are read exactly, matched by their PO reference
// (BT-13), auto-approved, written into the placeholder and audited; a credit note waits for a clerk; a
// broken e-invoice is refused at upload with its reason.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifyAuditChain } from '../../db/audit.js';
import { eInvoiceSpecForPo, makeFacturXPdf, toUbl } from '../../testkit/einvoice.js';
import { seedPurchaseOrder, withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

/** A unique invoice for a seeded PO, as an e-invoice spec. */
const specFor = (inv: ReturnType<typeof uniqueInvoice>) => eInvoiceSpecForPo(inv);

describe('e-invoice lifecycle', () => {
  for (const kind of ['XRechnung UBL XML', 'Factur-X PDF'] as const) {
    test(`a ${kind} is read exactly, matched by its PO reference, synced and audited`, async () => {
      const inv = uniqueInvoice();
      const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
        poNumber: inv.poNumber,
        supplier: inv.vendorName,
        lines: inv.lines,
      });
      const spec = specFor(inv);
      const [name, bytes] =
        kind === 'Factur-X PDF'
          ? ['facturx.pdf', await makeFacturXPdf(spec)]
          : ['xrechnung.xml', new TextEncoder().encode(toUbl(spec, { customization: 'XRECHNUNG' }))];
      const id = await stack.uploadOne(name, bytes);

      const state = await stack.waitFor(id, (s) => s.status === 'synced');
      assert.equal(state.decisions[0]?.action, 'auto_approve', state.reviewReasons.join(' | '));
      assert.equal(state.extraction?.extractor, kind === 'Factur-X PDF' ? 'einvoice-cii@1' : 'einvoice-ubl@1');
      assert.equal(state.extraction?.confidence, 1);
      assert.equal(state.extraction?.fields.poNumbers.provenance?.source, 'einvoice');
      assert.match(
        state.extraction?.fields.poNumbers.provenance?.xpath ?? '',
        kind === 'Factur-X PDF' ? /BuyerOrderReferencedDocument\/ram:IssuerAssignedID$/ : /cac:OrderReference\/cbc:ID$/,
      );
      assert.equal(state.match?.status, 'matched');
      assert.equal(await stack.placeholderNumber(placeholderIds[0]!), inv.invoiceNumber);

      const kinds = (
        await stack.sql<{ kind: string }[]>`select kind from audit_log where invoice_id = ${id} order by seq`
      ).map((r) => r.kind);
      assert.deepEqual(kinds, ['invoice.received', 'review.auto_approved', 'sync.succeeded']);
      const chain = await verifyAuditChain(stack.sql);
      assert.ok(chain.ok, JSON.stringify(chain));

      // The XML can be opened from the API: the upload itself, or the attachment of the PDF.
      const xml = await stack.api(`/api/invoices/${id}/einvoice.xml?download`);
      assert.equal(xml.status, 200);
      assert.equal(xml.headers.get('content-type'), 'application/xml');
      assert.ok((await xml.text()).includes(`>${inv.invoiceNumber}<`));
      const shown = await stack.api(`/api/invoices/${id}/einvoice.xml`);
      assert.match(shown.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(shown.headers.get('x-content-type-options'), 'nosniff', 'never rendered as XML in our origin');
    });
  }

  test('a UBL credit note for a PO waits for a clerk with the reason and leaves the placeholder alone', async () => {
    const inv = uniqueInvoice();
    const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    const id = await stack.uploadOne(
      'gutschrift.xml',
      new TextEncoder().encode(toUbl({ ...specFor(inv), typeCode: '381' }, { creditNote: true })),
    );
    const state = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
    assert.equal(state.extraction?.confidence, 1, 'the credit note itself is read exactly');
    assert.ok(
      state.extraction?.fields.total.value?.startsWith('-'),
      `a credit is negative: ${state.extraction?.fields.total.value}`,
    );
    assert.ok(
      state.reviewReasons.some((r) => /^This is a credit note \(total -[\d.]+\): it does not fill PO /.test(r)),
      state.reviewReasons.join(' | '),
    );
    assert.equal(await stack.placeholderNumber(placeholderIds[0]!), 'Received');
  });

  test('an e-invoice XML with a DOCTYPE is refused at upload with the reason, and nothing starts', async () => {
    const spec = specFor(uniqueInvoice());
    const xml = toUbl(spec).replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    );
    const res = await stack.upload([{ name: 'evil.xml', bytes: new TextEncoder().encode(xml) }]);
    assert.equal(res.status, 415);
    const body = (await res.json()) as { error: { message: string } };
    assert.match(body.error.message, /evil\.xml: .*DOCTYPE/);
  });

  test('an invoice without an e-invoice has no XML to open', async () => {
    const inv = uniqueInvoice();
    const { makeInvoicePdf } = await import('../../testkit/invoice-pdf.js');
    const id = await stack.uploadOne('plain.pdf', await makeInvoicePdf(inv));
    const res = await stack.api(`/api/invoices/${id}/einvoice.xml`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /has no e-invoice XML/);
  });
});
