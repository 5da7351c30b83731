// The invoice workflow on Temporal's time-skipping test server, with its activities replaced by stubs that
// record what they were asked: days of review timers in milliseconds, without the rest of the stack.
// The server is the one Temporal publishes for its Java SDK, installed by the test run (scripts/lib/
// temporal-test-server.ts; PLEXSYNC_TEST_SERVER is its launcher).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure, SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { createActivities } from '../../activities/index.js';
import { emptyField, HEADER_FIELD_NAMES, type Extraction } from '../../domain/extraction.js';
import type { InvoiceState, InvoiceWorkflowInput } from '../../domain/invoice.js';
import type { MatchResult } from '../../domain/match.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../domain/search-attributes.js';
import { plexTaskQueue } from '../../domain/task-queues.js';
import { invoiceWorkflow } from '../../workflows/invoice.js';
import { eventually } from '../support/eventually.js';
import { invoiceStateQuery, recallUpdate, retrySyncSignal, reviewUpdate } from '../../workflows/messages.js';

type Activities = ReturnType<typeof createActivities>;
const { temporal } = proto;
const TASK_QUEUE = 'invoices-time-skipping';
const WORKFLOWS = new URL('../../workflows/index.ts', import.meta.url).pathname;

/** A reading whose fields are all there; below the threshold, so a clerk reviews it. */
function reading(confidence: number): Extraction {
  const fields = Object.fromEntries(HEADER_FIELD_NAMES.map((name) => [name, emptyField()])) as Extraction['fields'];
  const set = (name: keyof Extraction['fields'], value: string | string[]) =>
    Object.assign(fields[name], { value, confidence });
  set('invoiceNumber', 'INV-9001');
  set('vendorName', 'Acme Fasteners Inc.');
  set('invoiceDate', '2026-03-14');
  set('total', '86.60');
  set('currency', 'USD');
  set('poNumbers', ['4500012']);
  return { fields, lineItems: [], confidence, pageCount: 1, pages: [], warnings: [], extractor: 'stub' };
}

const MATCHED: MatchResult = {
  status: 'matched',
  reason: 'PO 4500012 has one open "Received" placeholder',
  score: 1,
  evidence: [],
  purchaseOrder: {
    id: 'po-1',
    poNumber: '4500012',
    status: 'Open',
    supplierId: 'sup-1',
    supplierName: 'Acme Fasteners Inc.',
    supplierCode: 'ACME',
    currencyCode: 'USD',
    lineItemTotal: '80.00',
  },
  placeholder: {
    id: 'ph-1',
    invoiceNumber: 'Received',
    status: 'Open',
    poNumber: '4500012',
    supplierCode: 'ACME',
    amount: '80.00',
    currencyCode: 'USD',
  },
  warnings: [],
  duplicateOf: null,
  candidates: [],
};

/** Stub activities: what each stage was asked, and a sync that fails as many times as told. */
function stubs() {
  const calls = { transitions: [] as string[], decisions: [] as string[], syncs: 0, notified: [] as string[] };
  let failSyncs = 0;
  const activities: Partial<Activities> = {
    parseDocument: async () => reading(0.5),
    matchInvoice: async () => MATCHED,
    recordTransition: async (input) => void calls.transitions.push(input.status),
    recordDecision: async ({ decision }) => void calls.decisions.push(decision.action),
    syncToPlex: async (input) => {
      calls.syncs++;
      if (failSyncs-- > 0) throw ApplicationFailure.nonRetryable('Plex answered 503', 'PlexUnavailable');
      return { placeholderId: input.placeholderId, invoiceNumber: 'INV-9001', alreadyApplied: false };
    },
    planNotification: async (req) => {
      calls.notified.push(req.event);
      return {
        channels: [],
        skipped: ['no channel configured'],
        retry: { maxAttempts: 1, initialInterval: '1s', maximumInterval: '1s' },
      };
    },
    giveUpNotifications: async () => 0,
  };
  return {
    activities,
    calls,
    failNextSyncs: (n: number) => (failSyncs = n),
  };
}

let env: TestWorkflowEnvironment;
let worker: Worker;
let plexWorker: Worker;
let running: Promise<unknown>;
let stub = stubs();

const settings = (over: Partial<InvoiceWorkflowInput['settings']> = {}): InvoiceWorkflowInput['settings'] => ({
  autoApproveThreshold: 0.95,
  escalateAfter: '24h',
  sync: { maxAttempts: 1, initialInterval: '1s', maximumInterval: '1s' },
  undoWindow: '0s',
  ...over,
});

async function start(over: Partial<InvoiceWorkflowInput['settings']> = {}) {
  const invoiceId = randomUUID();
  return env.client.workflow.start(invoiceWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: invoiceId,
    args: [
      {
        invoiceId,
        documentSha256: 'a'.repeat(64),
        fileName: 'invoice.pdf',
        uploadedBy: 'clerk@example.com',
        settings: settings(over),
      },
    ],
  });
}

const state = (handle: Awaited<ReturnType<typeof start>>) => handle.query<InvoiceState>(invoiceStateQuery);
/** The started invoice, once it waits for a clerk (parsed and matched by the stubs). */
async function awaitingReview(over: Partial<InvoiceWorkflowInput['settings']> = {}) {
  const handle = await start(over);
  await eventually('the invoice waits for review', async () => (await state(handle)).status === 'awaiting_review', {
    intervalMs: 20,
  });
  return handle;
}
const approve = { action: 'approve' as const, actor: 'clerk@example.com', corrections: {} };

