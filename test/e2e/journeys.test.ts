import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, parseIsoDate, toIsoDate } from '../../src/domain/dates/index.js';
import { launchChromium } from './support/browser.js';
import {
  childInAnotherTeam,
  countWithInvolvement,
  engineCaseSupervision,
  nameOfPerson,
  nameOfTeam,
  personIdOf,
  storedClock,
  teamInAnotherService,
  teamOf,
} from './support/data.js';
import { isoFromShown, Journey, SCREENSHOT_DIR, shownFromIso } from './support/journey.js';
import {
  AdminPage,
  ChildPage,
  DirectoratePage,
  ForbiddenPage,
  FosterCarerPage,
  MyWorkPage,
  NotFoundPage,
  ServicePage,
  SignedOutPage,
  SignInErrorPage,
  SignInPage,
  TeamPage,
  WorkerPage,
  type BasePage,
} from './support/pages/index.js';
import { startServer, TODAY, type TestServer } from './support/server.js';

/**
 * Every role's main journey through the real service in Chromium, with axe (WCAG 2.2 AA) on
 * every page visited and a full-page screenshot of each in test-results/screenshots/.
 */

const TM = 'tm@demo.example';
const SW = 'sw@demo.example';
const HOS = 'hos@demo.example';
const DIRECTOR = 'director@demo.example';
const QA = 'qa@demo.example';
const ADMIN = 'admin@demo.example';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  const [started, launched] = await Promise.allSettled([startServer(), launchChromium()]);
  // Whichever started is kept, so that afterAll stops it even when the other failed.
  if (started.status === 'fulfilled') server = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  if (launched.status === 'rejected') throw launched.reason;
  if (started.status === 'rejected') throw started.reason;
}, 60_000);

afterAll(async () => {
  // Either is missing when beforeAll failed.
  await (browser as Browser | undefined)?.close();
  await (server as TestServer | undefined)?.close();
});

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Runs a journey in its own browser context (its own cookies), closed however it ends. */
async function journey(
  name: string,
  body: (j: Journey) => Promise<void>,
  options: BrowserContextOptions = {},
): Promise<void> {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  let mirror: BrowserContext | undefined;
  try {
    // A missing element fails its step quickly, with the locator in the message.
    context.setDefaultTimeout(10_000);
    if (options.javaScriptEnabled === false)
      mirror = await browser.newContext({
        ...options,
        viewport: options.viewport ?? DESKTOP,
        javaScriptEnabled: true,
      });
    const axeMirror = mirror && (await scriptlessPage(mirror));
    const j = new Journey(await context.newPage(), name, server.baseUrl, axeMirror);
    try {
      await body(j);
    } catch (error) {
      await j.screenshotFailure();
      throw error;
    }
  } finally {
    await context.close();
    await mirror?.close();
  }
}

/** A page whose documents may run no script of their own, though axe can still be run in it. */
async function scriptlessPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    return route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': "script-src 'none'" },
    });
  });
  return page;
}

async function signIn(j: Journey, email: string): Promise<void> {
  await j.visit('/sign-in');
  const page = await j.on(SignInPage, 'sign-in');
  await page.signIn(email);
}

/** "12 days overdue", as the pages write it: days past the last day before it is overdue. */
function overdueWords(latest: string): string {
  const days = parseIsoDate(TODAY) - parseIsoDate(latest);
  return `${days.toLocaleString('en-GB')} ${days === 1 ? 'day' : 'days'} overdue`;
}

/** What a child's page says about its case supervision must be what is stored and what the engine gives. */
async function expectChildExplained(child: ChildPage, expectedStatus: 'Overdue') {
  const childId = await child.childId();
  const card = await child.caseSupervision();
  const stored = await storedClock(server.db, 'child', childId, 'case-supervision');
  const engine = engineCaseSupervision(childId);
  expect(card.status).toBe(expectedStatus);
  expect(isoFromShown(card.due)).toBe(stored.effective_due);
  expect(stored.effective_due).toBe(engine.due);
  expect(stored.effective_status).toBe(engine.status);
  expect(stored.override_id).toBeNull();
  expect(card.reason).toBe(`${engine.reason}.`);
  expect(card.reason.length).toBeGreaterThan(20);
  expect(card.overdue).toBe(overdueWords(engine.latest));
  return { childId, card, stored, engine };
}

