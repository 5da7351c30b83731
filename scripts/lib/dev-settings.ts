// Settings the run command makes once and keeps in the data folder, so they survive restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Plex simulator's API key and preferred port: the app's PLEX_API_KEY and URL stay the same. */
export function plexSimulatorSettings(dataDir: string): { apiKey: string; port: number; file: string } {
  const file = join(dataDir, 'plex-simulator.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { apiKey?: string; port?: number }) : {};
  const settings = { apiKey: saved.apiKey || `dev-${randomBytes(12).toString('hex')}`, port: saved.port || 4010 };
  if (settings.apiKey !== saved.apiKey || settings.port !== saved.port)
    writeFileSync(file, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  return { ...settings, file };
}
