// Test e-invoices: one invoice description written as UN/CEFACT CII (Factur-X / ZUGFeRD 2 / XRechnung),
// ZUGFeRD 1.0 or OASIS UBL 2.1 (XRechnung / Peppol BIS), and embedded into a PDF the way Factur-X does
// (attachment + XMP). Amounts follow the EN 16931 calculation rules in integer cents, so a generated
// invoice is internally consistent unless a test breaks it on purpose.
import { AFRelationship, PDFDocument, PDFName } from 'pdf-lib';
import { makeInvoicePdf } from './invoice-pdf.js';
import { seededRandom } from './corpus.js';

export interface EInvoiceLineSpec {
  id: string;
  name: string;
  quantity: string; // "12", "2.5"
  unit: string; // UN/ECE rec 20: H87 piece, KGM, MTR, C62
  netPrice: string; // 2 decimals
  vatRate: string; // "19", "7", "0", "5.5"
  orderLineRef?: string;
  sellerItemId?: string;
}

export interface EInvoiceSpec {
  invoiceNumber: string;
  issueDate: string; // ISO
  dueDate?: string;
  typeCode?: '380' | '381';
  currency: string;
  poNumber?: string;
  paymentTerms?: string;
  seller: { name: string; vatId?: string; taxRegistration?: string };
  buyer: { name: string };
  lines: EInvoiceLineSpec[];
  allowancesCharges?: Array<{ charge: boolean; amount: string; vatRate: string; reason: string }>;
  prepaid?: string;
}

export type CiiProfile = 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED' | 'XRECHNUNG';
export const CII_GUIDELINES: Record<CiiProfile, string> = {
  MINIMUM: 'urn:factur-x.eu:1p0:minimum',
  'BASIC WL': 'urn:factur-x.eu:1p0:basicwl',
  BASIC: 'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic',
  'EN 16931': 'urn:cen.eu:en16931:2017',
  EXTENDED: 'urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended',
  XRECHNUNG: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0',
};
export const UBL_CUSTOMIZATIONS = {
  XRECHNUNG: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0',
  PEPPOL: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  'EN 16931': 'urn:cen.eu:en16931:2017',
} as const;

// ---- amounts (EN 16931 calculation model, integer cents) ----

