// Runs worker/main.ts as a real child process (for tests that kill a worker), and kills what is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function workerProcesses(env: () => Record<string, string>) {
  const children: ChildProcess[] = [];
  return {
    start(): ChildProcess {
      const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, WORKER_METRICS_PORT: '0', ...env() },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker] ${d}`));
      children.push(child);
      return child;
    },
    killAll(): void {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    },
  };
}