before(async () => {
  const server = process.env.PLEXSYNC_TEST_SERVER;
  assert.ok(server, 'PLEXSYNC_TEST_SERVER names the test server launcher (the test run installs it)');
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: server } },
  });
  // The search attributes the workflow keeps current, registered as the dev server's flags register them.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTE_KEYS.map((key) => [
        key.name,
        key.type === SearchAttributeType.DOUBLE
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  // One set of activities for the run, each calling the current test's stub of the same name.
  type Forwarded = (...args: unknown[]) => Promise<unknown>;
  const forward = (name: string): [string, Forwarded] => [
    name,
    (...args: unknown[]) => (stub.activities as Record<string, Forwarded>)[name]!(...args),
  ];
  const names = ['parseDocument', 'recordTransition', 'recordDecision', 'planNotification', 'giveUpNotifications'];
  const plexNames = ['matchInvoice', 'syncToPlex'];
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: WORKFLOWS,
    activities: Object.fromEntries(names.map(forward)),
  });
  plexWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: plexTaskQueue(TASK_QUEUE),
    activities: Object.fromEntries(plexNames.map(forward)),
  });
  running = Promise.all([worker.run(), plexWorker.run()]);
});

after(async () => {
  worker?.shutdown();
  plexWorker?.shutdown();
  await running;
  await env?.teardown();
});

describe('the invoice workflow, with time skipped', () => {
  test('an invoice nobody reviews escalates after 24 hours, is announced once, and can still be approved', async () => {
    stub = stubs();
    const handle = await start({ escalateAfter: '24h' });
    await env.sleep('23h');
    assert.equal((await state(handle)).status, 'awaiting_review');
    await env.sleep('2h');
    const escalated = await state(handle);
    assert.equal(escalated.status, 'escalated');
    assert.equal(escalated.escalated, true);
    assert.deepEqual(stub.calls.notified, ['escalated']);
    await handle.executeUpdate(reviewUpdate, { args: [approve] });
    const done = await handle.result();
    assert.equal(done.status, 'synced');
    assert.equal(stub.calls.syncs, 1);
    assert.deepEqual(stub.calls.decisions, ['approve']);
  });

  test('a failed sync parks the invoice in sync_failed, announced, until a replay syncs it', async () => {
    stub = stubs();
    stub.failNextSyncs(1);
    const handle = await awaitingReview();
    await handle.executeUpdate(reviewUpdate, { args: [approve] });
    await env.sleep('1m');
    const failed = await state(handle);
    assert.equal(failed.status, 'sync_failed');
    assert.match(failed.sync.lastError ?? '', /503/);
    assert.deepEqual(stub.calls.notified, ['sync_failed']);
    await handle.signal(retrySyncSignal, { actor: 'ops@example.com' });
    assert.equal((await handle.result()).status, 'synced');
    assert.equal(stub.calls.syncs, 2);
  });

  test('an approval waits out its undo window: recalled inside it, nothing is written and the invoice is back in review', async () => {
    stub = stubs();
    const handle = await awaitingReview({ undoWindow: '10m' });
    const { decisionId } = await handle.executeUpdate(reviewUpdate, { args: [approve] });
    await env.sleep('5m');
    assert.equal(stub.calls.syncs, 0, 'no write inside the window');
    await handle.executeUpdate(recallUpdate, { args: [{ actor: 'clerk@example.com', decisionId }] });
    await env.sleep('1h');
    const back = await state(handle);
    assert.equal(back.status, 'awaiting_review');
    assert.equal(stub.calls.syncs, 0, 'a recalled approval writes nothing');
    // Approved again and left alone: the sync starts when the window closes.
    await handle.executeUpdate(reviewUpdate, { args: [approve] });
    assert.equal((await handle.result()).status, 'synced');
    assert.equal(stub.calls.syncs, 1);
  });

  test('two clerks deciding at once: one decision is taken, the other is refused, and one write is made', async () => {
    stub = stubs();
    const handle = await awaitingReview();
    const decide = (actor: string) =>
      handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', actor, corrections: {} }] });
    const outcomes = await Promise.allSettled([decide('anna@example.com'), decide('ben@example.com')]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, JSON.stringify(outcomes));
    const refused = outcomes.find((o) => o.status === 'rejected');
    assert.match(
      String((refused?.reason as { cause?: Error } | undefined)?.cause?.message),
      /being decided by someone else|not awaiting review/,
    );
    assert.equal((await handle.result()).status, 'synced');
    assert.equal(stub.calls.syncs, 1);
    assert.deepEqual(stub.calls.decisions, ['approve']);
  });

  test('sent back, the invoice is matched again and waits for review again; its escalation still comes', async () => {
    stub = stubs();
    const handle = await awaitingReview({ escalateAfter: '8h' });
    await handle.executeUpdate(reviewUpdate, {
      args: [{ action: 'send_back', actor: 'clerk@example.com', reason: 'check the PO', corrections: {} }],
    });
    await env.sleep('1m');
    assert.equal((await state(handle)).status, 'awaiting_review');
    await env.sleep('9h');
    assert.equal((await state(handle)).status, 'escalated');
    await handle.executeUpdate(reviewUpdate, {
      args: [{ action: 'reject', actor: 'clerk@example.com', reason: 'not ours', corrections: {} }],
    });
    assert.equal((await handle.result()).status, 'rejected');
    assert.deepEqual(stub.calls.decisions, ['send_back', 'reject']);
    assert.equal(stub.calls.syncs, 0);
  });
});