const cents = (d: string) => {
  const negative = d.startsWith('-');
  const [w = '0', f = ''] = d.replace('-', '').split('.');
  const value = Number(w) * 100 + Number(f.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
};
const dec = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.trunc(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const roundHalfUp = (x: number) => Math.sign(x) * Math.round(Math.abs(x) + 1e-9);

export interface EInvoiceAmounts {
  lineAmounts: string[];
  lineTotal: string; // BT-106
  allowances: string; // BT-107
  charges: string; // BT-108
  taxBasis: string; // BT-109
  vat: Array<{ rate: string; category: string; basis: string; tax: string }>;
  tax: string; // BT-110
  grand: string; // BT-112
  prepaid: string; // BT-113
  due: string; // BT-115
}

export function eInvoiceAmounts(spec: EInvoiceSpec): EInvoiceAmounts {
  const lineCents = spec.lines.map((l) => roundHalfUp((Number(l.quantity) * 1000 * cents(l.netPrice)) / 1000));
  const ac = spec.allowancesCharges ?? [];
  const allowances = ac.filter((a) => !a.charge).reduce((s, a) => s + cents(a.amount), 0);
  const charges = ac.filter((a) => a.charge).reduce((s, a) => s + cents(a.amount), 0);
  const rates = [...new Set([...spec.lines.map((l) => l.vatRate), ...ac.map((a) => a.vatRate)])];
  const vat = rates.map((rate) => {
    const basis =
      spec.lines.reduce((s, l, i) => s + (l.vatRate === rate ? lineCents[i]! : 0), 0) +
      ac.reduce((s, a) => s + (a.vatRate === rate ? (a.charge ? 1 : -1) * cents(a.amount) : 0), 0);
    const tax = roundHalfUp((basis * Number(rate)) / 100);
    return { rate, category: Number(rate) === 0 ? 'Z' : 'S', basis: dec(basis), tax: dec(tax), taxCents: tax };
  });
  const lineTotal = lineCents.reduce((a, b) => a + b, 0);
  const taxBasis = lineTotal - allowances + charges;
  const tax = vat.reduce((s, v) => s + v.taxCents, 0);
  const prepaid = cents(spec.prepaid ?? '0');
  return {
    lineAmounts: lineCents.map(dec),
    lineTotal: dec(lineTotal),
    allowances: dec(allowances),
    charges: dec(charges),
    taxBasis: dec(taxBasis),
    vat: vat.map(({ rate, category, basis, tax: t }) => ({ rate, category, basis, tax: t })),
    tax: dec(tax),
    grand: dec(taxBasis + tax),
    prepaid: dec(prepaid),
    due: dec(taxBasis + tax - prepaid),
  };
}

// ---- XML writers ----

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const d102 = (iso: string) => iso.replace(/-/g, '');
interface Markup {
  markup: string;
}
type Tree = Markup | '' | false | undefined | Tree[];
const flat = (t: Tree): string => (Array.isArray(t) ? t.map(flat).join('') : t ? t.markup : '');
/** An element; string content is text (escaped), anything else is markup. */
const el = (
  name: string,
  content: string | Markup | false | undefined | Tree[],
  attrs: Record<string, string> = {},
): Markup => ({
  markup: `<${name}${Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('')}>${typeof content === 'string' ? esc(content) : flat(content)}</${name}>`,
});
const opt = (value: string | undefined, render: (v: string) => Markup): Tree =>
  value === undefined ? '' : render(value);

export interface CiiOptions {
  profile?: CiiProfile;
  /** Write ZUGFeRD 1.0 (CrossIndustryDocument) instead of CII D16B. */
  zugferd1?: boolean;
  /** Prefixes to use instead of rsm/ram/udt: readers must resolve namespaces, not assume prefixes. */
  prefixes?: { rsm: string; ram: string; udt: string };
  /** Override what the summation says (to break BR-CO rules on purpose). */
  totals?: Partial<EInvoiceAmounts>;
}

export function toCii(spec: EInvoiceSpec, opts: CiiOptions = {}): string {
  const a = { ...eInvoiceAmounts(spec), ...opts.totals };
  const v1 = opts.zugferd1 === true;
  const p = opts.prefixes ?? { rsm: 'rsm', ram: 'ram', udt: 'udt' };
  const rsm = (n: string) => `${p.rsm}:${n}`;
  const ram = (n: string) => `${p.ram}:${n}`;
  const udt = (n: string) => `${p.udt}:${n}`;
  const ns = v1
    ? {
        rsm: 'urn:ferd:CrossIndustryDocument:invoice:1p0',
        ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12',
        udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15',
      }
    : {
        rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
        ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
        udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
      };
  const guideline = v1
    ? `urn:ferd:CrossIndustryDocument:invoice:1p0:${opts.profile === 'EXTENDED' ? 'extended' : opts.profile === 'BASIC' ? 'basic' : 'comfort'}`
    : CII_GUIDELINES[opts.profile ?? 'EN 16931'];
  const date = (iso: string) => el(udt('DateTimeString'), d102(iso), { format: '102' });
  const lineless = opts.profile === 'MINIMUM' || opts.profile === 'BASIC WL';
  const taxOf = (rate: string, category: string, extra: Tree = []) => [
    el(ram('TypeCode'), 'VAT'),
    extra,
    el(ram('CategoryCode'), category),
    el(ram(v1 ? 'ApplicablePercent' : 'RateApplicablePercent'), rate),
  ];

  const lines = lineless
    ? []
    : spec.lines.map((l, i) => {
        const product = el(ram('SpecifiedTradeProduct'), [
          opt(l.sellerItemId, (id) => el(ram('SellerAssignedID'), id)),
          el(ram('Name'), l.name),
        ]);
        const agreement = el(ram(v1 ? 'SpecifiedSupplyChainTradeAgreement' : 'SpecifiedLineTradeAgreement'), [
          opt(l.orderLineRef, (ref) => el(ram('BuyerOrderReferencedDocument'), el(ram('LineID'), ref))),
          el(ram('NetPriceProductTradePrice'), el(ram('ChargeAmount'), l.netPrice)),
        ]);
        const delivery = el(
          ram(v1 ? 'SpecifiedSupplyChainTradeDelivery' : 'SpecifiedLineTradeDelivery'),
          el(ram('BilledQuantity'), l.quantity, { unitCode: l.unit }),
        );
        const settlement = el(ram(v1 ? 'SpecifiedSupplyChainTradeSettlement' : 'SpecifiedLineTradeSettlement'), [
          el(ram('ApplicableTradeTax'), taxOf(l.vatRate, Number(l.vatRate) === 0 ? 'Z' : 'S')),
          el(
            ram(v1 ? 'SpecifiedTradeSettlementMonetarySummation' : 'SpecifiedTradeSettlementLineMonetarySummation'),
            el(ram('LineTotalAmount'), a.lineAmounts[i]),
          ),
        ]);
        return el(ram('IncludedSupplyChainTradeLineItem'), [
          el(ram('AssociatedDocumentLineDocument'), el(ram('LineID'), l.id)),
          v1 ? [agreement, delivery, settlement, product] : [product, agreement, delivery, settlement],
        ]);
      });
  const seller = el(ram('SellerTradeParty'), [
    el(ram('Name'), spec.seller.name),
    el(ram('PostalTradeAddress'), el(ram('CountryID'), 'DE')),
    opt(spec.seller.taxRegistration, (id) =>
      el(ram('SpecifiedTaxRegistration'), el(ram('ID'), id, { schemeID: 'FC' })),
    ),
    opt(spec.seller.vatId, (id) => el(ram('SpecifiedTaxRegistration'), el(ram('ID'), id, { schemeID: 'VA' }))),
  ]);
  const agreement = el(ram(v1 ? 'ApplicableSupplyChainTradeAgreement' : 'ApplicableHeaderTradeAgreement'), [
    el(ram('BuyerReference'), '04011000-12345-03'),
    seller,
    el(ram('BuyerTradeParty'), el(ram('Name'), spec.buyer.name)),
    opt(spec.poNumber, (po) => el(ram('BuyerOrderReferencedDocument'), el(ram(v1 ? 'ID' : 'IssuerAssignedID'), po))),
  ]);
  const currency = { currencyID: spec.currency };
  const settlement = el(ram(v1 ? 'ApplicableSupplyChainTradeSettlement' : 'ApplicableHeaderTradeSettlement'), [
    el(ram('InvoiceCurrencyCode'), spec.currency),
    opts.profile === 'MINIMUM'
      ? []
      : a.vat.map((v) =>
          el(
            ram('ApplicableTradeTax'),
            [el(ram('CalculatedAmount'), v.tax), taxOf(v.rate, v.category, el(ram('BasisAmount'), v.basis))].flat(),
          ),
        ),
    (spec.allowancesCharges ?? []).map((ac) =>
      el(ram('SpecifiedTradeAllowanceCharge'), [
        el(ram('ChargeIndicator'), el(udt('Indicator'), ac.charge ? 'true' : 'false')),
        el(ram('ActualAmount'), ac.amount),
        el(ram('Reason'), ac.reason),
        el(ram('CategoryTradeTax'), taxOf(ac.vatRate, Number(ac.vatRate) === 0 ? 'Z' : 'S')),
      ]),
    ),
    spec.paymentTerms || spec.dueDate
      ? el(ram('SpecifiedTradePaymentTerms'), [
          opt(spec.paymentTerms, (t) => el(ram('Description'), t)),
          opt(spec.dueDate, (d) => el(ram('DueDateDateTime'), date(d))),
        ])
      : '',
    el(ram(v1 ? 'SpecifiedTradeSettlementMonetarySummation' : 'SpecifiedTradeSettlementHeaderMonetarySummation'), [
      lineless ? '' : el(ram('LineTotalAmount'), a.lineTotal),
      spec.allowancesCharges?.length
        ? [el(ram('ChargeTotalAmount'), a.charges), el(ram('AllowanceTotalAmount'), a.allowances)]
        : '',
      el(ram('TaxBasisTotalAmount'), a.taxBasis),
      el(ram('TaxTotalAmount'), a.tax, currency),
      el(ram('GrandTotalAmount'), a.grand),
      spec.prepaid ? el(ram('TotalPrepaidAmount'), a.prepaid) : '',
      el(ram('DuePayableAmount'), a.due),
    ]),
  ]);
  const body: Tree[] = [
    el(
      rsm(v1 ? 'SpecifiedExchangedDocumentContext' : 'ExchangedDocumentContext'),
      el(ram('GuidelineSpecifiedDocumentContextParameter'), el(ram('ID'), guideline)),
    ),
    el(rsm(v1 ? 'HeaderExchangedDocument' : 'ExchangedDocument'), [
      el(ram('ID'), spec.invoiceNumber),
      v1 ? el(ram('Name'), spec.typeCode === '381' ? 'GUTSCHRIFT' : 'RECHNUNG') : '',
      el(ram('TypeCode'), spec.typeCode ?? '380'),
      el(ram('IssueDateTime'), date(spec.issueDate)),
    ]),
    el(
      rsm(v1 ? 'SpecifiedSupplyChainTradeTransaction' : 'SupplyChainTradeTransaction'),
      v1
        ? [agreement, el(ram('ApplicableSupplyChainTradeDelivery'), ''), settlement, lines]
        : [lines, agreement, el(ram('ApplicableHeaderTradeDelivery'), ''), settlement],
    ),
  ];
  const root = rsm(v1 ? 'CrossIndustryDocument' : 'CrossIndustryInvoice');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(root, body, { [`xmlns:${p.rsm}`]: ns.rsm, [`xmlns:${p.ram}`]: ns.ram, [`xmlns:${p.udt}`]: ns.udt }).markup}\n`;
}

export interface UblOptions {
  customization?: keyof typeof UBL_CUSTOMIZATIONS;
  /** Write a UBL CreditNote (root CreditNote, CreditNoteLine, CreditedQuantity). */
  creditNote?: boolean;
  totals?: Partial<EInvoiceAmounts>;
}

export function toUbl(spec: EInvoiceSpec, opts: UblOptions = {}): string {
  const a = { ...eInvoiceAmounts(spec), ...opts.totals };
  const credit = opts.creditNote === true;
  const cbc = (n: string) => `cbc:${n}`;
  const cac = (n: string) => `cac:${n}`;
  const money = (name: string, value: string) => el(cbc(name), value, { currencyID: spec.currency });
  const category = (rate: string, cat = Number(rate) === 0 ? 'Z' : 'S') => [
    el(cbc('ID'), cat),
    el(cbc('Percent'), rate),
    el(cac('TaxScheme'), el(cbc('ID'), 'VAT')),
  ];
  const party = (name: string, extra: Tree = []) =>
    el(cac('Party'), [
      el(cac('PartyName'), el(cbc('Name'), name)),
      el(cac('PostalAddress'), el(cac('Country'), el(cbc('IdentificationCode'), 'DE'))),
      extra,
      el(cac('PartyLegalEntity'), el(cbc('RegistrationName'), name)),
    ]);
  const sellerSchemes = [
    opt(spec.seller.vatId, (id) =>
      el(cac('PartyTaxScheme'), [el(cbc('CompanyID'), id), el(cac('TaxScheme'), el(cbc('ID'), 'VAT'))]),
    ),
    opt(spec.seller.taxRegistration, (id) =>
      el(cac('PartyTaxScheme'), [el(cbc('CompanyID'), id), el(cac('TaxScheme'), el(cbc('ID'), 'FC'))]),
    ),
  ];
  const body: Tree[] = [
    el(cbc('CustomizationID'), UBL_CUSTOMIZATIONS[opts.customization ?? 'XRECHNUNG']),
    el(cbc('ProfileID'), 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'),
    el(cbc('ID'), spec.invoiceNumber),
    el(cbc('IssueDate'), spec.issueDate),
    !credit && spec.dueDate ? el(cbc('DueDate'), spec.dueDate) : '',
    el(cbc(credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode'), spec.typeCode ?? (credit ? '381' : '380')),
    el(cbc('DocumentCurrencyCode'), spec.currency),
    el(cbc('BuyerReference'), '04011000-12345-03'),
    opt(spec.poNumber, (po) => el(cac('OrderReference'), el(cbc('ID'), po))),
    el(cac('AccountingSupplierParty'), party(spec.seller.name, sellerSchemes)),
    el(cac('AccountingCustomerParty'), party(spec.buyer.name)),
    el(cac('PaymentMeans'), [
      el(cbc('PaymentMeansCode'), '58'),
      credit && spec.dueDate ? el(cbc('PaymentDueDate'), spec.dueDate) : '',
    ]),
    opt(spec.paymentTerms, (t) => el(cac('PaymentTerms'), el(cbc('Note'), t))),
    (spec.allowancesCharges ?? []).map((ac) =>
      el(cac('AllowanceCharge'), [
        el(cbc('ChargeIndicator'), ac.charge ? 'true' : 'false'),
        el(cbc('AllowanceChargeReason'), ac.reason),
        money('Amount', ac.amount),
        el(cac('TaxCategory'), category(ac.vatRate)),
      ]),
    ),
    el(cac('TaxTotal'), [
      money('TaxAmount', a.tax),
      a.vat.map((v) =>
        el(cac('TaxSubtotal'), [
          money('TaxableAmount', v.basis),
          money('TaxAmount', v.tax),
          el(cac('TaxCategory'), category(v.rate, v.category)),
        ]),
      ),
    ]),
    el(cac('LegalMonetaryTotal'), [
      money('LineExtensionAmount', a.lineTotal),
      money('TaxExclusiveAmount', a.taxBasis),
      money('TaxInclusiveAmount', a.grand),
      spec.allowancesCharges?.length
        ? [money('AllowanceTotalAmount', a.allowances), money('ChargeTotalAmount', a.charges)]
        : '',
      spec.prepaid ? money('PrepaidAmount', a.prepaid) : '',
      money('PayableAmount', a.due),
    ]),
    spec.lines.map((l, i) =>
      el(cac(credit ? 'CreditNoteLine' : 'InvoiceLine'), [
        el(cbc('ID'), l.id),
        el(cbc(credit ? 'CreditedQuantity' : 'InvoicedQuantity'), l.quantity, { unitCode: l.unit }),
        money('LineExtensionAmount', a.lineAmounts[i]!),
        opt(l.orderLineRef, (ref) => el(cac('OrderLineReference'), el(cbc('LineID'), ref))),
        el(cac('Item'), [
          el(cbc('Name'), l.name),
          opt(l.sellerItemId, (id) => el(cac('SellersItemIdentification'), el(cbc('ID'), id))),
          el(cac('ClassifiedTaxCategory'), category(l.vatRate)),
        ]),
        el(cac('Price'), money('PriceAmount', l.netPrice)),
      ]),
    ),
  ];
  const root = credit ? 'CreditNote' : 'Invoice';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${
    el(root, body, {
      xmlns: `urn:oasis:names:specification:ubl:schema:xsd:${root}-2`,
      'xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
      'xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
    }).markup
  }\n`;
}

// ---- Factur-X embedding ----

export interface FacturXOptions {
  /** The XML to embed (default: the spec as CII EN 16931). */
  xml?: string | Uint8Array;
  /** null: attach nothing (the XMP still names factur-x.xml). */
  attachmentName?: string | null;
  /** XMP fx:ConformanceLevel; null writes no XMP at all. */
  conformanceLevel?: string | null;
  /** What the visible page prints, when a test wants it to disagree with the XML. */
  printed?: { invoiceNumber?: string; total?: string; poNumber?: string };
}

/** A hybrid PDF: a visible invoice drawn from the spec, the XML attached as Factur-X prescribes. */
export async function makeFacturXPdf(spec: EInvoiceSpec, opts: FacturXOptions = {}): Promise<Uint8Array> {
  const amounts = eInvoiceAmounts(spec);
  const visible = await makeInvoicePdf({
    invoiceNumber: opts.printed?.invoiceNumber ?? spec.invoiceNumber,
    vendorName: spec.seller.name,
    invoiceDate: spec.issueDate,
    dueDate: spec.dueDate,
    poNumber: opts.printed?.poNumber ?? spec.poNumber,
    currency: spec.currency,
    lines: spec.lines.map((l) => ({ description: l.name, quantity: Number(l.quantity), unitPrice: l.netPrice })),
    taxRate: spec.lines[0]?.vatRate,
    printedTotal: opts.printed?.total ?? amounts.grand,
  });
  const pdf = await PDFDocument.load(visible);
  const name = opts.attachmentName ?? 'factur-x.xml';
  const xml = opts.xml ?? toCii(spec);
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml;
  if (opts.attachmentName !== null) {
    await pdf.attach(bytes, name, {
      mimeType: 'text/xml',
      description: 'Factur-X invoice',
      creationDate: new Date('2026-01-01T00:00:00Z'),
      modificationDate: new Date('2026-01-01T00:00:00Z'),
      afRelationship: AFRelationship.Alternative,
    });
  }
  if (opts.conformanceLevel !== null) {
    const xmp = [
      '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>',
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
      '<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">',
      `<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>${esc(name)}</fx:DocumentFileName>`,
      `<fx:Version>1.0</fx:Version><fx:ConformanceLevel>${esc(opts.conformanceLevel ?? 'EN 16931')}</fx:ConformanceLevel>`,
      '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>',
    ].join('\n');
    const stream = pdf.context.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
    pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(stream));
  }
  // Fixed dates: the same spec gives the same bytes (workflow ids derive from the file's hash).
  pdf.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  return pdf.save({ useObjectStreams: false });
}

