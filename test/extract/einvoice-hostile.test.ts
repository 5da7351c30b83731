// Hostile and broken e-invoices each get one clear outcome: XXE and entity bombs are refused before any
// parsing (no file read, no request made), oversized and truncated files are refused with the reason,
// wrong namespaces are named, numbers that are not xs:decimal are reported instead of guessed, and a
// broken XML inside a PDF falls back to reading the PDF with a warning.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createExtractor, DocumentError, inspectDocument } from '../../extract/index.js';
import { readEInvoiceXml } from '../../extract/einvoice/index.js';
import { eInvoiceSpec, makeFacturXPdf, toCii, toUbl } from '../../testkit/einvoice.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const extractor = createExtractor();
const spec = eInvoiceSpec(7);

/** Asserts the XML is refused by the reader, the upload check and the extractor alike, with this kind and message. */
async function refused(xml: string | Uint8Array, kind: string, message: RegExp) {
  const bytes = typeof xml === 'string' ? utf8(xml) : xml;
  const check = (err: unknown) => {
    assert.ok(err instanceof DocumentError, String(err));
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    return true;
  };
  assert.throws(() => readEInvoiceXml(bytes), check);
  await assert.rejects(inspectDocument(bytes, 'hostile.xml'), check);
  await assert.rejects(extractor.extract({ bytes, mimeType: 'application/xml', fileName: 'hostile.xml' }), check);
}

