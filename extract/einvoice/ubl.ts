// OASIS UBL 2.1 Invoice / CreditNote → EInvoiceData: XRechnung UBL, Peppol BIS Billing 3.0 and any
// EN 16931 UBL invoice. Paths follow the EN 16931-3-2 UBL syntax binding.
import { NS, profileOf } from './detect.js';
import {
  CREDIT_NOTE_TYPE_CODES,
  decimalOf,
  emptyData,
  textOf,
  ublDateOf,
  type EInvoiceData,
  type EInvoiceLine,
} from './model.js';
import { childrenOf, first, type XmlElement } from './xml.js';

const cac = (local: string): [string, string] => [NS.cac, local];
const cbc = (local: string): [string, string] => [NS.cbc, local];

export function readUbl(root: XmlElement, syntax: 'ubl-invoice' | 'ubl-credit-note'): EInvoiceData {
  const data = emptyData(syntax);
  const { problems } = data;
  const dec = (el: XmlElement | undefined, term: string) => decimalOf(el, term, problems);
  const credit = syntax === 'ubl-credit-note';

  data.guideline = textOf(first(root, cbc('CustomizationID')));
  data.profile = profileOf(data.guideline?.value);
  data.number = textOf(first(root, cbc('ID')));
  data.issueDate = ublDateOf(first(root, cbc('IssueDate')), 'BT-2 invoice date', problems);
  data.typeCode = textOf(first(root, cbc(credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode')));
  data.creditNote = credit || CREDIT_NOTE_TYPE_CODES.has(data.typeCode?.value ?? '');
  data.currency = textOf(first(root, cbc('DocumentCurrencyCode')));
  // BT-9: cbc:DueDate on an Invoice; a CreditNote carries it on its payment means.
  data.dueDate =
    ublDateOf(first(root, cbc('DueDate')), 'BT-9 due date', problems) ??
    childrenOf(root, NS.cac, 'PaymentMeans')
      .map((m) => ublDateOf(first(m, cbc('PaymentDueDate')), 'BT-9 due date', problems))
      .find(Boolean);
  data.paymentTerms = childrenOf(root, NS.cac, 'PaymentTerms')
    .map((t) => textOf(first(t, cbc('Note'))))
    .find(Boolean);
  data.purchaseOrder = textOf(first(root, cac('OrderReference'), cbc('ID')));

  const seller = first(root, cac('AccountingSupplierParty'), cac('Party'));
  data.sellerName =
    textOf(first(seller, cac('PartyLegalEntity'), cbc('RegistrationName'))) ??
    textOf(first(seller, cac('PartyName'), cbc('Name')));
  for (const scheme of childrenOf(seller, NS.cac, 'PartyTaxScheme')) {
    const id = textOf(first(scheme, cbc('CompanyID')));
    // BT-31 is the VAT scheme; any other scheme is the seller's tax registration (BT-32).
    if (textOf(first(scheme, cac('TaxScheme'), cbc('ID')))?.value.toUpperCase() === 'VAT') data.sellerVatId ??= id;
    else data.sellerTaxRegistration ??= id;
  }
  const buyer = first(root, cac('AccountingCustomerParty'), cac('Party'));
  data.buyerName =
    textOf(first(buyer, cac('PartyLegalEntity'), cbc('RegistrationName'))) ??
    textOf(first(buyer, cac('PartyName'), cbc('Name')));

  for (const allowanceCharge of childrenOf(root, NS.cac, 'AllowanceCharge')) {
    data.allowancesCharges.push({
      charge: textOf(first(allowanceCharge, cbc('ChargeIndicator')))?.value === 'true',
      amount: dec(first(allowanceCharge, cbc('Amount')), 'BT-92/BT-99 allowance or charge amount'),
    });
  }
  const currency = data.currency?.value;
  // BT-110 is the TaxTotal in the document currency (a second one may give BT-111 in the VAT currency).
  const taxTotals = childrenOf(root, NS.cac, 'TaxTotal');
  const taxTotal = taxTotals.find((t) => first(t, cbc('TaxAmount'))?.attrs.currencyID === currency) ?? taxTotals[0];
  for (const subtotal of childrenOf(taxTotal, NS.cac, 'TaxSubtotal')) {
    data.vatBreakdown.push({
      basis: dec(first(subtotal, cbc('TaxableAmount')), 'BT-116 VAT category taxable amount'),
      amount: dec(first(subtotal, cbc('TaxAmount')), 'BT-117 VAT category tax amount'),
      rate: dec(first(subtotal, cac('TaxCategory'), cbc('Percent')), 'BT-119 VAT rate'),
      category: textOf(first(subtotal, cac('TaxCategory'), cbc('ID'))),
    });
  }
  const total = first(root, cac('LegalMonetaryTotal'));
  data.totals = {
    lines: dec(first(total, cbc('LineExtensionAmount')), 'BT-106 sum of line net amounts'),
    allowances: dec(first(total, cbc('AllowanceTotalAmount')), 'BT-107 sum of allowances'),
    charges: dec(first(total, cbc('ChargeTotalAmount')), 'BT-108 sum of charges'),
    taxBasis: dec(first(total, cbc('TaxExclusiveAmount')), 'BT-109 total without VAT'),
    tax: dec(first(taxTotal, cbc('TaxAmount')), 'BT-110 total VAT'),
    grand: dec(first(total, cbc('TaxInclusiveAmount')), 'BT-112 total with VAT'),
    prepaid: dec(first(total, cbc('PrepaidAmount')), 'BT-113 paid amount'),
    rounding: dec(first(total, cbc('PayableRoundingAmount')), 'BT-114 rounding amount'),
    due: dec(first(total, cbc('PayableAmount')), 'BT-115 amount due'),
  };

  const lineName = credit ? 'CreditNoteLine' : 'InvoiceLine';
  for (const line of childrenOf(root, NS.cac, lineName)) data.lines.push(readLine(line, credit, problems));
  return data;
}

function readLine(line: XmlElement, credit: boolean, problems: string[]): EInvoiceLine {
  const quantity = first(line, cbc(credit ? 'CreditedQuantity' : 'InvoicedQuantity'));
  const price = first(line, cac('Price'));
  const item = first(line, cac('Item'));
  return {
    id: textOf(first(line, cbc('ID'))),
    name: textOf(first(item, cbc('Name'))),
    sellerItemId: textOf(first(item, cac('SellersItemIdentification'), cbc('ID'))),
    quantity: decimalOf(quantity, 'BT-129 invoiced quantity', problems),
    unit: quantity?.attrs.unitCode
      ? { value: quantity.attrs.unitCode, xpath: `${quantity.xpath}/@unitCode` }
      : undefined,
    netPrice: decimalOf(first(price, cbc('PriceAmount')), 'BT-146 item net price', problems),
    priceBaseQuantity: decimalOf(first(price, cbc('BaseQuantity')), 'BT-149 item price base quantity', problems),
    amount: decimalOf(first(line, cbc('LineExtensionAmount')), 'BT-131 line net amount', problems),
    orderLineReference: textOf(first(line, cac('OrderLineReference'), cbc('LineID'))),
  };
}
