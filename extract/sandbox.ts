// Untrusted documents off the caller's process: every operation that opens one (reading it, counting a
// PDF's pages at upload, finding a hybrid PDF's embedded e-invoice, rendering pages for the AI model) runs
// in a reader process (a child of this one) with a V8 heap limit and a wall-clock timeout. A document that
// overruns either has its reader killed and fails with a DocumentError saying why; the next document gets a
// fresh reader. Readers (and the OCR engine inside each) are started on first use and reused, so OCR
// language data is loaded once per reader; a reader left idle, or one that has read its share, is stopped.
// Processes rather than worker threads: a stopped thread's memory stays in its process (V8 keeps the
// pages; measured: two threads that read 40 invoices left ~600 MB behind), a stopped process gives it all
// back, and a crash or a native fault in the reader cannot take the caller with it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CutRange } from './cut.js';
import type { EmbeddedLookup } from './einvoice/pdf.js';
import { DocumentError, type DocumentErrorKind } from './errors.js';
import type { ExtractionLimits } from './limits.js';
import { openOcrEngine, type OcrEngineChoice } from './ocr/engines.js';
import type { OcrLanguage } from './ocr/languages.js';
import { runOperation } from './operations.js';
import type { VisualResult } from './visual.js';

/** What a sandbox thread needs to build its own OCR engine: plain data, it crosses a thread boundary. */
export interface OcrSettings {
  languages: OcrLanguage[];
  deskew: boolean;
  /** The native program when installed, else tesseract.js (`auto`, the default); extract/ocr/engines.ts. */
  engine?: OcrEngineChoice;
}

export interface SandboxOptions {
  limits: ExtractionLimits;
  ocr: OcrSettings | null;
  /** Documents read at the same time, one reader process each. */
  threads: number;
  /** How long a new reader may take to load before it counts as failed (default one minute). */
  startTimeoutMs?: number;
  /** The reader's module; tests point it at one that fails to load. */
  entry?: URL;
  /**
   * A reader with nothing to do for this long is stopped, giving back its heap, pdf.js and the OCR
   * engine's language data (the next document starts a new one, in about a second); 0 keeps readers.
   */
  idleMs?: number;
  /** A reader is replaced after this many documents, so what a long run leaves in its heap is given back. */
  maxJobsPerThread?: number;
}

/** When reading threads are given back (EXTRACT_READER_IDLE / EXTRACT_READER_MAX_DOCUMENTS in config). */
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
  /** Pages of a PDF as PDFs of their own, one per range (extract/cut.ts). */
  cutPages(bytes: Uint8Array, fileName: string, ranges: CutRange[], signal?: AbortSignal): Promise<Uint8Array[]>;
  /** Reader processes running now (started on first use, stopped when idle or replaced); 0 in process. */
  threads(): number;
}

/** The operations a sandbox thread runs, and what each answers. */
export type SandboxOperation =
  | { op: 'read' }
  | { op: 'inspect' }
  | { op: 'embedded-xml' }
  | { op: 'render'; pages: number[] }
  | { op: 'cut'; ranges: CutRange[] };
export interface SandboxResults {
  read: VisualResult;
  inspect: { pageCount: number };
  'embedded-xml': EmbeddedLookup;
  render: Uint8Array[];
  cut: Uint8Array[];
}

/** Messages between the sandbox and its threads. */
export type SandboxRequest = { id: number; bytes: Uint8Array; fileName: string; operation: SandboxOperation };
export type SandboxReply =
  | { id: number; ok: SandboxResults[SandboxOperation['op']] }
  | { id: number; documentError: { kind: DocumentErrorKind; message: string } }
  | { id: number; error: { message: string; stack?: string } };
export interface SandboxWorkerData {
  limits: ExtractionLimits;
  ocr: OcrSettings | null;
}

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
  cut: 'Cutting the invoices out of',
};

/** Why a read stopped when its caller gave up (an activity that timed out or was cancelled). */
const abandoned = (signal: AbortSignal, fileName: string, doing = DOING.read) =>
  Object.assign(
    new Error(
      `${doing} ${fileName} was abandoned: ${signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'the caller gave up')}.`,
    ),
    { name: 'AbortError' },
  );

/** A reader loads pdf.js and its OCR engine's code in about a second; a minute means it is stuck. */
const START_TIMEOUT_MS = 60_000;

// Under tsx the sources run as .ts; a compiled build runs the .js next to this file.
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './sandbox-worker.ts' : './sandbox-worker.js', import.meta.url);

/** How a reader is told its settings (limits, OCR): plain JSON in its environment. */
export const SANDBOX_DATA_ENV = 'PLEXSYNC_SANDBOX_DATA';
/** A reader's last words on stderr (an uncaught error, V8's out-of-memory report), kept for the failure message. */
const STDERR_TAIL = 4_096;

