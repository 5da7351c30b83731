// The audit log's hash chain: appends are idempotent and any edit or deletion is detected; a transition is
// audited before the read model shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuditActivities } from '../../activities/audit.js';
import { appendAudit, verifyAuditChain } from '../../db/audit.js';
import type { Sql } from '../../db/client.js';
import { putDocument } from '../../db/documents.js';
import { getInvoice, insertInvoice } from '../../db/invoices.js';
import { migrate } from '../../db/migrate.js';
import { createTestDatabase } from '../support/database.js';

let sql: Sql;
let database: Awaited<ReturnType<typeof createTestDatabase>>;

before(async () => {
  database = await createTestDatabase('plexsync_audit');
  sql = database.sql;
  assert.ok((await migrate(sql)).length > 0);
  assert.deepEqual(await migrate(sql), [], 'migrations apply once');
});
after(async () => {
  await database?.close();
});

const event = (i: number) => ({
  eventKey: `k-${i}`,
  invoiceId: 'inv-1',
  kind: 'test.event',
  actor: 'tester',
  data: { i, note: `entry ${i}`, nested: { b: 1, a: [1, 2] } },
});

test('concurrent appends form one unbroken chain and a repeated key is stored once', async () => {
  await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(sql, event(i))));
  const again = await appendAudit(sql, event(3));
  assert.equal(again.eventKey, 'k-3');
  const [count] = await sql<{ n: string }[]>`select count(*)::text as n from audit_log`;
  assert.equal(Number(count!.n), 20);
  const result = await verifyAuditChain(sql);
  assert.deepEqual(result, { ok: true, checked: 20 });
});

test('editing an entry is detected at that entry', async () => {
  await sql`update audit_log set data = jsonb_set(data, '{note}', '"tampered"') where event_key = 'k-5'`;
  const [row] = await sql<{ seq: string }[]>`select seq::text from audit_log where event_key = 'k-5'`;
  const result = await verifyAuditChain(sql);
  assert.equal(result.ok, false);
  assert.equal(result.firstBad?.seq, row!.seq);
  assert.match(result.firstBad.reason, /edited/);
});

test('deleting an entry breaks the link of the next one', async () => {
  await sql`delete from audit_log`;
  for (let i = 0; i < 5; i++) await appendAudit(sql, event(100 + i));
  assert.equal((await verifyAuditChain(sql)).ok, true);
  await sql`delete from audit_log where event_key = 'k-102'`;
  const result = await verifyAuditChain(sql);
  assert.equal(result.ok, false);
  assert.match(result.firstBad!.reason, /removed|reordered/);
});

test('a transition is audited before the read model shows it: an entry that cannot be written leaves the status as it was', async () => {
  const sha256 = 'f'.repeat(64);
  const bytes = Buffer.from('%PDF-');
  await putDocument(sql, { sha256, bytes, sizeBytes: 5, mimeType: 'application/pdf', pageCount: 1, fileName: 'a.pdf' });
  await insertInvoice(sql, { id: 'inv-order', documentSha256: sha256, fileName: 'a.pdf', uploadedBy: 'tester' });
  const activities = createAuditActivities({ sql, clock: () => new Date() } as never);
  const transition = (data: Record<string, unknown>) =>
    activities.recordTransition({
      invoiceId: 'inv-order',
      status: 'split',
      fields: null,
      confidence: null,
      escalated: false,
      lastError: null,
      autoApproved: null,
      syncedAt: null,
      audit: { eventKey: 'inv-order:split', kind: 'document.split', actor: 'system', data },
    } as never);
  // data JSON cannot hold: the entry fails, and with it the transition, which the workflow retries
  await assert.rejects(transition({ parts: 10n }));
  assert.equal((await getInvoice(sql, 'inv-order'))?.status, 'received');
  await transition({ parts: 2 });
  assert.equal((await getInvoice(sql, 'inv-order'))?.status, 'split');
  const [entry] = await sql<{ kind: string }[]>`select kind from audit_log where event_key = 'inv-order:split'`;
  assert.equal(entry?.kind, 'document.split');
});
