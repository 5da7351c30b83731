// The store of learned vendor patterns the product keeps in Postgres (db/vendor-knowledge.ts), in memory:
// for the learning tests and the learning-curve bench (testkit/learning-curve.ts).
import type { KnowledgeStore, StoredPattern, VendorIdentity } from '../extract/learned.js';

/** Any identity key finds a pattern, the latest first; a decision's pattern for a field is saved once. */
export function memoryKnowledgeStore(): KnowledgeStore & { rows: StoredPattern[] } {
  const rows: StoredPattern[] = [];
  const keys = ['taxId', 'emailDomain', 'nameKey', 'layout'] as const satisfies ReadonlyArray<keyof VendorIdentity>;
  return {
    rows,
    async find(identity) {
      return rows.filter((r) => keys.some((k) => identity[k] !== null && identity[k] === r.identity[k])).reverse();
    },
    async save(patterns) {
      const fresh = patterns.filter(
        (p) => !rows.some((r) => r.decisionId === p.decisionId && r.pattern.field === p.pattern.field),
      );
      rows.push(...fresh);
      return fresh.length;
    },
  };
}
