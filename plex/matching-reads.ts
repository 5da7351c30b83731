// The Plex reads that matching needs beyond the PO-number lookup: suppliers by name or code, a supplier's
// open POs, a PO's line items and its receipts (PLEX_API.md §2.5–2.6). Same rules as plex/client.ts:
// Plex's own filters are sent, then every answer is re-filtered here because Plex may ignore a filter.
import type { z } from 'zod';
import type { PurchaseOrderLine, PurchaseOrderSummary, ReceiptSummary } from '../domain/plex.js';
import {
  PurchaseOrderLineList,
  PurchaseOrderList,
  ReceiptList,
  SupplierList,
  toPurchaseOrderLine,
  toPurchaseOrderSummary,
  toReceiptSummary,
  toSupplierSummary,
  type PurchaseOrderWire,
  type SupplierWire,
} from './schemas.js';
import type { PlexRequest } from './transport.js';
import type { PlexClient } from './types.js';
import { createReadCache } from './read-cache.js';

type RequestParsed = <S extends z.ZodType>(req: PlexRequest, schema: S) => Promise<z.output<S>>;

const PURCHASE_ORDERS = '/purchasing/v1/purchase-orders';
const SUPPLIERS = '/mdm/v1/suppliers';
const RECEIPTS = '/purchasing/v1/receipts';

const key = (text: string | null | undefined) => (text ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/** PO status "Open" in any case, and not switched inactive. The full list of Plex PO statuses is unverified. */
export function isOpenPurchaseOrder(po: Pick<PurchaseOrderWire, 'status' | 'active'>): boolean {
  return key(po.status) === 'open' && po.active !== false;
}

/** A list this long may have been cut short by Plex (about 1,000 per call, PLEX_API.md §2.1). */
export const POSSIBLY_TRUNCATED = 1_000;
/** How far back a supplier's receipts are read in one call when several of its invoices come in. */
const RECEIPT_DAYS = 180;
const DAY_MS = 86_400_000;

export function createMatchingReads(
  requestParsed: RequestParsed,
  supplier: (id: string) => Promise<SupplierWire | null>,
  { readCacheMs, now }: { readCacheMs: number; now: () => number },
): Pick<
  PlexClient,
  | 'findSuppliers'
  | 'listSuppliers'
  | 'listOpenPurchaseOrders'
  | 'cachedPurchaseOrders'
  | 'listPurchaseOrderLines'
  | 'listReceipts'
  | 'noteSupplier'
> {
  const openPurchaseOrders = createReadCache<string, PurchaseOrderSummary[]>(readCacheMs, now);
  /** A supplier's receipts of the last RECEIPT_DAYS, or null when the answer may have been cut short. */
  const supplierReceipts = createReadCache<string, ReceiptSummary[] | null>(readCacheMs, now);
  /** When each supplier was last met by a match, to tell a burst of its invoices from a single one. */
  const lastMet = new Map<string, number>();
  const openPurchaseOrdersOf = (supplierId: string) =>
    openPurchaseOrders.get(supplierId, () => readOpenPurchaseOrders(supplierId));

  async function readOpenPurchaseOrders(supplierId: string): Promise<PurchaseOrderSummary[]> {
    const purchaseOrders = await requestParsed(
      { method: 'GET', path: PURCHASE_ORDERS, route: 'purchase-orders.list', query: { supplierId, status: 'Open' } },
      PurchaseOrderList,
    );
    const open = purchaseOrders.filter((po) => po.supplierId === supplierId && isOpenPurchaseOrder(po));
    const owner = open.length ? await supplier(supplierId) : null;
    return open.map((po) => toPurchaseOrderSummary(po, owner));
  }

  async function readSupplierReceipts(supplierId: string): Promise<ReceiptSummary[] | null> {
    const receiveDateBegin = new Date(now() - RECEIPT_DAYS * DAY_MS).toISOString();
    const receipts = await requestParsed(
      { method: 'GET', path: RECEIPTS, route: 'receipts.list', query: { supplierId, receiveDateBegin } },
      ReceiptList,
    );
    return receipts.length >= POSSIBLY_TRUNCATED
      ? null
      : receipts.filter((r) => r.supplierId === supplierId).map(toReceiptSummary);
  }

  async function receiptsOfPurchaseOrder(purchaseOrderId: string): Promise<ReceiptSummary[]> {
    const receipts = await requestParsed(
      { method: 'GET', path: RECEIPTS, route: 'receipts.list', query: { pOId: purchaseOrderId } },
      ReceiptList,
    );
    return receipts.filter((r) => r.poId === purchaseOrderId).map(toReceiptSummary);
  }

  return {
    async findSuppliers({ name, code }) {
      const query: Record<string, string> = {};
      if (name?.trim()) query.name = name.trim();
      if (code?.trim()) query.code = code.trim();
      if (Object.keys(query).length === 0) return [];
      const suppliers = await requestParsed(
        { method: 'GET', path: SUPPLIERS, route: 'suppliers.list', query },
        SupplierList,
      );
      return suppliers
        .filter(
          (s) =>
            (query.name === undefined || key(s.name) === key(query.name)) &&
            (query.code === undefined || key(s.code) === key(query.code)),
        )
        .map(toSupplierSummary);
    },

    async listSuppliers() {
      const suppliers = await requestParsed({ method: 'GET', path: SUPPLIERS, route: 'suppliers.list' }, SupplierList);
      return suppliers.map(toSupplierSummary);
    },

    listOpenPurchaseOrders(supplierId: string): Promise<PurchaseOrderSummary[]> {
      return openPurchaseOrdersOf(supplierId);
    },

    cachedPurchaseOrders(poNumber: string): PurchaseOrderSummary[] {
      const wanted = poNumber.trim();
      return openPurchaseOrders
        .fresh()
        .flat()
        .filter((po) => po.poNumber.trim() === wanted);
    },

    async noteSupplier(supplierId: string): Promise<void> {
      // The second invoice of a supplier within the cache's lifetime: read its open POs and recent receipts
      // in one call each, so the invoices after it find their PO and receipts without asking Plex again.
      const previous = lastMet.get(supplierId);
      lastMet.set(supplierId, now());
      for (const [id, at] of lastMet) if (now() - at >= readCacheMs) lastMet.delete(id);
      if (previous === undefined || now() - previous >= readCacheMs) return;
      await Promise.all([
        openPurchaseOrdersOf(supplierId),
        supplierReceipts.get(supplierId, () => readSupplierReceipts(supplierId)),
      ]);
    },

    async listPurchaseOrderLines(purchaseOrderId: string): Promise<PurchaseOrderLine[]> {
      const path = `${PURCHASE_ORDERS}/${encodeURIComponent(purchaseOrderId)}/line-items`;
      const lines = await requestParsed(
        { method: 'GET', path, route: 'purchase-orders.line-items' },
        PurchaseOrderLineList,
      );
      return lines.map(toPurchaseOrderLine).sort((a, b) => (a.lineItemNumber ?? 0) - (b.lineItemNumber ?? 0));
    },

    async listReceipts(purchaseOrderId: string, hint?: { supplierId?: string | null }): Promise<ReceiptSummary[]> {
      // The supplier's recent receipts, when read for an earlier invoice of the burst, are used only when
      // they hold some for this PO: no receipt at all is always confirmed with Plex (it decides a warning).
      const recent = hint?.supplierId ? supplierReceipts.peek(hint.supplierId) : undefined;
      const ofPo = recent?.filter((r) => r.poId === purchaseOrderId) ?? [];
      if (ofPo.length > 0) return ofPo;
      return receiptsOfPurchaseOrder(purchaseOrderId);
    },
  };
}
