// A reader process (extract/sandbox.ts): runs one operation on one document at a time (read it, count its
// pages, find its embedded e-invoice, render pages) and replies with the result, a DocumentError's kind and
// message, or an unexpected error. Owns one OCR engine for its lifetime and stops it, then exits, when
// asked to close, or when its parent goes away.
import { DocumentError } from './errors.js';
import { openOcrEngine } from './ocr/engines.js';
import { runOperation } from './operations.js';
import { SANDBOX_DATA_ENV, type SandboxReply, type SandboxRequest, type SandboxWorkerData } from './sandbox.js';

const { limits, ocr } = JSON.parse(process.env[SANDBOX_DATA_ENV] ?? 'null') as SandboxWorkerData;
const engine = ocr ? openOcrEngine(ocr.languages, ocr.engine) : null;
const context = { limits, ocr: engine && ocr ? { engine, deskew: ocr.deskew } : undefined };
const send = (message: SandboxReply | 'ready') => process.send?.(message);
process.title = 'plexsync-reader';

const stop = () => void (engine?.close() ?? Promise.resolve()).finally(() => process.exit(0));
// The parent died or closed the channel: nothing is left to read for.
process.on('disconnect', stop);

// pdf.js loads its parser on first use; doing it now keeps that cost out of the first document's time.
const PDF_WORKER: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs'; // untyped module: imported by name
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = (await import(PDF_WORKER)) as unknown;
send('ready');
process.on('message', (message: SandboxRequest | 'close') => {
  if (message === 'close') return stop();
  void run(message).then((reply) => send(reply));
});

async function run({ id, bytes, fileName, operation }: SandboxRequest): Promise<SandboxReply> {
  try {
    return { id, ok: await runOperation(operation, bytes, fileName, context) };
  } catch (error) {
    if (error instanceof DocumentError) return { id, documentError: { kind: error.kind, message: error.message } };
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { id, error: { message, stack } };
  }
}
