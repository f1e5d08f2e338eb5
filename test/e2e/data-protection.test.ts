import { describe, expect, it } from 'vitest';
import { personIdOf } from './support/data.js';
import { BasePage } from './support/pages/index.js';
import { browserSuite, DESKTOP, fits, PHONE, signIn } from './support/suite.js';

/**
 * Data protection in Chromium, with axe on every page, at a desktop's width and a phone's: the
 * head of service uses break-glass access on the demo's signed one-to-one of the social worker
 * (refused first without a reason) and reads it; the social worker sees who opened it and
 * dismisses the notice; the administrator sets a retention period, places a legal hold (refused
 * first without a reason), and looks at the break-glass list and a person's subject access link.
 */

function pageAt(path: RegExp, heading: RegExp, status = 200) {
  return class extends BasePage {
    protected override readonly expectedStatus = status;
    protected override async expectLoaded(): Promise<void> {
      expect(new URL(this.page.url()).pathname).toMatch(path);
      expect(await this.headingText()).toMatch(heading);
    }
  };
}

const RecordPage = pageAt(/^\/supervision\/[^/]+$/, /^Supervision on /);
const RequestPage = pageAt(
  /^\/supervision\/[^/]+\/break-glass$/,
  /^Request access to the personal section/,
);
const RequestErrorPage = pageAt(
  /^\/supervision\/[^/]+\/break-glass$/,
  /^Request access to the personal section/,
  400,
);
const PersonalPage = pageAt(/^\/supervision\/[^/]+\/break-glass\/personal$/, /^Personal/);
const MyWorkPage = pageAt(/^\/my-work$/, /^My work$/);
const SupervisionPage = pageAt(/^\/supervision$/, /^Supervision$/);
const RetentionPage = pageAt(/^\/admin\/retention$/, /^Retention and legal holds$/);
const HoldPage = pageAt(/^\/admin\/retention\/holds(\/new)?$/, /^Place a legal hold$/);
const HoldErrorPage = pageAt(/^\/admin\/retention\/holds$/, /^Place a legal hold$/, 400);
const LiftPage = pageAt(/^\/admin\/retention\/holds\/[^/]+\/lift$/, /^Lift a legal hold$/);
const BreakGlassListPage = pageAt(/^\/admin\/break-glass$/, /^Break-glass access$/);
const PersonPage = pageAt(/^\/admin\/people\/[^/]+$/, /^Change /);

const REASON = 'HR investigation HR-2026-041 into a grievance about workload allocation';

const suite = browserSuite();
const { journey } = suite;

async function demoRecord(): Promise<{ id: string; wellbeing: string }> {
  const sw = await personIdOf(suite.server.db, 'sw@demo.example');
  const row = await suite.server.db
    .selectFrom('supervision_sessions as s')
    .innerJoin('session_participants as p', 'p.session_id', 's.id')
    .innerJoin('session_personal as sp', 'sp.session_id', 's.id')
    .select(['s.id', 'sp.wellbeing'])
    .where('p.person_id', '=', sw)
    .where('s.type', '=', 'individual')
    .where('s.state', '!=', 'draft')
    .executeTakeFirstOrThrow();
  return { id: row.id, wellbeing: row.wellbeing ?? '' };
}

