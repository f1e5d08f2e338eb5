import { expect } from 'vitest';
import { BasePage } from './base.page.js';

/** After signing out: the session is gone. */
export class SignedOutPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toBe('/signed-out');
    expect(await this.headingText()).toBe('You have signed out');
  }
}
