// Merging the AI model's reading into the text reading, field by field, on hand-built readings: fields a
// model takes one for the other (gross total and amount due, invoice date and due date, invoice number and
// PO number) never let the model's value for one replace or fill in the other.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyField, HEADER_FIELD_NAMES, type Extraction, type HeaderFieldName } from '../../domain/extraction.js';
import { mergeModelReading } from '../../extract/merge.js';
import type { ModelInvoice } from '../../extract/model/schema.js';
import type { PageText } from '../../extract/pdf-text.js';
import { EMPTY_MODEL_ANSWER } from '../support/fake-openai.js';

type Reading = Partial<Record<HeaderFieldName, { value: string | string[]; confidence: number }>>;

function textReading(read: Reading): Extraction {
  const fields = Object.fromEntries(
    HEADER_FIELD_NAMES.map((name) => {
      const got = read[name];
      const field =
        name === 'poNumbers' ? { ...emptyField<string[]>(), value: [] as string[] } : emptyField<string | string[]>();
      return [name, got ? { ...field, ...got, provenance: { page: 1, source: 'text' } } : field];
    }),
  ) as unknown as Extraction['fields'];
  return { fields, lineItems: [], confidence: 0.5, pageCount: 1, pages: [], warnings: [], extractor: 'test' };
}

/** One page printing every value as its own line, so the model's values are found on it. */
function pageOf(values: string[]): PageText[] {
  const lines = values.map((text, i) => ({
    page: 1,
    text,
    baseline: 100 + i * 14,
    fontSize: 10,
    segments: [{ text, fontSize: 10, box: { x: 72, y: 90 + i * 14, width: text.length * 6, height: 12 } }],
  }));
  return [{ page: 1, width: 595, height: 842, lines }];
}

const merge = (text: Extraction, answer: Partial<ModelInvoice>, printed: string[] = []) =>
  mergeModelReading({
    extraction: text,
    reading: { ...EMPTY_MODEL_ANSWER, ...answer },
    pages: pageOf(printed),
    usage: { model: 'test', promptTokens: 1, completionTokens: 1 },
  });

describe('a model value the text reading gives to the field it is confused with', () => {
  test('the due date given as the invoice date never replaces a weak invoice date', () => {
    const merged = merge(
      textReading({
        invoiceDate: { value: '2026-03-01', confidence: 0.5 },
        dueDate: { value: '2026-03-31', confidence: 0.97 },
      }),
      { invoiceDate: '2026-03-31', dueDate: '2026-03-31' },
      ['01.03.2026', '31.03.2026'],
    );
    const date = merged.fields.invoiceDate;
    assert.equal(date.value, '2026-03-01', 'the text reading stays');
    assert.ok(date.confidence <= 0.5);
    assert.ok(
      date.notes.some((n) => n.includes('the due date')),
      date.notes.join(' | '),
    );
    assert.ok(merged.model?.disagreements.includes('invoiceDate'));
    assert.ok(merged.confidence <= 0.6);
  });

  test('nor fills in an invoice date the text reading did not find', () => {
    const merged = merge(
      textReading({ dueDate: { value: '2026-03-31', confidence: 0.97 } }),
      { invoiceDate: '2026-03-31' },
      ['31.03.2026'],
    );
    assert.equal(merged.fields.invoiceDate.value, null);
    assert.ok(
      merged.fields.invoiceDate.notes.some((n) => n.includes('the due date')),
      merged.fields.invoiceDate.notes.join(' | '),
    );
  });

  test('an invoice date the model and the text agree on stays agreed, even when the due date is the same day', () => {
    const merged = merge(
      textReading({
        invoiceDate: { value: '2026-03-31', confidence: 0.9 },
        dueDate: { value: '2026-03-31', confidence: 0.9 },
      }),
      { invoiceDate: '2026-03-31', dueDate: '2026-03-31' },
      ['31.03.2026'],
    );
    assert.equal(merged.fields.invoiceDate.value, '2026-03-31');
    assert.ok(merged.fields.invoiceDate.confidence > 0.9);
    assert.deepEqual(merged.model?.disagreements, []);
  });

  test('the PO number given as the invoice number never replaces a weak invoice number', () => {
    const merged = merge(
      textReading({
        invoiceNumber: { value: 'RE-2041', confidence: 0.5 },
        poNumbers: { value: ['4500012345'], confidence: 0.97 },
      }),
      { invoiceNumber: '4500012345', poNumbers: ['4500012345'] },
      ['RE-2041', '4500012345'],
    );
    const number = merged.fields.invoiceNumber;
    assert.equal(number.value, 'RE-2041');
    assert.ok(number.confidence <= 0.5);
    assert.ok(
      number.notes.some((n) => n.includes('the PO numbers')),
      number.notes.join(' | '),
    );
    assert.ok(merged.confidence <= 0.6);
  });

  test('nor fills in an invoice number the text reading did not find', () => {
    const merged = merge(
      textReading({ poNumbers: { value: ['PO-7781', '4500012345'], confidence: 0.97 } }),
      { invoiceNumber: '4500012345' },
      ['PO-7781', '4500012345'],
    );
    assert.equal(merged.fields.invoiceNumber.value, null);
  });

  test('the invoice number given among the PO numbers is left out of them', () => {
    const merged = merge(
      textReading({ invoiceNumber: { value: 'RE-2041', confidence: 0.97 } }),
      { invoiceNumber: 'RE-2041', poNumbers: ['RE-2041', '4500012345'] },
      ['RE-2041', '4500012345'],
    );
    assert.deepEqual(merged.fields.poNumbers.value, ['4500012345']);
    const alone = merge(
      textReading({ invoiceNumber: { value: 'RE-2041', confidence: 0.97 } }),
      { invoiceNumber: 'RE-2041', poNumbers: ['RE-2041'] },
      ['RE-2041'],
    );
    assert.deepEqual(alone.fields.poNumbers.value, []);
  });

  test('values that are not the other field are merged as before', () => {
    const merged = merge(
      textReading({
        invoiceNumber: { value: 'RE-2O41', confidence: 0.5 },
        poNumbers: { value: ['4500012345'], confidence: 0.97 },
      }),
      { invoiceNumber: 'RE-2041', poNumbers: ['4500012345'] },
      ['RE-2041', '4500012345'],
    );
    assert.equal(
      merged.fields.invoiceNumber.value,
      'RE-2041',
      'a weak text reading gives way to a located model value',
    );
    assert.deepEqual(merged.fields.poNumbers.value, ['4500012345']);
  });
});
