// The folder layers (eslint.config.js LAYERS): docs/architecture.md shows the same table, and a
// forbidden import fails the lint while an allowed one passes — checked by linting real files of each
// folder with one import added, so the rule is known to bite, not only to be configured. The same way:
// benches, scripts and testkit/ import testkit/ but never test/, and production code never imports testkit/.
// Test tier: full (no server, but too slow for `npm test -- --fast`).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The lint's own table, read from the config file (plain JavaScript, outside the type-checked project).
const { LAYERS: layers } = (await import(new URL('../../eslint.config.js', import.meta.url).href)) as {
  LAYERS: Record<string, string[]>;
};
const folders = Object.keys(layers);

/** The first .ts/.tsx file at the top of a folder: a real file the lint's type information knows. */
function fileIn(folder: string): string {
  const name = readdirSync(join(ROOT, folder))
    .sort()
    .find((f) => /\.tsx?$/.test(f) && statSync(join(ROOT, folder, f)).isFile());
  assert.ok(name, `${folder}/ has a .ts file`);
  return join(ROOT, folder, name);
}

/** The import rule's messages when `specifiers` are added to a real file of `folder`. */
async function importErrors(eslint: ESLint, folder: string, specifiers: string[]): Promise<Map<string, string>> {
  const path = fileIn(folder);
  const added = specifiers.map((s) => `import '${s}';`);
  const original = readFileSync(path, 'utf8');
  const [result] = await eslint.lintText(`${added.join('\n')}\n${original}`, { filePath: path });
  const errors = new Map<string, string>();
  for (const m of result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.line <= added.length)) {
    if (!errors.has(specifiers[m.line - 1]!)) errors.set(specifiers[m.line - 1]!, m.message);
  }
  return errors;
}

test('docs/architecture.md shows the layers the lint enforces', () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const [, folder, allowed] of doc.matchAll(/^\| `([\w-]+)\/` \| (.*?) \|$/gm)) {
    rows.set(folder!, [...allowed!.matchAll(/`([\w-]+)\/`/g)].map((m) => m[1]!).sort());
  }
  assert.deepEqual(Object.fromEntries(rows), Object.fromEntries(folders.map((f) => [f, [...layers[f]!].sort()])));
});

test('every production folder is in the layers', () => {
  const skip = new Set([
    'node_modules',
    'test',
    'testkit',
    'bench',
    'scripts',
    'docs',
    'bin',
    'dist',
    'test-artifacts',
  ]);
  const withCode = readdirSync(ROOT)
    .filter((name) => !name.startsWith('.') && !skip.has(name) && statSync(join(ROOT, name)).isDirectory())
    .filter((name) => readdirSync(join(ROOT, name), { recursive: true }).some((f) => /\.tsx?$/.test(String(f))));
  assert.deepEqual(withCode.sort(), [...folders].sort(), 'folders with code vs LAYERS in eslint.config.js');
});

test('an import of a higher folder fails the lint; one of an allowed folder passes', { timeout: 240_000 }, async () => {
  const eslint = new ESLint({ cwd: ROOT });
  for (const folder of folders) {
    const forbidden = folders.filter((f) => f !== folder && !layers[folder]!.includes(f));
    const allowed = layers[folder]!.filter((f) => f !== 'activities'); // workflows: activities only via activities/index.js
    const specifier = (target: string) => `../${target}/index.js`;
    const errors = await importErrors(eslint, folder, [...forbidden, ...allowed].map(specifier));
    for (const target of forbidden) {
      assert.match(
        errors.get(specifier(target)) ?? '',
        new RegExp(`${folder}/ may import only`),
        `${folder}/ importing ${target}/ must fail the lint`,
      );
    }
    for (const target of allowed)
      assert.equal(errors.get(specifier(target)), undefined, `${folder}/ may import ${target}/`);
  }
  // The one deliberate violation the layers exist for: the web's core reached from below.
  const [violation] = [...(await importErrors(eslint, 'extract', ['../services/invoices.js'])).values()];
  assert.match(violation ?? '', /extract\/ may import only domain\//);
});

test(
  'benches, scripts and testkit/ do not import test/; production code does not import testkit/',
  { timeout: 240_000 },
  async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const fromTest = '../test/support/x.js';
    const fromTestkit = '../testkit/corpus.js';
    const bench = await importErrors(eslint, 'bench', [fromTest, fromTestkit]);
    assert.match(bench.get(fromTest) ?? '', /Benches and scripts use testkit\/, not test\//);
    assert.equal(bench.get(fromTestkit), undefined, 'bench/ may import testkit/');
    const scripts = await importErrors(eslint, 'scripts', [fromTest]);
    assert.match(scripts.get(fromTest) ?? '', /Benches and scripts use testkit\/, not test\//);
    const testkit = await importErrors(eslint, 'testkit', [fromTest]);
    assert.match(testkit.get(fromTest) ?? '', /testkit\/ is shared by tests and benches/);
    for (const folder of ['extract', 'api']) {
      const [message] = (await importErrors(eslint, folder, [fromTestkit])).values();
      assert.match(
        message ?? '',
        /Production code does not import testkit\//,
        `${folder}/ importing testkit/ must fail the lint`,
      );
    }
  },
);
