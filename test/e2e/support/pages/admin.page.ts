import { expect } from 'vitest';
import { BasePage } from './base.page.js';

/** The administration area's start page (being built elsewhere): only served and accessible. */
export class AdminPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toBe('/admin');
    expect(await this.heading().count()).toBe(1);
  }
}
