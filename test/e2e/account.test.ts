import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { base32Decode, totp, TOTP_PERIOD_SECONDS } from '../../src/domain/access/totp.js';
import { launchChromium } from './support/browser.js';
import { Journey, type PageClass } from './support/journey.js';
import { AdminPage, BasePage, SignInPage, SignedOutPage } from './support/pages/index.js';
import { DEMO_PASSWORD } from './support/pages/sign-in.page.js';
import { startServer, TODAY, type TestServer } from './support/server.js';

/**
 * The account pages in Chromium, with axe on every page at a desktop's width and a phone's, no
 * sideways scrolling at either, and a photograph of each in /tmp/account-shots/:
 *
 * - the social worker changes their password (after a too-short and a common one), sees their
 *   sessions with this one marked, signs in from a second browser and signs that session out,
 *   turns two-factor on with a code computed here, then signs out everywhere;
 * - the demo administrator mistypes the demo code, then gives it; creates another
 *   administrator, who signs in with the temporary password, is made to set two-factor up (QR
 *   code and key), enters a code computed here from the key the page shows, and lands on the
 *   administration home; the administrator then creates a reset link for the social worker
 *   (removing their two-factor too), which, opened in a fresh browser, lets them choose a new
 *   password once.
 *
 * The server's clock is stopped (support/server.ts), so each administrator's code is the same
 * all through the file and, once accepted, refused again: the demo administrator signs in once.
 */

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SHOTS = '/tmp/account-shots';

/** The instant the server's clock is stopped at: the codes are computed for it. */
const NOW = fixedClock(TODAY).now();

const SW = 'sw@demo.example';
const CHANGED_PASSWORD = 'lantern cobalt meadow orbit';
const RESET_PASSWORD = 'harbour violet thimble quarry';
const NEW_ADMIN = 'second.administrator@demo.example';
const NEW_ADMIN_PASSWORD = 'tangerine rafter pebble';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
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

// Page objects ---------------------------------------------------------------------------------

/** A page known by its address and its heading, served with `status`. */
function pageOf(
  path: string | RegExp,
  heading: string,
  status = 200,
): PageClass<BasePage> & { readonly label: string } {
  return class extends BasePage {
    static readonly label = heading;
    protected override readonly expectedStatus = status;
    protected override async expectLoaded(): Promise<void> {
      const pathname = new URL(this.page.url()).pathname;
      if (typeof path === 'string') expect(pathname).toBe(path);
      else expect(pathname).toMatch(path);
      expect(await this.headingText()).toBe(heading);
      if (status === 400) expect(await this.title()).toMatch(/^Error: /);
    }
  };
}

const AccountPage = pageOf('/account', 'Your account');
const PasswordPage = pageOf('/account/password', 'Change your password');
const PasswordErrorPage = pageOf('/account/password', 'Change your password', 400);
const SessionsPage = pageOf('/account/sessions', 'Your sessions');
const SelfSetUpPage = pageOf('/account/two-factor', 'Set up two-factor authentication');
const TurnOffPage = pageOf('/account/two-factor/turn-off', 'Turn off two-factor authentication');
const CodePage = pageOf('/sign-in/two-factor', 'Enter the code from your authenticator app');
const CodeErrorPage = pageOf(
  '/sign-in/two-factor',
  'Enter the code from your authenticator app',
  400,
);
const SetUpAtSignInPage = pageOf('/sign-in/two-factor/set-up', 'Set up two-factor authentication');
const SetUpAtSignInErrorPage = pageOf(
  '/sign-in/two-factor/set-up',
  'Set up two-factor authentication',
  400,
);
const AccountsPage = pageOf('/admin/accounts', 'Accounts');
const NewAccountPage = pageOf('/admin/accounts/new', 'Create an account');
const accountDetailsPage = (email: string) => pageOf(/^\/admin\/accounts\/[^/]+$/, email);
const accountDetailsAfterPost = (email: string) =>
  pageOf(/^\/admin\/accounts\/[^/]+\/reset-link$/, email);
