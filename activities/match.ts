// Match stage: find the invoice's Plex PO and its open "Received" placeholder — by PO number (exact,
// normalised, OCR-corrected), else by supplier + amount + date — then the three-way check and duplicate
// detection, and save. The Plex and database reads happen here; every decision is in matching/.
import { Context } from '@temporalio/activity';
import { findPossibleOriginals } from '../db/duplicates.js';
import { getExtraction, saveMatch } from '../db/invoices.js';
import type { EffectiveFields } from '../domain/invoice.js';
import type { MatchCandidate, MatchResult } from '../domain/match.js';
import type { PlaceholderSummary, PurchaseOrderSummary } from '../domain/plex.js';
import {
  assessCandidate,
  MAX_FALLBACK_PURCHASE_ORDERS,
  preselectPurchaseOrders,
  rejectedCandidate,
} from '../matching/candidates.js';
import {
  decideAmbiguousPoNumbers,
  decideBySupplier,
  decideForPurchaseOrder,
  explainNoPlaceholder,
  withThreeWay,
  type Found,
} from '../matching/decide.js';
import { applyDuplicateCheck, invoiceNumberKey } from '../matching/duplicates.js';
import { invoiceFacts, type InvoiceFacts } from '../matching/facts.js';
import {
  joinedNeighbours,
  poLookupVariants,
  poNumberFit,
  poNumbersToTry,
  resolvePoLookups,
  type PoLookup,
} from '../matching/po-numbers.js';
import { poNumberEvidence } from '../matching/score.js';
import { DEFAULT_MATCHING_SETTINGS, type MatchingSettings } from '../matching/settings.js';
import { getEffectiveMatching } from '../db/settings.js';
import { needsFinancials, withSupplierFinancials } from '../matching/financials.js';
import { isSameSupplierName } from '../domain/supplier-name.js';
import { rankSuppliers, type SupplierFit } from '../matching/supplier.js';
import { threeWayCheck } from '../matching/three-way.js';
import { PlexError } from '../plex/types.js';
import type { ActivityDeps } from './deps.js';
import { plexFailure, withPlex } from './plex-failure.js';

/** Bounds on Plex calls per invoice: PO numbers tried, and suppliers searched when there is none. */
const MAX_PO_NUMBERS = 5;
const MAX_SUPPLIERS = 3;

