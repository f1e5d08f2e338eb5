import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/db/create-db.js';
import { setUpOrganisation } from '../../src/services/organisation.service.js';
import {
  startTestIssuer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  type TestIssuer,
} from '../support/oidc-issuer.js';
import { expectNoAxeViolations } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { TODAY } from './support/server.js';

/**
 * Single sign-on in Chromium: the sign-in page's button goes to the council's identity provider
 * (the tests' own, oidc-provider), its login page signs the social worker in, and Oversight
 * opens at My work; someone the staff list does not know is refused with a page that, like the
 * page for a sign-in that has expired, passes axe at desktop and phone widths.
 */

let browser: Browser;
let issuer: TestIssuer;
let app: FastifyInstance;
let database: OpenDatabase;
let baseUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'oversight-sso-e2e-'));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const launching = launchChromium();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${String(port)}`;
  const file = join(dir, 'oversight.sqlite');
  const clock = fixedClock(TODAY);
  database = openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(database.db);
  await setUpOrganisation(database.db, clock, { demo: true, councilName: 'Demo Borough Council' });
  issuer = await startTestIssuer({
    redirectUris: [`${baseUrl}/sign-in/sso/callback`],
    people: {
      'sw@demo.example': { subject: 'subject-sw' },
      'stranger@elsewhere.example': { subject: 'subject-stranger' },
    },
  });
  app = await buildApp({
    config: loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: file,
      PUBLIC_URL: baseUrl,
      PORT: String(port),
      OIDC_ISSUER: issuer.url,
      OIDC_CLIENT_ID: TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      LOCAL_ACCOUNTS: 'false',
    }),
    database,
    clock,
  });
  await app.listen({ host: '127.0.0.1', port });
  browser = await launching;
}, 60_000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  if ((app as FastifyInstance | undefined) !== undefined) {
    app.server.closeAllConnections();
    await app.close();
  }
  await (issuer as TestIssuer | undefined)?.close();
  await (database as OpenDatabase | undefined)?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function withPage(width: number, body: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  context.setDefaultTimeout(10_000);
  try {
    await body(await context.newPage());
  } finally {
    await context.close();
  }
}

/** From Oversight's sign-in page, through the issuer's login page, as `email`. */
async function signInThroughIssuer(page: Page, email: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await expectNoAxeViolations(page, 'the sign-in page with single sign-on only');
  // Local accounts are off: the button is the only way in.
  expect(await page.locator('input[name="password"]').count()).toBe(0);
  await page.locator('[data-single-sign-on]').click();
  await page.waitForURL((url) => url.href.startsWith(`${issuer.url}/interaction/`));
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(baseUrl));
}

describe('single sign-on in a browser', () => {
  it('signs the social worker in through the council sign-in page, onto My work', async () => {
    await withPage(1280, async (page) => {
      await signInThroughIssuer(page, 'sw@demo.example');
      await page.waitForURL(`${baseUrl}/my-work`);
      await expect.poll(() => page.locator('h1').first().textContent()).toBeTruthy();
      expect(await page.content()).toContain('Pia Rookwell');
      await expectNoAxeViolations(page, 'My work after single sign-on');
    });
  });

  for (const width of [1280, 390]) {
    it(`refuses someone the staff list does not know, with a page that passes axe (${String(width)} px)`, async () => {
      await withPage(width, async (page) => {
        await signInThroughIssuer(page, 'stranger@elsewhere.example');
        expect(new URL(page.url()).pathname).toBe('/sign-in/sso/callback');
        const body = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
        expect(body).toContain(
          'Your council account signed you in, but Oversight has no one with the email address stranger@elsewhere.example in its staff list.',
        );
        await expectNoAxeViolations(page, `the single sign-on refusal page at ${String(width)} px`);
      });
    });

    it(`says a sign-in has expired, with a page that passes axe (${String(width)} px)`, async () => {
      await withPage(width, async (page) => {
        const answer = await page.goto(`${baseUrl}/sign-in/sso/callback?code=old&state=old`);
        expect(answer?.status()).toBe(400);
        expect(await page.locator('h1').innerText()).toBe('Your sign-in has expired');
        await expectNoAxeViolations(page, `the expired sign-in page at ${String(width)} px`);
        await page.getByRole('button', { name: 'Go to the sign-in page' }).click();
        await page.waitForURL(`${baseUrl}/sign-in`);
      });
    });
  }
});
