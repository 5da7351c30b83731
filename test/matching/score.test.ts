// The score and its evidence: the score is the sum of the evidence points, in 0..1, and ranks candidates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PlaceholderSummary, PurchaseOrderSummary } from '../../domain/plex.js';
import { assessCandidate } from '../../matching/candidates.js';
import { decideForPurchaseOrder } from '../../matching/decide.js';
import type { InvoiceFacts } from '../../matching/facts.js';
import { poNumberEvidence, rankCandidates, scoreOf, WEIGHTS } from '../../matching/score.js';
import { DEFAULT_MATCHING_SETTINGS } from '../../matching/settings.js';
import { supplierFit } from '../../matching/supplier.js';

const facts = (over: Partial<InvoiceFacts> = {}): InvoiceFacts => ({
  invoiceNumber: 'INV-1',
  vendorName: 'Acme Fasteners Inc.',
  vendorTaxId: null,
  ibans: [],
  total: '235.00',
  subtotal: '235.00',
  currency: 'USD',
  invoiceDate: '2026-11-02',
  clerkPoNumber: null,
  printedPoNumbers: ['062486'],
  lines: [],
  ...over,
});
const po = (over: Partial<PurchaseOrderSummary> = {}): PurchaseOrderSummary => ({
  id: 'po-1',
  poNumber: '062486',
  status: 'Open',
  supplierId: 's-1',
  supplierName: 'Acme Fasteners Inc.',
  supplierCode: 'ACME01',
  currencyCode: 'USD',
  lineItemTotal: '235.00',
  orderedDate: '2026-10-20',
  active: true,
  ...over,
});
const placeholder = (amount: string | null, id = 'ph-1'): PlaceholderSummary => ({
  id,
  invoiceNumber: 'Received',
  status: 'New',
  poNumber: '062486',
  supplierCode: 'ACME01',
  amount,
  currencyCode: 'USD',
});
/** The score as the README defines it: the evidence points added up (thousandths), within 0..1. */
const sumOf = (evidence: readonly { points: number }[]) =>
  Math.min(1, Math.max(0, Math.round(evidence.reduce((t, e) => t + e.points, 0) * 1000) / 1000));
const cents = fc
  .integer({ min: 1, max: 1_000_000 })
  .map((n) => `${Math.trunc(n / 100)}.${String(n % 100).padStart(2, '0')}`);

test('the weights add up to 1: an exact PO number with everything agreeing scores 1', () => {
  const sum = WEIGHTS.poNumber.exact + WEIGHTS.supplier + WEIGHTS.amount + WEIGHTS.date + WEIGHTS.placeholder;
  assert.equal(Math.round(sum * 1000), 1000);
  const match = decideForPurchaseOrder({
    facts: facts(),
    settings: DEFAULT_MATCHING_SETTINGS,
    found: { purchaseOrder: po(), placeholders: [placeholder('235.00')] },
    evidence: [poNumberEvidence('exact', '062486', '062486')],
  });
  assert.equal(match.status, 'matched');
  assert.equal(match.score, 1);
  assert.deepEqual(match.warnings, []);
  const normalised = decideForPurchaseOrder({
    facts: facts(),
    settings: DEFAULT_MATCHING_SETTINGS,
    found: { purchaseOrder: po(), placeholders: [placeholder('235.00')] },
    evidence: [poNumberEvidence('normalised', 'PO# 062-486', '062486')],
  });
  assert.equal(normalised.score, 0.95);
  assert.equal(
    scoreOf([
      { signal: 'a', points: 0.7, detail: '' },
      { signal: 'b', points: 0.6, detail: '' },
    ]),
    1,
  );
});

