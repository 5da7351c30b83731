// A PDF that stalls pdf.js while it opens, before any page is read: its cross-reference table points
// nowhere, so pdf.js rebuilds it by scanning hundreds of thousands of objects (seconds of parsing) and
// then gives up. What the upload's page count and "open the XML" must survive without stalling a server.

/** `seed` makes the bytes (and so the invoice id, the file's hash) unique per test. */
export function xrefStallPdf(objects = 600_000, seed = ''): Uint8Array {
  const parts = [
    `%PDF-1.7\n%${seed}\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n`,
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n',
  ];
  for (let i = 4; i < objects; i++) parts.push(`${i} 0 obj\n<< /A ${i} >>\nendobj\n`);
  parts.push('startxref\n999999999\n%%EOF\n');
  return new TextEncoder().encode(parts.join(''));
}
