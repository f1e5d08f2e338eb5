import { expect } from 'vitest';
import { readSummaryRows } from '../in-page.js';
import { isoFromShown } from '../journey.js';
import { BasePage } from './base.page.js';

export interface CaseSupervisionCard {
  status: string;
  /** The next due date as shown, e.g. "3 Nov 2026". */
  due: string;
  /** "12 days overdue", or null when not overdue. */
  overdue: string | null;
  /** The reason sentence the engine gives. */
  reason: string;
  /** "The policy alone gives …" when an override sets the date. */
  overrideNote: string | null;
  text: string;
}

export interface Override {
  every: string;
  until: { day: string; month: string; year: string };
  reason: string;
}

/** A child's page: why the case supervision is due when it is, and the manager's override. */
export class ChildPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toMatch(/^\/children\/[^/]+$/);
    expect(await this.page.locator('main .govuk-caption-l').first().innerText()).toMatch(/^Child /);
  }

  /** The child's id, from the caption "Child C00123". */
  async childId(): Promise<string> {
    const caption = await this.page.locator('main .govuk-caption-l').first().innerText();
    return caption.replace(/^Child /, '').trim();
  }

  async caseSupervision(): Promise<CaseSupervisionCard> {
    const card = this.page.locator('.app-due-card').first();
    const text = (await card.innerText()).replace(/\s+/g, ' ').trim();
    const headline = (await card.locator('p.govuk-body-l strong').first().innerText()).trim();
    const overdue = /: (\d[\d,]* days? overdue)/.exec(text);
    const paragraphs = (await card.locator(':scope > p.govuk-body').allInnerTexts()).map((t) =>
      t.trim(),
    );
    return {
      status: (await card.locator('.govuk-tag').first().innerText()).trim(),
      due: headline.replace(/^Next due /, ''),
      overdue: overdue?.[1] ?? null,
      reason: paragraphs[1] ?? '',
      overrideNote:
        paragraphs.find(
          (p) =>
            p.startsWith('The policy alone gives') ||
            p.startsWith("A manager's override is in force"),
        ) ?? null,
      text,
    };
  }

  /** The date the card shows, as YYYY-MM-DD. */
  async dueIso(): Promise<string> {
    return isoFromShown((await this.caseSupervision()).due);
  }

  overrideForm() {
    return this.page.locator('form[action$="/override"]');
  }

  /** Sets (or replaces) the override and submits it. */
  async setOverride(override: Override): Promise<void> {
    const form = this.overrideForm();
    const [count = '', unit = ''] = override.every.split(' ');
    await form.getByLabel('Every', { exact: true }).fill(count);
    await form.getByLabel('Unit', { exact: true }).selectOption({ label: unit });
    const until = form.getByRole('group', { name: 'Until' });
    await until.getByLabel('Day', { exact: true }).fill(override.until.day);
    await until.getByLabel('Month', { exact: true }).fill(override.until.month);
    await until.getByLabel('Year', { exact: true }).fill(override.until.year);
    await form.getByLabel('Reason', { exact: true }).fill(override.reason);
    await this.journey.navigate(() =>
      form.getByRole('button', { name: 'Save the override' }).click(),
    );
  }

  /** The rows of the "Manager's override" summary, by their keys; empty when there is none. */
  async activeOverride(): Promise<Record<string, string>> {
    const rows = this.page
      .locator('#override')
      .locator('xpath=following-sibling::*[1][self::dl]')
      .locator('.govuk-summary-list__row');
    const entries = await rows.evaluateAll(readSummaryRows);
    return Object.fromEntries(entries.map((r) => [r.key, r.value]));
  }

  async overrideSectionText(): Promise<string> {
    return (
      await this.page.locator('#override').locator('xpath=following-sibling::*[1]').innerText()
    ).trim();
  }

  async endOverride(): Promise<void> {
    await this.journey.navigate(() =>
      this.page.getByRole('button', { name: 'End the override' }).click(),
    );
  }

  async earlierOverrides(): Promise<string[]> {
    const details = this.page.locator('details', { hasText: 'Earlier overrides' });
    if ((await details.count()) === 0) return [];
    return (await details.locator('li').allTextContents()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
  }
}
