// The Users admin page: every account with its role and state, role/disable controls, the add-user form,
// and "log out everywhere" for the admin's own sessions.
import type { Role } from '../domain/permissions.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

/** An account in the list, with how many sessions it has open. */
export interface UserItem {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  activeSessions: number;
}

const ROLES: { value: Role; label: string }[] = [
  { value: 'clerk', label: 'Clerk: upload and review' },
  { value: 'ops', label: 'Ops: also failed syncs, settings (read)' },
  { value: 'admin', label: 'Admin: also users, tokens, settings' },
];

export interface NewUserForm {
  email?: string;
  displayName?: string;
  role?: Role;
}

function UserState(props: { user: UserItem }) {
  const u = props.user;
  if (u.disabled) return <span class="badge status-rejected">Disabled</span>;
  return <span class="badge status-synced">Active</span>;
}

export function UsersPage(props: { ctx: PageContext; users: UserItem[]; form?: NewUserForm }) {
  const { ctx, users } = props;
  const me = ctx.user?.id;
  const form = props.form ?? {};
  return (
    <Layout title="Users" ctx={ctx}>
      <h1>Users</h1>
      <table class="users">
        <caption class="meta">Changing a role or disabling an account ends that user's sessions at once.</caption>
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>State</th>
            <th class="num">Sessions</th>
            <th>Access</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr id={`user-${u.id}`}>
              <td>
                {u.email}
                {u.id === me && <span class="meta"> (you)</span>}
              </td>
              <td>{u.displayName}</td>
              <td>
                <form method="post" action={`/admin/users/${u.id}/role`}>
                  <CsrfField token={ctx.csrfToken} />
                  <select name="role" aria-label={`Role of ${u.email}`}>
                    {ROLES.map((r) => (
                      <option value={r.value} selected={r.value === u.role}>
                        {r.value}
                      </option>
                    ))}
                  </select>{' '}
                  <button type="submit">Change role</button>
                </form>
              </td>
              <td>
                <UserState user={u} />
              </td>
              <td class="num">{u.activeSessions}</td>
              <td>
                {u.id === me ? (
                  <span class="meta">You cannot disable yourself.</span>
                ) : (
                  <form method="post" action={`/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`}>
                    <CsrfField token={ctx.csrfToken} />
                    <button
                      type="submit"
                      class={u.disabled ? undefined : 'danger'}
                      aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div class="columns">
        <section class="card" aria-labelledby="add-user">
          <h2 id="add-user">Add a user</h2>
          <form method="post" action="/admin/users">
            <CsrfField token={ctx.csrfToken} />
            <label for="new-email">Email</label>
            <input id="new-email" name="email" type="email" required autocomplete="off" value={form.email} />
            <label for="new-name">Name</label>
            <input id="new-name" name="displayName" required maxlength={100} value={form.displayName} />
            <label for="new-role">Role</label>
            <select id="new-role" name="role">
              {ROLES.map((r) => (
                <option value={r.value} selected={r.value === (form.role ?? 'clerk')}>
                  {r.label}
                </option>
              ))}
            </select>
            <label for="new-password">Initial password (at least 12 characters)</label>
            <input
              id="new-password"
              name="password"
              type="password"
              required
              minlength={12}
              autocomplete="new-password"
            />
            <button type="submit" class="primary">
              Add user
            </button>
          </form>
        </section>
        <section class="card" aria-labelledby="my-sessions">
          <h2 id="my-sessions">Your sessions</h2>
          <p>Ends every session of your account, on this and every other device. You will need to log in again.</p>
          <form method="post" action="/account/logout-everywhere">
            <CsrfField token={ctx.csrfToken} />
            <button type="submit">Log out everywhere</button>
          </form>
        </section>
      </div>
    </Layout>
  );
}
