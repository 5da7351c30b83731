// Runs the plexsync command exactly as the README shows it: `npx plexsync …` from the repository root, in a
// child process with a clean environment (the variables a user would set, plus PATH and HOME for npm).
import { spawn } from 'node:child_process';
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
  const deadline = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(deadline);
      resolve({ status, stdout, stderr });
    }),
  );
}
