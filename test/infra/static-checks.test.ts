// The type checker and the linter (workflow sandbox rules, no floating promises) run with the tests,
// so CI refuses code that would only fail at run time or in a replay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;

test('TypeScript compiles in strict mode without errors', () => {
  const r = spawnSync(bin('tsc'), ['--noEmit', '-p', '.'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('ESLint passes (workflow code imports no Node built-ins or I/O modules; no floating promises)', () => {
  const r = spawnSync(bin('eslint'), ['.'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
