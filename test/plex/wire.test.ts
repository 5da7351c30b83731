// Wire-level helpers of the Plex client: money conversion from JSON numbers and Retry-After parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDecimalString } from '../../plex/schemas.js';
import { parseRetryAfter } from '../../plex/transport.js';

test('JSON numbers become decimal strings without float arithmetic', () => {
  assert.equal(toDecimalString(1842.5), '1842.50');
  assert.equal(toDecimalString(0.1), '0.10');
  assert.equal(toDecimalString(12480), '12480.00');
  assert.equal(toDecimalString(12.345), '12.345');
  assert.equal(toDecimalString(-5), '-5.00');
  assert.equal(toDecimalString(1e21), '1000000000000000000000.00');
  assert.equal(toDecimalString(1.5e-7), '0.00000015');
  assert.equal(toDecimalString('007.1'), '7.10');
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('7'), 7_000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z')), 30_000);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
});
