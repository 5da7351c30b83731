// The amounts printed between the subtotal and the total (freight, packing, fees, surcharges, discounts,
// rounding) and after it (deposits, amounts already paid), read from the totals block in English, German,
// French, Dutch and Spanish, each with its sign: a discount or a payment lowers what is owed.
import type { Provenance } from '../domain/extraction.js';
import { normaliseLabel, PREPAID_SUM } from './label-words.js';
import { parseAmount, toCents } from './normalize.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';

/** `withheld`: income tax the customer keeps back and pays to the tax office (Spanish IRPF, Italian ritenuta d'acconto). */
export type AdjustmentKind = 'charge' | 'allowance' | 'paid' | 'rounding' | 'withheld';

export interface Adjustment {
  kind: AdjustmentKind;
  /** The label as printed ("Frais de port HT", "Less 5% Contract Discount"). */
  label: string;
  /** Signed as it counts towards the total: charges positive, discounts and payments negative. */
  cents: bigint;
  provenance: Provenance;
}

/** What the adjustments add up to, signed as they count towards the total. */
export const sumOf = (list: Adjustment[]) => list.reduce((sum, a) => sum + a.cents, 0n);

// Order matters: "Less payment received" is a payment, "Fuel surcharge" a charge, "Discount" an allowance.
const KINDS: Array<[AdjustmentKind, RegExp]> = [
  ['rounding', /\b(?:rounding(?: adjustment)?|rundung(?:sdifferenz)?|arrondi|afronding(?:sverschil)?|redondeo)\b/],
  [
    'paid',
    /\b(?:deposits?(?: paid| received)?|prepaid|pre ?payment|advance payment|(?:amount|already) paid|paid (?:to date|on account)|payments? (?:received|applied|made)|less payments?|(?:an|voraus|abschlags|teil)zahlung(?:en)?|bereits (?:bezahlt|gezahlt|erhalten)|geleistete|acomptes?|avance(?: recue)?|deja (?:paye|regle|verse)|versement|aanbetaling|vooruitbetaling|voorschot|reeds (?:betaald|ontvangen)|al betaald|anticipos?|entrega a cuenta|(?:importe )?(?:ya )?pagado|abonado)\b/,
  ],
  [
    'allowance',
    /\b(?:discounts?|rebate|allowance|\w*rabatt|skonto|nachlass|preisnachlass|abzug|remise|rabais|escompte|ristourne|korting|descuentos?|dto|bonificacion|pronto pago)\b/,
  ],
  [
    'charge',
    /\b(?:freight|shipping|handling|delivery(?: charges?)?|carriage|postage|packing|packaging|crating|pallets? charge|surcharges?|fees?|charges?|fracht(?:kosten)?|versand(?:kosten)?|porto|verpackung|transportkosten|\w*zuschlag|aufschlag|gebuhr(?:en)?|frais(?: de (?:port|transport|livraison|emballage|dossier))?|port|emballage|supplement|verzend(?:kosten)?|vracht(?:kosten)?|verpakking(?:skosten)?|toeslag|bezorgkosten|administratiekosten|portes|gastos(?: de (?:envio|transporte|embalaje|gestion))?|envio|embalaje|recargo)\b/,
  ],
];
// A label that names a total, a subtotal or a tax is never an adjustment ("Total after discount", "Tax on freight").
const NOT_ADJUSTMENT =
  /\b(?:total|totaal|subtotal|sub total|subtotaal|zwischensumme|summe|gesamt\w*|netto\w*|nett|net|brutto|ttc|base imponible|tax|vat|mwst|ust|tva|btw|iva|balance|reste|resto|saldo|finance charge|late fee)\b|\b(?:carried|brought) forward\b|\bubertrag\b/;
const MAX_LABEL_WORDS = 6;
// withholding names a tax ("withholding tax", "Retención IRPF") yet lowers what is paid, like a discount
const WITHHELD =
  /\b(?:retenci(?:on|ones)(?: (?:de )?irpf)?|irpf|ritenuta(?: d ?acconto)?|withholding(?: tax)?|retenue a la source)\b/;
const NOT_WITHHELD = /\b(?:total\w*|totaal|base|imponibile|subtotal)\b/;

/** What an amount's label says it adjusts, or null when it names no adjustment. */
export function adjustmentKind(label: string): AdjustmentKind | null {
  // rates and dates are part of such labels ("Less 5% discount", "Acompte versé le 15/10/2025") but not words
  const words = normaliseLabel(
    label.replace(/\d+(?:[.,]\d+)?\s*%/g, ' ').replace(/\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/g, ' '),
  )
    .replace(/\b\d+\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!words || words.split(' ').length > MAX_LABEL_WORDS) return null;
  if (WITHHELD.test(words)) return NOT_WITHHELD.test(words) ? null : 'withheld';
  // "Summe Anzahlungen", "Total deposits": a total word, yet the sum of what was paid in advance
  if (PREPAID_SUM.test(words)) return 'paid';
  if (NOT_ADJUSTMENT.test(words)) return null;
  return KINDS.find(([, rule]) => rule.test(words))?.[0] ?? null;
}

