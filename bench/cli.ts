// The plexsync command's start-up and its reading of text PDFs against `pdftotext -layout` on the same files,
// in one run. Each command runs as a child process `--runs` times; the median wall time and the CPU time
// of the children (user + system, from /proc) are printed, and ratios against pdftotext:
//   start-up  — `plexsync extract missing.pdf`: every module the command needs is loaded and the extractor
//               made, then it stops at the missing file (target ≤ 300 ms)
//   one file  — `plexsync extract FILE --json` less Node's own start-up (`node -e 0`) (target ≤ 3×)
//   a folder  — `plexsync extract DIR --json`, per file, less the start-up above
// --profile adds a CPU profile (`--cpu-prof`) of one `extract FILE`, summed by package and by function.
// Usage: npm run bench:cli -- [DIR of text PDFs; default: generated invoices] [--runs 5] [--profile]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENTRY } from '../bin/build-state.js';
import { ensureCliBuilt } from '../scripts/build.js';
import { makeInvoicePdf } from '../testkit/invoice-pdf.js';
import { uniqueInvoice } from '../testkit/stack.js';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, profile: { type: 'boolean' } },
  allowPositionals: true,
});
const RUNS = Number(values.runs);
const BIN = new URL('../bin/plexsync.js', import.meta.url).pathname;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Seconds of CPU used by this process's waited-for children so far (utime + stime of children). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

function time(command: string, args: string[], expectStatus: number): Timing {
  const walls: number[] = [];
  const cpuBefore = childrenCpuMs();
  for (let i = 0; i < RUNS; i++) {
    const startedAt = performance.now();
    const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    walls.push(performance.now() - startedAt);
    if (r.status !== expectStatus) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  walls.sort((a, b) => a - b);
  return { wallMs: walls[Math.floor(walls.length / 2)]!, cpuMs: (childrenCpuMs() - cpuBefore) / RUNS };
}

const perFile = (t: Timing, n: number, less: Timing = { wallMs: 0, cpuMs: 0 }): Timing => ({
  wallMs: (t.wallMs - less.wallMs) / n,
  cpuMs: (t.cpuMs - less.cpuMs) / n,
});
const minus = (a: Timing, b: Timing): Timing => ({ wallMs: a.wallMs - b.wallMs, cpuMs: a.cpuMs - b.cpuMs });
const ms = (t: Timing) => `${t.wallMs.toFixed(0).padStart(6)} ms wall ${t.cpuMs.toFixed(0).padStart(6)} ms CPU`;
const ratio = (a: Timing, b: Timing) =>
  `${(a.wallMs / b.wallMs).toFixed(1)}× wall, ${(a.cpuMs / b.cpuMs).toFixed(1)}× CPU`;

async function textPdfs(): Promise<{ dir: string; files: string[]; cleanup(): void }> {
  if (positionals[0]) {
    const dir = positionals[0];
    return {
      dir,
      files: readdirSync(dir)
        .filter((f) => f.toLowerCase().endsWith('.pdf'))
        .sort()
        .map((f) => join(dir, f)),
      cleanup() {},
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'plexsync-bench-cli-'));
  const files: string[] = [];
  for (let i = 0; i < 8; i++) {
    const file = join(dir, `invoice-${i}.pdf`);
    writeFileSync(file, await makeInvoicePdf(uniqueInvoice()));
    files.push(file);
  }
  return { dir, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const rebuilt = await ensureCliBuilt();
  if (rebuilt) console.log(`Rebuilt the CLI (${rebuilt}).`);
  const corpus = await textPdfs();
  try {
    const node = process.execPath;
    // One run first so that the compile cache is warm, as it is for every run after the first.
    spawnSync(node, [BIN, 'extract', corpus.files[0]!, '--json']);
    const nodeStart = time(node, ['-e', '0'], 0);
    const usage = time(node, [BIN], 2);
    const startup = time(node, [BIN, 'extract', join(corpus.dir, 'missing.pdf')], 1);
    const pdftotext = perFile(
      corpus.files.map((f) => time('pdftotext', ['-layout', f, '-'], 0)).reduce(sum),
      corpus.files.length,
    );
    const oneFile = perFile(
      corpus.files.map((f) => time(node, [BIN, 'extract', f, '--json'], 0)).reduce(sum),
      corpus.files.length,
    );
    const folder = time(node, [BIN, 'extract', corpus.dir, '--json'], 0);

    console.log(
      `plexsync CLI (${ENTRY.replace(process.cwd() + '/', '')}) on ${corpus.files.length} text PDFs, median of ${RUNS} runs\n`,
    );
    console.log(`node -e 0 (Node start-up)               ${ms(nodeStart)}`);
    console.log(`plexsync (usage)                        ${ms(usage)}`);
    console.log(
      `plexsync extract start-up               ${ms(startup)}   less Node: ${ms(minus(startup, nodeStart))}   target ≤ 300 ms`,
    );
    console.log(`pdftotext -layout, per file             ${ms(pdftotext)}`);
    console.log(`plexsync extract FILE, per file         ${ms(oneFile)}`);
    const oneLessNode = minus(oneFile, nodeStart);
    console.log(
      `  less Node start-up                    ${ms(oneLessNode)}   vs pdftotext: ${ratio(oneLessNode, pdftotext)} (target ≤ 3×)`,
    );
    const inFolder = perFile(folder, corpus.files.length, startup);
    console.log(
      `plexsync extract DIR, per file          ${ms(inFolder)}   vs pdftotext: ${ratio(inFolder, pdftotext)}`,
    );

    if (values.profile) {
      const dir = mkdtempSync(join(tmpdir(), 'plexsync-cpu-prof-'));
      spawnSync(node, ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, 'extract', corpus.files[0]!, '--json']);
      const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
      console.log(
        `\nCPU profile of one \`plexsync extract FILE --json\`:\n${summariseProfile(readFileSync(join(dir, profile), 'utf8'))}`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    corpus.cleanup();
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time by package (or our own file) and the top functions, in milliseconds. */
function summariseProfile(json: string): string {
  const profile = JSON.parse(json) as CpuProfile;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const { id, callFrame } of profile.nodes) {
    const msSelf = (selfUs.get(id) ?? 0) / 1000;
    const url = callFrame.url
      .replace(/^file:\/\//, '')
      .replace(/.*node_modules\//, 'npm:')
      .replace(`${process.cwd()}/`, '');
    const pkg = url.startsWith('npm:')
      ? url
          .split('/')
          .slice(0, url.startsWith('npm:@') ? 2 : 1)
          .join('/')
      : url || `(${callFrame.functionName || 'native'})`;
    byPlace.set(pkg, (byPlace.get(pkg) ?? 0) + msSelf);
    const fn = `${callFrame.functionName || '(anonymous)'} ${url.split('/').at(-1)}:${callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + msSelf);
  }
  const total = [...byPlace.values()].reduce((a, b) => a + b, 0);
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, t]) => `  ${t.toFixed(0).padStart(5)} ms ${((100 * t) / total).toFixed(0).padStart(3)}%  ${name}`);
  return [
    `  ${total.toFixed(0)} ms sampled; by package or file:`,
    ...top(byPlace, 12),
    '  by function:',
    ...top(byFunction, 12),
  ].join('\n');
}

function sum(a: Timing, b: Timing): Timing {
  return { wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs };
}

await main();
