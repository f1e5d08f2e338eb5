import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import { checkReason } from '../src/domain/data-protection/break-glass.js';
import { checkYears, cutoff } from '../src/domain/data-protection/retention.js';
import { RetentionService } from '../src/services/retention.service.js';
import { SubjectAccessService } from '../src/services/subject-access.service.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { covered } from './matrix/data-protection.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { TestClock } from './support/clock.js';
import { databaseKinds, freshDatabase, type DatabaseKind } from './support/databases.js';
import { personOf } from './support/demo-people.js';
import { runCli } from './support/due.js';

/**
 * Data protection, on both databases: break-glass access to a personal section (refused without
 * a reason or the confirmation, one record only, time-limited, audited, the supervisee told),
 * retention with legal holds (reported, deleted all or nothing, from the page and the command),
 * and the subject access export (what it holds and what it never does).
 */

const ROLES = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
type Role = (typeof ROLES)[number];
const EMAILS: Record<Exclude<Role, 'anonymous'>, string> = {
  sw: 'sw@demo.example',
  tm: 'tm@demo.example',
  hos: 'hos@demo.example',
  director: 'director@demo.example',
  qa: 'qa@demo.example',
  admin: 'admin@demo.example',
};

const REASON = 'HR investigation HR-2026-041 into a grievance about workload allocation';

function status(response: LightMyRequestResponse): number | 'signIn' {
  return response.statusCode === 302 && String(response.headers.location).startsWith('/sign-in')
    ? 'signIn'
    : response.statusCode;
}

async function signedInAs(app: FastifyInstance, role: Role): Promise<Session> {
  if (role === 'anonymous') {
    const session = new Session(app);
    await session.get('/sign-in');
    return session;
  }
  return signedIn(app, EMAILS[role]);
}

/** The demo's signed one-to-one between the team manager and the social worker. */
async function demoRecord(db: Db): Promise<{ id: string; wellbeing: string }> {
  const sw = await personOf(db, EMAILS.sw);
  const row = await db
    .selectFrom('supervision_sessions as s')
    .innerJoin('session_participants as p', 'p.session_id', 's.id')
    .innerJoin('session_personal as sp', 'sp.session_id', 's.id')
    .select(['s.id', 'sp.wellbeing'])
    .where('p.person_id', '=', sw)
    .where('s.type', '=', 'individual')
    .where('s.state', '!=', 'draft')
    .executeTakeFirstOrThrow();
  return { id: row.id, wellbeing: row.wellbeing ?? '' };
}

