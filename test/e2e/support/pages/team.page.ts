import { expect } from 'vitest';
import { ListPage } from './list.page.js';

/** A team: its figures and the due list of its workers and children. */
export class TeamPage extends ListPage {
  protected override async expectLoaded(): Promise<void> {
    expect(this.path).toMatch(/^\/teams\/[^/]+$/);
    expect(
      await this.page.getByRole('heading', { level: 2, name: 'Workers and children' }).count(),
    ).toBe(1);
  }
}
