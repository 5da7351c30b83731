// The e-invoice XML of an invoice, for a clerk to open (plain text in the browser) or download: the
// uploaded XML itself, or the XML embedded in a Factur-X/ZUGFeRD PDF. Shown as text/plain with nosniff
// (under the app's strict CSP), never rendered as XML, so a crafted document cannot run in our origin.
// A PDF's embedded XML is looked up in the invoice service's document sandbox, never on the server's thread.
import type { Context } from 'hono';
import { decodeXml, XmlError } from '../../extract/einvoice/xml.js';
import type { AppEnv } from '../context.js';
import { InvoiceInputError } from '../../services/invoices.js';

export async function eInvoiceXmlResponse(
  c: Context<AppEnv>,
  invoiceId: string,
  format: 'json' | 'text',
): Promise<Response> {
  const notFound = (message: string) =>
    format === 'json' ? c.json({ error: { message } }, 404) : c.text(message, 404);
  let xml;
  try {
    xml = await c.var.deps.invoices.eInvoiceXml(invoiceId); // a damaged PDF simply has no XML to show
  } catch (err) {
    if (!(err instanceof InvoiceInputError)) throw err;
    return format === 'json'
      ? c.json({ error: { message: err.message } }, err.status)
      : c.text(err.message, err.status);
  }
  if (!xml) return notFound(`Invoice ${invoiceId} has no e-invoice XML.`);
  const fileName = xml.fileName.replace(/[^\w.\- ]/g, '_');
  c.header('X-Content-Type-Options', 'nosniff');
  if (c.req.query('download') !== undefined) {
    c.header('Content-Type', 'application/xml');
    c.header('Content-Disposition', `attachment; filename="${fileName}"`);
    return c.body(xml.bytes as Uint8Array<ArrayBuffer>);
  }
  let text: string;
  try {
    text = decodeXml(xml.bytes);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    text = new TextDecoder('utf-8').decode(xml.bytes); // shown as it is: the clerk sees why it was refused
  }
  c.header('Content-Disposition', `inline; filename="${fileName}.txt"`);
  return c.text(text, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
}
