import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { personPlace } from '../src/db/accounts.repository.js';
import {
  actionsAgreedBy,
  actionsOwnedBy,
  listAttentionActions,
  markActionDone,
  overdueActionCounts,
  reopenAction,
  type AttentionFilter,
  type AttentionSort,
} from '../src/db/actions.repository.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import type { Scope } from '../src/domain/access/viewer.js';
import { DRIFT_AFTER, hasDrifted } from '../src/domain/supervision/record.js';
import type { ReviewRow } from '../src/db/supervision.repository.js';
import {
  SupervisionService,
  type ActionInput,
} from '../src/features/supervision/supervision.service.js';
import { ensureCurrent } from '../src/services/due.service.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, freshDatabase } from './support/databases.js';
import { launchChromium } from './e2e/support/browser.js';
import { Journey } from './e2e/support/journey.js';
import { BasePage } from './e2e/support/pages/base.page.js';
import { startServer, type TestServer } from './e2e/support/server.js';
import { covered } from './matrix/actions.js';
import { childrenOf, personOf, viewerFor } from './support/demo-people.js';

/**
 * Actions outside the sessions that agree them: my actions, the ones I agreed as a supervisor,
 * marking my own done (and taking it back), and the overdue and drifting actions in a manager's
 * place. Records are made through the supervision service, signed, and carried forward by
 * signing later sessions, on both databases; every actions route against every role; and the
 * pages in Chromium with axe.
 */

const clock = fixedClock(TEST_TODAY);

/** Descriptions, each naming its action in the tests below. */
const A = {
  visit: 'Visit at home within ten days',
  conference: 'Book the family group conference',
  school: 'Ask the school for attendance figures',
  chronology: 'Write up the chronology',
  health: 'Call the health visitor',
  minutes: 'Send the minutes of the core group',
  plan: 'Share the plan with the family',
  respite: 'Think about respite options',
  draft: 'Draft only: not agreed until signed',
  otherTeam: 'Other team: review the safety plan',
  otherService: 'Other service: chase the health assessment',
} as const;
type Key = keyof typeof A;

const BULK = 55;

interface Seeded {
  sw: string;
  tm: string;
  tmTeam: string;
  hos: string;
  otherTeam: { manager: string; worker: string; team: string };
  otherService: { manager: string; worker: string };
  children: string[];
  action: Record<Key, string>;
  sessions: { first: string; last: string; draft: string };
}

/** A worker with children to discuss and the team manager who supervises them, outside tm's team. */
async function supervisedElsewhere(db: Db, notTeam: string) {
  return db
    .selectFrom('people as p')
    .innerJoin('people as m', 'm.id', 'p.line_manager_id')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['p.id as worker', 'm.id as manager', 't.id as team', 't.service_id as service'])
    .where('m.role', '=', 'team-manager')
    .where('m.team_id', '!=', notTeam)
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
    .execute();
}

/**
 * The records the tests read, all made and signed through the supervision service:
 * - 3 Aug: tm and sw agree four actions; sw's chronology is reviewed as done on 7 Sep; the
 *   other three are carried forward at the sessions of 7 Sep, 5 Oct, 2 Nov and 16 Nov (four
 *   times: drifting);
 * - 16 Nov: four more of sw's, none carried;
 * - a draft of 23 Nov whose action does not count;
 * - one overdue action in another team of hos's service, and 1 + 55 in another service.
 */
