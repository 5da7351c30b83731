// IBANs printed on an invoice: only ISO 13616-valid ones (country length + mod-97) count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidIban, maskIban } from '../../domain/iban.js';
import { findIbans } from '../../extract/iban.js';

test('the mod-97 checksum accepts real IBANs and refuses a changed digit or length', () => {
  for (const iban of [
    'DE89370400440532013000',
    'GB82 WEST 1234 5698 7654 32',
    'fr14 2004 1010 0505 0001 3M02 606',
    'NL91ABNA0417164300',
    'BE68539007547034',
  ]) {
    assert.ok(isValidIban(iban), iban);
  }
  for (const iban of [
    'DE89370400440532013001',
    'DE88370400440532013000',
    'DE8937040044053201300',
    'XX89370400440532013000',
    'DE89 3704 0044 0532 0130 0X',
    '',
  ]) {
    assert.equal(isValidIban(iban), false, iban);
  }
});

test('random digit runs never count as an IBAN', () => {
  let accepted = 0;
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let i = 0; i < 2_000; i++) {
    const digits = Array.from({ length: 20 }, () => String(next() % 10)).join('');
    if (isValidIban(`DE${digits}`)) accepted++;
    if (findIbans(`Order 4711 phone +49 ${digits} PO ${digits.slice(0, 6)}`).length) accepted += 1_000;
  }
  // about 1 in 97 random strings passes mod-97 alone; a random run found in text never does here
  assert.ok(accepted < 60, `${accepted}`);
});

test('IBANs are read from invoice text: grouped, glued to the label, followed by the BIC', () => {
  const text = [
    'Acme Fasteners GmbH · Industriestr. 5 · 70565 Stuttgart',
    'Bank: Commerzbank  IBAN: DE89 3704 0044 0532 0130 00  BIC: COBADEFFXXX',
    'IBAN:GB82WEST12345698765432, Sort code 12-34-56',
    'Invoice total 1,234.56 EUR   Ref DE12 3456 7890',
  ].join('\n');
  assert.deepEqual(findIbans(text), ['DE89370400440532013000', 'GB82WEST12345698765432']);
  assert.deepEqual(findIbans('Tel. 0711 123456 · USt-IdNr. DE811234567'), []);
});

test('masked to the last four', () => {
  assert.equal(maskIban('DE89 3704 0044 0532 0130 00'), '******************3000');
});
