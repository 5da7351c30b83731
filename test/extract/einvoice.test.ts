// Structured e-invoices are read exactly: CII (Factur-X, ZUGFeRD 1 and 2, XRechnung), UBL (XRechnung,
// Peppol) and Factur-X PDFs give the same Extraction for the same invoice, with XPath provenance,
// profiles, credit notes, and the EN 16931 calculation rules and the visible PDF as cross-checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor, inspectDocument, isEInvoiceXml } from '../../extract/index.js';
import { readEInvoice, readEInvoiceXml } from '../../extract/einvoice/index.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import {
  eInvoiceAmounts,
  eInvoiceSpec,
  expectedFields,
  makeFacturXPdf,
  toCii,
  toUbl,
  type EInvoiceSpec,
} from '../../testkit/einvoice.js';
import type { Extraction } from '../../domain/extraction.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const read = (xml: string) => readEInvoiceXml(utf8(xml)).extraction;
const values = (e: Extraction) =>
  Object.fromEntries(
    Object.entries(e.fields)
      .filter(([k]) => k !== 'vendorEmailDomain')
      .map(([k, f]) => [k, f.value]),
  );
const lineValues = (e: Extraction) =>
  e.lineItems.map((l) => ({
    description: l.description.value,
    quantity: l.quantity.value,
    unitPrice: l.unitPrice.value,
    amount: l.amount.value,
    partNumber: l.partNumber?.value,
    poLine: l.poLine?.value,
  }));
const extractor = createExtractor();

