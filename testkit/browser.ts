// Debian Chromium through playwright-core, with the flags this machine needs, and screenshots folder.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getTestServices } from './services.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  const { chromiumPath } = await getTestServices();
  assert.ok(chromiumPath, 'Chromium is installed (the test command installs Debian chromium)');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A stack and Chromium for the tests of one file: started before them (handed to `started`), stopped after. */
export function withStackAndBrowser(
  opts: StackOptions,
  started: (parts: { stack: Stack; browser: Browser }) => void,
): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  before(async () => {
    stack = await startStack(opts);
    browser = await launchChromium();
    started({ stack, browser });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * WCAG 2.1 A and AA violations axe-core finds on the page as it is now, one line each ("rule: target —
 * help"). axe is evaluated through the debugging protocol, so the page's CSP (no inline script) stays on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
  });
}

/** A new page that collects script errors and console errors (CSP violations show up there). */
export async function watchedPage(browser: Browser, opts: Parameters<Browser['newPage']>[0] = {}) {
  const page = await browser.newPage(opts);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, errors };
}

/** Log in through the real login form and wait for the queue. */
export async function logIn(page: Page, baseUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/invoices');
}
