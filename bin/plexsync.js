#!/usr/bin/env node
// The `plexsync` command. Runs the built CLI (dist/cli, made by `npm run build`, which the test and run
// commands redo when a source changed). When the build is missing or stale it says so and runs the
// TypeScript sources through tsx instead, which works but starts about a second slower.
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { buildState, DIST, ENTRY } from './build-state.js';

const state = buildState();
let cli;
if (state.fresh) {
  // V8 keeps the compiled code of the CLI and its packages on disk: later starts skip compiling pdf.js & co.
  module.enableCompileCache?.(`${DIST}/.compile-cache`);
  cli = await import(pathToFileURL(ENTRY).href);
} else {
  process.stderr.write(
    `plexsync: ${state.reason}; running from the TypeScript sources (slower start). \`npm run build\` builds it.\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../cli/main.ts');
}
await cli.run(process.argv.slice(2));
