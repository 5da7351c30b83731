// Hostile documents, built byte by byte: bombs, malformed structures, disguises. Each is small on disk;
// what makes it hostile is what a careless reader would do with it.
import { deflateSync, crc32 } from 'node:zlib';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** A PDF from object bodies (numbered from 1; object 1 is the catalog), with a correct xref table. */
export function pdfOf(objects: Array<string | { dict: string; stream: Uint8Array }>, trailer = ''): Uint8Array {
  const parts: Uint8Array[] = [latin1('%PDF-1.7\n')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(length);
    const body =
      typeof object === 'string'
        ? latin1(`${i + 1} 0 obj\n${object}\nendobj\n`)
        : concat(
            latin1(`${i + 1} 0 obj\n${object.dict.replace('>>', ` /Length ${object.stream.length} >>`)}\nstream\n`),
            object.stream,
            latin1('\nendstream\nendobj\n'),
          );
    parts.push(body);
    length += body.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(
    latin1(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer} >>\nstartxref\n${length}\n%%EOF\n`),
  );
  return concat(...parts);
}

const HELVETICA = '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>';
const page = (extra = '', mediaBox = '[0 0 612 792]') =>
  `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} ${extra} >>`;

/** A real page tree of `count` empty pages (pdf.js counts the kids; a bare /Count is not believed). */
export function manyPagesPdf(count: number): Uint8Array {
  const kids = Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(' ');
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
    ...Array.from({ length: count }, () => page()),
  ]);
}
export const hugePagePdf = () =>
  pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page('', '[0 0 5000000 5000000]'),
  ]);
/** A page tree whose only kid is the tree itself. */
export const circularPagesPdf = () =>
  pdfOf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']);
/** A page resource nested 50,000 arrays deep. */
export const deeplyNestedPdf = () =>
  pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page(`/Deep ${'['.repeat(50_000)}${']'.repeat(50_000)}`),
  ]);
/** JavaScript run when the document opens. */
export const javascriptPdf = () =>
  pdfOf([
    '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page(),
    '<< /Type /Action /S /JavaScript /JS (app.alert\\("hi"\\)) >>',
  ]);
/** A link whose action is a script, on an otherwise ordinary page. */
export const javascriptLinkPdf = () =>
  pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page('/Annots [4 0 R]'),
    '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /JavaScript /JS (this.print\\(\\)) >> >>',
  ]);
/**
 * Forms nested `depth` deep, each drawing the next `fanout` times, the last one a word: a few hundred bytes
 * that ask a reader for fanout^depth words (pdf.js reads a form's text again at each use). The default asks
 * for 100 million, far past any time or memory limit on any machine.
 */
export function formBombPdf(fanout = 100, depth = 4): Uint8Array {
  const draws = (name: string) => latin1(`/${name} Do\n`.repeat(fanout));
  // Object 4 is the page's content; objects 5 … 4+depth are the forms, the last one holding the word.
  const forms = Array.from({ length: depth }, (_, i) =>
    i + 1 < depth
      ? {
          dict: `<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X${i + 1} ${i + 6} 0 R >> >> >>`,
          stream: draws(`X${i + 1}`),
        }
      : {
          dict: `<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << ${HELVETICA} >> >>`,
          stream: latin1('BT /F1 12 Tf 72 700 Td (Invoice) Tj ET\n'),
        },
  );
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page('/Resources << /XObject << /X0 5 0 R >> >> /Contents 4 0 R'),
    { dict: '<< >>', stream: draws('X0') },
    ...forms,
  ]);
}

/**
 * A compressed content stream that inflates to tens of megabytes of words, one per 20 bytes, all drawn at one
 * spot: a file of tens of kilobytes that asks a reader for millions of words, far past any time or memory limit.
 */
export function contentBombPdf(megabytes = 40): Uint8Array {
  const stream = deflateSync(
    Buffer.concat([
      Buffer.from('BT /F1 12 Tf 72 700 Td\n'),
      Buffer.alloc(megabytes * 1024 * 1024, '(Invoice) Tj 0 0 Td\n'),
      Buffer.from('ET\n'),
    ]),
  );
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    page(`/Resources << ${HELVETICA} >> /Contents 4 0 R`),
    { dict: '<< /Filter /FlateDecode >>', stream },
  ]);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(latin1(type), 4);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(concat(latin1(type), data)));
  return concat(head, data, crc);
}

/** A PNG of the given size: greyscale, 1 bit per pixel, all black, its data deflated (tiny on disk). */
export function pngOf(width: number, height: number, opts: { withData?: boolean } = {}): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const rows =
    opts.withData === false ? new Uint8Array(16) : deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height));
  return concat(
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', opts.withData === false ? deflateSync(rows) : rows),
    pngChunk('IEND', new Uint8Array()),
  );
}

/** A PNG whose header checksum does not match (a bit flipped in transit). */
export function badChecksumPng(): Uint8Array {
  const png = pngOf(64, 64);
  png[8 + 8 + 13]! ^= 0xff; // first byte of the IHDR chunk's CRC
  return png;
}

/**
 * A little-endian TIFF of `frames` pages of width × height 8-bit grey pixels, every page pointing at
 * one shared strip. `loop` makes the last page's "next page" pointer lead back to the first.
 */
export function tiffOf(width: number, height: number, frames = 1, opts: { loop?: boolean } = {}): Uint8Array {
  const ENTRIES = 9;
  const ifdSize = 2 + ENTRIES * 12 + 4;
  const stripBytes = Math.min(width * height, 4096);
  const stripAt = 8 + frames * ifdSize;
  const out = new Uint8Array(stripAt + stripBytes).fill(0xff, stripAt);
  const view = new DataView(out.buffer);
  out.set(latin1('II'), 0);
  view.setUint16(2, 42, true);
  view.setUint32(4, 8, true);
  for (let f = 0; f < frames; f++) {
    const at = 8 + f * ifdSize;
    view.setUint16(at, ENTRIES, true);
    const entries: Array<[number, number, number]> = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 8],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, stripAt],
      [277, 3, 1],
      [278, 4, height],
      [279, 4, width * height],
    ];
    entries.forEach(([tag, type, value], i) => {
      const e = at + 2 + i * 12;
      view.setUint16(e, tag, true);
      view.setUint16(e + 2, type, true);
      view.setUint32(e + 4, 1, true);
      if (type === 3) view.setUint16(e + 8, value, true);
      else view.setUint32(e + 8, value, true);
    });
    const next = f + 1 < frames ? 8 + (f + 1) * ifdSize : opts.loop ? 8 : 0;
    view.setUint32(at + 2 + ENTRIES * 12, next, true);
  }
  return out;
}
