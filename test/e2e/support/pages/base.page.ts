import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAxeViolations } from '../axe.js';
import { elementsPastTheEdge, pageWidths } from '../in-page.js';
import type { Arrivable, Journey } from '../journey.js';

export const COUNCIL_NAME = 'Demo Borough Council';

/**
 * What every page of the service shares: the council's header, the service navigation, the
 * sign-out button, and the checks made on arrival (the right page, accessible, photographed).
 */
export abstract class BasePage implements Arrivable {
  constructor(readonly journey: Journey) {}

  get page(): Page {
    return this.journey.page;
  }

  /** Fails unless the browser shows this page (its heading, address or status). */
  protected abstract expectLoaded(): Promise<void>;

  /** The HTTP status the page must have been served with. */
  protected readonly expectedStatus: number = 200;

  async arrive(step: string): Promise<void> {
    await this.expectLoaded();
    expect(this.journey.lastStatus, `status of ${this.page.url()}`).toBe(this.expectedStatus);
    await this.expectCouncilHeader();
    await this.expectAccessible();
    await this.journey.screenshot(step);
    expect(this.journey.problems, `browser problems on ${this.page.url()}`).toEqual([]);
  }

  /** axe, for WCAG 2.2 AA, on the page as it is now. */
  async expectAccessible(): Promise<void> {
    await expectNoAxeViolations(await this.journey.pageForAxe(), this.constructor.name);
  }

  /** A council's service: its name in the header, no crown and no GOV.UK logotype. */
  async expectCouncilHeader(): Promise<void> {
    const header = this.page.locator('header').first();
    expect(await header.innerText()).toContain(COUNCIL_NAME);
    expect(
      await this.page.locator('.govuk-header__logotype, .govuk-logo, svg[class*=crown]').count(),
    ).toBe(0);
    expect(await header.innerText()).not.toMatch(/GOV\.UK/);
  }

  /**
   * How far the page is wider than the window (0 when it fits): wide tables should scroll
   * inside their own box, never the whole page sideways.
   */
  async sidewaysOverflow(): Promise<number> {
    const { scroll, client } = await this.page.evaluate(pageWidths);
    return Math.max(0, scroll - client);
  }

  /** The outermost elements that reach past the window's right edge, for a failure message. */
  async elementsPastTheEdge(): Promise<string[]> {
    return this.page.evaluate(elementsPastTheEdge);
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  async headingText(): Promise<string> {
    return (await this.heading().innerText()).trim();
  }

  async title(): Promise<string> {
    return this.page.title();
  }

  serviceNavigation(): Locator {
    return this.page.locator('.govuk-service-navigation');
  }

  /** The items of the service navigation, in order, e.g. ["My work", "My team"]. */
  async navigationItems(): Promise<string[]> {
    const links = this.serviceNavigation().locator('.govuk-service-navigation__list a');
    return (await links.allInnerTexts()).map((t) => t.trim());
  }

  async followNavigation(text: string): Promise<void> {
    const link = this.serviceNavigation().getByRole('link', { name: text, exact: true });
    await this.journey.navigate(() => link.click());
  }

  /** Follows a link in the page's main content by its visible text. */
  async followLink(name: string | RegExp, within?: Locator): Promise<void> {
    const scope = within ?? this.page.locator('main');
    const link = scope.getByRole('link', { name, exact: typeof name === 'string' }).first();
    await this.journey.navigate(() => link.click());
  }

  async signOut(): Promise<void> {
    const button = this.page.getByRole('button', { name: 'Sign out' });
    await this.journey.navigate(() => button.click());
  }
}