/** Node options for a reader: TypeScript sources need tsx's loader (resolved from here, whatever the cwd). */
function readerExecArgv(entry: URL, maxMemoryMb: number): string[] {
  const loader = entry.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  return [...loader, `--max-old-space-size=${maxMemoryMb}`];
}

/** The uncaught error a reader printed before it died, as one line ("Error: cannot load the reader"). */
function lastError(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /^(?:[A-Z]\w*Error|Error)(?:\s*\[\w+\])?:/.test(l) || /heap out of memory/i.test(l));
  return line?.replace(/^Error: /, '');
}
const outOfMemory = (code: number | null, signal: NodeJS.Signals | null, stderr: string) =>
  code === 134 || signal === 'SIGABRT' || /heap out of memory|Allocation failed/i.test(stderr);

/**
 * Kills a reader and every process in its group: the `tesseract` programs it started for its pages, which
 * would otherwise run on, orphaned, until their page was done. A group that is already gone is no error.
 * `justExited`: called from the reader's exit event, for what it left behind. Otherwise a reader that has
 * already exited is left alone: its exit event took its group, and its id may since belong to another.
 */
function killGroup(child: ChildProcess, justExited = false): void {
  const running = child.exitCode === null && child.signalCode === null;
  if (!running && !justExited) return;
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing of the group is left.
  }
  if (running) child.kill('SIGKILL');
}

