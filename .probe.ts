import { createTextLayerExtractor } from './extract/index.js';
import { makeInvoicePdf } from './test/support/invoice-pdf.js';
import { readTextLayer } from './extract/pdf-text.js';
const ex = createTextLayerExtractor();
for (const layout of ['classic', 'german', 'right-labels'] as const) {
  const bytes = await makeInvoicePdf({ layout, invoiceNumber: 'INV-2025-0042', vendorName: layout === 'german' ? 'Müller Präzisionsteile GmbH' : 'Acme Tooling Inc.', invoiceDate: '2025-11-03', dueDate: '2025-12-03', poNumbers: ['062486', '062487'], taxRate: layout === 'german' ? '19' : '8.25',
    lines: [{ description: 'Hex bolt M8x40', quantity: 500, unitPrice: '0.42' }, { description: 'Machining, 2 hours', quantity: 2, unitPrice: '1250.00' }] });
  if (process.argv[2] === 'lines') { const t = await readTextLayer(bytes, 5); for (const l of t.pages[0]!.lines) console.log(l.baseline.toFixed(1), l.segments.map(s => `[${s.text}@${s.box.x.toFixed(0)}]`).join(' ')); }
  const r = await ex.extract({ bytes, mimeType: 'application/pdf', fileName: 'x.pdf' });
  console.log('=== ', layout, r.confidence, r.warnings);
  for (const [k, v] of Object.entries(r.fields)) console.log(k.padEnd(14), JSON.stringify(v.value), v.confidence, v.provenance?.label ?? '', v.notes.join(' | '));
  console.log(r.lineItems.map(i => [i.description.value, i.quantity.value, i.unitPrice.value, i.amount.value, i.amount.confidence].join(' ; ')).join('\n'));
}
