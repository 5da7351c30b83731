// The normalisers decide what a printed amount, date or PO number means; a wrong reading here is a
// wrong invoice in Plex, so they are pinned by tables and by round-trips through Intl's own formatting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  currenciesIn,
  formatCents,
  lineAmountCents,
  parseAmount,
  parseDate,
  parseDecimal,
  parsePoNumbers,
  toCents,
} from '../../extract/normalize.js';

describe('amounts', () => {
  const cases: Array<[string, string | null, string | null]> = [
    ['1,234.56', '1234.56', null],
    ['1.234,56', '1234.56', null],
    ['1 234,56', '1234.56', null],
    ['1\u202f234,56 €', '1234.56', 'EUR'],
    ["1'234.50", '1234.50', null],
    ['$1,234.56', '1234.56', 'USD'],
    ['€1.234,56', '1234.56', 'EUR'],
    ['£99', '99.00', 'GBP'],
    ['USD 2,933.58', '2933.58', 'USD'],
    ['2.933,58 EUR', '2933.58', 'EUR'],
    ['1,234', '1234.00', null], // a lone separator before three digits groups thousands
    ['1.234', '1234.00', null],
    ['0,125', '0.125', null], // ...unless the integer part is zero
    ['12,5', '12.50', null],
    ['1,234,567.89', '1234567.89', null],
    ['(1,234.56)', '-1234.56', null],
    ['-45.00', '-45.00', null],
    ['45,00-', '-45.00', null],
    // Indian rupees: the sign or "Rs.", lakh and crore grouping, and "/-" closing an amount
    ['₹1,00,000.00', '100000.00', 'INR'],
    ['Rs. 1,939.00', '1939.00', 'INR'],
    ['Rs 1939', '1939.00', 'INR'],
    ['Rs.1939/-', '1939.00', 'INR'],
    ['INR 12,34,567.50', '1234567.50', 'INR'],
    ['10,00,0', null, null],
    ['Net 30', null, null],
    ['19 %', null, null],
    ['12.34.56', null, null],
    ['1,23,456.00', '123456.00', null], // Indian grouping (lakhs) is read
    ['$12.00 / €11.00', null, null],
    // a credit as accounting systems print it on credit memos and statements
    ['120.00 CR', '-120.00', null],
    ['$1,200.00CR', '-1200.00', 'USD'],
    ['-120.00 CR', null, null], // the sign twice: no reading
    ['', null, null],
  ];
  for (const [printed, value, currency] of cases) {
    test(`reads ${JSON.stringify(printed)} as ${value ?? 'nothing'}`, () => {
      const amount = parseAmount(printed);
      assert.equal(amount?.value ?? null, value);
      if (value) assert.equal(amount?.currency?.code ?? null, currency);
    });
  }

  test('quantities keep their own precision', () => {
    assert.equal(parseDecimal('500'), '500');
    assert.equal(parseDecimal('2,5'), '2.5');
    assert.equal(parseDecimal('abc'), null);
  });

  test('cents arithmetic is exact and rounds half away from zero once', () => {
    assert.equal(toCents('2933.58'), 293358n);
    assert.equal(toCents('0.125'), 13n);
    assert.equal(toCents('-0.125'), -13n);
    assert.equal(formatCents(-5n), '-0.05');
    assert.equal(lineAmountCents('3', '0.335'), 101n); // 1.005 → 1.01
    assert.equal(lineAmountCents('2.5', '1250.00'), 312500n);
  });

  const locales = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'nl-NL', 'es-ES', 'de-CH'];
  test('any cent amount formatted in a national style reads back to the same cents (Intl round-trip)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n }),
        fc.constantFrom(...locales),
        fc.constantFrom('USD', 'EUR', 'GBP', 'CHF'),
        (cents, locale, currency) => {
          const printed = new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(cents) / 100);
          const amount = parseAmount(printed);
          assert.ok(amount, `could not read ${JSON.stringify(printed)}`);
          assert.equal(toCents(amount.value), cents, printed);
          assert.equal(amount.currency?.code, currency, printed);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('dates', () => {
  const cases: Array<[string, string | null, ('MDY' | 'DMY')?]> = [
    ['2025-11-03', '2025-11-03'],
    ['11/03/2025', '2025-11-03'], // US by default
    ['11/03/2025', '2025-03-11', 'DMY'],
    ['25/11/2025', '2025-11-25'], // only one reading is a date
    ['11/25/2025', '2025-11-25', 'DMY'],
    ['03.11.2025', '2025-11-03'], // dots are always day first
    ['03.11.25', '2025-11-03'],
    ['03-11-2025', '2025-03-11'],
    ['03-11-2025', '2025-11-03', 'DMY'],
    ['November 3, 2025', '2025-11-03'],
    ['Nov 3rd, 2025', '2025-11-03'],
    ['3 Nov 2025', '2025-11-03'],
    ['3. März 2025', '2025-03-03'],
    ['3 de noviembre de 2025', '2025-11-03'],
    ['3 déc. 2025', '2025-12-03'],
    ['Dated: 3 mrt 2025, page 1', '2025-03-03'],
    // a month's name between slashes or dots, and a two-digit year in one token with it
    ['03/Nov/2025', '2025-11-03'],
    ['03.Nov.2025', '2025-11-03'],
    ['03-Nov-25', '2025-11-03'],
    ['3-NOV-25', '2025-11-03'],
    ['12 Mai 15 Stk', null], // two digits apart from the month are a count, not a year
    ['4 Mar 24:00', null],
    ['02/30/2025', null],
    ['31.04.2025', null],
    ['Net 30', null],
    ['13/13/2025', null],
  ];
  for (const [printed, iso, order] of cases) {
    test(`reads ${JSON.stringify(printed)}${order ? ` (${order})` : ''} as ${iso ?? 'no date'}`, () => {
      assert.equal(parseDate(printed, order)?.value ?? null, iso);
    });
  }

  test('month names whose accents OCR dropped are read as written with them', () => {
    const cases: Array<[string, string]> = [
      ['11. Marz 2014', '2014-03-11'],
      ['3 fevrier 2015', '2015-02-03'],
      ['1. Janner 2020', '2020-01-01'],
      ['24 decembre 2019', '2019-12-24'],
      ['2 Aout 2016', '2016-08-02'],
      ['11. März 2014', '2014-03-11'],
    ];
    for (const [printed, iso] of cases) assert.equal(parseDate(printed, 'DMY')?.value ?? null, iso, printed);
  });

  test('says when month and day could be swapped', () => {
    assert.equal(parseDate('11/03/2025')?.ambiguous, true);
    assert.equal(parseDate('11/25/2025')?.ambiguous, false);
    assert.equal(parseDate('03.11.2025')?.ambiguous, false);
  });

  test('any date written out by Intl in five languages reads back to the same day', () => {
    const locales = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'nl-NL', 'es-ES'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1995-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.constantFrom(...locales),
        fc.constantFrom('long', 'medium'),
        (date, locale, dateStyle) => {
          const printed = new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(date);
          assert.equal(parseDate(printed, 'DMY')?.value, date.toISOString().slice(0, 10), printed);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('PO numbers', () => {
  const cases: Array<[string, string[]]> = [
    ['062486', ['062486']],
    ['PO# 062486', ['062486']],
    ['PO 062486', ['062486']],
    ['P.O. No. 062486', ['062486']],
    ['PO-4500012345', ['PO-4500012345']], // a PO number as printed: matching tries it with and without the prefix
    ['PO-2024-0042', ['PO-2024-0042']],
    ['PO801801', ['PO801801']],
    ['PO# 06-24-86', ['06-24-86']], // not a date (a two-digit year 86 would be 2086), not ["86"]
    ['PO# 06-24-86, PO# 06-24-87', ['06-24-86', '06-24-87']],
    ['4500012345 / 4500012346 & 4500012347', ['4500012345', '4500012346', '4500012347']],
    ['P.O. 7700123', ['7700123']],
    ['P.O. No.: 7700123', ['7700123']],
    ['PO #: 4711', ['4711']],
    ['062486, 062487', ['062486', '062487']],
    ['062486 and 062487; 062488', ['062486', '062487', '062488']],
    ['4711 vom 01.11.2025', ['4711']],
    ['062486, 062486', ['062486']],
    ['POL-77', ['POL-77']], // "PO" inside a word is not a prefix
    // other languages' abbreviations of an order: bon de commande, commande, orden de compra, Bestellung
    ['BC 4500123 du 01/03/2024', ['4500123']],
    ['Cde n° 4500123', ['4500123']],
    ['OC 77120, OC 77121', ['77120', '77121']],
    ['Best. 4711', ['4711']],
    ['BC-2024-17', ['BC-2024-17']],
    ['ABC 123', []], // an unknown word before a number ends the list: it is not a PO prefix
    ['see attached', []],
  ];
  for (const [printed, poNumbers] of cases) {
    test(`reads ${JSON.stringify(printed)} as ${JSON.stringify(poNumbers)}`, () => {
      assert.deepEqual(parsePoNumbers(printed), poNumbers);
    });
  }
});

describe('currency codes', () => {
  const codes = (text: string) => currenciesIn(text).map((m) => m.code);
  test('a code alone, beside an amount or glued to one is a currency', () => {
    assert.deepEqual(codes('Total EUR 1.234,50'), ['EUR']);
    assert.deepEqual(codes('Amount (CHF)'), ['CHF']);
    assert.deepEqual(codes('EUR1,234.50'), ['EUR']);
    assert.deepEqual(codes('1.234,50EUR'), ['EUR']);
    assert.deepEqual(codes('CHF-12.00'), ['CHF']);
    assert.deepEqual(codes('USD: 12'), ['USD']);
  });
  test('a code inside a reference is part of the reference, not a currency', () => {
    // An invoice number "CHF305-000" made a US invoice's date order ambiguous; "CH0CAD-000" read as Canadian dollars.
    assert.deepEqual(codes('Invoice #: CHF305-000'), []);
    assert.deepEqual(codes('Invoice #: CH0CAD-000'), []);
    assert.deepEqual(codes('Part PLN12A'), []);
    assert.deepEqual(codes('Ref 12EUR7'), []);
  });
  test('no invoice number made of hex digits after a prefix is read as a currency', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{0,3}[0-9A-F]{4}-\d{3}$/), (reference) => {
        assert.deepEqual(codes(`Invoice Number ${reference}`), []);
      }),
    );
  });
});
