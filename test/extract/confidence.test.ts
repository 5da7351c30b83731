// The cross-checks that move a field's confidence (extract/checks.ts, extract/header.ts): each piece of
// independent evidence raises it, each doubt lowers it and says why. The holdout and the corpus measure the
// result as a whole (bench/calibration.ts); these pin each rule, including the cases that must NOT raise.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyField, HEADER_FIELD_NAMES, type HeaderFields } from '../../domain/extraction.js';
import {
  checkDates,
  checkInvoiceNumber,
  checkPoNumbers,
  corroborate,
  invoiceNumberDoubt,
  termsDays,
} from '../../extract/checks.js';
import type { Candidate } from '../../extract/fields.js';
import { isDateOrderGuess, pick } from '../../extract/header.js';

type Seed = { [K in keyof HeaderFields]?: { value: HeaderFields[K]['value']; confidence?: number; notes?: string[] } };
function fieldsOf(seed: Seed): HeaderFields {
  const fields = Object.fromEntries(HEADER_FIELD_NAMES.map((name) => [name, emptyField()])) as unknown as HeaderFields;
  for (const [name, given] of Object.entries(seed)) {
    Object.assign(fields[name as keyof HeaderFields], { confidence: 0.9, notes: [], ...given });
  }
  return fields;
}

const GUESSED = (printed: string) => `"${printed}" read as day/month: English without US dollars`;

describe('payment terms', () => {
  test('the net days are read in five languages; a discount period is not the due date', () => {
    const cases: Array<[string, number | null, boolean?]> = [
      ['Net 30', 30],
      ['2% 10, Net 30', 30],
      ['2% 10 Net 45 days', 45],
      ['Net 30 days from date of invoice.', 30],
      ['30 Tage netto', 30],
      ['10 Tage 2 % Skonto, 30 Tage netto', 30],
      ['paiement à 30 jours date de facture', 30],
      ['30 jours fin de mois', 30, true],
      ['45 dagen', 45],
      ['Transferencia a 60 días', 60],
      ['2 % 10 days, 30 days', null],
      ['End of month following', null],
      ['Zahlbar sofort ohne Abzug', null],
      ['Net 365', null],
    ];
    for (const [terms, days, endOfMonth = false] of cases) {
      assert.deepEqual(termsDays(terms), days === null ? null : { days, endOfMonth }, terms);
    }
  });
});

describe('dates', () => {
  test('a due date where the terms put it settles both dates, even a day/month guess', () => {
    const fields = fieldsOf({
      invoiceDate: { value: '2025-12-03', confidence: 0.85, notes: [GUESSED('03/12/2025')] },
      dueDate: { value: '2026-01-02', confidence: 0.85, notes: [GUESSED('02/01/2026')] },
      paymentTerms: { value: 'Net 30 days' },
    });
    const warnings: string[] = [];
    checkDates(fields, warnings);
    assert.equal(fields.invoiceDate.confidence, 0.99);
    assert.equal(fields.dueDate.confidence, 0.99);
    assert.match(fields.invoiceDate.notes.at(-1)!, /30 days after it, as the terms "Net 30 days" say/);
    assert.deepEqual(warnings, []);
  });

  test('"end of month" terms: the month\'s end after the days are added', () => {
    const fields = fieldsOf({
      invoiceDate: { value: '2025-11-18' },
      dueDate: { value: '2025-12-31' },
      paymentTerms: { value: '30 jours fin de mois' },
    });
    checkDates(fields, []);
    assert.equal(fields.dueDate.confidence, 0.99);
  });

  test('a guessed order stays a guess when the due date is not where the terms put it, or there are no terms', () => {
    for (const terms of ['Net 45', null]) {
      const fields = fieldsOf({
        invoiceDate: { value: '2025-12-03', confidence: 0.85, notes: [GUESSED('03/12/2025')] },
        dueDate: { value: '2026-01-02', confidence: 0.85, notes: [GUESSED('02/01/2026')] },
        ...(terms ? { paymentTerms: { value: terms } } : {}),
      });
      checkDates(fields, []);
      assert.equal(fields.invoiceDate.confidence, 0.85, String(terms));
      assert.equal(fields.dueDate.confidence, 0.85, String(terms));
    }
  });

  test('terms do not settle the order when the swapped reading fits them as well', () => {
    // "03/01/2025" and "04/02/2025" with "Net 32": Jan 3 → Feb 4, and day/month swapped Mar 1 → Apr 2, both fit
    const fields = fieldsOf({
      invoiceDate: { value: '2025-01-03', confidence: 0.85, notes: [GUESSED('03/01/2025')] },
      dueDate: { value: '2025-02-04', confidence: 0.85, notes: [GUESSED('04/02/2025')] },
      paymentTerms: { value: 'Net 32' },
    });
    checkDates(fields, []);
    assert.equal(fields.invoiceDate.confidence, 0.85);
  });

  test('a due date before the invoice date lowers both, whatever the terms say', () => {
    const fields = fieldsOf({
      invoiceDate: { value: '2025-12-03' },
      dueDate: { value: '2025-11-03' },
      paymentTerms: { value: 'Net 30' },
    });
    const warnings: string[] = [];
    checkDates(fields, warnings);
    assert.equal(fields.invoiceDate.confidence, 0.5);
    assert.match(warnings[0]!, /before the invoice date/);
  });

  test('an order all the other dates agree on is no guess; a majority or the language is', () => {
    assert.equal(
      isDateOrderGuess('"12/11/2025" read as day/month: the other dates on the invoice are all written day first'),
      false,
    );
    assert.equal(
      isDateOrderGuess('"12/11/2025" read as day/month: most other dates on the invoice are written day first'),
      true,
    );
    assert.equal(isDateOrderGuess('"11/06/2025" read as month/day: a US invoice (English, USD)'), true);
    assert.equal(isDateOrderGuess('Next to the label "Date".'), false);
    const settled = fieldsOf({
      invoiceDate: {
        value: '2025-11-12',
        notes: ['"12/11/2025" read as day/month: the other dates on the invoice are all written day first'],
      },
      dueDate: { value: '2025-12-27' },
    });
    checkDates(settled, []);
    assert.equal(settled.invoiceDate.confidence, 0.92);
  });
});

