// Whether the built CLI (dist/cli, made by scripts/build.ts) is there and newer than every source file it
// was built from. Plain JavaScript so that the bin can ask before any TypeScript tooling is loaded.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist', 'cli');
export const MANIFEST = join(DIST, 'build.json');
export const ENTRY = join(DIST, 'main.js');

/**
 * `{ fresh: true }`, or `{ fresh: false, reason }` saying what is missing or changed. The manifest lists
 * every input esbuild read; a source edited, checked out or deleted after the build makes it stale. A new
 * file can only matter once an existing one imports it, and that one is then newer than the build.
 */
export function buildState() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    statSync(ENTRY);
  } catch {
    return { fresh: false, reason: 'the CLI is not built' };
  }
  for (const input of manifest.inputs) {
    let modified;
    try {
      modified = statSync(join(ROOT, input)).mtimeMs;
    } catch {
      // an installed package ships dist/ without the sources: nothing to compare with
      if (input === manifest.inputs[0]) return { fresh: true };
      return { fresh: false, reason: `${input} is gone since the CLI was built` };
    }
    if (modified > manifest.builtAtMs) return { fresh: false, reason: `${input} changed after the CLI was built` };
  }
  return { fresh: true };
}