const ResetPage = pageOf(/^\/reset-password\/[^/]+$/, 'Choose a new password');
const ResetErrorPage = pageOf(/^\/reset-password\/[^/]+$/, 'Choose a new password', 400);
const ResetGonePage = pageOf(/^\/reset-password\/[^/]+$/, 'This link does not work', 404);

// Helpers --------------------------------------------------------------------------------------

interface Open {
  journey: Journey;
  context: BrowserContext;
}

async function open(name: string, options: BrowserContextOptions = {}): Promise<Open> {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  context.setDefaultTimeout(10_000);
  return { context, journey: new Journey(await context.newPage(), name, server.baseUrl) };
}

/** Runs a journey, photographing the page when it fails, and closes its browser. */
async function run(opened: Open, body: (j: Journey) => Promise<void>): Promise<void> {
  try {
    await body(opened.journey);
  } catch (error) {
    await opened.journey.screenshotFailure();
    throw error;
  } finally {
    await opened.context.close();
  }
}

async function fits(j: Journey, page: BasePage, size: string): Promise<void> {
  const overflow = await page.sidewaysOverflow();
  const culprits = overflow > 0 ? await page.elementsPastTheEdge() : [];
  expect(overflow, `sideways scrolling on ${j.page.url()} (${size}): ${culprits.join(', ')}`).toBe(
    0,
  );
}

/**
 * Checks the browser is on the page `Type` describes, at a desktop's width and then a phone's:
 * axe finds nothing at either, nothing scrolls sideways, and each is photographed. Leaves the
 * window at a desktop's width.
 */
async function arriveAt<T extends BasePage>(
  j: Journey,
  Type: PageClass<T>,
  step: string,
): Promise<T> {
  let page: T | undefined;
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await j.page.setViewportSize(viewport);
    page = await j.on(Type, `${step}-${size}`);
    await fits(j, page, size);
    await j.page.screenshot({ path: join(SHOTS, `${j.name}-${step}-${size}.png`), fullPage: true });
  }
  await j.page.setViewportSize(DESKTOP);
  return page as T;
}

async function errorMessages(j: Journey): Promise<string[]> {
  const items = j.page.locator('.govuk-error-summary .govuk-error-summary__list li');
  return (await items.allInnerTexts()).map((t) => t.trim());
}

async function press(j: Journey, name: string | RegExp, within?: Locator): Promise<void> {
  const scope = within ?? j.page.locator('main');
  const button = scope.getByRole('button', { name, exact: typeof name === 'string' });
  await j.navigate(() => button.click());
}

async function follow(j: Journey, name: string | RegExp, within?: Locator): Promise<void> {
  const scope = within ?? j.page.locator('main');
  const link = scope.getByRole('link', { name, exact: typeof name === 'string' }).first();
  await j.navigate(() => link.click());
}

/** The email and password form only: what follows is for the caller. */
async function givePassword(j: Journey, email: string, password: string): Promise<void> {
  await j.visit('/sign-in');
  const page = await j.on(SignInPage, 'sign-in');
  await page.page.getByLabel('Email address').fill(email);
  await page.page.getByLabel('Password').fill(password);
  await press(j, 'Sign in');
}

/** The code an authenticator app holding `key` (base32, as the page shows it) shows now. */
function codeFor(key: string): string {
  const secret = base32Decode(key);
  if (secret === null) throw new Error(`"${key}" is not a base32 key`);
  return totp(secret, NOW);
}

/** A code the app would not show at any instant the server accepts (the step either side). */
function wrongCodeFor(secret: Uint8Array): string {
  const near = [-1, 0, 1].map((s) =>
    totp(secret, new Date(NOW.getTime() + s * TOTP_PERIOD_SECONDS * 1000)),
  );
  return ['000000', '111111', '222222'].find((c) => !near.includes(c)) ?? '333333';
}

