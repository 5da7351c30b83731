// `npm run screenshots`: the pages as a clerk and an approver see them, for docs/web.md — desktop
// (1440×900) and phone (390×844). Starts its own stack (Temporal, PostgreSQL, Plex simulator, worker,
// web) and Chromium like the tests, feeds it a few invoices, and writes PNGs to docs/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, logIn } from '../testkit/browser.js';
import { makeInvoicePdf } from '../testkit/invoice-pdf.js';
import { stopOwnedServices } from '../testkit/services.js';
import { ADMIN, seedPurchaseOrder, startStack, uniqueInvoice } from '../testkit/stack.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

const stack = await startStack({ env: { AUTO_APPROVE_THRESHOLD: '0.95' } });
const browser = await launchChromium();
try {
  // Two clean invoices (they sync by themselves), one whose goods are not received yet, one ambiguous,
  // one without an invoice number: a queue with reasons to show.
  const waiting: string[] = [];
  for (const kind of ['clean', 'clean', 'ambiguous', 'no-number', 'off'] as const) {
    const inv = uniqueInvoice({ vendorName: kind === 'off' ? 'Great Lakes Steel Supply' : 'Acme Fasteners Inc.' });
    const poLines = kind === 'off' ? inv.lines.map((l) => ({ ...l, quantity: l.quantity + 25 })) : inv.lines;
    await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: poLines,
      placeholders: kind === 'ambiguous' ? 2 : 1,
    });
    const id = await stack.uploadOne(
      `${inv.invoiceNumber}.pdf`,
      await makeInvoicePdf({ ...inv, omit: kind === 'no-number' ? ['invoiceNumber'] : [] }),
    );
    const done = await stack.waitFor(id, (s) => ['synced', 'awaiting_review', 'escalated'].includes(s.status));
    if (done.status !== 'synced') waiting.push(id);
  }

  for (const [device, viewport] of [
    ['', { width: 1440, height: 900 }],
    ['-phone', { width: 390, height: 844 }],
  ] as const) {
    const page = await browser.newPage({ viewport });
    await logIn(page, stack.url, ADMIN);
    const shot = async (name: string, path: string, wait?: string) => {
      await page.goto(`${stack.url}${path}`);
      if (wait) await page.locator(wait).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, `${name}${device}.png`) });
    };
    await shot('queue', '/invoices');
    await shot('review-highlight', `/invoices/${waiting[0]}`, '#doc-viewer canvas');
    if (!device) {
      await shot('dashboard', '/dashboard');
      await shot('settings', '/admin/settings');
      await shot('users', '/admin/users');
    }
    await page.close();
  }
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await stack.stop();
  await stopOwnedServices();
}
