// One dead process must not take the stack down: the run command supervises every part, restarts one that
// dies (with backoff, logged) and leaves the others alone; only SIGINT/SIGTERM stops the stack.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { startPlexSimulator } from '../../plex-simulator/server.js';
import { freePort } from '../../scripts/lib/ports.js';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/lib/postgres.js';
import { isAlive, spawnManaged, type ManagedProcess } from '../../scripts/lib/processes.js';
import { supervise, type Supervised } from '../../scripts/lib/supervisor.js';
import { getTestServices } from '../../testkit/services.js';
import { eventually } from '../support/eventually.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const until = <T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
) => eventually(what, probe, { timeoutMs, rethrow: true });

/** A child that says it is ready and then idles, like a server. */
function idleChild(name: string): ManagedProcess {
  return spawnManaged({
    name,
    command: process.execPath,
    args: ['-e', 'console.log("ready"); setInterval(() => {}, 1000)'],
  });
}

describe('supervisor', () => {
  test('a child killed with SIGKILL is restarted with backoff and logged; the others keep running; stop ends all', async () => {
    const logs: string[] = [];
    const parts: Supervised[] = [];
    for (const name of ['a', 'b', 'c']) {
      parts.push(
        await supervise({
          name,
          start: async () => {
            const proc = idleChild(name);
            await proc.waitForLine(/ready/, 30_000);
            return { process: proc, stop: () => proc.stop(5_000) };
          },
          log: (line) => logs.push(line),
          initialBackoffMs: 50,
        }),
      );
    }
    cleanups.push(async () => void (await Promise.all(parts.map((p) => p.stop()))));
    const [a, b, c] = parts as [Supervised, Supervised, Supervised];
    const pids = parts.map((p) => p.current()!.process.pid);

    process.kill(pids[1]!, 'SIGKILL');
    const restarted = await until('b to be restarted', () =>
      b.restarts() === 1 && b.current() ? b.current()!.process.pid : undefined,
    );
    assert.notEqual(restarted, pids[1]);
    assert.ok(isAlive(restarted));
    assert.equal(a.current()!.process.pid, pids[0], 'a untouched');
    assert.equal(c.current()!.process.pid, pids[2], 'c untouched');
    assert.ok(isAlive(pids[0]!) && isAlive(pids[2]!));
    assert.equal(a.restarts() + c.restarts(), 0);
    assert.match(logs.join('\n'), /b stopped unexpectedly \(signal SIGKILL\); restarting in 50 ms/);
    assert.match(logs.join('\n'), /b restarted \(pid \d+, restart 1\)/);

    await Promise.all(parts.map((p) => p.stop()));
    for (const pid of [pids[0]!, restarted, pids[2]!]) await until(`pid ${pid} to end`, () => !isAlive(pid));
  });

  test('a part that cannot start again is retried with growing pauses, not given up', async () => {
    const logs: string[] = [];
    let attempts = 0;
    const part = await supervise({
      name: 'flaky',
      start: async () => {
        attempts++;
        if (attempts > 1 && attempts < 4) throw new Error(`attempt ${attempts} refused`);
        const proc = idleChild('flaky');
        await proc.waitForLine(/ready/, 30_000);
        return { process: proc, stop: () => proc.stop(5_000) };
      },
      log: (line) => logs.push(line),
      initialBackoffMs: 20,
    });
    cleanups.push(() => part.stop());
    process.kill(part.current()!.process.pid, 'SIGKILL');
    await until('the fourth start', () => part.restarts() === 1);
    assert.equal(attempts, 4);
    const text = logs.join('\n');
    assert.match(text, /restarting in 20 ms/);
    assert.match(text, /did not start again: attempt 2 refused; next try in 40 ms/);
    assert.match(text, /did not start again: attempt 3 refused; next try in 80 ms/);
    await part.stop();
  });

  test(
    'the run command restarts a worker killed with SIGKILL and leaves the web process running',
    { timeout: 300_000 },
    async () => {
      const services = await getTestServices();
      const dbName = `plexsync_t_${randomBytes(5).toString('hex')}`;
      await createDatabase(services.databaseAdminUrl, dbName);
      cleanups.push(() => dropDatabase(services.databaseAdminUrl, dbName));
      const plexKey = `test-key-${randomBytes(4).toString('hex')}`;
      const plex = await startPlexSimulator({ apiKey: plexKey, seed: 'none' });
      cleanups.push(() => plex.close());
      const dataDir = mkdtempSync(join(tmpdir(), 'plexsync-run-'));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PLEXSYNC_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl(services.databaseAdminUrl, dbName),
        TEMPORAL_ADDRESS: services.temporalAddress,
        TEMPORAL_TASK_QUEUE: `plexsync-run-${randomBytes(4).toString('hex')}`,
        PLEX_BASE_URL: plex.url,
        PLEX_API_KEY: plexKey,
        WEB_PORT: String(await freePort()),
        WORKER_METRICS_PORT: String(await freePort()),
        ADMIN_PASSWORD: 'run command test password',
        LOG_LEVEL: 'warn', // the run command must not depend on the web's info lines to know it is up
        NODE_ENV: 'test',
      };
      delete env.npm_lifecycle_event; // run.ts would otherwise watch the npm process that launched the tests
      const run = spawnManaged({
        name: 'run',
        command: process.execPath,
        args: ['--import', 'tsx', 'scripts/run.ts'],
        cwd: root,
        env,
      });
      cleanups.push(() => run.stop(20_000));
      await run
        .waitForLine(/PlexSync is running/, 180_000)
        .catch((error: Error) => assert.fail(`${error.message}\n${run.tail(40)}`));
      const children = () =>
        (JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as { children: { name: string; pid: number }[] })
          .children;
      const pidOf = (name: string) => children().find((c) => c.name === name)?.pid;
      const workerPid = pidOf('worker')!;
      const webPid = pidOf('web')!;
      assert.ok(isAlive(workerPid) && isAlive(webPid));

      process.kill(workerPid, 'SIGKILL');
      await run.waitForLine(/worker stopped unexpectedly \(signal SIGKILL\); restarting in/, 30_000);
      await run.waitForLine(/worker restarted \(pid \d+/, 180_000);
      const newWorkerPid = pidOf('worker')!;
      assert.notEqual(newWorkerPid, workerPid);
      assert.ok(isAlive(newWorkerPid), 'the new worker runs');
      assert.equal(pidOf('web'), webPid);
      assert.ok(isAlive(webPid), 'web untouched');
      assert.equal(run.hasExited(), false, 'the stack is still up');
      const health = await fetch(`http://127.0.0.1:${env.WEB_PORT}/healthz`);
      assert.equal(health.status, 200);

      // Ctrl-C (SIGINT) stops everything.
      process.kill(run.pid, 'SIGINT');
      await run.exited;
      await until('the worker and web to end', () => !isAlive(newWorkerPid) && !isAlive(webPid));
    },
  );
});