// The journeys run side by side (each in its own browser context) to keep the file quick; one can
// take a while on a busy machine, since every page is loaded, checked by axe and photographed.
describe.concurrent('journeys in a browser, with axe on every page', { timeout: 180_000 }, () => {
  it('a wrong password shows the error summary, accessibly', async () => {
    await journey('wrong-password', async (j) => {
      await j.visit('/sign-in');
      const signInPage = await j.on(SignInPage, 'sign-in');
      expect(await signInPage.title()).toMatch(/^Sign in – Oversight – Demo Borough Council$/);
      await signInPage.signIn(TM, 'not-the-password');
      const refused = await j.on(SignInErrorPage, 'refused');
      expect(await refused.title()).toMatch(/^Error: Sign in – /);
      expect(await refused.errors()).toEqual({
        title: 'There is a problem',
        messages: ['The email address or password is not right'],
      });
      // The email address is kept; the password is not.
      expect(await j.page.getByLabel('Email address').inputValue()).toBe(TM);
      expect(await j.page.getByLabel('Password').inputValue()).toBe('');
    });
  });

  it('a team manager finds an overdue child, reads why, overrides it, ends the override and signs out', async () => {
    await journey('team-manager', async (j) => {
      const db = server.db;
      const teamId = await teamOf(db, await personIdOf(db, TM));

      await signIn(j, TM);
      const myWork = await j.on(MyWorkPage, 'my-work');
      expect(await myWork.navigationItems()).toEqual([
        'My work',
        'Supervision',
        'Actions',
        'My team',
      ]);

      await myWork.followNavigation('My team');
      const team = await j.on(TeamPage, 'my-team');
      expect(team.path).toBe(`/teams/${teamId}`);
      expect(await team.headingText()).toBe(await nameOfTeam(db, teamId));

      await team.list.filter({ status: 'Overdue', who: 'Children' });
      const overdue = await j.on(TeamPage, 'overdue-children');
      expect(overdue.query.get('status')).toBe('overdue');
      expect(overdue.query.get('kind')).toBe('child');
      const rows = await overdue.list.rows();
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['Overdue']));
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['Child']));
      const first = rows[0];
      if (first === undefined) throw new Error('no overdue child');

      await overdue.list.openRow(0);
      const child = await j.on(ChildPage, 'overdue-child');
      const { childId, card, engine } = await expectChildExplained(child, 'Overdue');
      expect(first.href).toBe(`/children/${childId}`);
      // The list said the same as the child's page.
      expect(first.due).toBe(card.due);
      expect(Number(first.daysOverdue)).toBe(parseIsoDate(TODAY) - parseIsoDate(engine.latest));
      expect(first.reason).toBe(engine.reason);

      const until = toIsoDate(addMonths(parseIsoDate(TODAY), 2));
      const [year = '', month = '', day = ''] = until.split('-');
      const reason =
        'The family has moved and the new school has raised concerns: fortnightly case discussion until the review.';
      await child.setOverride({
        every: '2 weeks',
        until: { day: String(Number(day)), month: String(Number(month)), year },
        reason,
      });
      const overridden = await j.on(ChildPage, 'override-set');
      expect(new URL(j.page.url()).hash).toBe('#override');
      const summary = await overridden.activeOverride();
      expect(summary).toEqual({
        'Case supervision': `Fortnightly until ${shownFromIso(until)} (more often than the policy)`,
        Because: reason,
        'Set by': `${await nameOfPerson(db, await personIdOf(db, TM))} on ${shownFromIso(TODAY)}`,
      });
      const withOverride = engine.withOverride('14 days', until);
      const storedAfter = await storedClock(db, 'child', childId, 'case-supervision');
      expect(storedAfter.override_id).not.toBeNull();
      expect(storedAfter.effective_due).toBe(withOverride.due);
      const cardAfter = await overridden.caseSupervision();
      expect(isoFromShown(cardAfter.due)).toBe(withOverride.due);
      // The page says what the policy alone would give beside the override's date, or, when the
      // policy's date is the earlier (an overdue child), that it stands.
      expect(cardAfter.overrideNote).toContain(
        withOverride.due === engine.due
          ? "A manager's override is in force (below), but the policy's own date is the earlier"
          : `The policy alone gives ${shownFromIso(engine.due)}`,
      );

      await overridden.endOverride();
      const ended = await j.on(ChildPage, 'override-ended');
      expect(await ended.activeOverride()).toEqual({});
      expect(await ended.overrideSectionText()).toBe("None: the policy's frequency applies.");
      expect(await ended.dueIso()).toBe(engine.due);
      expect((await ended.caseSupervision()).overrideNote).toBeNull();
      const earlier = await ended.earlierOverrides();
      expect(earlier).toHaveLength(1);
      expect(earlier[0]).toContain(`until ${shownFromIso(until)}`);
      expect(earlier[0]).toContain('ended early');
      expect(earlier[0]).toContain(reason);
      expect((await storedClock(db, 'child', childId, 'case-supervision')).override_id).toBeNull();

      await ended.signOut();
      await j.on(SignedOutPage, 'signed-out');
      await j.visit('/my-work');
      await j.on(SignInPage, 'my-work-after-sign-out');
      expect(new URL(j.page.url()).searchParams.get('returnTo')).toBe('/my-work');
    });
  });

  it('a social worker sees their own supervision and children, and nothing beyond them', async () => {
    await journey('social-worker', async (j) => {
      const db = server.db;
      const swId = await personIdOf(db, SW);
      const teamId = await teamOf(db, swId);

      await signIn(j, SW);
      const myWork = await j.on(MyWorkPage, 'my-work');
      expect(await myWork.navigationItems()).toEqual(['My work', 'Supervision', 'Actions']);
      const mine = await myWork.mySupervision();
      const own = await storedClock(db, 'worker', swId, 'professional-supervision');
      const supervision = mine.find((r) => r.requirement === 'Supervision');
      expect(supervision?.text).toContain(`Next due ${shownFromIso(own.effective_due)}`);
      expect(supervision?.text).toContain(own.reason);
      const children = await myWork.myChildren();
      expect(children.length).toBeGreaterThan(0);

      await myWork.openMyChild(0);
      const child = await j.on(ChildPage, 'my-child');
      const childId = await child.childId();
      expect(children[0]?.href).toBe(`/children/${childId}`);
      expect((await storedClock(db, 'child', childId, 'case-supervision')).worker_id).toBe(swId);
      // A practitioner reads the override section but may not set one.
      expect(await child.overrideForm().count()).toBe(0);

      await j.visit('/directorate');
      await j.on(ForbiddenPage, 'directorate-forbidden');

      const otherTeam = await teamInAnotherService(db, teamId);
      await j.visit(`/teams/${otherTeam}`);
      const forbidden = await j.on(ForbiddenPage, 'other-team-forbidden');

      const otherChild = await childInAnotherTeam(db, teamId);
      await j.visit(`/children/${otherChild}`);
      await j.on(NotFoundPage, 'other-child-not-found');

      // The way back from a refusal leads home.
      await j.page.goBack();
      await forbidden.goToStart();
      await j.on(MyWorkPage, 'back-home');
    });
  });

  it('a head of service drills down from the service to an overdue child, and no further than the service', async () => {
    await journey('head-of-service', async (j) => {
      const db = server.db;
      await signIn(j, HOS);
      const myWork = await j.on(MyWorkPage, 'my-work');
      expect(await myWork.navigationItems()).toEqual([
        'My work',
        'Supervision',
        'Actions',
        'My service',
      ]);

      await myWork.followNavigation('My service');
      const service = await j.on(ServicePage, 'my-service');
      expect(await service.headingText()).toBe('Assessment and Child Protection');
      const units = await service.units();
      // Not the team manager's team, whose first overdue child another journey overrides.
      const tmTeam = await teamOf(db, await personIdOf(db, TM));
      const withOverdue = units.find((u) => u.childrenOverdue > 0 && u.href !== `/teams/${tmTeam}`);
      if (withOverdue === undefined) throw new Error('no team with an overdue child');

      await service.openUnit(withOverdue.name);
      const team = await j.on(TeamPage, 'team');
      expect(team.path).toBe(withOverdue.href);
      expect(await team.breadcrumbs()).toEqual([
        'Assessment and Child Protection',
        withOverdue.name,
      ]);

      await team.list.filter({ status: 'Overdue', who: 'Children' });
      const overdue = await j.on(TeamPage, 'overdue-children');
      expect((await overdue.list.rows()).length).toBe(withOverdue.childrenOverdue);

      await overdue.list.openRow(0);
      const child = await j.on(ChildPage, 'overdue-child');
      await expectChildExplained(child, 'Overdue');

      const teamId = withOverdue.href.replace('/teams/', '');
      await j.visit(`/teams/${await teamInAnotherService(db, teamId)}`);
      await j.on(ForbiddenPage, 'other-service-team-forbidden');
    });
  });

  it('an assistant director goes from the directorate to a fostering team, a worker and a foster carer', async () => {
    await journey('director', async (j) => {
      await signIn(j, DIRECTOR);
      const myWork = await j.on(MyWorkPage, 'my-work');
      expect(await myWork.navigationItems()).toEqual([
        'My work',
        'Supervision',
        'Actions',
        'Directorate',
        'Audit trail',
      ]);

      await myWork.followNavigation('Directorate');
      const directorate = await j.on(DirectoratePage, 'directorate');
      expect((await directorate.units()).map((u) => u.name)).toContain('Fostering');

      await directorate.openUnit('Fostering');
      const service = await j.on(ServicePage, 'fostering');
      expect(await service.breadcrumbs()).toEqual(['Directorate', 'Fostering']);

      await service.openUnit('Fostering Support');
      const team = await j.on(TeamPage, 'fostering-support');
      expect(await team.breadcrumbs()).toEqual(['Fostering', 'Fostering Support']);

      await team.list.filter({ who: 'Foster carers' });
      const carers = await j.on(TeamPage, 'foster-carers');
      const rows = await carers.list.rows();
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['Foster carer']));
      const first = rows[0];
      if (first?.workerHref == null) throw new Error('the first foster carer has no worker');

      await carers.list.openWorkerOnRow(0);
      const worker = await j.on(WorkerPage, 'supervising-worker');
      expect(new URL(j.page.url()).pathname).toBe(first.workerHref);
      expect(await worker.headingText()).toBe(first.worker);
      expect((await worker.supervisionCards()).length).toBeGreaterThan(0);

      await j.navigate(() => j.page.goBack());
      const again = await j.on(TeamPage, 'foster-carers-again');
      await again.list.openRow(0);
      const carer = await j.on(FosterCarerPage, 'foster-carer');
      expect(new URL(j.page.url()).pathname).toBe(first.href);
      expect(await carer.headingText()).toBe(first.name);
      expect(await carer.supervisorLink().getAttribute('href')).toBe(first.workerHref);
      expect(await carer.supervisionText()).toContain(`Next due ${first.due}`);
    });
  });

  it('a quality assurance officer filters the directorate by involvement, sorts by next due and pages on', async () => {
    await journey('quality-assurance', async (j) => {
      const total = await countWithInvolvement(server.db, 'cp');
      expect(total).toBeGreaterThan(50);

      await signIn(j, QA);
      const home = await j.on(MyWorkPage, 'my-work');
      await home.followNavigation('Directorate');
      const directorate = await j.on(DirectoratePage, 'directorate');

      await directorate.list.filter({ involvement: 'Child protection' });
      const filtered = await j.on(DirectoratePage, 'child-protection');
      expect(filtered.query.get('involvement')).toBe('cp');
      expect(await filtered.list.summary()).toBe(
        `Showing 1 to 50 of ${total.toLocaleString('en-GB')} results.`,
      );
      expect(new Set((await filtered.list.rows()).map((r) => r.kind))).toEqual(new Set(['Child']));

      await filtered.list.sortBy('Next due');
      const sorted = await j.on(DirectoratePage, 'sorted-by-next-due');
      // Sorting keeps the filter and the number of results.
      expect(await sorted.list.summary()).toBe(
        `Showing 1 to 50 of ${total.toLocaleString('en-GB')} results.`,
      );
      expect(sorted.query.get('sort')).toBe('due');
      expect(sorted.query.get('dir')).toBe('asc');
      expect(sorted.query.get('involvement')).toBe('cp');
      expect(await sorted.list.sortOf('Next due')).toBe('ascending');
      expect(await sorted.list.sortOf('Name')).toBe('none');
      const pageOne = (await sorted.list.rows()).map((r) => isoFromShown(r.due));
      expect(pageOne).toHaveLength(50);
      expect(pageOne).toEqual([...pageOne].sort());

      await sorted.list.nextPage();
      const pageTwo = await j.on(DirectoratePage, 'page-2');
      expect(pageTwo.query.get('page')).toBe('2');
      expect(pageTwo.query.get('sort')).toBe('due');
      expect(pageTwo.query.get('involvement')).toBe('cp');
      expect(await pageTwo.list.currentPageNumber()).toBe('2');
      expect(await pageTwo.list.summary()).toBe(
        `Showing 51 to ${String(Math.min(100, total))} of ${total.toLocaleString('en-GB')} results.`,
      );
      const dues = (await pageTwo.list.rows()).map((r) => isoFromShown(r.due));
      expect(dues).toEqual([...dues].sort());
      expect((dues[0] ?? '') >= (pageOne[49] ?? '')).toBe(true);
    });
  });

  it('an administrator lands on the administration area', async () => {
    await journey('administrator', async (j) => {
      await signIn(j, ADMIN);
      await j.on(AdminPage, 'admin');
    });
  });

  it('filters and sorting work with JavaScript off', async () => {
    await journey(
      'no-javascript',
      async (j) => {
        // Straight to the team page: signing in returns there.
        const teamPath = `/teams/${await teamOf(server.db, await personIdOf(server.db, TM))}`;
        await j.visit(teamPath);
        const signInPage = await j.on(SignInPage, 'sign-in');
        expect(new URL(j.page.url()).searchParams.get('returnTo')).toBe(teamPath);
        await signInPage.signIn(TM);
        const team = await j.on(TeamPage, 'my-team');
        expect(team.path).toBe(teamPath);

        await team.list.filter({ status: 'Overdue' });
        const overdue = await j.on(TeamPage, 'overdue');
        expect(overdue.query.get('status')).toBe('overdue');
        const rows = await overdue.list.rows();
        expect(rows.length).toBeGreaterThan(1);
        expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['Overdue']));

        const overdueSummary = await overdue.list.summary();
        await overdue.list.sortBy('Next due');
        const ascending = await j.on(TeamPage, 'sorted-ascending');
        // Sorting keeps the filter and the results.
        expect(await ascending.list.summary()).toBe(overdueSummary);
        expect(ascending.query.get('status')).toBe('overdue');
        expect(await ascending.list.sortOf('Next due')).toBe('ascending');
        const up = (await ascending.list.rows()).map((r) => isoFromShown(r.due));
        expect(up).toEqual([...up].sort());

        await ascending.list.sortBy('Next due');
        const descending = await j.on(TeamPage, 'sorted-descending');
        expect(descending.query.get('dir')).toBe('desc');
        expect(await descending.list.sortOf('Next due')).toBe('descending');
        const down = (await descending.list.rows()).map((r) => isoFromShown(r.due));
        expect(down).toEqual([...down].sort().reverse());
        // The latest date comes first now, and the earliest was first before.
        expect((down[0] ?? '') >= (up[up.length - 1] ?? '')).toBe(true);
        expect((down[down.length - 1] ?? '') >= (up[0] ?? '')).toBe(true);
      },
      { javaScriptEnabled: false },
    );
  });

  it('on a phone-sized screen (390 px) the pages fit without sideways scrolling', async () => {
    await journey(
      'phone',
      async (j) => {
        const fits = async (page: BasePage) => {
          const overflow = await page.sidewaysOverflow();
          const culprits = overflow > 0 ? await page.elementsPastTheEdge() : [];
          expect(overflow, `sideways scrolling on ${j.page.url()}: ${culprits.join(', ')}`).toBe(0);
        };
        await signIn(j, TM);
        await fits(await j.on(MyWorkPage, 'my-work'));
        const teamPath = `/teams/${await teamOf(server.db, await personIdOf(server.db, TM))}`;
        await j.visit(`${teamPath}?status=overdue&kind=child`);
        const overdue = await j.on(TeamPage, 'overdue-children');
        await fits(overdue);
        await overdue.list.openRow(0);
        await fits(await j.on(ChildPage, 'child'));
      },
      { viewport: PHONE, isMobile: true, hasTouch: true },
    );
  });
});
