// DEV/TEST DOUBLE OF PLEX — not Plex. The simulator's in-memory state: records, behaviour settings, fault
// knobs, the log of every write received, call counts and per-key rate-limit windows. Tests drive it
// in-process through this object; the same operations are exposed over HTTP under /__admin.
import type { PlexRoute } from '../plex/resources.js';
import { seedDataset, type SeedDataset } from './seed.js';
import {
  createPurchaseOrder,
  receiveGoods,
  type CreatedPurchaseOrder,
  type CreatePurchaseOrderInput,
} from './purchase-orders.js';
import {
  seededUuid,
  type SimApInvoice,
  type SimLineItem,
  type SimPurchaseOrder,
  type SimReceipt,
  type SimSupplier,
  type SimSupplierFinancials,
  type SimTenant,
} from './records.js';

export const SIM_ROUTES = [
  'ap-invoices.list',
  'ap-invoices.get',
  'ap-invoices.put',
  'ap-invoices.patch',
  'purchase-orders.list',
  'purchase-orders.get',
  'purchase-orders.line-items',
  'receipts.list',
  'suppliers.list',
  'suppliers.financials',
  'tenants.list',
] as const satisfies readonly PlexRoute[]; // each with its resource schema in PLEX_ROUTES
export type SimRoute = (typeof SIM_ROUTES)[number];
export type FaultRoute = SimRoute | '*';

export interface FaultKnobs {
  /** Probability 0..1 of answering 500 instead. */
  status5xx?: number;
  /**
   * Probability 0..1 of answering 429 with Retry-After instead, whatever the rate budget says: rate
   * limiting under chaos even when the budget is set high.
   */
  status429?: number;
  /** Retry-After (whole seconds) sent with injected 429s; default 1. */
  retryAfterSeconds?: number;
  /** Answer the next N calls with 503, counting down. */
  failNext?: number;
  /** Delay before answering. */
  latencyMs?: number;
  /** Never answer (the client's timeout fires); released when the client disconnects or the simulator stops. */
  hang?: boolean;
  /** Writes only: apply the write, then destroy the socket without a response. */
  applyThenDrop?: boolean;
  /** Writes only: probability 0..1 of applyThenDrop for each write (lost responses now and then). */
  dropRate?: number;
  /**
   * Writes only, one-shot: "someone else" touches the record just before the write is applied.
   * 'remove' deletes it (→ 404); 'change' sets its invoiceNumber to SOMEONE-ELSE (→ 409, body not applied).
   */
  mutateBeforeWrite?: 'remove' | 'change';
  /**
   * Writes only: the answer is lost (the request hangs until the client gives up) and the write lands
   * this many ms after it arrived, checked and merged against the record as it is then.
   */
  lateLandingMs?: number;
  /** Writes only: probability 0..1 of lateLandingMs for each write (default 1 when lateLandingMs is set). */
  lateLandingRate?: number;
  /**
   * AP-invoice reads: probability 0..1, for each record of the answer (a list: each "Received" placeholder
   * in it), that another writer (an AP clerk in Plex) edits its checkNote right after this answer, so a
   * write built from the answer would undo that edit. At most once per record.
   */
  concurrentEdit?: number;
}

export interface SimulatorSettings {
  allowPatch: boolean;
  /** Silently truncate every list to this many items (Plex's ~1,000 guidance); null = off. */
  listCap: number | null;
  /** How the ap-invoices invoiceNumber filter matches. */
  invoiceNumberFilter: 'exact' | 'case-insensitive';
  /** Pretend Plex ignored every list filter (PLEX_API.md §5): lists return everything. */
  ignoreListFilters: boolean;
  rateLimitPerMinute: number;
  rateWindowMs: number;
  /** 400 when a PUT gives an invoice number another invoice of the same supplier already has. */
  rejectDuplicateInvoiceNumbers: boolean;
}

export const DEFAULT_SETTINGS: SimulatorSettings = {
  allowPatch: false,
  listCap: null,
  invoiceNumberFilter: 'exact',
  ignoreListFilters: false,
  rateLimitPerMinute: 200,
  rateWindowMs: 60_000,
  rejectDuplicateInvoiceNumbers: false,
};

export interface WriteRecord {
  seq: number;
  at: string;
  method: string;
  apInvoiceId: string;
  /** The body as received (parsed JSON, or the raw text when it was not JSON). */
  body: unknown;
  applied: boolean;
  /** null when no response was sent (hang, applyThenDrop, lateLandingMs). */
  responseStatus: number | null;
  /** When it was applied (for a late landing, after the answer was lost). */
  appliedAt?: string;
  /**
   * Fields other than invoiceNumber whose stored value this write replaced with a different one. A client
   * that sends back the record as it read it only does that when someone changed the record after its
   * read: a write that undid another writer's change.
   */
  overwrote?: string[];
}

