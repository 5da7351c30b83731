// The policy editor's form: a draft (everything as typed, so a refused save shows back unchanged), read
// from flat field names (r0.name, r0.s1.sla, g0.suppliers…), edited by the editor's buttons (add, remove,
// move rules and steps) and turned into a policy for domain/policy.ts to validate.
import type { Policy, PolicyInput } from './policy.js';

export interface StepDraft {
  name: string;
  kind: 'role' | 'users';
  role: string;
  users: string;
  required: string;
  sla: string;
}
export interface RuleDraft {
  name: string;
  suppliers: string;
  supplierGroup: string;
  amountOver: string;
  amountUpTo: string;
  currencies: string;
  poPresent: string;
  matchWarnings: string;
  creditNote: string;
  departments: string;
  buildings: string;
  autoAllowed: boolean;
  autoThreshold: string;
  steps: StepDraft[];
}
export interface GroupDraft {
  name: string;
  suppliers: string;
}
export interface PolicyDraft {
  groups: GroupDraft[];
  rules: RuleDraft[];
}

const TRI = ['poPresent', 'matchWarnings', 'creditNote'] as const;
const LISTS = ['currencies', 'departments', 'buildings'] as const;

export const newStep = (sla = '24h'): StepDraft => ({
  name: 'AP review',
  kind: 'role',
  role: 'clerk',
  users: '',
  required: '1',
  sla,
});
export const newRule = (name = 'New rule'): RuleDraft => ({
  name,
  suppliers: '',
  supplierGroup: '',
  amountOver: '',
  amountUpTo: '',
  currencies: '',
  poPresent: '',
  matchWarnings: '',
  creditNote: '',
  departments: '',
  buildings: '',
  autoAllowed: false,
  autoThreshold: '0.95',
  steps: [newStep()],
});

/** The first policy an admin sees: today's behaviour written as a policy (one rule, one clerk step). */
export function starterDraft(autoApproveThreshold: number, escalateAfter: string): PolicyDraft {
  const rule = {
    ...newRule('Every invoice'),
    autoAllowed: autoApproveThreshold <= 1,
    autoThreshold: String(Math.min(autoApproveThreshold, 1)),
    steps: [newStep(escalateAfter)],
  };
  return { groups: [], rules: [rule] };
}

export function draftFromPolicy(policy: Policy): PolicyDraft {
  const tri = (v: boolean | undefined) => (v === undefined ? '' : v ? 'yes' : 'no');
  return {
    groups: policy.supplierGroups.map((g) => ({ name: g.name, suppliers: g.suppliers.join('\n') })),
    rules: policy.rules.map((r) => ({
      name: r.name,
      suppliers: r.when.suppliers?.join('\n') ?? '',
      supplierGroup: r.when.supplierGroup ?? '',
      amountOver: r.when.amountOver ?? '',
      amountUpTo: r.when.amountUpTo ?? '',
      currencies: r.when.currencies?.join(', ') ?? '',
      poPresent: tri(r.when.poPresent),
      matchWarnings: tri(r.when.matchWarnings),
      creditNote: tri(r.when.creditNote),
      departments: r.when.departments?.join(', ') ?? '',
      buildings: r.when.buildings?.join(', ') ?? '',
      autoAllowed: r.autoApprove.allowed,
      autoThreshold: String(r.autoApprove.threshold),
      steps: r.steps.map((s) => ({
        name: s.name,
        kind: s.approvers.kind,
        role: s.approvers.kind === 'role' ? s.approvers.role : 'clerk',
        users: s.approvers.kind === 'users' ? s.approvers.users.join('\n') : '',
        required: String(s.required),
        sla: s.sla,
      })),
    })),
  };
}

