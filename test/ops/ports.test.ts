// The run command keeps its ports and the Plex simulator's key stable, and says so when it cannot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { plexSimulatorSettings } from '../../scripts/lib/dev-settings.js';
import { choosePort, freePort } from '../../scripts/lib/ports.js';

describe('ports and kept settings', () => {
  test('a taken preferred port is reported with what wanted it, the port used instead and how to choose', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen({ port, host: '127.0.0.1' }, resolve));
    try {
      const lines: string[] = [];
      const chosen = await choosePort('the web app', port, 'WEB_PORT', [], (line) => lines.push(line));
      assert.notEqual(chosen, port);
      assert.equal(lines.length, 1);
      assert.equal(
        lines[0],
        `Port ${port} (the web app) is taken by another program, so the web app uses port ${chosen} this time. Set WEB_PORT to choose, or free port ${port}.`,
      );
    } finally {
      holder.close();
    }
  });

  test('a free preferred port is used without a word', async () => {
    const port = await freePort();
    const lines: string[] = [];
    assert.equal(await choosePort('Temporal', port, undefined, [], (line) => lines.push(line)), port);
    assert.deepEqual(lines, []);
  });

  test("the Plex simulator's key and port are made once and kept in the data folder", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plexsync-dev-'));
    try {
      const first = plexSimulatorSettings(dataDir);
      assert.match(first.apiKey, /^dev-[0-9a-f]{24}$/);
      assert.equal(first.port, 4010);
      assert.deepEqual(plexSimulatorSettings(dataDir), first, 'the same key after a restart');
      assert.equal(statSync(first.file).mode & 0o777, 0o600);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