describe('e-invoice syntaxes', () => {
  test('the same invoice as CII, ZUGFeRD 1 and UBL gives identical fields and lines, all from the XML with confidence 1', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const spec = eInvoiceSpec(seed);
      const cii = read(toCii(spec));
      const ubl = read(toUbl(spec));
      const zugferd1 = read(toCii(spec, { zugferd1: true }));
      assert.deepEqual(values(cii), expectedFields(spec), `seed ${seed}`);
      assert.deepEqual(values(ubl), values(cii), `seed ${seed}: UBL vs CII`);
      assert.deepEqual(values(zugferd1), values(cii), `seed ${seed}: ZUGFeRD 1 vs CII`);
      assert.deepEqual(lineValues(ubl), lineValues(cii));
      assert.deepEqual(lineValues(zugferd1), lineValues(cii));
      assert.equal(cii.lineItems.length, spec.lines.length);
      assert.equal(cii.confidence, 1, cii.warnings.join(' | '));
      assert.deepEqual(cii.warnings, [], `seed ${seed}`);
      assert.equal(cii.extractor, 'einvoice-cii@1');
      assert.equal(ubl.extractor, 'einvoice-ubl@1');
    }
  });

  test('every business term lands where the contract says, with its XPath as provenance', () => {
    const spec = eInvoiceSpec(11, {
      allowancesCharges: [
        { charge: false, amount: '10.00', vatRate: '19', reason: 'Volume discount' },
        { charge: true, amount: '25.00', vatRate: '7', reason: 'Freight' },
      ],
      lines: [
        {
          id: '1',
          name: 'Hex bolt M8x40, zinc',
          quantity: '500',
          unit: 'H87',
          netPrice: '0.42',
          vatRate: '19',
          orderLineRef: '10',
          sellerItemId: 'HB-840',
        },
        {
          id: '2',
          name: 'Technical manual',
          quantity: '2.5',
          unit: 'KGM',
          netPrice: '18.00',
          vatRate: '7',
          orderLineRef: '20',
        },
      ],
      seller: { name: 'Müller & Söhne GmbH', vatId: 'DE123456789', taxRegistration: '201/113/40209' },
    });
    const e = read(toCii(spec, { profile: 'EN 16931' }));
    const amounts = eInvoiceAmounts(spec);
    assert.equal(amounts.vat.length, 2);
    assert.equal(e.fields.subtotal.value, amounts.taxBasis);
    assert.equal(e.fields.tax.value, amounts.tax);
    assert.equal(e.fields.total.value, amounts.grand);
    assert.equal(e.fields.vendorName.value, 'Müller & Söhne GmbH');
    assert.equal(e.fields.vendorTaxId.value, 'DE123456789');
    assert.ok(
      e.fields.vendorTaxId.notes.some((n) => n.includes('201/113/40209')),
      'BT-32 kept in the notes',
    );
    assert.deepEqual(e.fields.poNumbers.value, [spec.poNumber]);
    assert.deepEqual(e.fields.poNumbers.provenance, {
      page: 1,
      source: 'einvoice',
      label: 'BT-13 purchase order reference',
      xpath:
        '/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID',
    });
    assert.equal(
      e.fields.invoiceDate.provenance?.xpath,
      '/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString',
    );
    assert.equal(e.fields.invoiceDate.provenance?.box, undefined, 'no page box for XML values');
    assert.ok(
      e.fields.invoiceNumber.notes.some((n) => /E-invoice: EN 16931, UN\/CEFACT CII/.test(n)),
      e.fields.invoiceNumber.notes.join(),
    );
    const [first, second] = e.lineItems;
    assert.deepEqual(lineValues(e), [
      {
        description: 'Hex bolt M8x40, zinc',
        quantity: '500',
        unitPrice: '0.42',
        amount: '210.00',
        partNumber: 'HB-840',
        poLine: '10',
      },
      {
        description: 'Technical manual',
        quantity: '2.5',
        unitPrice: '18.00',
        amount: '45.00',
        partNumber: undefined,
        poLine: '20',
      },
    ]);
    assert.equal(second!.unit?.value, 'KGM');
    assert.match(second!.unit.provenance!.xpath!, /@unitCode$/);
    assert.match(
      first!.amount.provenance!.xpath!,
      /IncludedSupplyChainTradeLineItem\[1\]\/ram:SpecifiedLineTradeSettlement/,
    );
    assert.ok(
      e.fields.tax.notes.some((n) => n.includes('19%')) && e.fields.tax.notes.some((n) => n.includes('7%')),
      'VAT breakdown in the notes',
    );
  });

  test('profiles are named from the guideline (CII) and the customization id (UBL)', () => {
    const spec = eInvoiceSpec(21);
    const profile = (e: Extraction) => /E-invoice: ([^,]+),/.exec(e.fields.invoiceNumber.notes[0] ?? '')?.[1];
    for (const p of ['BASIC', 'EN 16931', 'EXTENDED', 'XRECHNUNG'] as const)
      assert.equal(profile(read(toCii(spec, { profile: p }))), p);
    assert.equal(profile(read(toCii(spec, { zugferd1: true }))), 'EN 16931', 'ZUGFeRD 1 COMFORT is EN 16931');
    assert.equal(profile(read(toCii(spec, { zugferd1: true, profile: 'EXTENDED' }))), 'EXTENDED');
    assert.equal(profile(read(toUbl(spec, { customization: 'XRECHNUNG' }))), 'XRECHNUNG');
    assert.equal(profile(read(toUbl(spec, { customization: 'PEPPOL' }))), 'PEPPOL BIS Billing 3.0');
    const minimum = read(toCii(spec, { profile: 'MINIMUM' }));
    assert.equal(profile(minimum), 'MINIMUM');
    assert.equal(minimum.lineItems.length, 0);
    assert.equal(minimum.fields.total.value, eInvoiceAmounts(spec).grand);
    assert.ok(minimum.warnings.some((w) => /MINIMUM carries no invoice lines/.test(w)));
    assert.equal(profile(read(toCii(spec, { profile: 'BASIC WL' }))), 'BASIC WL');
  });

  test('a credit note (CII 381, UBL CreditNote) has negative amounts and says so', () => {
    const spec: EInvoiceSpec = { ...eInvoiceSpec(31), typeCode: '381' };
    const cii = read(toCii(spec));
    const ubl = read(toUbl(spec, { creditNote: true }));
    assert.deepEqual(values(cii), expectedFields(spec, true));
    assert.ok(cii.fields.total.value!.startsWith('-'));
    assert.deepEqual(values(ubl), values(cii));
    assert.deepEqual(lineValues(ubl), lineValues(cii));
    assert.ok(cii.lineItems.every((l) => l.amount.value!.startsWith('-') && !l.quantity.value!.startsWith('-')));
    assert.ok(cii.warnings.some((w) => /Credit note \(type code 381\)/.test(w)));
    assert.ok(ubl.warnings.some((w) => /Credit note/.test(w)));
  });

  test('prefixes are resolved from xmlns declarations, a BOM is skipped and UTF-16 is decoded', () => {
    const spec = eInvoiceSpec(41);
    const expected = values(read(toCii(spec)));
    const odd = toCii(spec, { prefixes: { rsm: 'inv', ram: 'a', udt: 'dt' } });
    assert.deepEqual(values(read(odd)), expected);
    assert.equal(
      readEInvoiceXml(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(toCii(spec))])).extraction.fields.total.value,
      expected.total,
    );
    const utf16 = Buffer.from(`\ufeff${toCii(spec).replace('encoding="UTF-8"', 'encoding="UTF-16"')}`, 'utf16le');
    assert.equal(readEInvoiceXml(new Uint8Array(utf16)).extraction.fields.vendorName.value, expected.vendorName);
    // UBL's default namespace (no prefix) on the root.
    assert.ok(toUbl(spec).includes('<Invoice xmlns="urn:oasis'));
  });

  test('the EN 16931 calculation rules catch sums that do not add up, and the invoice goes to review', () => {
    const spec = eInvoiceSpec(51, {
      allowancesCharges: [{ charge: false, amount: '10.00', vatRate: '19', reason: 'Discount' }],
    });
    const a = eInvoiceAmounts(spec);
    const cases: Array<[string, Partial<typeof a>, 'subtotal' | 'tax' | 'total']> = [
      ['BR-CO-10', { lineTotal: '1.00' }, 'subtotal'],
      ['BR-CO-13', { taxBasis: '999.99', grand: sum(['999.99', a.tax]), due: sum(['999.99', a.tax]) }, 'subtotal'],
      [
        'BR-CO-14',
        { tax: sum([a.tax, '0.05']), grand: sum([a.taxBasis, a.tax, '0.05']), due: sum([a.taxBasis, a.tax, '0.05']) },
        'tax',
      ],
      ['BR-CO-15', { grand: sum([a.grand, '1.00']), due: sum([a.grand, '1.00']) }, 'total'],
      ['BR-CO-16', { due: sum([a.due, '-3.00']) }, 'total'],
      ['BR-CO-11', { allowances: '11.00' }, 'subtotal'],
    ];
    for (const [rule, totals, field] of cases) {
      for (const e of [read(toCii(spec, { totals })), read(toUbl(spec, { totals }))]) {
        assert.ok(
          e.warnings.some((w) => w.startsWith(`${rule}:`)),
          `${rule}: ${e.warnings.join(' | ')}`,
        );
        assert.equal(e.fields[field].confidence, 0.5, rule);
        assert.ok(e.fields[field].notes.some((n) => n.startsWith(`${rule}:`)));
        assert.ok(
          e.confidence < 0.95 || field === 'tax' || field === 'subtotal',
          `${rule} lowers the overall confidence when it touches the total`,
        );
      }
    }
    const vatSlip = structuredClone(a);
    vatSlip.vat[0]!.tax = sum([vatSlip.vat[0]!.tax, '0.50']);
    const e = read(toCii(spec, { totals: { vat: vatSlip.vat } }));
    assert.ok(
      e.warnings.some((w) => w.startsWith('BR-CO-17:')) && e.warnings.some((w) => w.startsWith('BR-CO-14:')),
      e.warnings.join(' | '),
    );
  });

  test('a prepayment: the total is the gross (BT-112), the amount due (BT-115) its own field, in CII and UBL', () => {
    const spec = eInvoiceSpec(52, { prepaid: '50.00' });
    const a = eInvoiceAmounts(spec);
    for (const e of [read(toCii(spec)), read(toUbl(spec))]) {
      assert.equal(e.fields.total.value, a.grand);
      assert.equal(e.fields.amountDue.value, a.due);
      assert.equal(e.fields.amountDue.provenance?.label, 'BT-115 amount due for payment');
      assert.ok(
        e.fields.amountDue.notes.includes('Paid in advance (BT-113): 50.00.'),
        e.fields.amountDue.notes.join(' | '),
      );
      assert.equal(e.confidence, 1, e.warnings.join(' | '));
    }
    // BR-CO-16 (total − paid ≠ due) doubts the amount due as well as the total
    const slip = read(toCii(spec, { totals: { due: sum([a.due, '-3.00']) } }));
    assert.equal(slip.fields.amountDue.confidence, 0.5);
    assert.ok(slip.fields.amountDue.notes.some((n) => n.startsWith('BR-CO-16:')));
  });

  test('an invoice without a PO reference is read but cannot be confident: matching needs BT-13', () => {
    const spec = eInvoiceSpec(61, { poNumber: undefined });
    const e = read(toUbl(spec));
    assert.equal(e.fields.poNumbers.value, null);
    assert.equal(e.confidence, 0);
    assert.ok(e.warnings.some((w) => /purchase order reference \(BT-13\)/.test(w)));
  });
});