async function auditRows(db: Db, action: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

const NOW = `${TEST_TODAY}T10:00:00.000Z`;

for (const kind of databaseKinds()) {
  describe(`break-glass access [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    let clock: TestClock;
    let record: { id: string; wellbeing: string };
    let otherRecord: string;

    beforeAll(async () => {
      database = await freshDatabase(kind);
      clock = new TestClock(NOW);
      app = await demoApp(database, clock);
      record = await demoRecord(database.db);
      // A second signed one-to-one, of another of the team manager's supervisees, to show that
      // a grant opens its own record only.
      const db = database.db;
      const tm = await personOf(db, EMAILS.tm);
      const sw = await personOf(db, EMAILS.sw);
      const other = await db
        .selectFrom('people')
        .select('id')
        .where('line_manager_id', '=', tm)
        .where('id', '!=', sw)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      otherRecord = 'TEST-OTHER-RECORD';
      await db
        .insertInto('supervision_sessions')
        .values({
          id: otherRecord,
          type: 'individual',
          supervisor_id: tm,
          team_id: null,
          date: '2026-11-10',
          start_time: null,
          end_time: null,
          place: null,
          confidentiality: null,
          all_cases: null,
          team_issues: null,
          other_business: null,
          next_date: null,
          state: 'complete',
          created_at: NOW,
          updated_at: NOW,
          updated_by: tm,
          supervisor_signed_at: NOW,
          completed_at: NOW,
        })
        .execute();
      await db
        .insertInto('session_participants')
        .values({
          session_id: otherRecord,
          person_id: other.id,
          role: 'supervisee',
          read_at: NOW,
          signed_at: NOW,
          comment: null,
          disagreement: null,
        })
        .execute();
      await db
        .insertInto('session_personal')
        .values({
          session_id: otherRecord,
          person_id: other.id,
          author_id: tm,
          absence: null,
          wellbeing: 'OTHER-PERSONAL-WELLBEING',
          learning: null,
          updated_at: NOW,
        })
        .execute();
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('the rule: a reason is some real words, not a gesture', () => {
      expect(checkReason('')).toBeDefined();
      expect(checkReason('HR')).toBeDefined();
      expect(checkReason('xxxxxxxxxxxxxxxxxxxxxxxxx')).toBeDefined();
      expect(checkReason(REASON)).toBeUndefined();
    });

    it('offers the link to heads of service and directors only, and shows them no personal text', async () => {
      const url = `/supervision/${record.id}`;
      const link = 'Request access to the personal section (break-glass)';
      for (const role of ['hos', 'director'] as const) {
        const page = await (await signedInAs(app, role)).get(url);
        expect({ role, status: page.statusCode }).toEqual({ role, status: 200 });
        expect(page.body).toContain(link);
        expect(page.body).not.toContain(record.wellbeing);
      }
      for (const role of ['sw', 'tm', 'qa'] as const) {
        const page = await (await signedInAs(app, role)).get(url);
        expect({ role, link: page.body.includes(link) }).toEqual({ role, link: false });
      }
    });

    it('refuses break-glass without a reason, or without the confirmation, and grants nothing', async () => {
      const hos = await signedInAs(app, 'hos');
      const url = `/supervision/${record.id}/break-glass`;
      const form = await hos.get(url);
      expect(form.statusCode).toBe(200);
      const cases: Record<string, string>[] = [
        { reason: '', hours: '8', confirm: 'yes' },
        { reason: 'HR case', hours: '8', confirm: 'yes' },
        { reason: REASON, hours: '8' },
        { reason: REASON, hours: '1000', confirm: 'yes' },
      ];
      for (const body of cases) {
        const refused = await hos.post(url, body);
        expect(refused.statusCode).toBe(400);
        expect(refused.body).toContain('<title>Error: ');
        expect(refused.body).toContain('There is a problem');
        expect(refused.body).not.toContain(record.wellbeing);
      }
      const none = await database.db.selectFrom('break_glass_grants').selectAll().execute();
      expect(none).toEqual([]);
      // Still not readable.
      expect((await hos.get(`${url}/personal`)).statusCode).toBe(404);
    });

    it('refuses sw, tm, qa and the administrator outright, whatever they post', async () => {
      const url = `/supervision/${record.id}/break-glass`;
      const body = { reason: REASON, hours: '8', confirm: 'yes' };
      const want = { sw: 403, tm: 403, qa: 404, admin: 403 } as const;
      for (const role of ['sw', 'tm', 'qa', 'admin'] as const) {
        const session = await signedInAs(app, role);
        expect({ role, get: status(await session.get(url)) }).toEqual({ role, get: want[role] });
        await session.get(role === 'admin' ? '/admin' : '/my-work');
        expect({ role, post: status(await session.post(url, body)) }).toEqual({
          role,
          post: want[role],
        });
        expect({ role, read: status(await session.get(`${url}/personal`)) }).toEqual({
          role,
          read: want[role],
        });
      }
      expect(await database.db.selectFrom('break_glass_grants').selectAll().execute()).toEqual([]);
    });

    it('grants one record for the hours chosen, with its audit entry, and audits every read', async () => {
      const hos = await signedInAs(app, 'hos');
      const url = `/supervision/${record.id}/break-glass`;
      await hos.get(url);
      const granted = await hos.post(url, { reason: REASON, hours: '8', confirm: 'yes' });
      expect(granted.statusCode).toBe(303);
      expect(granted.headers.location).toBe(`${url}/personal`);
      const grants = await database.db.selectFrom('break_glass_grants').selectAll().execute();
      expect(grants).toHaveLength(1);
      const grant = grants[0];
      expect(grant).toMatchObject({
        session_id: record.id,
        supervisee_id: await personOf(database.db, EMAILS.sw),
        reason: REASON,
        expires_at: '2026-11-24T18:00:00.000Z',
      });
      const entries = (await auditRows(database.db, 'break-glass')).filter(
        (e) => e.method === 'POST',
      );
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ object_kind: 'supervision-record', object_id: record.id });
      const detail = JSON.parse(entries[0]?.detail ?? '{}') as Record<string, unknown>;
      expect(detail).toMatchObject({ event: 'granted', grant: grant?.id, hours: 8 });
      // The reason stays in the grant, not in the audit trail's free text.
      expect(entries[0]?.detail).not.toContain('grievance');

      const page = await hos.get(`${url}/personal`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(record.wellbeing);
      expect(page.body).toContain('You are reading this under break-glass access until');
      expect(page.body).toContain(REASON);
      await hos.get(`${url}/personal`);
      const reads = (await auditRows(database.db, 'break-glass')).filter(
        (e) => e.route === '/supervision/:id/break-glass/personal' && Number(e.status) === 200,
      );
      expect(reads).toHaveLength(2);
      expect(JSON.parse(reads[0]?.detail ?? '{}')).toMatchObject({
        event: 'read',
        grant: grant?.id,
      });

      // The record's page leads back to it; the other record stays closed.
      expect((await hos.get(`/supervision/${record.id}`)).body).toContain(
        'Read the personal section (break-glass access until',
      );
      const other = await hos.get(`/supervision/${otherRecord}/break-glass/personal`);
      expect(other.statusCode).toBe(404);
      expect(other.body).not.toContain('OTHER-PERSONAL-WELLBEING');
      // Nor does the head of service's grant open it to the director.
      const director = await signedInAs(app, 'director');
      expect((await director.get(`${url}/personal`)).statusCode).toBe(404);
    });

    it('tells the supervisee, on Supervision, My work and the record, until they dismiss it', async () => {
      const sw = await signedInAs(app, 'sw');
      const notice = 'Your personal supervision record of';
      for (const url of ['/supervision', '/my-work']) {
        const page = await sw.get(url);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain(notice);
        expect(page.body).toContain(REASON);
        const at = page.body.indexOf(notice);
        expect(page.body.slice(at, at + 300)).toMatch(
          /was opened by [^<]+, head of service, on 24 Nov 2026: /,
        );
      }
      expect((await sw.get(`/supervision/${record.id}`)).body).toContain(
        'Break-glass access to the personal section',
      );
      // The team manager sees no notice (it is not about them), and cannot dismiss it.
      const grant = await database.db
        .selectFrom('break_glass_grants')
        .select('id')
        .executeTakeFirstOrThrow();
      const tm = await signedInAs(app, 'tm');
      expect((await tm.get('/supervision')).body).not.toContain(notice);
      expect((await tm.post(`/supervision/notices/${grant.id}/dismiss`, {})).statusCode).toBe(404);

      await sw.get('/supervision');
      const dismissed = await sw.post(`/supervision/notices/${grant.id}/dismiss`, {
        returnTo: '/my-work',
      });
      expect(dismissed.statusCode).toBe(303);
      expect(dismissed.headers.location).toBe('/my-work');
      expect((await sw.get('/my-work')).body).not.toContain(notice);
      expect((await sw.get('/supervision')).body).not.toContain(notice);
      const entry = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('route', '=', '/supervision/notices/:grantId/dismiss')
        .where('status', '=', 303)
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ object_kind: 'break-glass-grant', object_id: grant.id });
      // Listed for administrators.
      const admin = await signedInAs(app, 'admin');
      const list = await admin.get('/admin/break-glass');
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(REASON);
    });

    it('ends when the grant expires: the personal part is "not found" again', async () => {
      clock.advance({ hours: 8, minutes: 1 });
      const hos = await signedInAs(app, 'hos');
      const url = `/supervision/${record.id}/break-glass`;
      const page = await hos.get(`${url}/personal`);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain(record.wellbeing);
      const recordPage = await hos.get(`/supervision/${record.id}`);
      expect(recordPage.body).not.toContain('Read the personal section');
      expect(recordPage.body).toContain('Request access to the personal section (break-glass)');
    });
  });

  describe(`data-protection routes against every role [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    const sessions = new Map<Role, Session>();
    let record: string;
    let sw: string;
    let holdId: string;

    beforeAll(async () => {
      database = await freshDatabase(kind);
      app = await demoApp(database);
      record = (await demoRecord(database.db)).id;
      sw = await personOf(database.db, EMAILS.sw);
      for (const role of ROLES) sessions.set(role, await signedInAs(app, role));
      holdId = await new RetentionService(database.db, fixedClock(TEST_TODAY)).placeHold(
        { accountId: null, actor: 'test' },
        { subjectKind: 'person', subjectId: sw, reason: 'Employment tribunal claim 2026/123' },
      );
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    const as = (role: Role) => {
      const session = sessions.get(role);
      if (session === undefined) throw new Error(role);
      return session;
    };

    it('lists every route', () => {
      expect(covered).toHaveLength(12);
    });

    it('GET pages', async () => {
      const top = { anonymous: 'signIn' } as const;
      const check = async (url: string, expected: Partial<Record<Role, number | 'signIn'>>) => {
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
      await check(`/supervision/${record}/break-glass`, {
        ...top,
        sw: 403,
        tm: 403,
        hos: 200,
        director: 200,
        qa: 404,
        admin: 403,
      });
      await check(`/supervision/NO-SUCH-RECORD/break-glass`, { hos: 404, director: 404 });
      await check(`/supervision/${record}/break-glass/personal`, {
        ...top,
        sw: 403,
        tm: 403,
        hos: 404,
        director: 404,
        qa: 404,
        admin: 403,
      });
      const adminOnly = { ...top, sw: 403, tm: 403, hos: 403, director: 403, qa: 403, admin: 200 };
      await check('/admin/break-glass', adminOnly);
      await check('/admin/retention', adminOnly);
      await check('/admin/retention/holds/new', adminOnly);
      await check(`/admin/retention/holds/${holdId}/lift`, adminOnly);
      await check('/admin/retention/holds/NO-SUCH-HOLD/lift', { admin: 404 });
      await check(`/admin/people/${sw}/subject-access`, adminOnly);
      await check('/admin/people/NO-SUCH-PERSON/subject-access', { admin: 404 });
    });

    it('POST forms', async () => {
      const post = async (role: Role, url: string, form: Record<string, string>) => {
        const session = as(role);
        await session.get(
          role === 'admin' ? '/admin' : role === 'anonymous' ? '/sign-in' : '/my-work',
        );
        return status(await session.post(url, form));
      };
      const grant = { reason: REASON, hours: '1', confirm: 'yes' };
      const rules = {
        'staff-supervision': '7',
        'children-in-need': '25',
        'looked-after': '75',
        'api-calls': '2',
        'import-history': '6',
      };
      const hold = { subjectKind: 'child', subjectId: 'NO-SUCH-CHILD', reason: 'Inquiry ref 42' };
      const lift = { reason: 'The claim was settled in full' };
      for (const role of ['anonymous', 'sw', 'tm', 'qa'] as const) {
        // Anonymous: refused before anything (no session behind the form's token).
        const want = role === 'qa' ? 404 : 403;
        expect({ role, s: await post(role, `/supervision/${record}/break-glass`, grant) }).toEqual({
          role,
          s: want,
        });
      }
      for (const role of ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa'] as const) {
        const want = 403;
        for (const [url, form] of [
          ['/admin/retention', rules],
          ['/admin/retention/holds', hold],
          [`/admin/retention/holds/${holdId}/lift`, lift],
        ] as const)
          expect({ role, url, s: await post(role, url, form) }).toEqual({ role, url, s: want });
      }
      expect(await post('admin', `/supervision/${record}/break-glass`, grant)).toBe(403);
      // Nothing changed by any of them.
      expect(await database.db.selectFrom('retention_rules').selectAll().execute()).toEqual([]);
      expect(
        (await database.db.selectFrom('legal_holds').selectAll().execute()).map((h) => h.lifted_at),
      ).toEqual([null]);
      expect(await database.db.selectFrom('break_glass_grants').selectAll().execute()).toEqual([]);
      // Dismissing: only the supervisee's own notice; a made-up one is "not found" to everyone.
      for (const role of ['sw', 'tm', 'hos', 'director', 'qa'] as const)
        expect(await post(role, '/supervision/notices/NO-SUCH-GRANT/dismiss', {})).toBe(404);
      for (const role of ['anonymous', 'admin'] as const)
        expect({
          role,
          s: await post(role, '/supervision/notices/NO-SUCH-GRANT/dismiss', {}),
        }).toEqual({ role, s: 403 });
      // The ones allowed: a grant by the director, the administrator's forms.
      expect(await post('director', `/supervision/${record}/break-glass`, grant)).toBe(303);
      expect(await post('admin', '/admin/retention', rules)).toBe(303);
      expect(await post('admin', '/admin/retention/holds', hold)).toBe(400);
      expect(await post('admin', `/admin/retention/holds/${holdId}/lift`, lift)).toBe(303);
    });
  });

  describe(`administrators' retention pages [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    let admin: Session;

    beforeAll(async () => {
      database = await freshDatabase(kind);
      app = await demoApp(database);
      admin = await signedInAs(app, 'admin');
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('refuses a period that is not whole years from 1 to 100, saving none, and audits a change', async () => {
      expect(checkYears('X', '0')).toMatch(/between 1 and 100/);
      expect(checkYears('X', '101')).toMatch(/between 1 and 100/);
      expect(checkYears('X', '6.5')).toMatch(/whole number/);
      expect(checkYears('X', '6')).toBe(6);
      await admin.get('/admin/retention');
      const bad = await admin.post('/admin/retention', {
        'staff-supervision': '7',
        'children-in-need': 'lots',
        'looked-after': '0',
        'api-calls': '2',
        'import-history': '6',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('<title>Error: ');
      expect(bad.body).toContain('href="#children-in-need"');
      expect(bad.body).toContain('href="#looked-after"');
      expect(await database.db.selectFrom('retention_rules').selectAll().execute()).toEqual([]);
      const good = await admin.post('/admin/retention', {
        'staff-supervision': '7',
        'children-in-need': '25',
        'looked-after': '75',
        'api-calls': '2',
        'import-history': '6',
      });
      expect(good.statusCode).toBe(303);
      const rules = await database.db.selectFrom('retention_rules').selectAll().execute();
      expect(rules.map((r) => [r.record_type, r.years])).toEqual([['staff-supervision', 7]]);
      const entry = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('object_kind', '=', 'retention-rule')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(entry.detail)).toMatchObject({ from: 6, to: 7 });
      const page = await admin.get('/admin/retention');
      expect(page.body).toContain('value="7"');
    });

    it('places a hold on a real person only, and lifts it with a reason', async () => {
      const sw = await personOf(database.db, EMAILS.sw);
      await admin.get('/admin/retention/holds/new');
      const none = await admin.post('/admin/retention/holds', {
        subjectKind: 'person',
        subjectId: 'NOBODY',
        reason: 'Employment tribunal claim 2026/123',
      });
      expect(none.statusCode).toBe(400);
      expect(none.body).toContain('There is no member of staff with the id NOBODY');
      const noReason = await admin.post('/admin/retention/holds', {
        subjectKind: 'person',
        subjectId: sw,
        reason: '',
      });
      expect(noReason.statusCode).toBe(400);
      const placed = await admin.post('/admin/retention/holds', {
        subjectKind: 'person',
        subjectId: sw,
        reason: 'Employment tribunal claim 2026/123',
      });
      expect(placed.statusCode).toBe(303);
      const hold = await database.db
        .selectFrom('legal_holds')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(hold).toMatchObject({
        subject_kind: 'person',
        subject_id: sw,
        placed_by: EMAILS.admin,
      });
      expect((await admin.get('/admin/retention')).body).toContain(
        'Employment tribunal claim 2026/123',
      );
      await admin.get(`/admin/retention/holds/${hold.id}/lift`);
      expect(
        (await admin.post(`/admin/retention/holds/${hold.id}/lift`, { reason: '' })).statusCode,
      ).toBe(400);
      expect(
        (
          await admin.post(`/admin/retention/holds/${hold.id}/lift`, {
            reason: 'Claim withdrawn by the claimant',
          })
        ).statusCode,
      ).toBe(303);
      const lifted = await database.db
        .selectFrom('legal_holds')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(lifted).toMatchObject({
        lifted_by: EMAILS.admin,
        lift_reason: 'Claim withdrawn by the claimant',
      });
      // Lifted once: the page to lift it again is "not found".
      expect((await admin.get(`/admin/retention/holds/${hold.id}/lift`)).statusCode).toBe(404);
      const entries = await database.db
        .selectFrom('audit_log')
        .select('detail')
        .where('object_kind', '=', 'legal-hold')
        .where('action', '=', 'change')
        .where('method', 'is', null)
        .execute();
      expect(entries.map((e) => (JSON.parse(e.detail) as { event: string }).event)).toEqual([
        'legal-hold-placed',
        'legal-hold-lifted',
      ]);
    });
  });
}

// -------------------------------------------------------------------------------------------
// Retention on crafted data

const T = `${TEST_TODAY}T09:00:00.000Z`;

/**
 * Leavers and closed children around the default periods on 2026-11-24 (staff 6 years: left on
 * or before 2020-11-24; children in need: 25th birthday passed; API calls 2 years; imports 6):
 * - L7 left 2019-06-30: due. Their one-to-one S7 (personal section, an addendum, an action, a
 *   case discussion of C1) goes; S7C, which discusses C2 (kept), stays without its personal
 *   section; their contract, handover, agenda item, events and a grant go.
 * - L5 left 2021-06-30: kept. LH left 2018-01-31 but is held: kept.
 * - C1 (born 2000-01-01, closed 2018): due. C2 (born 1995, looked after): kept 75 years.
 *   C3 (born 2000-02-01, closed) is held. C4 (born 2000) is still open.
 */
async function craft(db: Db): Promise<void> {
  const tm = await personOf(db, EMAILS.tm);
  const hosAccount = await db
    .selectFrom('accounts')
    .select('id')
    .where('email', '=', EMAILS.hos)
    .executeTakeFirstOrThrow();
  const team = (
    await db.selectFrom('people').select('team_id').where('id', '=', tm).executeTakeFirstOrThrow()
  ).team_id;
  for (const [id, end] of [
    ['L7', '2019-06-30'],
    ['L5', '2021-06-30'],
    ['LH', '2018-01-31'],
  ] as const)
    await db
      .insertInto('people')
      .values({
        id,
        name: `Leaver ${id}`,
        email: null,
        role: 'social-worker',
        team_id: team,
        service_id: null,
        line_manager_id: tm,
        start: '2012-01-01',
        end,
        probation_end: null,
        early_career_start: null,
        early_career_end: null,
      })
      .execute();
  for (const [id, dob] of [
    ['C1', '2000-01-01'],
    ['C2', '1995-01-01'],
    ['C3', '2000-02-01'],
    ['C4', '2000-01-01'],
  ] as const)
    await db
      .insertInto('children')
      .values({ id, name: `Child ${id}`, date_of_birth: dob })
      .execute();
  await db
    .insertInto('child_involvements')
    .values([
      { id: 'I1', child_id: 'C1', type: 'cin', start: '2010-01-01', end: '2018-01-01' },
      { id: 'I2', child_id: 'C2', type: 'cla', start: '2000-01-01', end: '2013-01-01' },
      { id: 'I3', child_id: 'C3', type: 'cin', start: '2010-01-01', end: '2018-01-01' },
      { id: 'I4', child_id: 'C4', type: 'cin', start: '2010-01-01', end: null },
    ])
    .execute();
  const session = async (id: string, supervisee: string, date: string) => {
    await db
      .insertInto('supervision_sessions')
      .values({
        id,
        type: 'individual',
        supervisor_id: tm,
        team_id: null,
        date,
        start_time: null,
        end_time: null,
        place: null,
        confidentiality: null,
        all_cases: null,
        team_issues: null,
        other_business: null,
        next_date: null,
        state: 'complete',
        created_at: T,
        updated_at: T,
        updated_by: tm,
        supervisor_signed_at: T,
        completed_at: T,
      })
      .execute();
    await db
      .insertInto('session_participants')
      .values({
        session_id: id,
        person_id: supervisee,
        role: 'supervisee',
        read_at: T,
        signed_at: T,
        comment: 'Agreed',
        disagreement: null,
      })
      .execute();
    await db
      .insertInto('session_personal')
      .values({
        session_id: id,
        person_id: supervisee,
        author_id: tm,
        absence: null,
        wellbeing: `PERSONAL-${id}`,
        learning: null,
        updated_at: T,
      })
      .execute();
    await db
      .insertInto('events')
      .values({
        id: `E-${id}`,
        subject_kind: 'worker',
        subject_id: supervisee,
        kind: 'individual',
        date,
        source: 'service',
        recorded_by: tm,
        recorded_at: T,
        record_kind: 'session',
        record_id: id,
      })
      .execute();
  };
  await session('S7', 'L7', '2019-03-01');
  await session('S7C', 'L7', '2019-04-01');
  await session('S5', 'L5', '2021-03-01');
  await session('SH', 'LH', '2017-11-01');
  const discussion = (id: string, sessionId: string, childId: string) => ({
    id,
    session_id: sessionId,
    child_id: childId,
    worker_id: null,
    position: 1,
    status: null,
    since_last: null,
    changes: null,
    working_well: null,
    worries: null,
    strengths: null,
    child_voice: null,
    decision: `DECISION-${id}`,
    rationale: null,
    copied_at: null,
    copied_by: null,
  });
  await db
    .insertInto('case_discussions')
    .values([discussion('D7', 'S7', 'C1'), discussion('D7C', 'S7C', 'C2')])
    .execute();
  await db
    .insertInto('supervision_actions')
    .values({
      id: 'A7',
      session_id: 'S7',
      discussion_id: 'D7',
      child_id: 'C1',
      description: 'Visit',
      owner_id: 'L7',
      due_date: '2019-03-15',
      state: 'done',
      closed_in: null,
      closed_at: null,
      drop_reason: null,
      created_at: T,
    })
    .execute();
  await db
    .insertInto('session_addenda')
    .values({ id: 'AD7', session_id: 'S7', author_id: 'L7', text: 'Addendum', created_at: T })
    .execute();
  await db
    .insertInto('agenda_items')
    .values({
      id: 'AG7',
      supervisee_id: 'L7',
      text: 'Caseload',
      added_by: 'L7',
      added_at: T,
      session_id: 'S7',
    })
    .execute();
  await db
    .insertInto('supervision_contracts')
    .values({
      id: 'K7',
      supervisee_id: 'L7',
      supervisor_id: tm,
      frequency: null,
      duration_minutes: 90,
      place: null,
      supervisor_responsibilities: 'x',
      supervisee_responsibilities: 'y',
      dispute_resolver: null,
      created_at: T,
      updated_at: T,
      supervisor_signed_at: T,
      supervisee_signed_at: T,
      signed_date: '2018-01-10',
      review_due: null,
      superseded_at: null,
    })
    .execute();
  await db
    .insertInto('handovers')
    .values({
      id: 'H7',
      supervisee_id: 'L7',
      from_supervisor_id: null,
      to_supervisor_id: tm,
      summary: '{}',
      notes: null,
      created_at: T,
      acknowledged_at: null,
    })
    .execute();
  await db
    .insertInto('oversight_notes')
    .values({
      id: 'N1',
      child_id: 'C1',
      kind: 'manager-decision',
      date: '2017-06-01',
      decision: 'Close',
      rationale: 'Safe',
      author_id: tm,
      created_at: T,
    })
    .execute();
  await db
    .insertInto('events')
    .values({
      id: 'E-C1',
      subject_kind: 'child',
      subject_id: 'C1',
      kind: 'management-oversight',
      date: '2017-06-01',
      source: 'service',
      recorded_by: tm,
      recorded_at: T,
      record_kind: 'oversight-note',
      record_id: 'N1',
    })
    .execute();
  await db
    .insertInto('break_glass_grants')
    .values({
      id: 'G7',
      session_id: 'S7C',
      supervisee_id: 'L7',
      account_id: hosAccount.id,
      person_id: null,
      granted_to_name: 'Head',
      granted_to_role: 'head-of-service',
      reason: REASON,
      hours: 1,
      granted_at: '2019-05-01T10:00:00.000Z',
      expires_at: '2019-05-01T11:00:00.000Z',
      dismissed_at: null,
    })
    .execute();
  const call = (id: string, at: string) => ({
    id,
    token_id: null,
    method: 'GET',
    route: '/api/v1/children/:id/due',
    status: 401,
    error_code: 'invalid_token',
    subject_kind: null,
    subject_id: null,
    at,
    request_id: id,
  });
  await db
    .insertInto('api_calls')
    .values([
      call('API-OLD', '2023-01-01T10:00:00.000Z'),
      call('API-NEW', '2026-01-01T10:00:00.000Z'),
    ])
    .execute();
  const imported = (id: string, at: string) => ({
    id,
    kind: 'staff-list',
    files: '[]',
    summary: '{}',
    outcome: 'applied' as const,
    by: EMAILS.admin,
    at,
  });
  await db
    .insertInto('import_history')
    .values([
      imported('IMP-OLD', '2019-01-01T10:00:00.000Z'),
      imported('IMP-NEW', '2026-01-01T10:00:00.000Z'),
    ])
    .execute();
  const retention = new RetentionService(db, fixedClock(TEST_TODAY));
  await retention.placeHold(
    { accountId: null, actor: 'test' },
    { subjectKind: 'person', subjectId: 'LH', reason: 'Tribunal claim 2018/1' },
  );
  await retention.placeHold(
    { accountId: null, actor: 'test' },
    { subjectKind: 'child', subjectId: 'C3', reason: 'Public inquiry 2026' },
  );
}

/** What is left of the crafted records, to compare before and after. */
async function remaining(db: Db) {
  const ids = async (
    table:
      | 'children'
      | 'supervision_sessions'
      | 'supervision_contracts'
      | 'handovers'
      | 'agenda_items'
      | 'oversight_notes'
      | 'case_discussions'
      | 'supervision_actions'
      | 'session_addenda'
      | 'api_calls'
      | 'import_history'
      | 'break_glass_grants',
  ) =>
    (await db.selectFrom(table).select('id').execute())
      .map((r) => r.id)
      .filter((id) =>
        /^(C[1-4]|S7|S7C|S5|SH|K7|H7|AG7|N1|D7|D7C|A7|AD7|API-(OLD|NEW)|IMP-(OLD|NEW)|G7)$/.test(
          id,
        ),
      )
      .sort();
  return {
    children: await ids('children'),
    sessions: await ids('supervision_sessions'),
    contracts: await ids('supervision_contracts'),
    handovers: await ids('handovers'),
    agenda: await ids('agenda_items'),
    notes: await ids('oversight_notes'),
    discussions: await ids('case_discussions'),
    actions: await ids('supervision_actions'),
    addenda: await ids('session_addenda'),
    apiCalls: await ids('api_calls'),
    imports: await ids('import_history'),
    grants: await ids('break_glass_grants'),
    personal: (
      await db
        .selectFrom('session_personal')
        .select(['session_id', 'person_id'])
        .where('person_id', 'in', ['L7', 'L5', 'LH'])
        .execute()
    )
      .map((r) => `${r.session_id}:${r.person_id}`)
      .sort(),
    events: (
      await db
        .selectFrom('events')
        .select('id')
        .where('id', 'in', ['E-S7', 'E-S7C', 'E-S5', 'E-SH', 'E-C1'])
        .execute()
    )
      .map((r) => r.id)
      .sort(),
    people: (
      await db.selectFrom('people').select('id').where('id', 'in', ['L7', 'L5', 'LH']).execute()
    )
      .map((r) => r.id)
      .sort(),
  };
}

const BEFORE = {
  children: ['C1', 'C2', 'C3', 'C4'],
  sessions: ['S5', 'S7', 'S7C', 'SH'],
  contracts: ['K7'],
  handovers: ['H7'],
  agenda: ['AG7'],
  notes: ['N1'],
  discussions: ['D7', 'D7C'],
  actions: ['A7'],
  addenda: ['AD7'],
  apiCalls: ['API-NEW', 'API-OLD'],
  imports: ['IMP-NEW', 'IMP-OLD'],
  grants: ['G7'],
  personal: ['S5:L5', 'S7:L7', 'S7C:L7', 'SH:LH'],
  events: ['E-C1', 'E-S5', 'E-S7', 'E-S7C', 'E-SH'],
  people: ['L5', 'L7', 'LH'],
};

const AFTER = {
  children: ['C2', 'C3', 'C4'],
  sessions: ['S5', 'S7C', 'SH'],
  contracts: [],
  handovers: [],
  agenda: [],
  notes: [],
  discussions: ['D7C'],
  actions: [],
  addenda: [],
  apiCalls: ['API-NEW'],
  imports: ['IMP-NEW'],
  grants: [],
  personal: ['S5:L5', 'SH:LH'],
  // The worker's events go with their records; S7C's event is the leaver's history too.
  events: ['E-S5', 'E-SH'],
  people: ['L5', 'L7', 'LH'],
};

/** Throws on the last step of a deletion, to see that the steps before it are undone. */
const failOnImportHistory: KyselyPlugin = {
  transformQuery(args) {
    const node = args.node as {
      kind: string;
      from?: { froms?: { table?: { identifier?: { name?: string } } }[] };
    };
    if (
      node.kind === 'DeleteQueryNode' &&
      node.from?.froms?.some((f) => f.table?.identifier?.name === 'import_history')
    )
      throw new Error('disk full (test)');
    return args.node;
  },
  transformResult: (args) => Promise.resolve(args.result),
};

for (const kind of databaseKinds()) {
  describe(`retention and legal holds [${kind}]`, () => {
    let database: OpenDatabase;
    const clock = fixedClock(TEST_TODAY);

    beforeAll(async () => {
      database = await freshDatabase(kind);
      await setUpOrganisation(database.db, clock, {
        demo: true,
        councilName: 'Demo Borough Council',
      });
      await craft(database.db);
    }, 60_000);

    afterAll(async () => {
      await database.close();
    });

    it('the periods count back whole years from today', () => {
      expect(cutoff('2026-11-24', 6)).toBe('2020-11-24');
      expect(cutoff('2028-02-29', 1)).toBe('2027-02-28');
    });

    it('reports what is due per rule, with what holds keep back', async () => {
      const retention = new RetentionService(database.db, clock);
      const report = await retention.report();
      expect(report.staff.due.map((s) => s.personId)).toEqual(['L7']);
      expect(report.staff.due[0]).toMatchObject({
        sessionIds: ['S7'],
        counts: { sessions: 1, personalSections: 2, agendaItems: 1, contracts: 1, handovers: 1 },
      });
      expect(report.staff.held.map((s) => s.personId)).toEqual(['LH']);
      expect(report.staff.keptWithChild).toBe(1);
      expect(report.children.due.map((c) => [c.childId, c.type, c.dueDate])).toEqual([
        ['C1', 'children-in-need', '2025-01-01'],
      ]);
      expect(report.children.held.map((c) => c.childId)).toEqual(['C3']);
      expect(report.apiCalls.ids).toEqual(['API-OLD']);
      expect(report.importHistory.ids).toEqual(['IMP-OLD']);
      // Reporting changes nothing.
      expect(await remaining(database.db)).toEqual(BEFORE);
    });

    it('deletes all or nothing: a failure part way changes nothing', async () => {
      const failing = database.db.withPlugin(failOnImportHistory);
      const retention = new RetentionService(failing, clock);
      await expect(retention.deleteDue({ accountId: null, actor: 'test' })).rejects.toThrow(
        'disk full (test)',
      );
      expect(await remaining(database.db)).toEqual(BEFORE);
      expect(await auditRows(database.db, 'retention-delete')).toEqual([]);
    });

    it('deletes what is due, keeps what is held or not yet due, and audits each group', async () => {
      const retention = new RetentionService(database.db, clock);
      const result = await retention.deleteDue({ accountId: null, actor: 'os-user' });
      expect(result.lines.map((l) => [l.type, l.subjects])).toEqual([
        ['staff-supervision', 1],
        ['children-in-need', 1],
        ['looked-after', 0],
        ['api-calls', 1],
        ['import-history', 1],
      ]);
      expect(await remaining(database.db)).toEqual(AFTER);
      const entries = await auditRows(database.db, 'retention-delete');
      expect(entries.map((e) => [e.actor, e.object_kind, e.object_id])).toEqual([
        ['os-user', 'child', 'C1'],
        ['os-user', 'person', 'L7'],
        ['os-user', 'api-calls', null],
        ['os-user', 'import-history', null],
      ]);
      // Due dates are worked out again.
      const state = await database.db.selectFrom('due_state').selectAll().executeTakeFirstOrThrow();
      expect(state.generation).toBeGreaterThan(state.computed_generation ?? 0);
      // Nothing more is due, and the held ones are still reported as held.
      const again = await retention.report();
      expect(again.staff.due).toEqual([]);
      expect(again.children.due).toEqual([]);
      expect(again.staff.held.map((s) => s.personId)).toEqual(['LH']);
    });

    it('once a hold is lifted, what it kept is due', async () => {
      const retention = new RetentionService(database.db, clock);
      const hold = await database.db
        .selectFrom('legal_holds')
        .select('id')
        .where('subject_id', '=', 'LH')
        .executeTakeFirstOrThrow();
      await retention.liftHold({ accountId: null, actor: 'test' }, hold.id, 'Claim withdrawn');
      const report = await retention.report();
      expect(report.staff.due.map((s) => s.personId)).toEqual(['LH']);
    });
  });

  describe(`subject access export [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;

    beforeAll(async () => {
      database = await freshDatabase(kind);
      app = await demoApp(database);
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('holds what is held about them, and never secrets or other people’s personal sections', async () => {
      const db = database.db;
      const sw = await personOf(db, EMAILS.sw);
      const tm = await personOf(db, EMAILS.tm);
      const record = await demoRecord(db);
      await signedIn(app, EMAILS.sw);
      // Secrets that must never leave.
      await db
        .updateTable('accounts')
        .set({ two_factor_secret: 'SEALED-SECRET-SW' })
        .where('person_id', '=', sw)
        .execute();
      const hashes = (await db.selectFrom('accounts').select('password_hash').execute())
        .map((a) => a.password_hash)
        .filter((h): h is string => h !== null);
      const tokens = (await db.selectFrom('api_tokens').select('token_hash').execute()).map(
        (t) => t.token_hash,
      );

      const service = new SubjectAccessService(db, fixedClock(TEST_TODAY));
      const swText = await service.exportText(sw);
      const swExport = JSON.parse(swText) as Record<string, unknown>;
      expect(Object.keys(swExport)).toEqual([
        'about',
        'person',
        'account',
        'supervisionRecords',
        'recordsSupervised',
        'actions',
        'agendaItems',
        'contracts',
        'handovers',
        'addenda',
        'oversightNotes',
        'supervisionEvents',
        'breakGlassGrants',
        'auditEntries',
        'imports',
      ]);
      expect(swText).toContain(record.wellbeing);
      expect((swExport.account as Record<string, unknown>).email).toBe(EMAILS.sw);
      expect({
        audit: (swExport.auditEntries as unknown[]).length > 0,
        contracts: (swExport.contracts as unknown[]).length > 0,
        records: (swExport.supervisionRecords as unknown[]).length > 0,
      }).toEqual({ audit: true, contracts: true, records: true });
      for (const forbidden of [
        'password_hash',
        'two_factor_secret',
        'token_hash',
        'SEALED-SECRET-SW',
        ...hashes,
        ...tokens,
      ])
        expect({ forbidden, found: swText.includes(forbidden) }).toEqual({
          forbidden,
          found: false,
        });

      // The supervisor's export lists the session, without the supervisee's personal section.
      const tmText = await service.exportText(tm);
      const tmExport = JSON.parse(tmText) as { recordsSupervised: { id: string }[] };
      expect(tmExport.recordsSupervised.map((s) => s.id)).toContain(record.id);
      expect(tmText).not.toContain(record.wellbeing);
      const personalOfOthers = (
        await db
          .selectFrom('session_personal')
          .select('wellbeing')
          .where('person_id', '!=', tm)
          .execute()
      )
        .map((p) => p.wellbeing)
        .filter((w): w is string => w !== null && w.length > 10);
      for (const text of personalOfOthers) expect(tmText).not.toContain(text);
    });

    it('downloads from the person’s page as JSON, recorded as a download', async () => {
      const sw = await personOf(database.db, EMAILS.sw);
      const admin = await signedIn(app, EMAILS.admin);
      expect((await admin.get(`/admin/people/${sw}`)).body).toContain(
        'Download everything held about this person (subject access)',
      );
      const download = await admin.get(`/admin/people/${sw}/subject-access`);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="subject-access-${sw}.json"`,
      );
      expect((JSON.parse(download.body) as { person: { id: string } }).person.id).toBe(sw);
      const entry = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('route', '=', '/admin/people/:id/subject-access')
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ action: 'download', object_kind: 'person', object_id: sw });
    });
  });

  describe(`oversight retention and oversight subject-access [${kind}]`, () => {
    let target: { env: Record<string, string>; open: OpenDatabase; close: () => Promise<void> };

    beforeAll(async () => {
      target = await cliDatabase(kind);
      await setUpOrganisation(target.open.db, fixedClock(TEST_TODAY), {
        demo: true,
        councilName: 'Demo Borough Council',
        supervisionHistory: false,
      });
      await craft(target.open.db);
    }, 60_000);

    afterAll(async () => {
      await target.close();
    });

    it('reports, then deletes when asked, printing what it did', async () => {
      const report = await runCli(['retention'], { env: target.env });
      expect(report.stderr).toBe('');
      expect(report.code).toBe(0);
      expect(report.stdout).toContain('Due for deletion on 2026-11-24:');
      expect(report.stdout).toContain(
        'Staff supervision records (6 years; up to 2020-11-24): 6 records due, of 1 person; oldest 2019-06-30; 1 held back by legal holds; 1 session is kept with a child’s file',
      );
      expect(report.stdout).toMatch(
        /not looked after\) \(25 years; up to 2001-11-24\): \d+ records due, of 1 child; oldest 2025-01-01; 1 held back by legal holds/,
      );
      expect(report.stdout).toContain('Run "oversight retention --delete" to delete it.');
      expect(await remaining(target.open.db)).toEqual(BEFORE);

      const deleted = await runCli(['retention', '--delete'], { env: target.env });
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toContain('Deleted on 2026-11-24:');
      expect(deleted.stdout).toContain(
        'person L7 (left 2019-06-30): 1 session, 2 personal sections, 1 contract, 1 handover, 1 agenda item',
      );
      expect(deleted.stdout).toContain('child C1 (children-in-need, due 2025-01-01)');
      expect(await remaining(target.open.db)).toEqual(AFTER);
      const entries = await auditRows(target.open.db, 'retention-delete');
      expect(entries).toHaveLength(4);
      expect(entries.every((e) => e.account_id === null && e.actor !== '')).toBe(true);

      const after = await runCli(['retention'], { env: target.env });
      expect(after.stdout).toContain('Nothing is due for deletion.');
    });

    it('refuses wrong arguments with exit 2 and changes nothing', async () => {
      for (const args of [
        ['retention', '--bogus'],
        ['retention', 'now'],
        ['subject-access'],
        ['subject-access', 'NOBODY'],
      ]) {
        const run = await runCli(args, { env: target.env });
        expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(run.stderr).not.toBe('');
      }
    });

    it('writes the subject access export to standard output or a file, audited', async () => {
      const sw = await personOf(target.open.db, EMAILS.sw);
      const out = await runCli(['subject-access', sw], { env: target.env });
      expect(out.code).toBe(0);
      expect((JSON.parse(out.stdout) as { person: { id: string } }).person.id).toBe(sw);
      const dir = mkdtempSync(join(tmpdir(), 'oversight-sar-'));
      try {
        const file = join(dir, 'sar.json');
        const written = await runCli(['subject-access', sw, file], { env: target.env });
        expect(written.code).toBe(0);
        expect(written.stdout).toBe('');
        expect(
          (JSON.parse(readFileSync(file, 'utf8')) as { person: { id: string } }).person.id,
        ).toBe(sw);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const entries = (await auditRows(target.open.db, 'download')).filter(
        (e) => e.object_id === sw,
      );
      expect(entries).toHaveLength(2);
    });
  });
}

/** A database the command opens by DATABASE_URL: a SQLite file, or a PostgreSQL schema. */
async function cliDatabase(kind: DatabaseKind) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-retention-'));
    const file = join(dir, 'o.sqlite');
    const open = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(open.db);
    return {
      env: { DATABASE_URL: file, LOG_LEVEL: 'silent' },
      open,
      close: async () => {
        await open.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL ?? '';
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const open = openDatabase({ kind: 'postgres', url: scoped.toString() }, { poolSize: 2 });
  await migrateToLatest(open.db, { schema });
  return {
    env: { DATABASE_URL: scoped.toString(), LOG_LEVEL: 'silent' },
    open,
    close: async () => {
      await open.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