const signed = (kind: AdjustmentKind, cents: bigint): bigint => {
  const magnitude = cents < 0n ? -cents : cents;
  // a discount or a payment lowers the total however it is printed ("-62.74", "62.74", "(62.74)"); rounding keeps its sign
  return kind === 'rounding' ? cents : kind === 'charge' ? cents : -magnitude;
};

/** A segment that is only an amount ("275.00", "€ 85,00", "-500,00"). */
function amountOnly(text: string): string | null {
  const parsed = parseAmount(text);
  return parsed && !/\p{L}{4,}/u.test(text.replace(/\b[A-Z]{3}\b/g, '')) ? parsed.value : null;
}

/**
 * The adjustments printed in the totals block: a label naming one, its amount right of it on the same line
 * (or inline after it). Only lines near the subtotal/tax/total labels count (`nearLines`), so a discount
 * offered in the payment terms or a deposit line in the item table is not taken for one.
 */
export function readAdjustments(pages: PageText[], nearLines: Set<TextLine>): Adjustment[] {
  const found: Adjustment[] = [];
  for (const page of pages) {
    for (const line of page.lines) {
      if (!nearLines.has(line)) continue;
      // a totals column often shares its lines with text at the left (a remit-to address): any segment may be the label,
      // its amount the next segment or inline after the label
      line.segments.forEach((segment, index) => {
        const next = line.segments[index + 1];
        const inline = next
          ? null
          : /^(.*?\p{L}[^\d\-–(€$£]*?)\s*((?:[-–(]\s*)?(?:[€$£]\s*)?\d[\d.,' ]*\d(?:\s*[€$£])?\)?-?)$/u.exec(
              segment.text,
            );
        const label = (next ? segment.text : inline?.[1])?.replace(/[\s:]+$/, '');
        const printed = next ? next.text : inline?.[2];
        const kind = label ? adjustmentKind(label) : null;
        let value = kind && printed ? amountOnly(printed) : null;
        let source = next ?? segment;
        // a totals table laid out in columns ("Base imponible | Cuota IVA | Retención IRPF" over their amounts): the amount under the label
        const under = kind && value === null && next ? amountUnder(page, line, segment) : null;
        if (under) [value, source] = [amountOnly(under.text), under];
        if (!kind || !label || value === null) return;
        found.push({
          kind,
          label,
          cents: signed(kind, toCents(value)),
          provenance: { page: page.page, box: source.box, source: page.source ?? 'text', label },
        });
      });
    }
  }
  return found;
}

/** The amount in the cell right under a column label on the next line, not a rate. */
function amountUnder(page: PageText, line: TextLine, label: TextSegment): TextSegment | null {
  const below = page.lines[page.lines.indexOf(line) + 1];
  if (!below || line.segments[0]!.box.y - below.segments[0]!.box.y > 2.6 * line.fontSize) return null;
  const { x, width } = label.box;
  const cell = below.segments.find((s) => s.box.x < x + width + 5 && s.box.x + s.box.width > x - 5);
  return cell && !/%/.test(cell.text) && amountOnly(cell.text) !== null ? cell : null;
}

/** Lines of the totals block: those within a few lines of a subtotal, tax or total label on the same page. */
export function totalsBlock(pages: PageText[], anchors: Array<{ page: number; y: number }>): Set<TextLine> {
  const block = new Set<TextLine>();
  for (const page of pages) {
    const ys = anchors.filter((a) => a.page === page.page).map((a) => a.y);
    if (!ys.length) continue;
    for (const line of page.lines) {
      const reach = 4 * 1.6 * line.fontSize; // four lines of a generously spaced totals table
      const y = line.segments[0]?.box.y;
      if (y !== undefined && ys.some((anchor) => Math.abs(y - anchor) <= reach)) block.add(line);
    }
  }
  return block;
}

const KIND_WORDS: Record<AdjustmentKind, string> = {
  charge: 'charge',
  allowance: 'allowance',
  paid: 'paid',
  rounding: 'rounding',
  withheld: 'withheld',
};
/** "freight 275.00" for a note; the label as printed, lower-cased, and its signed amount. */
export function describe(adjustment: Adjustment, format: (cents: bigint) => string): string {
  const sign = adjustment.cents < 0n ? '−' : '+';
  const magnitude = adjustment.cents < 0n ? -adjustment.cents : adjustment.cents;
  return `${sign} ${adjustment.label || KIND_WORDS[adjustment.kind]} ${format(magnitude)}`;
}
