// Debian Chromium through playwright-core, with the flags this machine needs, and screenshots folder.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A stack and Chromium for the tests of one file: started before them (handed to `started`), stopped after. */
export function withStackAndBrowser(opts: StackOptions, started: (parts: { stack: Stack; browser: Browser }) => void): void {
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
