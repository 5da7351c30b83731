// DEV/TEST DOUBLE OF PLEX — not Plex. Admin endpoints that exist ONLY on the simulator (real Plex has no
// /__admin): reset and seed data, create a PO with placeholders in one call, set fault knobs and
// behaviour settings, and read back every write received and call counts. The simulator's key is
// required (server.ts), and the simulator binds to 127.0.0.1 by default.
import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import { SupplierFinancials } from '../plex/resources.js';
import { CreatePurchaseOrderInput, createPurchaseOrder } from './purchase-orders.js';
import { SIM_ROUTES, type SimulatorStore } from './store.js';

const FaultRouteName = z.enum([...SIM_ROUTES, '*']);

const FaultBody = z.union([
  z.strictObject({ clear: z.literal(true), route: FaultRouteName.optional() }),
  z.strictObject({
    route: FaultRouteName,
    status5xx: z.number().min(0).max(1).optional(),
    status429: z.number().min(0).max(1).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3_600).optional(),
    failNext: z.number().int().min(0).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    hang: z.boolean().optional(),
    applyThenDrop: z.boolean().optional(),
    dropRate: z.number().min(0).max(1).optional(),
    mutateBeforeWrite: z.enum(['remove', 'change']).optional(),
    lateLandingMs: z.number().int().min(1).max(600_000).optional(),
    lateLandingRate: z.number().min(0).max(1).optional(),
    concurrentEdit: z.number().min(0).max(1).optional(),
  }),
]);

const SettingsBody = z.strictObject({
  allowPatch: z.boolean().optional(),
  listCap: z.number().int().min(0).nullable().optional(),
  invoiceNumberFilter: z.enum(['exact', 'case-insensitive']).optional(),
  ignoreListFilters: z.boolean().optional(),
  rateLimitPerMinute: z.number().int().min(1).optional(),
  rateWindowMs: z.number().int().min(1).optional(),
  rejectDuplicateInvoiceNumbers: z.boolean().optional(),
});

const text = z.string().trim().min(1).max(100).nullable().optional();
/** Any of the financials fields Plex publishes (plex/resources.ts), each a short text or null. */
const FinancialsBody = z.strictObject(
  Object.fromEntries(SupplierFinancials.keyof().options.map((name) => [name, text])) as Record<
    keyof typeof SupplierFinancials.shape,
    typeof text
  >,
);

const SeedBody = z.strictObject({ dataset: z.enum(['dev', 'none']) });

const faultList = (store: SimulatorStore) => [...store.faults].map(([route, knobs]) => ({ route, ...knobs }));

export function adminRoutes(store: SimulatorStore): Hono {
  const admin = new Hono();

  admin.post('/reset', (c) => {
    store.reset();
    return c.json({ ok: true });
  });

  admin.post('/seed', zValidator('json', SeedBody), (c) => {
    const { dataset } = c.req.valid('json');
    store.seed(dataset);
    return c.json({ ok: true, dataset, purchaseOrders: store.purchaseOrders.size, apInvoices: store.apInvoices.size });
  });

  admin.post('/purchase-orders', zValidator('json', CreatePurchaseOrderInput), (c) =>
    c.json(createPurchaseOrder(store, c.req.valid('json')), 201),
  );

  /** The financials (tax id, IBAN, …) of an existing supplier, by its code; fields not given are kept. */
  admin.put('/suppliers/:code/financials', zValidator('json', FinancialsBody), (c) => {
    const changes = Object.fromEntries(Object.entries(c.req.valid('json')).filter(([, v]) => v !== undefined));
    const set = store.setSupplierFinancials(c.req.param('code'), changes);
    return set ? c.json(set) : c.json({ error: `no supplier with code ${c.req.param('code')}` }, 404);
  });

  admin.get('/writes', (c) => c.json({ writes: store.writes }));

  admin.get('/calls', (c) => {
    const total = Object.values(store.calls).reduce((sum, n) => sum + (n ?? 0), 0);
    return c.json({ calls: store.calls, total, responses: store.responses });
  });

  admin.get('/faults', (c) => c.json({ faults: faultList(store) }));
  admin.post('/faults', zValidator('json', FaultBody), (c) => {
    const body = c.req.valid('json');
    if ('clear' in body) store.clearFaults(body.route);
    else {
      const { route, ...knobs } = body;
      store.setFault(route, knobs);
    }
    return c.json({ faults: faultList(store) });
  });

  admin.get('/settings', (c) => c.json({ settings: store.settings }));
  admin.post('/settings', zValidator('json', SettingsBody), (c) => {
    const changes = Object.fromEntries(Object.entries(c.req.valid('json')).filter(([, v]) => v !== undefined));
    store.settings = { ...store.settings, ...changes };
    return c.json({ settings: store.settings });
  });

  return admin;
}
