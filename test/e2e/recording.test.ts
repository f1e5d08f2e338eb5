import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChildren, readPeople } from '../../src/db/organisation.repository.js';
import { EMPTY_SNAPSHOT } from '../../src/domain/organisation/snapshot.js';
import { toExtract } from '../../src/domain/organisation/to-extract.js';
import { personIdOf } from './support/data.js';
import { isoFromShown, Journey, shownFromIso } from './support/journey.js';
import { pdfText } from './support/pdf-text.js';
import { ChildPage, WorkerPage } from './support/pages/index.js';
import {
  AddChildrenPage,
  AgendaPage,
  CasesPage,
  DetailsPage,
  DiscardPage,
  LockedPage,
  PreparePage,
  DiscussionPage,
  GeneralPage,
  NewSessionPage,
  NoteFormPage,
  PersonalPage,
  RecordPage,
  ReviewPage,
  SessionTypePage,
  SignPage,
  SupervisionHomePage,
  TaskListPage,
} from './support/pages/supervision.page.js';
import { TODAY } from './support/server.js';
import { browserSuite, DESKTOP, signIn } from './support/suite.js';

/**
 * Issue 4's journey in Chromium, with axe on every page: the demo team manager records a
 * one-to-one with the demo social worker and signs it, the social worker comments and signs,
 * the due dates move as `oversight due` says, the decision records hold the decisions and
 * nothing personal, and the head of service reads the case decisions but never the personal
 * section.
 */

const PERSONAL = {
  absence: 'Annual leave 10 to 12 November; no sickness',
  wellbeing:
    'Finding the court work heavy; agreed a reflective session with the principal social worker',
  learning: 'Booked on the advanced court skills course in January',
};

const suite = browserSuite();

function withJourney(name: string, body: (j: Journey) => Promise<void>): Promise<void> {
  return suite.journey(name, { viewport: DESKTOP }, body);
}

