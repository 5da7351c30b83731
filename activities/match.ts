// Match stage: find the invoice's Plex PO and its open "Received" placeholder (exact PO number).
import { saveMatch } from '../db/invoices.js';
import type { EffectiveFields } from '../domain/invoice.js';
import type { MatchResult } from '../domain/match.js';
import type { ActivityDeps } from './deps.js';
import { withPlex } from './plex-failure.js';

export function createMatchActivities({ sql, plex }: ActivityDeps) {
  async function findMatch(fields: EffectiveFields): Promise<MatchResult> {
    const none = { purchaseOrder: null, placeholder: null, candidates: [], evidence: [], warnings: [], duplicateOf: null };
    const poNumber = fields.poNumber?.trim();
    if (!poNumber) return { ...none, status: 'no_po_number', score: 0, reason: 'The invoice shows no PO number.' };

    const orders = await withPlex(() => plex.findPurchaseOrders(poNumber));
    if (orders.length === 0) {
      return { ...none, status: 'po_not_found', score: 0, reason: `Plex has no purchase order ${poNumber}.` };
    }
    const candidates = await Promise.all(
      orders.map(async (purchaseOrder) => ({
        purchaseOrder,
        placeholders: await withPlex(() => plex.listPlaceholders(purchaseOrder.poNumber)),
      })),
    );
    const evidence = [{ signal: 'po_number_exact', points: 1, detail: `PO number ${poNumber} found in Plex` }];
    if (orders.length > 1) {
      return { ...none, candidates, evidence, status: 'ambiguous', score: 0.5, reason: `${orders.length} Plex purchase orders have the number ${poNumber}.` };
    }
    const [only] = candidates;
    const placeholders = only!.placeholders;
    if (placeholders.length === 0) {
      return {
        ...none,
        candidates,
        evidence,
        purchaseOrder: only!.purchaseOrder,
        status: 'no_placeholder',
        score: 0.5,
        reason: `PO ${poNumber} has no open AP invoice with the invoice number "Received" (goods not received yet, or already invoiced).`,
      };
    }
    if (placeholders.length > 1) {
      return {
        ...none,
        candidates,
        evidence,
        purchaseOrder: only!.purchaseOrder,
        status: 'ambiguous',
        score: 0.6,
        reason: `PO ${poNumber} has ${placeholders.length} open "Received" placeholders; a clerk must choose.`,
      };
    }
    return {
      status: 'matched',
      score: 1,
      reason: `PO ${poNumber} with one open "Received" placeholder.`,
      evidence: [...evidence, { signal: 'single_placeholder', points: 1, detail: `placeholder ${placeholders[0]!.id}` }],
      purchaseOrder: only!.purchaseOrder,
      placeholder: placeholders[0]!,
      candidates,
      warnings: [],
      duplicateOf: null,
    };
  }

  return {
    async matchInvoice(input: { invoiceId: string; fields: EffectiveFields }): Promise<MatchResult> {
      const match = await findMatch(input.fields);
      await saveMatch(sql, input.invoiceId, match);
      return match;
    },
  };
}
