// Learning from corrections, pure logic: what a correction teaches, how the next invoice of the same
// vendor is read with it, and that it never leaks to another vendor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Extraction, PickedBox } from '../../domain/extraction.js';
import { extractFromPages } from '../../extract/heuristics.js';
import {
  applyPatterns,
  createVendorKnowledge,
  patternsFromCorrections,
  sameVendor,
  shapeOf,
  vendorIdentity,
} from '../../extract/learned.js';
import { readTextLayer, type PageText } from '../../extract/pdf-text.js';
import { settleLearnedAmounts } from '../../extract/learned-amounts.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';
import { makeVendorInvoicePdf, NORTHBEAM, type VendorInvoiceSpec } from '../support/vendor-invoice.js';
import { memoryKnowledgeStore } from '../../testkit/knowledge-store.js';

const other: VendorInvoiceSpec = {
  vendorName: 'Quarry Lane Castings GmbH',
  taxId: 'DE811234567',
  emailDomain: 'quarrylane.de',
  numberLabel: 'Voucher ID',
  invoiceNumber: 'QLC-88-1200',
  invoiceDate: '2026-03-11',
  poNumber: '062487',
  lines: [{ description: 'Grey iron housing', quantity: 4, unitPrice: '120.00' }],
};

type Reading = { extraction: Extraction; pages: PageText[] };

/** A PDF read as the text rules read it: its pages' text and the extraction from them. */
async function reading(pdf: Uint8Array): Promise<Reading> {
  const { pages, pageCount } = await readTextLayer(pdf, 5);
  return { pages, extraction: extractFromPages({ pages, pageCount, warnings: [], extractor: 'test' }) };
}
const read = async (spec: VendorInvoiceSpec) => reading(await makeVendorInvoicePdf(spec));

/** What the clerk's corrections of a reading teach (decision d1 unless told, invoice inv-1). */
const teach = (
  from: Reading,
  corrections: Record<string, string>,
  decisionId = 'd1',
  picked?: Partial<Record<string, PickedBox>>,
) => patternsFromCorrections({ decisionId, invoiceId: 'inv-1', corrections, picked, ...from });