test('every score is the sum of its evidence points, within 0..1', () => {
  fc.assert(
    fc.property(
      cents,
      fc.option(cents, { nil: null }),
      fc.constantFrom('exact', 'normalised', 'ocr' as const),
      fc.nat(2),
      fc.constantFrom('Acme Fasteners Inc.', 'ACME FASTENERS', 'Great Lakes Steel'),
      fc.integer({ min: -200, max: 100 }),
      (total, placeholderAmount, fit, placeholders, vendor, days) => {
        const ordered = new Date(Date.UTC(2026, 10, 2) + days * 86_400_000).toISOString().slice(0, 10);
        const found = {
          purchaseOrder: po({ orderedDate: ordered }),
          placeholders: Array.from({ length: placeholders }, (_, i) => placeholder(placeholderAmount, `ph-${i}`)),
        };
        const f = facts({ total, subtotal: null, vendorName: vendor });
        const match = decideForPurchaseOrder({
          facts: f,
          settings: DEFAULT_MATCHING_SETTINGS,
          found,
          evidence: [poNumberEvidence(fit, '062486', '062486')],
        });
        assert.equal(match.score, sumOf(match.evidence));
        assert.ok(match.score >= 0 && match.score <= 1);
        const candidate = assessCandidate(
          f,
          supplierFit(
            { name: vendor, taxId: null },
            { id: 's-1', code: null, name: 'Acme Fasteners Inc.', status: null, taxId: null },
          ),
          found.purchaseOrder,
          found.placeholders,
          DEFAULT_MATCHING_SETTINGS,
        );
        assert.equal(candidate.score, sumOf(candidate.evidence ?? []));
        for (const c of match.candidates) assert.equal(c.score, sumOf(c.evidence ?? []));
      },
    ),
  );
});

test('an amount outside tolerance earns no amount points and a warning; within tolerance earns fewer points than exact', () => {
  const run = (total: string) =>
    decideForPurchaseOrder({
      facts: facts({ total, subtotal: null }),
      settings: DEFAULT_MATCHING_SETTINGS,
      found: { purchaseOrder: po(), placeholders: [placeholder('235.00')] },
      evidence: [poNumberEvidence('exact', '062486', '062486')],
    });
  const exact = run('235.00');
  const near = run('240.00');
  const far = run('250.00');
  assert.ok(exact.score > near.score && near.score > far.score);
  assert.deepEqual(near.warnings, []);
  assert.match(
    far.warnings.join(),
    /Amount outside tolerance: invoice total 250.00 is 6.38 % above the placeholder amount 235.00 \(tolerance 5 %\)/,
  );
  assert.equal(far.evidence.find((e) => e.signal.startsWith('amount'))?.points, 0);
});

test('supplier points follow the name similarity; an unlike supplier earns none and a warning', () => {
  const run = (vendorName: string) =>
    decideForPurchaseOrder({
      facts: facts({ vendorName }),
      settings: DEFAULT_MATCHING_SETTINGS,
      found: { purchaseOrder: po(), placeholders: [placeholder('235.00')] },
      evidence: [poNumberEvidence('exact', '062486', '062486')],
    });
  const points = (vendorName: string) => run(vendorName).evidence.find((e) => e.signal.startsWith('supplier'))!.points;
  assert.equal(points('ACME FASTENERS, LLC'), WEIGHTS.supplier);
  assert.ok(points('Acme Fastener') > 0 && points('Acme Fastener') < WEIGHTS.supplier);
  assert.equal(points('Great Lakes Steel'), 0);
  assert.match(run('Great Lakes Steel').warnings.join(), /does not look like PO 062486's supplier/);
});

test('candidates are ranked: passing first, then by score', () => {
  const c = (poNumber: string, score: number, passed: boolean) => ({
    purchaseOrder: po({ poNumber, id: poNumber }),
    placeholders: [],
    score,
    passed,
  });
  assert.deepEqual(
    rankCandidates([c('A', 0.9, false), c('B', 0.3, true), c('C', 0.5, true)]).map((x) => x.purchaseOrder.poNumber),
    ['C', 'B', 'A'],
  );
});

test('a credit note (negative total) is never an automatic match for a "Received" placeholder, and says what to do', () => {
  const credit = decideForPurchaseOrder({
    facts: facts({ total: '-235.00', subtotal: '-235.00' }),
    settings: DEFAULT_MATCHING_SETTINGS,
    found: { purchaseOrder: po(), placeholders: [placeholder('235.00')] },
    evidence: [poNumberEvidence('exact', '062486', '062486')],
  });
  assert.match(
    credit.warnings[0] ?? '',
    /^This is a credit note \(total -235\.00\): it does not fill PO 062486's "Received" placeholder\. Book it in Plex as a credit memo/,
  );
  const bill = decideForPurchaseOrder({
    facts: facts({ total: '235.00' }),
    settings: DEFAULT_MATCHING_SETTINGS,
    found: { purchaseOrder: po(), placeholders: [placeholder('235.00')] },
    evidence: [poNumberEvidence('exact', '062486', '062486')],
  });
  assert.ok(!bill.warnings.some((w) => w.includes('credit note')));
});
