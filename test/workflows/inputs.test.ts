// The workflow code checks what it receives with valibot (domain/workflow-inputs.ts); the web parses the
// same shapes with zod. These tests hold each pair of twins to the same verdict and the same output on
// valid values and on values mutated at random (a key dropped, added or given another value), to the same
// TypeScript type, and keep zod out of the workflow bundle, which is why the twins exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as v from 'valibot';
import type { z } from 'zod';
import { CorrectionProvenance, FieldCorrections } from '../../domain/extraction.js';
import { ReviewDecisionInput } from '../../domain/invoice.js';
import { PolicyVersion } from '../../domain/policy.js';
import * as twin from '../../domain/workflow-inputs.js';
import { workflowBundle } from '../../testkit/stack.js';

// The same output type: a field added to, dropped from or retyped in one twin fails typecheck.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameTypes: [
  Same<v.InferOutput<typeof twin.PolicyVersion>, z.output<typeof PolicyVersion>>,
  Same<v.InferOutput<typeof twin.FieldCorrections>, z.output<typeof FieldCorrections>>,
  Same<v.InferOutput<typeof twin.CorrectionProvenance>, z.output<typeof CorrectionProvenance>>,
  Same<v.InferOutput<typeof twin.ReviewDecisionInput>, z.output<typeof ReviewDecisionInput>>,
] = [true, true, true, true];
void sameTypes;

const box = (page: number) => ({ page, box: { x: 10.5, y: 700, width: 80, height: 12 } });
const POLICY = {
  version: 3,
  policy: {
    supplierGroups: [{ name: 'Steel', suppliers: ['Acme Steel GmbH', ' SUP-7 '] }],
    rules: [
      {
        name: 'Big steel',
        when: { supplierGroup: 'steel', amountOver: '10000', amountUpTo: '250000.50', currencies: [' eur', 'USD'] },
        autoApprove: { allowed: false, threshold: 0.97 },
        steps: [
          {
            name: 'Buyer',
            approvers: { kind: 'users', users: [' Ann@Example.COM', 'bo@example.de'] },
            required: 2,
            sla: '2d',
          },
          { name: 'Ops', approvers: { kind: 'role', role: 'ops' }, required: 1, sla: '4h' },
        ],
      },
      {
        name: 'No PO',
        when: { poPresent: false, matchWarnings: true, creditNote: false, departments: ['D1'], buildings: ['B'] },
        autoApprove: { allowed: true, threshold: 0.5 },
        steps: [{ name: 'Clerk', approvers: { kind: 'role', role: 'clerk' }, required: 1, sla: '30m' }],
      },
      {
        name: 'Everything else',
        when: {},
        autoApprove: { allowed: true, threshold: 1 },
        steps: [{ name: 'Any', approvers: { kind: 'role', role: 'admin' }, required: 1, sla: '1d' }],
      },
    ],
  },
};
const CORRECTIONS = {
  invoiceNumber: ' INV-2024/001',
  invoiceDate: '2024-03-01',
  dueDate: '2024-03-31',
  vendorName: ' Acme GmbH ',
  total: '1190.00',
  tax: '190.00',
  subtotal: '-1000',
  amountDue: '1190.00',
  currency: ' EUR ',
  poNumber: ' 4500012345 ',
};
const PROVENANCE = { invoiceNumber: box(1), total: box(2), currency: box(1) };
const DECISION = {
  action: 'approve',
  actor: 'clerk@example.com',
  reason: '  checked against the delivery note ',
  corrections: CORRECTIONS,
  provenance: PROVENANCE,
  placeholderId: ' 77 ',
  approver: { role: 'ops', delegators: [{ email: 'boss@example.com', role: 'admin' }] },
  override: false,
};

