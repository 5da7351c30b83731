// The queue's rows are written as `html` templates (their hot path), not JSX: every value an invoice, a
// vendor or a user can put in a row is escaped, in text and in attributes, and each row keeps its ten cells.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApprovalPath } from '../../domain/approval.js';
import { QueueRows, type QueueItem } from '../../views/queue.js';
import { rendered } from '../support/rendered.js';

/** Breaks out of a text node, a quoted attribute and a single-quoted one alike if left raw. */
const HOSTILE = `"'><img src=x onerror=alert(1)>&`;
const ESCAPED = '&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;';

const path = (who: string): ApprovalPath =>
  ({
    policyVersion: 1,
    rule: 'all',
    evaluation: 1,
    current: 0,
    steps: [{ name: 'Controller', who, required: 1, approvals: [], sla: 'PT4H', doneAt: null }],
  }) as unknown as ApprovalPath;

const row = (over: Partial<QueueItem> = {}): QueueItem => ({
  id: `inv-${HOSTILE}`,
  createdAt: new Date('2026-11-30T08:00:00Z'),
  status: 'awaiting_review',
  fileName: `file-${HOSTILE}.pdf`,
  dueDate: `due-${HOSTILE}`,
  confidence: 0.5,
  assignedTo: `clerk-${HOSTILE}`,
  escalatedAt: new Date('2026-11-30T09:00:00Z'),
  reasons: ['no_po', 'low_confidence'],
  waitingOn: path(`approver-${HOSTILE}`),
  vendorName: `vendor-${HOSTILE}`,
  invoiceNumber: `number-${HOSTILE}`,
  poNumber: `po-${HOSTILE}`,
  total: `1${HOSTILE}`,
  currency: `cur-${HOSTILE}`,
  ...over,
});

test('every value in a queue row is escaped, in text and in attributes', () => {
  const out = rendered(
    QueueRows({
      rows: [row(), row({ invoiceNumber: null, status: 'synced' })],
      slaHours: 24,
      refreshUrl: `/invoices/rows?vendor=${HOSTILE}`,
      selected: [`inv-${HOSTILE}`],
    }),
  );
  assert.ok(!out.includes('<img'), out);
  assert.ok(!out.includes(HOSTILE), out);
  for (const shown of [
    `data-invoice="inv-${ESCAPED}"`,
    `value="inv-${ESCAPED}"`,
    `aria-label="Select number-${ESCAPED}"`,
    `href="/invoices/inv-${ESCAPED}"`,
    `hx-get="/invoices/rows?vendor=${ESCAPED}"`,
    `>number-${ESCAPED}</a>`,
    `>file-${ESCAPED}.pdf</a>`,
    ` · clerk-${ESCAPED}</span>`,
    `<td>vendor-${ESCAPED}</td>`,
    `<td>po-${ESCAPED}</td>`,
    `<td>due-${ESCAPED}</td>`,
    `<td class="num">1${ESCAPED} cur-${ESCAPED}</td>`,
    `waits on approver-${ESCAPED}`,
  ]) {
    assert.ok(out.includes(shown), `missing ${shown} in ${out}`);
  }
});

test('each row has its ten cells; only reviewable rows have a checkbox, ticked when selected', () => {
  const rows = [
    row({ id: 'a' }),
    row({ id: 'b', status: 'synced' }),
    row({ id: 'c', status: 'on_hold' }),
    row({ id: 'd', waitingOn: null }),
  ];
  const out = rendered(QueueRows({ rows, slaHours: 24, selected: ['c'] }));
  const trs = out.split('<tr ').slice(1);
  assert.equal(trs.length, rows.length);
  for (const tr of trs) assert.equal(tr.split('<td').length - 1, 10, tr);
  assert.deepEqual(
    [...out.matchAll(/<input type="checkbox" name="ids" value="(\w)" form="bulk"( checked="")?/g)].map(
      (m) => m[1] + (m[2] ? '+' : ''),
    ),
    ['a', 'c+', 'd'],
  );
  assert.ok(!out.includes('hx-get'), 'no refresh without a refresh URL');
  assert.equal(rendered(QueueRows({ rows: [], slaHours: 24 })).includes('No invoices here.'), true);
});
