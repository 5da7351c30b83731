// The API tokens page: the create form, a newly created token shown once, and the list with revoke.
import type { ApiTokenListing } from '../domain/api-tokens.js';
import { ALL_SCOPES, type TokenScope } from '../domain/permissions.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

const SCOPE_HELP: Record<TokenScope, string> = {
  'invoices:read': 'list and read invoices',
  'invoices:write': 'upload invoices',
  'invoices:review': 'approve, reject, send back',
  'syncs:replay': 'replay failed syncs',
};

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

export interface NewTokenForm {
  name?: string;
  scopes?: TokenScope[];
}

export function TokensPage(props: {
  ctx: PageContext;
  tokens: ApiTokenListing[];
  created?: { name: string; token: string };
  form?: NewTokenForm;
}) {
  const { ctx, tokens, created } = props;
  const form = props.form ?? {};
  const checked = new Set<TokenScope>(form.scopes ?? ['invoices:read']);
  return (
    <Layout title="API tokens" ctx={ctx}>
      <h1>API tokens</h1>
      {created && (
        <section class="card" aria-labelledby="new-token-h">
          <h2 id="new-token-h">Token “{created.name}” created</h2>
          <p>Copy it now: it is stored only as a hash and will not be shown again.</p>
          <p>
            <code id="new-token">{created.token}</code>
          </p>
          <p class="meta">
            Send it in the header <code>Authorization: Bearer psk_…</code>.
          </p>
        </section>
      )}
      <table class="tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Scopes</th>
            <th>Created by</th>
            <th>Created</th>
            <th>Last used</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr>
              <td colspan={6}>No API tokens yet.</td>
            </tr>
          )}
          {tokens.map((t) => (
            <tr id={`token-${t.id}`}>
              <td>{t.name}</td>
              <td>{t.scopes.join(', ')}</td>
              <td>{t.createdBy ?? 'CLI'}</td>
              <td>{when(t.createdAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td>
                {t.revokedAt ? (
                  <span class="badge status-rejected">Revoked {when(t.revokedAt)}</span>
                ) : (
                  <form method="post" action={`/admin/tokens/${t.id}/revoke`}>
                    <CsrfField token={ctx.csrfToken} />
                    <button type="submit" class="danger" aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <section class="card" aria-labelledby="create-token">
        <h2 id="create-token">Create a token</h2>
        <form method="post" action="/admin/tokens">
          <CsrfField token={ctx.csrfToken} />
          <label for="token-name">Name (what uses it, e.g. “scanner upload”)</label>
          <input id="token-name" name="name" required maxlength={80} value={form.name} />
          <fieldset>
            <legend>Scopes</legend>
            {ALL_SCOPES.map((scope) => (
              <label class="check">
                <input type="checkbox" name="scopes" value={scope} checked={checked.has(scope)} /> {scope}{' '}
                <span class="meta">({SCOPE_HELP[scope]})</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary">
            Create token
          </button>
        </form>
      </section>
    </Layout>
  );
}
