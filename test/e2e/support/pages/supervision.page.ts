import { expect } from 'vitest';
import { BasePage } from './base.page.js';

/**
 * The pages of recording supervision. Each knows its address and heading; the journeys fill
 * them in through their labels, as a person would.
 */

abstract class HeadedPage extends BasePage {
  protected abstract readonly path: RegExp;
  protected abstract readonly headingPattern: RegExp;

  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toMatch(this.path);
    expect(await this.headingText()).toMatch(this.headingPattern);
  }

  async save(button = 'Save and continue'): Promise<void> {
    await this.journey.navigate(() =>
      this.page.getByRole('button', { name: button, exact: true }).click(),
    );
  }
}

export class SupervisionHomePage extends HeadedPage {
  protected readonly path = /^\/supervision$/;
  protected readonly headingPattern = /^Supervision$/;
}

export class SessionTypePage extends HeadedPage {
  protected readonly path = /^\/supervision\/new$/;
  protected readonly headingPattern = /^What kind of session\?$/;
}

export class NewSessionPage extends HeadedPage {
  protected readonly path = /^\/supervision\/new\/(individual|group|joint)$/;
  protected readonly headingPattern = /supervision$/;
}

export class TaskListPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+$/;
  protected readonly headingPattern = /^Supervision with /;

  sessionId(): string {
    return new URL(this.page.url()).pathname.split('/')[2] ?? '';
  }
}

export class PersonalPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/personal$/;
  protected readonly headingPattern = /^Personal \(confidential\)$/;
}

export class ReviewPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/review$/;
  protected readonly headingPattern = /^Review of actions$/;
}

export class CasesPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/cases$/;
  protected readonly headingPattern = /^Case discussions$/;
}

export class AddChildrenPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/cases\/add$/;
  protected readonly headingPattern = /^Which children will you discuss\?$/;

  protected override async expectLoaded(): Promise<void> {
    expect(new URL(this.page.url()).pathname).toMatch(this.path);
    expect(await this.page.locator('legend h1, h1').first().innerText()).toMatch(
      this.headingPattern,
    );
  }
}

export class DiscussionPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/cases\/[^/]+$/;
  protected readonly headingPattern = /./;
}

export class GeneralPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/general$/;
  protected readonly headingPattern = /^Team and general issues, next session$/;
}

export class SignPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/sign$/;
  protected readonly headingPattern = /^Check the record and sign it$/;
}

export class RecordPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+$/;
  protected readonly headingPattern = /^Supervision on /;

  async text(): Promise<string> {
    return this.page.locator('main').innerText();
  }
}

export class AgendaPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/agenda$/;
  protected readonly headingPattern = /^Agenda: /;
}

export class NoteFormPage extends HeadedPage {
  protected readonly path = /^\/children\/[^/]+\/oversight-notes\/new$/;
  protected readonly headingPattern = /^Record a management oversight note$/;
}

export class DetailsPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/details$/;
  protected readonly headingPattern = /^When, where and who$/;
}

export class DiscardPage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+\/discard$/;
  protected readonly headingPattern = /^Delete this draft\?$/;
}

export class PreparePage extends HeadedPage {
  protected readonly path = /^\/supervision\/[^/]+$/;
  protected readonly headingPattern = /^Prepare for supervision$/;
}

/** A save that arrived after the record was signed: 409, with what was typed shown back. */
export class LockedPage extends HeadedPage {
  protected override readonly expectedStatus = 409;
  protected readonly path = /^\/supervision\/[^/]+\/general$/;
  protected readonly headingPattern = /^This record has been signed$/;
}
