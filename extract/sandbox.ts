// Untrusted documents off the caller's thread: every operation that opens one (reading it, counting a
// PDF's pages at upload, finding a hybrid PDF's embedded e-invoice, rendering pages for the AI model) runs
// in a worker thread with a V8 heap limit and a wall-clock timeout. A document that overruns either has its
// thread terminated and fails with a DocumentError saying why; the next document gets a fresh thread.
// Threads (and the OCR engine inside each) are started on first use and reused, so OCR language data is
// loaded once per thread.
import { Worker } from 'node:worker_threads';
import type { EmbeddedLookup } from './einvoice/pdf.js';
import { DocumentError, type DocumentErrorKind } from './errors.js';
import type { ExtractionLimits } from './limits.js';
import { createOcrEngine } from './ocr/engine.js';
import type { OcrLanguage } from './ocr/languages.js';
import { runOperation } from './operations.js';
import type { VisualResult } from './visual.js';

/** What a sandbox thread needs to build its own OCR engine: plain data, it crosses a thread boundary. */
export interface OcrSettings {
  languages: OcrLanguage[];
  deskew: boolean;
}

export interface SandboxOptions {
  limits: ExtractionLimits;
  ocr: OcrSettings | null;
  /** Documents read at the same time, one thread each. */
  threads: number;
  /** How long a new thread may take to load before it counts as failed (default one minute). */
  startTimeoutMs?: number;
  /** The thread's module; tests point it at one that fails to load. */
  entry?: URL;
  /**
   * A thread with nothing to do for this long is stopped, giving back its heap, pdf.js and the OCR
   * engine's language data (the next document starts a new one, in well under a second); 0 keeps threads.
   */
  idleMs?: number;
  /** A thread is replaced after this many documents, so what a long run leaves in its heap is given back. */
  maxJobsPerThread?: number;
}

/** When reading threads are given back (EXTRACT_THREAD_IDLE / EXTRACT_THREAD_MAX_DOCUMENTS in config). */
export type ThreadRecycling = Pick<SandboxOptions, 'idleMs' | 'maxJobsPerThread'>;

/** Defaults for recycling threads. */
export const THREAD_IDLE_MS = 30_000;
export const THREAD_MAX_JOBS = 200;

export interface VisualStage {
  /** A document whose caller gave up (`signal` aborted) leaves the queue, or has its thread stopped. */
  read(bytes: Uint8Array, fileName: string, signal?: AbortSignal): Promise<VisualResult>;
  close(): Promise<void>;
}

/** Everything that opens an untrusted document, each with the same limits (and `signal` as for `read`). */
export interface DocumentSandbox extends VisualStage {
  /** A PDF's page count, for the upload's quick check (the PDF is opened, its pages are not read). */
  countPages(bytes: Uint8Array, fileName: string, signal?: AbortSignal): Promise<number>;
  /** A hybrid PDF's embedded e-invoice XML (Factur-X, ZUGFeRD, XRechnung), as the visual stage finds it. */
  embeddedEInvoice(bytes: Uint8Array, fileName: string, signal?: AbortSignal): Promise<EmbeddedLookup>;
  /** PDF pages (1-based numbers) as greyscale PNGs for the AI model (extract/render.ts). */
  renderPages(bytes: Uint8Array, fileName: string, pageNumbers: number[], signal?: AbortSignal): Promise<Uint8Array[]>;
  /** Reading threads running now (started on first use, stopped when idle or replaced); 0 in process. */
  threads(): number;
}

/** The operations a sandbox thread runs, and what each answers. */
export type SandboxOperation =
  | { op: 'read' }
  | { op: 'inspect' }
  | { op: 'embedded-xml' }
  | { op: 'render'; pages: number[] };
export interface SandboxResults {
  read: VisualResult;
  inspect: { pageCount: number };
  'embedded-xml': EmbeddedLookup;
  render: Uint8Array[];
}

/** Messages between the sandbox and its threads. */
export type SandboxRequest = { id: number; bytes: Uint8Array; fileName: string; operation: SandboxOperation };
export type SandboxReply =
  | { id: number; ok: SandboxResults[SandboxOperation['op']] }
  | { id: number; documentError: { kind: DocumentErrorKind; message: string } }
  | { id: number; error: { message: string; stack?: string } };
export interface SandboxWorkerData { limits: ExtractionLimits; ocr: OcrSettings | null }

interface Job {
  id: number;
  bytes: Uint8Array;
  fileName: string;
  operation: SandboxOperation;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  /** Set while the job runs on a thread: stops it there when the caller gives up. */
  cancel?: (reason: Error) => void;
  /** The caller gave up before a thread took the job. */
  abandoned?: boolean;
}