// ---- seeded specs ----

const SELLERS = [
  { name: 'Müller & Söhne Präzisionsteile GmbH', vatId: 'DE123456789', taxRegistration: '201/113/40209' },
  { name: 'Acier Lyonnais SAS', vatId: 'FR32123456789' },
  { name: 'Van Dijk Kunststoffen B.V.', vatId: 'NL123456789B01' },
  { name: 'Nordic Bearings AB <Sales>', taxRegistration: '556677-8899' },
];
const ITEMS = [
  ['Hex bolt M8x40, zinc', 'H87', '0.42'],
  ['Ball bearing 6204-2RS', 'H87', '3.85'],
  ['Steel sheet 2 mm', 'KGM', '2.15'],
  ['Hydraulic hose DN12', 'MTR', '7.90'],
  ['Cutting oil 20 l', 'C62', '54.00'],
] as const;

/** A realistic spec from a seed: several lines, one to three VAT rates, sometimes allowances and charges. */
export function eInvoiceSpec(seed: number, overrides: Partial<EInvoiceSpec> = {}): EInvoiceSpec {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const rates = pick([['19'], ['19', '7'], ['20', '5.5', '0'], ['21']]);
  const lineCount = 1 + Math.floor(rnd() * 5);
  const day = 1 + Math.floor(rnd() * 27);
  const lines = Array.from({ length: lineCount }, (_, i) => {
    const [name, unit, price] = pick(ITEMS);
    return {
      id: String(i + 1),
      name,
      quantity: String(1 + Math.floor(rnd() * 200)) + (rnd() < 0.2 ? '.5' : ''),
      unit,
      netPrice: (Number(price) + Math.floor(rnd() * 100) / 100).toFixed(2),
      vatRate: rates[i % rates.length]!,
      orderLineRef: String((i + 1) * 10),
      sellerItemId: `ART-${1000 + Math.floor(rnd() * 9000)}`,
    };
  });
  const allowancesCharges =
    rnd() < 0.5
      ? [
          { charge: false, amount: (5 + Math.floor(rnd() * 20)).toFixed(2), vatRate: rates[0]!, reason: 'Discount' },
          { charge: true, amount: '12.50', vatRate: rates[0]!, reason: 'Freight' },
        ]
      : undefined;
  return {
    invoiceNumber: `RE-2026-${String(10000 + Math.floor(rnd() * 89999))}`,
    issueDate: `2026-10-${String(day).padStart(2, '0')}`,
    dueDate: `2026-11-${String(day).padStart(2, '0')}`,
    currency: pick(['EUR', 'EUR', 'USD', 'GBP']),
    poNumber: `45${String(Math.floor(rnd() * 10_000_000)).padStart(8, '0')}`,
    paymentTerms: pick([
      'Zahlbar innerhalb 30 Tagen netto',
      '2% Skonto bei Zahlung binnen 10 Tagen, 30 Tage netto',
      'Net 30',
    ]),
    seller: pick(SELLERS),
    buyer: { name: 'Example Manufacturing Inc.' },
    lines,
    allowancesCharges,
    ...overrides,
  };
}