export function createSandbox(opts: SandboxOptions): DocumentSandbox {
  const queue: Job[] = [];
  type Reader = { child: ChildProcess; ready: Promise<void>; jobs: number; stderr: () => string };
  type Slot = { thread: Reader | null; job: Job | null; idle: NodeJS.Timeout | null };
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.threads) }, () => ({
    thread: null,
    job: null,
    idle: null,
  }));
  let nextId = 1;
  let closed = false;
  const idleMs = opts.idleMs ?? THREAD_IDLE_MS;
  const maxJobs = opts.maxJobsPerThread ?? THREAD_MAX_JOBS;

  /** Stops a reader that is done: its OCR engine first, then the process (killed if it does not exit promptly). */
  const retire = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send('close');
    const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 5_000).unref());
    if ((await Promise.race([exited, timeout])) === 'late') killGroup(child);
  };
  /** After a document: a reader that has read its share is replaced; one left without work is stopped when idle. */
  const rest = (slot: Slot) => {
    const reader = slot.thread;
    if (!reader || slot.job) return;
    if (reader.jobs >= maxJobs) {
      slot.thread = null;
      void retire(reader.child);
      return;
    }
    if (idleMs > 0) {
      slot.idle = setTimeout(() => {
        slot.idle = null;
        if (slot.job || slot.thread !== reader) return;
        slot.thread = null;
        void retire(reader.child);
      }, idleMs);
      slot.idle.unref();
    }
  };

  const spawn = (): Reader => {
    const data: SandboxWorkerData = { limits: opts.limits, ocr: opts.ocr };
    const entry = opts.entry ?? ENTRY;
    const child = fork(fileURLToPath(entry), [], {
      execArgv: readerExecArgv(entry, opts.limits.maxMemoryMb),
      env: { ...process.env, [SANDBOX_DATA_ENV]: JSON.stringify(data) },
      // Documents and results cross as structured clones (Uint8Array included), not JSON.
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Its own process group, so that stopping it also stops the OCR programs it started (killGroup).
      detached: true,
    });
    // However the reader ends (killed, out of memory), what it started goes with it.
    child.once('exit', () => killGroup(child, true));
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    // An idle reader does not keep this process alive.
    child.unref();
    child.channel?.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    // Loading the reader's code is not the document's time: the clock starts after it. A reader that
    // fails, exits or hangs while loading rejects, so no job waits on it for ever.
    const ready = new Promise<void>((resolve, reject) => {
      const done = (outcome: () => void) => {
        clearTimeout(timer);
        child.off('message', onReady);
        child.off('error', onError);
        child.off('exit', onExit);
        outcome();
      };
      const onReady = (message: unknown) => message === 'ready' && done(resolve);
      const onError = (error: Error) => done(() => reject(error));
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        // Give stderr a moment to arrive: it says why (a module that failed to load).
        setTimeout(
          () =>
            done(() =>
              reject(new Error(lastError(stderr) ?? `it exited with ${signal ?? `code ${code}`} while loading`)),
            ),
          50,
        );
      };
      const startTimeoutMs = opts.startTimeoutMs ?? START_TIMEOUT_MS;
      const timer = setTimeout(() => {
        done(() => reject(new Error(`it was not ready after ${Math.round(startTimeoutMs / 100) / 10} s`)));
        killGroup(child);
      }, startTimeoutMs);
      child.on('message', onReady);
      child.on('error', onError);
      child.on('exit', onExit);
    });
    ready.catch(() => undefined);
    return { child, ready, jobs: 0, stderr: () => stderr };
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
    const reader = (slot.thread ??= spawn());
    reader.jobs++;
    slot.job = job;
    reader.ready.then(
      () => {
        if (!job.abandoned) return start(slot, reader, job);
        slot.job = null;
        dispatch();
        rest(slot);
      },
      (error: unknown) => {
        slot.thread = null;
        slot.job = null;
        job.reject(
          new Error(`The document reader did not start: ${error instanceof Error ? error.message : String(error)}`),
        );
        dispatch();
      },
    );
  };

  const start = (slot: Slot, reader: Reader, job: Job) => {
    const { child } = reader;
    let settled = false;
    const finish = (outcome: () => void, keepReader: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('error', onError);
      child.off('exit', onExit);
      slot.job = null;
      if (!keepReader) {
        slot.thread = null;
        killGroup(child);
      }
      outcome();
      dispatch();
      rest(slot);
    };
    const onMessage = (reply: SandboxReply) => {
      if (reply.id !== job.id) return;
      if ('ok' in reply) finish(() => job.resolve(reply.ok), true);
      else if ('documentError' in reply)
        finish(() => job.reject(new DocumentError(reply.documentError.kind, reply.documentError.message)), true);
      else finish(() => job.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack })), true);
    };
    const crashed = (cause: Error) =>
      outOfMemory(child.exitCode, child.signalCode, reader.stderr())
        ? new DocumentError(
            'out_of_memory',
            `${DOING[job.operation.op]} ${job.fileName} needed more than ${opts.limits.maxMemoryMb} MB of memory; the file is too complex or malformed.`,
            { cause },
          )
        : new DocumentError('corrupt', `${job.fileName} crashed the document reader: ${cause.message}.`, { cause });
    const onError = (error: Error) => finish(() => job.reject(crashed(error)), false);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // Let the reader's last stderr arrive: it tells an out-of-memory death from a crash.
      setTimeout(() => {
        const said = lastError(reader.stderr());
        if (outOfMemory(code, signal, reader.stderr()) || said)
          finish(() => job.reject(crashed(new Error(said ?? `it exited with ${signal ?? `code ${code}`}`))), false);
        else
          finish(
            () => job.reject(new Error(`The document reader stopped unexpectedly (exit ${signal ?? `code ${code}`}).`)),
            false,
          );
      }, 50);
    };
    const timer = setTimeout(() => {
      const seconds = Math.round(opts.limits.timeoutMs / 100) / 10;
      finish(
        () =>
          job.reject(
            new DocumentError(
              'timeout',
              `${DOING[job.operation.op]} ${job.fileName} took longer than ${seconds} s and was stopped; the file is too complex or malformed.`,
            ),
          ),
        false,
      );
    }, opts.limits.timeoutMs);
    job.cancel = (reason) => finish(() => job.reject(reason), false);
    child.on('message', onMessage);
    child.on('error', onError);
    child.on('exit', onExit);
    // A copy crosses the process boundary; the caller keeps its bytes.
    const request: SandboxRequest = { id: job.id, bytes: job.bytes, fileName: job.fileName, operation: job.operation };
    child.send(request);
  };

  const submit = <Op extends SandboxOperation>(
    operation: Op,
    bytes: Uint8Array,
    fileName: string,
    signal?: AbortSignal,
  ): Promise<SandboxResults[Op['op']]> => {
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
      const settle =
        <T>(outcome: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          outcome(value);
        };
      const job: Job = {
        id: nextId++,
        bytes,
        fileName,
        operation,
        resolve: settle(resolve as (value: unknown) => void),
        reject: settle(reject),
      };
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
    cutPages: (bytes, fileName, ranges, signal) => submit({ op: 'cut', ranges }, bytes, fileName, signal),
    threads: () => slots.filter((slot) => slot.thread).length,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('The document sandbox is closed.'));
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.idle) clearTimeout(slot.idle);
          slot.idle = null;
          const child = slot.thread?.child;
          slot.thread = null;
          if (child) await retire(child);
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
  const engine = opts.ocr ? openOcrEngine(opts.ocr.languages, opts.ocr.engine) : null;
  const context = { limits: opts.limits, ocr: engine && opts.ocr ? { engine, deskew: opts.ocr.deskew } : undefined };
  return {
    read: (bytes, fileName) => runOperation({ op: 'read' }, bytes, fileName, context),
    countPages: async (bytes, fileName) => (await runOperation({ op: 'inspect' }, bytes, fileName, context)).pageCount,
    embeddedEInvoice: (bytes, fileName) => runOperation({ op: 'embedded-xml' }, bytes, fileName, context),
    renderPages: (bytes, fileName, pages) => runOperation({ op: 'render', pages }, bytes, fileName, context),
    cutPages: (bytes, fileName, ranges) => runOperation({ op: 'cut', ranges }, bytes, fileName, context),
    threads: () => 0,
    close: async () => engine?.close(),
  };
}
