// `plexsync extract PATH... [--json]`: read PDFs, images and e-invoices without a database, in this process.
// One file prints the contract (extract/contract.ts) as a table or one JSON object; a folder or several
// files are read one after another by the same extractor (pdf.js and OCR are loaded once) and print one
// result per file. The exit code is 1 when any file could not be read.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { formatContract, toContract, type ExtractionContract } from '../extract/contract.js';
import { createExtractor, sniffDocument, visualStageOptions, type Extractor } from '../extract/index.js';

/** What a folder is searched for: the kinds of file an invoice arrives as (any other file is skipped). */
export const DOCUMENT_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.xml']);

type Out = NodeJS.WritableStream;
type Result = { file: string; contract: ExtractionContract } | { file: string; error: string };

export async function extractCommand(paths: string[], json: boolean, out: Out, err: Out): Promise<number> {
  let files: string[];
  let single: boolean;
  try {
    ({ files, single } = await documentsIn(paths, err));
  } catch (error) {
    err.write(`plexsync: ${firstLine(error)}\n`);
    return 1;
  }
  // The same OCR settings and limits as the worker, read in-process: no threads to start for one command.
  const extractor = createExtractor({ ...visualStageOptions(loadConfig().extraction), isolate: false });
  let failed = 0;
  try {
    for (const file of files) {
      const result = await extractOne(extractor, file);
      if ('error' in result) {
        failed++;
        // an unreadable file is the user's input, not a crash: one line saying why
        err.write(`plexsync: cannot extract ${basename(result.file)}: ${result.error}\n`);
        if (!single && json) out.write(`${JSON.stringify(result)}\n`);
        continue;
      }
      if (single)
        out.write(json ? `${JSON.stringify(result.contract, null, 2)}\n` : `${formatContract(result.contract)}\n`);
      else
        out.write(json ? `${JSON.stringify(result)}\n` : `== ${result.file}\n${formatContract(result.contract)}\n\n`);
    }
  } finally {
    await extractor.close?.();
  }
  if (!single)
    err.write(
      `plexsync: ${files.length - failed} of ${files.length} file(s) read${failed ? `, ${failed} failed` : ''}\n`,
    );
  return failed ? 1 : 0;
}

async function extractOne(extractor: Extractor, file: string): Promise<Result> {
  const fileName = basename(file);
  try {
    const bytes = new Uint8Array(await readFile(file));
    // the type from the bytes alone: the extractor opens the document once, and refuses what an upload refuses
    const mimeType = sniffDocument(bytes, fileName);
    return { file, contract: toContract(await extractor.extract({ bytes, mimeType, fileName })) };
  } catch (error) {
    return { file, error: firstLine(error) };
  }
}

/** The files to read: each FILE as given, each folder's documents (not recursive) in name order. */
async function documentsIn(paths: string[], err: Out): Promise<{ files: string[]; single: boolean }> {
  const files: string[] = [];
  let folders = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory()) {
      files.push(path); // a missing file is reported when it is read, like any unreadable one
      continue;
    }
    folders++;
    const entries = (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.'));
    const documents = entries
      .filter((e) => DOCUMENT_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    if (documents.length < entries.length)
      err.write(
        `plexsync: ${path}: skipped ${entries.length - documents.length} file(s) that are not PDF, image or XML\n`,
      );
    if (documents.length === 0) throw new Error(`${path} holds no PDF, image or XML file`);
    files.push(...documents.map((name) => join(path, name)));
  }
  return { files, single: folders === 0 && files.length === 1 };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
