// `plexsync plex check`, run as the README shows it (`npx plexsync plex check` in a child process) against a Plex simulator:
// what it prints about the connection and a PO, and a one-line reason with exit 1 when something is wrong.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { npxPlexsync, type CliResult } from './npx.js';
import { DEV_PURCHASE_ORDERS, startPlexSimulator, type PlexSimulator } from '../../plex-simulator/server.js';

const API_KEY = 'cli-check-key';
let sim: PlexSimulator;
before(async () => {
  sim = await startPlexSimulator({ apiKey: API_KEY, seed: 'dev' });
});
after(async () => {
  await sim?.close();
});

/** No DATABASE_URL: the check needs only Plex. */
function plexsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return npxPlexsync(args, {
    env: { PLEX_CLIENT_RETRIES: '0', PLEX_TIMEOUT_MS: '5000', PLEX_BASE_URL: sim.url, PLEX_API_KEY: API_KEY, ...env },
  });
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

test('plex check with a good key says the key is accepted and exits 0', async () => {
  const r = await plexsync(['plex', 'check']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Plex Connect at ${sim.url}`));
  assert.match(r.stdout, /key accepted; 1 tenant visible/);
  assert.match(lastLine(r.stdout), /^OK: /);
  assert.equal(sim.store.calls['tenants.list'], 1);
});

test('plex check --po prints the PO, its supplier and its open placeholders', async () => {
  const po = DEV_PURCHASE_ORDERS.find((p) => p.scenario === 'single_placeholder')!;
  const placeholder = [...sim.store.apInvoices.values()].find(
    (inv) => inv.poNumber === po.poNumber && inv.invoiceNumber === 'Received',
  )!;
  const r = await plexsync(['plex', 'check', '--po', po.poNumber]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(
      `PO ${po.poNumber}: id [0-9a-f-]{36}, status Open, supplier Acme Fasteners Inc\\. \\(ACME01\\), lines total ${po.lineItemTotal} USD`,
    ),
  );
  assert.match(r.stdout, /1 open "Received" placeholder:/);
  assert.match(
    r.stdout,
    new RegExp(`${placeholder.id}\\s+Received\\s+${po.placeholders[0]!.amount} USD\\s+status New`),
  );
  assert.match(lastLine(r.stdout), new RegExp(`^OK: PO ${po.poNumber} found`));

  const ambiguous = await plexsync([
    'plex',
    'check',
    '--po',
    DEV_PURCHASE_ORDERS.find((p) => p.scenario === 'ambiguous_placeholders')!.poNumber,
  ]);
  assert.match(ambiguous.stdout, /2 open "Received" placeholders:/);
  const none = await plexsync([
    'plex',
    'check',
    '--po',
    DEV_PURCHASE_ORDERS.find((p) => p.scenario === 'not_received')!.poNumber,
  ]);
  assert.equal(none.status, 0);
  assert.match(none.stdout, /0 open "Received" placeholders \(goods not received yet, or already invoiced\)/);
});

test('an unknown PO is exit 1 with the reason', async () => {
  const r = await plexsync(['plex', 'check', '--po', '999999']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), 'plexsync: plex check failed: Plex has no purchase order 999999.');
});

test('a wrong key is exit 1 with a one-line reason naming both causes of a 401', async () => {
  const r = await plexsync(['plex', 'check'], { PLEX_API_KEY: 'not-the-key' });
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(
    r.stderr,
    /plex check failed: Plex answered 401 to GET \/mdm\/v1\/tenants: bad key or API product not enabled .*'mdm' product/,
  );
  assert.ok(!r.stderr.includes('not-the-key'), 'the key is not echoed');
  assert.doesNotMatch(r.stdout, /OK/);
});

test('missing Plex settings, an unreachable host and a wrong sub-command each say what is wrong', async () => {
  const missing = await plexsync(['plex', 'check'], { PLEX_BASE_URL: '', PLEX_API_KEY: '' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /PLEX_BASE_URL and PLEX_API_KEY are not set/);

  const port = await closedPort();
  const unreachable = await plexsync(['plex', 'check'], { PLEX_BASE_URL: `http://127.0.0.1:${port}` });
  assert.equal(unreachable.status, 1);
  assert.match(
    unreachable.stderr,
    new RegExp(`plex check failed: Cannot reach http://127.0.0.1:${port}: .*ECONNREFUSED`),
  );

  const usage = await plexsync(['plex', 'status']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /plex check \[--po NUMBER\]/);
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
