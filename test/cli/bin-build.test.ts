// The plexsync bin runs the built CLI (dist/cli) and, when that build is missing or older than a source,
// says so and runs the TypeScript sources instead. Exercised on a copy of the bin beside links to the real
// sources, so that the repository's own build is left alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './npx.js';

function checkoutWithoutBuild(): string {
  const copy = mkdtempSync(join(tmpdir(), 'plexsync-bin-'));
  for (const entry of readdirSync(ROOT)) {
    if (entry === 'dist' || entry === 'bin' || entry.startsWith('.')) continue;
    symlinkSync(join(ROOT, entry), join(copy, entry));
  }
  cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true }); // copied: the bin finds the checkout from its own path
  return copy;
}

const runBin = (checkout: string, args: string[]) =>
  spawnSync(process.execPath, [join(checkout, 'bin', 'plexsync.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    timeout: 60_000,
  });

test('without a build, the bin says so and runs the sources', () => {
  const checkout = checkoutWithoutBuild();
  const r = runBin(checkout, ['frobnicate']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /^plexsync: the CLI is not built; running from the TypeScript sources \(slower start\)\. `npm run build` builds it\.$/m,
  );
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('with a build older than a source, the bin names the changed file and runs the sources', () => {
  const checkout = checkoutWithoutBuild();
  mkdirSync(join(checkout, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(checkout, 'dist', 'cli', 'main.js'), 'throw new Error("the stale build must not run");\n');
  writeFileSync(
    join(checkout, 'dist', 'cli', 'build.json'),
    JSON.stringify({ builtAtMs: 0, inputs: ['cli/main.ts', 'cli/extract.ts'] }),
  );
  const r = runBin(checkout, ['frobnicate']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /^plexsync: cli\/main\.ts changed after the CLI was built; running from the TypeScript sources/m,
  );
});
