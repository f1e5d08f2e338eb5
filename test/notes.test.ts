import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { personPlace } from '../src/db/accounts.repository.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import type { Viewer } from '../src/domain/access/viewer.js';
import { ForbiddenError, NotFoundError } from '../src/domain/errors.js';
import { decisionRecordsDocument } from '../src/features/notes/decision-record.pdf.js';
import { DecisionRecordsService } from '../src/features/notes/decision-records.service.js';
import { readNote } from '../src/features/notes/note.form.js';
import {
  presentDecisionRecord,
  type DecisionRecordView,
} from '../src/features/notes/notes.presenter.js';
import { NotesService, noteKindsFor } from '../src/features/notes/notes.service.js';
import { renderPdf } from '../src/features/notes/pdf.js';
import { SupervisionService } from '../src/features/supervision/supervision.service.js';
import { ensureCurrent } from '../src/services/due.service.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, freshDatabase } from './support/databases.js';
import { launchChromium } from './e2e/support/browser.js';
import { Journey } from './e2e/support/journey.js';
import { BasePage } from './e2e/support/pages/base.page.js';
import { ChildPage } from './e2e/support/pages/index.js';
import { pdfText } from './e2e/support/pdf-text.js';
import { startServer, type TestServer } from './e2e/support/server.js';
import { covered } from './matrix/notes.js';
import { childrenOf, personOf, viewerFor } from './support/demo-people.js';

/**
 * Management oversight notes, the child's case decisions and decision records (page and PDF),
 * and "copied to the child's file": records made and signed through the supervision service on
 * both databases; a note moves the 10-day review and never case supervision; the decision record
 * holds the case discussion and nothing of the personal section; every route against every role,
 * including another service's records (not found, like a made-up address) and posts without
 * their form's token; and the pages in Chromium with axe.
 */

const clock = fixedClock(TEST_TODAY);

/** Written into the personal section of the signed record: it must appear in no decision record. */
const PERSONAL = {
  absence: 'PERSONAL-MARKER-absence: sick leave 3 to 7 November',
  wellbeing: 'PERSONAL-MARKER-wellbeing: bereavement in the family, counselling agreed',
  learning: 'PERSONAL-MARKER-learning: the court skills course',
};

const TEXT = {
  decision: (n: number) => `Decision for child ${String(n)}: continue the child protection plan`,
  rationale: (n: number) => `Rationale for child ${String(n)}: risks are reducing`,
  worries: 'Worries: an older sibling’s associates',
  strengths: 'Grandmother nearby and involved',
  workingWell: 'Mother is engaging with the parenting course',
  childVoice: 'Says home feels calmer',
  sinceLast: 'A home visit and a core group',
  changes: 'School attendance is up to 92%',
  action1: 'Joint visit with the school',
  action2: 'Chase the health assessment',
  otherDecision: 'Other service: decision nobody here may read',
  draftDecision: 'Draft decision: not yet signed',
  earlierDecision: 'Earlier decision for child 1: start the child protection plan',
};

interface Seeded {
  sw: string;
  tm: string;
  /** The demo social worker's and team manager's names, as the pages show them. */
  swName: string;
  tmName: string;
  hos: string;
  tmTeam: string;
  children: [string, string];
  session: string;
  discussions: [string, string];
  draft: { session: string; discussion: string };
  other: { manager: string; worker: string; child: string; session: string; discussion: string };
  /** A child in tm's team whose 10-day review has not been met. */
  tenDay: { child: string; periodStart: string };
}

/** A team manager in another service than hos's, with a supervisee who has children. */
async function otherServicePair(db: Db, notService: string) {
  const row = await db
    .selectFrom('people as p')
    .innerJoin('people as m', 'm.id', 'p.line_manager_id')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['p.id as worker', 'm.id as manager'])
    .where('m.role', '=', 'team-manager')
    .where('t.service_id', '!=', notService)
    .where('p.end', 'is', null)
    .where('m.end', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('due_results')
          .select('subject_id')
          .whereRef('due_results.worker_id', '=', 'p.id')
          .where('subject_kind', '=', 'child')
          .where('requirement', '=', 'case-supervision')
          .where('period_start', '=', ''),
      ),
    )
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  return row;
}

