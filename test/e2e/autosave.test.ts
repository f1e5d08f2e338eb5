import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/db/create-db.js';
import { setUpOrganisation } from '../../src/services/organisation.service.js';
import { TestClock } from '../support/clock.js';
import { expectNoAxeViolations } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { personIdOf } from './support/data.js';
import { Journey } from './support/journey.js';
import { SignInPage } from './support/pages/index.js';
import { PersonalPage, TaskListPage } from './support/pages/supervision.page.js';
import { TODAY } from './support/server.js';

/**
 * Autosave and the timeout warning in Chromium, with the browser's clock and the server's moved
 * on together: a draft saves itself every 30 seconds; two minutes before an idle session ends a
 * dialog warns (accessible, focus inside it); "Stay signed in" (here Escape) keeps the session;
 * at the end the page saves once more, after the server has ended the session, and the change
 * is kept for its owner, who is sent to sign in and comes back to their draft.
 */

const START = `${TODAY}T09:00:00Z`;

let browser: Browser;
let app: FastifyInstance;
let database: OpenDatabase;
let baseUrl = '';
let dir = '';
const clock = new TestClock(START);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oversight-autosave-'));
  const file = join(dir, 'oversight.sqlite');
  const launching = launchChromium();
  database = openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(database.db);
  await setUpOrganisation(database.db, clock, { demo: true, councilName: 'Demo Borough Council' });
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: file }),
    database,
    clock,
  });
  baseUrl = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/$/, '');
  browser = await launching;
}, 60_000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  if ((app as FastifyInstance | undefined) !== undefined) {
    app.server.closeAllConnections();
    await app.close();
  }
  await (database as OpenDatabase | undefined)?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Moves the server's clock and then the browser's by the same time, firing the page's timers. */
async function pass(page: Page, by: { minutes?: number; seconds?: number }): Promise<void> {
  clock.advance(by);
  await page.clock.fastForward(((by.minutes ?? 0) * 60 + (by.seconds ?? 0)) * 1000);
}

async function personalText(sessionId: string) {
  return database.db
    .selectFrom('session_personal')
    .select(['wellbeing', 'learning'])
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
}

/** The browser's complaints expected of a session that ended: the autosave's 401. */
function forgive401(j: Journey): void {
  const expected = (p: string) => /^401 for .*\/supervision\//.test(p) || /status of 401/.test(p);
  const others = j.problems.filter((p) => !expected(p));
  j.problems.splice(0, j.problems.length, ...others);
}

describe('autosave and the timeout warning in the browser', () => {
  it('saves the draft by itself, warns before the session ends, and keeps the last changes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.clock.install({ time: new Date(START) });
    const j = new Journey(page, 'autosave', baseUrl);
    try {
      const swPerson = await personIdOf(database.db, 'sw@demo.example');
      await j.visit('/sign-in');
      await (await j.on(SignInPage, 'sign-in')).signIn('tm@demo.example');

      // (Not checked with axe here: the recording journey does that.)
      await j.visit('/supervision/new/individual');
      await page.getByLabel('Supervisee').selectOption(swPerson);
      const [year, month, day] = TODAY.split('-');
      await page.getByLabel('Day').fill(String(Number(day)));
      await page.getByLabel('Month').fill(String(Number(month)));
      await page.getByLabel('Year').fill(year ?? '');
      await j.navigate(() =>
        page.getByRole('button', { name: 'Start the record', exact: true }).click(),
      );
      const tasks = await j.on(TaskListPage, 'task-list');
      const sessionId = tasks.sessionId();
      await j.navigate(() => page.getByRole('link', { name: 'Personal (confidential)' }).click());
      await j.on(PersonalPage, 'personal');

      // Typed, and saved within 30 seconds without a button.
      const status = page.locator('[data-autosave-status]');
      await page.getByLabel('Wellbeing and support').fill('Typed, then left for a meeting');
      await pass(page, { seconds: 31 });
      await expect.poll(() => status.innerText()).toMatch(/^Draft saved at \d\d:\d\d$/);
      expect((await personalText(sessionId))?.wellbeing).toBe('Typed, then left for a meeting');
      expect(await page.locator('input[name=revision]').inputValue()).toBe('1');

      // Offline: said, and tried again next time.
      await context.setOffline(true);
      await page.getByLabel('Wellbeing and support').fill('Typed on the train');
      await pass(page, { seconds: 31 });
      await expect
        .poll(() => status.innerText())
        .toBe('Not saved: you may be offline. We’ll try again.');
      await context.setOffline(false);
      j.problems.splice(0, j.problems.length);
      await pass(page, { seconds: 31 });
      await expect.poll(() => status.innerText()).toMatch(/^Draft saved at \d\d:\d\d$/);
      expect((await personalText(sessionId))?.wellbeing).toBe('Typed on the train');
      expect(await page.locator('input[name=revision]').inputValue()).toBe('2');

      // Two minutes before the end: the warning, with the focus in it.
      const dialog = page.locator('[data-timeout-dialog]');
      await pass(page, { minutes: 57 });
      expect(await dialog.isVisible()).toBe(false);
      await pass(page, { seconds: 90 });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      const text = await dialog.innerText();
      expect(text).toContain('You’re about to be signed out');
      expect(text).toMatch(/You will be signed out in 1 minute( \d+ seconds?)?\./);
      expect(text).toContain('Your draft has been saved.');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(
        'app-timeout-dialog-title',
      );
      expect(
        await page.getByRole('dialog', { name: 'You’re about to be signed out' }).count(),
      ).toBe(1);
      await expectNoAxeViolations(page, 'the timeout warning');
      await j.screenshot('timeout-warning');

      // Escape is "Stay signed in": the session goes on for another hour from now.
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.isVisible()).toBe(false);
      // The focus goes back where it was.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('wellbeing');
      const seen = await database.db
        .selectFrom('web_sessions')
        .select('last_seen_at')
        .orderBy('last_seen_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(seen.last_seen_at).toBe(clock.now().toISOString());

      // More typed; then nothing for over an hour. The last save arrives after the session has
      // ended, is kept, and the page goes to sign in.
      await page.getByLabel('Learning and development').fill('Typed just before the timeout');
      await Promise.all([page.waitForURL(/\/sign-in\?/), pass(page, { minutes: 61 })]);
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({
        returnTo: `/supervision/${sessionId}/personal`,
        timedOut: '1',
        saved: '1',
      });
      expect((await personalText(sessionId))?.learning).toBe('Typed just before the timeout');
      forgive401(j);
      const signIn = await j.on(SignInPage, 'signed-out-inactive');
      const main = await page.locator('main').innerText();
      expect(main).toContain('You were signed out because you were inactive');
      expect(main).toContain('Your draft was saved.');

      // Signing in again comes back to the draft, with everything in it.
      await signIn.signIn('tm@demo.example');
      await j.on(PersonalPage, 'personal-again');
      expect(await page.getByLabel('Learning and development').inputValue()).toBe(
        'Typed just before the timeout',
      );
    } catch (error) {
      await j.screenshotFailure();
      throw error;
    } finally {
      await context.close();
    }
  }, 90_000);
});