const LIMITS = [40, 50, 64, 80, 100, 200, 2000];
/** Near misses of a value: around its type's limits and formats, so both twins' every rule gets tried. */
function variants(value: unknown): unknown[] {
  if (typeof value === 'number')
    return [value + 0.5, -value, 0, value + 1, value - 1, 1.01, 1e20, 2 ** 53, String(value), null, true];
  if (typeof value === 'string')
    return [
      '',
      ' ',
      ` ${value} `,
      value.toUpperCase(),
      value.toLowerCase(),
      `${value}x`,
      value.slice(1),
      value.replace('.', ','),
      `${value}\n`,
      'steel',
      'role',
      'users',
      'ops',
      'boss',
      '2d',
      '5 d',
      '1.5',
      '-3',
      '10000',
      '2024-02-30',
      'a@b.co',
      'a..b@c.de',
      'Received',
      5,
      null,
      ...LIMITS.flatMap((n) => ['x'.repeat(n), 'x'.repeat(n + 1)]),
    ];
  if (typeof value === 'boolean') return [!value, String(value), 1, null];
  if (Array.isArray(value)) {
    const items = value as unknown[];
    return [
      [],
      [...items, ...items],
      items.slice(1),
      [items[0]],
      {},
      'x',
      // n and n + 1 items, the last one kept (a policy's last rule is its catch-all), names kept apart
      ...LIMITS.flatMap((n) =>
        [n - 1, n].map((copies) => [...Array.from({ length: copies }, (_, i) => copyOf(items[0], i)), items.at(-1)]),
      ),
    ];
  }
  if (value === null) return ['x', 0, {}, 'ops', false];
  return [{}, [], null, 'x'];
}

/** A copy of an array's item that differs by name, where it has one (supplier groups must differ). */
const copyOf = (item: unknown, i: number) =>
  item && typeof item === 'object' && 'name' in item && typeof item.name === 'string'
    ? { ...item, name: `${item.name} ${i}` }
    : item;

type Json = unknown;
type Node = Record<string | number, unknown>;
const valueAt = (root: Json, path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Node)[key], root);
/** Every path to a value inside `value` (the root is []). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, item] of Object.entries(value)) out.push(...paths(item, [...at, k]));
  return out;
}

type Mutation = { pick: number; kind: 'replace' | 'drop' | 'add'; variant: number; any: unknown; key: string };
const mutation = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'drop', 'add'),
  /** Which near miss replaces the value; past the list's end, `any` (any JSON) does. */
  variant: fc.nat({ max: 60 }),
  any: fc.jsonValue({ maxDepth: 2 }),
  key: fc.constantFrom('reason', 'override', 'extra', 'currency', 'iban', 'supplierGroups', 'users', 'role', 'when'),
});

function mutate(original: Json, m: Mutation): Json {
  const copy = structuredClone(original);
  const all = paths(copy).filter((p) => p.length > 0);
  if (all.length === 0) return copy; // earlier mutations emptied it
  const path = all[m.pick % all.length]!;
  const parent = valueAt(copy, path.slice(0, -1)) as Node | unknown[];
  const key = path.at(-1)!;
  const near = variants((parent as Node)[key]);
  const value: unknown = m.variant < near.length ? near[m.variant] : m.any;
  if (m.kind === 'replace') (parent as Node)[key] = value;
  else if (Array.isArray(parent)) {
    if (m.kind === 'drop') parent.splice(Number(key), 1);
    else parent.push(value);
  } else if (m.kind === 'drop') delete parent[key];
  else parent[m.key] = value;
  return copy;
}

function compare(zodSchema: z.ZodType, valibotSchema: v.GenericSchema, value: Json): boolean {
  const byZod = zodSchema.safeParse(value);
  const byValibot = v.safeParse(valibotSchema, value);
  const context = `${JSON.stringify(value)}\nzod: ${byZod.success ? 'accepted' : JSON.stringify(byZod.error.issues)}\nvalibot: ${byValibot.success ? 'accepted' : JSON.stringify(byValibot.issues.map((i) => i.message))}`;
  assert.equal(byValibot.success, byZod.success, context);
  if (byZod.success) assert.deepEqual(byValibot.output, byZod.data, context);
  return byZod.success;
}

