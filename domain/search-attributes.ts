// Search attributes kept current by the invoice workflow so ops can filter in the Temporal Web UI,
// e.g. InvoiceStatus = "sync_failed". The dev server registers them at start (scripts/lib/temporal.ts);
// docker-compose users register them with `temporal operator search-attribute create`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const InvoiceStatusKey = defineSearchAttributeKey('InvoiceStatus', SearchAttributeType.KEYWORD);
export const VendorNameKey = defineSearchAttributeKey('VendorName', SearchAttributeType.KEYWORD);
export const PoNumberKey = defineSearchAttributeKey('PoNumber', SearchAttributeType.KEYWORD);
export const InvoiceNumberKey = defineSearchAttributeKey('InvoiceNumber', SearchAttributeType.KEYWORD);
export const InvoiceTotalKey = defineSearchAttributeKey('InvoiceTotal', SearchAttributeType.DOUBLE);
/** The approval policy step an invoice waits on (e.g. "Controller"); unset when it waits on none. */
export const ApprovalStepKey = defineSearchAttributeKey('ApprovalStep', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [
  InvoiceStatusKey,
  VendorNameKey,
  PoNumberKey,
  InvoiceNumberKey,
  InvoiceTotalKey,
  ApprovalStepKey,
];

/** `Name=Type` pairs as the Temporal CLI's --search-attribute flag wants them. */
export const SEARCH_ATTRIBUTE_FLAGS: string[] = [
  'InvoiceStatus=Keyword',
  'VendorName=Keyword',
  'PoNumber=Keyword',
  'InvoiceNumber=Keyword',
  'InvoiceTotal=Double',
  'ApprovalStep=Keyword',
];
