// The approval policy editor (admins): supplier groups, ordered rules (first match wins, the last one is
// the catch-all) and each rule's approval steps. Add, remove and move buttons post the form back and the
// server re-renders the draft, so editing needs no script; nothing is stored until "Save policy".
import type { GroupDraft, PolicyDraft, RuleDraft, StepDraft } from '../domain/policy-draft.js';
import type { ApprovalPath } from '../domain/approval.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

export interface PolicyPageProps {
  ctx: PageContext;
  draft: PolicyDraft;
  inForce?: { version: number; createdBy: string; createdAt: Date };
  versions: { version: number; createdBy: string; createdAt: Date }[];
}

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const Op = (props: { op: string; label: string; title?: string }) => (
  <button type="submit" name="op" value={props.op} formnovalidate title={props.title} class="small">
    {props.label}
  </button>
);

function TriSelect(props: { name: string; value: string; label: string }) {
  return (
    <label>
      {props.label}{' '}
      <select name={props.name}>
        <option value="" selected={props.value === ''}>
          any
        </option>
        <option value="yes" selected={props.value === 'yes'}>
          yes
        </option>
        <option value="no" selected={props.value === 'no'}>
          no
        </option>
      </select>
    </label>
  );
}

function StepFields(props: { rule: number; index: number; step: StepDraft; last: boolean }) {
  const { rule, index, step } = props;
  const p = `r${rule}.s${index}.`;
  return (
    <li class="step" data-step={index}>
      <label>
        Step name <input name={`${p}name`} value={step.name} />
      </label>{' '}
      <label>
        Approvers{' '}
        <select name={`${p}kind`}>
          <option value="role" selected={step.kind === 'role'}>
            a role
          </option>
          <option value="users" selected={step.kind === 'users'}>
            named users
          </option>
        </select>
      </label>{' '}
      <label>
        Role{' '}
        <select name={`${p}role`}>
          {['clerk', 'ops', 'admin'].map((r) => (
            <option value={r} selected={step.role === r}>
              {r}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Users (emails, one a line){' '}
        <textarea name={`${p}users`} rows={2}>
          {step.users}
        </textarea>
      </label>{' '}
      <label>
        Approvals needed <input name={`${p}required`} value={step.required} size={2} inputmode="numeric" />
      </label>{' '}
      <label>
        SLA <input name={`${p}sla`} value={step.sla} size={5} />
      </label>{' '}
      {index > 0 && <Op op={`up-step:${rule}:${index}`} label="↑" title="Move step up" />}
      {!props.last && <Op op={`down-step:${rule}:${index}`} label="↓" title="Move step down" />}
      <Op op={`remove-step:${rule}:${index}`} label="Remove step" />
    </li>
  );
}

function RuleFields(props: { index: number; rule: RuleDraft; count: number; groups: GroupDraft[] }) {
  const { index, rule, count } = props;
  const p = `r${index}.`;
  const catchAll = index === count - 1;
  return (
    <fieldset class="rule" data-rule={index}>
      <legend>
        Rule {index + 1}
        {catchAll ? ' (catch-all: leave its conditions empty)' : ''}
      </legend>
      <label>
        Name <input name={`${p}name`} value={rule.name} />
      </label>{' '}
      {index > 0 && <Op op={`up-rule:${index}`} label="↑ Move up" />}
      {index < count - 1 && <Op op={`down-rule:${index}`} label="↓ Move down" />}
      <Op op={`remove-rule:${index}`} label="Remove rule" />
      <div class="conditions">
        <label>
          Suppliers (one a line){' '}
          <textarea name={`${p}suppliers`} rows={2}>
            {rule.suppliers}
          </textarea>
        </label>{' '}
        <label>
          Supplier group{' '}
          <select name={`${p}supplierGroup`}>
            <option value="">any</option>
            {props.groups
              .filter((g) => g.name.trim())
              .map((g) => (
                <option value={g.name} selected={rule.supplierGroup === g.name}>
                  {g.name}
                </option>
              ))}
          </select>
        </label>{' '}
        <label>
          Amount over <input name={`${p}amountOver`} value={rule.amountOver} size={10} />
        </label>{' '}
        <label>
          up to <input name={`${p}amountUpTo`} value={rule.amountUpTo} size={10} />
        </label>{' '}
        <label>
          Currencies <input name={`${p}currencies`} value={rule.currencies} size={10} />
        </label>{' '}
        <TriSelect name={`${p}poPresent`} value={rule.poPresent} label="PO present" />{' '}
        <TriSelect name={`${p}matchWarnings`} value={rule.matchWarnings} label="Match warnings" />{' '}
        <TriSelect name={`${p}creditNote`} value={rule.creditNote} label="Credit note" />{' '}
        <label>
          Plex departments <input name={`${p}departments`} value={rule.departments} size={10} />
        </label>{' '}
        <label>
          Buildings <input name={`${p}buildings`} value={rule.buildings} size={10} />
        </label>
      </div>
      <p>
        <label>
          <input type="checkbox" name={`${p}autoAllowed`} checked={rule.autoAllowed} /> Auto-approval allowed
        </label>{' '}
        <label>
          at confidence ≥ <input name={`${p}autoThreshold`} value={rule.autoThreshold} size={4} />
        </label>
      </p>
      <ol class="steps">
        {rule.steps.map((step, j) => (
          <StepFields rule={index} index={j} step={step} last={j === rule.steps.length - 1} />
        ))}
      </ol>
      <Op op={`add-step:${index}`} label="Add step" />
    </fieldset>
  );
}

export function PolicyPage(props: PolicyPageProps) {
  const { ctx, draft, inForce } = props;
  return (
    <Layout title="Approval policy" ctx={ctx}>
      <h1>Approval policy</h1>
      <p class="meta" id="policy-in-force">
        {inForce
          ? `Version ${inForce.version} is in force, saved by ${inForce.createdBy} at ${when(inForce.createdAt)}.`
          : 'No policy saved yet: every invoice is approved as before (one reviewer, the Settings threshold, no four eyes). Below is that behaviour written as a policy; saving it turns policy routing on.'}{' '}
        Rules are tried in order and the first that matches applies. An invoice keeps the version in force when it
        arrived. Whoever uploaded an invoice, corrected its fields or approved an earlier step never approves a later
        step.
      </p>
      <form method="post" action="/admin/policy" class="policy">
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="groups">
          <legend>Supplier groups</legend>
          {draft.groups.map((g, k) => (
            <p data-group={k}>
              <label>
                Group name <input name={`g${k}.name`} value={g.name} />
              </label>{' '}
              <label>
                Suppliers (one a line){' '}
                <textarea name={`g${k}.suppliers`} rows={2}>
                  {g.suppliers}
                </textarea>
              </label>{' '}
              <Op op={`remove-group:${k}`} label="Remove group" />
            </p>
          ))}
          <Op op="add-group" label="Add supplier group" />
        </fieldset>
        {draft.rules.map((rule, i) => (
          <RuleFields index={i} rule={rule} count={draft.rules.length} groups={draft.groups} />
        ))}
        <p>
          <Op op="add-rule" label="Add rule" title="Adds a rule before the catch-all" />{' '}
          <button type="submit" name="op" value="save" class="primary">
            Save policy
          </button>
        </p>
      </form>
      {props.versions.length > 0 && (
        <section class="card" aria-labelledby="versions-h">
          <h2 id="versions-h">Versions</h2>
          <ul id="policy-versions">
            {props.versions.map((v) => (
              <li>
                Version {v.version} · {v.createdBy} · {when(v.createdAt)}
              </li>
            ))}
          </ul>
          <p class="meta">Each save is audited with the policy before and after.</p>
        </section>
      )}
    </Layout>
  );
}

/** "Step 2 of 3: Controller · waits on ann@x.test (1 of 2 approved)": for queue rows. */
export function WaitingOn(props: { path: ApprovalPath }) {
  const { path } = props;
  const step = path.current === null ? undefined : path.steps[path.current];
  if (!step) return null;
  return (
    <span class="step-wait">
      {' '}
      Step {path.current! + 1} of {path.steps.length}: {step.name} · waits on {step.who}
      {step.required > 1 && ` (${step.approvals.length} of ${step.required} approved)`}
    </span>
  );
}

const stamp = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

/** The invoice's approval path: steps done (who, when), the current one (who it waits on), the next ones. */
export function ApprovalPathCard(props: { path: ApprovalPath }) {
  const { path } = props;
  return (
    <section class="card" aria-labelledby="path-h" id="approval-path">
      <h2 id="path-h">Approval path</h2>
      <p class="meta">
        Policy version {path.policyVersion}, rule “{path.rule}”
        {path.evaluation > 1 ? ` (evaluated ${path.evaluation} times: sent back or corrected)` : ''}.
      </p>
      <ol>
        {path.steps.map((step, i) => {
          const state = step.doneAt ? 'done' : path.current === i ? 'current' : 'next';
          return (
            <li class={`path-${state}`} data-state={state}>
              <strong>{step.name}</strong> ({step.who}, SLA {step.sla}) —{' '}
              {state === 'done'
                ? `done ${stamp(step.doneAt)}`
                : state === 'current'
                  ? `waiting since ${stamp(step.startedAt)}`
                  : 'next'}
              {step.escalatedAt && <span class="badge sla"> escalated {stamp(step.escalatedAt)}</span>}
              {step.approvals.length > 0 && (
                <ul>
                  {step.approvals.map((a) => (
                    <li>
                      {a.actor}
                      {a.onBehalfOf ? ` for ${a.onBehalfOf}` : ''}
                      {a.override ? ' (four-eyes override)' : ''} · {stamp(a.at)}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** An invoice at a step the signed-in user may approve now; `onBehalfOf`: whose delegate they approve as. */
export interface WaitingItem {
  id: string;
  createdAt: Date;
  fileName: string;
  vendorName: string | null;
  invoiceNumber: string | null;
  total: string | null;
  currency: string | null;
  waitingOn: ApprovalPath | null;
  onBehalfOf: string | null;
}

/** Invoices whose waiting step the signed-in user may approve now (directly or as a delegate). */
export function WaitingForMePage(props: { ctx: PageContext; rows: WaitingItem[] }) {
  return (
    <Layout title="Waiting for me" ctx={props.ctx}>
      <h1>Waiting for me</h1>
      <p class="meta">
        Invoices at an approval step you may approve now. Invoices you uploaded, corrected or approved at an earlier
        step are not listed (four eyes).
      </p>
      {props.rows.length === 0 ? (
        <p id="nothing-waiting">Nothing is waiting for you.</p>
      ) : (
        <table class="queue" id="waiting-for-me">
          <thead>
            <tr>
              <th>Received</th>
              <th>Vendor</th>
              <th>Invoice</th>
              <th class="num">Total</th>
              <th>Step</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr>
                <td>
                  <a href={`/invoices/${row.id}`}>{row.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</a>
                </td>
                <td>{row.vendorName ?? '—'}</td>
                <td>{row.invoiceNumber ?? row.fileName}</td>
                <td class="num">{row.total ? `${row.total} ${row.currency ?? ''}` : '—'}</td>
                <td>
                  {row.waitingOn && <WaitingOn path={row.waitingOn} />}
                  {row.onBehalfOf && <span class="delegated"> · as delegate of {row.onBehalfOf}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
