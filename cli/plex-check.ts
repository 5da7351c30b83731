// `plexsync plex check [--po NUMBER]`: does this deployment reach Plex with its key, and what does Plex
// say about one PO and its "Received" placeholders? Prints what it found; the last line says OK (exit 0)
// or, on stderr, why not in one line (exit 1).
import { loadConfig } from '../config/index.js';
import { createPlexClient } from '../plex/client.js';
import { PlexError } from '../plex/types.js';

type Writable = NodeJS.WritableStream;

export async function plexCheck(options: { po?: string }, out: Writable, err: Writable): Promise<number> {
  const plex = loadConfig().plex;
  if (!plex) {
    return fail(
      err,
      "PLEX_BASE_URL and PLEX_API_KEY are not set: set the bare Plex Connect host (e.g. https://test.connect.plex.com) and the App's consumer key.",
    );
  }
  const client = createPlexClient({ ...plex, retries: plex.clientRetries });
  const headers = [plex.customerId && `customer ${plex.customerId}`, plex.tenantId && `tenant ${plex.tenantId}`].filter(
    Boolean,
  );
  out.write(`Plex Connect at ${plex.baseUrl}${headers.length ? ` (${headers.join(', ')})` : ''}\n`);
  try {
    const { tenants } = await client.checkConnection();
    out.write(`  key accepted; ${tenants} tenant${tenants === 1 ? '' : 's'} visible\n`);
    if (options.po === undefined) return ok(out, 'Plex answers and accepts the key.');

    const poNumber = options.po.trim();
    const purchaseOrders = await client.findPurchaseOrders(poNumber);
    if (purchaseOrders.length === 0) return fail(err, `Plex has no purchase order ${poNumber}.`);
    for (const po of purchaseOrders) {
      const supplier =
        [po.supplierName, po.supplierCode && `(${po.supplierCode})`].filter(Boolean).join(' ') || 'unknown supplier';
      const total = po.lineItemTotal ? `${po.lineItemTotal} ${po.currencyCode ?? ''}`.trim() : 'no total';
      out.write(
        `  PO ${po.poNumber}: id ${po.id}, status ${po.status ?? '?'}, supplier ${supplier}, lines total ${total}\n`,
      );
    }
    const placeholders = await client.listPlaceholders(poNumber);
    out.write(
      `  ${placeholders.length} open "Received" placeholder${placeholders.length === 1 ? '' : 's'}${placeholders.length ? ':' : ' (goods not received yet, or already invoiced)'}\n`,
    );
    for (const p of placeholders) {
      out.write(
        `    ${p.id}  ${p.invoiceNumber}  ${p.amount ?? '?'} ${p.currencyCode ?? ''}  status ${p.status ?? '?'}\n`,
      );
    }
    return ok(out, `PO ${poNumber} found${purchaseOrders.length > 1 ? ` ${purchaseOrders.length} times` : ''}.`);
  } catch (error) {
    return fail(err, reason(error, plex.baseUrl, plex.timeoutMs));
  }
}

function reason(error: unknown, baseUrl: string, timeoutMs: number): string {
  if (!(error instanceof PlexError)) return error instanceof Error ? error.message : String(error);
  const call = `${error.details.method ?? ''} ${error.details.path ?? ''}`.trim();
  switch (error.kind) {
    case 'unauthorized': {
      const product = error.details.path?.split('/')[1];
      return `Plex answered 401 to ${call}: bad key or API product not enabled (Plex does not say which; check PLEX_API_KEY and that the App is subscribed to the '${product}' product).`;
    }
    case 'network':
      return `Cannot reach ${baseUrl}: ${error.message}`;
    case 'timeout':
      return `No answer from ${baseUrl} within ${timeoutMs} ms (${call}).`;
    case 'rate_limited': {
      const wait =
        error.details.retryAfterMs === undefined
          ? ''
          : `; try again in ${Math.ceil(error.details.retryAfterMs / 1000)} s`;
      return `Plex rate-limited the check (429 on ${call})${wait}.`;
    }
    default:
      return error.message;
  }
}

function ok(out: Writable, line: string): number {
  out.write(`OK: ${line}\n`);
  return 0;
}

function fail(err: Writable, line: string): number {
  err.write(`plexsync: plex check failed: ${line.replace(/\s*\n\s*/g, ' ')}\n`);
  return 1;
}
