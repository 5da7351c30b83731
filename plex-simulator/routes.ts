// DEV/TEST DOUBLE OF PLEX — not Plex. The Plex Connect endpoints the simulator serves (PLEX_API.md §2):
// header-only API key, per-key rate limit, fault knobs, bare-array lists with Plex's filter names,
// single GETs, and the AP-invoice PUT. Every route goes through `guard`, which counts and logs the call and
// checks every 2xx body against Plex's published resource schema (plex/resources.ts) before it leaves.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { FaultPlan, SimRoute, SimulatorStore, WriteRecord } from './store.js';
import { badId, notFound, plexError, writeApInvoice } from './ap-invoice-write.js';
import { randomUUID } from 'node:crypto';
import { CLERK_USER_ID, isoSeconds, UUID_PATTERN, type SimApInvoice } from './records.js';
import { resourceProblem } from '../plex/resources.js';

export type SimEnv = {
  Bindings: HttpBindings;
  Variables: { plan: FaultPlan; write: WriteRecord | undefined; dropped: boolean };
};
type SimContext = Context<SimEnv>;

const KEY_HEADER = 'X-Plex-Connect-Api-Key';
const AP = '/accounting/v1/ap-invoices';
const PO = '/purchasing/v1/purchase-orders';

/** Destroy the connection without answering; the Response returned afterwards goes nowhere. */
function drop(c: SimContext): Response {
  c.set('dropped', true);
  c.env?.incoming?.socket?.destroy();
  return new Response(null, { status: 499 });
}

