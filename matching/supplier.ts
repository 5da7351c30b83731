// Is the vendor on the invoice this Plex supplier? The tax id when both sides have one, else the name
// (domain/supplier-name.ts).
import type { SupplierSummary } from '../domain/plex.js';
import { SAME_SUPPLIER_THRESHOLD, normaliseTaxId, supplierSimilarity } from '../domain/supplier-name.js';

export interface SupplierFit {
  supplier: SupplierSummary;
  /** 0..1; 1 for an equal tax id. */
  similarity: number;
  by: 'tax_id' | 'name';
  detail: string;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** How well one Plex supplier fits the invoice's vendor; a different tax id rules it out. */
export function supplierFit(
  vendor: { name: string | null; taxId: string | null },
  supplier: SupplierSummary,
): SupplierFit {
  const invoiceTaxId = normaliseTaxId(vendor.taxId);
  const plexTaxId = normaliseTaxId(supplier.taxId);
  const label = `${supplier.name ?? supplier.code ?? supplier.id}`;
  if (invoiceTaxId && plexTaxId) {
    return invoiceTaxId === plexTaxId
      ? { supplier, similarity: 1, by: 'tax_id', detail: `tax id ${vendor.taxId} equals supplier ${label}'s` }
      : {
          supplier,
          similarity: 0,
          by: 'tax_id',
          detail: `tax id ${vendor.taxId} differs from supplier ${label}'s (${supplier.taxId})`,
        };
  }
  const similarity = supplierSimilarity(vendor.name, supplier.name);
  return {
    supplier,
    similarity,
    by: 'name',
    detail: `vendor "${vendor.name ?? '?'}" vs supplier "${label}": ${percent(similarity)} similar`,
  };
}

/** Suppliers that fit the vendor (tax id, or name at or above the threshold), best first. */
export function rankSuppliers(
  vendor: { name: string | null; taxId: string | null },
  suppliers: readonly SupplierSummary[],
): SupplierFit[] {
  return suppliers
    .map((supplier) => supplierFit(vendor, supplier))
    .filter((fit) => fit.similarity >= SAME_SUPPLIER_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity || (a.supplier.name ?? '').localeCompare(b.supplier.name ?? ''));
}
