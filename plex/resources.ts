// The fields Plex publishes for each resource PlexSync reads (Plex Connect's generated reference, as
// summarised in docs/plex.md). The client's wire schemas (plex/schemas.ts) may only read fields listed
// here and the simulator may only send these (test/plex/contract.test.ts), so a misspelt field such as
// a receipt's `pOId` (a query parameter's spelling, not the body's) fails a test instead of reading null.

export const PLEX_RESOURCE_FIELDS = {
  apInvoice: [
    'id', 'invoiceNumber', 'supplierId', 'supplierCode', 'supplierAddressId', 'supplierAddressCode',
    'status', 'type', 'poNumber', 'poId', 'shipperNo', 'shipperId', 'externalReferenceCode', 'voucherNumber',
    'governmentIssuedNumber', 'taxId', 'buildingCode', 'department',
    'periodDisplay', 'transactionDate', 'dueDate', 'discountDueDate', 'expectedPayDate', 'taxableDate', 'exchangeRateDate',
    'currencyCode', 'exchangeRate', 'amount', 'balance', 'discount', 'discountableAmount', 'foreignCurrencyAmount',
    'foreignCurrencyBalance', 'totalControlAmount',
    'booked', 'paid', 'paidDate', 'paidPeriod', 'debitMemo', 'intercompany',
    'terms', 'internalNote', 'checkNote', 'createdById', 'createdDate', 'modifiedById', 'modifiedDate', 'lines',
  ],
  purchaseOrder: [
    'id', 'poNumber', 'status', 'type', 'active', 'receive', 'blanketOrder', 'consignment',
    'supplierId', 'supplierAddressId', 'contactId', 'carrierId',
    'poDate', 'orderedDate', 'dueDate', 'scheduledReceiptDate', 'approvedDate',
    'currencyCode', 'lineItemCount', 'lineItemTotal',
    'terms', 'freightTerms', 'incoTerms', 'fob', 'shipTo', 'shipVia', 'building', 'department',
    'note', 'internalNote', 'createdById', 'createdDate', 'modifiedById', 'modifiedDate',
  ],
  /** No ordered quantity: only `blanketQuantity` (blanket orders); quantities ordered live on releases. */
  purchaseOrderLine: [
    'id', 'lineItemNumber', 'status', 'description', 'unitPrice', 'unit', 'orderUnit', 'supplierPartNumber',
    'partId', 'itemId', 'taxCode', 'accountId', 'blanketQuantity',
  ],
  /** Query parameters are pOId / pOLineItemId; the body says poId / poLineItemId. */
  receipt: [
    'id', 'poId', 'poLineItemId', 'supplierId', 'partId', 'itemId', 'operationCode', 'releaseId',
    'supplierShipperNumber', 'receiveDate', 'receivedById', 'createdDate', 'quantity', 'priceUnit', 'orderUnit',
    'unitPrice', 'unitPriceOriginal', 'estimatedPrice', 'inventoryUnit', 'exchangeRate', 'taxRate', 'modifiedById',
  ],
  /** No tax id here: that is in the supplier's financials. */
  supplier: [
    'id', 'code', 'oldCode', 'name', 'language', 'category', 'status', 'type', 'parentSupplierId', 'webAddress',
    'contactNote', 'note', 'createdById', 'createdDate', 'modifiedById', 'modifiedDate',
  ],
  supplierFinancials: [
    'taxId', 'taxIdType', 'ibanNo', 'swiftNo', 'bankAccountNo', 'bankRoutingNo', 'bankName', 'dunsNo', 'paymentStatus',
  ],
  tenant: ['id', 'code', 'name'],
} as const;

export type PlexResource = keyof typeof PLEX_RESOURCE_FIELDS;
