// DEV/TEST DOUBLE OF PLEX — not Plex. Keeps the simulator's records in a file between runs (the run
// command's `.data/plex-simulator-state.json`), so a placeholder PlexSync wrote in one session still
// carries that number after a restart, as it would in Plex. Written atomically (temporary file, then
// rename) about once a second when something changed, and on close; read at start instead of the seed.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type {
  SimApInvoice,
  SimLineItem,
  SimPurchaseOrder,
  SimReceipt,
  SimSupplier,
  SimSupplierFinancials,
} from './records.js';
import type { SimulatorStore } from './store.js';

const Row = z.looseObject({ id: z.string().min(1) });
const StateFile = z.object({
  version: z.literal(1),
  suppliers: z.array(Row),
  supplierFinancials: z.array(z.tuple([z.string(), z.looseObject({})])),
  purchaseOrders: z.array(Row),
  lineItems: z.array(Row),
  receipts: z.array(Row),
  apInvoices: z.array(Row),
});

function snapshot(store: SimulatorStore): string {
  return JSON.stringify({
    version: 1,
    suppliers: [...store.suppliers.values()],
    supplierFinancials: [...store.supplierFinancials.entries()],
    purchaseOrders: [...store.purchaseOrders.values()],
    lineItems: [...store.lineItems.values()],
    receipts: [...store.receipts.values()],
    apInvoices: [...store.apInvoices.values()],
  });
}

/** Replace the store's records with the file's; false when there is no file. A broken file is an error. */
export function restoreState(store: SimulatorStore, file: string): boolean {
  if (!existsSync(file)) return false;
  const refuse = (why: string) =>
    new Error(`The Plex simulator's state file ${file} is not readable (${why}); move it away to start from the seed.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw refuse(err instanceof Error ? err.message : String(err));
  }
  const parsed = StateFile.safeParse(json);
  if (!parsed.success) throw refuse(parsed.error.issues[0]?.message ?? 'not a state file');
  const state = parsed.data;
  store.seed('none');
  const fill = <T extends { id: string }>(map: Map<string, T>, rows: { id: string }[]) => {
    for (const row of rows) map.set(row.id, row as T);
  };
  fill<SimSupplier>(store.suppliers, state.suppliers);
  fill<SimPurchaseOrder>(store.purchaseOrders, state.purchaseOrders);
  fill<SimLineItem>(store.lineItems, state.lineItems);
  fill<SimReceipt>(store.receipts, state.receipts);
  fill<SimApInvoice>(store.apInvoices, state.apInvoices);
  for (const [id, financials] of state.supplierFinancials)
    store.supplierFinancials.set(id, financials as unknown as SimSupplierFinancials);
  return true;
}

/** Save the records whenever they changed (checked every intervalMs); the returned stop saves once more. */
export function persistState(store: SimulatorStore, file: string, intervalMs = 1_000): () => void {
  let written = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const save = () => {
    const text = snapshot(store);
    if (text === written) return;
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    written = text;
  };
  const timer = setInterval(save, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    save();
  };
}
