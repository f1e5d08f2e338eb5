import { expect } from 'vitest';
import { BasePage } from './base.page.js';

export const DEMO_PASSWORD = 'oversight-demo';

export class SignInPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toBe('/sign-in');
    expect(await this.headingText()).toBe('Sign in to Oversight');
  }

  /** Fills the form in and sends it; where it lands is for the caller to check. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.journey.navigate(() => this.page.getByRole('button', { name: 'Sign in' }).click());
    // The demo administrator has two-factor: the demo's page shows the code it takes now.
    if (new URL(this.page.url()).pathname === '/sign-in/two-factor') {
      const code = (await this.page.locator('[data-demo-code]').innerText()).trim();
      await this.page.getByLabel('Enter the code from your authenticator app').fill(code);
      await this.journey.navigate(() =>
        this.page.getByRole('button', { name: 'Continue' }).click(),
      );
    }
  }

  errorSummary() {
    return this.page.locator('.govuk-error-summary');
  }

  /** The error summary's heading and messages. */
  async errors(): Promise<{ title: string; messages: string[] }> {
    const summary = this.errorSummary();
    return {
      title: (await summary.locator('.govuk-error-summary__title').innerText()).trim(),
      messages: (await summary.locator('.govuk-error-summary__list li').allInnerTexts()).map((t) =>
        t.trim(),
      ),
    };
  }
}

/** The sign-in page after a refused attempt: served with 400 and an error summary. */
export class SignInErrorPage extends SignInPage {
  protected override readonly expectedStatus = 400;
}
