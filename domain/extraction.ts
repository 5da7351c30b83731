// The extraction contract: what the parse stage produces for one document, shared by the extractor,
// the workflow state, the database read model, the review page and `plexsync extract`.
import { z } from 'zod';
import { validateInvoiceNumber } from './invoice-number.js';

/** A box in PDF points on the page as it is shown (its own rotation applied), origin at its bottom-left corner. */
export const BoundingBox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});
export type BoundingBox = z.infer<typeof BoundingBox>;

/** The smallest box holding every one of `boxes` (at least one). */
export function unionBox(boxes: readonly BoundingBox[]): BoundingBox {
  const [x0, y0] = [Math.min(...boxes.map((b) => b.x)), Math.min(...boxes.map((b) => b.y))];
  const [x1, y1] = [Math.max(...boxes.map((b) => b.x + b.width)), Math.max(...boxes.map((b) => b.y + b.height))];
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export const FieldSource = z.enum(['text', 'ocr', 'model', 'learned', 'einvoice', 'clerk']);
export type FieldSource = z.infer<typeof FieldSource>;

export const Provenance = z.object({
  page: z.number().int().min(1),
  box: BoundingBox.optional(),
  source: FieldSource,
  /** The label the value was found next to ("Invoice No."), when there was one. */
  label: z.string().optional(),
  /** For e-invoices: where in the XML the value came from. */
  xpath: z.string().optional(),
});
export type Provenance = z.infer<typeof Provenance>;

/** An ISO date (YYYY-MM-DD). */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** A decimal amount as a string ("1234.56", "-10.00"): money never travels as a binary float. */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal like 1234.56');

const field = <T extends z.ZodType>(value: T) =>
  z.object({
    value: value.nullable(),
    confidence: z.number().min(0).max(1),
    provenance: Provenance.optional(),
    /** Why the confidence is what it is (cross-check results, ambiguity). */
    notes: z.array(z.string()).default([]),
    /** Other readings that were not kept (the AI model's when it disagreed), shown to the clerk. */
    alternatives: z
      .array(
        z.object({
          value: value,
          source: FieldSource,
          confidence: z.number().min(0).max(1),
          provenance: Provenance.optional(),
        }),
      )
      .optional(),
  });

export const TextField = field(z.string().min(1));
export const DateField = field(IsoDate);
export const AmountField = field(DecimalString);
export const StringListField = field(z.array(z.string().min(1)));
export type TextField = z.infer<typeof TextField>;
export type DateField = z.infer<typeof DateField>;
export type AmountField = z.infer<typeof AmountField>;
export type StringListField = z.infer<typeof StringListField>;

export const HeaderFields = z.object({
  invoiceNumber: TextField,
  invoiceDate: DateField,
  dueDate: DateField,
  vendorName: TextField,
  vendorTaxId: TextField,
  currency: TextField,
  subtotal: AmountField,
  tax: AmountField,
  /** The gross total (EN 16931 BT-112): what the goods and services cost with tax, before any prepayment is deducted. */
  total: AmountField,
  /**
   * What is left to pay (BT-115): the total less what was paid in advance ("Zahlbetrag", "Balance due").
   * Null when the invoice prints no such amount; the sync and the matching use the total, never this.
   */
  amountDue: AmountField.default({ value: null, confidence: 0, notes: [] }),
  poNumbers: StringListField,
  paymentTerms: TextField,
  /** The customer the invoice is addressed to (first line of the bill-to block). */
  billTo: TextField.default({ value: null, confidence: 0, notes: [] }),
  /** The domain of the vendor's e-mail address as printed ("acme-tools.com"), a vendor fingerprint. */
  vendorEmailDomain: TextField.default({ value: null, confidence: 0, notes: [] }),
});
export type HeaderFields = z.infer<typeof HeaderFields>;
export type HeaderFieldName = keyof HeaderFields;
export const HEADER_FIELD_NAMES = Object.keys(HeaderFields.shape) as HeaderFieldName[];
/** The fields a Plex sync cannot do without: an extraction's overall confidence is the weakest of them. */
export const SYNC_FIELDS = [
  'invoiceNumber',
  'vendorName',
  'total',
  'poNumbers',
  'invoiceDate',
] as const satisfies readonly HeaderFieldName[];

export const LineItem = z.object({
  description: TextField,
  quantity: AmountField,
  unitPrice: AmountField,
  amount: AmountField,
  partNumber: TextField.optional(),
  /** The PO line the row refers to, when the vendor prints one. */
  poLine: TextField.optional(),
  /** Unit of measure of the quantity (UN/ECE Rec 20 code from an e-invoice, e.g. "C62", "KGM"). */
  unit: TextField.optional(),
});
export type LineItem = z.infer<typeof LineItem>;

export const ModelUsage = z.object({
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Fields where the model and the text reading disagreed (both values are on the field). */
  disagreements: z.array(z.string()).default([]),
});
export type ModelUsage = z.infer<typeof ModelUsage>;

export const Extraction = z.object({
  fields: HeaderFields,
  lineItems: z.array(LineItem).default([]),
  /** Overall confidence in 0..1; drives auto-approval together with the match. */
  confidence: z.number().min(0).max(1),
  pageCount: z.number().int().min(0),
  /** Page sizes in points, so the review page can place highlight boxes. */
  pages: z.array(z.object({ width: z.number(), height: z.number() })).default([]),
  warnings: z.array(z.string()).default([]),
  /** Which extractor produced this, with its version ("text-layer@1"). */
  extractor: z.string(),
  /** The AI model's part, when one was consulted: which model and the tokens it cost. */
  model: ModelUsage.optional(),
  /** IBANs printed on the invoice (ISO 13616 valid, compact), compared with the supplier's bank account in Plex. */
  ibans: z.array(z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/)).optional(),
  /**
   * Set when the file holds several invoices (extract/split.ts): each part's pages (1-based, inclusive),
   * the invoice number it carries and why it starts where it does. Absent for a file of one invoice.
   */
  parts: z
    .array(
      z.object({
        fromPage: z.number().int().min(1),
        toPage: z.number().int().min(1),
        invoiceNumber: z.string().nullable(),
        evidence: z.array(z.string()),
      }),
    )
    .optional(),
});
export type Extraction = z.infer<typeof Extraction>;

