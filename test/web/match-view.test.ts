// The match explanation on the invoice page is written for a clerk: each signal in words with ✓/✗/?,
// no internal signal names or points in the text, no Plex record ids, and the three-way result beside the
// line number where a narrow table still shows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MatchResult } from '../../domain/match.js';
import { MatchDetails } from '../../views/match.js';
import { rendered } from '../support/rendered.js';

const PLACEHOLDER_ID = '3f2b8c1e-9d4a-4e6b-8a7c-1b2c3d4e5f60';
const match: MatchResult = {
  status: 'matched',
  reason: 'PO 062486 with one open "Received" placeholder.',
  score: 0.95,
  duplicateOf: null,
  candidates: [],
  warnings: [],
  purchaseOrder: {
    id: 'po-1',
    poNumber: '062486',
    status: 'Open',
    supplierId: 's-1',
    supplierName: 'Acme Fasteners Inc.',
    supplierCode: 'ACME01',
    currencyCode: 'USD',
    lineItemTotal: '235.00',
  },
  placeholder: {
    id: PLACEHOLDER_ID,
    invoiceNumber: 'Received',
    status: 'New',
    poNumber: '062486',
    supplierCode: 'ACME01',
    amount: '235.00',
    currencyCode: 'USD',
  },
  evidence: [
    { signal: 'po_number_exact', points: 0.45, detail: 'PO number 062486 found in Plex' },
    { signal: 'supplier', points: 0.2, detail: 'Acme Fasteners Inc. = Acme Fasteners Inc.' },
    { signal: 'amount_outside_tolerance', points: 0, detail: 'invoice 300.00 vs placeholder amount 235.00' },
    { signal: 'date_unknown', points: 0, detail: 'no invoice date or PO date to compare' },
    { signal: 'single_placeholder', points: 0.1, detail: `one open "Received" placeholder (${PLACEHOLDER_ID})` },
  ],
  threeWay: {
    status: 'mismatch',
    summary: '1 of 2 lines differ.',
    lines: [
      {
        invoiceLine: 1,
        poLine: 1,
        pairedBy: 'part_number',
        description: 'Hex bolt M8x40, zinc',
        invoicedQuantity: '500',
        orderedQuantity: null,
        receivedQuantity: '400.00',
        invoicePrice: '0.42',
        poPrice: '0.42',
        status: 'mismatch',
        issues: ['invoiced 500 but 400 received'],
      },
      {
        invoiceLine: 2,
        poLine: 2,
        pairedBy: 'part_number',
        description: 'Lock washer M8',
        invoicedQuantity: '500',
        orderedQuantity: null,
        receivedQuantity: '500.00',
        invoicePrice: '0.05',
        poPrice: '0.05',
        status: 'ok',
        issues: [],
      },
    ],
  },
};

const html = rendered(MatchDetails({ match }));
/** What a clerk reads: the text between tags, attributes (tooltips) left out. */
const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const text = html
  .replace(/<[^>]*>/g, ' ')
  .replace(/&(?:quot|#39|amp|lt|gt);/g, (e) => ENTITIES[e]!)
  .replace(/\s+/g, ' ');

test('each signal is said in words with whether it speaks for the match', () => {
  assert.match(text, /✓ The PO number on the invoice is in Plex/);
  assert.match(text, /✓ The vendor is the PO's supplier/);
  assert.match(text, /✗ The amount does not fit: invoice 300.00 vs placeholder amount 235.00/);
  assert.match(text, /\? No date to compare/);
  assert.match(text, /Match strength 95%/);
  assert.match(text, /Writes into the open "Received" placeholder for 235.00 USD/);
});

test('no internal signal names, points or Plex record ids in the text', () => {
  assert.doesNotMatch(text, /po number exact|single placeholder|amount outside tolerance|\+0\.45|\+0\.00/);
  assert.ok(!text.includes(PLACEHOLDER_ID), text);
});

test('the three-way result stands right after the line number', () => {
  const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
  assert.deepEqual(headers.slice(0, 3), ['Line', 'Result', 'Description']);
  assert.match(text, /1 invoiced 500 but 400 received Hex bolt/);
});
