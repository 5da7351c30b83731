// The supplier's financials in Plex (tax id, bank account) against what the invoice prints. An equal VAT
// / tax id or IBAN is the strongest vendor evidence there is; an IBAN on the invoice that differs from the
// supplier's is the classic bank-detail-change fraud and always needs a person. IBANs are shown masked.
import type { MatchEvidence, MatchResult } from '../domain/match.js';
import type { SupplierFinancials } from '../domain/plex.js';
import { maskIban } from '../domain/iban.js';
import type { InvoiceFacts } from './facts.js';
import { scoreOf, WEIGHTS } from './score.js';
import { normaliseTaxId } from '../domain/supplier-name.js';

/** Evidence entries about the vendor that an equal tax id or IBAN replaces. */
const NAME_SIGNALS = new Set(['supplier', 'supplier_mismatch', 'supplier_unknown']);
/** The start of the name warning (matching/checks.ts) that an equal tax id or IBAN answers. */
const NAME_WARNING = 'The vendor on the invoice (';

export interface FinancialsAssessment {
  /** Tax id or IBAN equal to the supplier's: full supplier points, ahead of any name comparison. */
  strong: MatchEvidence | null;
  /** Other observations (a differing tax id, no IBAN on file), 0 points. */
  evidence: MatchEvidence[];
  warnings: string[];
}

const compactIban = (iban: string) => iban.toUpperCase().replace(/\s+/g, '');

export function assessFinancials(
  facts: Pick<InvoiceFacts, 'vendorTaxId' | 'ibans'>,
  financials: SupplierFinancials,
  supplierLabel: string,
): FinancialsAssessment {
  const evidence: MatchEvidence[] = [];
  const warnings: string[] = [];
  const strong: string[] = [];
  const printedTaxId = normaliseTaxId(facts.vendorTaxId);
  const plexTaxId = normaliseTaxId(financials.taxId);
  if (printedTaxId && plexTaxId) {
    if (printedTaxId === plexTaxId)
      strong.push(`tax id ${facts.vendorTaxId} equals supplier ${supplierLabel}'s in Plex`);
    else
      evidence.push({
        signal: 'tax_id_differs',
        points: 0,
        detail: `tax id ${facts.vendorTaxId} on the invoice differs from supplier ${supplierLabel}'s in Plex (${financials.taxId})`,
      });
  }
  const plexIban = financials.ibanNo ? compactIban(financials.ibanNo) : null;
  for (const printed of facts.ibans) {
    if (!plexIban) {
      evidence.push({
        signal: 'iban_not_on_file',
        points: 0,
        detail: `the invoice prints IBAN ${maskIban(printed)}; supplier ${supplierLabel} has no IBAN in Plex to compare`,
      });
    } else if (compactIban(printed) === plexIban) {
      strong.push(`IBAN ${maskIban(printed)} equals supplier ${supplierLabel}'s in Plex`);
    } else {
      evidence.push({
        signal: 'iban_differs',
        points: 0,
        detail: `IBAN ${maskIban(printed)} on the invoice, ${maskIban(plexIban)} in Plex`,
      });
      warnings.push(
        `Bank account changed? The invoice asks for payment to IBAN ${maskIban(printed)}, but supplier ${supplierLabel}'s IBAN in Plex is ${maskIban(plexIban)}. ` +
          'Confirm with the supplier on a phone number you already have (not one on this invoice) before approving.',
      );
    }
  }
  const first = strong[0];
  return {
    strong: first ? { signal: 'supplier_tax_id_or_iban', points: WEIGHTS.supplier, detail: strong.join('; ') } : null,
    evidence,
    warnings,
  };
}

/** A matched invoice judged against its PO supplier's financials; anything else is returned as it is. */
export function withSupplierFinancials(
  match: MatchResult,
  facts: InvoiceFacts,
  financials: SupplierFinancials | null,
): MatchResult {
  const po = match.purchaseOrder;
  if (match.status !== 'matched' || !po || !financials) return match;
  const label = po.supplierName ?? po.supplierCode ?? financials.supplierId;
  const { strong, evidence: extra, warnings } = assessFinancials(facts, financials, label);
  let evidence = match.evidence;
  let kept = match.warnings;
  if (strong) {
    evidence = [...evidence.filter((e) => !NAME_SIGNALS.has(e.signal)), strong];
    kept = kept.filter((w) => !w.startsWith(NAME_WARNING));
  }
  evidence = [...evidence, ...extra];
  return { ...match, evidence, score: scoreOf(evidence), warnings: [...kept, ...warnings] };
}

/** Whether reading the supplier's financials can change the match: the invoice prints a tax id or an IBAN. */
export const needsFinancials = (facts: Pick<InvoiceFacts, 'vendorTaxId' | 'ibans'>): boolean =>
  normaliseTaxId(facts.vendorTaxId) !== null || facts.ibans.length > 0;
