// The local servers every other test and `npm start` stand on: Temporal knows our search attributes,
// PostgreSQL answers, and stopping a server really gives its port back.
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: named imports fail under ESM
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import postgres from 'postgres';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes.js';
import { canConnect, isPortFree } from '../../scripts/lib/ports.js';
import { createDatabase, databaseUrl, dropDatabase, startPostgres } from '../../scripts/lib/postgres.js';
import { startTemporalDevServer } from '../../scripts/lib/temporal.js';
import { getTestServices } from '../../testkit/services.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/** `Name=Type` pairs as registered on the server, in the CLI's spelling (INDEXED_VALUE_TYPE_KEYWORD → Keyword). */
async function registeredSearchAttributes(address: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    return Object.entries(customAttributes ?? {}).map(([name, type]) => {
      const typeName = IndexedValueType[type].replace('INDEXED_VALUE_TYPE_', '');
      return `${name}=${typeName.charAt(0)}${typeName.slice(1).toLowerCase()}`;
    });
  } finally {
    await connection.close();
  }
}

async function assertPortReleased(port: number): Promise<void> {
  assert.equal(await canConnect(port), false, `something still accepts connections on ${port}`);
  assert.equal(await isPortFree(port), true, `port ${port} cannot be bound again`);
}

test('the shared test Temporal server lets workflows set every PlexSync search attribute', async () => {
  const { temporalAddress } = await getTestServices();
  const registered = await registeredSearchAttributes(temporalAddress);
  for (const flag of SEARCH_ATTRIBUTE_FLAGS)
    assert.ok(registered.includes(flag), `${flag} missing; registered: ${registered.join(', ')}`);
});

test('the shared test PostgreSQL runs queries and gives each suite its own database', async () => {
  const { databaseAdminUrl } = await getTestServices();
  const name = `services_test_${process.pid}`;
  assert.equal(await createDatabase(databaseAdminUrl, name), true);
  assert.equal(await createDatabase(databaseAdminUrl, name), false, 'second create is a no-op');
  const sql = postgres(databaseUrl(databaseAdminUrl, name), { max: 1 });
  try {
    const [row] = await sql<{ db: string; sum: number }[]>`select current_database() as db, 1 + 1 as sum`;
    assert.deepEqual({ ...row }, { db: name, sum: 2 });
  } finally {
    await sql.end();
  }
  await dropDatabase(databaseAdminUrl, name);
  const admin = postgres(databaseAdminUrl, { max: 1 });
  try {
    assert.equal((await admin`select 1 from pg_database where datname = ${name}`).length, 0);
  } finally {
    await admin.end();
  }
});

test(
  'a Temporal dev server from scripts/lib registers the search attributes and frees its port on stop',
  { timeout: 120_000 },
  async () => {
    const { temporalCliPath } = await getTestServices();
    const server = await startTemporalDevServer({ cliPath: temporalCliPath, headless: true });
    try {
      const registered = await registeredSearchAttributes(server.address);
      assert.deepEqual(
        registered.filter((f) => SEARCH_ATTRIBUTE_FLAGS.includes(f)).sort(),
        [...SEARCH_ATTRIBUTE_FLAGS].sort(),
      );
    } finally {
      await server.stop();
    }
    assert.equal(server.process.hasExited(), true);
    await assertPortReleased(server.port);
  },
);

test(
  'PostgreSQL in a private folder keeps its data across restarts, survives a stale pid file and frees its port',
  { timeout: 120_000 },
  async () => {
    const privateDir = mkdtempSync(join(tmpdir(), 'plexsync-private-')); // mode 700, like a fresh clone in mktemp -d
    let dataDir: string | undefined;
    try {
      const first = await startPostgres({ dataDir: join(privateDir, 'pg') });
      dataDir = first.dataDir;
      if (process.getuid?.() === 0) assert.match(dataDir, /^\/var\/tmp\/plexsync-[0-9a-f]{12}\/pg$/);
      assert.ok(first.initdbMs > 0, 'a new cluster is initialised');
      const sql = postgres(first.url, { max: 1 });
      await sql`create table kept (note text)`;
      await sql`insert into kept values ('survives a restart')`;
      await sql.end();
      await first.stop();
      await assertPortReleased(first.port);

      // A run killed with SIGKILL leaves postmaster.pid behind; its pid may since belong to another process.
      writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
      const second = await startPostgres({ dataDir: join(privateDir, 'pg') });
      try {
        assert.equal(second.dataDir, dataDir);
        assert.equal(second.initdbMs, 0, 'the existing cluster is reused');
        const again = postgres(second.url, { max: 1 });
        const rows = await again<{ note: string }[]>`select note from kept`;
        await again.end();
        assert.deepEqual(
          rows.map((r) => r.note),
          ['survives a restart'],
        );
      } finally {
        await second.stop();
      }
      await assertPortReleased(second.port);
    } finally {
      if (dataDir && dataDir !== join(privateDir, 'pg')) rmSync(dirname(dataDir), { recursive: true, force: true });
      rmSync(privateDir, { recursive: true, force: true });
    }
    assert.throws(() => statSync(privateDir));
  },
);
