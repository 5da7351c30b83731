// What the JSON API answers, as zod schemas: the OpenAPI document (api/openapi.ts) is generated from them,
// each route's handler is type-checked against them, and test/web/openapi.test.ts checks real answers
// against the served document. Domain schemas are reused where the domain has them.
import { z } from 'zod';
import { DecimalString, Extraction, IsoDate, PickedBox } from '../domain/extraction.js';
import { InvoiceStatus, ReviewAction, SplitPart } from '../domain/invoice.js';
import { MatchResult } from '../domain/match.js';
import { PolicyStep } from '../domain/policy.js';

/** A moment as JSON carries it: ISO 8601 in UTC ("2026-10-01T08:30:00.000Z"). */
const Timestamp = z.iso.datetime();

/**
 * A named schema (a component of the document) or null. Not `.nullable()`: on a named schema the generator
 * writes `allOf: [schema, {type: [object, null]}]`, which null does not satisfy.
 */
const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

// Domain schemas, named in the document.
const ExtractionView = Extraction.meta({
  id: 'Extraction',
  description: 'What the reading found: fields with confidence and where on the page, line items, warnings.',
});
const MatchView = MatchResult.meta({
  id: 'MatchResult',
  description: 'Which Plex PO and "Received" placeholder the invoice belongs to, and why.',
});

/** Every error: the message says what to do; `requestId` (when there is one) finds the request in the log. */
export const ErrorBody = z.object({ error: z.object({ message: z.string(), requestId: z.string().optional() }) }).meta({
  id: 'Error',
  description:
    'An error: the message says what went wrong, and the request id (when there is one) finds it in the log.',
});

// ---- the read model (one row of the queue) ----

const ApprovalPathStep = z.object({
  name: z.string(),
  who: z.string().meta({ description: 'Who may approve, in words ("2 of role clerk", "ann@example.com").' }),
  required: z.number().int(),
  sla: z.string(),
  approvals: z.array(
    z.object({ actor: z.string(), onBehalfOf: z.string().nullable(), at: Timestamp, override: z.boolean() }),
  ),
  startedAt: Timestamp.nullable(),
  escalatedAt: Timestamp.nullable(),
  doneAt: Timestamp.nullable(),
});

export const ApprovalPath = z
  .object({
    policyVersion: z.number().int(),
    ruleIndex: z.number().int(),
    rule: z.string(),
    autoApprove: z.object({ allowed: z.boolean(), threshold: z.number() }),
    steps: z.array(ApprovalPathStep),
    current: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The step waiting for approval (index into steps), or null.' }),
    correctedBy: z.array(z.string()),
    evaluation: z.number().int(),
  })
  .meta({
    id: 'ApprovalPath',
    description: 'The approval policy rule the invoice fell under and how far its steps have come.',
  });

