// Uploads: the same file twice is one invoice; bad files get a clear 4xx and nothing is stored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({ env: { MAX_UPLOAD_BYTES: String(256 * 1024) } }, (started) => (stack = started));

const counts = async () => {
  const [row] = await stack.sql<{ documents: string; invoices: string }[]>`
    select (select count(*) from documents)::text as documents, (select count(*) from invoices)::text as invoices`;
  return { documents: Number(row!.documents), invoices: Number(row!.invoices) };
};

describe('uploads', () => {
  test('the same file uploaded twice is one invoice, and the second upload says so', async () => {
    const bytes = await makeInvoicePdf(uniqueInvoice());
    const first = await stack.upload([{ name: 'a.pdf', bytes }]);
    assert.equal(first.status, 201);
    const a = ((await first.json()) as { invoices: { id: string; duplicate: boolean }[] }).invoices[0]!;
    assert.equal(a.duplicate, false);
    const second = await stack.upload([{ name: 'copy-of-a.pdf', bytes }]);
    const b = ((await second.json()) as { invoices: { id: string; duplicate: boolean }[] }).invoices[0]!;
    assert.equal(b.id, a.id);
    assert.equal(b.duplicate, true);
    const rows = await stack.sql`select id from invoices where id = ${a.id}`;
    assert.equal(rows.length, 1);
    await stack.waitFor(a.id, (s) => s.status === 'awaiting_review');
  });

  test('several files in one request each get their own result', async () => {
    const good = await makeInvoicePdf(uniqueInvoice());
    const res = await stack.upload([
      { name: 'good.pdf', bytes: good },
      { name: 'notes.pdf', bytes: new TextEncoder().encode('just some text, not a PDF') },
    ]);
    assert.equal(res.status, 201);
    const body = (await res.json()) as {
      invoices: ({ id: string } | { fileName: string; error: { message: string; status: number } })[];
    };
    assert.ok('id' in body.invoices[0]!);
    const bad = body.invoices[1] as { fileName: string; error: { message: string; status: number } };
    assert.equal(bad.error.status, 415);
    assert.match(bad.error.message, /notes\.pdf/);
  });

  const hostile: [string, () => Promise<Uint8Array>, number, RegExp][] = [
    ['empty file', async () => new Uint8Array(), 400, /empty/i],
    [
      'text with a .pdf name',
      async () => new TextEncoder().encode('hello, I am not a PDF at all'),
      415,
      /not a PDF|not .*supported|looks like/i,
    ],
    [
      'truncated PDF',
      async () => (await makeInvoicePdf(uniqueInvoice())).slice(0, 900),
      422,
      /truncated|damaged|corrupt/i,
    ],
    [
      'oversize file',
      async () => {
        const b = new Uint8Array(300 * 1024);
        b.set(new TextEncoder().encode('%PDF-1.7\n'));
        return b;
      },
      413,
      /limit/i,
    ],
    [
      'ZIP archive named .pdf',
      async () => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(60).fill(0)]),
      415,
      /./,
    ],
  ];
  for (const [name, make, status, message] of hostile) {
    test(`${name} is refused with ${status} and a clear message, and nothing is stored`, async () => {
      const before = await counts();
      const res = await stack.upload([{ name: 'invoice.pdf', bytes: await make() }]);
      assert.equal(res.status, status);
      const body = (await res.json()) as { error: { message: string } };
      assert.match(body.error.message, message);
      assert.deepEqual(await counts(), before);
    });
  }

  test('a request without files and an unauthenticated request are refused', async () => {
    const noFiles = await stack.api('/api/invoices', { method: 'POST', body: new FormData() });
    assert.equal(noFiles.status, 400);
    const anonymous = await fetch(`${stack.url}/api/invoices`);
    assert.equal(anonymous.status, 401);
    const badToken = await fetch(`${stack.url}/api/invoices`, { headers: { Authorization: 'Bearer nope' } });
    assert.equal(badToken.status, 401);
    const badStatus = await stack.api('/api/invoices?status=bogus');
    assert.equal(badStatus.status, 400);
    assert.match(((await badStatus.json()) as { error: { message: string } }).error.message, /unknown status/);
  });
});