async function sessionRows(j: Journey): Promise<{ current: boolean; text: string }[]> {
  const rows = j.page.locator('#sessions [data-session]');
  const out: { current: boolean; text: string }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push({
      current: (await row.getAttribute('data-current-session')) !== null,
      text: (await row.innerText()).replace(/\s+/g, ' ').trim(),
    });
  }
  return out;
}

/** Where `/account` sends a browser: the account page, or the sign-in page when signed out. */
async function accountPath(j: Journey): Promise<string> {
  await j.visit('/account');
  return new URL(j.page.url()).pathname;
}

// The journeys ---------------------------------------------------------------------------------

describe('the account pages in a browser', () => {
  it('the social worker changes their password, manages their sessions, turns two-factor on and signs out everywhere', async () => {
    const first = await open('account-sw');
    await run(first, async (j) => {
      await j.visit('/sign-in');
      await (await j.on(SignInPage, 'sign-in')).signIn(SW);
      await follow(j, 'Your account', j.page.locator('header, .govuk-service-navigation'));
      const account = await arriveAt(j, AccountPage, 'account');
      expect(await account.page.locator('main .govuk-summary-list').innerText()).toContain(SW);

      // Change the password: too short, then on the common list, then a good one.
      await follow(j, /^Change\s+your password$/);
      await arriveAt(j, PasswordPage, 'password');
      const change = async (next: string) => {
        await j.page.getByLabel('Current password').fill(DEMO_PASSWORD);
        await j.page.getByLabel('New password').fill(next);
        await press(j, 'Change password');
      };
      await change('too short');
      await arriveAt(j, PasswordErrorPage, 'password-too-short');
      expect(await errorMessages(j)).toEqual(['Password must be 12 characters or more']);
      expect(await j.page.locator('#newPassword-error').innerText()).toContain(
        'Password must be 12 characters or more',
      );
      await change('Password1234');
      await arriveAt(j, PasswordErrorPage, 'password-common');
      expect(await errorMessages(j)).toEqual([
        'Choose a password that is harder to guess: this one is on a list of common passwords',
      ]);
      await change(CHANGED_PASSWORD);
      await arriveAt(j, AccountPage, 'password-changed');
      expect(await j.page.locator('.govuk-notification-banner--success').innerText()).toContain(
        'Your password has been changed',
      );

      // My sessions: this one, marked.
      await follow(j, /^View\s+your sessions$/);
      await arriveAt(j, SessionsPage, 'sessions-one');
      let rows = await sessionRows(j);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.current).toBe(true);
      expect(rows[0]?.text).toContain('This session');
      expect(rows[0]?.text).toContain('Chrome (headless)');
      expect(rows[0]?.text).toContain('127.0.0.1');
      // The server's clock is stopped at noon, London time.
      expect(rows[0]?.text).toContain('Signed in 24 November 2026 at 12:00pm');

      // Signed in from a second browser too (the old password no longer works; the new does).
      const second = await open('account-sw-second', { userAgent: FIREFOX });
      await run(second, async (k) => {
        await givePassword(k, SW, DEMO_PASSWORD);
        expect(new URL(k.page.url()).pathname).toBe('/sign-in');
        expect(await errorMessages(k)).toEqual(['The email address or password is not right']);
        await givePassword(k, SW, CHANGED_PASSWORD);
        expect(await accountPath(k)).toBe('/account');

        await j.visit('/account/sessions');
        await arriveAt(j, SessionsPage, 'sessions-two');
        rows = await sessionRows(j);
        expect(rows.map((r) => r.current).sort()).toEqual([false, true]);
        const other = j.page.locator('#sessions [data-session]:not([data-current-session])');
        expect(await other.innerText()).toContain('Firefox 133 on Windows');
        expect(await other.innerText()).not.toContain('This session');

        // Sign the other one out: the second browser is signed out, this one is not.
        await press(j, /^Sign out Firefox 133 on Windows/, other);
        await arriveAt(j, SessionsPage, 'sessions-signed-out-other');
        expect(await j.page.locator('.govuk-notification-banner--success').innerText()).toContain(
          'That session has been signed out.',
        );
        rows = await sessionRows(j);
        expect(rows).toHaveLength(1);
        expect(rows[0]?.current).toBe(true);
        expect(await accountPath(k)).toBe('/sign-in');
      });

      // Two-factor, from the account page, with a code computed from the key the page shows.
      await j.visit('/account');
      await follow(j, /^Set up\s+two-factor authentication$/);
      const setUp = await arriveAt(j, SelfSetUpPage, 'two-factor-set-up');
      expect(
        await setUp.page
          .locator('img.app-qr-code')
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      ).toBeGreaterThan(0);
      await j.page.getByText('I cannot scan the QR code').click();
      const key = (await j.page.locator('[data-secret-key]').innerText()).trim();
      expect(key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
      await j.page.getByLabel('Code from the app').fill(codeFor(key));
      await press(j, 'Turn on two-factor authentication');
      await arriveAt(j, AccountPage, 'two-factor-on');
      expect(await j.page.locator('.govuk-notification-banner--success').innerText()).toContain(
        'Two-factor authentication is on',
      );
      await follow(j, /^Turn off\s+two-factor authentication$/);
      await arriveAt(j, TurnOffPage, 'two-factor-turn-off');
      await follow(j, 'Back to your account', j.page.locator('body'));
      await arriveAt(j, AccountPage, 'account-again');

      // Sign out everywhere: this browser too.
      await follow(j, /^View\s+your sessions$/);
      await arriveAt(j, SessionsPage, 'sessions-before-everywhere');
      await press(j, 'Sign out everywhere');
      await arriveAt(j, SignedOutPage, 'signed-out-everywhere');
      expect(await accountPath(j)).toBe('/sign-in');
    });
  }, 240_000);

  it('the administrator signs in with a code, creates an administrator who sets two-factor up, and resets the social worker’s password with a one-time link', async () => {
    const admin = await open('account-admin');
    await run(admin, async (j) => {
      // The demo administrator: a wrong code first, then the one the demo panel shows.
      await givePassword(j, 'admin@demo.example', DEMO_PASSWORD);
      await arriveAt(j, CodePage, 'code');
      const demoCode = (await j.page.locator('[data-demo-code]').innerText()).trim();
      expect(demoCode).toMatch(/^\d{6}$/);
      const wrong = wrongCodeFor(Buffer.from('oversight-demo-admin', 'utf8'));
      await j.page.getByLabel('Enter the code from your authenticator app').fill(wrong);
      await press(j, 'Continue');
      await arriveAt(j, CodeErrorPage, 'code-wrong');
      expect(await errorMessages(j)).toEqual([
        'The code is not right, or has been used already: enter the code your app shows now',
      ]);
      await j.page.getByLabel('Enter the code from your authenticator app').fill(demoCode);
      await press(j, 'Continue');
      await arriveAt(j, AdminPage, 'admin-home');

      // A new administrator, with a temporary password.
      await j.visit('/admin/accounts');
      await arriveAt(j, AccountsPage, 'accounts');
      // A link drawn as a button (role=button).
      await press(j, 'Create an account');
      await arriveAt(j, NewAccountPage, 'new-account');
      await j.page.getByLabel('Email address').fill(NEW_ADMIN);
      await j.page.getByLabel('Administrator', { exact: true }).check();
      await j.page.getByLabel('Temporary password').fill(NEW_ADMIN_PASSWORD);
      await press(j, 'Create the account');
      await arriveAt(j, AccountsPage, 'account-created');
      expect(await j.page.locator('#accounts').innerText()).toContain(NEW_ADMIN);

      // The new administrator, in a browser of their own, must set two-factor up to get in.
      const fresh = await open('account-new-admin');
      await run(fresh, async (k) => {
        await givePassword(k, NEW_ADMIN, NEW_ADMIN_PASSWORD);
        await arriveAt(k, SetUpAtSignInPage, 'set-up');
        // Nothing else is reachable until it is done.
        await k.visit('/admin');
        expect(new URL(k.page.url()).pathname).toBe('/sign-in');
        await k.visit('/sign-in/two-factor/set-up');
        const page = await arriveAt(k, SetUpAtSignInPage, 'set-up-again');
        const qr = page.page.locator('img.app-qr-code');
        expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
        expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
        await k.page.getByText('I cannot scan the QR code').click();
        const key = (await k.page.locator('[data-secret-key]').innerText()).trim();
        const secret = base32Decode(key);
        expect(secret?.length).toBe(20);

        await k.page.getByLabel('Code from the app').fill(wrongCodeFor(secret ?? Buffer.alloc(0)));
        await press(k, 'Turn on two-factor authentication');
        await arriveAt(k, SetUpAtSignInErrorPage, 'set-up-wrong');
        expect(await errorMessages(k)).toEqual([
          'The code is not right, or has been used already: enter the code your app shows now',
        ]);
        await k.page.getByLabel('Code from the app').fill(codeFor(key));
        await press(k, 'Turn on two-factor authentication');
        await arriveAt(k, AdminPage, 'new-admin-home');
      });

      // A reset link for the social worker, taking their two-factor away too (a lost phone).
      await j.visit('/admin/accounts');
      await follow(j, SW, j.page.locator('#accounts'));
      await arriveAt(j, accountDetailsPage(SW), 'sw-account');
      expect(await j.page.locator('main .govuk-summary-list').innerText()).toMatch(
        /Two-factor authentication\s+On/,
      );
      await j.page.getByLabel('Also remove two-factor authentication').check();
      await press(j, 'Create a reset link');
      await arriveAt(j, accountDetailsAfterPost(SW), 'sw-reset-link');
      const link = (await j.page.locator('[data-reset-link]').innerText()).trim();
      expect(link).toMatch(/^https?:\/\/[^/]+\/reset-password\/[A-Za-z0-9_-]{43}$/);
      const resetPath = new URL(link).pathname;

      // The social worker opens it in a fresh browser and chooses a new password.
      const sw = await open('account-sw-reset');
      await run(sw, async (k) => {
        await k.visit(resetPath);
        await arriveAt(k, ResetPage, 'reset');
        expect(await k.page.locator('main').innerText()).toContain(SW);
        expect(await k.page.locator('main').innerText()).toContain(
          'Two-factor authentication will be removed',
        );
        await k.page.getByLabel('New password').fill('oversight2026');
        await press(k, 'Set the new password');
        await arriveAt(k, ResetErrorPage, 'reset-refused');
        expect((await errorMessages(k))[0]).toMatch(/^Choose a password that is harder to guess/);
        await k.page.getByLabel('New password').fill(RESET_PASSWORD);
        await press(k, 'Set the new password');
        const signIn = await arriveAt(k, SignInPage, 'reset-done');
        expect(await signIn.page.locator('main').innerText()).toContain(
          'Your password has been changed',
        );

        // The old password is gone; the new one signs in, with no code asked for.
        await givePassword(k, SW, CHANGED_PASSWORD);
        expect(await errorMessages(k)).toEqual(['The email address or password is not right']);
        await givePassword(k, SW, RESET_PASSWORD);
        expect(new URL(k.page.url()).pathname).not.toMatch(/^\/sign-in/);
        expect(await accountPath(k)).toBe('/account');

        // The link worked once.
        await k.visit(resetPath);
        await arriveAt(k, ResetGonePage, 'reset-gone');
      });
    });
  }, 240_000);
});
