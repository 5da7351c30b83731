// The fast test tier (`npm test -- --fast`): the test files that need no server and start no process, so
// they run without Temporal, PostgreSQL or Chromium. A file is in the full tier when it reaches a module
// that starts servers or a browser (through its imports, followed transitively), starts processes itself,
// or says so in a line `// Test tier: full` (serverless but slow: corpus accuracy floors, sandbox time limits).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Modules whose import means the test needs real servers or a browser. */
const NEEDS_SERVERS = ['testkit/services.ts', 'testkit/browser.ts'];
const STARTS_PROCESSES = /from 'node:child_process'|from "node:child_process"/;
const FULL_MARKER = /^\/\/ Test tier: full\b/m;
const TYPE_ONLY_IMPORT = /^\s*(?:import|export) type\b[^;]*?from\s*['"][^'"]+['"];?/gm;
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** The repository files a module imports, followed through relative imports; `.js` specifiers name `.ts(x)` sources. */
function importsOf(root: string, file: string, seen = new Set<string>()): Set<string> {
  // Type-only imports are erased when the file runs: what they name is never loaded.
  const loaded = readFileSync(join(root, file), 'utf8').replace(TYPE_ONLY_IMPORT, '');
  for (const [, specifier] of loaded.matchAll(IMPORT)) {
    const target = resolve(root, dirname(file), specifier!);
    const source = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx')].find(
      (p) => /\.tsx?$/.test(p) && existsSync(p),
    );
    if (!source) continue;
    const path = relative(root, source);
    if (seen.has(path)) continue;
    seen.add(path);
    importsOf(root, path, seen);
  }
  return seen;
}

export type Tier = 'fast' | 'full';

/** Which tier a test file (repository-relative) belongs to, and why when it is the full one. */
export function tierOf(root: string, file: string): { tier: Tier; reason?: string } {
  const text = readFileSync(join(root, file), 'utf8');
  if (FULL_MARKER.test(text)) return { tier: 'full', reason: 'marked "Test tier: full"' };
  const imports = importsOf(root, file);
  const server = NEEDS_SERVERS.find((m) => imports.has(m));
  if (server) return { tier: 'full', reason: `imports ${server}` };
  const spawner = [file, ...imports].find((f) => STARTS_PROCESSES.test(readFileSync(join(root, f), 'utf8')));
  if (spawner) return { tier: 'full', reason: spawner === file ? 'starts processes' : `starts processes (${spawner})` };
  return { tier: 'fast' };
}
