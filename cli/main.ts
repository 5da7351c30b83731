// `plexsync` CLI: extract files or a folder, replay failed syncs, verify the audit chain, create API tokens and
// users, check the Plex connection. Each command's module is loaded only when it runs (a quick start).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ALL_SCOPES, type Role, type TokenScope } from '../domain/permissions.js';

const USAGE = `Usage: plexsync <command>
  extract FILE|DIR... [--json]      read PDFs, images or e-invoices (no database needed): one file as a table, or with
                                    --json one JSON object; a folder or several files, one result per file (--json: one
                                    JSON line each); exit 1 if any could not be read
  replay ID | --all-failed          replay failed Plex syncs
  audit verify                      recompute the audit log's hash chain
  token create --name N [--scope S]...   create an API token (scopes: ${ALL_SCOPES.join(', ')}; default all)
  user add --email E --role R [--name N]  add or reset a user (password from PLEXSYNC_PASSWORD or stdin)
  plex check [--po NUMBER]          check the Plex key and connection; with --po, look up a PO and its placeholders`;

export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'extract': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean' } },
        allowPositionals: true,
      });
      if (!positionals.length) return usage('extract needs a FILE or a folder');
      const { extractCommand } = await import('./extract.js');
      return extractCommand(positionals, values.json === true, out, err);
    }
    case 'replay': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { 'all-failed': { type: 'boolean' } },
        allowPositionals: true,
      });
      if (!values['all-failed'] && !positionals[0]) return usage('replay needs an invoice ID or --all-failed');
      const { replay } = await import('./admin.js');
      return replay({ invoiceId: positionals[0], allFailed: values['all-failed'] === true }, out);
    }
    case 'audit': {
      if (rest[0] !== 'verify') return usage('the audit command is "audit verify"');
      const { auditVerify } = await import('./admin.js');
      return auditVerify(out);
    }
    case 'token': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } },
        allowPositionals: true,
      });
      if (positionals[0] !== 'create' || !values.name) return usage('token create needs --name');
      const scopes = (values.scope ?? ALL_SCOPES) as TokenScope[];
      const bad = scopes.filter((s) => !ALL_SCOPES.includes(s));
      if (bad.length) return usage(`unknown scope(s): ${bad.join(', ')}`);
      const { tokenCreate } = await import('./admin.js');
      return tokenCreate(values.name, scopes, out);
    }
    case 'user': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
        allowPositionals: true,
      });
      const role = values.role as Role | undefined;
      if (positionals[0] !== 'add' || !values.email || !role || !['clerk', 'ops', 'admin'].includes(role)) {
        return usage('user add needs --email and --role clerk|ops|admin');
      }
      const password = process.env.PLEXSYNC_PASSWORD ?? (await readStdin()).trim();
      if (password.length < 12) return usage('the password needs at least 12 characters (PLEXSYNC_PASSWORD or stdin)');
      const { userAdd } = await import('./admin.js');
      return userAdd({ email: values.email, role, name: values.name, password }, out);
    }
    case 'plex': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { po: { type: 'string' } },
        allowPositionals: true,
      });
      if (positionals[0] !== 'check') return usage('the plex command is "plex check [--po NUMBER]"');
      const { plexCheck } = await import('./plex-check.js');
      return plexCheck({ po: values.po }, out, err);
    }
    default:
      return usage(command ? `unknown command "${command}"` : undefined);
  }

  function usage(problem?: string): number {
    if (problem) err.write(`plexsync: ${problem}\n`);
    err.write(`${USAGE}\n`);
    return 2;
  }
}

/** Runs the command line and exits with its code; what the bin (bin/plexsync.js) calls. */
export async function run(argv: string[]): Promise<never> {
  try {
    process.exit(await main(argv));
  } catch (error) {
    process.stderr.write(`plexsync: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Run directly (`tsx cli/main.ts …`, as `npm run cli` does). Paths are compared after resolving links, the
// way Node itself resolved this module; the bin imports this module and calls run() instead.
const invokedPath = process.argv[1] ? realpathOrNull(process.argv[1]) : null;
if (invokedPath && invokedPath === realpathOrNull(fileURLToPath(import.meta.url))) await run(process.argv.slice(2));

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
