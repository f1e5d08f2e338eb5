import { expect } from 'vitest';
import { BasePage } from './base.page.js';

/** The 403 page: refuses without saying what was asked for. */
export class ForbiddenPage extends BasePage {
  protected override readonly expectedStatus = 403;

  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toBe('You do not have permission to see this page');
    expect(await this.title()).toMatch(/^You do not have permission to see this page – /);
  }

  async goToStart(): Promise<void> {
    await this.followLink('Go to the start of Oversight');
  }
}

/** The 404 page, also shown for a record outside the viewer's scope. */
export class NotFoundPage extends BasePage {
  protected override readonly expectedStatus = 404;

  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toBe('Page not found');
    expect(await this.title()).toMatch(/^Page not found – /);
  }
}
