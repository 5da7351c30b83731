// Runs the plexsync command exactly as the README shows it: `npx plexsync …` from the repository root, in a
// child process with a clean environment (the variables a user would set, plus PATH and HOME for npm).
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Asynchronous, so that servers living in the test process (the Plex simulator) can answer while the
 * command runs. `npx` resolves `plexsync` to this package's bin through a link in npm's cache, which is
 * the path the README's users take.
 */
export function npxPlexsync(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    npm_config_update_notifier: 'false',
    ...opts.env,
  };
  const child = spawn('npx', ['plexsync', ...args], { cwd: opts.cwd ?? ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(opts.input ?? '');
  const deadline = setTimeout(() => {
    // Rarely (about one full run in four, never alone) a command has not answered in time. Say which of
    // npm's and our processes were still there, so that the failure shows where it hung.
    stderr += `\n[test] no answer after 120 s from npx plexsync ${args.join(' ')}; still running:\n${descendants(child.pid)}`;
    child.kill('SIGKILL');
  }, 120_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(deadline);
      resolve({ status, stdout, stderr });
    }),
  );
}

/** The processes below `pid`, one line each (pid, state, elapsed time, command line). */
function descendants(pid: number | undefined): string {
  if (pid === undefined) return '(never started)';
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,stat=,etime=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 5);
  const below = new Set([String(pid)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of rows)
      if (below.has(parent!) && !below.has(child!)) {
        below.add(child!);
        grew = true;
      }
  }
  return rows
    .filter(([child]) => below.has(child!))
    .map((cols) => `  ${cols.slice(0, 4).join(' ')} ${cols.slice(4).join(' ').slice(0, 200)}`)
    .join('\n');
}