async function seed(db: Db): Promise<Seeded> {
  await ensureCurrent(db, clock);
  const supervision = new SupervisionService(db, clock);
  const sw = await personOf(db, 'sw@demo.example');
  const tm = await personOf(db, 'tm@demo.example');
  const hos = await personOf(db, 'hos@demo.example');
  const tmTeam = (await personPlace(db, tm))?.teamId ?? '';
  const hosService = (await personPlace(db, hos))?.serviceId ?? '';
  const tmViewer = await viewerFor(db, tm);
  const [c1, c2] = await childrenOf(db, sw);
  if (c1 === undefined || c2 === undefined) throw new Error('sw has fewer than two children');

  const start = (viewer: Viewer, superviseeId: string, date: string) =>
    supervision.start(viewer, {
      type: 'individual',
      superviseeIds: [superviseeId],
      coWorkerIds: [],
      teamId: null,
      date,
      startTime: '10:00',
      endTime: '11:00',
      place: 'Room 4',
      confidentiality: null,
    });

  // An earlier signed record, about the first child only.
  const earlier = await start(tmViewer, sw, '2026-10-15');
  const [earlierDiscussion] = await supervision.addChildren(tmViewer, earlier, [c1]);
  await supervision.saveDiscussion(
    tmViewer,
    earlier,
    earlierDiscussion ?? '',
    0,
    { decision: TEXT.earlierDecision, rationale: 'The plan is new' },
    [],
  );
  const earlierSigned = await supervision.signAsSupervisor(tmViewer, earlier);
  if (!earlierSigned.ok) throw new Error(earlierSigned.problems.map((p) => p.text).join('; '));

  // The signed record: tm supervises sw on 20 Nov, with a personal section and two children.
  const session = await start(tmViewer, sw, '2026-11-20');
  expect((await supervision.savePersonal(tmViewer, session, 0, PERSONAL)).ok).toBe(true);
  const ids = await supervision.addChildren(tmViewer, session, [c1, c2]);
  const [d1, d2] = ids as [string, string];
  for (const [n, discussion] of [
    [1, d1],
    [2, d2],
  ] as const) {
    const saved = await supervision.saveDiscussion(
      tmViewer,
      session,
      discussion,
      0,
      {
        sinceLast: TEXT.sinceLast,
        changes: TEXT.changes,
        workingWell: TEXT.workingWell,
        worries: TEXT.worries,
        strengths: TEXT.strengths,
        childVoice: TEXT.childVoice,
        decision: TEXT.decision(n),
        rationale: TEXT.rationale(n),
      },
      n === 1
        ? [
            { description: TEXT.action1, ownerId: sw, dueDate: '2026-12-08' },
            { description: TEXT.action2, ownerId: tm, dueDate: null },
          ]
        : [],
    );
    expect(saved.ok).toBe(true);
  }
  const signed = await supervision.signAsSupervisor(tmViewer, session);
  if (!signed.ok) throw new Error(signed.problems.map((p) => p.text).join('; '));

  // A draft: its decision record does not exist yet.
  const draft = await start(tmViewer, sw, '2026-11-23');
  const [draftDiscussion] = await supervision.addChildren(tmViewer, draft, [c1]);
  await supervision.saveDiscussion(
    tmViewer,
    draft,
    draftDiscussion ?? '',
    0,
    { decision: TEXT.draftDecision, rationale: 'Not yet signed' },
    [],
  );

  // Another service's signed record.
  const pair = await otherServicePair(db, hosService);
  const otherViewer = await viewerFor(db, pair.manager);
  const [otherChild] = await childrenOf(db, pair.worker);
  const otherSession = await start(otherViewer, pair.worker, '2026-11-18');
  const [otherDiscussion] = await supervision.addChildren(otherViewer, otherSession, [
    otherChild ?? '',
  ]);
  await supervision.saveDiscussion(
    otherViewer,
    otherSession,
    otherDiscussion ?? '',
    0,
    { decision: TEXT.otherDecision, rationale: 'Elsewhere' },
    [],
  );
  const otherSigned = await supervision.signAsSupervisor(otherViewer, otherSession);
  if (!otherSigned.ok) throw new Error('could not sign the other service’s record');

  const tenDay = await db
    .selectFrom('due_results')
    .select(['subject_id', 'period_start'])
    .where('subject_kind', '=', 'child')
    .where('requirement', '=', 'ten-day-review')
    .where('met', 'is', null)
    .where('team_id', '=', tmTeam)
    .where('period_start', '<=', TEST_TODAY)
    .orderBy('period_start', 'desc')
    .orderBy('subject_id')
    .executeTakeFirstOrThrow();

  const nameOf = async (id: string) =>
    (await db.selectFrom('people').select('name').where('id', '=', id).executeTakeFirstOrThrow())
      .name ?? '';
  return {
    sw,
    tm,
    swName: await nameOf(sw),
    tmName: await nameOf(tm),
    hos,
    tmTeam,
    children: [c1, c2],
    session,
    discussions: [d1, d2],
    draft: { session: draft, discussion: draftDiscussion ?? '' },
    other: {
      manager: pair.manager,
      worker: pair.worker,
      child: otherChild ?? '',
      session: otherSession,
      discussion: otherDiscussion ?? '',
    },
    tenDay: { child: tenDay.subject_id, periodStart: tenDay.period_start },
  };
}

const status = (r: LightMyRequestResponse) =>
  r.statusCode === 302 && String(r.headers.location).startsWith('/sign-in')
    ? 'signIn'
    : r.statusCode;

/** A refused page with its per-request tokens taken out, to compare two refusals. */
const normal = (html: string) => html.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, '');

const recordUrl = (session: string, discussion: string, pdf = false) =>
  `/supervision/${session}/cases/${discussion}/decision-record${pdf ? '.pdf' : ''}`;

const noteForm = (fields: Partial<Record<string, string>> = {}): Record<string, string> => {
  const form: Record<string, string> = {
    kind: 'consultation-supervisor',
    'date-day': '23',
    'date-month': '11',
    'date-year': '2026',
    decision: 'Agreed to hold a strategy discussion',
    rationale: 'New information from the school',
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) Reflect.deleteProperty(form, key);
    else form[key] = value;
  }
  return form;
};

const ROLES = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
type Role = (typeof ROLES)[number];

