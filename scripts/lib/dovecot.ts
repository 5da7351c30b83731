// A throwaway Dovecot IMAP server for the ingestion tests: loopback only, a free port, plaintext login
// (no TLS), its own config, maildirs and passwd-file under a temp folder, running as the current user
// (as the `dovecot` system user when we are root). Nothing system-wide is read or changed.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './ports.js';
import { delay, installSystemPackages, spawnManaged } from './processes.js';

const DEFAULT_BINARY = '/usr/sbin/dovecot';
const READY_TIMEOUT_MS = 20_000;

/** The dovecot binary, installing Debian's `dovecot-imapd` when it is missing. */
export async function ensureDovecot(): Promise<string> {
  const path = process.env.PLEXSYNC_TEST_DOVECOT_PATH || DEFAULT_BINARY;
  if (existsSync(path)) return path;
  await installSystemPackages(['dovecot-imapd']);
  if (!existsSync(DEFAULT_BINARY))
    throw new Error(`apt-get installed dovecot-imapd, but ${DEFAULT_BINARY} is missing.`);
  return DEFAULT_BINARY;
}

export interface DovecotServer {
  host: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid };
  }
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).trim());
    return { name: 'dovecot', uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'Running as root, but there is no `dovecot` system user (apt-get install dovecot-imapd creates it).',
    );
  }
}

function chownTree(path: string, user: RunAs) {
  chownSync(path, user.uid, user.gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export async function startDovecot(opts: {
  binary: string;
  users: { name: string; password: string }[];
  unref?: boolean;
}): Promise<DovecotServer> {
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'plexsync-dovecot-'));
  const port = await freePort();
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, sub));
  const usersFile = join(dir, 'users');
  const lines = opts.users.map(
    (u) => `${u.name}:{PLAIN}${u.password}:${user.uid}:${user.gid}::${join(dir, 'home', u.name)}`,
  );
  writeFileSync(usersFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, 'dovecot.conf'),
    [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${join(dir, 'run')}`,
      `state_dir = ${join(dir, 'state')}`,
      'log_path = /dev/stderr',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `default_internal_user = ${user.name}`,
      `default_login_user = ${user.name}`,
      'first_valid_uid = 1',
      `mail_location = maildir:${join(dir, 'mail')}/%u`,
      // Tell IDLE clients about new mail within a second even where inotify is unavailable.
      'mailbox_idle_check_interval = 1 secs',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${usersFile}\n}`,
      `userdb {\n  driver = passwd-file\n  args = username_format=%u ${usersFile}\n}`,
      // No chroot: we are not root inside Dovecot's processes.
      `service imap-login {\n  chroot =\n  inet_listener imap {\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0) chownTree(dir, user);

  const server = spawnManaged({
    name: 'dovecot',
    command: opts.binary,
    args: ['-F', '-c', join(dir, 'dovecot.conf')],
    uid: process.getuid?.() === 0 ? user.uid : undefined,
    gid: process.getuid?.() === 0 ? user.gid : undefined,
    unref: opts.unref,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (server.hasExited() || Date.now() > deadline) {
      await server.stop(1000);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Dovecot did not start on 127.0.0.1:${port}:\n${server.tail(30)}`);
    }
    await delay(100);
  }
  return {
    host: '127.0.0.1',
    port,
    dir,
    async stop() {
      await server.stop(3000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
