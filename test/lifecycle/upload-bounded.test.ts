// A hostile PDF cannot stall the web server: the upload's quick check (its page count) and "open the XML"
// open a PDF only in the invoice service's document sandbox, one thread bounded by WEB_DOCUMENT_TIMEOUT.
// A PDF that stalls pdf.js is refused with the reason while other requests are answered, and the next
// upload is read on a fresh thread.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { putDocument } from '../../db/documents.js';
import { insertInvoice } from '../../db/invoices.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { xrefStallPdf } from '../support/stall-pdf.js';

let stack: Stack;
before(async () => {
  // The stalling PDF is about 21 MB and takes pdf.js several seconds to give up on; a 1 s limit stops it
  // long before that even on a much faster machine. OCR off: no file here gets as far as a scan.
  stack = await startStack({
    env: { WEB_DOCUMENT_TIMEOUT: '1s', MAX_UPLOAD_BYTES: String(32 * 1024 * 1024), OCR_ENABLED: 'false' },
  });
});
after(async () => {
  await stack?.stop();
});

const STOPPED =
  /(took longer than 1 s and was stopped; the file is too complex or malformed|needed more than \d+ MB of memory)/;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts one file as multipart form data; `sent` resolves once the whole body is on the wire. */
function postFile(
  name: string,
  bytes: Uint8Array,
): { sent: Promise<void>; response: Promise<{ status: number; body: { error?: { message: string } } }> } {
  const boundary = `----bounded${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const body = Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  let sent!: () => void;
  const written = new Promise<void>((resolve) => (sent = resolve));
  const response = new Promise<{ status: number; body: { error?: { message: string } } }>((resolve, reject) => {
    const req = request(
      `${stack.url}/api/invoices`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${stack.token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { message: string } },
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body, () => sent());
  });
  return { sent: written, response };
}

describe('uploads are opened in a bounded thread', () => {
  test('a PDF that stalls pdf.js is refused with the reason, the server answers meanwhile, the next upload is taken', async () => {
    const upload = postFile('stall.pdf', xrefStallPdf(600_000, randomUUID()));
    let settled = false;
    void upload.response.finally(() => (settled = true));
    await upload.sent;
    // While the PDF is being opened, other requests are answered: on the server's own thread the scan
    // would hold them all until the upload was done.
    let answeredMeanwhile = 0;
    while (!settled) {
      const health = await stack.api('/healthz');
      assert.equal(health.status, 200);
      if (!settled) answeredMeanwhile++;
      await pause(250);
    }
    assert.ok(
      answeredMeanwhile >= 2,
      `only ${answeredMeanwhile} requests were answered while the PDF was being opened`,
    );
    const refused = await upload.response;
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.match(refused.body.error?.message ?? '', /^stall\.pdf: Opening stall\.pdf /);
    assert.match(refused.body.error?.message ?? '', STOPPED);

    const good = await stack.upload([{ name: 'good.pdf', bytes: await makeInvoicePdf(uniqueInvoice()) }]);
    const body = (await good.json()) as { invoices?: Array<{ id: string }> };
    assert.equal(good.status, 201, JSON.stringify(body));
    const row = await stack.sql<{ page_count: number }[]>`
      select d.page_count from invoices i join documents d on d.sha256 = i.document_sha256 where i.id = ${body.invoices![0]!.id}`;
    assert.equal(row[0]?.page_count, 1, "a fresh thread counted the next PDF's pages");
  });

  test('"open the XML" of a stored PDF that stalls pdf.js says why it cannot be shown; the next request is served', async () => {
    // Stored as an older release (or another path into the database) could have stored it: the view must
    // not trust that the upload check ran.
    const bytes = xrefStallPdf(600_000, randomUUID());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = `inv-${sha256.slice(0, 24)}`;
    await putDocument(stack.sql, {
      sha256,
      bytes,
      sizeBytes: bytes.length,
      mimeType: 'application/pdf',
      pageCount: 1,
      fileName: 'stored.pdf',
    });
    await insertInvoice(stack.sql, { id, documentSha256: sha256, fileName: 'stored.pdf', uploadedBy: 'tests' });

    const res = await stack.api(`/api/invoices/${id}/einvoice.xml`);
    const body = (await res.json()) as { error?: { message: string } };
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.match(
      body.error?.message ?? '',
      new RegExp(`^The e-invoice XML of invoice ${id} cannot be shown: Looking for the e-invoice in stored\\.pdf `),
    );
    assert.match(body.error?.message ?? '', STOPPED);
    assert.equal((await stack.api('/healthz')).status, 200);
    const none = await stack.api(`/api/invoices/${id}/einvoice.xml`);
    assert.equal(none.status, 422, 'the same answer again, from a fresh thread');
  });
});
