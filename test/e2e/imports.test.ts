import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journey } from './support/journey.js';
import { BasePage } from './support/pages/base.page.js';
import { pdfText } from './support/pdf-text.js';
import { browserSuite, signIn } from './support/suite.js';

/**
 * Imports in the service and decision records across children, in Chromium with axe on every
 * page, at 1280 and 390 pixels: an administrator uploads the sample Annex A workbook, checks the
 * preview, applies it and reads the history; a staff list with an error is refused with its
 * problems; a column mapping is made from a sample; a team manager downloads a range's decision
 * records as one PDF.
 */

const FIXTURES = join(process.cwd(), 'test/fixtures/data-standards');
const ANNEX_A = join(FIXTURES, 'annex_a_xlsx__sfdl-liia-tools__Annex_A.xlsx');

const dir = mkdtempSync(join(tmpdir(), 'oversight-e2e-imports-'));

const suite = browserSuite({ stepTimeoutMs: 15_000 });

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A page known by its heading (and, for a refused form, served with 400). */
function pageWithHeading(heading: string | RegExp, status = 200) {
  return class extends BasePage {
    protected override readonly expectedStatus = status;
    protected override async expectLoaded(): Promise<void> {
      const text = await this.headingText();
      if (typeof heading === 'string') expect(text).toBe(heading);
      else expect(text).toMatch(heading);
    }
  };
}

const UploadPage = pageWithHeading('Import files');
const PreviewPage = pageWithHeading('Check the import');
const CannotImportPage = pageWithHeading('The files cannot be imported');
const HistoryPage = pageWithHeading('Import history');
const HistoryEntryPage = pageWithHeading(/^Annex A workbook, /);
const MappingsPage = pageWithHeading('Column mappings');
const ChooseColumnsPage = pageWithHeading('Choose the columns');
const ChooseColumnsErrorPage = pageWithHeading('Choose the columns', 400);
const RangePage = pageWithHeading('Decision records for a range of dates');
const RangeErrorPage = pageWithHeading('Decision records for a range of dates', 400);

const RunningPage = pageWithHeading('Importing the files');
const StoppedPage = pageWithHeading('Stopped: nothing was written');
const FailedPage = pageWithHeading('Stopped by an error: nothing was written');

class AppliedPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(await this.page.locator('.govuk-panel__title').innerText()).toBe('Import applied');
  }
}

function withJourney(
  name: string,
  width: number,
  body: (j: Journey) => Promise<void>,
): Promise<void> {
  return suite.journey(name, { viewport: { width, height: 900 } }, body);
}

function click(j: Journey, name: string): Promise<void> {
  return j.navigate(() => j.page.getByRole('button', { name }).click());
}