for (const kind of databaseKinds()) {
  describe(`oversight notes and decision records [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    let s: Seeded;
    const sessions = new Map<Role, Session>();

    beforeAll(async () => {
      database = await freshDatabase(kind);
      app = await demoApp(database, clock);
      s = await seed(database.db);
      sessions.set('anonymous', new Session(app));
      for (const role of ROLES.slice(1))
        sessions.set(role, await signedIn(app, `${role}@demo.example`));
    }, 180_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    const as = (role: Role): Session => {
      const found = sessions.get(role);
      if (found === undefined) throw new Error(role);
      return found;
    };
    const db = () => database.db;

    const dueRows = (childId: string) =>
      db()
        .selectFrom('due_results')
        .select([
          'requirement',
          'period_start',
          'status',
          'due',
          'latest',
          'last_event',
          'set_by_kind',
          'set_by_date',
          'met',
          'on_time',
          'effective_status',
          'effective_due',
        ])
        .where('subject_kind', '=', 'child')
        .where('subject_id', '=', childId)
        .orderBy('requirement')
        .orderBy('period_start')
        .execute();

    // -------------------------------------------------------------------------------------------
    // Oversight notes

    it('a note moves the 10-day review and never the case supervision due date', async () => {
      const { child, periodStart } = s.tenDay;
      const before = await dueRows(child);
      const caseBefore = before.find(
        (r) => r.requirement === 'case-supervision' && r.period_start === '',
      );
      expect(caseBefore).toBeDefined();
      const tenDayBefore = before.find(
        (r) => r.requirement === 'ten-day-review' && r.period_start === periodStart,
      );
      expect(tenDayBefore?.met).toBeNull();

      const notes = new NotesService(db(), clock);
      const tm = await viewerFor(db(), s.tm);
      const id = await notes.add(tm, child, {
        kind: 'ten-day-review',
        date: periodStart,
        decision: 'Continue the assessment; strategy discussion not needed',
        rationale: 'No new safeguarding concerns since the referral',
      });

      const after = await dueRows(child);
      const tenDay = after.find(
        (r) => r.requirement === 'ten-day-review' && r.period_start === periodStart,
      );
      expect(tenDay).toMatchObject({ status: 'met', met: periodStart, on_time: 1 });
      // Case supervision is exactly as it was: a note is oversight, not supervision.
      expect(
        after.find((r) => r.requirement === 'case-supervision' && r.period_start === ''),
      ).toEqual(caseBefore);
      expect(after.filter((r) => r.requirement !== 'ten-day-review')).toEqual(
        before.filter((r) => r.requirement !== 'ten-day-review'),
      );

      const note = await db()
        .selectFrom('oversight_notes')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(note).toMatchObject({
        child_id: child,
        kind: 'ten-day-review',
        date: periodStart,
        author_id: s.tm,
        created_at: clock.now().toISOString(),
      });
      const events = await db()
        .selectFrom('events')
        .select(['subject_kind', 'subject_id', 'kind', 'date', 'source', 'record_kind'])
        .where('record_id', '=', id)
        .execute();
      expect(events).toEqual([
        {
          subject_kind: 'child',
          subject_id: child,
          kind: 'management-oversight',
          date: periodStart,
          source: 'service',
          record_kind: 'oversight-note',
        },
      ]);
    });

    it('a practitioner may record consultations but not a manager’s note', async () => {
      const notes = new NotesService(db(), clock);
      const sw = await viewerFor(db(), s.sw);
      expect(noteKindsFor(sw)).toEqual([
        'consultation-supervisor',
        'consultation-principal-officer',
        'consultation-iro-cp-chair',
      ]);
      expect(noteKindsFor(await viewerFor(db(), s.tm))).toHaveLength(6);
      const count = async () =>
        Number(
          (
            await db()
              .selectFrom('oversight_notes')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      for (const kind of ['ten-day-review', 'twenty-day-review', 'manager-decision'] as const)
        await expect(
          notes.add(sw, s.children[0], {
            kind,
            date: '2026-11-23',
            decision: 'x',
            rationale: 'y',
          }),
        ).rejects.toBeInstanceOf(ForbiddenError);
      expect(await count()).toBe(before);
      // Through the web too: the form offers only consultations, and a posted review is refused.
      const page = await as('sw').get(`/children/${s.children[0]}/oversight-notes/new`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('value="consultation-supervisor"');
      expect(page.body).not.toContain('value="ten-day-review"');
      expect(page.body).not.toContain('value="manager-decision"');
      const refused = await as('sw').post(
        `/children/${s.children[0]}/oversight-notes/new`,
        noteForm({ kind: 'manager-decision' }),
      );
      expect(refused.statusCode).toBe(403);
      expect(await count()).toBe(before);
      // A child outside their place is not found, whatever the kind.
      await expect(
        notes.add(sw, s.other.child, {
          kind: 'consultation-supervisor',
          date: '2026-11-23',
          decision: 'x',
          rationale: 'y',
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('the note form: every mistake with where it is, and what was typed kept', async () => {
      const url = `/children/${s.children[0]}/oversight-notes/new`;
      const tm = as('tm');
      const form = await tm.get(url);
      expect(form.body).toContain(
        '<h1 class="govuk-heading-l">Record a management oversight note</h1>',
      );
      for (const k of [
        'ten-day-review',
        'twenty-day-review',
        'manager-decision',
        'consultation-iro-cp-chair',
      ])
        expect(form.body).toContain(`value="${k}"`);

      const empty = await tm.post(url, {});
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toMatch(/<title>\s*Error: Record a management oversight note/);
      for (const [href, text] of [
        ['#kind', 'Select what kind of note this is'],
        ['#date-day', 'Enter the date'],
        ['#decision', 'Enter the decision'],
        ['#rationale', 'Enter the rationale for the decision'],
      ])
        expect(empty.body).toContain(`<a href="${href}">${text}</a>`);

      const future = await tm.post(url, noteForm({ 'date-day': '25' }));
      expect(future.statusCode).toBe(400);
      expect(future.body).toContain('The date must be today or in the past');
      expect(future.body).toContain('>Agreed to hold a strategy discussion</textarea>');
      expect(future.body).toContain('govuk-input--error');

      const partial = await tm.post(url, noteForm({ 'date-month': '' }));
      expect(partial.body).toContain('The date must include a month');
      const unreal = await tm.post(url, noteForm({ 'date-day': '31', 'date-month': '2' }));
      expect(unreal.body).toContain('The date must be a real date');

      const early = await tm.post(url, noteForm({ 'date-year': '1990' }));
      expect(early.statusCode).toBe(400);
      expect(early.body).toMatch(
        /The date must be on or after \d{1,2} [A-Z][a-z]{2} \d{4}, the start of the child’s first record/,
      );

      const long = await tm.post(url, noteForm({ rationale: 'x'.repeat(5001) }));
      expect(long.statusCode).toBe(400);
      expect(long.body).toContain('The rationale must be 5,000 characters or fewer (it has 5,001)');
      expect((await tm.post(url, noteForm({ kind: 'gossip' }))).body).toContain(
        'Select what kind of note this is',
      );
      // The form's own bounds, read directly.
      const bounds = { today: TEST_TODAY, earliest: '2026-01-10' };
      const read = readNote(noteForm({ 'date-day': '9', 'date-month': '1' }), bounds);
      expect(read.ok).toBe(false);
      expect(readNote(noteForm({ 'date-day': '10', 'date-month': '1' }), bounds).ok).toBe(true);
      expect(readNote(noteForm({ 'date-day': '24' }), bounds).ok).toBe(true);
      const exact = readNote(noteForm({ decision: `  ${'y'.repeat(5000)}\r\n` }), bounds);
      expect(exact.ok && exact.value.decision.length).toBe(5000);
    });

    it('the child’s page lists the notes, newest first, with kind, date, author and text', async () => {
      const url = `/children/${s.children[0]}/oversight-notes/new`;
      const sw = as('sw');
      await sw.get(url);
      const saved = await sw.post(
        url,
        noteForm({
          kind: 'consultation-iro-cp-chair',
          'date-day': '10',
          decision: 'IRO agreed the plan can continue',
          rationale: 'The review is in three weeks',
        }),
      );
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`/children/${s.children[0]}?saved=note#oversight-notes`);
      const tm = as('tm');
      await tm.get(url);
      expect(
        (
          await tm.post(
            url,
            noteForm({
              kind: 'manager-decision',
              'date-day': '21',
              decision: 'Line 1 of the decision\nLine 2 of the decision',
              rationale: 'Because of the school’s report',
            }),
          )
        ).statusCode,
      ).toBe(303);

      const page = await sw.get(`/children/${s.children[0]}?saved=note`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Management oversight note saved');
      const notes = page.body.slice(
        page.body.indexOf('id="oversight-notes"'),
        page.body.indexOf('What the dates are worked out from'),
      );
      const newer = notes.indexOf('21 Nov 2026: Manager’s decision');
      const older = notes.indexOf(
        '10 Nov 2026: Consultation with an IRO or child protection chair',
      );
      expect(newer).toBeGreaterThan(0);
      expect(older).toBeGreaterThan(newer);
      expect(notes).toContain(
        '<p class="govuk-body">Line 1 of the decision</p><p class="govuk-body">Line 2 of the decision</p>',
      );
      expect(notes).toContain('Because of the school’s report');
      expect(notes).toContain('IRO agreed the plan can continue');
      expect(notes).toContain(`${s.swName}, 24 Nov 2026 at 12:00`);
      expect(notes).toContain(s.tmName);
      expect(notes).toContain(`href="/children/${s.children[0]}/oversight-notes/new"`);
      // The history names them as oversight, not as supervision.
      expect(page.body).toContain('Management oversight note');
      // A reader who may write none (quality assurance) is not offered the form.
      const qa = await as('qa').get(`/children/${s.children[0]}`);
      expect(qa.body).toContain('IRO agreed the plan can continue');
      expect(qa.body).not.toContain('/oversight-notes/new');
    });

    // -------------------------------------------------------------------------------------------
    // Case decisions and decision records

    it('the child’s page lists its case decisions from signed records, never a draft’s or anything personal', async () => {
      const page = await as('hos').get(`/children/${s.children[0]}`);
      expect(page.statusCode).toBe(200);
      const section = page.body.slice(
        page.body.indexOf('id="case-decisions"'),
        page.body.indexOf('id="oversight-notes"'),
      );
      expect(section).toContain('20 Nov 2026: One-to-one supervision');
      expect(section).toContain('15 Oct 2026: One-to-one supervision');
      // Newest first.
      expect(section.indexOf(TEXT.decision(1))).toBeGreaterThan(0);
      expect(section.indexOf(TEXT.earlierDecision)).toBeGreaterThan(
        section.indexOf(TEXT.decision(1)),
      );
      // However many signed records the child has (the demo may hold its own), one PDF of all.
      const signedCount = await db()
        .selectFrom('case_discussions as d')
        .innerJoin('supervision_sessions as s', 's.id', 'd.session_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('d.child_id', '=', s.children[0])
        .where('s.state', '!=', 'draft')
        .executeTakeFirstOrThrow();
      expect(Number(signedCount.n)).toBeGreaterThanOrEqual(2);
      expect(section).toContain(
        `Download all ${String(signedCount.n)} decision records as one PDF`,
      );
      expect(section).toContain(TEXT.rationale(1));
      expect(section).toContain(`${TEXT.action1} (${s.swName}, by 8 Dec 2026)`);
      expect(section).toContain(`${TEXT.action2} (${s.tmName}, no date set)`);
      expect(section).toContain(s.tmName);
      expect(section).toContain(`href="${recordUrl(s.session, s.discussions[0])}"`);
      expect(section).toContain(`href="${recordUrl(s.session, s.discussions[0], true)}"`);
      expect(section).toContain(`href="/children/${s.children[0]}/decision-records.pdf"`);
      expect(section).toContain('Not yet copied');
      expect(section).toContain(
        `action="/supervision/${s.session}/cases/${s.discussions[0]}/copied"`,
      );
      expect(section).not.toContain(TEXT.decision(2));
      expect(page.body).not.toContain(TEXT.draftDecision);
      for (const text of Object.values(PERSONAL)) expect(page.body).not.toContain(text);
      // A practitioner sees the decisions, and no button to record a copy.
      const sw = await as('sw').get(`/children/${s.children[0]}`);
      expect(sw.body).toContain(TEXT.decision(1));
      expect(sw.body).not.toContain('/copied"');
    });

    it('the decision record page: the policy’s form, filled from the case discussion', async () => {
      const page = await as('hos').get(recordUrl(s.session, s.discussions[0]));
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      const body = page.body;
      expect(body).toContain('Demo Borough Council');
      expect(body).toContain('Supervision decision record');
      const [child] = await db()
        .selectFrom('children')
        .select(['name', 'date_of_birth'])
        .where('id', '=', s.children[0])
        .execute();
      expect(body).toContain(`${child?.name ?? ''} (${s.children[0]})`);
      expect(body).toContain('20 Nov 2026');
      expect(body).toContain('One-to-one supervision');
      expect(body).toContain(s.swName);
      expect(body).toContain(s.tmName);
      for (const text of [
        TEXT.sinceLast,
        TEXT.changes,
        TEXT.worries,
        TEXT.strengths,
        TEXT.workingWell,
        TEXT.childVoice,
        TEXT.decision(1),
        TEXT.rationale(1),
        TEXT.action1,
        TEXT.action2,
        'By 8 Dec 2026',
        'No date set',
      ])
        expect(body).toContain(text);
      // Signatures: the supervisor's date; the supervisee's is still to come.
      const signature = (role: string, name: string, signed: string) =>
        new RegExp(
          [role, name, signed]
            .map((cell) => `>${cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</td>`)
            .join('\\s*<td class="govuk-table__cell[^"]*"'),
        );
      expect(body).toMatch(signature('Supervisor or manager', s.tmName, '24 Nov 2026'));
      expect(body).toMatch(signature('Supervisee', s.swName, 'Not yet signed'));
      expect(body).toContain(`href="${recordUrl(s.session, s.discussions[0], true)}"`);
      expect(body).toContain('Not yet recorded as copied to the child’s file.');
      for (const text of Object.values(PERSONAL)) expect(body).not.toContain(text);
      expect(body).not.toContain('PERSONAL-MARKER');
    });

    it('the PDF holds the decision and actions, and nothing from the personal section', async () => {
      const response = await as('hos').get(recordUrl(s.session, s.discussions[0], true));
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="decision-record-${s.children[0]}-2026-11-20.pdf"`,
      );
      expect(response.headers['cache-control']).toBe('no-store');
      const text = await pdfText(new Uint8Array(response.rawPayload));
      for (const expected of [
        'Demo Borough Council',
        'Supervision decision record',
        TEXT.decision(1),
        TEXT.rationale(1),
        TEXT.action1,
        TEXT.action2,
        TEXT.worries,
        TEXT.childVoice,
        s.swName,
        s.tmName,
        'Not yet signed',
        '20 Nov 2026',
      ])
        expect(text).toContain(expected);
      expect(text).not.toContain('PERSONAL-MARKER');
      expect(text).not.toContain('bereavement');

      // The supervisee signs: the record's signatures say when.
      const supervision = new SupervisionService(db(), clock);
      await supervision.signAsSupervisee(await viewerFor(db(), s.sw), s.session, {
        comment: null,
        disagreement: null,
      });
      const signed = await pdfText(
        new Uint8Array(
          (await as('sw').get(recordUrl(s.session, s.discussions[0], true))).rawPayload,
        ),
      );
      expect(signed).not.toContain('Not yet signed');
      expect(signed).toContain(`Supervisee ${s.swName} 24 Nov 2026`);
    });

    it('all of a child’s decision records as one PDF, optionally for a period', async () => {
      const url = `/children/${s.children[0]}/decision-records.pdf`;
      const all = await as('tm').get(url);
      expect(all.statusCode).toBe(200);
      expect(all.headers['content-disposition']).toBe(
        `attachment; filename="decision-records-${s.children[0]}-${TEST_TODAY}.pdf"`,
      );
      expect(all.headers['cache-control']).toBe('no-store');
      const text = await pdfText(new Uint8Array(all.rawPayload));
      // Oldest first, as a file reads.
      expect(text.indexOf(TEXT.earlierDecision)).toBeGreaterThan(0);
      expect(text.indexOf(TEXT.decision(1))).toBeGreaterThan(text.indexOf(TEXT.earlierDecision));
      expect(text).toContain(TEXT.action1);
      expect(text).not.toContain(TEXT.draftDecision);
      expect(text).not.toContain(TEXT.decision(2));
      expect(text).not.toContain('PERSONAL-MARKER');
      const within = await pdfText(
        new Uint8Array((await as('tm').get(`${url}?from=2026-11-20&to=2026-11-20`)).rawPayload),
      );
      expect(within).toContain(TEXT.decision(1));
      expect(within).not.toContain(TEXT.earlierDecision);
      expect(within).toContain('Supervision decision record');
      const outside = await pdfText(
        new Uint8Array((await as('tm').get(`${url}?from=2026-11-21`)).rawPayload),
      );
      expect(outside).not.toContain(TEXT.decision(1));
      expect(outside).toContain('There are no signed supervision decision records for');
      expect(outside).toContain('from 21 Nov 2026');
      for (const bad of ['?from=2026-13-01', '?to=yesterday', '?from=2026-11-21&to=2026-11-20'])
        expect((await as('tm').get(`${url}${bad}`)).statusCode).toBe(400);
    });

    it('who may read a decision record: whoever may see the session or the child; anyone else is told it is not found', async () => {
      const records = new DecisionRecordsService(db(), clock);
      const hos = await viewerFor(db(), s.hos);
      const record = await records.one(hos, s.session, s.discussions[0]);
      expect(record.maySeeChild).toBe(true);
      expect(record.mayMarkCopied).toBe(true);
      // The other service's team manager: not found, as a made-up id is.
      const other = await viewerFor(db(), s.other.manager);
      await expect(records.one(other, s.session, s.discussions[0])).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(records.ofChild(other, s.children[0])).rejects.toBeInstanceOf(NotFoundError);
      const theirs = await records.one(other, s.other.session, s.other.discussion);
      expect(theirs.discussion.decision).toBe(TEXT.otherDecision);
      // A draft has no decision record, even for its supervisor; a discussion asked for under
      // another session's address neither.
      const tm = await viewerFor(db(), s.tm);
      await expect(records.one(tm, s.draft.session, s.draft.discussion)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(records.one(tm, s.draft.session, s.discussions[0])).rejects.toBeInstanceOf(
        NotFoundError,
      );

      const tmWeb = as('tm');
      const refused = await tmWeb.get(recordUrl(s.other.session, s.other.discussion));
      const madeUp = await tmWeb.get(recordUrl(s.other.session, 'NO-SUCH-DISCUSSION'));
      const madeUpSession = await tmWeb.get(recordUrl('NO-SUCH-SESSION', s.other.discussion));
      expect(refused.statusCode).toBe(404);
      expect(madeUp.statusCode).toBe(404);
      expect(normal(refused.body)).toBe(normal(madeUp.body));
      expect(normal(refused.body)).toBe(normal(madeUpSession.body));
      expect(refused.body).not.toContain(TEXT.otherDecision);
      const refusedPdf = await tmWeb.get(recordUrl(s.other.session, s.other.discussion, true));
      expect(refusedPdf.statusCode).toBe(404);
      expect(normal(refusedPdf.body)).toBe(normal(madeUp.body));
      expect((await as('hos').get(recordUrl(s.session, s.discussions[0]))).statusCode).toBe(200);
      expect(
        (await as('director').get(recordUrl(s.other.session, s.other.discussion))).statusCode,
      ).toBe(200);
    });

    it('a manager records that it was copied to the child’s file: who and when, shown on both pages', async () => {
      const url = `/supervision/${s.session}/cases/${s.discussions[0]}/copied`;
      const copied = () =>
        db()
          .selectFrom('case_discussions')
          .select(['copied_at', 'copied_by'])
          .where('id', '=', s.discussions[0])
          .executeTakeFirstOrThrow();
      const sw = as('sw');
      await sw.get(recordUrl(s.session, s.discussions[0]));
      expect((await sw.post(url, {})).statusCode).toBe(403);
      const tm = as('tm');
      const page = await tm.get(recordUrl(s.session, s.discussions[0]));
      expect(page.body).toContain(`action="${url}"`);
      expect((await tm.post(url, {}, { csrf: null })).statusCode).toBe(403);
      expect(await copied()).toEqual({ copied_at: null, copied_by: null });
      const done = await tm.post(url, { from: 'record' });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe(`${recordUrl(s.session, s.discussions[0])}?saved=copied`);
      expect(await copied()).toEqual({ copied_at: clock.now().toISOString(), copied_by: s.tm });
      const after = await tm.get(`${recordUrl(s.session, s.discussions[0])}?saved=copied`);
      expect(after.body).toContain('Recorded as copied to the child’s file.');
      expect(after.body).toContain(`Copied to the child’s file by ${s.tmName} on 24 Nov 2026`);
      expect(after.body).not.toContain(`action="${url}"`);
      const child = await as('hos').get(`/children/${s.children[0]}`);
      expect(child.body).toContain(`Copied to the child’s file by ${s.tmName} on 24 Nov 2026`);
      const pdf = await pdfText(
        new Uint8Array((await tm.get(recordUrl(s.session, s.discussions[0], true))).rawPayload),
      );
      expect(pdf).toContain(`Copied to the child’s file by ${s.tmName} on 24 Nov 2026`);
      // Once is enough: a second manager's press changes nothing.
      const hos = as('hos');
      await hos.get(`/children/${s.children[0]}`);
      const again = await hos.post(url, { from: 'child' });
      expect(again.headers.location).toBe(`/children/${s.children[0]}?saved=copied#case-decisions`);
      expect(await copied()).toEqual({ copied_at: clock.now().toISOString(), copied_by: s.tm });
      // Another service's record: not found.
      const other = await tm.post(
        `/supervision/${s.other.session}/cases/${s.other.discussion}/copied`,
        {},
      );
      expect(other.statusCode).toBe(404);
    });

    it('the document definition: one record a page, titled, with page numbers; names in any Latin script', async () => {
      const record = await new DecisionRecordsService(db(), clock).one(
        await viewerFor(db(), s.tm),
        s.session,
        s.discussions[0],
      );
      const view: DecisionRecordView = {
        ...presentDecisionRecord(record),
        childName: 'Łucja Ştefănescu Zoë',
      };
      const doc = decisionRecordsDocument([view, { ...view, decision: 'Second record' }], {
        title: 'Two records',
      });
      expect(doc.info?.title).toBe('Two records');
      const content = doc.content as { pageBreak?: string }[];
      expect(content).toHaveLength(2);
      expect(content[0]?.pageBreak).toBeUndefined();
      expect(content[1]?.pageBreak).toBe('before');
      const json = JSON.stringify(doc);
      expect(json).toContain(TEXT.decision(1));
      expect(json).toContain('Second record');
      expect(json).not.toContain('PERSONAL-MARKER');
      const footer = doc.footer as (page: number, pages: number) => unknown;
      expect(JSON.stringify(footer(2, 3))).toContain('Page 2 of 3');
      // A heading with nothing after it on its page goes over to the next.
      const breakBefore = doc.pageBreakBefore as unknown as (
        node: { headlineLevel?: number },
        nodes: { getFollowingNodesOnPage: () => unknown[] },
      ) => boolean;
      expect(breakBefore({ headlineLevel: 2 }, { getFollowingNodesOnPage: () => [] })).toBe(true);
      expect(breakBefore({ headlineLevel: 2 }, { getFollowingNodesOnPage: () => [{}] })).toBe(
        false,
      );
      expect(breakBefore({}, { getFollowingNodesOnPage: () => [] })).toBe(false);
      // The longest record the forms allow runs over pages, each numbered.
      const long = 'The longest decision a form allows, written out in full. '.repeat(85);
      const longText = await pdfText(
        new Uint8Array(
          await renderPdf(
            decisionRecordsDocument([{ ...view, decision: long, rationale: long }], {
              title: 'Long',
            }),
          ),
        ),
      );
      expect(longText).toMatch(/Page 1 of [2-9]/);
      expect(longText).toContain('Page 2 of');
      expect(longText).toContain(TEXT.action1);
      const text = await pdfText(new Uint8Array(await renderPdf(doc)));
      expect(text).toContain('Łucja Ştefănescu Zoë');
      expect(text).toContain('Second record');
      const empty = await pdfText(
        new Uint8Array(
          await renderPdf(
            decisionRecordsDocument([], { title: 'None', emptyText: 'Nothing here.' }),
          ),
        ),
      );
      expect(empty).toContain('Nothing here.');
    });

    // -------------------------------------------------------------------------------------------
    // Every route against every role

    it('every notes and decision record route against every role', async () => {
      type Expect = Record<Role, number | 'signIn'>;
      const checkGet = async (url: string, expected: Partial<Expect>) => {
        for (const role of ROLES) {
          const want = expected[role];
          if (want === undefined) continue;
          expect({ url, role, status: status(await as(role).get(url)) }).toEqual({
            url,
            role,
            status: want,
          });
        }
      };
      const top = { anonymous: 'signIn', admin: 403 } as const;
      const [c1] = s.children;
      const d2 = s.discussions[1];

      // The note form: anyone in the structure who may see the child (quality assurance writes none).
      await checkGet(`/children/${c1}/oversight-notes/new`, {
        ...top,
        sw: 200,
        tm: 200,
        hos: 200,
        director: 200,
        qa: 403,
      });
      await checkGet(`/children/${s.other.child}/oversight-notes/new`, {
        ...top,
        sw: 404,
        tm: 404,
        hos: 404,
        director: 200,
        qa: 403,
      });
      await checkGet('/children/NO-SUCH-CHILD/oversight-notes/new', {
        sw: 404,
        tm: 404,
        director: 404,
      });
      const otherForm = await as('tm').get(`/children/${s.other.child}/oversight-notes/new`);
      const madeUpForm = await as('tm').get('/children/NO-SUCH-CHILD/oversight-notes/new');
      expect(normal(otherForm.body)).toBe(normal(madeUpForm.body));

      // The decision record, its PDF and the child's PDF: anyone who may see the child or the session.
      for (const pdf of [false, true]) {
        await checkGet(recordUrl(s.session, d2, pdf), {
          ...top,
          sw: 200,
          tm: 200,
          hos: 200,
          director: 200,
          qa: 200,
        });
        await checkGet(recordUrl(s.other.session, s.other.discussion, pdf), {
          ...top,
          sw: 404,
          tm: 404,
          hos: 404,
          director: 200,
          qa: 200,
        });
        await checkGet(recordUrl(s.draft.session, s.draft.discussion, pdf), {
          ...top,
          sw: 404,
          tm: 404,
          hos: 404,
          director: 404,
          qa: 404,
        });
      }
      await checkGet(`/children/${s.children[1]}/decision-records.pdf`, {
        ...top,
        sw: 200,
        tm: 200,
        hos: 200,
        director: 200,
        qa: 200,
      });
      await checkGet(`/children/${s.other.child}/decision-records.pdf`, {
        ...top,
        sw: 404,
        tm: 404,
        hos: 404,
        director: 200,
        qa: 200,
      });
      await checkGet('/children/NO-SUCH-CHILD/decision-records.pdf', { tm: 404, director: 404 });

      // The posts: each role with a fresh form token; without one, refused.
      const post = async (role: Role, url: string, form: Record<string, string>) => {
        const session = as(role);
        await session.get(
          role === 'admin' ? '/admin' : role === 'anonymous' ? '/sign-in' : '/my-work',
        );
        return (await session.post(url, form)).statusCode;
      };
      const noteUrl = `/children/${c1}/oversight-notes/new`;
      const notePosts: [Role, Record<string, string>, number][] = [
        ['anonymous', noteForm(), 403],
        ['admin', noteForm(), 403],
        ['qa', noteForm(), 403],
        ['sw', noteForm({ kind: 'ten-day-review' }), 403],
        ['sw', noteForm({ kind: 'consultation-principal-officer' }), 303],
        ['tm', noteForm({ kind: 'twenty-day-review' }), 303],
        ['hos', noteForm({ kind: 'manager-decision' }), 303],
        ['director', noteForm({ kind: 'manager-decision' }), 303],
      ];
      for (const [role, form, want] of notePosts)
        expect({ role, kind: form.kind, status: await post(role, noteUrl, form) }).toEqual({
          role,
          kind: form.kind,
          status: want,
        });
      for (const role of ['tm', 'hos', 'sw'] as const)
        expect(await post(role, `/children/${s.other.child}/oversight-notes/new`, noteForm())).toBe(
          404,
        );
      await as('tm').get(noteUrl);
      expect((await as('tm').post(noteUrl, noteForm(), { csrf: null })).statusCode).toBe(403);

      const copiedUrl = `/supervision/${s.session}/cases/${d2}/copied`;
      const copiedPosts: [Role, number][] = [
        ['anonymous', 403],
        ['admin', 403],
        ['qa', 403],
        ['sw', 403],
        ['hos', 303],
        ['tm', 303],
        ['director', 303],
      ];
      await as('tm').get(noteUrl);
      expect((await as('tm').post(copiedUrl, {}, { csrf: null })).statusCode).toBe(403);
      for (const [role, want] of copiedPosts)
        expect({ role, status: await post(role, copiedUrl, {}) }).toEqual({ role, status: want });
      const row = await db()
        .selectFrom('case_discussions')
        .select('copied_by')
        .where('id', '=', d2)
        .executeTakeFirstOrThrow();
      expect(row.copied_by).toBe(s.hos);
      const otherCopied = `/supervision/${s.other.session}/cases/${s.other.discussion}/copied`;
      for (const role of ['tm', 'hos'] as const)
        expect(await post(role, otherCopied, {})).toBe(404);
      expect(
        await post('tm', `/supervision/${s.draft.session}/cases/${s.draft.discussion}/copied`, {}),
      ).toBe(404);

      expect(covered).toEqual([
        'GET /children/:id/oversight-notes/new',
        'POST /children/:id/oversight-notes/new',
        'GET /supervision/:id/cases/:discussionId/decision-record',
        'GET /supervision/:id/cases/:discussionId/decision-record.pdf',
        'GET /children/:id/decision-records.pdf',
        'POST /supervision/:id/cases/:discussionId/copied',
      ]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// In a browser: axe (WCAG 2.2 AA) on every page, and the decision record as printed

class NoteFormPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toBe('Record a management oversight note');
  }
}

class NoteFormErrorPage extends NoteFormPage {
  protected override readonly expectedStatus = 400;
}

class DecisionRecordPage extends BasePage {
  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toBe('Supervision decision record');
  }
}

describe('notes and decision record pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Seeded;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    seeded = await seed(server.db);
  }, 180_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (server as TestServer | undefined)?.close();
  });

  async function as(email: string, width: number, body: (j: Journey) => Promise<void>) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    context.setDefaultTimeout(10_000);
    try {
      const page: Page = await context.newPage();
      const j = new Journey(
        page,
        `notes-${email.split('@')[0] ?? ''}-${String(width)}`,
        server.baseUrl,
      );
      await j.visit('/sign-in');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill('oversight-demo');
      await j.navigate(() => page.getByRole('button', { name: 'Sign in' }).click());
      await body(j);
    } finally {
      await context.close();
    }
  }

  for (const width of [1280, 390]) {
    it(`a manager records a note, reads the decision record and files it, at ${String(width)} pixels`, async () => {
      await as('tm@demo.example', width, async (j) => {
        const [child] = seeded.children;
        await j.visit(`/children/${child}`);
        const childPage = await j.on(ChildPage, 'child');
        expect(await childPage.sidewaysOverflow()).toBe(0);
        await childPage.followLink('Record a management oversight note');
        const form = await j.on(NoteFormPage, 'note-form');
        await j.navigate(() => form.page.getByRole('button', { name: 'Save the note' }).click());
        const errors = await j.on(NoteFormErrorPage, 'note-errors');
        expect(await errors.title()).toMatch(/^Error: /);
        await errors.page.getByLabel('Manager’s decision').check();
        const date = errors.page.getByRole('group', { name: 'Date' });
        await date.getByLabel('Day').fill('22');
        await date.getByLabel('Month').fill('11');
        await date.getByLabel('Year').fill('2026');
        await errors.page
          .getByLabel('Decision', { exact: true })
          .fill(`Browser decision ${String(width)}`);
        await errors.page.getByLabel('Rationale').fill('Recorded in a browser');
        await j.navigate(() => errors.page.getByRole('button', { name: 'Save the note' }).click());
        const saved = await j.on(ChildPage, 'note-saved');
        const text = await saved.page.locator('main').innerText();
        expect(text).toContain('Management oversight note saved');
        expect(text).toContain(`Browser decision ${String(width)}`);

        await saved.followLink(/^Decision record/);
        const record = await j.on(DecisionRecordPage, 'decision-record');
        expect(
          await record.sidewaysOverflow(),
          (await record.elementsPastTheEdge()).join(', '),
        ).toBe(0);
        expect(await record.page.locator('main').innerText()).toContain(TEXT.decision(1));
        // Printed: the page's content only.
        await record.page.emulateMedia({ media: 'print' });
        expect(await record.page.locator('.govuk-service-navigation').isVisible()).toBe(false);
        expect(await record.page.locator('.govuk-footer').isVisible()).toBe(false);
        expect(await record.page.locator('main .govuk-button').first().isVisible()).toBe(false);
        expect(
          await record.page.getByRole('heading', { name: 'Decision', exact: true }).isVisible(),
        ).toBe(true);
        await record.page.emulateMedia({ media: 'screen' });
        if (width === 1280) {
          await j.navigate(() =>
            record.page
              .getByRole('button', { name: 'Record that it has been copied to the child’s file' })
              .click(),
          );
          const filed = await j.on(DecisionRecordPage, 'copied');
          expect(await filed.page.locator('main').innerText()).toContain(
            `Copied to the child’s file by ${seeded.tmName}`,
          );
        }
      });
    });
  }

  it('a social worker’s note form offers only consultations', async () => {
    await as('sw@demo.example', 1280, async (j) => {
      await j.visit(`/children/${seeded.children[0]}/oversight-notes/new`);
      const form = await j.on(NoteFormPage, 'sw-note-form');
      expect(await form.page.getByRole('radio').count()).toBe(3);
      expect(await form.page.locator('main').innerText()).toContain(
        'Reviews and managers’ decisions are recorded by a manager.',
      );
    });
  });
});