function agree(zodSchema: z.ZodType, valibotSchema: v.GenericSchema, ...examples: Json[]) {
  const verdicts = { accepted: 0, refused: 0 };
  const count = (accepted: boolean) => verdicts[accepted ? 'accepted' : 'refused']++;
  for (const valid of examples) sweep(zodSchema, valibotSchema, valid, count);
  // Then random combinations of two or three.
  fc.assert(
    fc.property(
      fc.constantFrom(...examples),
      fc.array(mutation, { minLength: 2, maxLength: 3 }),
      (valid, mutations) => void count(compare(zodSchema, valibotSchema, mutations.reduce(mutate, valid))),
    ),
    { numRuns: 1000 },
  );
  // Both verdicts must occur often, or the comparison says little.
  assert.ok(verdicts.accepted > 100 && verdicts.refused > 100, JSON.stringify(verdicts));
}

/** Every single mutation of `valid`: each value replaced by each of its near misses, dropped, or given a neighbour. */
function sweep(zodSchema: z.ZodType, valibotSchema: v.GenericSchema, valid: Json, count: (accepted: boolean) => void) {
  const all = paths(valid).filter((p) => p.length > 0);
  for (let pick = 0; pick < all.length; pick++) {
    const here = valueAt(valid, all[pick]!);
    for (let variant = 0; variant < variants(here).length; variant++)
      for (const kind of ['replace', 'add'] as const)
        count(compare(zodSchema, valibotSchema, mutate(valid, { pick, kind, variant, any: null, key: 'extra' })));
    count(compare(zodSchema, valibotSchema, mutate(valid, { pick, kind: 'drop', variant: 0, any: null, key: '' })));
  }
}

test('the valid examples are accepted by both twins with the same output', () => {
  for (const [zodSchema, valibotSchema, valid] of [
    [PolicyVersion, twin.PolicyVersion, POLICY],
    [FieldCorrections, twin.FieldCorrections, CORRECTIONS],
    [CorrectionProvenance, twin.CorrectionProvenance, PROVENANCE],
    [ReviewDecisionInput, twin.ReviewDecisionInput, DECISION],
  ] as const) {
    const byZod = zodSchema.safeParse(valid);
    assert.ok(byZod.success, JSON.stringify(byZod.error?.issues));
    assert.deepEqual(v.parse(valibotSchema, valid), byZod.data);
  }
});

test('a policy: both twins give the same verdict and output on mutated policies', () =>
  agree(PolicyVersion, twin.PolicyVersion, POLICY));

test('corrections and picked boxes: the same verdict and output on mutated values', () => {
  agree(FieldCorrections, twin.FieldCorrections, CORRECTIONS);
  agree(CorrectionProvenance, twin.CorrectionProvenance, PROVENANCE);
});

test('a review decision: the same verdict and output on mutated decisions', () =>
  agree(
    ReviewDecisionInput,
    twin.ReviewDecisionInput,
    DECISION,
    { action: 'approve', actor: 'admin@example.com', reason: 'the buyer is away', override: true, placeholderId: 'p1' },
    { action: 'reject', actor: 'ops@example.com', reason: 'a duplicate' },
    { action: 'hold', actor: 'x' },
  ));

test('the workflow check names every issue with its path', () => {
  assert.throws(
    () =>
      twin.checked(
        twin.ReviewDecisionInput,
        { action: 'reject', actor: '', corrections: { total: '1,5' } },
        'decision',
      ),
    (e: Error) =>
      /actor: the decision needs its author/.test(e.message) &&
      /corrections\.total: expected a decimal like 1234\.56/.test(e.message),
  );
  assert.throws(
    () => twin.checked(twin.ReviewDecisionInput, { action: 'reject', actor: 'a' }, 'decision'),
    /a rejection needs a reason/,
  );
  assert.throws(() => twin.checked(twin.RecallInput, 'nope', 'recall'), /^Error: recall: /);
});

test('the workflow bundle holds no zod (each workflow would evaluate its own)', async () => {
  const { code } = await workflowBundle();
  const packages = new Set([...code.matchAll(/"\.\/node_modules\/((?:@[^/"]+\/)?[^/"]+)\//g)].map((m) => m[1]));
  assert.ok(packages.has('valibot') && packages.has('@temporalio/workflow'), [...packages].join(', '));
  assert.ok(!packages.has('zod'), `the workflow code imports zod (through domain/?): ${[...packages].join(', ')}`);
});