export function createMatchActivities({ sql, plex, matching: defaults = DEFAULT_MATCHING_SETTINGS }: ActivityDeps) {
  /**
   * The Plex POs one printed number may mean: the literal spelling first, the others only if it is not
   * found. A supplier's open POs read for an earlier invoice of a burst answer without a call, when the
   * number is exactly theirs and the invoice's vendor is that supplier (another supplier's PO of the same
   * number, which only Plex would show, could not be told apart without a vendor name).
   */
  async function lookupPoNumber(printed: string, vendorName: string | null): Promise<PurchaseOrderSummary[]> {
    const known = vendorName
      ? plex
          .cachedPurchaseOrders(printed)
          .filter(
            (po) => poNumberFit(printed, po.poNumber) === 'exact' && isSameSupplierName(vendorName, po.supplierName),
          )
      : [];
    if (known.length > 0) return known;
    const found = new Map<string, PurchaseOrderSummary>();
    for (const variant of poLookupVariants(printed)) {
      for (const po of await withPlex(() => plex.findPurchaseOrders(variant))) found.set(po.id, po);
      if ([...found.values()].some((po) => poNumberFit(printed, po.poNumber) === 'exact')) break;
    }
    return [...found.values()];
  }

  const withPlaceholders = async (purchaseOrder: PurchaseOrderSummary): Promise<Found> => ({
    purchaseOrder,
    placeholders: await withPlex(() =>
      plex.listPlaceholders(purchaseOrder.poNumber, { supplierCode: purchaseOrder.supplierCode }),
    ),
  });

  /**
   * Several suppliers resemble the printed vendor and the invoice prints a tax id: the tax ids in their
   * financials decide (equal ranks first, a different one rules the supplier out).
   */
  async function tieBreakByTaxId(
    vendor: { name: string | null; taxId: string | null },
    fits: SupplierFit[],
  ): Promise<SupplierFit[]> {
    const withTaxIds = await Promise.all(
      fits.slice(0, MAX_SUPPLIERS).map(async ({ supplier }) => {
        const financials = await withPlex(() => plex.getSupplierFinancials(supplier.id));
        return { ...supplier, taxId: financials?.taxId ?? null };
      }),
    );
    return rankSuppliers(vendor, withTaxIds);
  }

  /** The matched PO's supplier financials against the printed tax id and IBANs (one cached Plex read). */
  async function withVendorFinancials(facts: InvoiceFacts, match: MatchResult): Promise<MatchResult> {
    const supplierId = match.purchaseOrder?.supplierId;
    if (match.status !== 'matched' || !supplierId || !needsFinancials(facts)) return match;
    try {
      return withSupplierFinancials(match, facts, await plex.getSupplierFinancials(supplierId));
    } catch (err) {
      if (!(err instanceof PlexError) || err.retryable) throw plexFailure(err);
      // Refused (not subscribed, forbidden): a printed IBAN could not be checked, so a person looks.
      if (facts.ibans.length === 0) return match;
      return {
        ...match,
        warnings: [
          ...match.warnings,
          `The invoice prints a bank account (IBAN) that could not be compared with the supplier's in Plex (${err.message}).`,
        ],
      };
    }
  }

  /**
   * Tell the client which supplier this invoice belongs to, so a burst of its invoices shares one read of
   * its open POs and receipts. Only a saving: Plex refusing or failing it changes nothing in the match.
   */
  async function noteSupplier(match: MatchResult): Promise<void> {
    const supplierId = match.status === 'matched' ? match.purchaseOrder?.supplierId : null;
    if (supplierId) await plex.noteSupplier(supplierId).catch(() => undefined);
  }

  /** The tolerance-dependent steps, for the settings in force when this invoice is matched. */
  const matcherFor = (settings: MatchingSettings) => {
    async function byPoNumber(facts: InvoiceFacts): Promise<MatchResult | { unknown: string[] }> {
      const tried = poNumbersToTry(facts.clerkPoNumber, facts.printedPoNumbers).slice(0, MAX_PO_NUMBERS);
      const lookups: PoLookup[] = [];
      for (const { value, source } of tried)
        lookups.push({ printed: value, source, found: await lookupPoNumber(value, facts.vendorName) });
      let resolution = resolvePoLookups(lookups, facts.vendorName);
      if (resolution.kind === 'none') {
        for (const joined of joinedNeighbours(facts.printedPoNumbers).slice(0, MAX_PO_NUMBERS)) {
          lookups.push({ printed: joined, source: 'joined', found: await lookupPoNumber(joined, facts.vendorName) });
        }
        resolution = resolvePoLookups(lookups, facts.vendorName);
      }
      if (resolution.kind === 'none') return { unknown: tried.map((t) => t.value) };
      if (resolution.kind === 'ambiguous') {
        const options = await Promise.all(
          resolution.purchaseOrders.map(async (o) => ({ ...o, ...(await withPlaceholders(o.purchaseOrder)) })),
        );
        return decideAmbiguousPoNumbers(facts, options, settings);
      }
      const warnings =
        facts.clerkPoNumber && resolution.source !== 'clerk'
          ? [
              `The corrected PO number ${facts.clerkPoNumber} is not in Plex; matched by the printed PO number ${resolution.printed} instead.`,
            ]
          : [];
      const evidence = [poNumberEvidence(resolution.fit, resolution.printed, resolution.purchaseOrder.poNumber)];
      const decided = decideForPurchaseOrder({
        facts,
        settings,
        found: await withPlaceholders(resolution.purchaseOrder),
        evidence,
        warnings,
      });
      if (decided.status !== 'no_placeholder') return decided;
      // One more read only in this case: the receipts say whether the goods are still to come or already invoiced.
      const receipts = await withPlex(() => plex.listReceipts(resolution.purchaseOrder.id)).catch(() => null);
      return explainNoPlaceholder(decided, receipts);
    }

    /** No usable PO number: the vendor's open POs, judged on supplier, amount and date. */
    async function bySupplier(facts: InvoiceFacts, unknownPoNumbers: string[]): Promise<MatchResult> {
      const end = (candidates: MatchCandidate[], blocked: string | null) =>
        decideBySupplier({ facts, settings, candidates, unknownPoNumbers, blocked });
      if (!facts.vendorName && !facts.vendorTaxId) return end([], 'the invoice shows no vendor to search by');
      if (!facts.total && !facts.subtotal) return end([], 'the invoice shows no total to match by amount');
      const vendor = { name: facts.vendorName, taxId: facts.vendorTaxId };
      // Plex's name filter is exact: try it, then compare against every supplier by similarity.
      let suppliers = facts.vendorName
        ? rankSuppliers(vendor, await withPlex(() => plex.findSuppliers({ name: facts.vendorName! })))
        : [];
      if (suppliers.length === 0) suppliers = rankSuppliers(vendor, await withPlex(() => plex.listSuppliers()));
      if (facts.vendorTaxId && suppliers.length > 1) suppliers = await tieBreakByTaxId(vendor, suppliers);
      if (suppliers.length === 0)
        return end([], `no Plex supplier resembles "${facts.vendorName ?? facts.vendorTaxId}"`);
      const candidates: MatchCandidate[] = [];
      let budget = MAX_FALLBACK_PURCHASE_ORDERS;
      for (const supplier of suppliers.slice(0, MAX_SUPPLIERS)) {
        const open = await withPlex(() => plex.listOpenPurchaseOrders(supplier.supplier.id));
        const { selected, rejected } = preselectPurchaseOrders(facts, open, settings, budget);
        budget -= selected.length;
        candidates.push(...rejected.map((r) => rejectedCandidate(r.purchaseOrder, r.note)));
        for (const po of selected) {
          candidates.push(
            assessCandidate(
              facts,
              supplier,
              po,
              await withPlex(() => plex.listPlaceholders(po.poNumber, { supplierCode: po.supplierCode })),
              settings,
            ),
          );
        }
      }
      return end(candidates, null);
    }

    /** Invoice lines vs PO lines vs receipts, for a match. Plex refusing these reads leaves it unchecked. */
    async function withThreeWayCheck(facts: InvoiceFacts, match: MatchResult): Promise<MatchResult> {
      const po = match.purchaseOrder;
      if (match.status !== 'matched' || !po) return match;
      if (facts.lines.length === 0)
        return withThreeWay(match, {
          status: 'not_checked',
          summary: 'The invoice has no readable line items.',
          lines: [],
        });
      try {
        const [poLines, receipts] = await Promise.all([
          plex.listPurchaseOrderLines(po.id),
          plex.listReceipts(po.id, { supplierId: po.supplierId }),
        ]);
        const { quantityTolerance, priceTolerance } = settings;
        return withThreeWay(
          match,
          threeWayCheck({ invoiceLines: facts.lines, poLines, receipts, quantityTolerance, priceTolerance }),
        );
      } catch (err) {
        if (!(err instanceof PlexError) || err.retryable) throw plexFailure(err);
        return withThreeWay(match, {
          status: 'not_checked',
          summary: `Plex did not list the PO's lines or receipts (${err.message}).`,
          lines: [],
        });
      }
    }
    return { byPoNumber, bySupplier, withThreeWayCheck };
  };

  return {
    /**
     * A fresh Plex read of the placeholder a clerk chose: still an open "Received" placeholder of that PO?
     * Returns it as Plex shows it now, or why it cannot be used (nothing is written here).
     */
    async confirmPlaceholderChoice(input: {
      poNumber: string;
      placeholderId: string;
    }): Promise<{ ok: true; placeholder: PlaceholderSummary } | { ok: false; reason: string }> {
      const open = await withPlex(() => plex.listPlaceholders(input.poNumber));
      const placeholder = open.find((p) => p.id === input.placeholderId);
      if (placeholder) return { ok: true, placeholder };
      return {
        ok: false,
        reason: `the chosen placeholder is no longer an open "Received" placeholder of PO ${input.poNumber} in Plex (paid, closed, removed or given a number since the match)`,
      };
    },

    async matchInvoice(input: { invoiceId: string; fields: EffectiveFields }): Promise<MatchResult> {
      // Heartbeats let Temporal hand a match of a dead worker to another within seconds.
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 2_000);
      try {
        const facts = invoiceFacts(input.fields, await getExtraction(sql, input.invoiceId));
        // Tolerances an admin stored on the Settings page win over the deployment's defaults.
        const { byPoNumber, bySupplier, withThreeWayCheck } = matcherFor(await getEffectiveMatching(sql, defaults));
        const byNumber = await byPoNumber(facts);
        const found = 'status' in byNumber ? byNumber : await bySupplier(facts, byNumber.unknown);
        await noteSupplier(found);
        const checked = await withVendorFinancials(facts, await withThreeWayCheck(facts, found));
        const originals = await findPossibleOriginals(sql, {
          invoiceId: input.invoiceId,
          invoiceNumberKey: invoiceNumberKey(facts.invoiceNumber),
          total: facts.total,
          invoiceDate: facts.invoiceDate,
        });
        const match = applyDuplicateCheck(checked, facts, originals);
        await saveMatch(sql, input.invoiceId, match);
        return match;
      } finally {
        clearInterval(beat);
      }
    },
  };
}
