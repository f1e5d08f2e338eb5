import { expect } from 'vitest';
import { BasePage } from './base.page.js';

/** A worker's page: their supervision, whom they supervise, their children. */
export class WorkerPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toMatch(/^\/workers\/[^/]+$/);
    expect(
      await this.page.getByRole('heading', { level: 2, name: 'Children allocated' }).count(),
    ).toBe(1);
  }

  async supervisionCards(): Promise<string[]> {
    return (await this.page.locator('.app-due-card').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
  }
}
