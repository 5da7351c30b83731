// The CLI's database commands: replay failed Plex syncs, verify the audit chain, create API tokens and users.
// Loaded only when one of them runs, so `plexsync extract` never loads the database or Temporal clients.
import { loadConfig, requireDatabase, type Config } from '../config/index.js';
import { createSql, type Sql } from '../db/client.js';
import { verifyAuditChain } from '../db/audit.js';
import { migrate } from '../db/migrate.js';
import { createApiToken, upsertUser } from '../db/users.js';
import { type Role, type TokenScope } from '../domain/permissions.js';
import { hashPassword } from '../api/auth/passwords.js';
import { createInvoiceService } from '../services/invoices.js';
import { connectInvoiceProcesses } from '../services/temporal.js';

type Out = NodeJS.WritableStream;

export async function replay(target: { invoiceId?: string; allFailed: boolean }, out: Out): Promise<number> {
  return withServices(async ({ sql, config }) => {
    const processes = await connectInvoiceProcesses(config.temporal);
    const service = createInvoiceService({ sql, processes, config });
    try {
      const actor = `cli:${process.env.USER ?? 'unknown'}`;
      if (target.allFailed) {
        const ids = await service.retryAllFailed(actor);
        out.write(`Replay requested for ${ids.length} failed sync(s)${ids.length ? `: ${ids.join(', ')}` : ''}\n`);
      } else {
        await service.retrySync(target.invoiceId!, actor);
        out.write(`Replay requested for ${target.invoiceId}\n`);
      }
      return 0;
    } finally {
      await service.close();
      await processes.close();
    }
  });
}

export async function auditVerify(out: Out): Promise<number> {
  return withServices(async ({ sql }) => {
    const result = await verifyAuditChain(sql);
    if (result.ok) {
      out.write(`Audit chain OK: ${result.checked} entries verified.\n`);
      return 0;
    }
    out.write(
      `Audit chain BROKEN at entry ${result.firstBad!.seq}: ${result.firstBad!.reason} (${result.checked} entries before it are intact).\n`,
    );
    return 1;
  });
}

export async function tokenCreate(name: string, scopes: TokenScope[], out: Out): Promise<number> {
  return withServices(async ({ sql }) => {
    const { id, token } = await createApiToken(sql, { name, userId: null, scopes });
    out.write(`Token ${id} "${name}" (${scopes.join(', ')}). Shown once, store it now:\n${token}\n`);
    return 0;
  });
}

export async function userAdd(
  user: { email: string; role: Role; name?: string; password: string },
  out: Out,
): Promise<number> {
  return withServices(async ({ sql }) => {
    const passwordHash = await hashPassword(user.password);
    const saved = await upsertUser(sql, {
      email: user.email,
      displayName: user.name ?? user.email,
      role: user.role,
      passwordHash,
    });
    out.write(`User ${saved.email} (${saved.role}) saved.\n`);
    return 0;
  });
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
