import { readLinkedRows } from '../in-page.js';
import { BasePage } from './base.page.js';
import { DueList } from './due-list.js';

/** The team, service and directorate pages: headline figures, drill-down links and a due list. */
export abstract class ListPage extends BasePage {
  readonly list = new DueList(this.journey);

  /** Path of the page, e.g. /teams/team-safeguarding-east. */
  get path(): string {
    return new URL(this.page.url()).pathname;
  }

  get query(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  /** The teams or services table (service and directorate pages), row by row. */
  async units(): Promise<{ name: string; href: string; childrenOverdue: number }[]> {
    const rows = await this.page
      .locator('#units-caption')
      .locator('xpath=ancestor::table')
      .locator('tbody tr')
      .evaluateAll(readLinkedRows);
    return rows.map((r) => ({ name: r.name, href: r.href, childrenOverdue: r.firstNumber ?? 0 }));
  }

  async openUnit(name: string): Promise<void> {
    const link = this.page
      .locator('#units-caption')
      .locator('xpath=ancestor::table')
      .getByRole('link', { name, exact: true });
    await this.journey.navigate(() => link.click());
  }

  async breadcrumbs(): Promise<string[]> {
    return (await this.page.locator('.govuk-breadcrumbs__list-item').allInnerTexts()).map((t) =>
      t.trim(),
    );
  }
}
