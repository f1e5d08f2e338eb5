import { expect } from 'vitest';
import { ListPage } from './list.page.js';

/** A service: its figures, its teams and the due list across them. */
export class ServicePage extends ListPage {
  protected override async expectLoaded(): Promise<void> {
    expect(this.path).toMatch(/^\/services\/[^/]+$/);
    expect(await this.page.locator('.govuk-caption-l').first().innerText()).toBe('Service');
  }
}
