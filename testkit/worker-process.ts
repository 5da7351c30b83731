// Runs the worker as a real child process (for tests that kill a worker), and kills what is left: from its
// sources (worker/main.ts through tsx), or built as production runs it (scripts/lib/app-processes.ts).
// The last lines the worker wrote (stdout logs and stderr) are kept, so a failing test can show them.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { APP_PROCESS_ENV, appNodeArgs } from '../scripts/lib/app-processes.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const KEEP_LINES = 80;

export function workerProcesses(env: () => Record<string, string>) {
  const children: ChildProcess[] = [];
  const lines: string[] = [];
  const keep = (prefix: string) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(`${prefix} ${line}`);
    lines.splice(0, Math.max(0, lines.length - KEEP_LINES));
  };
  return {
    start(opts: { built?: boolean } = {}): ChildProcess {
      const args = opts.built ? appNodeArgs('worker') : ['--import', 'tsx', 'worker/main.ts'];
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        // built, it runs as production runs it (APP_PROCESS_ENV too)
        env: { ...process.env, ...(opts.built ? APP_PROCESS_ENV : {}), WORKER_METRICS_PORT: '0', ...env() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', keep('[worker]'));
      child.stderr.on('data', keep('[worker stderr]'));
      child.once('exit', (code, signal) => lines.push(`[worker] exited with ${signal ?? `code ${code}`}`));
      children.push(child);
      return child;
    },
    /** What the workers wrote last, for a failure message. */
    output(): string {
      return lines.join('\n');
    },
    killAll(): void {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    },
  };
}
