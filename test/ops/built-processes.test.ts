// The worker and the web app as production runs them (the run command, the Docker image): built by
// `npm run build` into dist/cli, with their heap limits (scripts/lib/app-processes.ts). The built worker
// takes its workflow code from the build, the built web serves its static files from the build, and an
// invoice uploaded to the built web is read and processed by the built worker.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { appNodeArgs } from '../../scripts/lib/app-processes.js';
import { freePort } from '../../scripts/lib/ports.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { workerProcesses } from '../../testkit/worker-process.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let web: ChildProcess | undefined;
let webUrl: string;
const webOutput: string[] = [];
const workers = workerProcesses(() => ({ ...stack.env, LOG_LEVEL: 'info', OCR_ENABLED: 'false' }));

before(async () => {
  stack = await startStack({ worker: false });
  const port = await freePort();
  webUrl = `http://127.0.0.1:${port}`;
  web = spawn(process.execPath, appNodeArgs('web'), {
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'warn', WEB_HOST: '127.0.0.1', WEB_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [web.stdout!, web.stderr!]) stream.on('data', (chunk: Buffer) => webOutput.push(String(chunk)));
});
after(async () => {
  web?.kill('SIGKILL');
  workers.killAll();
  await stack?.stop();
});

test('the built web serves its pages and files, and the built worker processes what it receives', async () => {
  workers.start({ built: true });
  const health = await eventually('the built web answers', () => fetch(`${webUrl}/healthz`), {
    timeoutMs: 60_000,
    intervalMs: 250,
  }).catch((error: Error) => assert.fail(`${error.message}\n${webOutput.join('')}`));
  assert.equal(health.status, 200);
  for (const file of ['app.js', 'app.css', 'viewer.js', 'htmx.min.js']) {
    const res = await fetch(`${webUrl}/static/${file}`);
    assert.equal(res.status, 200, file);
    assert.ok((await res.text()).length > 100, `${file} has its content`);
  }
  assert.equal((await fetch(`${webUrl}/login`)).status, 200);

  const form = new FormData();
  const bytes = await makeInvoicePdf(uniqueInvoice());
  form.append('files', new Blob([Buffer.from(bytes)], { type: 'application/pdf' }), 'built.pdf');
  const res = await fetch(`${webUrl}/api/invoices`, {
    method: 'POST',
    body: form,
    headers: { Authorization: `Bearer ${stack.token}` },
  });
  const body = (await res.json()) as { invoices?: { id: string }[] };
  assert.equal(res.status, 201, JSON.stringify(body));
  const state = await stack
    .waitFor(body.invoices![0]!.id, (s) => ['awaiting_review', 'synced'].includes(s.status), 120_000)
    .catch((error: unknown) => assert.fail(`${String(error)}\n--- worker output ---\n${workers.output()}`));
  assert.ok(state.extraction, 'the built worker read the document');
  assert.match(
    workers.output(),
    /"workflowCode":"[^"]*dist\/cli\/workflow-bundle\.js"/,
    'the workflow code comes from the build',
  );
});
