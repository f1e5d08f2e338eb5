import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';

/** Where every page a journey visits is photographed: test-results/screenshots/<journey>-<step>.png */
export const SCREENSHOT_DIR = join('test-results', 'screenshots');

/** A page object's class: built on a journey, it checks it is on its page when it arrives. */
export interface PageClass<T> {
  new (journey: Journey): T;
}

export interface Arrivable {
  arrive(step: string): Promise<void>;
}

/**
 * One person's way through the service in one browser page: it numbers the steps, keeps the
 * status of the last page loaded, and notes anything the browser complained about (a script
 * or stylesheet refused by the Content Security Policy, a missing asset).
 */
export class Journey {
  private step = 0;
  private status: number | null = null;
  readonly problems: string[] = [];

  /**
   * @param axeMirror for a journey with JavaScript off, where axe cannot run (timers never
   *   fire): a page with JavaScript on that loads each page again with every page script
   *   refused by the Content Security Policy, so it holds the same document the journey saw.
   */
  constructor(
    readonly page: Page,
    readonly name: string,
    readonly baseUrl: string,
    private readonly axeMirror?: Page,
  ) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    page.on('response', (response: Response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame())
        this.status = response.status();
      else if (response.status() >= 400)
        this.problems.push(`${String(response.status())} for ${response.url()}`);
    });
    page.on('console', (message) => {
      // The error pages (400, 403, 404, 409) log their own status as a failed resource; anything else is a problem.
      if (message.type() === 'error' && !/status of (400|403|404|409)/.test(message.text()))
        this.problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
  }

  /** The page axe should check for what the journey's page shows now. */
  async pageForAxe(): Promise<Page> {
    const mirror = this.axeMirror;
    if (mirror === undefined) return this.page;
    await mirror.context().clearCookies();
    await mirror.context().addCookies(await this.page.context().cookies());
    await mirror.goto(this.page.url(), { waitUntil: 'load' });
    return mirror;
  }

  /** Photographs the page as it is when a journey fails, for finding out why. */
  async screenshotFailure(): Promise<void> {
    await this.page
      .screenshot({ path: join(SCREENSHOT_DIR, `${this.name}-failed.png`), fullPage: true })
      .catch(() => undefined);
  }

  /** The HTTP status of the last page loaded (after any redirects). */
  get lastStatus(): number | null {
    return this.status;
  }

  /** Opens a path of the service, e.g. `/my-work`, as typing it in the address bar would. */
  async visit(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}`, { waitUntil: 'load' });
  }

  /** Does something that loads a new page (a link, a button), and waits until it has loaded. */
  async navigate(action: () => Promise<unknown>): Promise<void> {
    const page = this.page;
    await Promise.all([
      page.waitForEvent('framenavigated', {
        predicate: (frame) => frame === page.mainFrame(),
      }),
      action(),
    ]);
    await page.waitForLoadState('load');
  }

  /** Checks the browser is on the page `Type` describes, then that it is accessible; photographs it. */
  async on<T extends Arrivable>(Type: PageClass<T>, step: string): Promise<T> {
    const pageObject = new Type(this);
    await pageObject.arrive(step);
    return pageObject;
  }

  /** A full-page screenshot, numbered in the order of the journey. */
  async screenshot(step: string): Promise<string> {
    this.step += 1;
    const file = join(
      SCREENSHOT_DIR,
      `${this.name}-${String(this.step).padStart(2, '0')}-${step}.png`,
    );
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `24 Nov 2026` (as the pages write dates) → `2026-11-24`. */
export function isoFromShown(text: string): string {
  const match = /(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})/.exec(text);
  const month = match ? MONTHS.indexOf(match[2] ?? '') + 1 : 0;
  if (!match || month === 0) throw new Error(`No date in "${text}"`);
  return `${match[3] ?? ''}-${String(month).padStart(2, '0')}-${(match[1] ?? '').padStart(2, '0')}`;
}

/** `2026-11-24` → `24 Nov 2026`. */
export function shownFromIso(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${String(Number(day))} ${MONTHS[Number(month) - 1] ?? '?'} ${year ?? ''}`;
}