/** The fields a clerk may correct in review; values as the clerk typed them after normalisation. */
export const FieldCorrections = z
  .object({
    // What is written to Plex: the same rule as a Plex write (domain/invoice-number.ts).
    invoiceNumber: z.string().transform((raw, ctx) => {
      const checked = validateInvoiceNumber(raw);
      if (checked.ok) return checked.value;
      ctx.addIssue({ code: 'custom', message: checked.reason });
      return z.NEVER;
    }),
    invoiceDate: IsoDate,
    dueDate: IsoDate,
    vendorName: z.string().trim().min(1).max(200),
    total: DecimalString,
    tax: DecimalString,
    subtotal: DecimalString,
    amountDue: DecimalString,
    currency: z
      .string()
      .trim()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like USD'),
    poNumber: z.string().trim().min(1).max(64),
  })
  .partial()
  .strict();
export type FieldCorrections = z.infer<typeof FieldCorrections>;

/**
 * Where on the document a clerk picked a corrected value (clicked a word or dragged a box in the review
 * page's viewer): the page (1-based) and the box in the page's units (PDF points, origin bottom-left; pixels
 * for an image). It becomes the field's provenance, and learning takes the value from there instead of
 * searching the page for it. Whether the page exists and the box lies on it is checked against the stored
 * extraction's page sizes (services/invoices.ts).
 */
const finite = (what: string) => z.number({ message: `${what} must be a finite number` }); // zod refuses NaN and ±Infinity as numbers
export const PickedBox = z.object({
  page: z.number().int('the page must be a whole number').min(1, 'pages start at 1'),
  box: z.object({
    x: finite('x'),
    y: finite('y'),
    width: finite('the width').positive('the box must have a width'),
    height: finite('the height').positive('the box must have a height'),
  }),
});
export type PickedBox = z.infer<typeof PickedBox>;

/** The picked boxes of a decision's corrections, by correction key; optional everywhere, so older decisions stand. */
export const CorrectionProvenance = z
  .object({
    invoiceNumber: PickedBox,
    invoiceDate: PickedBox,
    dueDate: PickedBox,
    vendorName: PickedBox,
    total: PickedBox,
    tax: PickedBox,
    subtotal: PickedBox,
    amountDue: PickedBox,
    currency: PickedBox,
    poNumber: PickedBox,
  })
  .partial()
  .strict();
export type CorrectionProvenance = z.infer<typeof CorrectionProvenance>;

/** "2,56.5,700,80.25,12" (page, x, y, width, height) as a review form sends it; null when it is not that. */
export function parsePickedBox(raw: string): PickedBox | null {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length !== 5 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) return null;
  const [page, x, y, width, height] = parts.map(Number) as [number, number, number, number, number];
  return { page, box: { x, y, width, height } };
}

/** Every correctable field with its label for people, in the order the review form shows them. */
export const CORRECTION_LABELS: Record<keyof FieldCorrections, string> = {
  invoiceNumber: 'Invoice number',
  poNumber: 'PO number',
  vendorName: 'Vendor',
  invoiceDate: 'Invoice date',
  dueDate: 'Due date',
  currency: 'Currency',
  subtotal: 'Subtotal',
  tax: 'Tax',
  total: 'Total',
  amountDue: 'Amount due',
};

export function emptyField<T>(): { value: T | null; confidence: number; notes: string[] } {
  return { value: null, confidence: 0, notes: [] };
}
