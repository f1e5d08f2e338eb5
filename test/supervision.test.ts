import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../src/db/create-db.js';
import { overdueActionCounts } from '../src/db/actions.repository.js';
import { readChildren, readPeople } from '../src/db/organisation.repository.js';
import { toIsoDate } from '../src/domain/dates/index.js';
import { EMPTY_SNAPSHOT } from '../src/domain/organisation/snapshot.js';
import { toExtract } from '../src/domain/organisation/to-extract.js';
import { computeSchedule } from '../src/domain/scheduling/engine.js';
import { loadDueContext } from '../src/services/due.service.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, freshDatabase } from './support/databases.js';

/**
 * Recording supervision through the service, on both databases: a one-to-one from start to
 * both signatures, what it counts as, who can read which part, the lock on a signed record,
 * clashing saves, a group session, and every supervision route against every role.
 */

const PERSONAL_MARKER = 'Personal-marker: a bereavement in the family';
const SESSION_DATE = { 'date-day': '20', 'date-month': '11', 'date-year': '2026' };

function location(response: { headers: Record<string, unknown> }): string {
  return String(response.headers.location);
}

for (const kind of databaseKinds()) {
  describe(`recording supervision [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    let tm: Session;
    let sw: Session;
    let hos: Session;
    const ids = { sw: '', tm: '', children: [] as string[], otherTeamManager: '' };

    beforeAll(async () => {
      database = await freshDatabase(kind);
      app = await demoApp(database);
      const db = database.db;
      const person = async (email: string) =>
        (
          await db
            .selectFrom('accounts')
            .select('person_id')
            .where('email', '=', email)
            .executeTakeFirstOrThrow()
        ).person_id ?? '';
      ids.sw = await person('sw@demo.example');
      ids.tm = await person('tm@demo.example');
      ids.children = (
        await db
          .selectFrom('due_results')
          .select('subject_id')
          .where('subject_kind', '=', 'child')
          .where('requirement', '=', 'case-supervision')
          .where('period_start', '=', '')
          .where('worker_id', '=', ids.sw)
          .orderBy('subject_id')
          .execute()
      ).map((r) => r.subject_id);
      tm = await signedIn(app, 'tm@demo.example');
      sw = await signedIn(app, 'sw@demo.example');
      hos = await signedIn(app, 'hos@demo.example');
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    async function startOneToOne(): Promise<string> {
      await tm.get('/supervision/new');
      const type = await tm.post('/supervision/new', { type: 'individual' });
      expect(location(type)).toBe('/supervision/new/individual');
      await tm.get('/supervision/new/individual');
      const created = await tm.post('/supervision/new/individual', {
        supervisee: ids.sw,
        ...SESSION_DATE,
        startTime: '14:00',
        endTime: '15:15',
        place: 'Meeting room 2',
      });
      expect(created.statusCode).toBe(303);
      const id = /^\/supervision\/([^/?]+)$/.exec(location(created))?.[1];
      expect(id).toBeDefined();
      return id ?? '';
    }

    async function eventsOf(recordId: string) {
      return database.db
        .selectFrom('events')
        .select(['subject_kind', 'subject_id', 'kind', 'date'])
        .where('record_kind', '=', 'session')
        .where('record_id', '=', recordId)
        .orderBy('subject_kind')
        .orderBy('subject_id')
        .execute();
    }

    it('records a one-to-one, signs it, and moves the due dates at once', async () => {
      expect(ids.children.length).toBeGreaterThanOrEqual(2);
      const [first, second] = ids.children as [string, string];
      const id = await startOneToOne();
      const task = await tm.get(`/supervision/${id}`);
      expect(task.statusCode).toBe(200);
      expect(task.body).toContain('Personal (confidential)');

      await tm.get(`/supervision/${id}/personal`);
      const personal = await tm.post(`/supervision/${id}/personal`, {
        revision: '0',
        absence: 'Two days of annual leave',
        wellbeing: PERSONAL_MARKER,
        learning: 'Booked on the court skills course',
        next: 'continue',
      });
      expect(location(personal)).toBe(`/supervision/${id}/review`);

      for (const child of [first, second]) {
        await tm.get(`/supervision/${id}/cases/add`);
        const added = await tm.post(`/supervision/${id}/cases/add`, { children: child });
        expect(added.statusCode).toBe(303);
        const discussionUrl = location(added);
        expect(discussionUrl).toMatch(/\/cases\/[^/]+$/);
        await tm.get(discussionUrl);
        const saved = await tm.post(discussionUrl, {
          revision: '0',
          rows: '1',
          status: 'Child in need',
          sinceLast: 'Home visit on 18 November',
          worries: `Worry about ${child}`,
          decision: `Decision for ${child}: continue the plan`,
          rationale: 'Progress at school',
          'action-1-description': `Action for ${child}: visit within ten days`,
          'action-1-owner': ids.sw,
          'action-1-due-day': '4',
          'action-1-due-month': '12',
          'action-1-due-year': '2026',
          next: 'continue',
        });
        expect(saved.statusCode).toBe(303);
      }
      await tm.get(`/supervision/${id}/general`);
      const general = await tm.post(`/supervision/${id}/general`, {
        revision: '0',
        teamIssues: 'Two vacancies in the team',
        'nextDate-day': '18',
        'nextDate-month': '12',
        'nextDate-year': '2026',
        next: 'continue',
      });
      expect(location(general)).toBe(`/supervision/${id}/sign`);

      const check = await tm.get(`/supervision/${id}/sign`);
      expect(check.body).toContain(PERSONAL_MARKER);
      expect(check.body).toContain('Sign and send to');
      const before = await database.db
        .selectFrom('due_results')
        .select(['subject_id', 'last_event'])
        .where('subject_id', 'in', [first, second, ids.sw])
        .where('period_start', '=', '')
        .where('requirement', 'in', ['case-supervision', 'professional-supervision'])
        .execute();
      expect(before.every((r) => r.last_event !== '2026-11-20')).toBe(true);

      const signed = await tm.post(`/supervision/${id}/sign`, {});
      expect(location(signed)).toBe(`/supervision/${id}?signed=1`);
      expect(await eventsOf(id)).toEqual(
        [
          {
            subject_kind: 'child',
            subject_id: first,
            kind: 'case-supervision',
            date: '2026-11-20',
          },
          {
            subject_kind: 'child',
            subject_id: second,
            kind: 'case-supervision',
            date: '2026-11-20',
          },
          { subject_kind: 'worker', subject_id: ids.sw, kind: 'individual', date: '2026-11-20' },
        ].sort((a, b) => (a.subject_id < b.subject_id ? -1 : 1)),
      );
      const after = await database.db
        .selectFrom('due_results')
        .select(['subject_id', 'last_event', 'requirement'])
        .where('subject_id', 'in', [first, second, ids.sw])
        .where('period_start', '=', '')
        .where('requirement', 'in', ['case-supervision', 'professional-supervision'])
        .execute();
      expect(after.length).toBe(3);
      expect(after.every((r) => (r.last_event ?? '') >= '2026-11-20')).toBe(true);
      // …and equal to what the engine (`oversight due`) gives for the records as they now are.
      const ctx = await loadDueContext(database.db, TEST_TODAY);
      if (ctx === null) throw new Error('no policy');
      const snapshot = {
        ...EMPTY_SNAPSHOT,
        children: await readChildren(database.db, [first, second]),
        people: await readPeople(database.db, [ids.sw]),
      };
      const engine = computeSchedule(ctx.policy, toExtract(snapshot), ctx.asOf).results.filter(
        (r) =>
          r.periodStart === undefined &&
          (r.requirement === 'case-supervision' || r.requirement === 'professional-supervision'),
      );
      const stored = await database.db
        .selectFrom('due_results')
        .select(['subject_id', 'due', 'latest', 'status'])
        .where('subject_id', 'in', [first, second, ids.sw])
        .where('period_start', '=', '')
        .where('requirement', 'in', ['case-supervision', 'professional-supervision'])
        .orderBy('subject_id')
        .execute();
      expect(stored).toEqual(
        engine
          .map((r) => ({
            subject_id: r.id,
            due: toIsoDate(r.due),
            latest: toIsoDate(r.latest),
            status: r.status,
          }))
          .sort((a, b) => (a.subject_id < b.subject_id ? -1 : 1)),
      );

      // The supervisee reads it (personal part included), comments and signs.
      const mine = await sw.get(`/supervision/${id}`);
      expect(mine.statusCode).toBe(200);
      expect(mine.body).toContain(PERSONAL_MARKER);
      expect(mine.body).toContain('Read and sign');
      const countersigned = await sw.post(`/supervision/${id}/countersign`, {
        comment: 'Agreed; thank you',
        disagrees: 'no',
      });
      expect(countersigned.statusCode).toBe(303);
      const state = await database.db
        .selectFrom('supervision_sessions')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(state.state).toBe('complete');

      // The head of service reads the case decisions and never the personal part.
      const theirs = await hos.get(`/supervision/${id}`);
      expect(theirs.statusCode).toBe(200);
      expect(theirs.body).toContain(`Decision for ${first}: continue the plan`);
      expect(theirs.body).not.toContain(PERSONAL_MARKER);
      expect(theirs.body).not.toContain('Two days of annual leave');
      for (const url of [`/supervision/${id}/personal`, `/supervision/${id}/sign`]) {
        const guessed = await hos.get(url);
        expect(guessed.body).not.toContain(PERSONAL_MARKER);
      }
    });

    it('a signed record cannot be changed, except by an addendum', async () => {
      const [id] = (
        await database.db
          .selectFrom('supervision_sessions')
          .select('id')
          .where('state', '!=', 'draft')
          .execute()
      ).map((r) => r.id);
      const before = await database.db
        .selectFrom('session_personal')
        .selectAll()
        .where('session_id', '=', id ?? '')
        .executeTakeFirstOrThrow();
      await tm.get(`/supervision/${id ?? ''}`);
      const crafted = await tm.post(`/supervision/${id ?? ''}/personal`, {
        revision: '1',
        wellbeing: 'Changed after signing',
      });
      expect(crafted.statusCode).toBe(409);
      expect(crafted.body).toContain('This record has been signed');
      expect(crafted.body).toContain('Changed after signing');
      const discussion = await database.db
        .selectFrom('case_discussions')
        .select(['id', 'decision'])
        .where('session_id', '=', id ?? '')
        .executeTakeFirstOrThrow();
      const craftedCase = await tm.post(`/supervision/${id ?? ''}/cases/${discussion.id}`, {
        revision: '1',
        decision: 'Changed after signing',
      });
      expect(craftedCase.statusCode).toBe(409);
      const resign = await tm.post(`/supervision/${id ?? ''}/sign`, {});
      expect(resign.statusCode).toBe(403);
      const autosave = await app.inject({
        method: 'POST',
        url: `/supervision/${id ?? ''}/general`,
        headers: {
          cookie: tm.cookieHeader,
          'content-type': 'application/x-www-form-urlencoded',
          'x-autosave': '1',
        },
        payload: new URLSearchParams({ _csrf: tm.csrf, revision: '1', teamIssues: 'x' }).toString(),
      });
      expect(autosave.statusCode).not.toBe(200);
      expect(
        await database.db
          .selectFrom('session_personal')
          .selectAll()
          .where('session_id', '=', id ?? '')
          .executeTakeFirstOrThrow(),
      ).toEqual(before);
      expect(
        (
          await database.db
            .selectFrom('case_discussions')
            .select('decision')
            .where('id', '=', discussion.id)
            .executeTakeFirstOrThrow()
        ).decision,
      ).toBe(discussion.decision);
      // The addendum is the way to add to it, by the people in the session only.
      const added = await tm.post(`/supervision/${id ?? ''}/addenda`, {
        addendum: 'The visit date moved to 5 December.',
      });
      expect(added.statusCode).toBe(303);
      await hos.get(`/supervision/${id ?? ''}`);
      expect(
        (await hos.post(`/supervision/${id ?? ''}/addenda`, { addendum: 'Not mine to add' }))
          .statusCode,
      ).toBe(403);
      const page = await tm.get(`/supervision/${id ?? ''}`);
      expect(page.body).toContain('The visit date moved to 5 December.');
    });

    it('two people saving one part of a draft: the second is told, not overwritten', async () => {
      const id = await startOneToOne();
      const child = ids.children[2] ?? ids.children[0] ?? '';
      await tm.get(`/supervision/${id}/cases/add`);
      const discussionUrl = location(
        await tm.post(`/supervision/${id}/cases/add`, { children: child }),
      );
      // The supervisee prepares their part; the supervisor, with the page opened earlier, saves.
      const prepare = await sw.get(discussionUrl);
      expect(prepare.statusCode).toBe(200);
      expect(prepare.body).not.toContain('name="decision"');
      const theirs = await sw.post(discussionUrl, {
        revision: '0',
        sinceLast: 'Prepared by the social worker',
        decision: 'A supervisee cannot write the decision',
      });
      expect(theirs.statusCode).toBe(303);
      await tm.get(discussionUrl);
      const clash = await tm.post(discussionUrl, {
        revision: '0',
        rows: '0',
        sinceLast: 'Written by the team manager',
      });
      expect(clash.statusCode).toBe(409);
      expect(clash.body).toContain('saved this part at');
      expect(clash.body).toContain('Written by the team manager');
      const saved = await database.db
        .selectFrom('case_discussions')
        .select(['since_last', 'decision'])
        .where('session_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(saved).toEqual({ since_last: 'Prepared by the social worker', decision: null });
      // Saving again from the page that told them is their choice, and works.
      const revision = /name="revision" value="(\d+)"/.exec(clash.body)?.[1] ?? '';
      expect(
        (await tm.post(discussionUrl, { revision, rows: '0', sinceLast: 'Both' })).statusCode,
      ).toBe(303);
    });

    it('a group session counts for the team, its attendees and each child discussed', async () => {
      const team = await database.db
        .selectFrom('people')
        .select('team_id')
        .where('id', '=', ids.tm)
        .executeTakeFirstOrThrow();
      await tm.get('/supervision/new/group');
      const created = await tm.post('/supervision/new/group', {
        teamId: team.team_id ?? '',
        attendees: ids.sw,
        ...SESSION_DATE,
        confidentiality: 'What is said about colleagues stays in the room',
      });
      expect(created.statusCode).toBe(303);
      const id = /^\/supervision\/([^/?]+)$/.exec(location(created))?.[1] ?? '';
      const child = ids.children[3] ?? ids.children[0] ?? '';
      await tm.get(`/supervision/${id}/cases/add`);
      const discussionUrl = location(
        await tm.post(`/supervision/${id}/cases/add`, { children: child }),
      );
      await tm.get(discussionUrl);
      await tm.post(discussionUrl, {
        revision: '0',
        rows: '0',
        decision: 'Step down to early help',
      });
      await tm.get(`/supervision/${id}/sign`);
      expect(location(await tm.post(`/supervision/${id}/sign`, {}))).toBe(
        `/supervision/${id}?signed=1`,
      );
      const events = await eventsOf(id);
      expect(events).toContainEqual({
        subject_kind: 'team',
        subject_id: team.team_id,
        kind: 'group',
        date: '2026-11-20',
      });
      expect(events).toContainEqual({
        subject_kind: 'child',
        subject_id: child,
        kind: 'group-supervision',
        date: '2026-11-20',
      });
      expect(events).toContainEqual({
        subject_kind: 'worker',
        subject_id: ids.sw,
        kind: 'group',
        date: '2026-11-20',
      });
      // A group session is nobody's professional supervision.
      expect(events.some((e) => e.kind === 'individual')).toBe(false);
    });

    it('a session dated in the future cannot be signed', async () => {
      await tm.get('/supervision/new/individual');
      const created = await tm.post('/supervision/new/individual', {
        supervisee: ids.sw,
        'date-day': '1',
        'date-month': '12',
        'date-year': '2026',
      });
      const id = /^\/supervision\/([^/?]+)$/.exec(location(created))?.[1] ?? '';
      await tm.get(`/supervision/${id}/sign`);
      const refused = await tm.post(`/supervision/${id}/sign`, {});
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('The session date is in the future');
    });

    it('an action its owner marked done is confirmed by the next session', async () => {
      const action = await database.db
        .selectFrom('supervision_actions as a')
        .innerJoin('supervision_sessions as s', 's.id', 'a.session_id')
        .select(['a.id', 'a.description'])
        .where('a.owner_id', '=', ids.sw)
        .where('a.state', '=', 'open')
        .where('s.state', '!=', 'draft')
        .orderBy('a.id')
        .executeTakeFirstOrThrow();
      await sw.get('/actions');
      expect((await sw.post(`/actions/${action.id}/done`, {})).statusCode).toBe(303);
      const id = await startOneToOne();
      const review = await tm.get(`/supervision/${id}/review`);
      expect(review.body).toContain(action.description);
      expect(review.body).toMatch(
        new RegExp(
          `name="outcome-${action.id}"[^>]*value="done"[^>]*checked|value="done"[^>]*name="outcome-${action.id}"[^>]*checked`,
        ),
      );
      await tm.get(`/supervision/${id}/sign`);
      expect(location(await tm.post(`/supervision/${id}/sign`, {}))).toBe(
        `/supervision/${id}?signed=1`,
      );
      const after = await database.db
        .selectFrom('supervision_actions')
        .select(['state', 'closed_in'])
        .where('id', '=', action.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ state: 'done', closed_in: id });
    });

    it("the team page counts the team's overdue and drifting actions, linking to them", async () => {
      const team = await database.db
        .selectFrom('people')
        .select('team_id')
        .where('id', '=', ids.tm)
        .executeTakeFirstOrThrow();
      const teamId = team.team_id ?? '';
      // An action of the team's that is overdue today.
      await database.db
        .updateTable('supervision_actions')
        .set({ due_date: '2026-11-01' })
        .where('owner_id', '=', ids.sw)
        .where('state', '=', 'open')
        .execute();
      const tmViewerScope = { kind: 'team' as const, teamId, personId: ids.tm };
      const counts = await overdueActionCounts(database.db, tmViewerScope, TEST_TODAY, { teamId });
      expect(counts.overdue).toBeGreaterThan(0);
      const page = await tm.get(`/teams/${teamId}`);
      expect(page.body).toContain(
        `${String(counts.overdue)} overdue action${counts.overdue === 1 ? '' : 's'}`,
      );
      expect(page.body).toContain(
        `/actions/overdue?team=${encodeURIComponent(teamId)}&amp;show=overdue#list`,
      );
    });

    it('drafts are for the people in them; records for those whose place covers the supervisee', async () => {
      const draft = await startOneToOne();
      const signedRecord = (
        await database.db
          .selectFrom('supervision_sessions')
          .select('id')
          .where('state', '=', 'complete')
          .executeTakeFirstOrThrow()
      ).id;
      const roles = ['sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
      const sessions = new Map<string, Session>([
        ['sw', sw],
        ['tm', tm],
        ['hos', hos],
      ]);
      for (const role of roles)
        if (!sessions.has(role)) sessions.set(role, await signedIn(app, `${role}@demo.example`));
      const anonymous = new Session(app);
      const status = async (s: Session, url: string) => {
        const r = await s.get(url);
        return r.statusCode === 302 && location(r).startsWith('/sign-in') ? 'signIn' : r.statusCode;
      };
      const expectations: [string, Record<string, number | 'signIn'>][] = [
        ['/supervision', { sw: 200, tm: 200, hos: 200, director: 200, qa: 200, admin: 403 }],
        ['/supervision/new', { sw: 403, tm: 200, hos: 200, director: 200, qa: 403, admin: 403 }],
        ['/supervision/new/individual', { sw: 403, tm: 200, qa: 403, admin: 403 }],
        [
          `/supervision/${draft}`,
          { sw: 200, tm: 200, hos: 404, director: 404, qa: 404, admin: 403 },
        ],
        [`/supervision/${draft}/agenda`, { sw: 200, tm: 200, hos: 404, director: 404 }],
        [`/supervision/${draft}/details`, { sw: 403, tm: 200, hos: 404, admin: 403 }],
        [`/supervision/${draft}/personal`, { sw: 403, tm: 200, hos: 404 }],
        [`/supervision/${draft}/review`, { sw: 403, tm: 200, hos: 404 }],
        [`/supervision/${draft}/cases`, { sw: 403, tm: 200, hos: 404 }],
        [`/supervision/${draft}/cases/add`, { sw: 403, tm: 200, hos: 404 }],
        [`/supervision/${draft}/general`, { sw: 403, tm: 200, hos: 404 }],
        [`/supervision/${draft}/sign`, { sw: 403, tm: 200, hos: 404 }],
        [`/supervision/${draft}/discard`, { sw: 403, tm: 200, hos: 404 }],
        [
          `/supervision/${signedRecord}`,
          { sw: 200, tm: 200, hos: 200, director: 200, qa: 200, admin: 403 },
        ],
        ['/supervision/no-such-record', { sw: 404, tm: 404, director: 404 }],
      ];
      for (const [url, expected] of expectations) {
        expect({ url, role: 'anonymous', status: await status(anonymous, url) }).toEqual({
          url,
          role: 'anonymous',
          status: 'signIn',
        });
        for (const [role, want] of Object.entries(expected)) {
          const s = sessions.get(role);
          if (s === undefined) throw new Error(role);
          expect({ url, role, status: await status(s, url) }).toEqual({ url, role, status: want });
        }
      }
      // A made-up id and someone else's draft look the same.
      const made = await sessions.get('hos')?.get('/supervision/no-such-record');
      const real = await sessions.get('hos')?.get(`/supervision/${draft}`);
      const normal = (html: string | undefined) =>
        (html ?? '').replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, '');
      expect(normal(real?.body)).toBe(normal(made?.body));
      // Forms without their token are refused.
      await tm.get(`/supervision/${draft}/personal`);
      const noToken = await tm.post(
        `/supervision/${draft}/personal`,
        { revision: '0', wellbeing: 'x' },
        { csrf: null },
      );
      expect(noToken.statusCode).toBe(403);
      // Agenda items: the supervisee's own.
      await sw.get('/supervision');
      expect(
        (await sw.post('/supervision/agenda-items', { item: 'Caseload size' })).statusCode,
      ).toBe(303);
      const agenda = await tm.get(`/supervision/${draft}/agenda`);
      expect(agenda.body).toContain('Caseload size');
      const item = await database.db
        .selectFrom('agenda_items')
        .select('id')
        .where('text', '=', 'Caseload size')
        .executeTakeFirstOrThrow();
      await tm.get('/supervision');
      await tm.post(`/supervision/agenda-items/${item.id}/remove`, {});
      expect(
        await database.db
          .selectFrom('agenda_items')
          .select('id')
          .where('id', '=', item.id)
          .execute(),
      ).toHaveLength(1);
      await sw.get('/supervision');
      await sw.post(`/supervision/agenda-items/${item.id}/remove`, {});
      expect(
        await database.db
          .selectFrom('agenda_items')
          .select('id')
          .where('id', '=', item.id)
          .execute(),
      ).toHaveLength(0);
      // Deleting a draft: its supervisor only.
      await sw.get(`/supervision/${draft}`);
      expect((await sw.post(`/supervision/${draft}/discard`, {})).statusCode).toBe(403);
      await tm.get(`/supervision/${draft}/discard`);
      expect(location(await tm.post(`/supervision/${draft}/discard`, {}))).toBe(
        '/supervision?discarded=1',
      );
      expect((await tm.get(`/supervision/${draft}`)).statusCode).toBe(404);
    });
  });
}
