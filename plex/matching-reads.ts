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

type RequestParsed = <S extends z.ZodType>(req: PlexRequest, schema: S) => Promise<z.output<S>>;

const PURCHASE_ORDERS = '/purchasing/v1/purchase-orders';
const SUPPLIERS = '/mdm/v1/suppliers';
const RECEIPTS = '/purchasing/v1/receipts';

const key = (text: string | null | undefined) => (text ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/** PO status "Open" in any case, and not switched inactive. The full list of Plex PO statuses is unverified. */
export function isOpenPurchaseOrder(po: Pick<PurchaseOrderWire, 'status' | 'active'>): boolean {
  return key(po.status) === 'open' && po.active !== false;
}

export function createMatchingReads(
  requestParsed: RequestParsed,
  supplier: (id: string) => Promise<SupplierWire | null>,
): Pick<PlexClient, 'findSuppliers' | 'listSuppliers' | 'listOpenPurchaseOrders' | 'listPurchaseOrderLines' | 'listReceipts'> {
  return {
    async findSuppliers({ name, code }) {
      const query: Record<string, string> = {};
      if (name?.trim()) query.name = name.trim();
      if (code?.trim()) query.code = code.trim();
      if (Object.keys(query).length === 0) return [];
      const suppliers = await requestParsed({ method: 'GET', path: SUPPLIERS, route: 'suppliers.list', query }, SupplierList);
      return suppliers
        .filter((s) => (query.name === undefined || key(s.name) === key(query.name)) && (query.code === undefined || key(s.code) === key(query.code)))
        .map(toSupplierSummary);
    },

    async listSuppliers() {
      const suppliers = await requestParsed({ method: 'GET', path: SUPPLIERS, route: 'suppliers.list' }, SupplierList);
      return suppliers.map(toSupplierSummary);
    },

    async listOpenPurchaseOrders(supplierId: string): Promise<PurchaseOrderSummary[]> {
      const purchaseOrders = await requestParsed(
        { method: 'GET', path: PURCHASE_ORDERS, route: 'purchase-orders.list', query: { supplierId, status: 'Open' } },
        PurchaseOrderList,
      );
      const open = purchaseOrders.filter((po) => po.supplierId === supplierId && isOpenPurchaseOrder(po));
      const owner = open.length ? await supplier(supplierId) : null;
      return open.map((po) => toPurchaseOrderSummary(po, owner));
    },

    async listPurchaseOrderLines(purchaseOrderId: string): Promise<PurchaseOrderLine[]> {
      const path = `${PURCHASE_ORDERS}/${encodeURIComponent(purchaseOrderId)}/line-items`;
      const lines = await requestParsed({ method: 'GET', path, route: 'purchase-orders.line-items' }, PurchaseOrderLineList);
      return lines.map(toPurchaseOrderLine).sort((a, b) => (a.lineItemNumber ?? 0) - (b.lineItemNumber ?? 0));
    },

    async listReceipts(purchaseOrderId: string): Promise<ReceiptSummary[]> {
      const receipts = await requestParsed(
        { method: 'GET', path: RECEIPTS, route: 'receipts.list', query: { pOId: purchaseOrderId } },
        ReceiptList,
      );
      return receipts.filter((r) => r.poId === purchaseOrderId).map(toReceiptSummary);
    },
  };
}
