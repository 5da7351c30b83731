// The login page: email + password (unless PASSWORD_LOGIN=false) and/or the single sign-on button.
import { Layout, type PageContext } from './layout.js';

export function LoginPage(props: {
  ctx: PageContext;
  email?: string;
  csrfToken: string;
  next?: string;
  passwordLogin: boolean;
  sso?: { name: string; href: string };
}) {
  return (
    <Layout title="Log in" ctx={props.ctx}>
      <section class="card narrow">
        <h1>Log in</h1>
        {props.sso && (
          <p>
            <a class="button primary" id="sso-login" href={props.sso.href}>
              Log in with {props.sso.name}
            </a>
          </p>
        )}
        {props.passwordLogin && (
          <form method="post" action="/login">
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <input type="hidden" name="next" value={props.next ?? '/invoices'} />
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              required
              value={props.email}
              autofocus
            />
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit" class={props.sso ? undefined : 'primary'}>
              Log in
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}
