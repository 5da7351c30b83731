// The native packages only scans need, loaded on first use: sharp (image decoding and clean-up) and
// @napi-rs/canvas (pdf.js draws pages on it for OCR). Reading a text PDF never loads either, which saves
// most of the start-up of `plexsync extract` (loading Skia alone costs more than reading a page).
//
// pdf.js's legacy build requires @napi-rs/canvas when it is imported in Node, rendering or not, to
// polyfill DOMMatrix and Path2D. deferCanvasForPdfjs(), called before pdf.js is imported, hands it a
// stand-in instead (an entry in require.cache, which require consults before loading a file): the real
// package loads when pdf.js first uses it, or when render.ts asks for it before drawing a page. pdf.js
// polyfills only what globalThis lacks, so the stand-in classes put there first keep it from reading the
// package at import.
import module, { createRequire } from 'node:module';
import type * as Canvas from '@napi-rs/canvas';
import type Sharp from 'sharp';

const require = createRequire(import.meta.url);

let sharp: Promise<typeof Sharp> | undefined;

/** sharp, imported on first call. */
export function loadSharp(): Promise<typeof Sharp> {
  return (sharp ??= import('sharp').then((m) => m.default));
}

let canvas: typeof Canvas | undefined;
let canvasFile: string | undefined;
let canvasStandIn: unknown;
const standIns = new Set<unknown>();

/** @napi-rs/canvas, loaded on first call; its DOMMatrix and Path2D replace the stand-ins on globalThis. */
export function loadCanvas(): typeof Canvas {
  if (!canvas) {
    if (canvasFile && require.cache[canvasFile] === canvasStandIn) delete require.cache[canvasFile];
    canvas = require(canvasFile ?? '@napi-rs/canvas') as typeof Canvas;
    const globals = globalThis as Record<string, unknown>;
    for (const name of ['DOMMatrix', 'Path2D'] as const) if (standIns.has(globals[name])) globals[name] = canvas[name];
  }
  return canvas;
}

/** A class that is the canvas package's class of that name, loaded the first time it is used. */
function standIn(name: 'DOMMatrix' | 'Path2D'): unknown {
  const real = () => loadCanvas()[name] as unknown as new (...args: unknown[]) => object;
  const stand = new Proxy(function standIn() {}, {
    construct: (_, args) => Reflect.construct(real(), args),
    get: (_, key): unknown => Reflect.get(real(), key) as unknown,
    has: (_, key) => Reflect.has(real(), key),
  });
  standIns.add(stand);
  return stand;
}

let deferred = false;

/**
 * Makes pdf.js's import-time require of @napi-rs/canvas return a stand-in that loads the package on first
 * use: an entry in require.cache under the package's own file, which loadCanvas replaces with the real
 * module. Call before pdf.js is imported.
 */
export function deferCanvasForPdfjs(): void {
  if (deferred) return;
  deferred = true;
  // the file pdf.js's own require resolves the package to
  const file = createRequire(require.resolve('pdfjs-dist/package.json')).resolve('@napi-rs/canvas');
  if (require.cache[file]) return; // already loaded
  const globals = globalThis as Record<string, unknown>;
  for (const name of ['DOMMatrix', 'Path2D'] as const) globals[name] ??= standIn(name);
  const stand = new module.Module(file);
  stand.filename = file;
  stand.loaded = true;
  stand.exports = new Proxy(
    {},
    {
      get: (_, key): unknown => Reflect.get(loadCanvas(), key) as unknown,
      has: (_, key) => Reflect.has(loadCanvas(), key),
    },
  );
  require.cache[file] = stand;
  canvasFile = file;
  canvasStandIn = stand;
}