for (const width of [1280, 390]) {
  describe(`imports in a browser at ${String(width)} pixels`, () => {
    it('an administrator uploads the Annex A workbook, previews, applies and sees the history', async () => {
      await withJourney(`imports-annex-a-${String(width)}`, width, async (j) => {
        await signIn(j, 'admin@demo.example');
        await j.visit('/admin/imports');
        await j.on(UploadPage, 'upload');
        await j.page.getByLabel('Ofsted Annex A workbook (.xlsx)').check();
        await j.page.locator('#asOf-day').fill('31');
        await j.page.locator('#asOf-month').fill('3');
        await j.page.locator('#asOf-year').fill('2021');
        await j.page.locator('#files').setInputFiles(ANNEX_A);
        await click(j, 'Upload and check');
        const preview = await j.on(PreviewPage, 'preview');
        expect(await preview.page.locator('body').innerText()).toContain(
          'What the import would change',
        );
        await click(j, 'Apply this import');
        // The progress page follows the import (import-progress.js), and when it has finished
        // offers the result; an import this small may have finished before the page loaded.
        const done = j.page.locator('.govuk-panel__title, a:text-is("See what the import did")');
        await done.first().waitFor({ timeout: 30_000 });
        if ((await j.page.locator('.govuk-panel__title').count()) === 0)
          await j.navigate(() =>
            j.page.getByRole('button', { name: 'See what the import did' }).click(),
          );
        await j.on(AppliedPage, 'applied');
        await j.navigate(() =>
          j.page.getByRole('link', { name: 'See this import in the history' }).click(),
        );
        await j.on(HistoryEntryPage, 'history-entry');
        await j.visit('/admin/imports/history');
        const history = await j.on(HistoryPage, 'history');
        expect(await history.page.locator('table').first().innerText()).toContain(
          'annex_a_xlsx__sfdl-liia-tools__Annex_A.xlsx',
        );
      });
    }, 90_000);

    it('the progress page of an import under way, and of one stopped by a restart', async () => {
      const now = '2026-11-24T12:00:00.000Z';
      const job = (id: string, state: 'reading' | 'writing', heartbeat: string) => ({
        id,
        kind: 'ssda903',
        mapping_id: null,
        mapping_name: null,
        as_of: null,
        files: JSON.stringify([{ name: 'episodes.csv', sha256: 'b'.repeat(64), bytes: 8_000_000 }]),
        state,
        done: 3_355_443,
        total: 8_000_000,
        preview: null,
        result: null,
        history_id: null,
        runner: 'another process',
        heartbeat_at: heartbeat,
        created_by: 'someone',
        created_at: now,
        updated_at: now,
      });
      await suite.server.db
        .insertInto('import_jobs')
        .values([
          job(`running-${String(width)}`, 'reading', now),
          job(`stopped-${String(width)}`, 'writing', '2026-11-24T11:00:00.000Z'),
        ])
        .execute();
      await withJourney(`imports-progress-${String(width)}`, width, async (j) => {
        await signIn(j, 'admin@demo.example');
        await j.visit(`/admin/imports/running-${String(width)}/progress`);
        expect(await j.page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
        const running = await j.on(RunningPage, 'running');
        const status = running.page.locator('[role="status"]');
        expect(await status.innerText()).toBe('Read 3.2 MB of 7.6 MB of the files (41%).');
        // The script follows the job without reloading the page: when it has read more, the
        // status says so; when it has finished, the button becomes the way to the result.
        await suite.server.db
          .updateTable('import_jobs')
          .set({ done: 6_000_000 })
          .where('id', '=', `running-${String(width)}`)
          .execute();
        await expect
          .poll(() => status.innerText(), { timeout: 10_000 })
          .toBe('Read 5.7 MB of 7.6 MB of the files (75%).');
        await suite.server.db
          .updateTable('import_jobs')
          .set({ state: 'failed' })
          .where('id', '=', `running-${String(width)}`)
          .execute();
        await expect
          .poll(() => status.innerText(), { timeout: 10_000 })
          .toBe('The import has finished.');
        await j.navigate(() =>
          running.page.getByRole('button', { name: 'See what the import did' }).click(),
        );
        await j.on(FailedPage, 'failed');
        await j.visit(`/admin/imports/stopped-${String(width)}/progress`);
        const stopped = await j.on(StoppedPage, 'stopped');
        expect(await stopped.page.locator('[data-import-progress]').count()).toBe(0);
      });
    }, 60_000);

    it('a staff list with an error shows its problems and cannot be applied', async () => {
      await withJourney(`imports-refused-${String(width)}`, width, async (j) => {
        const file = join(dir, `staff-${String(width)}.csv`);
        writeFileSync(
          file,
          'Employee ID,Name,Job title,Start date\nE1,Ada Lovelace,Social Worker,31/02/2021\n',
        );
        await signIn(j, 'admin@demo.example');
        await j.visit('/admin/imports');
        await j.on(UploadPage, 'upload');
        await j.page.getByLabel('Staff list (CSV)').check();
        await j.page.locator('#files').setInputFiles(file);
        await click(j, 'Upload and check');
        const refused = await j.on(CannotImportPage, 'refused');
        expect(await refused.page.getByRole('button', { name: 'Apply this import' }).count()).toBe(
          0,
        );
        expect(await refused.page.locator('table').first().innerText()).toContain(
          'February 2021 has 28 days',
        );
      });
    }, 60_000);

    it('an administrator makes a column mapping from a sample', async () => {
      await withJourney(`imports-mapping-${String(width)}`, width, async (j) => {
        const sample = join(dir, `sample-${String(width)}.csv`);
        writeFileSync(sample, 'Person ID,Case Type,Opened,Closed\nC1,Section 17,01/09/2026,\n');
        const name = `Liquidlogic CIN extract ${String(width)}`;
        await signIn(j, 'admin@demo.example');
        await j.visit('/admin/imports/mappings');
        await j.on(MappingsPage, 'mappings');
        await j.page.getByLabel('Name of the source').fill(name);
        await j.page.locator('#target').check();
        await j.page.locator('#sample').setInputFiles(sample);
        await click(j, 'Continue');
        await j.on(ChooseColumnsPage, 'choose-columns');
        await j.page.locator('#column-childId').selectOption('Person ID');
        await click(j, 'Save the mapping');
        await j.on(ChooseColumnsErrorPage, 'choose-columns-errors');
        await j.page.locator('#column-type').selectOption('Case Type');
        await j.page.locator('#column-start').selectOption('Opened');
        await j.page.locator('#column-end').selectOption('Closed');
        await j.page.locator('#values').fill('Section 17 = cin');
        await click(j, 'Save the mapping');
        const list = await j.on(MappingsPage, 'mappings-saved');
        expect(await list.page.locator('table').first().innerText()).toContain(name);
      });
    }, 60_000);

    it('a team manager downloads the decision records of a range as one PDF', async () => {
      await withJourney(`decision-records-range-${String(width)}`, width, async (j) => {
        await signIn(j, 'tm@demo.example');
        await j.visit('/decision-records');
        await j.on(RangePage, 'range');
        await j.page.locator('#from-day').fill('31');
        await j.page.locator('#from-month').fill('2');
        await j.page.locator('#from-year').fill('2026');
        await click(j, 'Find the decision records');
        await j.on(RangeErrorPage, 'range-errors');
        await j.page.locator('#from-day').fill('1');
        await j.page.locator('#from-month').fill('10');
        await j.page.locator('#from-year').fill('2026');
        await j.page.locator('#to-day').fill('24');
        await j.page.locator('#to-month').fill('11');
        await j.page.locator('#to-year').fill('2026');
        await click(j, 'Find the decision records');
        const found = await j.on(RangePage, 'range-found');
        const link = found.page.getByRole('link', { name: 'Download them as one PDF' });
        const href = await link.getAttribute('href');
        expect(href).toBe('/decision-records.pdf?from=2026-10-01&to=2026-11-24');
        const response = await j.page.context().request.get(`${suite.server.baseUrl}${href ?? ''}`);
        expect(response.status()).toBe(200);
        expect(response.headers()['content-type']).toBe('application/pdf');
        const text = await pdfText(new Uint8Array(await response.body()));
        expect(text).toContain('Contents');
        expect(text).toContain('Supervision decision record');
      });
    }, 90_000);
  });
}
