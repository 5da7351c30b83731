// How the worker and the web process run in production — the run command, the Docker image and
// docker-compose.yml start them alike: the built JavaScript (`npm run build`, dist/cli) rather than the
// TypeScript through tsx, which costs each process ~75 MB of heap and ~150 MB of RSS (measured on the
// imports alone), and a V8 heap limit, without which V8 lets a process's heap grow to gigabytes after a
// burst of work before it collects (docs/operations.md, `npm run bench:memory`).
//
// `semiSpaceMb` caps V8's young generation (two semi-spaces of this size each): Node 24 lets it grow to
// 2 × 64 MB under load and keeps it, so the web stood at 286–306 MB RSS after a queue load; with 16 MB,
// 197–221 MB, at 731–872 requests/s against 771–976 (the same load, alternating runs; docs/operations.md).
export const APP_PROCESSES = {
  // the main thread and each workflow thread of the worker get these limits each
  worker: { entry: 'dist/cli/worker.js', source: 'worker/main.ts', heapMb: 384, semiSpaceMb: 16 },
  web: { entry: 'dist/cli/web.js', source: 'api/main.ts', heapMb: 256, semiSpaceMb: 16 },
} as const;
export type AppProcessName = keyof typeof APP_PROCESSES;

/**
 * The environment both run with. `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its own
 * malloc arena (up to 8 per core) and keeps what it frees there; the worker's workflow and reading threads
 * and the Temporal core's threads left it holding memory after a burst. With 2 arenas, `bench:memory` with
 * 1,000 invoices waiting and 20 scans read: the worker 369 MB 40 s after the scans instead of 543, 507
 * instead of 540 with the invoices waiting, the web 315 instead of 338 (docs/operations.md).
 */
export const APP_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/** `node`'s arguments for one of them. */
export function appNodeArgs(name: AppProcessName): string[] {
  const { entry, heapMb, semiSpaceMb } = APP_PROCESSES[name];
  return [`--max-old-space-size=${heapMb}`, `--max-semi-space-size=${semiSpaceMb}`, entry];
}
