import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../e2e/support/axe.js';
import { launchChromium } from '../e2e/support/browser.js';
import { startServer, type TestServer } from '../e2e/support/server.js';

/**
 * In Chromium: the pages the hardening adds ("Too many attempts", "What you sent is too large")
 * pass axe; and the Content Security Policy, as a browser enforces it, blocks nothing of ours
 * (GOV.UK Frontend's inline line, carrying the nonce, runs; no violation is reported).
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  const [started, launched] = await Promise.allSettled([startServer(), launchChromium()]);
  if (started.status === 'fulfilled') server = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  if (launched.status === 'rejected') throw launched.reason;
  if (started.status === 'rejected') throw started.reason;
}, 60_000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as TestServer | undefined)?.close();
});

/** A page that remembers every Content Security Policy complaint the browser makes. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations };
}

describe('hardening pages in a browser', () => {
  it('runs the pages’ scripts under the policy, with no violation reported', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    // GOV.UK Frontend's inline line ran: it carries the nonce.
    await expect
      .poll(() => page.evaluate(() => document.body.classList.contains('govuk-frontend-supported')))
      .toBe(true);
    await page.getByLabel('Email address').fill('sw@demo.example');
    await page.getByLabel('Password').fill('oversight-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/my-work/);
    await page.goto(`${server.baseUrl}/supervision`);
    expect(violations).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows the too-large page for a form of more than 1 MB, and it passes axe', async () => {
    const { page } = await watchedPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill('sw@demo.example');
    await page.getByLabel('Password').fill('oversight-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/my-work/);
    await page.goto(`${server.baseUrl}/supervision`);
    // Typing a megabyte would take minutes: set the field as a paste would.
    await page.locator('#item').evaluate(
      (element, size) => {
        (element as HTMLTextAreaElement).value = 'x'.repeat(size);
      },
      1024 * 1024 + 10,
    );
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('What you sent is too large');
    await expectNoAxeViolations(page, 'the 413 page');
    await page.context().close();
  }, 60_000);

  it('shows the too-many-attempts page after 20 guessed reset links from one address, and it passes axe', async () => {
    const { page } = await watchedPage();
    let status = 0;
    for (let n = 0; n <= 20; n++) {
      const response = await page.goto(`${server.baseUrl}/reset-password/guess-${String(n)}`);
      status = response?.status() ?? 0;
    }
    expect(status).toBe(429);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Too many attempts');
    await expect.poll(() => page.locator('main').textContent()).toContain('Wait 60 seconds');
    await expectNoAxeViolations(page, 'the 429 page');
    await page.context().close();
  }, 60_000);
});
