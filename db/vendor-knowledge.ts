// The vendor-knowledge store: patterns learned from clerks' corrections (vendor_patterns), found again
// by any identity key. Matching and applying them is extract/learned.ts; this module only reads and writes.
import { VendorPattern, type KnowledgeStore, type StoredPattern, type VendorIdentity } from '../extract/learned.js';
import { normaliseSupplierName, normaliseTaxId } from '../domain/supplier-name.js';
import type { Sql } from './client.js';

/** Patterns kept per lookup: the newest ones; older corrections of the same field are superseded anyway. */
const MAX_PATTERNS = 50;

interface PatternRow {
  decision_id: string;
  invoice_id: string;
  tax_id: string | null;
  email_domain: string | null;
  name_key: string | null;
  layout_hash: string | null;
  pattern: unknown;
}

export function createKnowledgeStore(sql: Sql): KnowledgeStore {
  return {
    async find(identity) {
      const { taxId, emailDomain, nameKey, layout } = identity;
      if (!taxId && !emailDomain && !nameKey && !layout) return [];
      const rows = await sql<PatternRow[]>`
        select decision_id, invoice_id, tax_id, email_domain, name_key, layout_hash, pattern from vendor_patterns
        where tax_id = ${taxId} or email_domain = ${emailDomain} or name_key = ${nameKey} or layout_hash = ${layout}
        order by created_at desc, id desc
        limit ${MAX_PATTERNS}`;
      return rows.flatMap((row): StoredPattern[] => {
        // A row written by an older version that no longer parses is skipped, not fatal.
        const pattern = VendorPattern.safeParse(row.pattern);
        if (!pattern.success) return [];
        const stored: VendorIdentity = {
          taxId: row.tax_id,
          emailDomain: row.email_domain,
          nameKey: row.name_key,
          layout: row.layout_hash,
        };
        return [{ pattern: pattern.data, identity: stored, decisionId: row.decision_id, invoiceId: row.invoice_id }];
      });
    },

    async save(patterns) {
      let saved = 0;
      for (const p of patterns) {
        const rows = await sql`
          insert into vendor_patterns (decision_id, invoice_id, field, tax_id, email_domain, name_key, layout_hash, pattern)
          values (${p.decisionId}, ${p.invoiceId}, ${p.pattern.field}, ${p.identity.taxId}, ${p.identity.emailDomain},
                  ${p.identity.nameKey}, ${p.identity.layout}, ${sql.json(p.pattern)})
          on conflict (decision_id, field) do nothing
          returning id`;
        saved += rows.length;
      }
      return saved;
    },
  };
}

/** Forget what was learned about a vendor (by any key given); returns the number of patterns removed. */
export async function forgetVendor(
  sql: Sql,
  by: { taxId?: string; emailDomain?: string; vendorName?: string },
): Promise<number> {
  const taxId = normaliseTaxId(by.taxId);
  const nameKey = by.vendorName ? normaliseSupplierName(by.vendorName) : null;
  const emailDomain = by.emailDomain?.trim().toLowerCase() || null;
  const rows = await sql`
    delete from vendor_patterns where tax_id = ${taxId} or email_domain = ${emailDomain} or name_key = ${nameKey}
    returning id`;
  return rows.length;
}
