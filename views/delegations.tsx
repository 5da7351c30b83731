// The Delegation page: "away from–to, delegate to". While it is in force, approval steps the user could
// approve may be approved by the delegate on their behalf (four eyes still applies to both).
import { CsrfField, Layout, type PageContext } from './layout.js';

/** A delegation: `user` is away from `from` until `to` (exclusive) and `delegate` may approve for them. */
export interface DelegationItem {
  id: string;
  user: string;
  delegate: string;
  from: Date;
  to: Date;
  cancelledAt: Date | null;
  cancelledBy: string | null;
}

export interface DelegationForm {
  from: string;
  to: string;
  delegate: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const lastDay = (end: Date) => day(new Date(end.getTime() - 1));

export function DelegationsPage(props: {
  ctx: PageContext;
  mine: DelegationItem[];
  toMe: DelegationItem[];
  colleagues: { email: string; displayName: string }[];
  form?: DelegationForm;
}) {
  const { ctx, form } = props;
  return (
    <Layout title="Delegation" ctx={ctx}>
      <h1>Delegation</h1>
      <p class="meta">
        Away? Name a colleague: from the first day to the last (whole days, UTC) they may approve the steps you could
        approve. Each change is audited.
      </p>
      <form method="post" action="/account/delegations" class="settings" id="delegation-form">
        <CsrfField token={ctx.csrfToken} />
        <label for="d-from">Away from</label> <input id="d-from" type="date" name="from" value={form?.from} required />{' '}
        <label for="d-to">to (last day)</label> <input id="d-to" type="date" name="to" value={form?.to} required />{' '}
        <label for="d-delegate">Delegate to</label>{' '}
        <select id="d-delegate" name="delegate" required>
          <option value="">choose…</option>
          {props.colleagues.map((u) => (
            <option value={u.email} selected={form?.delegate === u.email}>
              {u.displayName} ({u.email})
            </option>
          ))}
        </select>{' '}
        <button type="submit" class="primary">
          Delegate
        </button>
      </form>
      <h2>My delegations</h2>
      {props.mine.length === 0 ? (
        <p class="meta">None.</p>
      ) : (
        <table id="my-delegations">
          <thead>
            <tr>
              <th>From</th>
              <th>To (last day)</th>
              <th>Delegate</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.mine.map((d) => (
              <tr>
                <td>{day(d.from)}</td>
                <td>{lastDay(d.to)}</td>
                <td>{d.delegate}</td>
                <td>
                  {d.cancelledAt ? (
                    `cancelled by ${d.cancelledBy}`
                  ) : (
                    <form method="post" action={`/account/delegations/${d.id}/cancel`}>
                      <CsrfField token={ctx.csrfToken} />
                      <button type="submit">Cancel</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Delegated to me</h2>
      {props.toMe.length === 0 ? (
        <p class="meta">None.</p>
      ) : (
        <ul id="delegated-to-me">
          {props.toMe.map((d) => (
            <li>
              {d.user}: {day(d.from)} to {lastDay(d.to)}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