/** `oversight due` (the command, run as a person would) on the organisation as it is stored. */
function commandDue(extract: unknown): {
  subject: string;
  id: string;
  requirement: string;
  due: string;
  status: string;
  periodStart?: string;
}[] {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-due-'));
  try {
    const file = join(dir, 'extract.json');
    writeFileSync(file, JSON.stringify(extract));
    const out = execFileSync(
      process.execPath,
      [
        'bin/oversight.js',
        'due',
        '--policy',
        'four-weekly',
        '--as-of',
        TODAY,
        '--format',
        'json',
        file,
      ],
      { encoding: 'utf8' },
    );
    return (JSON.parse(out) as { results: ReturnType<typeof commandDue> }).results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('recording supervision in the browser', () => {
  let sessionId = '';
  let children: { id: string; name: string; discussionId: string }[] = [];
  let swPerson = '';

  it(
    'the team manager records a one-to-one with the social worker and signs it',
    { timeout: 120_000 },
    async () => {
      swPerson = await personIdOf(suite.server.db, 'sw@demo.example');
      await withJourney('record-1to1', async (j) => {
        await signIn(j, 'tm@demo.example');
        await j.visit('/supervision');
        const home = await j.on(SupervisionHomePage, 'supervision');
        await j.navigate(() =>
          home.page.getByRole('button', { name: 'Record a supervision session' }).click(),
        );
        const type = await j.on(SessionTypePage, 'type');
        await type.page.getByLabel('One-to-one supervision').check();
        await type.save('Continue');
        const details = await j.on(NewSessionPage, 'new');
        await details.page.getByLabel('Supervisee').selectOption(swPerson);
        const [year, month, day] = TODAY.split('-');
        await details.page.getByLabel('Day').fill(String(Number(day)));
        await details.page.getByLabel('Month').fill(String(Number(month)));
        await details.page.getByLabel('Year').fill(year ?? '');
        await details.page.getByLabel('Start time (optional)').fill('10:00');
        await details.page.getByLabel('End time (optional)').fill('11:30');
        await details.page.getByLabel('Place (optional)').fill('Quiet room, floor 2');
        await details.save('Start the record');
        const tasks = await j.on(TaskListPage, 'task-list');
        sessionId = tasks.sessionId();

        await j.navigate(() => tasks.page.getByRole('link', { name: 'See the agenda' }).click());
        const agenda = await j.on(AgendaPage, 'agenda');
        expect(await agenda.page.locator('main').innerText()).toContain(
          'Children due or overdue for case discussion',
        );
        await j.navigate(() => agenda.page.getByRole('link', { name: 'Back' }).click());

        await j.on(TaskListPage, 'task-list-again');
        // The other pages of a draft, under axe too.
        await j.visit(`/supervision/${sessionId}/details`);
        await j.on(DetailsPage, 'details');
        await j.visit(`/supervision/${sessionId}/discard`);
        await j.on(DiscardPage, 'discard');
        await j.visit(`/supervision/${sessionId}`);
        await j.on(TaskListPage, 'task-list-back');
        await j.navigate(() =>
          tasks.page.getByRole('link', { name: 'Personal (confidential)' }).click(),
        );
        const personal = await j.on(PersonalPage, 'personal');
        await personal.page.getByLabel('Leave, sickness and training').fill(PERSONAL.absence);
        await personal.page.getByLabel('Wellbeing and support').fill(PERSONAL.wellbeing);
        await personal.page.getByLabel('Learning and development').fill(PERSONAL.learning);
        await personal.save();

        // The demo's last session with this worker left actions open: one done, the rest carried.
        const review = await j.on(ReviewPage, 'review');
        const radios = review.page.locator('input[type=radio][value=done]');
        expect(await radios.count()).toBeGreaterThan(0);
        await radios.first().check();
        const carry = review.page.locator('input[type=radio][value=carried]');
        for (let i = 1; i < (await carry.count()); i++) await carry.nth(i).check();
        await review.save();

        const cases = await j.on(CasesPage, 'cases');
        await j.navigate(() =>
          cases.page.getByRole('button', { name: 'Add children to discuss' }).click(),
        );
        const add = await j.on(AddChildrenPage, 'add-children');
        const boxes = add.page.locator('input[name=children]');
        await boxes.nth(0).check();
        await boxes.nth(1).check();
        await add.save('Add them');

        const list = await j.on(CasesPage, 'cases-added');
        const links = list.page.locator('.govuk-task-list__link');
        expect(await links.count()).toBe(2);
        for (let n = 0; n < 2; n++) {
          await j.navigate(() => links.nth(n).click());
          const discussion = await j.on(DiscussionPage, `discussion-${String(n + 1)}`);
          const name = await discussion.headingText();
          const p = discussion.page;
          await p
            .getByLabel('What has happened since the last discussion')
            .fill(`Since last time for ${name}: a home visit and a core group`);
          await p.getByLabel('What has changed').fill('School attendance is up to 92%');
          await p
            .getByLabel('What is working well')
            .fill('Mother is engaging with the parenting course');
          await p
            .getByLabel('What we are worried about')
            .fill(`Worry for ${name}: an older sibling's associates`);
          await p
            .getByLabel('Strengths and protective factors')
            .fill('Grandmother nearby and involved');
          await p
            .getByLabel('The child’s voice and lived experience')
            .fill('Says home feels calmer');
          await p
            .getByLabel('The decision', { exact: true })
            .fill(`Decision for ${name}: continue the plan, review at core group`);
          await p
            .getByLabel('The rationale for the decision')
            .fill('Progress is steady and risks are managed');
          await p
            .getByLabel('What will be done')
            .fill(`Action for ${name}: joint visit with the school`);
          await p.getByLabel('Who will do it').selectOption(swPerson);
          const due = p.getByRole('group', { name: 'By when' });
          await due.getByLabel('Day').fill('8');
          await due.getByLabel('Month').fill('12');
          await due.getByLabel('Year').fill('2026');
          await discussion.save('Save');
          await j.on(CasesPage, `cases-after-${String(n + 1)}`);
        }
        await list.page.getByLabel('A sample').check();
        await list.save();

        const general = await j.on(GeneralPage, 'general');
        await general.page
          .getByLabel('Team and general issues')
          .fill('Two vacancies; agency cover agreed');
        const next = general.page.getByRole('group', { name: /Date of the next session/ });
        await next.getByLabel('Day').fill('15');
        await next.getByLabel('Month').fill('12');
        await next.getByLabel('Year').fill('2026');
        await general.save();

        const sign = await j.on(SignPage, 'check-and-sign');
        const checkText = await sign.page.locator('main').innerText();
        expect(checkText).toContain(PERSONAL.wellbeing);
        await sign.save(
          'Sign and send to ' +
            (await sign.page.locator('.govuk-caption-l').innerText()).replace(/^.* with /, ''),
        );
        const record = await j.on(RecordPage, 'signed');
        expect(await record.text()).toContain('You signed the record');
      });
      const rows = await suite.server.db
        .selectFrom('case_discussions as d')
        .innerJoin('children as c', 'c.id', 'd.child_id')
        .select(['d.id', 'd.child_id', 'c.name'])
        .where('d.session_id', '=', sessionId)
        .orderBy('d.position')
        .execute();
      children = rows.map((r) => ({
        id: r.child_id,
        name: r.name ?? r.child_id,
        discussionId: r.id,
      }));
      expect(children).toHaveLength(2);
    },
  );

  it(
    'the social worker reads it, comments and signs; the due dates move as `oversight due` says',
    { timeout: 120_000 },
    async () => {
      await withJourney('countersign', async (j) => {
        await signIn(j, 'sw@demo.example');
        await j.visit('/supervision');
        const home = await j.on(SupervisionHomePage, 'supervision');
        expect(await home.page.locator('main').innerText()).toContain(
          'Records for you to read and sign',
        );
        await j.navigate(() =>
          home.page.locator(`a[href="/supervision/${sessionId}"]`).first().click(),
        );
        const record = await j.on(RecordPage, 'to-sign');
        const text = await record.text();
        expect(text).toContain(PERSONAL.wellbeing);
        await record.page
          .getByLabel('Your comments (optional)')
          .fill('Thank you. I will book the joint visits this week.');
        await record.save('Sign the record');
        const done = await j.on(RecordPage, 'countersigned');
        expect(await done.text()).toContain('Signed by everyone');
        expect(await done.text()).toContain('Thank you. I will book the joint visits this week.');

        // The pages' dates equal the command's on the records as they are now stored.
        const snapshot = {
          ...EMPTY_SNAPSHOT,
          children: await readChildren(
            suite.server.db,
            children.map((c) => c.id),
          ),
          people: await readPeople(suite.server.db, [swPerson]),
        };
        const fromCommand = commandDue(toExtract(snapshot));
        for (const child of children) {
          const expected = fromCommand.find(
            (r) =>
              r.id === child.id &&
              r.requirement === 'case-supervision' &&
              r.periodStart === undefined,
          );
          expect(expected).toBeDefined();
          await j.visit(`/children/${child.id}`);
          const page = await j.on(ChildPage, `child-${child.id}`);
          const card = await page.caseSupervision();
          expect(isoFromShown(card.due)).toBe(expected?.due);
          expect(card.text).toContain(
            `from the supervision on ${TODAY.slice(8, 10).replace(/^0/, '')}`,
          );
        }
        const worker = fromCommand.find(
          (r) => r.id === swPerson && r.requirement === 'professional-supervision',
        );
        await j.visit(`/workers/${swPerson}`);
        const workerPage = await j.on(WorkerPage, 'worker');
        expect(await workerPage.page.locator('main').innerText()).toContain(
          `Next due ${shownFromIso(worker?.due ?? '')}`,
        );
      });
    },
  );

  it(
    'a group session is recorded the same way and counts for the team and each child',
    { timeout: 120_000 },
    async () => {
      await withJourney('record-group', async (j) => {
        await signIn(j, 'tm@demo.example');
        await j.visit('/supervision/new');
        const type = await j.on(SessionTypePage, 'type');
        await type.page.getByLabel('Group supervision').check();
        await type.save('Continue');
        const details = await j.on(NewSessionPage, 'new-group');
        const attendees = details.page.locator('input[name=attendees]');
        expect(await attendees.count()).toBeGreaterThan(1);
        await details.page.locator(`input[name=attendees][value="${swPerson}"]`).check();
        const [year, month, day] = TODAY.split('-');
        await details.page.getByLabel('Day').fill(String(Number(day)));
        await details.page.getByLabel('Month').fill(String(Number(month)));
        await details.page.getByLabel('Year').fill(year ?? '');
        await details.page
          .getByLabel('What the group agreed about confidentiality')
          .fill('Names of families stay in the room; notes go on the children’s files');
        await details.save('Start the record');
        const tasks = await j.on(TaskListPage, 'group-tasks');
        const groupId = tasks.sessionId();
        expect(await tasks.page.locator('main').innerText()).not.toContain(
          'Personal (confidential)',
        );
        await j.navigate(() => tasks.page.getByRole('link', { name: 'Case discussions' }).click());
        const cases = await j.on(CasesPage, 'group-cases');
        await j.navigate(() =>
          cases.page.getByRole('button', { name: 'Add children to discuss' }).click(),
        );
        const add = await j.on(AddChildrenPage, 'group-add');
        await add.page.locator('input[name=children]').first().check();
        // One child chosen: straight to their discussion.
        await add.save('Add them');
        const discussion = await j.on(DiscussionPage, 'group-discussion');
        await discussion.page
          .getByLabel('The decision', { exact: true })
          .fill('Stuck case: the group suggests a family group conference');
        await discussion.save('Save');
        await j.visit(`/supervision/${groupId}/sign`);
        // An attendee sees the draft as a preparation page.
        const attendee = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
        try {
          const sw = new Journey(await attendee.newPage(), 'group-prepare', suite.server.baseUrl);
          await signIn(sw, 'sw@demo.example');
          await sw.visit(`/supervision/${groupId}`);
          await sw.on(PreparePage, 'prepare');
        } finally {
          await attendee.close();
        }
        await j.visit(`/supervision/${groupId}/sign`);
        const sign = await j.on(SignPage, 'group-sign');
        expect(await sign.page.locator('main').innerText()).toContain(
          'as the team’s group supervision',
        );
        await j.navigate(() =>
          sign.page.getByRole('button', { name: /^Sign and send to / }).click(),
        );
        await j.on(RecordPage, 'group-signed');
        // A save from a page opened before the signature: refused, with the text shown back.
        await j.page.goBack();
        await j.page.goBack();
        await j.visit(`/supervision/${groupId}`);
        await j.navigate(() =>
          j.page.evaluate((id) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = `/supervision/${id}/general`;
            const csrf = document.querySelector<HTMLInputElement>('input[name=_csrf]');
            for (const [name, value] of [
              ['_csrf', csrf?.value ?? ''],
              ['revision', '0'],
              ['teamIssues', 'Written after the signature'],
            ] as const) {
              const input = document.createElement('input');
              input.type = 'hidden';
              input.name = name;
              input.value = value;
              form.append(input);
            }
            document.body.append(form);
            form.submit();
          }, groupId),
        );
        const locked = await j.on(LockedPage, 'locked');
        expect(await locked.page.locator('main').innerText()).toContain(
          'Written after the signature',
        );
        const team = await suite.server.db
          .selectFrom('people')
          .select('team_id')
          .where('id', '=', swPerson)
          .executeTakeFirstOrThrow();
        const events = await suite.server.db
          .selectFrom('events')
          .select(['subject_kind', 'subject_id', 'kind', 'date'])
          .where('record_id', '=', groupId)
          .execute();
        expect(events).toContainEqual({
          subject_kind: 'team',
          subject_id: team.team_id,
          kind: 'group',
          date: TODAY,
        });
        expect(events.filter((e) => e.subject_kind === 'child').map((e) => e.kind)).toEqual([
          'group-supervision',
        ]);
        expect(events.some((e) => e.kind === 'individual' || e.kind === 'case-supervision')).toBe(
          false,
        );
        // The team's group-supervision clock now runs from today, as the command says.
        const teamClock = await suite.server.db
          .selectFrom('due_results')
          .select(['last_event'])
          .where('subject_kind', '=', 'team')
          .where('subject_id', '=', team.team_id ?? '')
          .where('requirement', '=', 'group-supervision')
          .executeTakeFirst();
        if (teamClock !== undefined) expect(teamClock.last_event).toBe(TODAY);
      });
    },
  );

  it(
    'an oversight note is recorded the same way and counts as management oversight only',
    { timeout: 120_000 },
    async () => {
      const child = children[0];
      if (child === undefined) throw new Error('no child from the first journey');
      const before = await suite.server.db
        .selectFrom('due_results')
        .selectAll()
        .where('subject_kind', '=', 'child')
        .where('subject_id', '=', child.id)
        .where('requirement', '=', 'case-supervision')
        .where('period_start', '=', '')
        .executeTakeFirstOrThrow();
      await withJourney('oversight-note', async (j) => {
        await signIn(j, 'tm@demo.example');
        await j.visit(`/children/${child.id}`);
        const page = await j.on(ChildPage, 'child');
        await j.navigate(() =>
          page.page.getByRole('link', { name: 'Record a management oversight note' }).click(),
        );
        const form = await j.on(NoteFormPage, 'note-form');
        await form.page.locator('input[type=radio][value="manager-decision"]').check();
        const [year, month, day] = TODAY.split('-');
        const date = form.page.getByRole('group', { name: /^Date/ });
        await date.getByLabel('Day').fill(String(Number(day)));
        await date.getByLabel('Month').fill(String(Number(month)));
        await date.getByLabel('Year').fill(year ?? '');
        await form.page
          .getByLabel('Decision', { exact: true })
          .fill('Convene a strategy discussion this week');
        await form.page
          .getByLabel('Rationale', { exact: true })
          .fill('New information from the school');
        await form.save('Save the note');
        const after = await j.on(ChildPage, 'child-with-note');
        expect(await after.page.locator('main').innerText()).toContain(
          'Convene a strategy discussion this week',
        );
      });
      const events = await suite.server.db
        .selectFrom('events')
        .select(['kind', 'date', 'record_kind'])
        .where('subject_kind', '=', 'child')
        .where('subject_id', '=', child.id)
        .where('record_kind', '=', 'oversight-note')
        .execute();
      expect(events).toEqual([
        { kind: 'management-oversight', date: TODAY, record_kind: 'oversight-note' },
      ]);
      // Never case supervision: the child's case-supervision clock is exactly as it was.
      const after = await suite.server.db
        .selectFrom('due_results')
        .selectAll()
        .where('subject_kind', '=', 'child')
        .where('subject_id', '=', child.id)
        .where('requirement', '=', 'case-supervision')
        .where('period_start', '=', '')
        .executeTakeFirstOrThrow();
      expect(after).toEqual(before);
    },
  );

  it('the decision records hold the decisions and actions, and nothing personal', async () => {
    await withJourney('decision-records', async (j) => {
      await signIn(j, 'hos@demo.example');
      for (const child of children) {
        const response = await j.page.request.get(
          `${suite.server.baseUrl}/supervision/${sessionId}/cases/${child.discussionId}/decision-record.pdf`,
        );
        expect(response.status()).toBe(200);
        expect(response.headers()['content-type']).toContain('application/pdf');
        const text = await pdfText(new Uint8Array(await response.body()));
        expect(text).toContain(`Decision for ${child.name}`);
        expect(text).toContain(`Action for ${child.name}`);
        for (const personal of Object.values(PERSONAL))
          expect(text).not.toContain(personal.slice(0, 30));
      }
    });
  });

  it('the head of service reads the case decisions and cannot open the personal section', async () => {
    await withJourney('head-of-service', async (j) => {
      await signIn(j, 'hos@demo.example');
      await j.visit(`/supervision/${sessionId}`);
      const record = await j.on(RecordPage, 'record');
      const text = await record.text();
      for (const child of children) expect(text).toContain(`Decision for ${child.name}`);
      for (const personal of Object.values(PERSONAL)) expect(text).not.toContain(personal);
      expect(text).toContain('The personal section of this record is confidential');
      // Guessing the addresses of the parts of the record gives nothing personal.
      for (const part of ['personal', 'sign', 'details', 'review', 'general']) {
        const response = await j.page.request.get(
          `${suite.server.baseUrl}/supervision/${sessionId}/${part}`,
          {
            maxRedirects: 0,
          },
        );
        const body = await response.text();
        for (const personal of Object.values(PERSONAL)) expect(body).not.toContain(personal);
        expect([302, 303, 403, 404]).toContain(response.status());
      }
      // Nor does any export about the children.
      for (const child of children) {
        const response = await j.page.request.get(
          `${suite.server.baseUrl}/children/${child.id}/decision-records.pdf`,
        );
        expect(response.status()).toBe(200);
        const pdf = await pdfText(new Uint8Array(await response.body()));
        expect(pdf).toContain(`Decision for ${child.name}`);
        for (const personal of Object.values(PERSONAL))
          expect(pdf).not.toContain(personal.slice(0, 30));
      }
    });
  });
});
