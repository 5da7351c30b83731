// Determinism guard: recorded histories of real executions must replay against the current workflow
// code. A change that alters the order of commands fails here (use patched() for such changes).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../testkit/stack.js';

const DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

test('recorded invoice histories replay without nondeterminism', async () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  assert.ok(files.length >= 4, 'fixtures are present');
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(`${DIR}${f}`, 'utf8')) as Record<string, unknown>,
    ),
  }));
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories))
    results.push(result);
  assert.equal(results.length, files.length);
  for (const r of results) assert.equal(r.error, undefined, `${r.workflowId}: ${r.error?.message}`);
});