type Body = Record<string, string | File | (string | File)[]>;
const text = (body: Body, key: string) => {
  const v = body[key];
  return typeof v === 'string' ? v : '';
};
const indexes = (body: Body, pattern: RegExp) =>
  [
    ...new Set(
      Object.keys(body)
        .map((k) => pattern.exec(k)?.[1])
        .filter((v): v is string => v !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);

export function draftFromForm(body: Body): PolicyDraft {
  const groups = indexes(body, /^g(\d+)\.name$/).map((g) => ({
    name: text(body, `g${g}.name`),
    suppliers: text(body, `g${g}.suppliers`),
  }));
  const rules = indexes(body, /^r(\d+)\.name$/).map((r): RuleDraft => {
    const p = `r${r}.`;
    const steps = indexes(body, new RegExp(`^r${r}\\.s(\\d+)\\.name$`)).map((s): StepDraft => {
      const q = `${p}s${s}.`;
      return {
        name: text(body, `${q}name`),
        kind: text(body, `${q}kind`) === 'users' ? 'users' : 'role',
        role: text(body, `${q}role`),
        users: text(body, `${q}users`),
        required: text(body, `${q}required`),
        sla: text(body, `${q}sla`),
      };
    });
    return {
      name: text(body, `${p}name`),
      suppliers: text(body, `${p}suppliers`),
      supplierGroup: text(body, `${p}supplierGroup`),
      amountOver: text(body, `${p}amountOver`),
      amountUpTo: text(body, `${p}amountUpTo`),
      currencies: text(body, `${p}currencies`),
      poPresent: text(body, `${p}poPresent`),
      matchWarnings: text(body, `${p}matchWarnings`),
      creditNote: text(body, `${p}creditNote`),
      departments: text(body, `${p}departments`),
      buildings: text(body, `${p}buildings`),
      autoAllowed: text(body, `${p}autoAllowed`) === 'on',
      autoThreshold: text(body, `${p}autoThreshold`),
      steps,
    };
  });
  return { groups, rules };
}

/** Apply one of the editor's buttons (`op`), e.g. "add-rule", "up-rule:2", "remove-step:1:0". */
export function applyEdit(draft: PolicyDraft, op: string): PolicyDraft {
  const [verb, a, b] = op.split(':');
  const i = Number(a);
  const j = Number(b);
  const rules = draft.rules.map((r) => ({ ...r, steps: [...r.steps] }));
  const groups = [...draft.groups];
  const swap = <T>(list: T[], x: number, y: number) => {
    if (list[x] !== undefined && list[y] !== undefined) [list[x], list[y]] = [list[y]!, list[x]!];
  };
  switch (verb) {
    case 'add-rule':
      rules.splice(Math.max(rules.length - 1, 0), 0, newRule());
      break; // before the catch-all
    case 'remove-rule':
      rules.splice(i, 1);
      break;
    case 'up-rule':
      swap(rules, i - 1, i);
      break;
    case 'down-rule':
      swap(rules, i, i + 1);
      break;
    case 'add-step':
      rules[i]?.steps.push(newStep());
      break;
    case 'remove-step':
      rules[i]?.steps.splice(j, 1);
      break;
    case 'up-step':
      if (rules[i]) swap(rules[i].steps, j - 1, j);
      break;
    case 'down-step':
      if (rules[i]) swap(rules[i].steps, j, j + 1);
      break;
    case 'add-group':
      groups.push({ name: '', suppliers: '' });
      break;
    case 'remove-group':
      groups.splice(i, 1);
      break;
  }
  return { groups, rules };
}

const lines = (v: string) =>
  v
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
const items = (v: string) =>
  v
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const optional = <T>(list: T[]) => (list.length ? list : undefined);
const tri = (v: string) => (v === 'yes' ? true : v === 'no' ? false : undefined);
const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

/** The draft as the policy schema's input; the schema says what is wrong with it. */
export function policyInputFromDraft(draft: PolicyDraft): PolicyInput {
  return {
    supplierGroups: draft.groups.map((g) => ({ name: g.name, suppliers: lines(g.suppliers) })),
    rules: draft.rules.map((r) => {
      const when: Record<string, unknown> = {
        suppliers: optional(lines(r.suppliers)),
        supplierGroup: r.supplierGroup.trim() || undefined,
        amountOver: r.amountOver.trim() || undefined,
        amountUpTo: r.amountUpTo.trim() || undefined,
      };
      for (const key of LISTS) when[key] = optional(items(r[key]));
      for (const key of TRI) when[key] = tri(r[key]);
      return {
        name: r.name,
        when: Object.fromEntries(Object.entries(when).filter(([, v]) => v !== undefined)),
        autoApprove: { allowed: r.autoAllowed, threshold: num(r.autoThreshold || '1') },
        steps: r.steps.map((s) => ({
          name: s.name,
          approvers:
            s.kind === 'users'
              ? { kind: 'users' as const, users: lines(s.users) }
              : { kind: 'role' as const, role: s.role as 'clerk' },
          required: num(s.required),
          sla: s.sla.trim(),
        })),
      };
    }),
  };
}
