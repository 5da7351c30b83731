// `npm test -- --fast` runs the files that need no server and start no process: the tier follows from a
// file's imports (followed transitively), so a test that starts the stack can never slip into it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('a type-only import loads nothing: the workflow tests on the time-skipping server are fast', () => {
  // time-skipping.test.ts names the activities' types (activities/ reaches the reader processes), runs no stack
  assert.deepEqual(tierOf(ROOT, 'test/workflows/time-skipping.test.ts'), { tier: 'fast' });
  const dir = mkdtempSync(join(tmpdir(), 'plexsync-tiers-'));
  try {
    writeFileSync(
      join(dir, 'spawns.ts'),
      "import { spawn } from 'node:child_process';\nexport type Spawned = typeof spawn;\n",
    );
    writeFileSync(
      join(dir, 'typed.test.ts'),
      "import type {\n  Spawned,\n} from './spawns.js';\nexport const x = 1;\n",
    );
    writeFileSync(join(dir, 'loaded.test.ts'), "import { type Spawned } from './spawns.js';\nexport const x = 1;\n");
    assert.deepEqual(tierOf(dir, 'typed.test.ts'), { tier: 'fast' });
    assert.equal(
      tierOf(dir, 'loaded.test.ts').tier,
      'full',
      'an import with a value part (even only types inside) is followed',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
