// The Preferences page: a user's own settings. Keyboard shortcuts can be turned off (WCAG 2.1.4).
import { CsrfField, Layout, type PageContext } from './layout.js';

export function PreferencesPage(props: { ctx: PageContext }) {
  const { ctx } = props;
  const on = ctx.user?.keyboardShortcuts !== false;
  return (
    <Layout title="Preferences" ctx={ctx}>
      <h1>Preferences</h1>
      <form method="post" action="/account/preferences" class="settings">
        <CsrfField token={ctx.csrfToken} />
        <p>
          <label class="check">
            <input
              type="checkbox"
              name="keyboardShortcuts"
              value="on"
              checked={on}
              aria-describedby="p-shortcuts-help"
            />{' '}
            Keyboard shortcuts
          </label>
        </p>
        <p id="p-shortcuts-help" class="meta">
          Single keys on the review page: a approve, s send back, r reject, e edit the invoice number, u undo, j/k next
          and previous invoice. Turn them off if you use speech input or press keys by accident; the buttons do the
          same.
        </p>
        <button type="submit">Save</button>
      </form>
    </Layout>
  );
}
