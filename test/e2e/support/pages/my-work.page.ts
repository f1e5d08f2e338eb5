import { expect } from 'vitest';
import { readLinkedRows, readSummaryRows } from '../in-page.js';
import { BasePage } from './base.page.js';

/** "My work": the signed-in person's own supervision and their children. */
export class MyWorkPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toBe('/my-work');
    expect(await this.headingText()).toBe('My work');
  }

  /** Each row of "My supervision": the requirement, its status and what it says. */
  async mySupervision(): Promise<{ requirement: string; status: string; text: string }[]> {
    const rows = this.page
      .locator('h2', { hasText: 'My supervision' })
      .locator('xpath=following-sibling::dl[1]')
      .locator('.govuk-summary-list__row');
    return (await rows.evaluateAll(readSummaryRows)).map((r) => ({
      requirement: r.key,
      status: r.status,
      text: r.value,
    }));
  }

  myChildrenTable() {
    return this.page.getByRole('table', { name: /^My children's case supervision/ });
  }

  async myChildren(): Promise<{ name: string; href: string; status: string }[]> {
    return this.myChildrenTable().locator('tbody tr').evaluateAll(readLinkedRows);
  }

  async openMyChild(index: number): Promise<void> {
    const link = this.myChildrenTable().locator('tbody tr').nth(index).getByRole('link').first();
    await this.journey.navigate(() => link.click());
  }
}
