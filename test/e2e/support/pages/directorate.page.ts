import { expect } from 'vitest';
import { ListPage } from './list.page.js';

/** The directorate: every service's figures and the due list across the council. */
export class DirectoratePage extends ListPage {
  protected override async expectLoaded(): Promise<void> {
    expect(this.path).toBe('/directorate');
    expect(await this.headingText()).toBe('Directorate');
  }
}
