// UN/CEFACT Cross Industry Invoice → EInvoiceData: Factur-X / ZUGFeRD 2.x / XRechnung CII (D16B) and
// ZUGFeRD 1.0 (CrossIndustryDocument). The two generations name the same business terms differently;
// one table of element names per generation keeps a single reader.
import { NS, profileOf } from './detect.js';
import {
  ciiDateOf,
  CREDIT_NOTE_TYPE_CODES,
  decimalOf,
  emptyData,
  textOf,
  type EInvoiceData,
  type EInvoiceLine,
} from './model.js';
import { all, childrenOf, first, type XmlElement } from './xml.js';

interface Generation {
  rsm: string;
  ram: string;
  udt: string;
  context: string;
  document: string;
  transaction: string;
  agreement: string;
  settlement: string;
  summation: string;
  orderId: string;
  taxRate: string;
  lineAgreement: string;
  lineDelivery: string;
  lineSettlement: string;
  lineSummation: string;
}

const D16B: Generation = {
  rsm: NS.rsm,
  ram: NS.ram,
  udt: NS.udt,
  context: 'ExchangedDocumentContext',
  document: 'ExchangedDocument',
  transaction: 'SupplyChainTradeTransaction',
  agreement: 'ApplicableHeaderTradeAgreement',
  settlement: 'ApplicableHeaderTradeSettlement',
  summation: 'SpecifiedTradeSettlementHeaderMonetarySummation',
  orderId: 'IssuerAssignedID',
  taxRate: 'RateApplicablePercent',
  lineAgreement: 'SpecifiedLineTradeAgreement',
  lineDelivery: 'SpecifiedLineTradeDelivery',
  lineSettlement: 'SpecifiedLineTradeSettlement',
  lineSummation: 'SpecifiedTradeSettlementLineMonetarySummation',
};

const ZUGFERD1: Generation = {
  rsm: NS.rsm1,
  ram: NS.ram1,
  udt: NS.udt1,
  context: 'SpecifiedExchangedDocumentContext',
  document: 'HeaderExchangedDocument',
  transaction: 'SpecifiedSupplyChainTradeTransaction',
  agreement: 'ApplicableSupplyChainTradeAgreement',
  settlement: 'ApplicableSupplyChainTradeSettlement',
  summation: 'SpecifiedTradeSettlementMonetarySummation',
  orderId: 'ID',
  taxRate: 'ApplicablePercent',
  lineAgreement: 'SpecifiedSupplyChainTradeAgreement',
  lineDelivery: 'SpecifiedSupplyChainTradeDelivery',
  lineSettlement: 'SpecifiedSupplyChainTradeSettlement',
  lineSummation: 'SpecifiedTradeSettlementMonetarySummation',
};