describe('invoice and PO numbers', () => {
  test('an invoice number shaped like one gains a little; a date, an amount, a PO number or no digits is doubted', () => {
    const good = fieldsOf({ invoiceNumber: { value: 'INV-772049', confidence: 0.88 } });
    checkInvoiceNumber(good, []);
    assert.equal(good.invoiceNumber.confidence, 0.9);
    for (const [value, why] of [
      ['2025-11-03', /a date/],
      ['1,234.56', /an amount/],
      ['4500012345', /also a PO number/],
      ['ORIGINAL', /no digits/],
      ['7', /shorter/],
    ] as const) {
      const fields = fieldsOf({ invoiceNumber: { value }, poNumbers: { value: ['4500012345'] } });
      const warnings: string[] = [];
      checkInvoiceNumber(fields, warnings);
      assert.equal(fields.invoiceNumber.confidence, 0.5, value);
      assert.match(warnings[0]!, why);
      assert.match(invoiceNumberDoubt(value, fields)!, why);
    }
  });

  test('PO numbers shaped like one gain a little, never past 0.97; one that is not keeps 0.5', () => {
    const good = fieldsOf({ poNumbers: { value: ['PO-7781'], confidence: 0.89 } });
    checkPoNumbers(good, []);
    assert.equal(good.poNumbers.confidence, 0.91);
    const strong = fieldsOf({ poNumbers: { value: ['PO-7781'], confidence: 0.97 } });
    checkPoNumbers(strong, []);
    assert.equal(strong.poNumbers.confidence, 0.97);
    const bad = fieldsOf({ poNumbers: { value: ['12'], confidence: 0.97 } });
    checkPoNumbers(bad, []);
    assert.equal(bad.poNumbers.confidence, 0.5);
  });
});

describe('vendor name', () => {
  test("the vendor's initials as a word of the e-mail domain confirm the name; two letters or other letters do not", () => {
    const of = (vendorName: string, domain: string) => {
      const fields = fieldsOf({
        vendorName: { value: vendorName, confidence: 0.88 },
        vendorEmailDomain: { value: domain },
      });
      corroborate(fields, [vendorName]);
      return fields.vendorName.confidence;
    };
    assert.equal(of('Ateliers Mécaniques du Rhône', 'amr-lyon.fr'), 0.97);
    assert.equal(of('Fonderie et Usinage du Nord SARL', 'fun.fr'), 0.97);
    assert.equal(of('Ateliers Mécaniques du Rhône', 'xyz-lyon.fr'), 0.88);
    assert.equal(of('Acme Rhône', 'ar-lyon.fr'), 0.88);
  });

  test('a name printed again in a cell of its own is confirmed; inside a longer name it is not', () => {
    const of = (texts: string[]) => {
      const fields = fieldsOf({ vendorName: { value: 'Allied Heat Treating, Inc.', confidence: 0.9 } });
      corroborate(fields, texts);
      return fields.vendorName.confidence;
    };
    assert.equal(
      of(['Allied Heat Treating, Inc.\nInvoice', 'Remit to Allied Heat Treating, Inc., 18 Foundry Ln']),
      0.97,
    );
    assert.equal(of(['Allied Heat Treating, Inc.\nRemit to Allied Heat Treating, Inc. Europe']), 0.9);
  });
});

describe('rival values', () => {
  const candidate = (value: string, confidence: number, extra: Partial<Candidate> = {}): Candidate => ({
    field: 'invoiceNumber',
    value,
    currency: null,
    confidence,
    notes: [],
    provenance: { page: 1, source: 'text', label: 'Invoice No.' },
    order: 1,
    ...extra,
  });

  test('another value next to an equally good label caps the confidence at 0.7', () => {
    assert.equal(
      pick('invoiceNumber', [candidate('F2025-11-0457', 0.97), candidate('F2025-11-0458', 0.97)], 'first').confidence,
      0.7,
    );
  });

  test('the same value cut at a cell edge is no rival', () => {
    assert.equal(
      pick('invoiceNumber', [candidate('F2025-11-0457', 0.97), candidate('F2025-11-', 0.97)], 'first').confidence,
      0.97,
    );
    // a shorter number that is not cut at a separator is another number
    assert.equal(
      pick('invoiceNumber', [candidate('F2025-110457', 0.97), candidate('F2025-11', 0.97)], 'first').confidence,
      0.7,
    );
  });

  test("a value whose label names something else on the document (a credit note's original invoice date) is no rival", () => {
    const found = [
      { ...candidate('2025-11-18', 0.97), field: 'invoiceDate' as const },
      {
        ...candidate('2025-10-30', 0.87),
        field: 'invoiceDate' as const,
        namesOther: "the original invoice's date on a credit note",
      },
    ];
    const picked = pick('invoiceDate', found, 'first');
    assert.equal(picked.value, '2025-11-18');
    assert.equal(picked.confidence, 0.97);
    assert.ok(
      picked.notes.some((n) => n.includes("original invoice's date")),
      picked.notes.join(' '),
    );
  });
});