async function seed(db: Db): Promise<Seeded> {
  await ensureCurrent(db, clock);
  const supervision = new SupervisionService(db, clock);
  const sw = await personOf(db, 'sw@demo.example');
  const tm = await personOf(db, 'tm@demo.example');
  const hos = await personOf(db, 'hos@demo.example');
  const tmPlace = await personPlace(db, tm);
  const hosPlace = await personPlace(db, hos);
  const tmTeam = tmPlace?.teamId ?? '';
  const elsewhere = await supervisedElsewhere(db, tmTeam);
  const sameService = elsewhere.find((e) => e.service === hosPlace?.serviceId);
  const otherService = elsewhere.find(
    (e) => e.service !== hosPlace?.serviceId && e.manager !== sameService?.manager,
  );
  if (sameService === undefined || otherService === undefined)
    throw new Error('the demo organisation has no team managers to test with');
  const children = await childrenOf(db, sw);
  expect(children.length).toBeGreaterThanOrEqual(2);
  const [c1, c2] = children as [string, string];

  const session = async (
    supervisorId: string,
    superviseeId: string,
    date: string,
    discussions: { childId: string; actions: ActionInput[] }[],
    options: { reviews?: ReviewRow[]; sign?: boolean } = {},
  ): Promise<string> => {
    const viewer = await viewerFor(db, supervisorId);
    const id = await supervision.start(viewer, {
      type: 'individual',
      superviseeIds: [superviseeId],
      coWorkerIds: [],
      teamId: null,
      date,
      startTime: null,
      endTime: null,
      place: null,
      confidentiality: null,
    });
    if (options.reviews !== undefined)
      expect((await supervision.saveReview(viewer, id, 0, options.reviews)).ok).toBe(true);
    for (const d of discussions) {
      const [discussionId] = await supervision.addChildren(viewer, id, [d.childId]);
      const saved = await supervision.saveDiscussion(
        viewer,
        id,
        discussionId ?? '',
        0,
        { decision: 'Continue with the plan', rationale: 'Progress is steady' },
        d.actions,
      );
      expect(saved.ok).toBe(true);
    }
    if (options.sign !== false) {
      const signed = await supervision.signAsSupervisor(viewer, id);
      if (!signed.ok) throw new Error(signed.problems.map((p) => p.text).join('; '));
    }
    return id;
  };
  const act = (description: string, ownerId: string, dueDate: string | null): ActionInput => ({
    description,
    ownerId,
    dueDate,
  });

  const first = await session(tm, sw, '2026-08-03', [
    {
      childId: c1,
      actions: [
        act(A.visit, sw, '2026-08-13'),
        act(A.conference, sw, '2026-12-15'),
        act(A.school, tm, '2026-09-01'),
        act(A.chronology, sw, null),
      ],
    },
  ]);
  const ids = async (): Promise<Map<string, string>> =>
    new Map(
      (await db.selectFrom('supervision_actions').select(['id', 'description']).execute()).map(
        (r) => [r.description, r.id],
      ),
    );
  const chronology = (await ids()).get(A.chronology) ?? '';
  await session(tm, sw, '2026-09-07', [], {
    reviews: [{ actionId: chronology, outcome: 'done', reason: null }],
  });
  await session(tm, sw, '2026-10-05', []);
  await session(tm, sw, '2026-11-02', []);
  const last = await session(tm, sw, '2026-11-16', [
    {
      childId: c2,
      actions: [
        act(A.health, sw, '2026-11-20'),
        act(A.minutes, sw, '2026-11-23'),
        act(A.plan, sw, '2026-12-10'),
        act(A.respite, sw, null),
      ],
    },
  ]);
  const draft = await session(
    tm,
    sw,
    '2026-11-23',
    [{ childId: c1, actions: [act(A.draft, sw, '2026-11-01')] }],
    { sign: false },
  );

  const [teamChild] = await childrenOf(db, sameService.worker);
  await session(sameService.manager, sameService.worker, '2026-10-01', [
    { childId: teamChild ?? '', actions: [act(A.otherTeam, sameService.worker, '2026-10-15')] },
  ]);
  const [serviceChild] = await childrenOf(db, otherService.worker);
  await session(otherService.manager, otherService.worker, '2026-10-01', [
    {
      childId: serviceChild ?? '',
      actions: [
        act(A.otherService, otherService.worker, '2026-10-20'),
        ...Array.from({ length: BULK }, (_, i) =>
          act(`Bulk action ${String(i + 1).padStart(2, '0')}`, otherService.worker, '2026-10-31'),
        ),
      ],
    },
  ]);

  const all = await ids();
  const action = Object.fromEntries(
    (Object.keys(A) as Key[]).map((k) => [k, all.get(A[k]) ?? '']),
  ) as Record<Key, string>;
  return {
    sw,
    tm,
    tmTeam,
    hos,
    otherTeam: sameService,
    otherService,
    children,
    action,
    sessions: { first, last, draft },
  };
}

const descriptions = (rows: readonly { description: string }[]) => rows.map((r) => r.description);

