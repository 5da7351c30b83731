// The AI model's line items against the text reading's, through the whole extractor and a local
// OpenAI-compatible server: the set whose amounts add up to the subtotal wins, agreement raises confidence,
// and a model answer that is wrong, out of schema or about an e-invoice never replaces what the text says.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { z } from 'zod';
import { createExtractor } from '../../extract/index.js';
import { createModelReader } from '../../extract/model/client.js';
import { ModelInvoice, ModelLineItem } from '../../extract/model/schema.js';
import { eInvoiceSpec, makeFacturXPdf } from '../../testkit/einvoice.js';
import { useFakeOpenAI } from '../support/fake-openai.js';
import { invoiceTotals, makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';

const fake = useFakeOpenAI();

const withModel = () =>
  createExtractor({
    model: {
      reader: createModelReader({
        apiKey: fake.apiKey,
        baseUrl: fake.url,
        model: fake.model,
        timeoutMs: 5_000,
        maxRetries: 0,
      }),
    },
  });
const pdf = (bytes: Uint8Array, fileName: string) => ({ bytes, mimeType: 'application/pdf', fileName });
const line = (
  description: string,
  quantity: string | null,
  unitPrice: string | null,
  amount: string,
  page = 1,
): ModelLineItem => ({ description, quantity, unitPrice, amount, partNumber: null, poLine: null, page });

interface Row {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  pasted?: boolean;
}

/**
 * A one-page invoice whose table rows are text, except "pasted" rows: a picture of the row (as when a
 * vendor's system stamps scanned lines into the PDF), which the text reading cannot see. The subtotal is
 * printed as given, so a test can print one the lines do not make.
 */
async function tableInvoice(opts: {
  invoiceNumber: string;
  rows: Row[];
  subtotal: string;
  tax: string;
  total: string;
  pastedSubtotal?: boolean;
  totalsBlock?: Array<[string, string]>;
}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const [regular, bold] = [
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  ];
  const write = (text: string, x: number, y: number, strong = false, align: 'left' | 'right' = 'left') => {
    const font = strong ? bold : regular;
    page.drawText(text, { x: align === 'right' ? x - font.widthOfTextAtSize(text, 10) : x, y, size: 10, font });
  };
  const picture = await doc.embedPng(
    await sharp({ create: { width: 1024, height: 28, channels: 3, background: '#d8d8d8' } })
      .png()
      .toBuffer(),
  );
  write('Ridgeway Castings Inc.', 50, 740, true);
  write('INVOICE', 562, 740, true, 'right');
  [
    ['Invoice Number:', opts.invoiceNumber],
    ['Invoice Date:', '03/14/2026'],
    ['P.O. Number', '0558210'],
  ].forEach(([label, value], i) => {
    write(label!, 50, 680 - i * 15, true);
    write(value!, 160, 680 - i * 15);
  });
  let y = 560;
  write('Description', 50, y, true);
  write('Qty', 360, y, true, 'right');
  write('Unit Price', 460, y, true, 'right');
  write('Amount', 562, y, true, 'right');
  for (const row of opts.rows) {
    y -= 16;
    if (row.pasted) {
      page.drawImage(picture, { x: 50, y: y - 3, width: 512, height: 14 });
      continue;
    }
    write(row.description, 50, y);
    write(row.quantity, 360, y, false, 'right');
    write(`$${row.unitPrice}`, 460, y, false, 'right');
    write(`$${row.amount}`, 562, y, false, 'right');
  }
  y -= 14;
  for (const [label, amount] of opts.totalsBlock ?? [
    ['Subtotal', opts.subtotal],
    ['Sales Tax 8.25%', opts.tax],
    ['Total', opts.total],
  ]) {
    y -= 16;
    if (label === 'Subtotal' && opts.pastedSubtotal) {
      page.drawImage(picture, { x: 360, y: y - 3, width: 202, height: 14 });
      continue;
    }
    write(label, 360, y, true);
    write(`$${amount}`, 562, y, label === 'Total', 'right');
  }
  return doc.save();
}

const ROWS: Row[] = [
  { description: 'Gray iron housing GH-220', quantity: '40', unitPrice: '18.75', amount: '750.00' },
  { description: 'Ductile bracket DB-14', quantity: '120', unitPrice: '4.10', amount: '492.00', pasted: true },
  { description: 'Machining setup charge', quantity: '1', unitPrice: '85.00', amount: '85.00' },
];
const modelRows = (rows: Row[]) => rows.map((r) => line(r.description, r.quantity, r.unitPrice, r.amount));
// 750.00 + 492.00 + 85.00 = 1327.00; tax 8.25% = 109.48 (rounded half up from 109.4775); total 1436.48
const PRINTED = { subtotal: '1327.00', tax: '109.48', total: '1436.48' };

const spec = (n: string): InvoiceSpec => ({
  invoiceNumber: `INV-${n}`,
  vendorName: 'Acme Fasteners Inc.',
  invoiceDate: '2026-03-14',
  poNumber: `0${n}`,
  taxRate: '8.25',
  lines: [
    { description: 'Hex bolt M8x40, zinc', quantity: 200, unitPrice: '0.35' },
    { description: 'Lock washer M8', quantity: 200, unitPrice: '0.05' },
  ],
});
const truthLines = (s: InvoiceSpec) =>
  s.lines.map((l, i) => line(l.description, String(l.quantity), l.unitPrice, invoiceTotals(s).lineAmounts[i]!));

describe('line items read by the AI model', () => {
  test('the model fixes a table the text reading misread: its lines add up to the subtotal and are taken', async () => {
    const bytes = await tableInvoice({ invoiceNumber: 'RC-5101', rows: ROWS, ...PRINTED });
    fake.scenario('RC-5101', { invoiceNumber: 'RC-5101', subtotal: PRINTED.subtotal, lineItems: modelRows(ROWS) });
    const plain = await createExtractor().extract(pdf(bytes, 'rc.pdf'));
    assert.equal(plain.lineItems.length, 2, 'the text reading cannot see the pasted row');
    assert.ok(
      plain.warnings.some((w) => /^The 2 line amounts add up to 835\.00/.test(w)),
      plain.warnings.join(' | '),
    );

    const merged = await withModel().extract(pdf(bytes, 'rc.pdf'));
    assert.deepEqual(fake.requests[0]?.violations, []);
    assert.deepEqual(
      merged.lineItems.map((i) => [i.description.value, i.quantity.value, i.unitPrice.value, i.amount.value]),
      ROWS.map((r) => [r.description, r.quantity, r.unitPrice, r.amount]),
    );
    assert.ok(merged.lineItems.every((i) => i.amount.provenance?.source === 'model' && i.amount.provenance.page === 1));
    const [first, pasted] = [merged.lineItems[0]!, merged.lineItems[1]!];
    assert.ok(
      first.description.provenance?.box && Math.abs(first.description.provenance.box.x - 50) < 2,
      JSON.stringify(first.description.provenance),
    );
    assert.ok(
      first.amount.provenance?.box && first.amount.provenance.box.x > 500,
      "the amount is found on the description's row",
    );
    assert.equal(first.description.confidence, 0.8);
    assert.equal(pasted.description.provenance?.box, undefined, 'a row that is a picture has no box');
    assert.equal(pasted.description.confidence, 0.5);
    assert.ok(pasted.description.notes.some((n) => /not found in the document text/.test(n)));
    assert.ok(
      merged.warnings.some((w) =>
        w.includes(
          "The line items read from the text (2 lines, 835.00) do not add up to the subtotal 1327.00; the AI model's 3 lines add up to it and were taken instead (2 of 3 found on the page)",
        ),
      ),
      merged.warnings.join(' | '),
    );
    assert.ok(
      !merged.warnings.some((w) => /^The 2 line amounts add up to/.test(w)),
      "the text reading's warning is replaced by the explanation",
    );
    assert.ok(merged.fields.subtotal.notes.includes("Matches the sum of the AI model's 3 lines."));
    assert.deepEqual(merged.fields.invoiceNumber.value, plain.fields.invoiceNumber.value);
  });

  test("a table that is wholly a picture: the text reads no lines, the model's add up and are taken", async () => {
    const rows = ROWS.map((r) => ({ ...r, pasted: true }));
    const bytes = await tableInvoice({ invoiceNumber: 'RC-5102', rows, ...PRINTED });
    fake.scenario('RC-5102', { lineItems: modelRows(rows) });
    const merged = await withModel().extract(pdf(bytes, 'rc.pdf'));
    assert.equal(merged.lineItems.length, 3);
    assert.ok(
      merged.lineItems.every((i) => i.description.provenance?.source === 'model' && !i.description.provenance.box),
    );
    assert.ok(
      merged.warnings.some((w) =>
        w.startsWith(
          "No line items were read from the text; the AI model's 3 lines add up to it and were taken instead (0 of 3 found on the page)",
        ),
      ),
      merged.warnings.join(' | '),
    );
  });

  test('both add up: the text reading stays, with its boxes, and gains confidence', async () => {
    const s = spec('51001');
    fake.scenario(s.invoiceNumber, {
      invoiceNumber: s.invoiceNumber,
      subtotal: invoiceTotals(s).subtotal,
      lineItems: truthLines(s),
    });
    const bytes = await makeInvoicePdf(s);
    const plain = await createExtractor().extract(pdf(bytes, 'a.pdf'));
    const merged = await withModel().extract(pdf(bytes, 'a.pdf'));
    assert.equal(merged.lineItems.length, 2);
    merged.lineItems.forEach((item, i) => {
      const before = plain.lineItems[i]!;
      assert.deepEqual(item.amount.provenance, before.amount.provenance, 'the text reading and its box stay');
      assert.equal(item.amount.provenance?.source, 'text');
      assert.ok(
        item.amount.confidence > before.amount.confidence,
        `${item.amount.confidence} > ${before.amount.confidence}`,
      );
      assert.ok(item.description.confidence > before.description.confidence);
      assert.ok(item.quantity.notes.includes('The AI model read the same quantity.'));
      assert.ok(item.amount.notes.includes('The AI model read the same amount.'));
    });
    assert.ok(!merged.warnings.some((w) => /line/.test(w)), merged.warnings.join(' | '));
  });

  test('lines plus a charge printed above the subtotal make it: both readings agree', async () => {
    const rows = ROWS.map((r) => ({ ...r, pasted: false }));
    const totalsBlock: Array<[string, string]> = [
      ['Goods total', '1327.00'],
      ['Packing', '25.00'],
      ['Net Total', '1352.00'],
      ['Sales Tax 8.25%', '111.54'],
      ['Total', '1463.54'],
    ];
    const bytes = await tableInvoice({ invoiceNumber: 'RC-5106', rows, ...PRINTED, totalsBlock });
    fake.scenario('RC-5106', { lineItems: modelRows(rows) });
    const plain = await createExtractor().extract(pdf(bytes, 'rc.pdf'));
    assert.equal(plain.fields.subtotal.value, '1352.00');
    assert.ok(
      plain.fields.subtotal.notes.some((n) => /^Matches the sum of 3 line amounts 1327\.00 \+ Packing 25\.00/.test(n)),
      plain.fields.subtotal.notes.join(' | '),
    );
    const merged = await withModel().extract(pdf(bytes, 'rc.pdf'));
    assert.deepEqual(
      merged.lineItems.map((i) => i.amount.provenance?.source),
      ['text', 'text', 'text'],
    );
    assert.ok(merged.lineItems.every((i, n) => i.amount.confidence > plain.lineItems[n]!.amount.confidence));
    assert.deepEqual(merged.warnings, plain.warnings);
  });

  test('neither adds up: the text reading stays and a warning says so', async () => {
    // The vendor printed a subtotal the lines do not make (and tax and total from it).
    const rows = ROWS.map((r) => ({ ...r, pasted: false }));
    const bytes = await tableInvoice({
      invoiceNumber: 'RC-5103',
      rows,
      subtotal: '1372.00',
      tax: '113.19',
      total: '1485.19',
    });
    fake.scenario('RC-5103', { lineItems: modelRows(rows) });
    const plain = await createExtractor().extract(pdf(bytes, 'rc.pdf'));
    const merged = await withModel().extract(pdf(bytes, 'rc.pdf'));
    assert.deepEqual(merged.lineItems, plain.lineItems);
    assert.ok(
      merged.warnings.some((w) =>
        w.startsWith(
          "Neither the line items read from the text (3 lines, 1327.00) nor the AI model's (3 lines, 1327.00) add up to the subtotal 1372.00; the text reading's were kept",
        ),
      ),
      merged.warnings.join(' | '),
    );
  });

  test("a subtotal only the model read, printed nowhere in the text, does not vouch for the model's lines", async () => {
    const bytes = await tableInvoice({ invoiceNumber: 'RC-5105', rows: ROWS, ...PRINTED, pastedSubtotal: true });
    fake.scenario('RC-5105', { subtotal: PRINTED.subtotal, lineItems: modelRows(ROWS) });
    const plain = await createExtractor().extract(pdf(bytes, 'rc.pdf'));
    assert.equal(plain.fields.subtotal.value, null);
    const merged = await withModel().extract(pdf(bytes, 'rc.pdf'));
    assert.equal(merged.fields.subtotal.provenance?.source, 'model');
    assert.deepEqual(merged.lineItems, plain.lineItems);
    assert.ok(
      merged.warnings.some((w) =>
        w.includes(
          "(the subtotal was read by the AI model only and is not in the document text, so it cannot check the model's lines)",
        ),
      ),
      merged.warnings.join(' | '),
    );
  });

  test('model lines that do not add up leave the text reading, which does, as it was', async () => {
    const s = spec('51002');
    const wrong = truthLines(s).map((l, i) => (i === 0 ? { ...l, amount: '700.00' } : l));
    fake.scenario(s.invoiceNumber, { lineItems: [...wrong, line('Freight', null, null, '12.00')] });
    const bytes = await makeInvoicePdf(s);
    const plain = await createExtractor().extract(pdf(bytes, 'a.pdf'));
    const merged = await withModel().extract(pdf(bytes, 'a.pdf'));
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(merged.lineItems, plain.lineItems);
    assert.deepEqual(merged.warnings, plain.warnings);
  });

  test('a line item outside the schema refuses the whole answer; the text reading stands', async () => {
    const s = spec('51003');
    fake.scenario(s.invoiceNumber, { invoiceNumber: 'INV-OTHER', lineItems: truthLines(s) });
    fake.queue({ kind: 'schema_violation', in: 'lineItem' });
    const bytes = await makeInvoicePdf(s);
    const plain = await createExtractor().extract(pdf(bytes, 'a.pdf'));
    const merged = await withModel().extract(pdf(bytes, 'a.pdf'));
    assert.equal(fake.requests[0]?.answeredWith, 'schema_violation');
    assert.ok(
      merged.warnings.some((w) => /did not fit the schema \(lineItems\.0\.amount:/.test(w)),
      merged.warnings.join(' | '),
    );
    assert.deepEqual(merged.fields, plain.fields, 'no header field of the refused answer is used either');
    assert.deepEqual(merged.lineItems, plain.lineItems);
    assert.equal(merged.model?.disagreements.length, 0);
  });

  test('a line the model puts on a page the document does not have discards its lines', async () => {
    const bytes = await tableInvoice({ invoiceNumber: 'RC-5104', rows: ROWS, ...PRINTED });
    fake.scenario('RC-5104', { lineItems: modelRows(ROWS).map((l, i) => (i === 1 ? { ...l, page: 3 } : l)) });
    const plain = await createExtractor().extract(pdf(bytes, 'rc.pdf'));
    const merged = await withModel().extract(pdf(bytes, 'rc.pdf'));
    assert.deepEqual(merged.lineItems, plain.lineItems);
    assert.ok(
      merged.warnings.includes(
        'The AI model put a line item on page 3 of a 1-page document; its line items were ignored.',
      ),
      merged.warnings.join(' | '),
    );
  });

  test('an e-invoice is never sent to the model: its exact lines stand', async () => {
    const e = eInvoiceSpec(7);
    fake.scenario(e.invoiceNumber, { lineItems: [line('Invented line', '1', '1.00', '1.00')] });
    const merged = await withModel().extract(pdf(await makeFacturXPdf(e), 'fx.pdf'));
    assert.equal(fake.requests.length, 0);
    assert.equal(merged.lineItems.length, e.lines.length);
    assert.ok(merged.lineItems.every((i) => i.amount.provenance?.source === 'einvoice'));
    assert.equal(merged.model, undefined);
  });

  test('the fake server refuses a response schema without line items or the amount due, or with line items short of a field', async () => {
    const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
    const ask = (schema: z.ZodObject) =>
      client.chat.completions.create({
        model: fake.model,
        response_format: zodResponseFormat(schema, 'invoice_fields'),
        messages: [
          { role: 'system', content: 'Read the invoice.' },
          { role: 'user', content: '--- page 1 (612x792 pt) ---\ny=700 | x=50 Invoice' },
        ],
      });
    await assert.rejects(
      ask(ModelInvoice.omit({ lineItems: true })),
      (err: unknown) => err instanceof OpenAI.BadRequestError && /schema must require .*lineItems/.test(err.message),
    );
    await assert.rejects(
      ask(ModelInvoice.omit({ amountDue: true })),
      (err: unknown) => err instanceof OpenAI.BadRequestError && /schema must require .*amountDue/.test(err.message),
    );
    await assert.rejects(
      ask(ModelInvoice.extend({ lineItems: z.array(ModelLineItem.omit({ page: true })) })),
      (err: unknown) => err instanceof OpenAI.BadRequestError && /line items must require .*page/.test(err.message),
    );
    const answered = await ask(ModelInvoice);
    const answer = JSON.parse(answered.choices[0]!.message.content!) as { lineItems: unknown[]; amountDue?: unknown };
    assert.deepEqual(answer.lineItems, []);
    assert.equal(answer.amountDue, null, 'every key of the strict schema answered, null when not read');
  });
});
