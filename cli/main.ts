// `plexsync` CLI: extract a file, replay failed syncs, verify the audit chain, create API tokens and users,
// check the Plex connection.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, requireDatabase, type Config } from '../config/index.js';
import { createSql, type Sql } from '../db/client.js';
import { verifyAuditChain } from '../db/audit.js';
import { migrate } from '../db/migrate.js';
import { ALL_SCOPES, createApiToken, upsertUser, type Role, type TokenScope } from '../db/users.js';
import { inspectDocument } from '../extract/validate.js';
import { formatContract, toContract } from '../extract/contract.js';
import { createExtractor, visualStageOptions } from '../extract/index.js';
import { hashPassword } from '../api/auth/passwords.js';
import { createInvoiceService } from '../api/services/invoices.js';
import { connectInvoiceProcesses } from '../api/services/temporal.js';
import { plexCheck } from './plex-check.js';

const USAGE = `Usage: plexsync <command>
  extract FILE [--json]             read a PDF, image or e-invoice: a table, or with --json one JSON object (no database needed)
  replay ID | --all-failed          replay failed Plex syncs
  audit verify                      recompute the audit log's hash chain
  token create --name N [--scope S]...   create an API token (scopes: ${ALL_SCOPES.join(', ')}; default all)
  user add --email E --role R [--name N]  add or reset a user (password from PLEXSYNC_PASSWORD or stdin)
  plex check [--po NUMBER]          check the Plex key and connection; with --po, look up a PO and its placeholders`;

export async function main(argv: string[], out = process.stdout): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'extract': {
      const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, allowPositionals: true });
      const file = positionals[0];
      if (!file || positionals.length > 1) return usage('extract needs one FILE');
      return extractFile(file, values.json === true, out);
    }
    case 'replay': {
      const { values, positionals } = parseArgs({ args: rest, options: { 'all-failed': { type: 'boolean' } }, allowPositionals: true });
      if (!values['all-failed'] && !positionals[0]) return usage('replay needs an invoice ID or --all-failed');
      return withServices(async ({ sql, config }) => {
        const processes = await connectInvoiceProcesses(config.temporal);
        try {
          const service = createInvoiceService({ sql, processes, config });
          const actor = `cli:${process.env.USER ?? 'unknown'}`;
          if (values['all-failed']) {
            const ids = await service.retryAllFailed(actor);
            out.write(`Replay requested for ${ids.length} failed sync(s)${ids.length ? `: ${ids.join(', ')}` : ''}\n`);
          } else {
            await service.retrySync(positionals[0]!, actor);
            out.write(`Replay requested for ${positionals[0]}\n`);
          }
          return 0;
        } finally {
          await processes.close();
        }
      });
    }
    case 'audit': {
      if (rest[0] !== 'verify') return usage('the audit command is "audit verify"');
      return withServices(async ({ sql }) => {
        const result = await verifyAuditChain(sql);
        if (result.ok) {
          out.write(`Audit chain OK: ${result.checked} entries verified.\n`);
          return 0;
        }
        out.write(`Audit chain BROKEN at entry ${result.firstBad!.seq}: ${result.firstBad!.reason} (${result.checked} entries before it are intact).\n`);
        return 1;
      });
    }
    case 'token': {
      const { values, positionals } = parseArgs({ args: rest, options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } }, allowPositionals: true });
      if (positionals[0] !== 'create' || !values.name) return usage('token create needs --name');
      const scopes = (values.scope ?? ALL_SCOPES) as TokenScope[];
      const bad = scopes.filter((s) => !ALL_SCOPES.includes(s));
      if (bad.length) return usage(`unknown scope(s): ${bad.join(', ')}`);
      return withServices(async ({ sql }) => {
        const { id, token } = await createApiToken(sql, { name: values.name!, userId: null, scopes });
        out.write(`Token ${id} "${values.name}" (${scopes.join(', ')}). Shown once, store it now:\n${token}\n`);
        return 0;
      });
    }
    case 'user': {
      const { values, positionals } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } }, allowPositionals: true });
      const role = values.role as Role | undefined;
      if (positionals[0] !== 'add' || !values.email || !role || !['clerk', 'ops', 'admin'].includes(role)) {
        return usage('user add needs --email and --role clerk|ops|admin');
      }
      const password = process.env.PLEXSYNC_PASSWORD ?? (await readStdin()).trim();
      if (password.length < 12) return usage('the password needs at least 12 characters (PLEXSYNC_PASSWORD or stdin)');
      return withServices(async ({ sql }) => {
        const user = await upsertUser(sql, { email: values.email!, displayName: values.name ?? values.email!, role, passwordHash: await hashPassword(password) });
        out.write(`User ${user.email} (${user.role}) saved.\n`);
        return 0;
      });
    }
    case 'plex': {
      const { values, positionals } = parseArgs({ args: rest, options: { po: { type: 'string' } }, allowPositionals: true });
      if (positionals[0] !== 'check') return usage('the plex command is "plex check [--po NUMBER]"');
      return plexCheck({ po: values.po }, out, process.stderr);
    }
    default:
      return usage(command ? `unknown command "${command}"` : undefined);
  }

  function usage(problem?: string): number {
    if (problem) process.stderr.write(`plexsync: ${problem}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
}

/** `plexsync extract FILE [--json]`: the flat contract (extract/contract.ts) as JSON, or as a table for people. */
async function extractFile(file: string, json: boolean, out: NodeJS.WritableStream): Promise<number> {
  const fileName = basename(file);
  // The same OCR settings and limits as the worker, read in-process: one file, one command.
  const extractor = createExtractor({ ...visualStageOptions(loadConfig().extraction), isolate: false });
  try {
    const bytes = new Uint8Array(await readFile(file));
    const { mimeType } = await inspectDocument(bytes, fileName);
    const contract = toContract(await extractor.extract({ bytes, mimeType, fileName }));
    out.write(json ? `${JSON.stringify(contract, null, 2)}\n` : `${formatContract(contract)}\n`);
    return 0;
  } catch (error) {
    // an unreadable file is the user's input, not a crash: one line saying why
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`plexsync: cannot extract ${fileName}: ${reason.split('\n')[0]}\n`);
    return 1;
  } finally {
    await extractor.close?.();
  }
}

async function withServices(fn: (s: { sql: Sql; config: Config }) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const sql = createSql(requireDatabase(config), { max: 2 });
  try {
    await migrate(sql);
    return await fn({ sql, config });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('plexsync.js') || process.argv[1]?.endsWith('cli/main.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`plexsync: ${err.message}\n`);
      process.exit(1);
    },
  );
}