describe('data protection in a browser', () => {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`the head of service uses break-glass and the social worker is told (${size})`, async () => {
      const record = await demoRecord();
      // Each run starts with no grant (the server's clock stands still, so one would last).
      await suite.server.db.deleteFrom('break_glass_grants').execute();
      await journey(`break-glass-hos-${size}`, { viewport }, async (j) => {
        await signIn(j, 'hos@demo.example');
        await j.visit(`/supervision/${record.id}`);
        const recordPage = await j.on(RecordPage, 'record');
        expect(await j.page.locator('main').innerText()).not.toContain(record.wellbeing);
        await j.navigate(() =>
          j.page
            .getByRole('link', { name: 'Request access to the personal section (break-glass)' })
            .click(),
        );
        await fits(j, recordPage);
        await j.on(RequestPage, 'request');
        await j.navigate(() =>
          j.page.getByRole('button', { name: 'Open the personal section' }).click(),
        );
        const refused = await j.on(RequestErrorPage, 'request-refused');
        expect(await j.page.title()).toMatch(/^Error: /);
        expect(await j.page.locator('.govuk-error-summary').innerText()).toContain(
          'Enter why you need to read this personal section',
        );
        await fits(j, refused);
        await j.page.getByLabel('Why do you need to read it?').fill(REASON);
        await j.page.getByLabel('8 hours').check();
        await j.page.getByLabel(/I understand that my access is recorded/).check();
        await j.navigate(() =>
          j.page.getByRole('button', { name: 'Open the personal section' }).click(),
        );
        const personal = await j.on(PersonalPage, 'personal');
        const text = await j.page.locator('main').innerText();
        expect(text).toContain(record.wellbeing);
        expect(text).toContain('You are reading this under break-glass access until');
        expect(text).toContain(REASON);
        await fits(j, personal);
      });

      await journey(`break-glass-sw-${size}`, { viewport }, async (j) => {
        await signIn(j, 'sw@demo.example');
        const myWork = await j.on(MyWorkPage, 'my-work');
        expect(await j.page.locator('main').innerText()).toMatch(
          /Your personal supervision record of .+ was opened by .+, head of service, on 24 Nov 2026: HR investigation/,
        );
        await fits(j, myWork);
        await j.visit('/supervision');
        await j.on(SupervisionPage, 'supervision-notice');
        await j.navigate(() =>
          j.page.getByRole('button', { name: /^Dismiss this notice/ }).click(),
        );
        // (The Supervision page's own table of records is not this test's: its width is left to
        // the recording tests.)
        await j.on(SupervisionPage, 'supervision-dismissed');
        expect(await j.page.locator('main').innerText()).not.toContain(
          'Your personal supervision record of',
        );
        await j.visit(`/supervision/${record.id}`);
        await j.on(RecordPage, 'own-record');
        expect(await j.page.locator('main').innerText()).toContain(
          'Break-glass access to the personal section',
        );
      });
    });

    it(`the administrator sets a retention period and places a legal hold (${size})`, async () => {
      const sw = await personIdOf(suite.server.db, 'sw@demo.example');
      await journey(`retention-admin-${size}`, { viewport }, async (j) => {
        await signIn(j, 'admin@demo.example');
        await j.visit('/admin/retention');
        await j.on(RetentionPage, 'retention');
        await j.page.getByLabel('Staff supervision records').fill('7');
        await j.navigate(() =>
          j.page.getByRole('button', { name: 'Save the retention periods' }).click(),
        );
        const saved = await j.on(RetentionPage, 'retention-saved');
        expect(await j.page.getByLabel('Staff supervision records').inputValue()).toBe('7');
        await fits(j, saved);

        // A link drawn as a button.
        await j.navigate(() => j.page.getByRole('button', { name: 'Place a legal hold' }).click());
        await j.on(HoldPage, 'hold');
        await j.navigate(() => j.page.getByRole('button', { name: 'Place the hold' }).click());
        const refused = await j.on(HoldErrorPage, 'hold-refused');
        expect(await j.page.title()).toMatch(/^Error: /);
        await fits(j, refused);
        await j.page.getByLabel('A member of staff').check();
        await j.page.getByLabel('Their id').fill(sw);
        await j.page.getByLabel('Reason').fill(`Employment tribunal claim 2026/${size}`);
        await j.navigate(() => j.page.getByRole('button', { name: 'Place the hold' }).click());
        const withHold = await j.on(RetentionPage, 'retention-hold');
        expect(await j.page.locator('main').innerText()).toContain(
          `Employment tribunal claim 2026/${size}`,
        );
        await fits(j, withHold);
        await j.navigate(() => j.page.getByRole('link', { name: /^Lift/ }).first().click());
        await j.on(LiftPage, 'lift');

        await j.visit('/admin/break-glass');
        const list = await j.on(BreakGlassListPage, 'break-glass-list');
        expect(await j.page.locator('main').innerText()).toContain(REASON);
        await fits(j, list);

        await j.visit(`/admin/people/${sw}`);
        await j.on(PersonPage, 'person');
        expect(
          await j.page
            .getByRole('link', {
              name: 'Download everything held about this person (subject access)',
            })
            .count(),
        ).toBe(1);
      });
    });
  }
});
