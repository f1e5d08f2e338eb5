import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser.js';
import { Journey } from './journey.js';
import { SignInPage, type BasePage } from './pages/index.js';
import { startServer, type TestServer } from './server.js';

/** What every browser test file shares: one server and one Chromium, journeys, sign-in, fit. */

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
/** Every page is checked at a desktop's width and a phone's. */
export const SIZES = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** Runs a journey in its own browser context (its own cookies), closed however it ends. */
  readonly journey: (
    name: string,
    options: BrowserContextOptions,
    body: (j: Journey) => Promise<void>,
  ) => Promise<void>;
}

/**
 * Starts the server (a fresh demo organisation) and Chromium before the file's tests, and stops
 * whichever started after them, even when the other failed.
 */
export function browserSuite(
  options: Parameters<typeof startServer>[0] & { stepTimeoutMs?: number } = {},
): BrowserSuite {
  const { stepTimeoutMs = 10_000, ...serverOptions } = options;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([
      startServer(serverOptions),
      launchChromium(),
    ]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (launched.status === 'rejected') throw launched.reason;
    if (started.status === 'rejected') throw started.reason;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const suite: BrowserSuite = {
    get server() {
      if (server === undefined) throw new Error('the server has not started');
      return server;
    },
    get browser() {
      if (browser === undefined) throw new Error('Chromium has not started');
      return browser;
    },
    journey: async (name, contextOptions, body) => {
      const context = await suite.browser.newContext(contextOptions);
      // A missing element fails its step quickly, with the locator in the message.
      context.setDefaultTimeout(stepTimeoutMs);
      const j = new Journey(await context.newPage(), name, suite.server.baseUrl);
      try {
        await body(j);
      } catch (error) {
        await j.screenshotFailure();
        throw error;
      } finally {
        await context.close();
      }
    },
  };
  return suite;
}

/** Signs in on the sign-in page (the demo administrator's code step included). */
export async function signIn(j: Journey, email: string): Promise<void> {
  await j.visit('/sign-in');
  await (await j.on(SignInPage, 'sign-in')).signIn(email);
}

/** The page fits its window: nothing makes it scroll sideways. */
export async function fits(j: Journey, page: BasePage): Promise<void> {
  const overflow = await page.sidewaysOverflow();
  const culprits = overflow > 0 ? await page.elementsPastTheEdge() : [];
  expect(overflow, `sideways scrolling on ${j.page.url()}: ${culprits.join(', ')}`).toBe(0);
}
