// The optional AI model, against a local OpenAI-compatible server that checks each request: what is
// sent, how its answer is merged with the text reading, and every way a provider can let us down.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { createExtractor } from '../../extract/index.js';
import { createModelReader } from '../../extract/model/client.js';
import { modelStageFromConfig } from '../../extract/model/index.js';
import { ModelInvoice } from '../../extract/model/schema.js';
import { createModelMetrics } from '../../observability/metrics.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';
import { EMPTY_MODEL_ANSWER, useFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { scanOf } from '../../testkit/scan.js';
import { invoiceTotals, makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { makeVendorInvoicePdf, NORTHBEAM } from '../support/vendor-invoice.js';

const fake = useFakeOpenAI();

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

function extractorWith(
  opts: {
    timeoutMs?: number;
    maxRetries?: number;
    model?: string;
    onUsage?: Parameters<typeof createModelReader>[0]['onUsage'];
  } = {},
) {
  const reader = createModelReader({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    model: opts.model ?? fake.model,
    timeoutMs: opts.timeoutMs ?? 5_000,
    maxRetries: opts.maxRetries ?? 2,
    onUsage: opts.onUsage,
  });
  return createExtractor({ model: { reader } });
}

const pdfDoc = async (s: InvoiceSpec) => ({
  bytes: await makeInvoicePdf(s),
  mimeType: 'application/pdf',
  fileName: `${s.invoiceNumber}.pdf`,
});

/** What the fake answers for a spec: exactly what is printed. */
function truthOf(s: InvoiceSpec) {
  const totals = invoiceTotals(s);
  return {
    invoiceNumber: s.invoiceNumber,
    invoiceDate: s.invoiceDate,
    vendorName: s.vendorName,
    currency: 'USD',
    subtotal: totals.subtotal,
    tax: totals.tax,
    total: totals.total,
    poNumbers: [s.poNumber!],
  };
}

describe('AI model (optional)', () => {
  test('sends the positioned page text with the strict schema, and agreement raises confidence', async () => {
    const s = spec('41001');
    fake.scenario(s.invoiceNumber, truthOf(s));
    const usage: Array<{ promptTokens: number; completionTokens: number; outcome: string }> = [];
    const plain = await createExtractor().extract(await pdfDoc(s));
    const merged = await extractorWith({ onUsage: (u) => usage.push(u) }).extract(await pdfDoc(s));

    assert.equal(fake.requests.length, 1);
    const request = fake.requests[0]!;
    assert.deepEqual(request.violations, []);
    assert.match(request.text, /--- page 1 \(612x792 pt/);
    assert.match(request.text, /y=\d+ \| x=\d+ Invoice Number: \| x=\d+ INV-41001/);
    assert.equal(request.images.length, 0, 'a text PDF is sent as text only');

    assert.equal(merged.fields.invoiceNumber.value, 'INV-41001');
    assert.ok(
      merged.fields.invoiceNumber.confidence > plain.fields.invoiceNumber.confidence,
      `${merged.fields.invoiceNumber.confidence} > ${plain.fields.invoiceNumber.confidence}`,
    );
    assert.ok(merged.fields.invoiceNumber.notes.includes('The AI model read the same value.'));
    assert.equal(merged.fields.invoiceNumber.provenance?.source, 'text');
    assert.equal(merged.model?.model, fake.model);
    assert.ok((merged.model?.promptTokens ?? 0) > 300, `prompt tokens ${merged.model?.promptTokens}`);
    assert.deepEqual(merged.model?.disagreements, []);
    assert.equal(usage.length, 1);
    assert.equal(usage[0]!.outcome, 'answered');
    assert.equal(usage[0]!.promptTokens, merged.model?.promptTokens);
  });

  test('a disagreement keeps the text reading, shows the model value as the alternative and sends the invoice to review', async () => {
    const s = spec('41002');
    fake.scenario(s.invoiceNumber, { ...truthOf(s), invoiceNumber: 'INV-41O02', total: '999.99' });
    const merged = await extractorWith().extract(await pdfDoc(s));
    const total = merged.fields.total;
    assert.equal(total.value, invoiceTotals(s).total, 'the arithmetic-checked text reading stays');
    assert.ok(total.confidence <= 0.5);
    assert.deepEqual(
      total.alternatives?.map((a) => [a.value, a.source]),
      [['999.99', 'model']],
    );
    assert.equal(merged.fields.invoiceNumber.value, 'INV-41002');
    assert.equal(merged.fields.invoiceNumber.alternatives?.[0]?.value, 'INV-41O02');
    assert.ok(merged.confidence <= 0.6, `overall ${merged.confidence} is below any auto-approve threshold`);
    assert.deepEqual(merged.model?.disagreements.sort(), ['invoiceNumber', 'total']);
    assert.ok(
      merged.warnings.some((w) => w.includes('"INV-41002" (text) vs "INV-41O02" (model)')),
      merged.warnings.join(' | '),
    );
  });

  test('a field only the model found gets source "model" and the box where it is printed', async () => {
    fake.scenario('NBT-26-0417', {
      invoiceNumber: 'NBT-26-0417',
      vendorName: 'Northbeam Tooling Ltd',
      total: '462.00',
    });
    const merged = await extractorWith().extract({
      bytes: await makeVendorInvoicePdf(NORTHBEAM),
      mimeType: 'application/pdf',
      fileName: 'nbt.pdf',
    });
    const field = merged.fields.invoiceNumber;
    assert.equal(field.value, 'NBT-26-0417');
    assert.equal(field.provenance?.source, 'model');
    assert.equal(field.provenance?.page, 1);
    assert.ok(field.provenance?.box && Math.abs(field.provenance.box.x - 360) < 2, JSON.stringify(field.provenance));
    assert.equal(field.confidence, 0.8);
    assert.ok(!merged.warnings.includes('No invoice number found.'), merged.warnings.join(' | '));
  });

  test('an image upload is sent as a PNG data URL', async () => {
    const png = await sharp({ create: { width: 400, height: 520, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    fake.scenario('image', { invoiceNumber: 'IMG-7', total: '12.50' });
    const merged = await extractorWith().extract({
      bytes: new Uint8Array(png),
      mimeType: 'image/png',
      fileName: 'scan.png',
    });
    assert.deepEqual(fake.requests[0]?.violations, []);
    assert.equal(fake.requests[0]?.images.length, 1);
    assert.match(fake.requests[0].images[0]!, /^data:image\/png;base64,/);
    assert.equal(merged.fields.invoiceNumber.value, 'IMG-7');
    assert.equal(merged.fields.invoiceNumber.provenance?.source, 'model');
    assert.equal(
      merged.fields.invoiceNumber.confidence,
      0.5,
      'not found in any text: a guess until a clerk confirms it',
    );
    assert.ok(merged.model!.promptTokens >= 765, 'image tokens are counted');
  });

  test('a scanned PDF page is rendered and sent as a PNG image, so the model reads the scan itself', async () => {
    const s = spec('41077');
    const { pdf } = await scanOf(await makeInvoicePdf(s), { seed: 7, rotateDeg: 0, noise: 0 });
    fake.scenario('image', { invoiceNumber: 'INV-41077', total: invoiceTotals(s).total });
    const merged = await extractorWith().extract({ bytes: pdf, mimeType: 'application/pdf', fileName: 'scan.pdf' });
    const request = fake.requests[0]!;
    assert.deepEqual(request.violations, []);
    assert.equal(request.images.length, 1, 'the one scanned page');
    const png = Buffer.from(request.images[0]!.replace(/^data:image\/png;base64,/, ''), 'base64');
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    assert.ok(
      meta.height >= 1500 && meta.height <= 2100,
      `rendered at a resolution the provider keeps (${meta.width}x${meta.height})`,
    );
    assert.equal(merged.fields.invoiceNumber.value, 'INV-41077');
    assert.equal(merged.fields.invoiceNumber.provenance?.source, 'model');
  });

  describe('the gross total and the amount left to pay after a prepayment', () => {
    /** A German invoice whose totals block prints a prepayment, under a number the fake answers for. */
    const prepaid = async (invoiceNumber: string, totals: Array<[string, string]>) => {
      const puts: Put[] = [
        ['Muster Antriebe GmbH', 50, 780, { size: 18 }],
        [`Rechnungsnummer: ${invoiceNumber}`, 330, 720],
        ['Rechnungsdatum: 14.11.2025', 330, 706],
        ['Bestellnummer: 4500012345', 330, 692],
        ['Beschreibung', 50, 560],
        ['Betrag', 545, 560, { right: true }],
        ['Getriebemotor', 50, 540],
        [totals[0]![1], 545, 540, { right: true }],
        ...totals.flatMap(([label, amount], i): Put[] => [
          [label, 330, 500 - i * 16],
          [amount, 545, 500 - i * 16, { right: true }],
        ]),
      ];
      return { bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: `${invoiceNumber}.pdf` };
    };
    const confirmed: Array<[string, string]> = [
      ['Rechnungssumme ohne USt.', '177,49'],
      ['Steuerbetrag', '20,16'],
      ['Bruttosumme', '197,65'],
      ['Erhaltene Anzahlungen', '-50,00'],
      ['Zahlbetrag', '147,65'],
    ];
    // subtotal + tax does not make the gross: the text reading's total and amount due are both in doubt
    const doubted: Array<[string, string]> = [
      ['Zwischensumme', '202,76'],
      ['Summe Umsatzsteuer', '21,31'],
      ['Rechnungssumme Brutto', '215,14'],
      ['Bereits bezahlt', '50,00'],
      ['Offener Betrag', '165,14'],
    ];

    test('the schema asks for the gross total and, apart, the amount left to pay', () => {
      assert.ok('amountDue' in ModelInvoice.shape);
      const about = (field: 'total' | 'amountDue') => ModelInvoice.shape[field].description ?? '';
      assert.match(about('total'), /gross/i);
      assert.doesNotMatch(about('total'), /amount due/i);
      assert.match(about('amountDue'), /after prepayments/i);
      assert.equal(
        ModelInvoice.safeParse({ ...ModelInvoice.parse(EMPTY_MODEL_ANSWER), amountDue: undefined }).success,
        false,
        'strict: the amount due is required (null when not printed)',
      );
    });

    test('the model reads the gross as the total and the rest as the amount due: each agrees with the text reading', async () => {
      fake.scenario('RE-51001', { invoiceNumber: 'RE-51001', total: '197.65', amountDue: '147.65' });
      const merged = await extractorWith().extract(await prepaid('RE-51001', confirmed));
      assert.deepEqual(fake.requests[0]?.violations, []);
      assert.equal(merged.fields.total.value, '197.65');
      assert.equal(merged.fields.amountDue.value, '147.65');
      assert.ok(
        merged.fields.total.notes.includes('The AI model read the same value.'),
        merged.fields.total.notes.join(' | '),
      );
      assert.ok(
        merged.fields.amountDue.notes.includes('The AI model read the same value.'),
        merged.fields.amountDue.notes.join(' | '),
      );
      assert.deepEqual(merged.model?.disagreements, []);
    });

    test('an amount to pay under a label the text reading does not know is read by the model alone, with its box', async () => {
      fake.scenario('RE-51006', { invoiceNumber: 'RE-51006', total: '197.65', amountDue: '147.65' });
      const totals: Array<[string, string]> = [...confirmed.slice(0, 4), ['Restzahlung', '147,65']];
      const plain = await createExtractor().extract(await prepaid('RE-51006', totals));
      assert.equal(plain.fields.amountDue.value, null);
      const merged = await extractorWith().extract(await prepaid('RE-51006', totals));
      const { total, amountDue } = merged.fields;
      assert.equal(total.value, '197.65');
      assert.ok(total.notes.includes('The AI model read the same value.'));
      assert.equal(amountDue.value, '147.65');
      assert.equal(amountDue.provenance?.source, 'model');
      assert.ok(
        amountDue.provenance?.box && Math.abs(amountDue.provenance.box.x + amountDue.provenance.box.width - 545) < 2,
        JSON.stringify(amountDue.provenance),
      );
      assert.equal(amountDue.confidence, 0.8);
      assert.deepEqual(merged.model?.disagreements, []);
    });

    test('a model amount due that only repeats the total leaves the amount due empty, as the text reading does', async () => {
      fake.scenario('RE-51007', { invoiceNumber: 'RE-51007', total: '197.65', amountDue: '197.65' });
      const merged = await extractorWith().extract(await prepaid('RE-51007', confirmed.slice(0, 3)));
      assert.equal(merged.fields.total.value, '197.65');
      assert.equal(merged.fields.amountDue.value, null);
      assert.deepEqual(merged.model?.disagreements, []);
    });

    test('an amount due the text reading doubts is raised by the model reading the same, and the weak gross with it', async () => {
      fake.scenario('RE-51002', { invoiceNumber: 'RE-51002', total: '215.14', amountDue: '165.14' });
      const plain = await createExtractor().extract(await prepaid('RE-51002', doubted));
      const merged = await extractorWith().extract(await prepaid('RE-51002', doubted));
      assert.equal(merged.fields.total.value, '215.14');
      assert.equal(merged.fields.amountDue.value, '165.14');
      assert.ok(
        merged.fields.amountDue.confidence > plain.fields.amountDue.confidence,
        `${merged.fields.amountDue.confidence} > ${plain.fields.amountDue.confidence}`,
      );
      assert.ok(
        merged.fields.total.confidence > plain.fields.total.confidence,
        `${merged.fields.total.confidence} > ${plain.fields.total.confidence}`,
      );
      assert.deepEqual(merged.model?.disagreements, []);
    });

    test('a model total that is the amount to pay (gross and amount due confused) never replaces a weak text gross', async () => {
      fake.scenario('RE-51003', { invoiceNumber: 'RE-51003', total: '165.14', amountDue: '165.14' });
      const plain = await createExtractor().extract(await prepaid('RE-51003', doubted));
      assert.equal(plain.fields.total.value, '215.14');
      assert.ok(
        plain.fields.total.confidence < 0.6,
        'weak enough that a model value printed on the page would replace it',
      );
      const merged = await extractorWith().extract(await prepaid('RE-51003', doubted));
      const total = merged.fields.total;
      assert.equal(total.value, '215.14', 'the gross stays the total');
      assert.equal(total.provenance?.source, 'text');
      assert.ok(total.confidence <= 0.5);
      assert.deepEqual(
        total.alternatives?.map((a) => [a.value, a.source]),
        [['165.14', 'model']],
      );
      assert.ok(
        total.notes.some((n) => n.includes('the amount due')),
        total.notes.join(' | '),
      );
      assert.equal(merged.fields.amountDue.value, '165.14');
      assert.ok(merged.confidence <= 0.6, `overall ${merged.confidence}: a clerk sees both`);
      assert.ok(merged.model?.disagreements.includes('total'));
    });

    test('nor a text gross confirmed by the prepayment, at high confidence', async () => {
      fake.scenario('RE-51004', { invoiceNumber: 'RE-51004', total: '147.65', amountDue: '147.65' });
      const plain = await createExtractor().extract(await prepaid('RE-51004', confirmed));
      assert.equal(plain.fields.total.confidence, 0.99);
      const merged = await extractorWith().extract(await prepaid('RE-51004', confirmed));
      assert.equal(merged.fields.total.value, '197.65');
      assert.deepEqual(
        merged.fields.total.alternatives?.map((a) => [a.value, a.source]),
        [['147.65', 'model']],
      );
      assert.ok(
        merged.fields.total.notes.some((n) => n.includes('the amount due')),
        merged.fields.total.notes.join(' | '),
      );
      assert.equal(merged.fields.amountDue.value, '147.65');
      assert.ok(merged.fields.amountDue.notes.includes('The AI model read the same value.'));
      assert.deepEqual(merged.model?.disagreements, ['total']);
    });

    test('the other way round: a model amount due that is the gross (nothing paid, it says) never replaces a weak text amount due', async () => {
      fake.scenario('RE-51005', { invoiceNumber: 'RE-51005', total: '215.14', amountDue: '215.14' });
      const plain = await createExtractor().extract(await prepaid('RE-51005', doubted));
      assert.ok(plain.fields.amountDue.confidence < 0.6, `text amount due ${plain.fields.amountDue.confidence}`);
      const merged = await extractorWith().extract(await prepaid('RE-51005', doubted));
      assert.equal(merged.fields.total.value, '215.14');
      assert.equal(merged.fields.amountDue.value, '165.14');
      assert.deepEqual(
        merged.fields.amountDue.alternatives?.map((a) => [a.value, a.source]),
        [['215.14', 'model']],
      );
      assert.ok(
        merged.fields.amountDue.notes.some((n) => n.includes('the total')),
        merged.fields.amountDue.notes.join(' | '),
      );
      assert.deepEqual(merged.model?.disagreements, ['amountDue']);
    });
  });

  describe('a provider that lets us down is a warning, never a failure', () => {
    const cases: Array<{
      name: string;
      queue: Parameters<FakeOpenAI['queue']>;
      warning: RegExp;
      requests: number;
      opts?: { timeoutMs?: number; maxRetries?: number };
    }> = [
      { name: 'malformed JSON', queue: [{ kind: 'malformed' }], warning: /malformed JSON/, requests: 1 },
      {
        name: 'a refusal',
        queue: [{ kind: 'refusal', message: 'I cannot help with invoices.' }],
        warning: /declined to read the invoice: I cannot help/,
        requests: 1,
      },
      {
        name: 'an answer outside the schema',
        queue: [{ kind: 'schema_violation' }],
        warning: /did not fit the schema \(total:/,
        requests: 1,
      },
      {
        name: 'an answer cut off at the token limit',
        queue: [{ kind: 'truncated' }],
        warning: /ran out of tokens/,
        requests: 1,
      },
      {
        name: 'a rate limit that holds',
        queue: [
          { kind: 'status', status: 429 },
          { kind: 'status', status: 429 },
          { kind: 'status', status: 429 },
        ],
        warning: /rate limit \(HTTP 429\) held after 3 attempts/,
        requests: 3,
      },
      {
        name: 'a slow answer',
        queue: [{ kind: 'slow', delayMs: 3_000 }],
        warning: /no answer within 150 ms \(1 attempt\)/,
        requests: 1,
        opts: { timeoutMs: 150, maxRetries: 0 },
      },
      {
        name: 'a server error that persists',
        queue: [
          { kind: 'status', status: 500 },
          { kind: 'status', status: 503 },
        ],
        warning: /HTTP 503/,
        requests: 2,
        opts: { maxRetries: 1 },
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const s = spec(String(42000 + cases.indexOf(c)));
        fake.scenario(s.invoiceNumber, truthOf(s));
        fake.queue(...c.queue);
        const plain = await createExtractor().extract(await pdfDoc(s));
        const merged = await extractorWith(c.opts).extract(await pdfDoc(s));
        assert.equal(fake.requests.length, c.requests);
        assert.ok(
          merged.warnings.some((w) => c.warning.test(w)),
          merged.warnings.join(' | '),
        );
        assert.deepEqual(merged.fields, plain.fields, 'the text reading stands unchanged');
        assert.equal(merged.confidence, plain.confidence);
      });
    }
  });

  test('retries a 500 and a 429 (honouring Retry-After), then uses the answer', async () => {
    const s = spec('43001');
    fake.scenario(s.invoiceNumber, truthOf(s));
    fake.queue({ kind: 'status', status: 500 }, { kind: 'status', status: 429, retryAfterMs: 20 });
    const merged = await extractorWith({ maxRetries: 2 }).extract(await pdfDoc(s));
    assert.deepEqual(
      fake.requests.map((r) => r.answeredWith),
      ['status', 'status', 'answer'],
    );
    assert.ok(merged.fields.total.notes.includes('The AI model read the same value.'));
    assert.ok(!merged.warnings.some((w) => /AI model/.test(w)), merged.warnings.join(' | '));
  });

  test('the fake refuses a request for another model, and that is a warning too', async () => {
    const s = spec('43002');
    const merged = await extractorWith({ model: 'some-other-model', maxRetries: 0 }).extract(await pdfDoc(s));
    assert.match(fake.requests[0]!.violations.join(), /model: expected "gpt-test-mini"/);
    assert.ok(
      merged.warnings.some((w) => /HTTP 400/.test(w)),
      merged.warnings.join(' | '),
    );
  });

  test('configured from the environment, with token usage counted in metrics', async () => {
    const registry = new Registry();
    const metrics = createModelMetrics(registry);
    assert.equal(modelStageFromConfig(undefined), undefined, 'no OPENAI_API_KEY: the model is off');
    const stage = modelStageFromConfig(
      { apiKey: fake.apiKey, baseUrl: fake.url, model: fake.model, timeoutMs: 5_000, maxRetries: 0, maxImages: 2 },
      { onUsage: metrics.record },
    );
    const s = spec('43003');
    fake.scenario(s.invoiceNumber, truthOf(s));
    const merged = await createExtractor({ model: stage }).extract(await pdfDoc(s));
    const text = await registry.metrics();
    assert.match(
      text,
      new RegExp(`plexsync_model_tokens_total\\{model="${fake.model}",kind="prompt"\\} ${merged.model!.promptTokens}`),
    );
    assert.match(text, new RegExp(`plexsync_model_requests_total\\{model="${fake.model}",outcome="answered"\\} 1`));
  });
});
