// Approval policy rules: properties over random policies and invoices (exactly one rule applies; four
// eyes keeps uploaders, correctors and earlier approvers off a step), and the cases named in the docs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  approvalCheck,
  eligibleApprovers,
  evaluatePolicy,
  policyFacts,
  ruleMatches,
  type ApprovalHistory,
  type DirectoryUser,
  type PolicyFacts,
} from '../../domain/approval.js';
import { Policy, type PolicyInput, type PolicyStep } from '../../domain/policy.js';

const SUPPLIERS = ['Acme Fasteners Inc.', 'Globex GmbH', 'Initech LLC', 'Umbrella'];
const EMAILS = ['ann@x.test', 'bob@x.test', 'cy@x.test', 'dee@x.test', 'eve@x.test'];
const ROLES = ['clerk', 'ops', 'admin'] as const;

const amount = fc
  .integer({ min: 0, max: 5_000_000 })
  .map((c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`);
const conditions = fc.record(
  {
    suppliers: fc.subarray(SUPPLIERS, { minLength: 1 }),
    supplierGroup: fc.constant('trusted'),
    amountOver: fc.constantFrom('0', '1000', '10000'),
    amountUpTo: fc.constantFrom('50000', '100000'),
    currencies: fc.subarray(['USD', 'EUR', 'CAD'], { minLength: 1 }),
    poPresent: fc.boolean(),
    matchWarnings: fc.boolean(),
    creditNote: fc.boolean(),
    departments: fc.subarray(['200', 'Purchasing', 'Tooling'], { minLength: 1 }),
    buildings: fc.subarray(['MAIN', 'EAST'], { minLength: 1 }),
  },
  { requiredKeys: [] },
);
const step = fc.oneof(
  fc.record({
    name: fc.constant('Clerk'),
    approvers: fc.record({ kind: fc.constant('role' as const), role: fc.constantFrom(...ROLES) }),
    required: fc.integer({ min: 1, max: 2 }),
    sla: fc.constant('24h'),
  }),
  fc.record({
    name: fc.constant('Named'),
    approvers: fc.record({ kind: fc.constant('users' as const), users: fc.subarray(EMAILS, { minLength: 2 }) }),
    required: fc.constant(1),
    sla: fc.constant('2d'),
  }),
);
const rule = (when: fc.Arbitrary<PolicyInput['rules'][number]['when']>) =>
  fc.record({
    name: fc.constantFrom('A', 'B', 'C'),
    when,
    autoApprove: fc.record({ allowed: fc.boolean(), threshold: fc.double({ min: 0, max: 1, noNaN: true }) }),
    steps: fc.array(step, { minLength: 1, maxLength: 3 }),
  });
const policy = fc.tuple(fc.array(rule(conditions), { maxLength: 6 }), rule(fc.constant({}))).map(([rules, catchAll]) =>
  Policy.parse({
    supplierGroups: [{ name: 'trusted', suppliers: ['Acme Fasteners', 'GLOBEX'] }],
    rules: [...rules, catchAll],
  }),
);
const facts: fc.Arbitrary<PolicyFacts> = fc.record({
  supplierNames: fc.subarray([...SUPPLIERS, 'ACME FASTENERS, INC', 'Unknown Co'], { maxLength: 1 }),
  supplierCode: fc.option(fc.constantFrom('ACME01', 'GLOBEX'), { nil: null }),
  total: fc.option(
    fc.oneof(
      amount,
      amount.map((a) => `-${a}`),
    ),
    { nil: null },
  ),
  currency: fc.option(fc.constantFrom('USD', 'EUR', 'CAD', 'GBP'), { nil: null }),
  poPresent: fc.boolean(),
  matchWarnings: fc.boolean(),
  creditNote: fc.boolean(),
  department: fc.option(fc.constantFrom('200', 'Purchasing', 'Tooling'), { nil: null }),
  building: fc.option(fc.constantFrom('MAIN', 'EAST'), { nil: null }),
});
const users: fc.Arbitrary<DirectoryUser[]> = fc.tuple(
  ...EMAILS.map((email) =>
    fc.record({ email: fc.constant(email), role: fc.constantFrom(...ROLES), disabled: fc.boolean() }),
  ),
);
const history: fc.Arbitrary<ApprovalHistory> = fc.record({
  uploadedBy: fc.constantFrom(...EMAILS, 'token:scanner'),
  correctedBy: fc.subarray(EMAILS, { maxLength: 2 }),
  approvals: fc.array(
    fc.record({
      step: fc.integer({ min: 0, max: 2 }),
      actor: fc.constantFrom(...EMAILS),
      onBehalfOf: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
    }),
    { maxLength: 3 },
  ),
});
const NOW = new Date('2026-06-15T12:00:00Z');
const delegations = fc.array(
  fc.record({
    user: fc.constantFrom(...EMAILS),
    delegate: fc.constantFrom(...EMAILS),
    from: fc.constantFrom(new Date('2026-06-01'), new Date('2026-06-20')),
    to: fc.constantFrom(new Date('2026-06-16'), new Date('2026-07-01')),
  }),
  { maxLength: 4 },
);

describe('policy evaluation properties', () => {
  test('exactly one rule applies to any invoice: the first whose conditions all hold', () => {
    fc.assert(
      fc.property(policy, facts, (p, f) => {
        const { index, rule } = evaluatePolicy(p, f);
        assert.equal(rule, p.rules[index]);
        assert.ok(ruleMatches(rule.when, f, p.supplierGroups));
        for (const earlier of p.rules.slice(0, index))
          assert.equal(ruleMatches(earlier.when, f, p.supplierGroups), false);
      }),
      { numRuns: 500 },
    );
  });

  test('no step ever lists the uploader, a corrector or an earlier step’s approver as eligible', () => {
    fc.assert(
      fc.property(
        policy,
        facts,
        history,
        users,
        delegations,
        fc.integer({ min: 0, max: 2 }),
        (p, f, h, u, d, stepIndex) => {
          const { rule } = evaluatePolicy(p, f);
          const s = rule.steps[Math.min(stepIndex, rule.steps.length - 1)]!;
          const at = Math.min(stepIndex, rule.steps.length - 1);
          const excluded = new Set([
            h.uploadedBy,
            ...h.correctedBy,
            ...h.approvals.filter((a) => a.step <= at).flatMap((a) => [a.actor, a.onBehalfOf ?? a.actor]),
          ]);
          for (const e of eligibleApprovers(s, at, h, u, d, NOW)) {
            assert.ok(!excluded.has(e.email), `${e.email} is excluded but listed for ${s.name}`);
            if (e.onBehalfOf)
              assert.ok(!excluded.has(e.onBehalfOf), `${e.email} acts for ${e.onBehalfOf}, who is excluded`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('four eyes: only an admin asking to override may approve against it, and the check says so', () => {
    fc.assert(
      fc.property(history, fc.constantFrom(...ROLES), fc.boolean(), (h, role, override) => {
        const s: PolicyStep = { name: 'Any', approvers: { kind: 'role', role: 'clerk' }, required: 1, sla: '1d' };
        const check = approvalCheck(s, 1, h, { actor: h.uploadedBy, role, delegators: [] }, override);
        if (role === 'admin' && override) assert.deepEqual(check, { ok: true, onBehalfOf: null, override: true });
        else assert.equal(check.ok, false);
      }),
    );
  });
});

describe('policy rules by example', () => {
  const p = Policy.parse({
    supplierGroups: [{ name: 'trusted', suppliers: ['Acme Fasteners'] }],
    rules: [
      {
        name: 'Trusted, small',
        when: { supplierGroup: 'trusted', amountUpTo: '10000' },
        autoApprove: { allowed: true, threshold: 0.9 },
        steps: [{ name: 'AP clerk', approvers: { kind: 'role', role: 'clerk' }, required: 1, sla: '1d' }],
      },
      {
        name: 'Large',
        when: { amountOver: '10000' },
        autoApprove: { allowed: false, threshold: 1 },
        steps: [{ name: 'Two approvers', approvers: { kind: 'role', role: 'clerk' }, required: 2, sla: '1d' }],
      },
      {
        name: 'Everything else',
        when: {},
        autoApprove: { allowed: false, threshold: 1 },
        steps: [{ name: 'AP clerk', approvers: { kind: 'role', role: 'clerk' }, required: 1, sla: '1d' }],
      },
    ],
  });
  const fields = {
    invoiceNumber: 'INV-1',
    poNumber: '062486',
    vendorName: 'ACME FASTENERS, INC.',
    total: '10000.00',
    currency: 'usd',
    invoiceDate: null,
  };

  test('amounts are exact decimals: 10000.00 is "up to 10000", 10000.01 is "over 10000"', () => {
    assert.equal(evaluatePolicy(p, policyFacts(fields, null)).rule.name, 'Trusted, small');
    assert.equal(evaluatePolicy(p, policyFacts({ ...fields, total: '10000.01' }, null)).rule.name, 'Large');
    // A credit note is compared by its absolute amount.
    assert.equal(evaluatePolicy(p, policyFacts({ ...fields, total: '-12500' }, null)).rule.name, 'Large');
  });

  test('an unknown total satisfies no amount condition, so it falls through to the catch-all', () => {
    assert.equal(evaluatePolicy(p, policyFacts({ ...fields, total: null }, null)).rule.name, 'Everything else');
  });

  test('the matched Plex supplier decides, not the name printed on the invoice', () => {
    const match = {
      status: 'matched' as const,
      reason: '',
      score: 1,
      evidence: [],
      warnings: [],
      candidates: [],
      duplicateOf: null,
      placeholder: null,
      purchaseOrder: {
        id: 'po',
        poNumber: '062486',
        status: 'Open',
        supplierId: 's',
        supplierName: 'Other Supply Co',
        supplierCode: 'OTH01',
        currencyCode: 'USD',
        lineItemTotal: null,
        department: '200',
        building: 'MAIN',
      },
    };
    const f = policyFacts(fields, match);
    assert.deepEqual(f.supplierNames, ['Other Supply Co']);
    assert.equal(f.department, '200');
    assert.equal(evaluatePolicy(p, f).rule.name, 'Everything else');
  });

  test('a delegate approves for an away approver, only within the away window, and never for the uploader', () => {
    const s: PolicyStep = {
      name: 'Controller',
      approvers: { kind: 'users', users: ['ann@x.test'] },
      required: 1,
      sla: '1d',
    };
    const dir: DirectoryUser[] = [
      { email: 'ann@x.test', role: 'ops', disabled: false },
      { email: 'bob@x.test', role: 'clerk', disabled: false },
    ];
    const away = [
      {
        user: 'ann@x.test',
        delegate: 'bob@x.test',
        from: new Date('2026-06-10'),
        to: new Date('2026-06-15T12:00:00Z'),
      },
    ];
    const h: ApprovalHistory = { uploadedBy: 'cy@x.test', correctedBy: [], approvals: [] };
    assert.deepEqual(eligibleApprovers(s, 0, h, dir, away, new Date('2026-06-12')), [
      { email: 'ann@x.test', onBehalfOf: null },
      { email: 'bob@x.test', onBehalfOf: 'ann@x.test' },
    ]);
    assert.deepEqual(
      eligibleApprovers(s, 0, h, dir, away, NOW).map((e) => e.email),
      ['ann@x.test'],
      'the window ends at its "to"',
    );
    assert.deepEqual(
      eligibleApprovers(s, 0, { ...h, uploadedBy: 'ann@x.test' }, dir, away, new Date('2026-06-12')),
      [],
    );
  });

  test('a second approval of the same step must come from someone else', () => {
    const s = p.rules[1]!.steps[0]!;
    const h: ApprovalHistory = {
      uploadedBy: 'cy@x.test',
      correctedBy: [],
      approvals: [{ step: 0, actor: 'ann@x.test', onBehalfOf: null }],
    };
    const again = approvalCheck(s, 0, h, { actor: 'ann@x.test', role: 'clerk', delegators: [] });
    assert.equal(again.ok, false);
    assert.match(!again.ok ? again.reason : '', /already approved this step/);
    assert.equal(approvalCheck(s, 0, h, { actor: 'bob@x.test', role: 'clerk', delegators: [] }).ok, true);
    const token = approvalCheck(s, 0, h, { actor: 'token:ci', role: null, delegators: [] });
    assert.match(!token.ok ? token.reason : '', /not an approver/);
  });

  test('the schema refuses a policy without a catch-all, unknown groups, empty ranges and impossible counts', () => {
    const base = p.rules.at(-1)!;
    const issues = (input: unknown) => {
      const r = Policy.safeParse(input);
      return r.success ? '' : r.error.issues.map((i) => i.message).join(' | ');
    };
    assert.match(issues({ rules: [{ ...base, when: { currencies: ['USD'] } }] }), /must match every invoice/);
    assert.match(issues({ rules: [{ ...base, name: 'G', when: { supplierGroup: 'nope' } }, base] }), /does not exist/);
    assert.match(
      issues({ rules: [{ ...base, name: 'R', when: { amountOver: '500', amountUpTo: '500' } }, base] }),
      /"over" must be below "up to"/,
    );
    assert.match(
      issues({
        rules: [
          {
            ...base,
            steps: [{ name: 'S', approvers: { kind: 'users', users: ['ann@x.test'] }, required: 2, sla: '1d' }],
          },
        ],
      }),
      /more approvals than it names/,
    );
    assert.match(issues({ rules: [{ ...base, when: { amountUpTo: '1e6' } }, base] }), /plain numbers/);
    // A malformed bound beside a valid one: its message, not a crash of the range check (found by
    // test/workflows/inputs.test.ts; saving such a policy failed with a server error).
    assert.match(
      issues({ rules: [{ ...base, name: 'R', when: { amountOver: 'ten', amountUpTo: '500' } }, base] }),
      /plain numbers/,
    );
  });
});
