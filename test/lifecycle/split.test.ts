// A file that holds several invoices, end to end on the real Temporal server: the reading finds the parts,
// the file's workflow cuts one PDF per part and ends as `split`, each part runs as an invoice of its own
// (matched, approved and written to Plex once), linked to the file both ways; a clerk moves the split while
// the parts wait for review, and cannot while they are on their way to Plex or written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { multiPageTiff, scanOf } from '../../testkit/scan.js';
import { PageSession } from '../support/browserless-session.js';
import { ADMIN, seedPurchaseOrder, withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

type Inv = ReturnType<typeof uniqueInvoice>;
async function oneFile(invoices: Inv[]): Promise<Uint8Array> {
  const merged = await PDFDocument.create();
  for (const inv of invoices) {
    const src = await PDFDocument.load(await makeInvoicePdf(inv));
    for (const page of await merged.copyPages(src, src.getPageIndices())) merged.addPage(page);
  }
  return merged.save();
}
const post = (path: string, body: unknown) =>
  stack.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const partsOf = async (id: string) =>
  (await (await stack.api(`/api/invoices/${id}/parts`)).json()) as {
    parts: { invoiceId: string; fromPage: number; toPage: number; evidence: string[]; round: number }[];
    partOf: { sourceInvoiceId: string; fromPage: number; toPage: number } | null;
  };
const writesOf = (invoiceNumber: string) =>
  stack.plex.store.writes.filter(
    (w) => w.applied && (w.body as { invoiceNumber?: string } | undefined)?.invoiceNumber === invoiceNumber,
  );
const auditKinds = async (id: string) =>
  (await stack.sql<{ kind: string }[]>`select kind from audit_log where invoice_id = ${id} order by seq`).map(
    (r) => r.kind,
  );

test('a file with two invoices becomes two invoices, each matched and written to Plex once; the file ends as split', async () => {
  const [a, b] = [uniqueInvoice(), uniqueInvoice()];
  const placeholders = [];
  for (const inv of [a, b])
    placeholders.push(
      (await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines }))
        .placeholderIds[0]!,
    );
  const source = await stack.uploadOne('batch.pdf', await oneFile([a, b]));

  const split = await stack.waitFor(source, (s) => s.status === 'split');
  assert.equal(split.split?.parts.length, 2);
  assert.deepEqual(
    split.split.parts.map((p) => [p.fromPage, p.toPage]),
    [
      [1, 1],
      [2, 2],
    ],
  );
  assert.match(
    split.split.parts[1]!.evidence.join('; '),
    new RegExp(`invoice number ${b.invoiceNumber} after ${a.invoiceNumber}`),
  );
  assert.ok((await auditKinds(source)).includes('document.split'));
  assert.equal(split.match, null, 'the file itself is never matched');
  const [row] = await stack.sql<
    { invoice_number: string | null; vendor_name: string | null }[]
  >`select invoice_number, vendor_name from invoices where id = ${source}`;
  assert.deepEqual(
    { ...row },
    { invoice_number: null, vendor_name: null },
    'the file carries no invoice of its own in the queue',
  );

  const [first, second] = split.split.parts.map((p) => p.invoiceId);
  for (const [i, [id, inv]] of (
    [
      [first, a],
      [second, b],
    ] as const
  ).entries()) {
    const state = await stack.waitFor(id!, (s) => s.status === 'synced');
    assert.equal(state.fields.invoiceNumber, inv.invoiceNumber);
    assert.equal(await stack.placeholderNumber(placeholders[i]!), inv.invoiceNumber);
    assert.equal(writesOf(inv.invoiceNumber).length, 1);
    assert.deepEqual((await partsOf(id!)).partOf, { sourceInvoiceId: source, fromPage: i + 1, toPage: i + 1 });
  }
  const listed = await partsOf(source);
  assert.deepEqual(
    listed.parts.map((p) => p.invoiceId),
    [first, second],
  );

  // The pages: the file lists its invoices with their status, a part names the file it came from.
  const clerk = new PageSession(stack.url);
  await clerk.login(ADMIN.email, ADMIN.password);
  const page = await (await clerk.fetch(`/invoices/${source}`)).text();
  assert.match(page, /This file held 2 invoices/);
  assert.ok(page.includes(`href="/invoices/${first}"`) && page.includes(`href="/invoices/${second}"`));
  assert.match(page, /name="pages" value="1, 2"/);
  assert.match(
    await (await clerk.fetch(`/invoices/${second}`)).text(),
    /This invoice is page 2 of the file <a href="\/invoices\/[^"]+">batch\.pdf<\/a>/,
  );

  // Written parts cannot be replaced: the page says why, nothing changes.
  const refused = await clerk.postForm(`/invoices/${source}`, `/invoices/${source}/split`, { pages: '1-2' });
  assert.equal(refused.status, 409);
  assert.match(
    await refused.text(),
    /The split was not moved: .*synced: a part on its way to Plex or still being read cannot be replaced/,
  );
  const refusedJson = await post(`/api/invoices/${source}/split`, { pages: '1-2' });
  assert.equal(refusedJson.status, 409);
  assert.equal((await partsOf(source)).parts.length, 2);
});

