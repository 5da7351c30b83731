// DEV/TEST DOUBLE OF PLEX — not Plex. Command-line entry for the simulator:
//   tsx plex-simulator/main.ts --port 4010 --host 127.0.0.1 --api-key KEY --seed dev [--state-file FILE]
// Flags win over PLEX_SIM_PORT / PLEX_SIM_HOST / PLEX_SIM_API_KEY / PLEX_SIM_SEED / PLEX_SIM_STATE_FILE.
// With a state file the records outlive the process (read at start instead of the seed, saved on change). Prints one line with the
// URL and runs until SIGINT/SIGTERM. Point PLEX_BASE_URL at that URL and PLEX_API_KEY at the same key.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startPlexSimulator } from './server.js';

const Cli = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  host: z.string().min(1).default('127.0.0.1'),
  apiKey: z.string({ error: 'an API key is required: --api-key KEY or PLEX_SIM_API_KEY' }).min(1),
  seed: z.enum(['dev', 'none']).default('dev'),
  rateLimitPerMinute: z.coerce.number().int().positive().optional(),
  allowPatch: z.boolean().default(false),
  stateFile: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      seed: { type: 'string' },
      'rate-limit': { type: 'string' },
      'allow-patch': { type: 'boolean' },
      'state-file': { type: 'string' },
    },
  });
  const parsed = Cli.safeParse({
    port: values.port ?? process.env.PLEX_SIM_PORT,
    host: values.host ?? process.env.PLEX_SIM_HOST,
    apiKey: values['api-key'] ?? process.env.PLEX_SIM_API_KEY,
    seed: values.seed ?? process.env.PLEX_SIM_SEED,
    rateLimitPerMinute: values['rate-limit'],
    allowPatch: values['allow-patch'],
    stateFile: values['state-file'] ?? process.env.PLEX_SIM_STATE_FILE,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`plex simulator: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const simulator = await startPlexSimulator(parsed.data);
  console.log(`Plex simulator listening on ${simulator.url}`);

  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('plex simulator: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
