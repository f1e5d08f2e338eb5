import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import { routes } from '../src/features/routes.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, freshDatabase } from './support/databases.js';
import { covered as accountCovered } from './matrix/account.js';
import { covered as actionsCovered } from './matrix/actions.js';
import { covered as auditCovered } from './matrix/audit.js';
import { covered as dataProtectionCovered } from './matrix/data-protection.js';
import { covered as decisionRecordsCovered } from './matrix/decision-records.js';
import { covered as singleSignOnCovered } from './matrix/single-sign-on.js';
import { covered as apiCovered } from './matrix/api.js';
import { covered as exportsCovered } from './matrix/exports.js';
import { covered as contractsCovered } from './matrix/contracts.js';
import { covered as notesCovered } from './matrix/notes.js';
import { covered as supervisionCovered } from './matrix/supervision.js';

/**
 * The route matrix: every page of the route table against every kind of user of the demo
 * organisation, including the refusals. A record outside someone's place is "not found",
 * whether or not it exists. A new route fails the last test until it is added here.
 */

type Role = 'anonymous' | 'sw' | 'tm' | 'hos' | 'director' | 'qa' | 'admin';
const ROLES: Role[] = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'];

/** Status per role; `signIn` means a redirect to the sign-in page. */
type Expect = Partial<Record<Role, number | 'signIn'>>;

interface Ids {
  swPerson: string;
  tmTeam: string;
  teamInSameService: string;
  teamInOtherService: string;
  hosService: string;
  otherService: string;
  swChild: string;
  teamChild: string;
  otherServiceChild: string;
  otherServiceWorker: string;
  carer: string;
}