/** What the fault knobs decided for one call. */
export interface FaultPlan {
  latencyMs: number;
  hang: boolean;
  failStatus: 429 | 500 | 503 | null;
  /** With failStatus 429. */
  retryAfterSeconds: number;
  applyThenDrop: boolean;
  mutateBeforeWrite: 'remove' | 'change' | null;
  /** 0 = none. */
  lateLandingMs: number;
  /** Probability 0..1 per record read that another writer edits it right after the answer (0: none). */
  concurrentEdit: number;
}

export class SimulatorStore {
  readonly suppliers = new Map<string, SimSupplier>();
  /** By supplier id; a supplier without an entry answers 404 on its financials. */
  readonly supplierFinancials = new Map<string, SimSupplierFinancials>();
  readonly purchaseOrders = new Map<string, SimPurchaseOrder>();
  readonly lineItems = new Map<string, SimLineItem>();
  readonly receipts = new Map<string, SimReceipt>();
  readonly apInvoices = new Map<string, SimApInvoice>();
  readonly tenants: SimTenant[] = [
    { id: seededUuid('tenant:default'), code: '79870', name: 'PlexSync Simulated Plant' },
  ];
  settings: SimulatorSettings;
  readonly faults = new Map<FaultRoute, FaultKnobs>();
  readonly writes: WriteRecord[] = [];
  calls: Partial<Record<SimRoute | 'unknown', number>> = {};
  /** Answers sent, by HTTP status ("429", "500", …), plus "dropped" for connections closed unanswered. */
  responses: Partial<Record<string, number>> = {};
  /**
   * Answers the simulator refused to send because they broke Plex's resource schemas (a simulator bug,
   * answered 500 instead); never cleared by reset, so a test cannot hide one.
   */
  readonly contractViolations: string[] = [];
  /** Records "another writer" has edited (concurrentEdit), and the edits made: at most one per record. */
  readonly concurrentEdits = new Map<string, { at: string; field: string; value: string }>();
  private readonly callStarts = new Map<string, number[]>();
  private readonly hangReleases = new Set<() => void>();
  private readonly landings = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly initialSettings: SimulatorSettings,
    private readonly initialDataset: SeedDataset,
    readonly random: () => number = Math.random,
  ) {
    this.settings = { ...initialSettings };
    this.seed(initialDataset);
  }

  /** Back to the start-up state: start-up settings and dataset; faults, writes, counts and limits cleared. */
  reset(): void {
    this.settings = { ...this.initialSettings };
    this.faults.clear();
    this.writes.length = 0;
    this.concurrentEdits.clear();
    this.calls = {};
    this.responses = {};
    this.resetRateLimits();
    this.seed(this.initialDataset);
  }

  /** Replace all records with a dataset; settings, faults and logs are left alone. */
  seed(dataset: SeedDataset): void {
    for (const table of [
      this.suppliers,
      this.supplierFinancials,
      this.purchaseOrders,
      this.lineItems,
      this.receipts,
      this.apInvoices,
    ]) {
      table.clear();
    }
    seedDataset(this, dataset);
  }

  /** Same as POST /__admin/purchase-orders: supplier (reused) + PO + lines + receipts + placeholders. */
  /** Goods received for a PO: receipts for its lines and a "Received" placeholder for its total. */
  receiveGoods(purchaseOrderId: string): { placeholderId: string; receiptIds: string[] } {
    return receiveGoods(this, purchaseOrderId);
  }

  createPurchaseOrder(input: CreatePurchaseOrderInput): CreatedPurchaseOrder {
    return createPurchaseOrder(this, input);
  }

  /** Set (merge into) the financials of the supplier with this code; the supplier must exist. */
  setSupplierFinancials(
    supplierCode: string,
    changes: Partial<SimSupplierFinancials>,
  ): { supplierId: string; financials: SimSupplierFinancials } | null {
    const supplier = [...this.suppliers.values()].find((s) => s.code === supplierCode);
    if (!supplier) return null;
    const empty: SimSupplierFinancials = {
      taxId: null,
      taxIdType: null,
      ibanNo: null,
      swiftNo: null,
      bankAccountNo: null,
      bankRoutingNo: null,
      bankName: null,
      dunsNo: null,
      paymentStatus: null,
    };
    const financials = { ...empty, ...this.supplierFinancials.get(supplier.id), ...changes };
    this.supplierFinancials.set(supplier.id, financials);
    return { supplierId: supplier.id, financials };
  }

  countCall(route: SimRoute | 'unknown'): void {
    this.calls[route] = (this.calls[route] ?? 0) + 1;
  }

  /** An HTTP status, or null when the connection was closed without an answer. */
  countResponse(status: number | null): void {
    const key = status === null ? 'dropped' : String(status);
    this.responses[key] = (this.responses[key] ?? 0) + 1;
  }

  /** Rolling-window budget per API key; the retry delay in whole seconds when over it. */
  admit(apiKey: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const { rateLimitPerMinute: limit, rateWindowMs: windowMs } = this.settings;
    const starts = this.callStarts.get(apiKey) ?? [];
    while (starts.length > 0 && starts[0]! <= now - windowMs) starts.shift();
    this.callStarts.set(apiKey, starts);
    if (starts.length >= limit) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((starts[0]! + windowMs - now) / 1000)) };
    }
    starts.push(now);
    return { ok: true };
  }

  resetRateLimits(): void {
    this.callStarts.clear();
  }

  setFault(route: FaultRoute, knobs: FaultKnobs): void {
    this.faults.set(route, { ...knobs });
  }

  clearFaults(route?: FaultRoute): void {
    if (route) this.faults.delete(route);
    else this.faults.clear();
  }

  /** Decide the faults for one call (route knobs, then '*'), consuming failNext and one-shot knobs. */
  planFault(route: SimRoute): FaultPlan {
    const plan: FaultPlan = {
      latencyMs: 0,
      hang: false,
      failStatus: null,
      retryAfterSeconds: 1,
      applyThenDrop: false,
      mutateBeforeWrite: null,
      lateLandingMs: 0,
      concurrentEdit: 0,
    };
    for (const key of [route, '*'] as const) {
      const knobs = this.faults.get(key);
      if (!knobs) continue;
      plan.latencyMs += knobs.latencyMs ?? 0;
      plan.hang ||= knobs.hang === true;
      plan.applyThenDrop ||=
        knobs.applyThenDrop === true || (knobs.dropRate !== undefined && this.random() < knobs.dropRate);
      if (plan.failStatus === null && (knobs.failNext ?? 0) > 0) {
        knobs.failNext = knobs.failNext! - 1;
        plan.failStatus = 503;
      }
      if (plan.failStatus === null && knobs.status5xx && this.random() < knobs.status5xx) plan.failStatus = 500;
      if (plan.failStatus === null && knobs.status429 && this.random() < knobs.status429) {
        plan.failStatus = 429;
        plan.retryAfterSeconds = knobs.retryAfterSeconds ?? 1;
      }
      if (!plan.lateLandingMs && knobs.lateLandingMs && this.random() < (knobs.lateLandingRate ?? 1)) {
        plan.lateLandingMs = knobs.lateLandingMs;
      }
      plan.concurrentEdit = Math.max(plan.concurrentEdit, knobs.concurrentEdit ?? 0);
      if (!plan.mutateBeforeWrite && knobs.mutateBeforeWrite) {
        plan.mutateBeforeWrite = knobs.mutateBeforeWrite;
        delete knobs.mutateBeforeWrite;
      }
    }
    return plan;
  }

  logWrite(method: string, apInvoiceId: string, body: unknown): WriteRecord {
    const record: WriteRecord = {
      seq: this.writes.length + 1,
      at: new Date().toISOString(),
      method,
      apInvoiceId,
      body,
      applied: false,
      responseStatus: null,
    };
    this.writes.push(record);
    return record;
  }

  /** Park a hung request until `release` runs (client gone) or the simulator closes. */
  holdHang(release: () => void): () => void {
    this.hangReleases.add(release);
    return () => this.hangReleases.delete(release);
  }

  /** Run `land` after `ms` (a late landing); cancelled when the simulator stops. */
  scheduleLanding(ms: number, land: () => void): void {
    const timer = setTimeout(() => {
      this.landings.delete(timer);
      land();
    }, ms);
    this.landings.add(timer);
  }

  /** Late landings still to come. */
  get pendingLandings(): number {
    return this.landings.size;
  }

  releaseHangs(): void {
    for (const timer of this.landings) clearTimeout(timer);
    this.landings.clear();
    for (const release of this.hangReleases) release();
    this.hangReleases.clear();
  }
}
