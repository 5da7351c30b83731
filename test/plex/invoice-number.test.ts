// Invoice numbers are checked before anything is written to Plex: trimmed, no control, bidi or invisible
// characters, within the field's length, only the characters invoice numbers are made of.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_INVOICE_NUMBER_LENGTH, validateInvoiceNumber } from '../../domain/invoice-number.js';

const refused = (raw: unknown, reason: RegExp) => {
  const check = validateInvoiceNumber(raw);
  assert.equal(check.ok, false, `${JSON.stringify(raw)} was accepted`);
  if (!check.ok) assert.match(check.reason, reason);
};

test('ordinary vendor invoice numbers pass, trimmed', () => {
  for (const n of [
    'INV-558120',
    'A-10442',
    '2025/11/0042',
    'RE 2025.117',
    'No. 4471#2',
    '00012345',
    'SO:88,12 (2)',
    'K+N_774',
  ]) {
    assert.deepEqual(validateInvoiceNumber(n), { ok: true, value: n });
  }
  assert.deepEqual(validateInvoiceNumber('  INV-1 \t'.replace('\t', ' ')), { ok: true, value: 'INV-1' });
});

test('markup and characters invoice numbers are not made of are refused, naming them', () => {
  refused('<script>alert(1)</script>', /"<", ">"/);
  refused('INV"1', /characters Plex invoice numbers do not take: "\\""/);
  refused("INV'; drop", /"'", ";"/);
  refused('RÉ-2025-1', /"É"/);
  refused('ＩＮＶ１', /do not take/);
});

test('control, bidi and invisible characters are refused', () => {
  refused('INV-1\nINV-2', /control character/);
  refused('INV\u0000', /control character/);
  refused('INV-\u202e0211', /text-direction/);
  refused('\u2066INV-1\u2069', /text-direction/);
  refused('INV\u200b-1', /invisible/);
});

test('empty, too long, no letter or digit, the placeholder, not a string', () => {
  refused('   ', /empty/);
  refused('A'.repeat(MAX_INVOICE_NUMBER_LENGTH + 1), new RegExp(`${MAX_INVOICE_NUMBER_LENGTH + 1} characters long`));
  assert.equal(validateInvoiceNumber('A'.repeat(MAX_INVOICE_NUMBER_LENGTH)).ok, true);
  refused('--//', /no letter or digit/);
  refused(' RECEIVED ', /placeholder/);
  refused(null, /missing/);
});