export function plexRoutes(store: SimulatorStore, apiKey: string): Hono<SimEnv> {
  const app = new Hono<SimEnv>();

  const guard =
    (route: SimRoute): MiddlewareHandler<SimEnv> =>
    async (c, next) => {
      store.countCall(route);
      const isWrite = route === 'ap-invoices.put' || route === 'ap-invoices.patch';
      const write = isWrite ? store.logWrite(c.req.method, c.req.param('id') ?? '', await readBody(c)) : undefined;
      c.set('write', write);
      c.set('dropped', false);
      const early = unauthenticated(c) ?? overBudget(c) ?? (await faulted(c, route));
      const status = () => (c.get('dropped') ? null : (early ?? c.res).status);
      if (!early) {
        await next();
        if (!c.get('dropped')) await asPublished(c, route);
      }
      store.countResponse(status());
      if (write) write.responseStatus = status();
      return early;
    };

  /**
   * The simulator serialises through Plex's resource schemas: a 2xx body with a field Plex does not publish
   * (or a wrong type, or no id) is a bug in the simulator. It is answered 500 naming the field, logged, and
   * kept in `store.contractViolations` for the tests to see, never sent.
   */
  async function asPublished(c: SimContext, route: SimRoute): Promise<void> {
    if (c.res.status < 200 || c.res.status >= 300) return;
    const problem = resourceProblem(route, await c.res.clone().json());
    if (!problem) return;
    const message = `Simulator bug: its ${c.req.method} ${c.req.path} (${route}) answer ${problem}`;
    store.contractViolations.push(message);
    console.error(`plex simulator: ${message}`);
    c.res = undefined;
    c.res = c.json(plexError('SIMULATOR_CONTRACT_VIOLATION', message), 500);
  }

  function unauthenticated(c: SimContext): Response | undefined {
    const keyInQuery = Object.keys(c.req.query()).some((name) => /api[-_]?key/i.test(name));
    if (!keyInQuery && c.req.header(KEY_HEADER) === apiKey) return undefined;
    const message = keyInQuery
      ? `API keys are only accepted in the ${KEY_HEADER} header.`
      : 'The request could not be authenticated (bad key, or the API product is not enabled for this app).';
    return c.json(plexError('REQUEST_NOT_AUTHENTICATED', message), 401);
  }

  function overBudget(c: SimContext): Response | undefined {
    const verdict = store.admit(apiKey);
    if (verdict.ok) return undefined;
    c.header('Retry-After', String(verdict.retryAfterSeconds));
    return c.json(plexError('TOO_MANY_REQUESTS', 'Rate limit exceeded; slow down.'), 429);
  }

  async function faulted(c: SimContext, route: SimRoute): Promise<Response | undefined> {
    const plan = store.planFault(route);
    c.set('plan', plan);
    if (plan.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.latencyMs));
    if (plan.hang) return hangUp(c);
    if (plan.failStatus === 429) {
      c.header('Retry-After', String(plan.retryAfterSeconds));
      return c.json(plexError('TOO_MANY_REQUESTS', 'Rate limit exceeded; slow down.'), 429);
    }
    if (plan.failStatus === 503)
      return c.json(plexError('SERVICE_UNAVAILABLE', 'Service temporarily unavailable.'), 503);
    if (plan.failStatus === 500)
      return c.json(plexError('INTERNAL_SERVER_ERROR', 'An unexpected error occurred.'), 500);
    return undefined;
  }

  /** Never answer: wait until the client gives up (or the simulator stops), then drop the connection. */
  async function hangUp(c: SimContext): Promise<Response> {
    await new Promise<void>((resolve) => {
      const forget = store.holdHang(() => resolve());
      c.env?.outgoing?.once('close', () => {
        forget();
        resolve();
      });
    });
    return drop(c);
  }

  /** Plex ignores unknown filters; the simulator can also be told to ignore all of them (§5). */
  const list = <T>(c: SimContext, rows: Iterable<T>, keep: (row: T) => boolean) => {
    const kept = store.settings.ignoreListFilters ? [...rows] : [...rows].filter(keep);
    const cap = store.settings.listCap;
    return c.json(cap === null ? kept : kept.slice(0, cap));
  };
  const eq = (actual: unknown, wanted: string | undefined) => wanted === undefined || actual === wanted;
  const eqi = (actual: unknown, wanted: string | undefined) =>
    wanted === undefined || (typeof actual === 'string' && actual.toLowerCase() === wanted.toLowerCase());
  const oneOf = (actual: string, wanted: string[] | undefined) =>
    !wanted || wanted.length === 0 || wanted.includes(actual);
  /** A date-time range filter (either end optional); an unparseable bound matches nothing, as a typo would. */
  const within = (actual: string | null | undefined, begin: string | undefined, end: string | undefined) => {
    const at = actual ? Date.parse(actual) : Number.NaN;
    return (begin === undefined || at >= Date.parse(begin)) && (end === undefined || at <= Date.parse(end));
  };
  const flag = (actual: boolean, wanted: string | undefined) => wanted === undefined || String(actual) === wanted;

  /** "Another writer" edits an AP invoice right after PlexSync read it (the concurrentEdit fault). */
  const editAfterRead = (invoice: SimApInvoice) => {
    const edit = { at: isoSeconds(), field: 'checkNote', value: `Edited in Plex ${randomUUID().slice(0, 8)}` };
    store.concurrentEdits.set(invoice.id, edit);
    Object.assign(invoice, { checkNote: edit.value, modifiedDate: edit.at, modifiedById: CLERK_USER_ID });
  };

  app.get(AP, guard('ap-invoices.list'), (c) => {
    const q = c.req.query();
    const ids = c.req.queries('id');
    const invoiceNumberMatches = store.settings.invoiceNumberFilter === 'exact' ? eq : eqi;
    const keep = (inv: SimApInvoice) =>
      oneOf(inv.id, ids) &&
      eq(inv.poNumber, q.poNumber) &&
      invoiceNumberMatches(inv.invoiceNumber, q.invoiceNumber) &&
      eqi(inv.status, q.status) &&
      eq(inv.supplierCode, q.supplierCode) &&
      eq(inv.shipperNo, q.shipperNo) &&
      flag(inv.paid, q.paid) &&
      flag(inv.booked, q.booked);
    const answer = list(c, store.apInvoices.values(), keep);
    const editRate = c.get('plan').concurrentEdit;
    if (editRate > 0) {
      // "Received" placeholders of the answer, not edited before, may be edited right after this read.
      for (const inv of store.apInvoices.values()) {
        if (
          keep(inv) &&
          inv.invoiceNumber.toLowerCase() === 'received' &&
          !store.concurrentEdits.has(inv.id) &&
          store.random() < editRate
        )
          editAfterRead(inv);
      }
    }
    return answer;
  });

  app.get(`${AP}/:id`, guard('ap-invoices.get'), (c) => {
    const id = c.req.param('id');
    if (!UUID_PATTERN.test(id)) return c.json(badId(id), 400);
    const invoice = store.apInvoices.get(id);
    if (!invoice) return c.json(notFound(`AP invoice ${id}`), 404);
    const answer = c.json(structuredClone(invoice));
    // Another writer edits the record right after this read: a PUT built from it would undo the edit.
    if (!store.concurrentEdits.has(id) && store.random() < c.get('plan').concurrentEdit) editAfterRead(invoice);
    return answer;
  });

  const write = async (c: SimContext) => {
    const plan = c.get('plan');
    if (plan.lateLandingMs > 0) {
      // The answer is lost; the write lands later, against the record as it is by then.
      const [id, body, record] = [c.req.param('id') ?? '', await readBody(c), c.get('write')];
      store.scheduleLanding(plan.lateLandingMs, () =>
        writeApInvoice(store, id, body, { ...plan, applyThenDrop: false }, record),
      );
      return hangUp(c);
    }
    const outcome = writeApInvoice(store, c.req.param('id') ?? '', await readBody(c), plan, c.get('write'));
    if (outcome.drop) return drop(c);
    return c.json(outcome.body, outcome.status);
  };
  app.put(`${AP}/:id`, guard('ap-invoices.put'), write);
  app.patch(`${AP}/:id`, guard('ap-invoices.patch'), (c) => {
    if (store.settings.allowPatch) return write(c);
    c.header('Allow', 'GET, PUT');
    return c.json(plexError('METHOD_NOT_ALLOWED', 'PATCH is not supported on this resource; use PUT.'), 405);
  });

  app.get(PO, guard('purchase-orders.list'), (c) => {
    const q = c.req.query();
    const ids = c.req.queries('id');
    // The filter is pONumber (capital O). A "poNumber" parameter is an unknown filter and is ignored.
    return list(
      c,
      store.purchaseOrders.values(),
      (po) =>
        oneOf(po.id, ids) &&
        eq(po.poNumber, q.pONumber) &&
        eqi(po.status, q.status) &&
        eq(po.supplierId, q.supplierId) &&
        flag(po.active, q.active),
    );
  });

  app.get(`${PO}/:id`, guard('purchase-orders.get'), (c) => {
    const id = c.req.param('id');
    if (!UUID_PATTERN.test(id)) return c.json(badId(id), 400);
    const po = store.purchaseOrders.get(id);
    return po ? c.json(po) : c.json(notFound(`Purchase order ${id}`), 404);
  });

  app.get(`${PO}/:poId/line-items`, guard('purchase-orders.line-items'), (c) => {
    const poId = c.req.param('poId');
    if (!UUID_PATTERN.test(poId)) return c.json(badId(poId), 400);
    if (!store.purchaseOrders.has(poId)) return c.json(notFound(`Purchase order ${poId}`), 404);
    const lines = [...store.lineItems.values()].filter((line) => line.purchaseOrderId === poId);
    // quantity is the simulator's own (it makes the receipts); Plex's line item has no such field.
    return c.json(lines.map(({ purchaseOrderId: _, quantity: __, ...line }) => line));
  });

  app.get('/purchasing/v1/receipts', guard('receipts.list'), (c) => {
    const q = c.req.query();
    return list(
      c,
      store.receipts.values(),
      (r) =>
        eq(r.poId, q.pOId) &&
        eq(r.poLineItemId, q.pOLineItemId) &&
        eq(r.supplierId, q.supplierId) &&
        eq(r.supplierShipperNumber, q.supplierShipperNumber) &&
        within(r.receiveDate, q.receiveDateBegin, q.receiveDateEnd),
    );
  });

  app.get('/mdm/v1/suppliers', guard('suppliers.list'), (c) => {
    const q = c.req.query();
    const ids = c.req.queries('id');
    return list(
      c,
      store.suppliers.values(),
      (s) => oneOf(s.id, ids) && eq(s.code, q.code) && eqi(s.name, q.name) && eqi(s.status, q.status),
    );
  });

  app.get('/mdm/v1/suppliers/:id/financials', guard('suppliers.financials'), (c) => {
    const id = c.req.param('id');
    if (!UUID_PATTERN.test(id)) return c.json(badId(id), 400);
    const financials = store.supplierFinancials.get(id);
    return financials ? c.json(financials) : c.json(notFound(`Financials of supplier ${id}`), 404);
  });

  app.get('/mdm/v1/tenants', guard('tenants.list'), (c) => c.json(store.tenants));

  return app;
}

/** The request body as JSON, or as text when it is not JSON, or undefined when empty. */
async function readBody(c: SimContext): Promise<unknown> {
  const text = await c.req.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
