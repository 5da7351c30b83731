// Child processes for the dev/test scripts: spawn with prefixed, logged output; wait for a readiness line;
// stop in order; never leave a server behind when this process ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export interface SpawnManagedOptions {
  /** Short name used as the log prefix, e.g. `web`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Every output line is appended here. */
  logFile?: string;
  /** Also print output lines to our stdout as `[name] line`. */
  echo?: boolean;
  /** Run as another user (we are root and the program refuses to run as root). */
  uid?: number;
  gid?: number;
  /** Signal for a graceful stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Send the stop signal to the whole process group (default) or only to the child itself. */
  signalGroup?: boolean;
  /** Do not keep the event loop alive for this child (services owned by a test support module). */
  unref?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile?: string;
  readonly exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** Resolves with the first output line (already seen or future) matching the pattern. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The last lines of output, for error messages. */
  tail(lines?: number): string;
  /** Graceful stop signal, SIGKILL to the process group after graceMs; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 200;
const live = new Set<{ pid: number }>();
const colors = [36, 35, 33, 32, 34, 31];
let colorIndex = 0;

/**
 * Every child gets its own process group (detached), so a Ctrl-C in the terminal reaches only us and we
 * stop the children in a deliberate order (app before Temporal before Postgres).
 */
export function spawnManaged(options: SpawnManagedOptions): ManagedProcess {
  const { name, logFile } = options;
  let log: WriteStream | undefined;
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    log = createWriteStream(logFile, { flags: 'a' });
  }
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const color = colors[colorIndex++ % colors.length];
  const prefix = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m ` : `[${name}] `;
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let exitStatus: ExitStatus | undefined;
  const entry = { pid: child.pid ?? -1 };
  if (child.pid) live.add(entry);

  const onLine = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    if (options.echo) process.stdout.write(prefix + line + '\n');
    for (const listener of listeners) listener(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      log?.write(chunk);
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      parts.forEach(onLine);
    });
    stream.on('end', () => partial && onLine(partial));
    if (options.unref) (stream as unknown as { unref?: () => void }).unref?.();
  }
  if (options.unref) child.unref();

  const exited = new Promise<ExitStatus>((resolve) => {
    const finish = (status: ExitStatus) => {
      if (exitStatus) return;
      exitStatus = status;
      live.delete(entry);
      // Give the pipes a moment to drain so the tail includes the last words of the process.
      const closed = new Promise((r) => child.once('close', r));
      void Promise.race([closed, delay(1000)]).then(() => {
        log?.end();
        resolve(status);
      });
    };
    child.once('exit', (code, signal) => finish({ code, signal }));
    child.once('error', (error) => {
      onLine(`failed to start ${options.command}: ${error.message}`);
      finish({ code: -1, signal: null });
    });
  });

  const signal = (sig: NodeJS.Signals, group: boolean) => {
    if (!child.pid || (exitStatus && !group)) return;
    try {
      process.kill(group ? -child.pid : child.pid, sig);
    } catch {
      // already gone
    }
  };

  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    hasExited: () => exitStatus !== undefined,
    tail: (count = 40) => lines.slice(-count).join('\n'),
    waitForLine(pattern, timeoutMs) {
      const seen = lines.map((l) => l.match(pattern)).find((m) => m);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const listener = (line: string) => {
          const match = line.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs / 1000}s`));
        }, timeoutMs);
        listeners.add(listener);
        void exited.then((status) => {
          cleanup();
          reject(new Error(`${name} exited (${describeExit(status)}) before printing a line matching ${pattern}`));
        });
      });
    },
    async stop(graceMs = 10_000) {
      if (!exitStatus) {
        signal(options.stopSignal ?? 'SIGTERM', options.signalGroup ?? true);
        const timer = setTimeout(() => signal('SIGKILL', true), graceMs);
        await exited;
        clearTimeout(timer);
      }
      signal('SIGKILL', true); // stragglers in the group, if any
    },
  };
}

export function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

// Last resort: if we exit without stopping a child (uncaught error, process.exit), kill its group.
process.on('exit', () => {
  for (const { pid } of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Run `shutdown` once on SIGINT/SIGTERM/SIGHUP, or when the launcher goes away, then exit with
 * 128+signal. A second Ctrl-C kills everything at once.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let stoppingSince = 0;
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  const handle = (sig: NodeJS.Signals) => {
    if (stoppingSince) {
      // tsx relays the terminal's SIGINT to us a second time; only a later, human Ctrl-C means "now".
      if (Date.now() - stoppingSince < 2000) return;
      console.error('\nStopping immediately.');
      process.exit(codes[sig]);
    }
    stoppingSince = Date.now();
    shutdown(sig).then(
      () => process.exit(codes[sig]),
      (error: unknown) => {
        console.error(error);
        process.exit(codes[sig]);
      },
    );
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => handle(sig));
  onLauncherExit(() => {
    console.error('\nThe launching npm process went away.');
    handle('SIGTERM');
  });
}

/**
 * `kill <pid of npm>` (or `timeout npm …`) signals npm, which does not pass it through `sh -c` and tsx to
 * us. When we were launched through npm, watch that chain (tsx, sh, npm) and call back once it breaks,
 * so no server outlives it. Not armed otherwise, so `nohup node … &` keeps working.
 */
export function onLauncherExit(callback: () => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const launchers = ancestorPids(3);
  const timer = setInterval(() => {
    if (launchers.some((pid) => !isAlive(pid))) {
      clearInterval(timer);
      callback();
    }
  }, 1000);
  timer.unref();
}

/** The process runs (one that is not ours to signal still counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Our parent, its parent, …, up to `depth` levels, stopping before init (Linux /proc only). */
function ancestorPids(depth: number): number[] {
  const pids: number[] = [];
  let pid = process.ppid;
  while (pids.length < depth && pid > 1) {
    pids.push(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return pids;
}

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Run a command to completion, collecting stdout+stderr (or streaming them when `inherit`). */
export function runCommand(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    uid?: number;
    gid?: number;
    inherit?: boolean;
    timeoutMs?: number;
  } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      uid: options.uid,
      gid: options.gid,
      timeout: options.timeoutMs,
      stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ code: -1, output: output + error.message }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** apt-get install as root, through `sudo -n` otherwise; a clear error when neither is possible. */
export async function installSystemPackages(packages: string[]): Promise<void> {
  const list = packages.join(' ');
  const apt = await runCommand('apt-get', ['--version']);
  if (apt.code !== 0) {
    throw new Error(
      `Missing system package(s): ${list}. apt-get is not available; install them with your package manager.`,
    );
  }
  let prefix: string[] = [];
  if (process.getuid?.() !== 0) {
    const sudo = await runCommand('sudo', ['-n', 'true']);
    if (sudo.code !== 0) {
      throw new Error(`Missing system package(s): ${list}. Install them as root: sudo apt-get install -y ${list}`);
    }
    prefix = ['sudo', '-n'];
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.error(`Installing ${list} with apt-get…`);
  for (const args of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', '--no-install-recommends', ...packages],
  ]) {
    const [command, ...rest] = [...prefix, ...args] as [string, ...string[]];
    const result = await runCommand(command, rest, { env, inherit: true });
    if (result.code !== 0) throw new Error(`${args.join(' ')} failed (exit ${result.code}); install ${list} by hand.`);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
