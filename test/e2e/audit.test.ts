import { describe, expect, it } from 'vitest';
import { personIdOf } from './support/data.js';
import { BasePage, ChildPage } from './support/pages/index.js';
import { browserSuite, DESKTOP, fits, PHONE, signIn } from './support/suite.js';

/**
 * The audit trail in Chromium, with axe on every page, at a desktop's width and a phone's: the
 * social worker opens a child's record, then quality assurance asks "who has opened this child's
 * record" from the child's page, "what did this person view" from an entry, and makes a mistake
 * in a date.
 */

/** The audit trail's search page, with its results. */
class AuditPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toBe('/audit');
    expect(await this.headingText()).toBe('Audit trail');
  }

  /** The results' rows: each cell's text. */
  async rows(): Promise<string[][]> {
    const rows = this.page.locator('main table tbody tr');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i++)
      out.push(
        (await rows.nth(i).locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
      );
    return out;
  }

  async search(fields: { from?: string; to?: string }): Promise<void> {
    if (fields.from !== undefined) await this.page.getByLabel('From').fill(fields.from);
    if (fields.to !== undefined) await this.page.getByLabel('To', { exact: true }).fill(fields.to);
    await this.journey.navigate(() => this.page.getByRole('button', { name: 'Search' }).click());
  }
}

class AuditErrorPage extends AuditPage {
  protected override readonly expectedStatus = 400;
}

const suite = browserSuite();
const { journey } = suite;

describe('the audit trail in a browser', () => {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`quality assurance finds who opened a child's record, and what they viewed (${size})`, async () => {
      const sw = await personIdOf(suite.server.db, 'sw@demo.example');
      const child = (
        await suite.server.db
          .selectFrom('allocations')
          .select('child_id')
          .where('worker_id', '=', sw)
          .where('end', 'is', null)
          .orderBy('child_id')
          .executeTakeFirstOrThrow()
      ).child_id;

      await journey(`audit-sw-${size}`, { viewport }, async (j) => {
        await signIn(j, 'sw@demo.example');
        await j.visit(`/children/${child}`);
        const page = await j.on(ChildPage, 'sw-child');
        // The practitioner is no auditor: no link to the trail.
        expect(
          await page.page.getByRole('link', { name: 'Who has opened this record' }).count(),
        ).toBe(0);
      });

      await journey(`audit-qa-${size}`, { viewport }, async (j) => {
        await signIn(j, 'qa@demo.example');
        await j.visit(`/children/${child}`);
        const childPage = await j.on(ChildPage, 'child');
        await childPage.followLink('Who has opened this record');
        const audit = await j.on(AuditPage, 'who-opened');
        if (size === 'phone') await fits(j, audit);
        expect(new URL(j.page.url()).search).toBe(`?object=child%3A${child}`);
        const rows = await audit.rows();
        const views = rows.filter((r) => r[2] === 'Viewed' && r[3]?.endsWith(`(${child})`));
        const who = views.map((r) => r[1] ?? '');
        expect(who.some((w) => w.startsWith('sw@demo.example'))).toBe(true);
        expect(who.some((w) => w.startsWith('qa@demo.example'))).toBe(true);

        // From the social worker's entry: what did this person view.
        const swRow = j.page.locator('main table tbody tr', { hasText: 'sw@demo.example' }).first();
        await j.navigate(() =>
          swRow.getByRole('link', { name: /What did this person view/ }).click(),
        );
        const viewed = await j.on(AuditPage, 'what-viewed');
        const seen = await viewed.rows();
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.every((r) => r[1]?.startsWith('sw@demo.example') && r[2] === 'Viewed')).toBe(
          true,
        );

        await viewed.search({ from: '2026-13-01' });
        const error = await j.on(AuditErrorPage, 'bad-date');
        expect(await error.title()).toMatch(/^Error: Audit trail/);
        expect(await j.page.locator('.govuk-error-summary').innerText()).toContain(
          'Enter the from date as a real date in the form YYYY-MM-DD',
        );
        if (size === 'phone') await fits(j, error);
      });
    });
  }
});
