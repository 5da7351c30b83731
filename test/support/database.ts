// A fresh, empty PostgreSQL database for one test file (no migrations applied), dropped at close.
import { randomBytes } from 'node:crypto';
import { createSql, type Sql } from '../../db/client.js';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/lib/postgres.js';
import { getTestServices } from '../../testkit/services.js';

export async function createTestDatabase(prefix: string, max = 4): Promise<{ sql: Sql; close(): Promise<void> }> {
  const adminUrl = (await getTestServices()).databaseAdminUrl;
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await createDatabase(adminUrl, name);
  const sql = createSql(databaseUrl(adminUrl, name), { max });
  return {
    sql,
    async close() {
      await sql.end({ timeout: 5 });
      await dropDatabase(adminUrl, name).catch(() => {});
    },
  };
}