/** The Extraction values a reader must produce for a spec (credit notes negated, per our rule). */
export function expectedFields(spec: EInvoiceSpec, credit = spec.typeCode === '381') {
  const a = eInvoiceAmounts(spec);
  const sign = (v: string) => (credit && !/^0\.00$/.test(v) ? (v.startsWith('-') ? v.slice(1) : `-${v}`) : v);
  return {
    invoiceNumber: spec.invoiceNumber,
    invoiceDate: spec.issueDate,
    dueDate: spec.dueDate ?? null,
    vendorName: spec.seller.name,
    vendorTaxId: spec.seller.vatId ?? spec.seller.taxRegistration ?? null,
    currency: spec.currency,
    subtotal: sign(a.taxBasis),
    tax: sign(a.tax),
    total: sign(a.grand),
    amountDue: sign(a.due),
    poNumbers: spec.poNumber ? [spec.poNumber] : null,
    paymentTerms: spec.paymentTerms ?? null,
    billTo: spec.buyer.name,
  };
}

/** An e-invoice for a PO seeded in the simulator (0% VAT, so the total is the PO amount), one line per PO line. */
export function eInvoiceSpecForPo(
  inv: {
    invoiceNumber: string;
    invoiceDate: string;
    poNumber: string;
    vendorName: string;
    lines: { description: string; quantity: number; unitPrice: string }[];
  },
  overrides: Partial<EInvoiceSpec> = {},
): EInvoiceSpec {
  return {
    invoiceNumber: inv.invoiceNumber,
    issueDate: inv.invoiceDate,
    currency: 'USD',
    poNumber: inv.poNumber,
    paymentTerms: 'Net 30',
    seller: { name: inv.vendorName, vatId: 'DE123456789' },
    buyer: { name: 'Example Manufacturing Inc.' },
    lines: inv.lines.map((l, i) => ({
      id: String(i + 1),
      name: l.description,
      quantity: String(l.quantity),
      unit: 'H87',
      netPrice: l.unitPrice,
      vatRate: '0',
      orderLineRef: String(i + 1),
    })),
    ...overrides,
  };
}
