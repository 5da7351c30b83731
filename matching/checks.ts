// What a clerk must know about the one PO and placeholder an invoice was matched to: the evidence behind
// the match (supplier, amount, date, placeholder) and the warnings that keep it from auto-approval
// (a credit note, amount outside tolerance, above the PO total, vendor unlike the PO's supplier, closed PO,
// currency).
import type { MatchEvidence } from '../domain/match.js';
import type { PlaceholderSummary, PurchaseOrderSummary } from '../domain/plex.js';
import { amountFit, dateFit } from './amounts.js';
import { withinTolerance, compareDecimals, tolerancePercent } from '../domain/decimal.js';
import type { InvoiceFacts } from './facts.js';
import { amountEvidence, dateEvidence, placeholderEvidence, supplierEvidence } from './score.js';
import type { MatchingSettings } from './settings.js';
import { SAME_SUPPLIER_THRESHOLD } from '../domain/supplier-name.js';
import { supplierFit } from './supplier.js';

export interface Assessment {
  evidence: MatchEvidence[];
  warnings: string[];
}

/** Closed, cancelled or switched inactive in Plex (status "Open" in any case is open; unknown is not judged). */
export function isClosedPurchaseOrder(po: PurchaseOrderSummary): boolean {
  return po.active === false || (po.status !== null && po.status.trim().toLowerCase() !== 'open');
}

export function assessPurchaseOrder(
  facts: InvoiceFacts,
  po: PurchaseOrderSummary,
  placeholders: readonly PlaceholderSummary[],
  settings: MatchingSettings,
): Assessment {
  const evidence: MatchEvidence[] = [];
  const warnings: string[] = [];
  const placeholder = placeholders.length === 1 ? placeholders[0]! : null;

  if (facts.total && compareDecimals(facts.total, '0') < 0) {
    // A credit note (e-invoice type 381 or a negative printed total) is money back, not the bill a
    // "Received" placeholder waits for: writing its number there would mark the goods as invoiced.
    warnings.push(
      `This is a credit note (total ${facts.total}): it does not fill PO ${po.poNumber}'s "Received" placeholder. Book it in Plex as a credit memo against the PO, then reject it here.`,
    );
  }

  evidence.push(
    placeholderEvidence(
      placeholders.length,
      placeholder
        ? `one open "Received" placeholder, amount ${placeholder.amount ?? 'unknown'}`
        : `${placeholders.length} open "Received" placeholders`,
    ),
  );

  if (facts.vendorName && po.supplierName) {
    const fit = supplierFit(
      { name: facts.vendorName, taxId: null },
      { id: po.supplierId ?? '', code: po.supplierCode, name: po.supplierName, status: null, taxId: null },
    );
    evidence.push(supplierEvidence(fit.similarity, fit.detail));
    if (fit.similarity < SAME_SUPPLIER_THRESHOLD) {
      warnings.push(
        `The vendor on the invoice ("${facts.vendorName}") does not look like PO ${po.poNumber}'s supplier ("${po.supplierName}").`,
      );
    }
  } else {
    evidence.push({
      signal: 'supplier_unknown',
      points: 0,
      detail: facts.vendorName
        ? `PO ${po.poNumber} has no supplier name to compare`
        : 'the invoice shows no vendor name',
    });
  }

  const [reference, label] = placeholder?.amount
    ? [placeholder.amount, 'placeholder amount']
    : [po.lineItemTotal, 'PO total'];
  const amount = amountFit(facts, reference, label, settings.amountTolerance);
  evidence.push(
    amountEvidence(
      amount?.check ?? null,
      amount?.detail ?? 'no invoice total or reference amount to compare',
      settings.amountTolerance,
    ),
  );
  if (amount && !amount.check.within) warnings.push(`Amount outside tolerance: ${amount.detail}.`);
  if (placeholder?.amount && po.lineItemTotal && facts.total) {
    const vsPo = withinTolerance(facts.total, po.lineItemTotal, settings.amountTolerance);
    if (vsPo && !vsPo.within && compareDecimals(facts.total, po.lineItemTotal) > 0) {
      warnings.push(
        `Invoice total ${facts.total} exceeds PO ${po.poNumber}'s total ${po.lineItemTotal} by ${vsPo.deviationPercent} % (tolerance ${tolerancePercent(settings.amountTolerance)}).`,
      );
    }
  }

  const date = dateFit(facts.invoiceDate, po.orderedDate, {
    before: settings.dateWindowDaysBefore,
    after: settings.dateWindowDaysAfter,
  });
  evidence.push(dateEvidence(date?.within ?? null, date?.detail ?? 'no invoice date or PO date to compare'));

  if (isClosedPurchaseOrder(po)) {
    warnings.push(`PO ${po.poNumber} is ${po.active === false ? 'inactive' : `"${po.status}"`} in Plex, not open.`);
  }
  if (facts.currency && po.currencyCode && facts.currency !== po.currencyCode.toUpperCase()) {
    warnings.push(`The invoice is in ${facts.currency} but PO ${po.poNumber} is in ${po.currencyCode}.`);
  }
  return { evidence, warnings };
}