describe('learning from corrections', () => {
  test('a correction records the label above the right value, its region and shape, and what was read instead', async () => {
    const first = await read(NORTHBEAM);
    assert.equal(
      first.extraction.fields.invoiceNumber.value,
      null,
      'the general rules do not know the label "Voucher ID"',
    );
    const [learned, ...rest] = teach(first, { invoiceNumber: 'NBT-26-0417' });
    assert.equal(rest.length, 0);
    assert.equal(learned?.pattern.label, 'voucher id');
    assert.equal(learned?.pattern.relation, 'below');
    assert.equal(learned?.pattern.wrongValue, null);
    assert.equal(learned?.pattern.page, 1);
    assert.ok(
      learned.pattern.region!.x > 0.55 && learned.pattern.region!.x < 0.6,
      JSON.stringify(learned?.pattern.region),
    );
    assert.deepEqual(learned?.identity, {
      taxId: 'GB123456789',
      emailDomain: 'northbeam-tooling.co.uk',
      nameKey: 'northbeam tooling',
      layout: learned?.identity.layout,
    });
    assert.match(learned.identity.layout!, /^[0-9a-f]{32}$/);
  });

  test('the next invoice of the same vendor is read with it: source "learned", the learned label, a good confidence', async () => {
    const first = await read(NORTHBEAM);
    const store = memoryKnowledgeStore();
    await store.save(teach(first, { invoiceNumber: 'NBT-26-0417' }));
    const second = await read({
      ...NORTHBEAM,
      invoiceNumber: 'NBT-26-0502',
      invoiceDate: '2026-04-02',
      lines: [{ description: 'Drill 6mm', quantity: 3, unitPrice: '9.10' }],
    });
    const applied = await createVendorKnowledge(store).apply(second);
    const field = applied.fields.invoiceNumber;
    assert.equal(field.value, 'NBT-26-0502');
    assert.equal(field.provenance?.source, 'learned');
    assert.equal(field.provenance?.label, 'voucher id');
    assert.equal(field.confidence, 0.96);
    assert.ok(!applied.warnings.includes('No invoice number found.'));
    assert.ok(applied.confidence > second.extraction.confidence, 'the overall confidence follows');
  });

  test('a correction for vendor X does not affect vendor Y, even with the same label and layout', async () => {
    const store = memoryKnowledgeStore();
    await store.save(teach(await read(NORTHBEAM), { invoiceNumber: 'NBT-26-0417' }));
    const y = await read(other);
    const applied = await createVendorKnowledge(store).apply(y);
    assert.equal(applied.fields.invoiceNumber.value, null);
    assert.deepEqual(applied, y.extraction);
    assert.equal(sameVendor(vendorIdentity(y.extraction, y.pages), store.rows[0]!.identity), false);
  });

  test('vendors are told apart by tax id first, then e-mail domain, then name or layout', () => {
    const x = { taxId: 'GB1', emailDomain: 'a.com', nameKey: 'acme', layout: 'L1' };
    assert.equal(sameVendor(x, { ...x, emailDomain: 'b.com', nameKey: 'other', layout: 'L2' }), true, 'same tax id');
    assert.equal(sameVendor(x, { ...x, taxId: 'DE2' }), false, 'a different tax id decides');
    assert.equal(
      sameVendor({ ...x, taxId: null }, { ...x, taxId: null, emailDomain: 'b.com' }),
      false,
      'a different e-mail domain decides',
    );
    assert.equal(
      sameVendor({ ...x, taxId: null, emailDomain: null }, { ...x, taxId: null, emailDomain: null, layout: 'L9' }),
      true,
      'same name',
    );
    assert.equal(
      sameVendor(
        { taxId: null, emailDomain: null, nameKey: null, layout: 'L1' },
        { taxId: null, emailDomain: null, nameKey: 'x', layout: 'L1' },
      ),
      true,
      'same layout',
    );
    assert.equal(
      sameVendor(
        { taxId: null, emailDomain: null, nameKey: 'a', layout: null },
        { taxId: null, emailDomain: null, nameKey: 'b', layout: null },
      ),
      false,
    );
  });

  test('a value of another shape is taken with less confidence; a region alone needs the shape', async () => {
    const first = await read(NORTHBEAM);
    const [learned] = teach(first, { invoiceNumber: 'NBT-26-0417' });
    const odd = await read({ ...NORTHBEAM, invoiceNumber: '2026/777/X' });
    const applied = applyPatterns(odd.extraction, odd.pages, [learned!.pattern]);
    assert.equal(applied.fields.invoiceNumber.value, '2026/777/X');
    assert.equal(applied.fields.invoiceNumber.confidence, 0.75);
    assert.match(applied.fields.invoiceNumber.notes.at(-1)!, /looks different/);

    const relabelled = await read({ ...NORTHBEAM, numberLabel: 'Document', invoiceNumber: 'NBT-26-0999' });
    const byRegion = applyPatterns(relabelled.extraction, relabelled.pages, [learned!.pattern]);
    assert.equal(byRegion.fields.invoiceNumber.value, 'NBT-26-0999');
    assert.equal(byRegion.fields.invoiceNumber.confidence, 0.85);
    const oddRelabelled = await read({ ...NORTHBEAM, numberLabel: 'Document', invoiceNumber: 'A/B' });
    assert.equal(
      applyPatterns(oddRelabelled.extraction, oddRelabelled.pages, [learned!.pattern]).fields.invoiceNumber.value,
      null,
    );
  });

  test('a wrong reading is replaced and kept as the alternative: a vendor name the clerk spells out', async () => {
    const first = await read(NORTHBEAM);
    const [name] = teach(first, { vendorName: 'Northbeam Tooling Limited' }, 'd4');
    assert.equal(name?.pattern.constant, true, 'not printed: the vendor constant');
    assert.equal(name?.pattern.wrongValue, 'Northbeam Tooling Ltd');
    const second = await read({ ...NORTHBEAM, invoiceNumber: 'NBT-26-0503' });
    const applied = applyPatterns(second.extraction, second.pages, [name.pattern]);
    assert.equal(applied.fields.vendorName.value, 'Northbeam Tooling Limited');
    assert.equal(applied.fields.vendorName.provenance?.source, 'learned');
    assert.deepEqual(
      applied.fields.vendorName.alternatives?.map((a) => [a.value, a.source]),
      [['Northbeam Tooling Ltd', 'text']],
    );
  });

  test('values that were read right teach nothing; a date learned by its label is read on the next invoice', async () => {
    const first = await read(NORTHBEAM);
    const [total] = teach(first, { total: '462.00', invoiceDate: '2026-03-10' }, 'd2');
    assert.equal(total, undefined, 'values that were read right teach nothing');
    const [date] = teach(first, { dueDate: '2026-03-10' }, 'd3');
    assert.equal(date?.pattern.field, 'dueDate');
    assert.equal(date?.pattern.label, 'invoice date');
    assert.equal(date?.pattern.dateOrder, 'MDY');
    const second = await read({ ...NORTHBEAM, invoiceDate: '2026-05-06' });
    const applied = applyPatterns(second.extraction, second.pages, [date.pattern]);
    assert.equal(applied.fields.dueDate.value, '2026-05-06');
    assert.equal(applied.fields.dueDate.provenance?.source, 'learned');
  });

  test('shapes: letters and digit runs by length, separators literal', () => {
    const shape = new RegExp(`^(?:${shapeOf('NBT-26-0417')})$`, 'u');
    assert.ok(shape.test('NBT-26-0502'));
    assert.ok(shape.test('XYZ-27-10001'), 'numbers may grow by a digit or two');
    assert.ok(!shape.test('NBT260417'));
    assert.ok(!shape.test('2026/777/X'));
  });
});