describe('detection', () => {
  test('isEInvoiceXml recognises CII, ZUGFeRD 1 and UBL roots and nothing else', () => {
    const spec = eInvoiceSpec(71);
    assert.ok(isEInvoiceXml(utf8(toCii(spec))));
    assert.ok(isEInvoiceXml(utf8(toCii(spec, { zugferd1: true }))));
    assert.ok(isEInvoiceXml(utf8(toUbl(spec))));
    assert.ok(isEInvoiceXml(utf8(toUbl(spec, { creditNote: true }))));
    assert.ok(isEInvoiceXml(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`<!-- exported -->\n${toUbl(spec)}`)])));
    assert.ok(
      !isEInvoiceXml(
        utf8('<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'),
      ),
    );
    assert.ok(!isEInvoiceXml(utf8('<?xml version="1.0"?><Invoice xmlns="urn:example:not-ubl"/>')));
    assert.ok(!isEInvoiceXml(utf8('<!doctype html><html><body>Invoice</body></html>')));
    assert.ok(!isEInvoiceXml(utf8('%PDF-1.7 ...')));
  });

  test('uploads: an e-invoice XML is accepted as application/xml; other XML is refused with what it is', async () => {
    const spec = eInvoiceSpec(72);
    assert.deepEqual(await inspectDocument(utf8(toUbl(spec)), 'inv.xml'), {
      mimeType: 'application/xml',
      pageCount: 0,
    });
    await assert.rejects(
      inspectDocument(utf8('<?xml version="1.0"?><catalog xmlns="urn:x"><item/></catalog>'), 'c.xml'),
      (err: Error & { kind?: string }) => {
        assert.equal(err.kind, 'unsupported_type');
        assert.match(err.message, /root element catalog, not an e-invoice/);
        return true;
      },
    );
  });

  for (const name of [
    'factur-x.xml',
    'zugferd-invoice.xml',
    'ZUGFeRD-invoice.xml',
    'xrechnung.xml',
    'Rechnung_4711.xml',
  ]) {
    test(`a PDF with the invoice attached as ${name} is read from its XML`, async () => {
      const spec = eInvoiceSpec(80 + name.length);
      const pdf = await makeFacturXPdf(spec, {
        attachmentName: name,
        conformanceLevel: name === 'Rechnung_4711.xml' ? null : 'EN 16931',
      });
      const e = await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'hybrid.pdf' });
      assert.equal(e.extractor, 'einvoice-cii@1');
      assert.deepEqual(values(e), expectedFields(spec));
      assert.equal(e.confidence, 1, e.warnings.join(' | '));
      assert.equal(e.pageCount, 1);
      assert.equal(e.pages.length, 1, 'page sizes come from the PDF');
      assert.ok(
        e.fields.invoiceNumber.notes.includes('The PDF text shows the same invoice number.'),
        e.fields.invoiceNumber.notes.join(' | '),
      );
      assert.ok(e.fields.total.notes.includes('The PDF text shows the same total.'), e.fields.total.notes.join(' | '));
    });
  }

  test('a PDF attachment that is some other XML is not taken for an invoice', async () => {
    const pdf = await makeFacturXPdf(eInvoiceSpec(90), {
      attachmentName: 'packing-list.xml',
      xml: '<?xml version="1.0"?><packingList/>',
      conformanceLevel: null,
    });
    const e = await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'p.pdf' });
    assert.equal(e.extractor.startsWith('einvoice'), false);
    assert.equal(await readEInvoice({ bytes: pdf, mimeType: 'application/pdf', fileName: 'p.pdf' }), null);
  });

  test('a plain PDF has no e-invoice stage result', async () => {
    const pdf = await makeInvoicePdf({
      invoiceNumber: 'A-1',
      vendorName: 'Acme',
      invoiceDate: '2026-10-01',
      lines: [{ description: 'Bolt', quantity: 1, unitPrice: '1.00' }],
    });
    assert.equal(await readEInvoice({ bytes: pdf, mimeType: 'application/pdf', fileName: 'a.pdf' }), null);
  });

  test('XMP and XML disagreeing on the profile is a warning', async () => {
    const spec = eInvoiceSpec(91);
    const pdf = await makeFacturXPdf(spec, { xml: toCii(spec, { profile: 'EXTENDED' }), conformanceLevel: 'BASIC' });
    const e = await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'x.pdf' });
    assert.ok(
      e.warnings.some((w) => /metadata declares the profile BASIC, but the embedded XML says EXTENDED/.test(w)),
      e.warnings.join(' | '),
    );
  });

  test('a PDF whose metadata announces an attachment it does not have falls back to visual reading with a warning', async () => {
    const spec = eInvoiceSpec(92);
    const pdf = await makeFacturXPdf(spec, { attachmentName: null, conformanceLevel: 'EN 16931' });
    const e = await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'x.pdf' });
    assert.ok(!e.extractor.startsWith('einvoice'));
    assert.match(
      e.warnings[0] ?? '',
      /announces an embedded e-invoice "factur-x.xml", but the PDF has no such attachment/,
    );
  });
});

