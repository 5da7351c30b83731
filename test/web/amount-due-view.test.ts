// The amount due on the invoice page: a row of the extracted fields and a correction beside the total when
// the invoice prints one, nothing on the (many) invoices that print only their total, and no failure on an
// extraction stored before the field existed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Extraction } from '../../domain/extraction.js';
import type { InvoiceState } from '../../domain/invoice.js';
import { InvoicePage, type InvoiceHeader } from '../../views/invoice.js';
import { ReviewForms } from '../../views/review.js';
import { rendered } from '../support/rendered.js';

const field = (value: string | string[] | null, confidence = 0.99) => ({ value, confidence, notes: [] as string[] });

function extraction(amountDue: string | null): Extraction {
  return Extraction.parse({
    fields: {
      invoiceNumber: field('INV-1'),
      invoiceDate: field('2026-11-02'),
      dueDate: field(null, 0),
      vendorName: field('Acme'),
      vendorTaxId: field(null, 0),
      currency: field('EUR'),
      subtotal: field('1000.00'),
      tax: field('190.00'),
      total: field('1190.00'),
      amountDue: field(amountDue, amountDue ? 0.99 : 0),
      poNumbers: field(['4500012345']),
      paymentTerms: field(null, 0),
    },
    confidence: 0.99,
    pageCount: 1,
    extractor: 'test',
  });
}

function state(e: Extraction | null): InvoiceState {
  return {
    invoiceId: 'inv-1',
    fileName: 'inv.pdf',
    documentSha256: 'x',
    uploadedBy: 'clerk@example.com',
    status: 'awaiting_review',
    escalated: false,
    extraction: e,
    fields: {
      invoiceNumber: 'INV-1',
      poNumber: '4500012345',
      vendorName: 'Acme',
      total: '1190.00',
      currency: 'EUR',
      invoiceDate: '2026-11-02',
    },
    match: null,
    reviewReasons: [],
    decisions: [],
    errors: [],
    updatedAt: '2026-11-02T00:00:00Z',
    sync: {
      rounds: 0,
      lastError: null,
      lastErrorType: null,
      placeholderId: null,
      writtenInvoiceNumber: null,
      syncedAt: null,
    },
  };
}

const invoice: InvoiceHeader = {
  id: 'inv-1',
  fileName: 'inv.pdf',
  status: 'awaiting_review',
  uploadedBy: 'clerk@example.com',
  vendorName: 'Acme',
  invoiceNumber: 'INV-1',
  assignedTo: null,
  confidence: 0.99,
};

const page = (s: InvoiceState) =>
  rendered(InvoicePage({ ctx: {}, invoice, state: s, audit: [], syncOps: [], temporalLink: '#' }));
const review = (s: InvoiceState) => rendered(ReviewForms({ invoiceId: 'inv-1', state: s }));

test('an invoice with an amount due shows it beside the total, and the clerk may correct it', () => {
  const s = state(extraction('890.00'));
  assert.match(page(s), /data-field="amountDue"[^>]*>[\s\S]*?Amount due[\s\S]*?890\.00/);
  assert.match(review(s), /<input id="c-amountDue" name="amountDue" value="890.00"/);
});

test('an invoice that prints only its total shows no amount due row or correction', () => {
  const s = state(extraction(null));
  assert.doesNotMatch(page(s), /data-field="amountDue"/);
  assert.match(page(s), /data-field="total"/);
  assert.doesNotMatch(review(s), /c-amountDue/);
});

test('an extraction stored before the amount due existed renders without it', () => {
  const stored = extraction(null);
  delete (stored.fields as Partial<Extraction['fields']>).amountDue;
  const s = state(stored);
  assert.doesNotMatch(page(s), /data-field="amountDue"/);
  assert.doesNotMatch(review(s), /c-amountDue/);
  assert.match(review(s), /c-total/);
});