// What is learned is the layout, not the taught invoice: labels without its numbers, a value printed twice
// decided by the next invoice, a label found again where it moved, a vendor name that must stay the vendor's.
describe('learned places on real-world layouts', () => {
  const drawn = async (puts: Put[]) => reading(await pagePdf(puts));
  /** The reading with one field blanked, as when the text rules had missed it and the clerk typed it. */
  function missing<F extends keyof Extraction['fields']>(read: Reading, field: F) {
    const extraction = structuredClone(read.extraction);
    (extraction.fields[field] as { value: unknown; confidence: number }).value = Array.isArray(
      extraction.fields[field].value,
    )
      ? []
      : null;
    (extraction.fields[field] as { value: unknown; confidence: number }).confidence = 0;
    return { ...read, extraction };
  }
  const letterhead: Put[] = [
    ['Lieferant GmbH', 60, 780],
    ['Musterstrasse 1, 80333 Muenchen', 60, 766],
  ];
  /** A VAT table of one rate above the totals row. */
  const oneRate: Put[] = [
    ...letterhead,
    ['Steuerbetrag', 400, 500],
    ['19,00', 400, 486],
    ['Steuer gesamt', 300, 300],
    ['19,00', 450, 300],
  ];
  /** A VAT table of two rates above the totals row. */
  const twoRates: Put[] = [
    ...letterhead,
    ['Steuerbetrag', 400, 500],
    ['19,00', 400, 486],
    ['7,00', 400, 472],
    ['Steuer gesamt', 300, 300],
    ['26,00', 450, 300],
  ];
  /** The seller's block: a label, then its lines one under the other. */
  const seller = (...lines: string[]): Put[] => [
    ['Verkaeufer:', 60, 700],
    ...lines.map((line, i): Put => [line, 60, 686 - i * 14]),
  ];

  test('a label in the same cell as the value keeps no number of the taught invoice: "Nr. # vom"', async () => {
    const first = missing(await drawn([...letterhead, ['Rechnung Nr. 5001 vom 10.03.2026', 60, 700]]), 'invoiceDate');
    const [date] = teach(first, { invoiceDate: '2026-03-10' });
    assert.equal(date?.pattern.label, 'rechnung nr. # vom');
    assert.equal(date?.pattern.relation, 'inline');
    const next = missing(await drawn([...letterhead, ['Rechnung Nr. 5002 vom 11.04.2026', 60, 700]]), 'invoiceDate');
    const applied = applyPatterns(next.extraction, next.pages, [date.pattern]);
    assert.equal(applied.fields.invoiceDate.value, '2026-04-11');
    assert.equal(applied.fields.invoiceDate.provenance?.source, 'learned');
    assert.equal(applied.fields.invoiceDate.confidence, 0.96);
  });

  test('a value the taught invoice printed twice: the next invoice decides, never at auto-approval confidence when the places disagree', async () => {
    // One VAT rate: the VAT table's only row and the totals row print the same tax.
    const first = missing(await drawn(oneRate), 'tax');
    const [tax] = teach(first, { tax: '19.00' });
    assert.equal(tax?.pattern.label, 'steuerbetrag');
    assert.deepEqual(
      tax?.pattern.elsewhere.map((p) => [p.label, p.relation]),
      [['steuer gesamt', 'right']],
    );
    // Two VAT rates: the table's first row is no longer the total tax.
    const read = await drawn(twoRates);
    const withText = { ...read, extraction: structuredClone(read.extraction) };
    Object.assign(withText.extraction.fields.tax, { value: '26.00', confidence: 0.8 });
    const agreed = applyPatterns(withText.extraction, withText.pages, [tax.pattern]).fields.tax;
    assert.equal(agreed.value, '26.00', 'the place that agrees with the text reading');
    assert.equal(agreed.confidence, 0.9);
    const alone = missing(read, 'tax');
    const guessed = applyPatterns(alone.extraction, alone.pages, [tax.pattern]).fields.tax;
    assert.ok(guessed.confidence < 0.95, `${guessed.value} at ${guessed.confidence}`);
    assert.match(guessed.notes.at(-1)!, /disagree/);
  });

  test('a value the clerk picked off the document: that place is learned, not the first place it is printed', async () => {
    const first = missing(await drawn(oneRate), 'tax');
    const [searched] = teach(first, { tax: '19.00' });
    assert.equal(searched?.pattern.label, 'steuerbetrag', 'without a box: the first place the value is printed');
    // The box the clerk dragged around the totals row's "19,00".
    const picked = { tax: { page: 1, box: { x: 446, y: 296, width: 34, height: 16 } } };
    const [tax, ...rest] = teach(first, { tax: '19.00' }, 'd2', picked);
    assert.equal(rest.length, 0);
    assert.equal(tax?.pattern.label, 'steuer gesamt');
    assert.equal(tax?.pattern.relation, 'right');
    assert.deepEqual(tax?.pattern.elsewhere, [], 'the clerk said which place: nothing is left to decide');
    assert.deepEqual(tax?.pattern.region, { x: 446 / 595, y: 296 / 842, width: 34 / 595, height: 16 / 842 });
    // The next invoice of the vendor is read there.
    const next = missing(await drawn(twoRates), 'tax');
    assert.equal(applyPatterns(next.extraction, next.pages, [tax.pattern]).fields.tax.value, '26.00');
    // A box with no words in it still gives the region (a scan read without OCR); a box on a page not read is searched for as before.
    const [empty] = teach(first, { tax: '19.00' }, 'd3', {
      tax: { page: 1, box: { x: 10, y: 10, width: 5, height: 5 } },
    });
    assert.deepEqual([empty?.pattern.page, empty?.pattern.label, empty?.pattern.elsewhere], [1, null, []]);
    const [elsewhere] = teach(first, { tax: '19.00' }, 'd4', {
      tax: { page: 2, box: { x: 446, y: 296, width: 34, height: 16 } },
    });
    assert.equal(elsewhere?.pattern.label, 'steuerbetrag');
  });

  test('a label printed more than once: the occurrence nearest where it was learned', async () => {
    const first = missing(await drawn([...letterhead, ['Endbetrag', 300, 300], ['120,00', 450, 300]]), 'total');
    const [total] = teach(first, { total: '120.00' });
    // A longer invoice: a group's "Endbetrag" higher up, the invoice's own one moved down a little.
    const next = missing(
      await drawn([
        ...letterhead,
        ['Endbetrag', 300, 520],
        ['80,00', 450, 520],
        ['Endbetrag', 300, 270],
        ['250,00', 450, 270],
      ]),
      'total',
    );
    const applied = applyPatterns(next.extraction, next.pages, [total!.pattern]);
    assert.equal(applied.fields.total.value, '250.00');
    assert.equal(applied.fields.total.provenance?.source, 'learned');
  });

  test('a vendor name is read by its label only when it is still the same vendor', async () => {
    const first = missing(await drawn(seller('Lieferant GmbH', 'Kundenstrasse 15')), 'vendorName');
    const [name] = teach(first, { vendorName: 'Lieferant GmbH' });
    assert.equal(name?.pattern.relation, 'below');
    const next = missing(await drawn(seller('Globale Nummer: 4000001123452 (GTIN)', 'Lieferant GmbH')), 'vendorName');
    const applied = applyPatterns(next.extraction, next.pages, [name.pattern]);
    assert.equal(applied.fields.vendorName.value, 'Lieferant GmbH', 'the learned name, printed a line lower');
    assert.equal(applied.fields.vendorName.provenance?.source, 'learned');
    assert.match(applied.fields.vendorName.notes.at(-1)!, /printed as it was corrected/);
    const renamed = missing(
      await drawn(seller('Globale Nummer: 4000001123452 (GTIN)', 'Andere Firma AG')),
      'vendorName',
    );
    assert.equal(
      applyPatterns(renamed.extraction, renamed.pages, [name.pattern]).fields.vendorName.value,
      null,
      'never the line under the label when it is not the vendor',
    );
  });

  test('an amount in an unlabelled totals row is read at the same place, as a guess for the clerk only', async () => {
    const row = (net: string, tax: string, gross: string): Put[] => [
      ...letterhead,
      [net, 300, 100],
      [tax, 400, 100],
      [gross, 500, 100],
    ];
    const first = missing(await drawn(row('100,00', '19,00', '119,00')), 'total');
    const [total] = teach(first, { total: '119.00' });
    assert.equal(total?.pattern.label, null);
    const next = missing(await drawn(row('150,00', '22,50', '172,50')), 'total');
    const applied = applyPatterns(next.extraction, next.pages, [total.pattern]).fields.total;
    assert.deepEqual([applied.value, applied.confidence, applied.provenance?.source], ['172.50', 0.7, 'learned']);
  });

  test('amounts whose learned places disagree are settled by subtotal + tax = total', async () => {
    // One line and one VAT rate: the line's amount is the subtotal, the VAT table's row the tax.
    const first = await drawn([
      ...letterhead,
      ['Betrag', 450, 600],
      ['100,00', 450, 586],
      ['Steuerbetrag', 450, 500],
      ['19,00', 450, 486],
      ['Netto', 300, 320],
      ['100,00', 450, 320],
      ['Steuer gesamt', 300, 306],
      ['19,00', 450, 306],
      ['Gesamt', 300, 292],
      ['119,00', 450, 292],
    ]);
    const taught = missing(missing(missing(first, 'subtotal'), 'tax'), 'total');
    const patterns = teach(taught, { subtotal: '100.00', tax: '19.00', total: '119.00' }).map((p) => p.pattern);
    assert.equal(patterns.length, 3);
    const next = await drawn([
      ...letterhead,
      ['Betrag', 450, 600],
      ['100,00', 450, 586],
      ['50,00', 450, 572],
      ['Steuerbetrag', 450, 500],
      ['19,00', 450, 486],
      ['3,50', 450, 472],
      ['Netto', 300, 320],
      ['150,00', 450, 320],
      ['Steuer gesamt', 300, 306],
      ['22,50', 450, 306],
      ['Gesamt', 300, 292],
      ['172,50', 450, 292],
    ]);
    const blank = missing(missing(missing(next, 'subtotal'), 'tax'), 'total');
    const { fields } = applyPatterns(blank.extraction, blank.pages, patterns);
    assert.deepEqual([fields.subtotal.value, fields.tax.value, fields.total.value], ['150.00', '22.50', '172.50']);
    assert.deepEqual([fields.subtotal.confidence, fields.tax.confidence], [0.9, 0.9]);
    assert.match(fields.subtotal.notes.at(-1)!, /subtotal \+ tax = total/);
  });

  test('settling by the sum counts the text reading as a candidate: two choices that add up settle nothing', async () => {
    const { extraction } = await drawn(letterhead);
    const fields = structuredClone(extraction.fields);
    Object.assign(fields.subtotal, { value: '131.00', confidence: 0.9 });
    Object.assign(fields.tax, { value: '20.00', confidence: 0.7 });
    Object.assign(fields.total, { value: '151.00', confidence: 0.9 });
    const at = (value: string) => ({ value, provenance: { page: 1, source: 'learned' as const } });
    settleLearnedAmounts(
      fields,
      new Map([
        ['subtotal', [at('100.00'), at('130.00')]],
        ['tax', [at('20.00'), at('21.00')]],
      ]),
    );
    assert.equal(fields.subtotal.value, '131.00', '131 + 20 = 151 and 130 + 21 = 151: not for arithmetic to choose');
    assert.equal(fields.tax.value, '20.00');
  });
});