for (const kind of databaseKinds()) {
  describe(`actions [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    let s: Seeded;
    const scopes = new Map<string, Scope>();

    beforeAll(async () => {
      database = await freshDatabase(kind);
      // The demo without its recorded supervision: these tests write their own.
      app = await demoApp(database, clock, { supervisionHistory: false });
      s = await seed(database.db);
      for (const [name, id] of [
        ['sw', s.sw],
        ['tm', s.tm],
        ['hos', s.hos],
        ['director', await personOf(database.db, 'director@demo.example')],
      ] as const)
        scopes.set(name, (await viewerFor(database.db, id)).scope);
    }, 180_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    const scope = (name: string): Scope => {
      const found = scopes.get(name);
      if (found === undefined) throw new Error(name);
      return found;
    };

    it('carries unreviewed actions forward at each signing, and they drift after three', async () => {
      const rows = await database.db
        .selectFrom('supervision_actions')
        .select(['description', 'state', 'carried', 'closed_in'])
        .where('session_id', '=', s.sessions.first)
        .orderBy('description')
        .execute();
      expect(
        rows.map((r) => ({
          description: r.description,
          state: r.state,
          carried: r.carried,
          closedAtASession: r.closed_in !== null,
          drifting: hasDrifted(r),
        })),
      ).toEqual([
        {
          description: A.school,
          state: 'open',
          carried: 4,
          closedAtASession: false,
          drifting: true,
        },
        {
          description: A.conference,
          state: 'open',
          carried: 4,
          closedAtASession: false,
          drifting: true,
        },
        {
          description: A.visit,
          state: 'open',
          carried: 4,
          closedAtASession: false,
          drifting: true,
        },
        {
          description: A.chronology,
          state: 'done',
          carried: 0,
          closedAtASession: true,
          drifting: false,
        },
      ]);
      expect(DRIFT_AFTER).toBeLessThan(4);
    });

    it('my actions: open ones I own from signed records, soonest first, undated last', async () => {
      const mine = await actionsOwnedBy(database.db, s.sw);
      expect(descriptions(mine)).toEqual([
        A.visit,
        A.health,
        A.minutes,
        A.plan,
        A.conference,
        A.respite,
      ]);
      expect(mine.find((a) => a.description === A.visit)).toMatchObject({
        sessionDate: '2026-08-03',
        sessionId: s.sessions.first,
        childId: s.children[0],
        ownerId: s.sw,
        carried: 4,
        state: 'open',
      });
      expect(descriptions(await actionsOwnedBy(database.db, s.tm))).toEqual([A.school]);
    });

    it('actions I agreed as a supervisor: owned by the people I supervised, not by me', async () => {
      expect(descriptions(await actionsAgreedBy(database.db, s.tm))).toEqual([
        A.visit,
        A.health,
        A.minutes,
        A.plan,
        A.conference,
        A.respite,
      ]);
      expect(await actionsAgreedBy(database.db, s.sw)).toEqual([]);
    });

    it('overdue and drifting actions: exactly those of the owners each scope covers', async () => {
      const today = TEST_TODAY;
      const list = async (
        who: string,
        filter: Omit<AttentionFilter, 'today'> = {},
        sort: AttentionSort = 'due',
        direction: 'asc' | 'desc' = 'asc',
        offset = 0,
        limit = 50,
      ) =>
        listAttentionActions(
          database.db,
          scope(who),
          { today, ...filter },
          { sort, direction, offset, limit },
        );
      const tmList = await list('tm');
      expect(descriptions(tmList.rows)).toEqual([
        A.visit,
        A.school,
        A.health,
        A.minutes,
        A.conference,
      ]);
      expect(tmList.total).toBe(5);
      expect(tmList.rows[0]).toMatchObject({ ownerTeamId: s.tmTeam, ownerId: s.sw });
      expect(descriptions((await list('tm', {}, 'due', 'desc')).rows)).toEqual([
        A.conference,
        A.minutes,
        A.health,
        A.school,
        A.visit,
      ]);
      expect(descriptions((await list('tm', {}, 'carried', 'desc')).rows)).toEqual([
        A.visit,
        A.school,
        A.conference,
        A.health,
        A.minutes,
      ]);
      expect(descriptions((await list('tm', { show: 'overdue' })).rows)).toEqual([
        A.visit,
        A.school,
        A.health,
        A.minutes,
      ]);
      expect(descriptions((await list('tm', { show: 'drifting' })).rows)).toEqual([
        A.visit,
        A.school,
        A.conference,
      ]);
      expect(descriptions((await list('tm', { ownerId: s.tm })).rows)).toEqual([A.school]);

      const hosList = await list('hos');
      expect(descriptions(hosList.rows)).toEqual([
        A.visit,
        A.school,
        A.otherTeam,
        A.health,
        A.minutes,
        A.conference,
      ]);
      expect(descriptions((await list('hos', { teamId: s.otherTeam.team })).rows)).toEqual([
        A.otherTeam,
      ]);
      // A team outside the scope gives nothing, whatever is in it.
      expect((await list('tm', { teamId: s.otherTeam.team })).total).toBe(0);
      expect((await list('hos', { ownerId: s.otherService.worker })).total).toBe(0);

      const directorList = await list('director', {}, 'due', 'asc', 0, 50);
      expect(directorList.total).toBe(5 + 1 + 1 + BULK);
      expect(directorList.rows).toHaveLength(50);
      const rest = await list('director', {}, 'due', 'asc', 50, 50);
      expect(rest.rows).toHaveLength(12);
      expect(descriptions(rest.rows).slice(-3)).toEqual([A.health, A.minutes, A.conference]);
    });

    it('counts: overdue and drifting, for a scope, a team or a worker', async () => {
      const counts = (who: string, filter: { teamId?: string; ownerId?: string } = {}) =>
        overdueActionCounts(database.db, scope(who), TEST_TODAY, filter);
      expect(await counts('tm')).toEqual({ overdue: 4, drifting: 3 });
      expect(await counts('tm', { ownerId: s.sw })).toEqual({ overdue: 3, drifting: 2 });
      expect(await counts('tm', { teamId: s.tmTeam })).toEqual({ overdue: 4, drifting: 3 });
      expect(await counts('hos')).toEqual({ overdue: 5, drifting: 3 });
      expect(await counts('hos', { teamId: s.otherTeam.team })).toEqual({
        overdue: 1,
        drifting: 0,
      });
      expect(await counts('director')).toEqual({ overdue: 4 + 1 + 1 + BULK, drifting: 3 });
      expect(await counts('sw')).toEqual({ overdue: 3, drifting: 2 });
    });

    it('only the owner marks an action done, only an open one of a signed record', async () => {
      const db = database.db;
      expect(await markActionDone(db, s.action.plan, s.tm, 'x')).toBe(false);
      expect(await markActionDone(db, s.action.draft, s.sw, 'x')).toBe(false);
      expect(await markActionDone(db, s.action.chronology, s.sw, 'x')).toBe(false);
      expect(await reopenAction(db, s.action.chronology, s.sw)).toBe(false);
      expect(await markActionDone(db, s.action.plan, s.sw, '2026-11-24T12:00:00.000Z')).toBe(true);
      expect(await markActionDone(db, s.action.plan, s.sw, 'again')).toBe(false);
      expect(await reopenAction(db, s.action.plan, s.tm)).toBe(false);
      const marked = await db
        .selectFrom('supervision_actions')
        .select(['state', 'closed_at', 'closed_in'])
        .where('id', '=', s.action.plan)
        .executeTakeFirstOrThrow();
      expect(marked).toEqual({
        state: 'done',
        closed_at: '2026-11-24T12:00:00.000Z',
        closed_in: null,
      });
      expect(await reopenAction(db, s.action.plan, s.sw)).toBe(true);
      expect(
        await db
          .selectFrom('supervision_actions')
          .select(['state', 'closed_at', 'closed_in'])
          .where('id', '=', s.action.plan)
          .executeTakeFirstOrThrow(),
      ).toEqual({ state: 'open', closed_at: null, closed_in: null });
    });

    // -------------------------------------------------------------------------------------------
    // Through the web

    const status = (r: LightMyRequestResponse) =>
      r.statusCode === 302 && String(r.headers.location).startsWith('/sign-in')
        ? 'signIn'
        : r.statusCode;
    const rowOf = (html: string, text: string) => {
      const at = html.indexOf(text);
      if (at < 0) return '';
      const start = html.lastIndexOf('<tr', at);
      const end = html.indexOf('</tr>', at);
      return html.slice(start, end);
    };
    const sectionOf = (html: string, id: string) => {
      const start = html.indexOf(`id="${id}"`);
      if (start < 0) return '';
      const end = html.indexOf('<h2', start + 1);
      return html.slice(start, end < 0 ? undefined : end);
    };

    it('my actions page: mine with their child, record, due date and tags; then those I agreed', async () => {
      const sw = await signedIn(app, 'sw@demo.example');
      const page = await sw.get('/actions');
      expect(page.statusCode).toBe(200);
      const open = sectionOf(page.body, 'open');
      for (const key of ['visit', 'health', 'minutes', 'plan', 'conference', 'respite'] as const)
        expect(open).toContain(A[key]);
      for (const key of ['school', 'chronology', 'draft', 'otherTeam', 'otherService'] as const)
        expect(page.body).not.toContain(A[key]);
      // Soonest first.
      const order = ['visit', 'health', 'minutes', 'plan', 'conference', 'respite'].map((k) =>
        open.indexOf(A[k as Key]),
      );
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      const visit = rowOf(page.body, A.visit);
      expect(visit).toContain('13 Aug 2026');
      expect(visit).toContain('Overdue');
      expect(visit).toContain('103 days overdue');
      expect(visit).toContain('Drifting');
      expect(visit).toContain('Carried forward 4 times');
      expect(visit).toContain(`href="/supervision/${s.sessions.first}"`);
      expect(visit).toContain('3 Aug 2026');
      expect(visit).toContain(`href="/children/${s.children[0] ?? ''}"`);
      expect(visit).toContain(`action="/actions/${s.action.visit}/done"`);
      const plan = rowOf(page.body, A.plan);
      expect(plan).toContain('10 Dec 2026');
      expect(plan).not.toContain('Overdue');
      expect(plan).not.toContain('Drifting');
      const conference = rowOf(page.body, A.conference);
      expect(conference).not.toContain('Overdue');
      expect(conference).toContain('Drifting');
      expect(rowOf(page.body, A.minutes)).toContain('1 day overdue');
      expect(rowOf(page.body, A.respite)).toContain('No date set');
      // A social worker supervises no one here, and has no overdue list.
      expect(page.body).not.toContain('Actions you agreed as a supervisor');
      expect(page.body).not.toContain('href="/actions/overdue"');

      const tm = await signedIn(app, 'tm@demo.example');
      const theirs = await tm.get('/actions');
      expect(sectionOf(theirs.body, 'open')).toContain(A.school);
      const agreed = sectionOf(theirs.body, 'agreed');
      expect(agreed).toContain('Actions you agreed as a supervisor');
      for (const key of ['visit', 'health', 'minutes', 'plan', 'conference', 'respite'] as const)
        expect(agreed).toContain(A[key]);
      expect(agreed).not.toContain(A.school);
      expect(agreed).not.toContain('action="/actions/');
      expect(rowOf(agreed, A.visit)).toContain(`href="/workers/${s.sw}"`);
      expect(theirs.body).toContain('href="/actions/overdue"');
    });

    it('the navigation offers Actions after My work to everyone with their own work', async () => {
      const sw = await signedIn(app, 'sw@demo.example');
      const myWork = await sw.get('/my-work');
      const nav = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(myWork.body)?.[0];
      const links = [...(nav ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      // After My work (and beside the other items for one's own work), before the team's.
      expect(links.indexOf('/actions')).toBeGreaterThan(links.indexOf('/my-work'));
      expect(links.indexOf('/my-work')).toBe(0);
      const tm = await signedIn(app, 'tm@demo.example');
      const tmNav = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(
        (await tm.get('/my-work')).body,
      )?.[0];
      const tmLinks = [...(tmNav ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(tmLinks.indexOf('/actions')).toBeGreaterThan(0);
      expect(tmLinks.indexOf('/actions')).toBeLessThan(
        tmLinks.findIndex((l) => l.startsWith('/teams/')),
      );
      const onActions = (await sw.get('/actions/overdue')).statusCode;
      expect(onActions).toBe(403);
      const here = await sw.get('/actions');
      expect(here.body).toMatch(/href="\/actions" aria-current="page"/);
      const admin = await signedIn(app, 'admin@demo.example');
      expect((await admin.get('/admin')).body).not.toContain('href="/actions"');
    });

    it('the overdue list: counts, filters, sorting and pages, only within the viewer’s place', async () => {
      const tm = await signedIn(app, 'tm@demo.example');
      const page = await tm.get('/actions/overdue');
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/app-summary-figure__value">4<[\s\S]*?>overdue</);
      expect(page.body).toMatch(/app-summary-figure__value">3<[\s\S]*?>drifting/);
      expect(page.body).toContain('Showing 1 to 5 of 5 actions');
      for (const key of ['visit', 'school', 'health', 'minutes', 'conference'] as const)
        expect(page.body).toContain(A[key]);
      for (const key of ['plan', 'respite', 'chronology', 'draft', 'otherTeam'] as const)
        expect(page.body).not.toContain(A[key]);
      expect(page.body).not.toContain('Bulk action');
      const visit = rowOf(page.body, A.visit);
      expect(visit).toContain(`href="/workers/${s.sw}"`);
      expect(visit).toContain(`href="/supervision/${s.sessions.first}"`);
      expect(visit).toContain(`href="/children/${s.children[0] ?? ''}"`);
      expect(visit).toMatch(/govuk-table__cell--numeric">4</);

      const drifting = await tm.get('/actions/overdue?show=drifting');
      expect(drifting.body).toContain('Showing 1 to 3 of 3 actions');
      expect(drifting.body).not.toContain(A.health);
      const overdueOnly = await tm.get('/actions/overdue?show=overdue&sort=due&dir=desc');
      const order = ['minutes', 'health', 'school', 'visit'].map((k) =>
        overdueOnly.body.indexOf(A[k as Key]),
      );
      expect(order.every((i) => i > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(overdueOnly.body).not.toContain(A.conference);
      const byWorker = await tm.get(`/actions/overdue?worker=${s.tm}`);
      expect(byWorker.body).toContain('Showing 1 to 1 of 1 action');
      expect(byWorker.body).toContain(A.school);
      expect(byWorker.body).toMatch(/app-summary-figure__value">1<[\s\S]*?>overdue/);
      // Someone else's team, typed into the address, is not a filter a team manager has.
      const crafted = await tm.get(`/actions/overdue?team=${s.otherTeam.team}`);
      expect(crafted.body).toContain('Showing 1 to 5 of 5 actions');
      expect(crafted.body).not.toContain(A.otherTeam);
      // Rubbish in the address is ignored, not an error.
      expect((await tm.get('/actions/overdue?sort=x&dir=y&page=-4&show=z')).statusCode).toBe(200);

      const hos = await signedIn(app, 'hos@demo.example');
      const theirs = await hos.get('/actions/overdue');
      expect(theirs.body).toContain(A.otherTeam);
      expect(theirs.body).not.toContain(A.otherService);
      const team = await hos.get(`/actions/overdue?team=${s.otherTeam.team}`);
      expect(team.body).toContain('Showing 1 to 1 of 1 action');
      expect(team.body).toContain(A.otherTeam);
      expect(team.body).toMatch(/app-summary-figure__value">1<[\s\S]*?>overdue/);
      expect(team.body).toMatch(/app-summary-figure__value">0<[\s\S]*?>drifting/);

      const director = await signedIn(app, 'director@demo.example');
      const first = await director.get('/actions/overdue');
      expect(first.body).toContain(`Showing 1 to 50 of ${String(5 + 1 + 1 + BULK)} actions`);
      expect(first.body).toContain('govuk-pagination');
      expect(first.body).toContain('href="/actions/overdue?page=2#list"');
      const second = await director.get('/actions/overdue?page=2');
      expect(second.body).toContain(`Showing 51 to ${String(5 + 1 + 1 + BULK)} of`);
      expect(second.body).toContain(A.conference);
      // Sorting keeps the filters and starts again at the first page.
      const sorted = await director.get(`/actions/overdue?show=overdue&page=2`);
      expect(sorted.body).toContain('href="?show=overdue&amp;sort=carried&amp;dir=asc"');
    });

    it('the owner marks their action done; the list and the counts follow; they can take it back', async () => {
      const db = database.db;
      const sessionsBefore = await db
        .selectFrom('supervision_sessions')
        .selectAll()
        .orderBy('id')
        .execute();
      const reviewsBefore = await db
        .selectFrom('action_reviews')
        .selectAll()
        .orderBy('action_id')
        .execute();
      const sw = await signedIn(app, 'sw@demo.example');
      await sw.get('/actions');
      const url = `/actions/${s.action.minutes}/done`;
      expect((await sw.post(url, {}, { csrf: null })).statusCode).toBe(403);
      const done = await sw.post(url, {});
      expect(done.statusCode).toBe(303);
      expect(String(done.headers.location)).toBe('/actions?changed=done#marked-done');
      const row = await db
        .selectFrom('supervision_actions')
        .select(['state', 'closed_at', 'closed_in', 'carried'])
        .where('id', '=', s.action.minutes)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        state: 'done',
        closed_in: null,
        closed_at: clock.now().toISOString(),
      });
      // Nothing else about the record changed.
      expect(
        await db.selectFrom('supervision_sessions').selectAll().orderBy('id').execute(),
      ).toEqual(sessionsBefore);
      expect(
        await db.selectFrom('action_reviews').selectAll().orderBy('action_id').execute(),
      ).toEqual(reviewsBefore);

      const page = await sw.get('/actions?changed=done');
      expect(page.body).toContain('Action marked as done');
      expect(sectionOf(page.body, 'open')).not.toContain(A.minutes);
      expect(sectionOf(page.body, 'marked-done')).toContain(A.minutes);
      expect(rowOf(page.body, A.minutes)).toContain('24 Nov 2026 at 12:00');
      const tm = await signedIn(app, 'tm@demo.example');
      expect(rowOf((await tm.get('/actions')).body, A.minutes)).toContain('Marked done');
      const overdue = await tm.get('/actions/overdue');
      expect(overdue.body).not.toContain(A.minutes);
      expect(overdue.body).toMatch(/app-summary-figure__value">3<[\s\S]*?>overdue</);
      // Twice is the same as once.
      await sw.get('/actions');
      expect((await sw.post(url, {})).statusCode).toBe(303);

      // Someone else's action, however it is asked for, is not found, like a made-up one.
      await tm.get('/actions');
      const theirs = await tm.post(`/actions/${s.action.plan}/done`, {});
      const madeUp = await tm.post('/actions/NO-SUCH-ACTION/done', {});
      expect(theirs.statusCode).toBe(404);
      expect(madeUp.statusCode).toBe(404);
      const normal = (html: string) =>
        html.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, '');
      expect(normal(theirs.body)).toBe(normal(madeUp.body));
      expect((await tm.post(`/actions/${s.action.minutes}/reopen`, {})).statusCode).toBe(404);
      expect((await tm.post(`/actions/${s.action.draft}/done`, {})).statusCode).toBe(404);
      // Nor is an action of a draft, even its owner's.
      await sw.get('/actions');
      expect((await sw.post(`/actions/${s.action.draft}/done`, {})).statusCode).toBe(404);
      expect(
        (
          await db
            .selectFrom('supervision_actions')
            .select('state')
            .where('id', 'in', [s.action.plan, s.action.draft])
            .execute()
        ).map((r) => r.state),
      ).toEqual(['open', 'open']);
      // One closed at a session stays as the session closed it.
      expect((await sw.post(`/actions/${s.action.chronology}/reopen`, {})).statusCode).toBe(303);
      expect(
        (
          await db
            .selectFrom('supervision_actions')
            .select(['state', 'closed_in'])
            .where('id', '=', s.action.chronology)
            .executeTakeFirstOrThrow()
        ).state,
      ).toBe('done');

      // Taking it back.
      const reopened = await sw.post(`/actions/${s.action.minutes}/reopen`, {});
      expect(String(reopened.headers.location)).toBe('/actions?changed=reopened#open');
      const again = await sw.get('/actions?changed=reopened');
      expect(again.body).toContain('The action is open again.');
      expect(sectionOf(again.body, 'open')).toContain(A.minutes);
      expect(again.body).not.toContain('id="marked-done"');
      expect((await tm.get('/actions/overdue')).body).toContain(A.minutes);
    });

    it('every actions route against every role', async () => {
      const roles = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
      const sessions = new Map<string, Session>([['anonymous', new Session(app)]]);
      for (const role of roles.slice(1))
        sessions.set(role, await signedIn(app, `${role}@demo.example`));
      const as = (role: string) => {
        const found = sessions.get(role);
        if (found === undefined) throw new Error(role);
        return found;
      };
      const gets: [string, Record<(typeof roles)[number], number | 'signIn'>][] = [
        [
          '/actions',
          { anonymous: 'signIn', sw: 200, tm: 200, hos: 200, director: 200, qa: 200, admin: 403 },
        ],
        [
          '/actions/overdue',
          { anonymous: 'signIn', sw: 403, tm: 200, hos: 200, director: 200, qa: 200, admin: 403 },
        ],
      ];
      for (const [url, expected] of gets)
        for (const role of roles)
          expect({ url, role, status: status(await as(role).get(url)) }).toEqual({
            url,
            role,
            status: expected[role],
          });

      // The posts, on sw's own action: refused to everyone else, and without the form's token.
      for (const action of ['done', 'reopen'] as const) {
        const url = `/actions/${s.action.plan}/${action}`;
        const expected = { anonymous: 403, tm: 404, hos: 404, director: 404, qa: 404, admin: 403 };
        for (const [role, want] of Object.entries(expected)) {
          const session = as(role);
          await session.get(role === 'admin' ? '/admin' : '/my-work');
          expect({ url, role, status: (await session.post(url, {})).statusCode }).toEqual({
            url,
            role,
            status: want,
          });
        }
        const sw = as('sw');
        await sw.get('/actions');
        expect((await sw.post(url, {}, { csrf: null })).statusCode).toBe(403);
        expect(
          (
            await database.db
              .selectFrom('supervision_actions')
              .select('state')
              .where('id', '=', s.action.plan)
              .executeTakeFirstOrThrow()
          ).state,
        ).toBe(action === 'done' ? 'open' : 'done');
        expect((await sw.post(url, {})).statusCode).toBe(303);
        expect(
          (
            await database.db
              .selectFrom('supervision_actions')
              .select('state')
              .where('id', '=', s.action.plan)
              .executeTakeFirstOrThrow()
          ).state,
        ).toBe(action === 'done' ? 'done' : 'open');
      }
      expect(covered).toEqual([
        'GET /actions',
        'POST /actions/:id/done',
        'POST /actions/:id/reopen',
        'GET /actions/overdue',
      ]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// In a browser: axe (WCAG 2.2 AA) on every actions page, at desktop and phone widths

class ActionsPage extends BasePage {
  constructor(
    journey: Journey,
    private readonly heading1 = 'My actions',
  ) {
    super(journey);
  }

  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toBe(this.heading1);
  }
}

class OverduePage extends ActionsPage {
  constructor(journey: Journey) {
    super(journey, 'Overdue and drifting actions');
  }
}

describe('actions pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: Seeded;

  beforeAll(async () => {
    server = await startServer({ supervisionHistory: false });
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
        `actions-${email.split('@')[0] ?? ''}-${String(width)}`,
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
    it(`my actions, marking one done and taking it back, at ${String(width)} pixels`, async () => {
      await as('sw@demo.example', width, async (j) => {
        await j.visit('/actions');
        const mine = await j.on(ActionsPage, 'my-actions');
        expect(await mine.sidewaysOverflow()).toBe(0);
        const row = j.page.locator('tr', { hasText: A.minutes });
        await j.navigate(() => row.getByRole('button', { name: /Mark as done/ }).click());
        await j.on(ActionsPage, 'marked-done');
        expect(await j.page.locator('.govuk-notification-banner').innerText()).toContain(
          'Action marked as done',
        );
        const marked = j.page.locator('tr', { hasText: A.minutes });
        await j.navigate(() => marked.getByRole('button', { name: /open it again/ }).click());
        await j.on(ActionsPage, 'reopened');
      });
    });

    it(`a team manager's actions and the overdue list, at ${String(width)} pixels`, async () => {
      await as('tm@demo.example', width, async (j) => {
        await j.visit('/actions');
        const mine = await j.on(ActionsPage, 'tm-actions');
        await mine.followLink('Overdue and drifting actions in your area');
        const overdue = await j.on(OverduePage, 'overdue');
        expect(await overdue.sidewaysOverflow()).toBe(0);
        await j.page.getByLabel('Show').selectOption('drifting');
        await j.navigate(() => j.page.getByRole('button', { name: 'Apply filters' }).click());
        await j.on(OverduePage, 'overdue-drifting');
        expect(await j.page.locator('#list-summary').innerText()).toContain('of 3 actions');
        await overdue.followLink(/Times carried forward/);
        await j.on(OverduePage, 'overdue-sorted');
      });
    });
  }

  it('a director’s second page of the overdue list', async () => {
    await as('director@demo.example', 1280, async (j) => {
      await j.visit('/actions/overdue?page=2');
      await j.on(OverduePage, 'overdue-page-2');
      expect(await j.page.locator('main').innerText()).toContain(A.conference);
      expect(seeded.action.conference).not.toBe('');
    });
  });
});
