// The Plex simulator on 127.0.0.1 and a client of it, for one test: the simulator closes when the test
// ends, and the client (2 s timeout unless told) keeps every call it makes in `calls`.
import type { TestContext } from 'node:test';
import { createPlexClient, type PlexCall, type PlexClientOptions } from '../../plex/client.js';
import { startPlexSimulator, type PlexSimulatorOptions } from '../../plex-simulator/server.js';

export async function simulatorAndClient(
  t: TestContext,
  opts: {
    apiKey: string;
    simulator?: Partial<PlexSimulatorOptions>;
    client: Partial<PlexClientOptions> & Pick<PlexClientOptions, 'retries'>;
  },
) {
  const sim = await startPlexSimulator({ apiKey: opts.apiKey, ...opts.simulator });
  t.after(() => sim.close());
  const calls: PlexCall[] = [];
  const client = createPlexClient({
    baseUrl: sim.url,
    apiKey: opts.apiKey,
    timeoutMs: 2_000,
    onCall: (call) => calls.push(call),
    ...opts.client,
  });
  return { sim, client, calls };
}