describe('cross-check against the visible PDF', () => {
  test('invoice number, total and PO that differ between page and XML are warnings with both values, and force review', async () => {
    const spec = eInvoiceSpec(101);
    const pdf = await makeFacturXPdf(spec, {
      printed: { invoiceNumber: 'RE-2026-99999', total: '1.00', poNumber: '4599999999' },
    });
    const e = await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'x.pdf' });
    assert.equal(e.fields.invoiceNumber.value, spec.invoiceNumber, 'the XML value stays');
    assert.equal(e.fields.invoiceNumber.confidence, 0.5);
    assert.ok(
      e.warnings.includes(
        `The PDF shows invoice number RE-2026-99999, but its embedded XML says ${spec.invoiceNumber}.`,
      ),
      e.warnings.join(' | '),
    );
    assert.ok(
      e.warnings.some((w) => w.startsWith('The PDF shows the total 1.00')),
      e.warnings.join(' | '),
    );
    assert.ok(
      e.warnings.some((w) => w.startsWith('The PDF shows PO 4599999999')),
      e.warnings.join(' | '),
    );
    assert.equal(e.confidence, 0.5);
  });
});

function sum(values: string[]): string {
  const cents = values.reduce((s, v) => s + Math.round(Number(v) * 100), 0);
  return `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}
