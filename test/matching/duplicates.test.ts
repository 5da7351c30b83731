// Duplicate detection: the same supplier's invoice number synced or in flight, and near-duplicates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MatchResult } from '../../domain/match.js';
import { applyDuplicateCheck, invoiceNumberKey, type OtherInvoice } from '../../matching/duplicates.js';
import type { InvoiceFacts } from '../../matching/facts.js';

const facts: InvoiceFacts = {
  invoiceNumber: 'INV-1001',
  vendorName: 'Acme Fasteners Inc.',
  vendorTaxId: null,
  ibans: [],
  total: '235.00',
  subtotal: null,
  currency: 'USD',
  invoiceDate: '2026-11-02',
  clerkPoNumber: null,
  printedPoNumbers: ['062486'],
  lines: [],
};
const purchaseOrder = {
  id: 'po-1',
  poNumber: '062486',
  status: 'Open',
  supplierId: 's-acme',
  supplierName: 'Acme Fasteners Inc.',
  supplierCode: null,
  currencyCode: 'USD',
  lineItemTotal: '235.00',
};
const matched: MatchResult = {
  status: 'matched',
  reason: 'ok',
  score: 1,
  evidence: [],
  candidates: [],
  warnings: [],
  duplicateOf: null,
  threeWay: null,
  purchaseOrder,
  placeholder: {
    id: 'ph',
    invoiceNumber: 'Received',
    status: 'New',
    poNumber: '062486',
    supplierCode: null,
    amount: '235.00',
    currencyCode: 'USD',
  },
};
const other = (over: Partial<OtherInvoice>): OtherInvoice => ({
  id: 'inv-original',
  status: 'synced',
  vendorName: 'ACME FASTENERS, INC',
  invoiceNumber: 'inv 1001',
  total: '235.00',
  invoiceDate: '2026-11-02',
  purchaseOrderId: 'po-0',
  supplierId: 's-acme',
  supplierName: 'Acme Fasteners Inc.',
  uploadedEarlier: true,
  ...over,
});

test('invoice numbers compare without case, spaces or punctuation', () => {
  assert.equal(invoiceNumberKey(' inv-1001 '), invoiceNumberKey('INV 1001'));
  assert.equal(invoiceNumberKey('—'), null);
});

test("the same supplier's invoice number already synced makes a duplicate naming the original", () => {
  const result = applyDuplicateCheck(matched, facts, [other({})]);
  assert.equal(result.status, 'duplicate');
  assert.equal(result.duplicateOf?.invoiceId, 'inv-original');
  assert.match(result.reason, /inv-original/);
  // found through the matched PO's supplier even when the printed vendor names differ
  assert.equal(
    applyDuplicateCheck(matched, { ...facts, vendorName: 'ACME Intl. Sales Office' }, [
      other({ vendorName: 'AFI Remittance Dept', supplierName: null }),
    ]).status,
    'duplicate',
  );
});

test('another supplier, a rejected invoice or a later upload still in review is not an original', () => {
  assert.equal(
    applyDuplicateCheck(matched, facts, [
      other({ vendorName: 'Great Lakes Steel Supply', supplierId: 's-gl', supplierName: 'Great Lakes Steel Supply' }),
    ]).status,
    'matched',
  );
  assert.equal(applyDuplicateCheck(matched, facts, [other({ status: 'rejected' })]).status, 'matched');
  assert.equal(
    applyDuplicateCheck(matched, facts, [other({ status: 'awaiting_review', uploadedEarlier: false })]).status,
    'matched',
  );
  assert.equal(
    applyDuplicateCheck(matched, facts, [other({ status: 'awaiting_review', uploadedEarlier: true })]).status,
    'duplicate',
  );
  // a committed copy counts whenever it was uploaded
  assert.equal(
    applyDuplicateCheck(matched, facts, [other({ status: 'sync_failed', uploadedEarlier: false })]).status,
    'duplicate',
  );
});

test('same supplier, total and date under another number is a near-duplicate warning, unless it is for another PO', () => {
  const near = applyDuplicateCheck(matched, facts, [other({ invoiceNumber: 'INV-1002', purchaseOrderId: 'po-1' })]);
  assert.equal(near.status, 'matched');
  assert.equal(near.duplicateOf?.invoiceId, 'inv-original');
  assert.match(
    near.warnings.join(),
    /Possible duplicate: same supplier, total 235.00 and date 2026-11-02 as invoice inv-original/,
  );
  assert.equal(
    applyDuplicateCheck(matched, facts, [other({ invoiceNumber: 'INV-1002', purchaseOrderId: null })]).warnings.length,
    1,
  );
  assert.deepEqual(
    applyDuplicateCheck(matched, facts, [other({ invoiceNumber: 'INV-1002', purchaseOrderId: 'po-other' })]).warnings,
    [],
  );
  assert.deepEqual(
    applyDuplicateCheck(matched, facts, [
      other({ invoiceNumber: 'INV-1002', purchaseOrderId: 'po-1', total: '235.01' }),
    ]).warnings,
    [],
  );
  assert.deepEqual(
    applyDuplicateCheck(matched, facts, [
      other({ invoiceNumber: 'INV-1002', purchaseOrderId: 'po-1', invoiceDate: '2026-11-03' }),
    ]).warnings,
    [],
  );
});