export function readCii(root: XmlElement, syntax: 'cii' | 'zugferd1'): EInvoiceData {
  const g = syntax === 'cii' ? D16B : ZUGFERD1;
  const data = emptyData(syntax);
  const { problems } = data;
  const rsm = (local: string): [string, string] => [g.rsm, local];
  const ram = (local: string): [string, string] => [g.ram, local];
  const dec = (el: XmlElement | undefined, term: string) => decimalOf(el, term, problems);

  data.guideline = textOf(first(root, rsm(g.context), ram('GuidelineSpecifiedDocumentContextParameter'), ram('ID')));
  data.profile = profileOf(data.guideline?.value);

  const doc = first(root, rsm(g.document));
  data.number = textOf(first(doc, ram('ID')));
  data.typeCode = textOf(first(doc, ram('TypeCode')));
  data.creditNote = CREDIT_NOTE_TYPE_CODES.has(data.typeCode?.value ?? '');
  data.issueDate = ciiDateOf(
    first(doc, ram('IssueDateTime'), [g.udt, 'DateTimeString']),
    'BT-2 invoice date',
    problems,
  );

  const transaction = first(root, rsm(g.transaction));
  const agreement = first(transaction, ram(g.agreement));
  const seller = first(agreement, ram('SellerTradeParty'));
  data.sellerName = textOf(first(seller, ram('Name')));
  for (const registration of childrenOf(seller, g.ram, 'SpecifiedTaxRegistration')) {
    const id = first(registration, ram('ID'));
    const scheme = id?.attrs.schemeID?.toUpperCase();
    if (scheme === 'VA') data.sellerVatId ??= textOf(id);
    else if (scheme === 'FC') data.sellerTaxRegistration ??= textOf(id);
  }
  data.buyerName = textOf(first(agreement, ram('BuyerTradeParty'), ram('Name')));
  data.purchaseOrder = textOf(first(agreement, ram('BuyerOrderReferencedDocument'), ram(g.orderId)));

  const settlement = first(transaction, ram(g.settlement));
  data.currency = textOf(first(settlement, ram('InvoiceCurrencyCode')));
  for (const tax of childrenOf(settlement, g.ram, 'ApplicableTradeTax')) {
    data.vatBreakdown.push({
      amount: dec(first(tax, ram('CalculatedAmount')), 'BT-117 VAT category tax amount'),
      basis: dec(first(tax, ram('BasisAmount')), 'BT-116 VAT category taxable amount'),
      rate: dec(first(tax, ram(g.taxRate)), 'BT-119 VAT rate'),
      category: textOf(first(tax, ram('CategoryCode'))),
    });
  }
  for (const allowanceCharge of childrenOf(settlement, g.ram, 'SpecifiedTradeAllowanceCharge')) {
    const indicator = textOf(first(allowanceCharge, ram('ChargeIndicator'), [g.udt, 'Indicator']))?.value;
    data.allowancesCharges.push({
      charge: indicator === 'true',
      amount: dec(first(allowanceCharge, ram('ActualAmount')), 'BT-92/BT-99 allowance or charge amount'),
    });
  }
  const terms = childrenOf(settlement, g.ram, 'SpecifiedTradePaymentTerms');
  data.paymentTerms = terms.map((t) => textOf(first(t, ram('Description')))).find(Boolean);
  data.dueDate = terms
    .map((t) => ciiDateOf(first(t, ram('DueDateDateTime'), [g.udt, 'DateTimeString']), 'BT-9 due date', problems))
    .find(Boolean);

  const sum = first(settlement, ram(g.summation));
  const currency = data.currency?.value;
  // BT-110 in the invoice currency; a second TaxTotalAmount may give it in the VAT accounting currency.
  const taxTotals = childrenOf(sum, g.ram, 'TaxTotalAmount');
  const taxTotal =
    taxTotals.find((t) => t.attrs.currencyID === currency) ??
    taxTotals.find((t) => !t.attrs.currencyID) ??
    taxTotals[0];
  data.totals = {
    lines: dec(first(sum, ram('LineTotalAmount')), 'BT-106 sum of line net amounts'),
    charges: dec(first(sum, ram('ChargeTotalAmount')), 'BT-108 sum of charges'),
    allowances: dec(first(sum, ram('AllowanceTotalAmount')), 'BT-107 sum of allowances'),
    taxBasis: dec(first(sum, ram('TaxBasisTotalAmount')), 'BT-109 total without VAT'),
    tax: dec(taxTotal, 'BT-110 total VAT'),
    rounding: dec(first(sum, ram('RoundingAmount')), 'BT-114 rounding amount'),
    grand: dec(first(sum, ram('GrandTotalAmount')), 'BT-112 total with VAT'),
    prepaid: dec(first(sum, ram('TotalPrepaidAmount')), 'BT-113 paid amount'),
    due: dec(first(sum, ram('DuePayableAmount')), 'BT-115 amount due'),
  };

  for (const item of childrenOf(transaction, g.ram, 'IncludedSupplyChainTradeLineItem'))
    data.lines.push(readLine(item, g, problems));
  return data;
}

function readLine(item: XmlElement, g: Generation, problems: string[]): EInvoiceLine {
  const ram = (local: string): [string, string] => [g.ram, local];
  const agreement = first(item, ram(g.lineAgreement));
  const netPrice = first(agreement, ram('NetPriceProductTradePrice'));
  const quantity = first(item, ram(g.lineDelivery), ram('BilledQuantity'));
  const product = first(item, ram('SpecifiedTradeProduct'));
  return {
    id: textOf(first(item, ram('AssociatedDocumentLineDocument'), ram('LineID'))),
    name: textOf(first(product, ram('Name'))),
    sellerItemId: textOf(first(product, ram('SellerAssignedID'))),
    quantity: decimalOf(quantity, 'BT-129 invoiced quantity', problems),
    unit: quantity?.attrs.unitCode
      ? { value: quantity.attrs.unitCode, xpath: `${quantity.xpath}/@unitCode` }
      : undefined,
    netPrice: decimalOf(first(netPrice, ram('ChargeAmount')), 'BT-146 item net price', problems),
    priceBaseQuantity: decimalOf(first(netPrice, ram('BasisQuantity')), 'BT-149 item price base quantity', problems),
    amount: decimalOf(
      all(item, ram(g.lineSettlement), ram(g.lineSummation), ram('LineTotalAmount'))[0],
      'BT-131 line net amount',
      problems,
    ),
    orderLineReference: textOf(first(agreement, ram('BuyerOrderReferencedDocument'), ram('LineID'))),
  };
}