describe('hostile e-invoice XML', () => {
  test('XXE: an external entity is refused with the DOCTYPE, and nothing is fetched', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('secret');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const xml = toCii(spec)
        .replace(
          '<?xml version="1.0" encoding="UTF-8"?>',
          `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rsm:CrossIndustryInvoice [\n  <!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/steal">\n  <!ENTITY file SYSTEM "file:///etc/passwd">\n]>`,
        )
        .replace(spec.invoiceNumber, '&xxe;&file;');
      await refused(xml, 'unsupported_type', /DOCTYPE\/ENTITY declaration.*refused/);
      assert.equal(requests, 0, 'the external entity was never requested');
    } finally {
      server.close();
    }
  });

  test('billion laughs: entity expansion is refused before it can start', async () => {
    const lol = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ].join('\n');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${lol}\n]>\n<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&lol9;</rsm:CrossIndustryInvoice>`;
    await refused(xml, 'unsupported_type', /DOCTYPE/);
  });

  test('a 50 MB XML is refused by size, before it is decoded or parsed', async () => {
    const base = toUbl(spec);
    const note = `<cbc:Note>${'x'.repeat(1024 * 1024)}</cbc:Note>`;
    const xml = base.replace('<cbc:DocumentCurrencyCode>', `${note.repeat(50)}<cbc:DocumentCurrencyCode>`);
    const bytes = utf8(xml);
    assert.ok(bytes.byteLength > 50 * 1024 * 1024);
    await refused(bytes, 'too_large', /is 50\.\d MB; e-invoices larger than 10\.0 MB are refused/);
  });

  test('a root element in the wrong namespace is named, with the namespace expected', async () => {
    const xml = toCii(spec).replace(
      'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"',
      'xmlns:rsm="urn:example:CrossIndustryInvoice"',
    );
    await refused(
      xml,
      'unsupported_type',
      /root element rsm:CrossIndustryInvoice is in the namespace "urn:example:CrossIndustryInvoice", not "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"|CrossIndustryInvoice in the namespace "urn:example:CrossIndustryInvoice"/,
    );
  });

  test('the right root with its content in the wrong namespace says where the elements were expected', () => {
    const xml = toCii(spec).replace(
      'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"',
      'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"',
    );
    assert.throws(
      () => readEInvoiceXml(utf8(xml)),
      (err: DocumentError) => {
        assert.equal(err.kind, 'corrupt');
        assert.match(
          err.message,
          /no invoice number, seller or total.*another namespace \(expected urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\)/,
        );
        return true;
      },
    );
  });

  test('a truncated file is not well-formed, with the line and column', async () => {
    const xml = toCii(spec);
    await refused(xml.slice(0, Math.floor(xml.length * 0.6)), 'corrupt', /not well-formed \(line \d+, column \d+\)/);
  });

  test('an undeclared entity and an unbound prefix are refused', async () => {
    await refused(
      toUbl(spec).replace(spec.seller.name.split(' ')[0]!, 'Caf&eacute;'),
      'corrupt',
      /undeclared entity &eacute;/,
    );
    await refused(
      toUbl(spec).replace('<cbc:ID>', '<x:ID>').replace('</cbc:ID>', '</x:ID>'),
      'corrupt',
      /prefix "x:" without declaring its namespace/,
    );
  });

  test('numbers with commas are reported and left for a clerk, never reinterpreted', () => {
    for (const written of ['1.234,56', '1,234.56', '1 234,56']) {
      const xml = toCii(spec, { totals: { grand: written } });
      const e = readEInvoiceXml(utf8(xml)).extraction;
      assert.equal(e.fields.total.value, null, written);
      assert.equal(e.fields.total.confidence, 0);
      assert.equal(e.confidence, 0, 'the invoice goes to review');
      assert.ok(
        e.warnings.some(
          (w) => w.includes(`BT-112 total with VAT "${written}"`) && w.includes('is not a decimal number'),
        ),
        e.warnings.join(' | '),
      );
    }
    const ubl = readEInvoiceXml(
      utf8(toUbl(spec).replace(/<cbc:PriceAmount currencyID="(\w+)">[^<]+</, '<cbc:PriceAmount currencyID="$1">3,50<')),
    ).extraction;
    assert.equal(ubl.lineItems[0]!.unitPrice.value, null);
    assert.ok(ubl.warnings.some((w) => /BT-146 item net price "3,50"/.test(w)));
  });

  test('a date that is not format 102 or not a calendar date is reported', () => {
    const bad = readEInvoiceXml(utf8(toCii(spec).replace(/format="102">\d{8}/, 'format="102">20261341'))).extraction;
    assert.equal(bad.fields.invoiceDate.value, null);
    assert.ok(
      bad.warnings.some((w) => /BT-2 invoice date 2026-13-41 .* is not a calendar date/.test(w)),
      bad.warnings.join(' | '),
    );
    const other = readEInvoiceXml(utf8(toCii(spec).replace(/format="102">(\d{8})/, 'format="610">202610'))).extraction;
    assert.ok(
      other.warnings.some((w) => /\(format 610\).*not a date in format 102/.test(w)),
      other.warnings.join(' | '),
    );
  });

  test('an encoding the XML declares but does not use is refused', async () => {
    const latin1 = new Uint8Array([
      ...utf8(
        '<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>M',
      ),
      0xfc,
      ...utf8('ller</ID></Invoice>'),
    ]);
    await refused(latin1, 'corrupt', /not valid utf-8/i);
  });
});

describe('broken XML inside a PDF', () => {
  for (const [what, xml] of [
    ['truncated', toCii(spec).slice(0, 900)],
    [
      'with a DOCTYPE',
      `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${toCii(spec).replace(/^<\?xml[^>]*>/, '')}`,
    ],
    [
      'in the wrong namespace',
      toCii(spec).replace(/urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100/, 'urn:example'),
    ],
  ] as const) {
    test(`an embedded factur-x.xml ${what} falls back to visual extraction with a warning`, async () => {
      const pdf = await makeFacturXPdf(spec, { xml });
      const e = await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'hybrid.pdf' });
      assert.ok(!e.extractor.startsWith('einvoice'), e.extractor);
      assert.match(
        e.warnings[0] ?? '',
        /^The embedded e-invoice factur-x\.xml cannot be read: .+ The PDF was read visually instead\.$/,
      );
      assert.equal(e.fields.invoiceNumber.value, spec.invoiceNumber, 'the page still gives the invoice number');
      assert.equal(e.fields.invoiceNumber.provenance?.source, 'text');
    });
  }
});
