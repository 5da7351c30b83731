// E-invoice benchmark: a generated set of invoices written as CII (Factur-X EN 16931, XRechnung),
// ZUGFeRD 1, UBL (XRechnung, Peppol, credit notes) and Factur-X PDFs, read by the extractor. Reports
// header fields exact per kind (must be 100%: there is nothing to guess) and the time per document
// against a baseline measured in the same run (a bare fast-xml-parser parse of the same XML).
// Usage: npm run bench:einvoice [-- --count 40 --seed 1]
import { parseArgs } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { createExtractor } from '../extract/index.js';
import { eInvoiceSpec, expectedFields, makeFacturXPdf, toCii, toUbl, type EInvoiceSpec } from '../testkit/einvoice.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } },
});
const count = Number(values.count);
const seed = Number(values.seed);

interface Doc {
  kind: string;
  bytes: Uint8Array;
  mimeType: string;
  xml: string;
  spec: EInvoiceSpec;
}
const KINDS: Array<{ kind: string; make: (spec: EInvoiceSpec) => Promise<Omit<Doc, 'kind' | 'spec'>> }> = [
  { kind: 'CII EN 16931 (XML)', make: async (s) => xml(toCii(s)) },
  { kind: 'CII XRechnung (XML)', make: async (s) => xml(toCii(s, { profile: 'XRECHNUNG' })) },
  { kind: 'ZUGFeRD 1.0 (XML)', make: async (s) => xml(toCii(s, { zugferd1: true })) },
  { kind: 'UBL XRechnung (XML)', make: async (s) => xml(toUbl(s, { customization: 'XRECHNUNG' })) },
  { kind: 'UBL Peppol BIS (XML)', make: async (s) => xml(toUbl(s, { customization: 'PEPPOL' })) },
  { kind: 'UBL CreditNote (XML)', make: async (s) => xml(toUbl({ ...s, typeCode: '381' }, { creditNote: true })) },
  {
    kind: 'Factur-X (PDF)',
    make: async (s) => ({ bytes: await makeFacturXPdf(s), mimeType: 'application/pdf', xml: toCii(s) }),
  },
];
function xml(text: string) {
  return { bytes: new TextEncoder().encode(text), mimeType: 'application/xml', xml: text };
}

const docs: Doc[] = [];
for (let i = 0; i < count; i++) {
  const spec = eInvoiceSpec(seed * 100_000 + i);
  const { kind, make } = KINDS[i % KINDS.length]!;
  docs.push({ kind, spec: kind.includes('CreditNote') ? { ...spec, typeCode: '381' } : spec, ...(await make(spec)) });
}

const extractor = createExtractor();
const baseline = new XMLParser({ ignoreAttributes: false, processEntities: false });
const byKind = new Map<
  string,
  { docs: number; fields: number; exact: number; ms: number; baselineMs: number; misses: string[] }
>();
for (const doc of docs) {
  const row = byKind.get(doc.kind) ?? { docs: 0, fields: 0, exact: 0, ms: 0, baselineMs: 0, misses: [] };
  byKind.set(doc.kind, row);
  let t = performance.now();
  baseline.parse(doc.xml);
  row.baselineMs += performance.now() - t;
  t = performance.now();
  const extraction = await extractor.extract({ bytes: doc.bytes, mimeType: doc.mimeType, fileName: 'bench' });
  row.ms += performance.now() - t;
  row.docs++;
  for (const [name, expected] of Object.entries(expectedFields(doc.spec))) {
    const actual = extraction.fields[name as keyof typeof extraction.fields].value;
    row.fields++;
    if (JSON.stringify(actual) === JSON.stringify(expected)) row.exact++;
    else row.misses.push(`${name}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`E-invoices: ${docs.length} documents (seed ${seed})\n`);
console.log(
  `${pad('kind', 24)} ${pad('docs', 5)} ${pad('fields exact', 14)} ${pad('ms/doc', 8)} ${pad('bare parse ms/doc', 18)} ratio`,
);
let allExact = true;
for (const [kind, r] of byKind) {
  const exact = r.exact / r.fields;
  allExact &&= r.exact === r.fields;
  console.log(
    `${pad(kind, 24)} ${pad(String(r.docs), 5)} ${pad(`${(exact * 100).toFixed(1)}%`, 14)} ${pad((r.ms / r.docs).toFixed(2), 8)} ${pad((r.baselineMs / r.docs).toFixed(2), 18)} ${(r.ms / r.baselineMs).toFixed(1)}×`,
  );
  for (const miss of r.misses.slice(0, 5)) console.log(`    miss: ${miss}`);
}
console.log(
  '\nThe ratio for Factur-X PDFs includes reading the PDF (attachments, XMP) and the visual cross-check of its text layer.',
);
if (!allExact) {
  console.error('FAIL: e-invoice fields must be 100% exact.');
  process.exit(1);
}
