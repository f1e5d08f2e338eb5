import { expect } from 'vitest';
import { BasePage } from './base.page.js';

/** A foster carer's page: their supervising social worker and their next supervision. */
export class FosterCarerPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toMatch(/^\/foster-carers\/[^/]+$/);
    expect(await this.page.locator('main .govuk-caption-l').first().innerText()).toMatch(
      /^Foster carer /,
    );
  }

  supervisorLink() {
    return this.page
      .locator('.govuk-summary-list__row', { hasText: 'Supervising social worker' })
      .getByRole('link');
  }

  /** The text of the foster carer's supervision card: status, next date and why. */
  async supervisionText(): Promise<string> {
    return (await this.page.locator('.app-due-card').first().innerText())
      .replace(/\s+/g, ' ')
      .trim();
  }
}
