// The type checker, the linter (workflow sandbox rules, no floating promises) and the formatter's check run
// with the tests, so CI refuses code that would only fail at run time or in a replay, and unformatted code.
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

test('Prettier finds every TypeScript and JavaScript file formatted (`npm run format` formats them)', () => {
  const r = spawnSync(bin('prettier'), ['--check', '.'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