for (const kind of databaseKinds()) {
  describe(`route matrix [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    const sessions = new Map<Role, Session>();
    let ids: Ids;

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
      const swPerson = await person('sw@demo.example');
      const tmPerson = await person('tm@demo.example');
      const hosPerson = await person('hos@demo.example');
      const tm = await db
        .selectFrom('people')
        .innerJoin('teams', 'teams.id', 'people.team_id')
        .select(['teams.id', 'teams.service_id'])
        .where('people.id', '=', tmPerson)
        .executeTakeFirstOrThrow();
      const hosService =
        (
          await db
            .selectFrom('people')
            .select('service_id')
            .where('id', '=', hosPerson)
            .executeTakeFirstOrThrow()
        ).service_id ?? '';
      const child = (where: (q: ReturnType<typeof base>) => ReturnType<typeof base>) =>
        where(base())
          .select('subject_id')
          .orderBy('subject_id')
          .executeTakeFirstOrThrow()
          .then((r) => r.subject_id);
      const base = () =>
        db
          .selectFrom('due_results')
          .where('subject_kind', '=', 'child')
          .where('period_start', '=', '');
      ids = {
        swPerson,
        tmTeam: tm.id,
        teamInSameService: (
          await db
            .selectFrom('teams')
            .select('id')
            .where('service_id', '=', hosService)
            .where('id', '!=', tm.id)
            .orderBy('id')
            .executeTakeFirstOrThrow()
        ).id,
        teamInOtherService: (
          await db
            .selectFrom('teams')
            .select('id')
            .where('service_id', '!=', hosService)
            .orderBy('id')
            .executeTakeFirstOrThrow()
        ).id,
        hosService,
        otherService: (
          await db
            .selectFrom('services')
            .select('id')
            .where('id', '!=', hosService)
            .orderBy('id')
            .executeTakeFirstOrThrow()
        ).id,
        swChild: await child((q) => q.where('worker_id', '=', swPerson)),
        teamChild: await child((q) =>
          q.where('team_id', '=', tm.id).where('worker_id', '!=', swPerson),
        ),
        otherServiceChild: await child((q) => q.where('service_id', '!=', hosService)),
        otherServiceWorker: (
          await db
            .selectFrom('subject_scope')
            .select('subject_id')
            .where('subject_kind', '=', 'worker')
            .where('service_id', '!=', hosService)
            .orderBy('subject_id')
            .executeTakeFirstOrThrow()
        ).subject_id,
        carer: (
          await db.selectFrom('foster_carers').select('id').orderBy('id').executeTakeFirstOrThrow()
        ).id,
      };
      sessions.set('anonymous', new Session(app));
      for (const role of ROLES.filter((r) => r !== 'anonymous'))
        sessions.set(role, await signedIn(app, `${role}@demo.example`));
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    const session = (role: Role) => {
      const s = sessions.get(role);
      if (s === undefined) throw new Error(role);
      return s;
    };

    async function check(url: string, expected: Expect) {
      for (const role of ROLES) {
        const want = expected[role];
        if (want === undefined) continue;
        const response = await session(role).get(url);
        const got =
          response.statusCode === 302 && String(response.headers.location).startsWith('/sign-in')
            ? 'signIn'
            : response.statusCode;
        expect({ url, role, status: got }).toEqual({ url, role, status: want });
      }
    }

    const everyone = (status: number | 'signIn'): Expect =>
      Object.fromEntries(ROLES.map((r) => [r, status]));

    it('pages anyone may open', async () => {
      await check('/health', everyone(200));
      await check('/signed-out', everyone(200));
      await check('/sign-in', { anonymous: 200, sw: 302, admin: 302 });
      await check('/', {
        anonymous: 'signIn',
        sw: 302,
        tm: 302,
        hos: 302,
        director: 302,
        qa: 302,
        admin: 302,
      });
    });

    it('my work: people with a place in the structure', async () => {
      await check('/my-work', {
        anonymous: 'signIn',
        sw: 200,
        tm: 200,
        hos: 200,
        director: 200,
        qa: 200,
        admin: 403,
      });
    });

    it('teams: their own team manager, their head of service, the directorate', async () => {
      const all = { anonymous: 'signIn', admin: 403, director: 200, qa: 200, sw: 403 } as const;
      await check(`/teams/${ids.tmTeam}`, { ...all, tm: 200, hos: 200 });
      await check(`/teams/${ids.teamInSameService}`, { ...all, tm: 403, hos: 200 });
      await check(`/teams/${ids.teamInOtherService}`, { ...all, tm: 403, hos: 403 });
      await check('/teams/no-such-team', { tm: 404, director: 404 });
    });

    it('services: their own head of service and the directorate', async () => {
      const all = {
        anonymous: 'signIn',
        admin: 403,
        director: 200,
        qa: 200,
        sw: 403,
        tm: 403,
      } as const;
      await check(`/services/${ids.hosService}`, { ...all, hos: 200 });
      await check(`/services/${ids.otherService}`, { ...all, hos: 403 });
    });

    it('the directorate: assistant directors, directors and quality assurance', async () => {
      await check('/directorate', {
        anonymous: 'signIn',
        sw: 403,
        tm: 403,
        hos: 403,
        director: 200,
        qa: 200,
        admin: 403,
      });
    });

    it('a child: whoever may see its allocation; anyone else is told it is not found', async () => {
      const top = { anonymous: 'signIn', director: 200, qa: 200, admin: 403 } as const;
      await check(`/children/${ids.swChild}`, { ...top, sw: 200, tm: 200, hos: 200 });
      await check(`/children/${ids.teamChild}`, { ...top, sw: 404, tm: 200, hos: 200 });
      await check(`/children/${ids.otherServiceChild}`, { ...top, sw: 404, tm: 404, hos: 404 });
      await check('/children/NO-SUCH-CHILD', { sw: 404, tm: 404, director: 404 });
      // The refusal of an existing child and of a made-up id are the same page.
      const real = await session('sw').get(`/children/${ids.otherServiceChild}`);
      const made = await session('sw').get('/children/NO-SUCH-CHILD');
      const normal = (html: string) =>
        html.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, '');
      expect(normal(real.body)).toBe(normal(made.body));
    });

    it('a worker and a foster carer: the same rule', async () => {
      const top = { anonymous: 'signIn', director: 200, qa: 200, admin: 403 } as const;
      await check(`/workers/${ids.swPerson}`, { ...top, sw: 200, tm: 200, hos: 200 });
      await check(`/workers/${ids.otherServiceWorker}`, { ...top, sw: 404, tm: 404, hos: 404 });
      await check(`/foster-carers/${ids.carer}`, { ...top, sw: 404, tm: 404, hos: 404 });
    });

    it('overrides: managers may tighten; a practitioner may not; a form without its token is refused', async () => {
      const until = { untilDay: '31', untilMonth: '1', untilYear: '2027' };
      const form = { everyCount: '2', everyUnit: 'weeks', ...until, reason: 'Risk has increased' };
      const url = `/children/${ids.swChild}/override`;
      const sw = session('sw');
      await sw.get(`/children/${ids.swChild}`);
      expect((await sw.post(url, form)).statusCode).toBe(403);
      const tm = session('tm');
      await tm.get(`/children/${ids.swChild}`);
      expect((await tm.post(url, form, { csrf: null })).statusCode).toBe(403);
      expect((await tm.post(url, { ...form, reason: '' })).statusCode).toBe(400);
      const saved = await tm.post(url, form);
      expect(saved.statusCode).toBe(303);
      const page = await tm.get(`/children/${ids.swChild}`);
      expect(page.body).toContain('Risk has increased');
      expect(page.body).toContain('Fortnightly until 31 Jan 2027');
      // Loosening needs a service manager or above.
      const loose = { ...form, everyCount: '6', everyUnit: 'months' };
      const refused = await tm.post(url, loose);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('only a service manager or above can loosen');
      const hos = session('hos');
      await hos.get(`/children/${ids.swChild}`);
      expect((await hos.post(url, loose)).statusCode).toBe(303);
      await tm.get(`/children/${ids.swChild}`);
      expect((await tm.post(`${url}/end`, {})).statusCode).toBe(303);
      expect((await sw.post(`${url}/end`, {})).statusCode).toBe(403);
      await check(`/children/${ids.otherServiceChild}`, { tm: 404 });
      expect((await tm.post(`/children/${ids.otherServiceChild}/override`, form)).statusCode).toBe(
        404,
      );
    });

    it('administration: administrators only', async () => {
      const adminGets = routes({
        db: database.db,
        clock: fixedClock(TEST_TODAY),
        config: loadConfig({}),
      }).filter((r) => r.method === 'GET' && r.url.startsWith('/admin') && !r.url.includes(':'));
      expect(adminGets.length).toBeGreaterThan(0);
      for (const route of adminGets) {
        await check(route.url, {
          anonymous: 'signIn',
          sw: 403,
          tm: 403,
          hos: 403,
          director: 403,
          qa: 403,
          admin: 200,
        });
      }
    });

    it('signing out ends the session for good', async () => {
      const s = await signedIn(app, 'sw@demo.example');
      const cookie = s.cookieHeader;
      await s.get('/my-work');
      expect((await s.post('/sign-out', {})).statusCode).toBe(303);
      // Replaying the old cookie after sign-out does not get back in.
      const replay = await app.inject({ method: 'GET', url: '/my-work', headers: { cookie } });
      expect(replay.statusCode).toBe(302);
    });

    it('locks an account after five failed sign-ins', async () => {
      const s = new Session(app);
      for (let i = 0; i < 5; i++) {
        const r = await s.signIn('qa@demo.example', 'wrong password');
        expect(r.statusCode).toBe(400);
      }
      const locked = await s.signIn('qa@demo.example');
      expect(locked.statusCode).toBe(400);
      expect(locked.body).toContain('locked');
      const unknown = await s.signIn('nobody@demo.example', 'whatever it is');
      expect(unknown.body).toContain('The email address or password is not right');
    });

    it('every route in the route table is in this matrix', () => {
      const covered = [
        'GET /sign-in',
        'POST /sign-in',
        'POST /sign-out',
        'GET /signed-out',
        'GET /',
        'GET /my-work',
        'GET /teams/:id',
        'GET /services/:id',
        'GET /directorate',
        'GET /children/:id',
        'POST /children/:id/override',
        'POST /children/:id/override/end',
        'GET /workers/:id',
        'GET /foster-carers/:id',
        // Tested in test/drafts-kept.test.ts.
        'POST /session/keep-alive',
        // Each feature's own matrix tests (test/*.test.ts) list the routes they check.
        ...supervisionCovered,
        ...notesCovered,
        ...contractsCovered,
        ...actionsCovered,
        ...exportsCovered,
        ...apiCovered,
        ...auditCovered,
        ...accountCovered,
        ...singleSignOnCovered,
        ...dataProtectionCovered,
        ...decisionRecordsCovered,
      ];
      const table = routes({
        db: database.db,
        clock: fixedClock(TEST_TODAY),
        config: loadConfig({}),
      });
      const missing = table
        .filter((r) => !r.url.startsWith('/admin'))
        .map((r) => `${r.method} ${r.url}`)
        .filter((r) => !covered.includes(r));
      expect(missing).toEqual([]);
      // Administration routes all need the administrator role (their pages are tested in admin.test.ts).
      expect(table.filter((r) => r.url.startsWith('/admin')).every((r) => r.need === 'admin')).toBe(
        true,
      );
    });
  });
}
