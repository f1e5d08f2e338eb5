import type { Locator } from 'playwright-core';
import { readDueRows, type DueRowText } from '../in-page.js';
import type { Journey } from '../journey.js';

export type DueListRow = DueRowText;

export interface Filters {
  status?: 'Any status' | 'Overdue' | 'Due now' | 'On track';
  who?: 'Children and workers' | 'Children' | 'Workers' | 'Foster carers' | 'Teams';
  involvement?:
    | 'Any involvement'
    | 'Early help'
    | 'Assessment'
    | 'Child in need'
    | 'Child protection'
    | 'Looked after'
    | 'Care leaver'
    | 'Disabled children review';
  team?: string;
  worker?: string;
}

/**
 * The filterable, sortable, paginated list of due dates on the team, service and directorate
 * pages: a GET form, links in the column headings and GOV.UK pagination, all without JavaScript.
 */
export class DueList {
  constructor(private readonly journey: Journey) {}

  private get page() {
    return this.journey.page;
  }

  form(): Locator {
    return this.page.locator('form.app-filters');
  }

  table(): Locator {
    return this.page.locator('table.app-due-table');
  }

  async summary(): Promise<string> {
    return (await this.page.locator('#list-summary').innerText()).trim();
  }

  /** Chooses the filters by their labels and applies them (the form's submit button). */
  async filter(filters: Filters): Promise<void> {
    const form = this.form();
    const choose = async (label: string, option: string | undefined) => {
      if (option !== undefined)
        await form.getByLabel(label, { exact: true }).selectOption({ label: option });
    };
    await choose('Status', filters.status);
    await choose('Who', filters.who);
    await choose('Involvement', filters.involvement);
    await choose('Team', filters.team);
    await choose('Worker', filters.worker);
    await this.journey.navigate(() => form.getByRole('button', { name: 'Apply filters' }).click());
  }

  /** Sorts by a column by following the link in its heading. */
  async sortBy(heading: 'Name' | 'Status' | 'Next due' | 'Worker'): Promise<void> {
    const link = this.table()
      .locator('thead')
      .getByRole('link', { name: new RegExp(`^${heading}\\b`) });
    await this.journey.navigate(() => link.click());
  }

  /** The heading's aria-sort: "ascending", "descending" or "none". */
  async sortOf(heading: 'Name' | 'Status' | 'Next due' | 'Worker'): Promise<string | null> {
    return this.table()
      .locator('thead th', {
        has: this.page.getByRole('link', { name: new RegExp(`^${heading}\\b`) }),
      })
      .getAttribute('aria-sort');
  }

  async rows(): Promise<DueListRow[]> {
    return this.table().locator('tbody tr').evaluateAll(readDueRows);
  }

  /** Opens the subject on a row (its name's link). */
  async openRow(index: number): Promise<void> {
    const link = this.table()
      .locator('tbody tr')
      .nth(index)
      .locator('td')
      .first()
      .getByRole('link');
    await this.journey.navigate(() => link.click());
  }

  /** Opens the worker on a row (the Worker column's link). */
  async openWorkerOnRow(index: number): Promise<void> {
    const link = this.table().locator('tbody tr').nth(index).locator('td').nth(5).getByRole('link');
    await this.journey.navigate(() => link.click());
  }

  pagination(): Locator {
    return this.page.locator('.govuk-pagination');
  }

  async nextPage(): Promise<void> {
    await this.journey.navigate(() =>
      this.pagination().getByRole('link', { name: /Next/ }).click(),
    );
  }

  async currentPageNumber(): Promise<string> {
    return (await this.pagination().locator('[aria-current="page"]').innerText()).trim();
  }
}
