// A minimal cookie-keeping HTTP client for page tests: logs in through the real login form.
import assert from 'node:assert/strict';

export class PageSession {
  private cookies = new Map<string, string>();
  /** `fetchImpl`: e.g. fetchFrom('127.0.0.2') to play a client at another address. */
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.fetchImpl(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    return res;
  }

  /** Log in through GET /login + POST /login; returns the POST's response. */
  async login(email: string, password: string): Promise<Response> {
    const page = await this.fetch('/login');
    const csrf = csrfFrom(await page.text());
    return this.fetch('/login', {
      method: 'POST',
      body: new URLSearchParams({ email, password, _csrf: csrf, next: '/invoices' }),
    });
  }

  /** Post a form with the CSRF token found on `fromPage`. */
  async postForm(fromPage: string, action: string, fields: Record<string, string>): Promise<Response> {
    const csrf = csrfFrom(await (await this.fetch(fromPage)).text());
    return this.fetch(action, { method: 'POST', body: new URLSearchParams({ ...fields, _csrf: csrf }) });
  }
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'page has a CSRF field');
  return m[1]!;
}