export const InvoiceRow = z
  .object({
    id: z.string(),
    documentSha256: z.string().regex(/^[0-9a-f]{64}$/),
    fileName: z.string(),
    status: InvoiceStatus,
    uploadedBy: z.string(),
    vendorName: z.string().nullable(),
    invoiceNumber: z.string().nullable(),
    poNumber: z.string().nullable(),
    currency: z.string().nullable(),
    total: DecimalString.nullable(),
    invoiceDate: IsoDate.nullable(),
    confidence: z.number().nullable(),
    autoApproved: z.boolean().nullable(),
    escalatedAt: Timestamp.nullable(),
    syncedAt: Timestamp.nullable(),
    lastError: z.string().nullable(),
    assignedTo: z.string().nullable(),
    workflowStartedAt: Timestamp.nullable().meta({
      description: 'When its workflow was started; null while it waits for one.',
    }),
    approval: z
      .object({ path: ApprovalPath, step: PolicyStep.nullable(), uploadedBy: z.string() })
      .nullable()
      .meta({ description: 'The approval policy step it waits on, or null.' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'InvoiceRow', description: 'An invoice as the queue lists it (the read model).' });

// ---- the workflow's state ----

const Decision = z.object({
  id: z.string(),
  action: z.enum([...ReviewAction.options, 'auto_approve', 'recall']),
  actor: z.string(),
  reason: z.string().optional(),
  corrections: z.record(z.string(), z.string()),
  provenance: z.record(z.string(), PickedBox.optional()).optional(),
  at: Timestamp,
  step: z.string().optional(),
  onBehalfOf: z.string().nullable().optional(),
  override: z.boolean().optional(),
});

export const InvoiceState = z
  .object({
    invoiceId: z.string(),
    fileName: z.string(),
    documentSha256: z.string(),
    uploadedBy: z.string(),
    status: InvoiceStatus,
    escalated: z.boolean(),
    extraction: orNull(ExtractionView),
    fields: z
      .object({
        invoiceNumber: z.string().nullable(),
        poNumber: z.string().nullable(),
        vendorName: z.string().nullable(),
        total: z.string().nullable(),
        currency: z.string().nullable(),
        invoiceDate: z.string().nullable(),
      })
      .meta({ description: 'The values the sync uses: the extraction overlaid with the reviewers’ corrections.' }),
    match: orNull(MatchView),
    reviewReasons: z.array(z.string()),
    decisions: z.array(Decision),
    undo: z.object({ decisionId: z.string(), actor: z.string(), until: Timestamp }).nullable().optional(),
    hold: z
      .object({
        actor: z.string(),
        since: Timestamp,
        nextCheckAt: Timestamp,
        checks: z.number().int(),
        until: Timestamp,
      })
      .nullable()
      .optional(),
    openQuestions: z.array(z.string()).optional(),
    settling: z.string().nullable().optional(),
    sync: z.object({
      rounds: z.number().int(),
      lastError: z.string().nullable(),
      lastErrorType: z.string().nullable(),
      placeholderId: z.string().nullable(),
      writtenInvoiceNumber: z.string().nullable(),
      syncedAt: Timestamp.nullable(),
    }),
    errors: z.array(z.string()),
    updatedAt: Timestamp,
    approval: ApprovalPath.optional(),
    split: z
      .object({ parts: z.array(SplitPart) })
      .nullable()
      .optional(),
  })
  .meta({
    id: 'InvoiceState',
    description: 'The invoice workflow’s state (its query): extraction, match, decisions, sync.',
  });

// ---- answers of the routes ----

export const UploadResults = z
  .object({
    invoices: z.array(
      z.union([
        z.object({
          id: z.string(),
          invoiceId: z.string().meta({ description: 'The same as id.' }),
          fileName: z.string(),
          duplicate: z.boolean().meta({ description: 'The same file was received before: nothing new was started.' }),
          status: InvoiceStatus,
        }),
        z.object({ fileName: z.string(), error: z.object({ message: z.string(), status: z.number().int() }) }),
      ]),
    ),
  })
  .meta({
    id: 'UploadResults',
    description: 'One result per file, in the order sent: the invoice it became, or why it was refused.',
  });

export const InvoiceList = z.object({
  invoices: z.array(InvoiceRow),
  next: z
    .string()
    .nullable()
    .meta({ description: 'The cursor of the next page (pass it as ?cursor=), or null on the last page.' }),
});

export const InvoiceDetail = z.object({
  invoice: InvoiceRow,
  state: orNull(InvoiceState).meta({
    description: 'The workflow’s state; null when the workflow has not started or did not answer in time.',
  }),
  workflow: z.enum(['available', 'unavailable', 'not_started']),
});

export const DocumentWords = z.object({
  pages: z.array(
    z.object({
      page: z.number().int(),
      width: z.number(),
      height: z.number(),
      words: z.array(
        z.object({
          text: z.string(),
          box: z
            .tuple([z.number(), z.number(), z.number(), z.number()])
            .meta({ description: '[x, y, width, height] in the page’s units.' }),
        }),
      ),
    }),
  ),
});

export const Accepted = z.object({ accepted: z.literal(true), decisionId: z.string() });
export const Recalled = z.object({ recalled: z.literal(true), decisionId: z.string() });
export const Assigned = z.object({ outcome: z.enum(['assigned', 'released']) });
export const BulkOutcomes = z.object({
  outcomes: z.array(
    z.object({
      invoiceId: z.string(),
      outcome: z.enum(['approved', 'rejected', 'assigned', 'released', 'skipped']),
      reason: z.string().optional().meta({ description: 'Why it was skipped.' }),
    }),
  ),
});

export const InvoiceParts = z.object({
  parts: z.array(
    z.object({
      invoiceId: z.string(),
      fromPage: z.number().int(),
      toPage: z.number().int(),
      evidence: z.array(z.string()),
      round: z.number().int(),
    }),
  ),
  partOf: z.object({ sourceInvoiceId: z.string(), fromPage: z.number().int(), toPage: z.number().int() }).nullable(),
});
export const SplitParts = z.object({ parts: z.array(SplitPart) });
export const RetryAccepted = z.object({ accepted: z.literal(true) });

export const Comment = z
  .object({
    id: z.string(),
    author: z.string(),
    body: z.string(),
    kind: z.enum(['comment', 'question']),
    mentions: z.array(z.string()),
    createdAt: Timestamp,
    answeredAt: Timestamp.nullable(),
    answeredBy: z.string().nullable(),
  })
  .meta({ id: 'Comment' });
export const CommentThread = z.object({ comments: z.array(Comment) });
export const CommentOutcome = z.object({
  comment: Comment,
  notes: z
    .array(z.string())
    .meta({ description: 'What else to know (an unknown @mention, a notification that has not gone out yet).' }),
});
