// `npm test -- --fast` runs the files that need no server and start no process: the tier follows from a
// file's imports (followed transitively), so a test that starts the stack can never slip into it.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { tierOf } from '../../scripts/lib/test-tiers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('a test that reaches the servers or a browser, even through a helper, is in the full tier', () => {
  assert.deepEqual(tierOf(ROOT, 'test/lifecycle/lifecycle.test.ts').tier, 'full');
  assert.match(tierOf(ROOT, 'test/web/queue-actions.test.ts').reason ?? '', /imports testkit\/(services|browser)\.ts/);
});

test('a test that starts processes, or is marked slow, is in the full tier; a pure one is fast', () => {
  assert.deepEqual(tierOf(ROOT, 'test/infra/static-checks.test.ts'), { tier: 'full', reason: 'starts processes' });
  assert.match(tierOf(ROOT, 'test/cli/plex-check.test.ts').reason ?? '', /starts processes \(test\/cli\/npx\.ts\)/);
  assert.deepEqual(tierOf(ROOT, 'test/extract/hostile.test.ts'), { tier: 'full', reason: 'marked "Test tier: full"' });
  assert.deepEqual(tierOf(ROOT, 'test/extract/normalize.test.ts'), { tier: 'fast' });
  assert.deepEqual(tierOf(ROOT, 'test/workflows/rules.test.ts'), { tier: 'fast' });
});