test("a scanner's multi-page TIFF holding two invoices becomes two invoices, each an image-only PDF of its pages read by OCR", async () => {
  const [a, b] = [uniqueInvoice(), uniqueInvoice()];
  const scans: Uint8Array[] = [];
  for (const [i, inv] of [a, b].entries()) scans.push((await scanOf(await makeInvoicePdf(inv), { seed: 40 + i })).png);
  const source = await stack.uploadOne('batch.tif', await multiPageTiff(scans));
  const split = await stack.waitFor(source, (s) => s.status === 'split');
  assert.deepEqual(
    split.split!.parts.map((p) => [p.fromPage, p.toPage]),
    [
      [1, 1],
      [2, 2],
    ],
  );
  for (const [i, part] of split.split!.parts.entries()) {
    const state = await stack.waitFor(
      part.invoiceId,
      (s) => s.fields.invoiceNumber !== null && s.fields.invoiceNumber !== undefined,
    );
    assert.equal(state.fields.invoiceNumber, [a, b][i]!.invoiceNumber);
    const [row] = await stack.sql<
      { file_name: string; mime_type: string }[]
    >`select i.file_name, d.mime_type from invoices i join documents d on d.sha256 = i.document_sha256 where i.id = ${part.invoiceId}`;
    assert.deepEqual({ ...row }, { file_name: `batch (page ${i + 1}).pdf`, mime_type: 'application/pdf' });
  }
});

test('a clerk moves the split while the parts wait for review: the replaced parts are rejected, the new one is read as one invoice', async () => {
  // "Acme Fasteners" reads weaker than the PO's supplier name: the parts wait for a clerk.
  const [a, b] = [uniqueInvoice({ vendorName: 'Acme Fasteners' }), uniqueInvoice({ vendorName: 'Acme Fasteners' })];
  for (const inv of [a, b])
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const source = await stack.uploadOne('two-waiting.pdf', await oneFile([a, b]));
  const split = await stack.waitFor(source, (s) => s.status === 'split');
  const old = split.split!.parts.map((p) => p.invoiceId);
  for (const id of old) await stack.waitFor(id, (s) => s.status === 'awaiting_review');

  for (const [pages, status, reason] of [
    ['1-3', 422, /no page 3/],
    ['1, 1-2', 422, /Page 1 is in two invoices/],
    ['1, 2', 422, /That is the split as it is/],
  ] as const) {
    const res = await post(`/api/invoices/${source}/split`, { pages });
    assert.equal(res.status, status, pages);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, reason);
  }

  const moved = await post(`/api/invoices/${source}/split`, { pages: '1-2' });
  assert.equal(moved.status, 202, await moved.clone().text());
  const { parts } = (await moved.json()) as { parts: { invoiceId: string; fromPage: number; toPage: number }[] };
  assert.deepEqual(
    parts.map((p) => [p.fromPage, p.toPage]),
    [[1, 2]],
  );
  assert.ok(!old.includes(parts[0]!.invoiceId), 'a new invoice for the new pages');

  for (const id of old) {
    const rejected = await stack.waitFor(id, (s) => s.status === 'rejected');
    assert.match(rejected.decisions.at(-1)?.reason ?? '', /split of two-waiting\.pdf was moved by token:tests/);
  }
  // The new part holds both invoices' pages: read as one invoice, never split again, and a clerk is told why.
  const whole = await stack.waitFor(parts[0]!.invoiceId, (s) => s.status === 'awaiting_review');
  assert.ok(
    whole.reviewReasons.some((r) => /seems to hold 2 invoices \(pages 1, 2\); it was not split/.test(r)),
    whole.reviewReasons.join('; '),
  );
  assert.equal(whole.split ?? null, null);
  assert.deepEqual((await partsOf(parts[0]!.invoiceId)).partOf, { sourceInvoiceId: source, fromPage: 1, toPage: 2 });
  assert.deepEqual(
    (await partsOf(source)).parts.map((p) => [p.invoiceId, p.round]),
    [[parts[0]!.invoiceId, 2]],
  );
  assert.ok((await auditKinds(source)).includes('document.split_moved'));
  assert.deepEqual([...writesOf(a.invoiceNumber), ...writesOf(b.invoiceNumber)], []);
});