/** What each operation does to the document, for messages: "Reading invoice.pdf took longer than …". */
const DOING: Record<SandboxOperation['op'], string> = {
  read: 'Reading',
  inspect: 'Opening',
  'embedded-xml': 'Looking for the e-invoice in',
  render: 'Rendering the pages of',
};

/** Why a read stopped when its caller gave up (an activity that timed out or was cancelled). */
const abandoned = (signal: AbortSignal, fileName: string, doing = DOING.read) =>
  Object.assign(new Error(`${doing} ${fileName} was abandoned: ${signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'the caller gave up')}.`), { name: 'AbortError' });

/** A thread loads pdf.js and its OCR engine's code in well under a second; a minute means it is stuck. */
const START_TIMEOUT_MS = 60_000;

// Under tsx the sources run as .ts; a compiled build runs the .js next to this file.
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './sandbox-worker.ts' : './sandbox-worker.js', import.meta.url);

export function createSandbox(opts: SandboxOptions): DocumentSandbox {
  const queue: Job[] = [];
  type Thread = { worker: Worker; ready: Promise<void>; jobs: number };
  type Slot = { thread: Thread | null; job: Job | null; idle: NodeJS.Timeout | null };
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.threads) }, () => ({ thread: null, job: null, idle: null }));
  let nextId = 1;
  let closed = false;
  const idleMs = opts.idleMs ?? THREAD_IDLE_MS;
  const maxJobs = opts.maxJobsPerThread ?? THREAD_MAX_JOBS;

  /** Stops a thread that is done: its OCR engine first, then the thread (terminated if it does not exit promptly). */
  const retire = async (worker: Worker): Promise<void> => {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 5_000).unref());
    if ((await Promise.race([exited, timeout])) === 'late') await worker.terminate();
  };
  /** After a document: a thread that has read its share is replaced; one left without work is stopped when idle. */
  const rest = (slot: Slot) => {
    const thread = slot.thread;
    if (!thread || slot.job) return;
    if (thread.jobs >= maxJobs) {
      slot.thread = null;
      void retire(thread.worker);
      return;
    }
    if (idleMs > 0) {
      slot.idle = setTimeout(() => {
        slot.idle = null;
        if (slot.job || slot.thread !== thread) return;
        slot.thread = null;
        void retire(thread.worker);
      }, idleMs);
      slot.idle.unref();
    }
  };

  const spawn = (): Thread => {
    const data: SandboxWorkerData = { limits: opts.limits, ocr: opts.ocr };
    const worker = new Worker(opts.entry ?? ENTRY, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: opts.limits.maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, opts.limits.maxMemoryMb / 4) },
    });
    worker.unref(); // an idle sandbox does not keep the process alive
    // Loading the reader's code into a new thread is not the document's time: the clock starts after it.
    // A thread that fails, exits or hangs while loading rejects, so no job waits on it for ever.
    const ready = new Promise<void>((resolve, reject) => {
      const done = (outcome: () => void) => {
        clearTimeout(timer);
        worker.off('message', onReady);
        worker.off('error', onError);
        worker.off('exit', onExit);
        outcome();
      };
      const onReady = (message: unknown) => message === 'ready' && done(resolve);
      const onError = (error: Error) => done(() => reject(error));
      const onExit = (code: number) => done(() => reject(new Error(`it exited with code ${code} while loading`)));
      const startTimeoutMs = opts.startTimeoutMs ?? START_TIMEOUT_MS;
      const timer = setTimeout(() => {
        done(() => reject(new Error(`it was not ready after ${Math.round(startTimeoutMs / 100) / 10} s`)));
        void worker.terminate();
      }, startTimeoutMs);
      worker.on('message', onReady);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
    ready.catch(() => undefined);
    return { worker, ready, jobs: 0 };
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.job || closed) continue;
      const job = queue.shift();
      if (!job) return;
      run(slot, job);
    }
  };

  const run = (slot: Slot, job: Job) => {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    const thread = (slot.thread ??= spawn());
    thread.jobs++;
    slot.job = job;
    thread.ready.then(
      () => {
        if (!job.abandoned) return start(slot, thread.worker, job);
        slot.job = null;
        dispatch();
        rest(slot);
      },
      (error: unknown) => {
        slot.thread = null;
        slot.job = null;
        job.reject(new Error(`The document reader did not start: ${error instanceof Error ? error.message : String(error)}`));
        dispatch();
      },
    );
  };

  const start = (slot: Slot, worker: Worker, job: Job) => {
    let settled = false;
    const finish = (outcome: () => void, keepWorker: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      slot.job = null;
      if (!keepWorker) {
        slot.thread = null;
        void worker.terminate();
      }
      outcome();
      dispatch();
      rest(slot);
    };
    const onMessage = (reply: SandboxReply) => {
      if (reply.id !== job.id) return;
      if ('ok' in reply) finish(() => job.resolve(reply.ok), true);
      else if ('documentError' in reply) finish(() => job.reject(new DocumentError(reply.documentError.kind, reply.documentError.message)), true);
      else finish(() => job.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack })), true);
    };
    const onError = (error: Error & { code?: string }) => {
      const failure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DocumentError('out_of_memory', `${DOING[job.operation.op]} ${job.fileName} needed more than ${opts.limits.maxMemoryMb} MB of memory; the file is too complex or malformed.`, { cause: error })
          : new DocumentError('corrupt', `${job.fileName} crashed the document reader: ${error.message}.`, { cause: error });
      finish(() => job.reject(failure), false);
    };
    const onExit = (code: number) => finish(() => job.reject(new Error(`The document reader stopped unexpectedly (exit code ${code}).`)), false);
    const timer = setTimeout(() => {
      const seconds = Math.round(opts.limits.timeoutMs / 100) / 10;
      finish(() => job.reject(new DocumentError('timeout', `${DOING[job.operation.op]} ${job.fileName} took longer than ${seconds} s and was stopped; the file is too complex or malformed.`)), false);
    }, opts.limits.timeoutMs);
    job.cancel = (reason) => finish(() => job.reject(reason), false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    // A copy crosses the thread boundary; the caller keeps its bytes.
    const request: SandboxRequest = { id: job.id, bytes: job.bytes, fileName: job.fileName, operation: job.operation };
    worker.postMessage(request);
  };

  const submit = <Op extends SandboxOperation>(operation: Op, bytes: Uint8Array, fileName: string, signal?: AbortSignal): Promise<SandboxResults[Op['op']]> => {
    const doing = DOING[operation.op];
    if (closed) return Promise.reject(new Error('The document sandbox is closed.'));
    if (signal?.aborted) return Promise.reject(abandoned(signal, fileName, doing));
    return new Promise<SandboxResults[Op['op']]>((resolve, reject) => {
      const onAbort = () => {
        const reason = abandoned(signal!, fileName, doing);
        job.abandoned = true;
        const queued = queue.indexOf(job);
        if (queued !== -1) {
          queue.splice(queued, 1);
          reject(reason);
        } else if (job.cancel) job.cancel(reason);
        else reject(reason); // its thread is still loading: the job is dropped when the thread is ready
      };
      const settle = <T>(outcome: (value: T) => void) => (value: T) => {
        signal?.removeEventListener('abort', onAbort);
        outcome(value);
      };
      const job: Job = { id: nextId++, bytes, fileName, operation, resolve: settle(resolve as (value: unknown) => void), reject: settle(reject) };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(job);
      dispatch();
    });
  };

  return {
    read: (bytes, fileName, signal) => submit({ op: 'read' }, bytes, fileName, signal),
    countPages: async (bytes, fileName, signal) => (await submit({ op: 'inspect' }, bytes, fileName, signal)).pageCount,
    embeddedEInvoice: (bytes, fileName, signal) => submit({ op: 'embedded-xml' }, bytes, fileName, signal),
    renderPages: (bytes, fileName, pages, signal) => submit({ op: 'render', pages }, bytes, fileName, signal),
    threads: () => slots.filter((slot) => slot.thread).length,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('The document sandbox is closed.'));
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.idle) clearTimeout(slot.idle);
          slot.idle = null;
          const worker = slot.thread?.worker;
          slot.thread = null;
          if (worker) await retire(worker);
        }),
      );
    },
  };
}

/**
 * The same operations on the caller's thread (OCR still runs in tesseract's own thread): for the CLI and
 * tests. The byte, page and pixel limits hold; time and memory are not bounded.
 */
export function createInProcessStage(opts: { limits: ExtractionLimits; ocr: OcrSettings | null }): DocumentSandbox {
  const engine = opts.ocr ? createOcrEngine(opts.ocr.languages) : null;
  const context = { limits: opts.limits, ocr: engine && opts.ocr ? { engine, deskew: opts.ocr.deskew } : undefined };
  return {
    read: (bytes, fileName) => runOperation({ op: 'read' }, bytes, fileName, context),
    countPages: async (bytes, fileName) => (await runOperation({ op: 'inspect' }, bytes, fileName, context)).pageCount,
    embeddedEInvoice: (bytes, fileName) => runOperation({ op: 'embedded-xml' }, bytes, fileName, context),
    renderPages: (bytes, fileName, pages) => runOperation({ op: 'render', pages }, bytes, fileName, context),
    threads: () => 0,
    close: async () => engine?.close(),
  };
}
