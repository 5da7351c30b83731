// The workflow thread evaluates zod's library code once for all workflows instead of once per workflow
// (workflows/shared-libraries.ts): the bundle loads that module before any workflow, and holds one copy of
// zod, so the domain modules' imports find the shared one. The thread freezes what it shares; recorded histories replaying one after
// another in one thread (test/workflows/replay.test.ts) show that the frozen libraries still work and carry
// nothing from one workflow to the next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workflowBundle } from '../../testkit/stack.js';
import { SHARED_WORKFLOW_MODULES } from '../../worker/workflow-code.js';

test('zod is loaded once, before any workflow, and nothing in the bundle loads its own copy', async () => {
  const { code } = await workflowBundle();
  assert.deepEqual(
    SHARED_WORKFLOW_MODULES.map((path) => path.replace(/^.*\/(workflows\/)/, '$1')),
    ['workflows/shared-libraries.ts'],
  );
  const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
  // a module its package marks free of side effects would see a bare import dropped, and the preload do nothing
  assert.match(preload, /"\.\/workflows\/shared-libraries\.ts"/);
  // one copy of zod in the bundle (the one loaded first), however the domain modules import it
  const zodEntries = [...code.matchAll(/^\/\*\*\*\/ "(\.\/node_modules\/zod\/[^"]*\/(?:index|external)\.c?js)"/gm)];
  assert.ok(zodEntries.length > 0, 'zod is in the bundle');
  assert.ok(
    zodEntries.every((m) => !m[1]!.endsWith('.cjs')),
    'no CommonJS second copy of zod',
  );
});
