import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { createAccount, personPlace } from '../src/db/accounts.repository.js';
import { currentContract } from '../src/db/contracts.repository.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import { getHandover, recordHandover } from '../src/db/handovers.repository.js';
import { openActionsFor } from '../src/db/supervision.repository.js';
import { seedDemoSupervision } from '../src/demo/demo-supervision.js';
import { eventsForSession } from '../src/domain/supervision/record.js';
import {
  ContractsService,
  supervisionPrompts,
} from '../src/features/contracts/contracts.service.js';
import { SupervisionService } from '../src/features/supervision/supervision.service.js';
import { createViewEnvironment } from '../src/plugins/views.js';
import { hashPassword } from '../src/services/auth.service.js';
import { ensureCurrent, invalidateAll } from '../src/services/due.service.js';
import { choosePolicy } from '../src/services/policy.service.js';
import { DEMO_PASSWORD, demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, freshDatabase } from './support/databases.js';
import { launchChromium } from './e2e/support/browser.js';
import { Journey } from './e2e/support/journey.js';
import { BasePage } from './e2e/support/pages/base.page.js';
import { expectNoAxeViolations } from './e2e/support/axe.js';
import { startServer, type TestServer } from './e2e/support/server.js';
import { covered } from './matrix/contracts.js';
import { personOf, viewerFor } from './support/demo-people.js';

/**
 * Supervision contracts, handovers between supervisors and a worker's supervision page, on both
 * databases: drafting and signing by both (one `contract` event, due dates moved in the same
 * transaction), a signed contract refusing a crafted change, a line manager changed by an
 * administrator writing a handover for the new supervisor, every route against every role, the
 * demo's recorded supervision, and the pages in Chromium with axe.
 */

const clock = fixedClock(TEST_TODAY);
const ROLES = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
type Role = (typeof ROLES)[number];

function location(response: LightMyRequestResponse): string {
  return String(response.headers.location);
}

function status(response: LightMyRequestResponse): number | 'signIn' {
  return response.statusCode === 302 && location(response).startsWith('/sign-in')
    ? 'signIn'
    : response.statusCode;
}

/** A page without what changes on every request, to compare two refusals. */
function normal(html: string): string {
  return html.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, '');
}

/** The contract form, filled in as a supervisor would. */
function contractForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    contractId: '',
    frequencyChoice: 'policy',
    frequencyCount: '',
    frequencyUnit: 'weeks',
    durationMinutes: '60',
    place: 'Meeting room 4',
    supervisorResponsibilities: 'Meet every four weeks\n- Keep a clear record',
    superviseeResponsibilities: 'Attend on time\nBring an agenda',
    disputeResolver: 'The head of service',
    ...overrides,
  };
}

const TERMS = {
  frequency: null,
  durationMinutes: 60,
  place: 'Room 1',
  supervisorResponsibilities: 'Meet every four weeks',
  superviseeResponsibilities: 'Attend on time',
  disputeResolver: 'The head of service',
};

const ACTION = {
  sw: 'Arrange the family network meeting',
  tm: 'Ask the legal team about the letter before proceedings',
} as const;

/** The form an administrator sends to change a person, with a new line manager. */
async function personForm(db: Db, id: string, lineManagerId: string) {
  const p = await db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const date = (field: string, iso: string | null) => {
    const m = iso === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return {
      [`${field}-day`]: m ? String(Number(m[3])) : '',
      [`${field}-month`]: m ? String(Number(m[2])) : '',
      [`${field}-year`]: m?.[1] ?? '',
    };
  };
  return {
    name: p.name ?? '',
    email: p.email ?? '',
    role: p.role,
    teamId: p.team_id ?? '',
    serviceId: p.team_id === null ? (p.service_id ?? '') : '',
    lineManagerId,
    ...date('start', p.start),
    ...date('end', p.end),
    ...date('probationEnd', p.probation_end),
    ...date('earlyCareerStart', p.early_career_start),
    ...date('earlyCareerEnd', p.early_career_end),
  };
}

async function contractEvents(db: Db, workerId: string) {
  return db
    .selectFrom('events')
    .select(['date', 'record_kind', 'record_id', 'source'])
    .where('subject_kind', '=', 'worker')
    .where('subject_id', '=', workerId)
    .where('kind', '=', 'contract')
    .orderBy('date')
    .orderBy('record_id')
    .execute();
}

for (const kind of databaseKinds()) {
  describe(`supervision contracts and handovers [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    const sessions = new Map<Role, Session>();
    const ids = {
      sw: '',
      tm: '',
      hos: '',
      tmTeam: '',
      newTm: '',
      otherWorker: '',
      otherManager: '',
      otherContract: '',
      otherHandover: '',
      contract: '',
      renewal: '',
      session: '',
      handover: '',
    };

    const as = (role: Role): Session => {
      const found = sessions.get(role);
      if (found === undefined) throw new Error(role);
      return found;
    };

    beforeAll(async () => {
      database = await freshDatabase(kind);
      // The demo without its recorded supervision: these tests write their own.
      app = await demoApp(database, clock, { supervisionHistory: false });
      const db = database.db;
      ids.sw = await personOf(db, 'sw@demo.example');
      ids.tm = await personOf(db, 'tm@demo.example');
      ids.hos = await personOf(db, 'hos@demo.example');
      const tmPlace = await personPlace(db, ids.tm);
      const hosPlace = await personPlace(db, ids.hos);
      ids.tmTeam = tmPlace?.teamId ?? '';
      // Another team manager in the same service, to take over the social worker's supervision.
      const newTm = await db
        .selectFrom('people')
        .innerJoin('teams', 'teams.id', 'people.team_id')
        .select('people.id')
        .where('people.role', '=', 'team-manager')
        .where('people.team_id', '!=', ids.tmTeam)
        .where('teams.service_id', '=', hosPlace?.serviceId ?? '')
        .where('people.end', 'is', null)
        .orderBy('people.id')
        .executeTakeFirstOrThrow();
      ids.newTm = newTm.id;
      await createAccount(
        db,
        {
          email: 'newtm@demo.example',
          passwordHash: await hashPassword(DEMO_PASSWORD),
          personId: ids.newTm,
          access: 'staff',
        },
        clock.now().toISOString(),
      );
      // A worker in another service, with the manager who supervises them.
      const other = await db
        .selectFrom('people as p')
        .innerJoin('people as m', 'm.id', 'p.line_manager_id')
        .innerJoin('teams as t', 't.id', 'p.team_id')
        .select(['p.id as worker', 'm.id as manager'])
        .where('t.service_id', '!=', hosPlace?.serviceId ?? '')
        .where('p.end', 'is', null)
        .where('m.end', 'is', null)
        .where('m.role', '=', 'team-manager')
        .orderBy('p.id')
        .executeTakeFirstOrThrow();
      ids.otherWorker = other.worker;
      ids.otherManager = other.manager;
      const contracts = new ContractsService(db, clock);
      const drafted = await contracts.saveDraft(
        await viewerFor(db, ids.otherManager),
        ids.otherWorker,
        { contractId: null, terms: TERMS },
      );
      if (drafted.kind !== 'saved') throw new Error('could not draft the other contract');
      ids.otherContract = drafted.id;
      ids.otherHandover = await db.transaction().execute((trx) =>
        recordHandover(
          trx,
          {
            superviseeId: ids.otherWorker,
            fromSupervisorId: null,
            toSupervisorId: ids.otherManager,
          },
          TEST_TODAY,
          clock.now().toISOString(),
        ),
      );
      sessions.set('anonymous', new Session(app));
      for (const role of ROLES.slice(1))
        sessions.set(role, await signedIn(app, `${role}@demo.example`));
    }, 180_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('a contract: drafted by the line manager, signed by both, one event, read-only after', async () => {
      const db = database.db;
      const tm = as('tm');
      const sw = as('sw');
      const url = `/workers/${ids.sw}/contract/new`;
      const page = await tm.get(url);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('As the policy says (every 4 weeks)');
      // The policy's sample contract, council-neutral, to start from.
      expect(page.body).toContain(
        'Meet with the supervisee at the frequency agreed in this contract',
      );
      expect(page.body).not.toMatch(/school|cluster/i);

      // A form with mistakes is shown again with what was typed and where each mistake is.
      const bad = await tm.post(url, contractForm({ place: '', durationMinutes: '5' }));
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/<title>\s*Error:/);
      expect(bad.body).toContain('href="#place"');
      expect(bad.body).toContain('Enter where supervision will take place');
      expect(bad.body).toContain(
        'How long each session lasts must be a whole number of minutes from 15 to 480',
      );
      expect(bad.body).toContain('Meet every four weeks');
      // Less often than the policy is refused: a contract can tighten, not loosen.
      const loose = await tm.post(
        url,
        contractForm({ frequencyChoice: 'own', frequencyCount: '8', frequencyUnit: 'weeks' }),
      );
      expect(loose.statusCode).toBe(400);
      expect(loose.body).toContain(
        'Every 8 weeks is less often than the policy asks (every 4 weeks)',
      );
      expect(loose.body).toContain('href="#frequencyCount"');
      expect(
        await db
          .selectFrom('supervision_contracts')
          .select('id')
          .where('supervisee_id', '=', ids.sw)
          .execute(),
      ).toEqual([]);

      const saved = await tm.post(
        url,
        contractForm({ frequencyChoice: 'own', frequencyCount: '2', frequencyUnit: 'weeks' }),
      );
      expect(saved.statusCode).toBe(303);
      const id = /^\/contracts\/([^?]+)\?done=saved$/.exec(location(saved))?.[1] ?? '';
      expect(id).not.toBe('');
      ids.contract = id;
      const draft = await db
        .selectFrom('supervision_contracts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(draft).toMatchObject({
        supervisee_id: ids.sw,
        supervisor_id: ids.tm,
        frequency: '14 days',
        duration_minutes: 60,
        supervisor_signed_at: null,
        signed_date: null,
      });
      const shown = await tm.get(`/contracts/${id}?done=saved`);
      expect(shown.body).toContain('Fortnightly');
      expect(shown.body).toContain('<li>Keep a clear record</li>');
      expect(shown.body).toContain(`action="/contracts/${id}/sign"`);

      // The supervisee cannot sign what their supervisor is still writing.
      const early = await sw.get(`/contracts/${id}`);
      expect(early.statusCode).toBe(200);
      expect(early.body).toContain('is still writing this contract');
      expect(early.body).not.toContain(`action="/contracts/${id}/sign"`);
      expect((await sw.post(`/contracts/${id}/sign`, {})).statusCode).toBe(403);

      await tm.get(`/contracts/${id}`);
      expect((await tm.post(`/contracts/${id}/sign`, {}, { csrf: null })).statusCode).toBe(403);
      const signed = await tm.post(`/contracts/${id}/sign`, {});
      expect(location(signed)).toBe(`/contracts/${id}?done=signed`);
      expect(
        (
          await db
            .selectFrom('supervision_contracts')
            .select('supervisor_signed_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).supervisor_signed_at,
      ).toBe(clock.now().toISOString());

      // Changing it after signing takes the signature off.
      await tm.get(url);
      const changed = await tm.post(url, contractForm({ contractId: id, place: 'Meeting room 5' }));
      expect(location(changed)).toBe(`/contracts/${id}?done=saved`);
      expect(
        await db
          .selectFrom('supervision_contracts')
          .select(['place', 'supervisor_signed_at', 'frequency'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      ).toEqual({ place: 'Meeting room 5', supervisor_signed_at: null, frequency: null });
      await tm.get(`/contracts/${id}`);
      await tm.post(`/contracts/${id}/sign`, {});

      const before = await contractEvents(db, ids.sw);
      const offered = await sw.get(`/contracts/${id}`);
      expect(offered.body).toContain(`action="/contracts/${id}/sign"`);
      const complete = await sw.post(`/contracts/${id}/sign`, {});
      expect(location(complete)).toBe(`/contracts/${id}?done=complete`);
      const row = await db
        .selectFrom('supervision_contracts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        signed_date: TEST_TODAY,
        review_due: '2027-11-24',
        superseded_at: null,
        supervisee_signed_at: clock.now().toISOString(),
      });
      const after = await contractEvents(db, ids.sw);
      expect(after).toHaveLength(before.length + 1);
      expect(after.filter((e) => e.record_id === id)).toEqual([
        { date: TEST_TODAY, record_kind: 'contract', record_id: id, source: 'service' },
      ]);
      expect((await sw.get(`/contracts/${id}?done=complete`)).body).toContain(
        'You have both signed the contract. It is in force, and its review is due on 24 Nov 2027.',
      );

      // Signed: a crafted change is refused and changes nothing; signing again changes nothing.
      await tm.get(`/contracts/${id}`);
      const crafted = await tm.post(url, contractForm({ contractId: id, place: 'Somewhere else' }));
      expect(crafted.statusCode).toBe(409);
      expect(crafted.body).toContain('This contract has already been signed');
      expect(crafted.body).toContain('Somewhere else');
      expect(
        await db
          .selectFrom('supervision_contracts')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      ).toEqual(row);
      expect(
        await db
          .selectFrom('supervision_contracts')
          .select('id')
          .where('supervisee_id', '=', ids.sw)
          .execute(),
      ).toEqual([{ id }]);
      await sw.get(`/contracts/${id}`);
      expect(location(await sw.post(`/contracts/${id}/sign`, {}))).toBe(`/contracts/${id}`);
      await tm.get(`/contracts/${id}`);
      expect(location(await tm.post(`/contracts/${id}/sign`, {}))).toBe(`/contracts/${id}`);
      expect(await contractEvents(db, ids.sw)).toEqual(after);
      expect(
        await db
          .selectFrom('supervision_contracts')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      ).toEqual(row);

      // A change is a new contract, starting from the one in force; once signed it replaces it.
      const renew = await tm.get(url);
      expect(renew.body).toContain('Meeting room 5');
      expect(renew.body).toContain('name="contractId" value=""');
      const second = await tm.post(url, contractForm({ place: 'Meeting room 6' }));
      const id2 = /^\/contracts\/([^?]+)\?/.exec(location(second))?.[1] ?? '';
      expect(id2).not.toBe(id);
      ids.renewal = id2;
      await tm.get(`/contracts/${id2}`);
      await tm.post(`/contracts/${id2}/sign`, {});
      await sw.get(`/contracts/${id2}`);
      await sw.post(`/contracts/${id2}/sign`, {});
      expect((await currentContract(db, ids.sw))?.id).toBe(id2);
      const replaced = await db
        .selectFrom('supervision_contracts')
        .select(['superseded_at', 'signed_date'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(replaced).toEqual({
        superseded_at: clock.now().toISOString(),
        signed_date: TEST_TODAY,
      });
      const old = await tm.get(`/contracts/${id}`);
      expect(old.body).toContain('Replaced');
      expect(old.body).toContain(`href="/contracts/${id2}"`);
      expect(old.body).not.toContain(`action="/contracts/${id}/sign"`);
      expect((await contractEvents(db, ids.sw)).filter((e) => e.record_id === id2)).toHaveLength(1);
    });

    it('a worker’s supervision page: contracts, records as supervisee, days to sign', async () => {
      const db = database.db;
      const supervision = new SupervisionService(db, clock);
      const tmViewer = await viewerFor(db, ids.tm);
      const children = (
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
      const sessionId = await supervision.start(tmViewer, {
        type: 'individual',
        superviseeIds: [ids.sw],
        coWorkerIds: [],
        teamId: null,
        date: '2026-11-10',
        startTime: null,
        endTime: null,
        place: null,
        confidentiality: null,
      });
      const [d1, d2] = await supervision.addChildren(tmViewer, sessionId, children.slice(0, 2));
      for (const [discussion, action] of [
        [d1, { description: ACTION.sw, ownerId: ids.sw, dueDate: '2026-12-01' }],
        [d2, { description: ACTION.tm, ownerId: ids.tm, dueDate: null }],
      ] as const) {
        const result = await supervision.saveDiscussion(
          tmViewer,
          sessionId,
          discussion ?? '',
          0,
          { decision: 'Continue with the plan', rationale: 'Progress is steady' },
          [action],
        );
        expect(result.ok).toBe(true);
      }
      expect((await supervision.signAsSupervisor(tmViewer, sessionId)).ok).toBe(true);
      ids.session = sessionId;

      const hos = as('hos');
      const page = await hos.get(`/workers/${ids.sw}/supervision`);
      expect(page.statusCode).toBe(200);
      const contract = page.body.slice(
        page.body.indexOf('id="contract"'),
        page.body.indexOf('id="handovers"'),
      );
      expect(contract).toContain('24 Nov 2026');
      expect(contract).toContain('24 Nov 2027');
      expect(contract).toContain(`href="/contracts/${ids.renewal}"`);
      expect(contract).toContain(`href="/contracts/${ids.contract}"`);
      expect(contract).toContain('Replaced');
      // Only the line manager is offered a new contract.
      expect(page.body).not.toContain(`href="/workers/${ids.sw}/contract/new"`);
      const records = page.body.slice(page.body.indexOf('id="records"'));
      const row = records.slice(records.indexOf(`href="/supervision/${sessionId}"`));
      expect(row).toContain('10 Nov 2026');
      expect(row).toContain('One-to-one supervision');
      expect(row).toMatch(/govuk-table__cell--numeric">14</);
      expect(row.slice(0, row.indexOf('</tr>'))).toContain('Not yet');
      expect((await as('tm').get(`/workers/${ids.sw}/supervision`)).body).toContain(
        `href="/workers/${ids.sw}/contract/new"`,
      );
      // Linked from the worker's own page.
      expect((await hos.get(`/workers/${ids.sw}`)).body).toContain(
        `href="/workers/${ids.sw}/supervision"`,
      );
    });

    it('every contract and worker supervision route against every role', async () => {
      const db = database.db;
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
      const post = async (role: Role, url: string, form: Record<string, string>, csrf = true) => {
        const session = as(role);
        await session.get(
          role === 'admin' ? '/admin' : role === 'anonymous' ? '/sign-in' : '/my-work',
        );
        return session.post(url, form, csrf ? {} : { csrf: null });
      };
      const top = { anonymous: 'signIn', admin: 403 } as const;
      await check(`/workers/${ids.sw}/contract/new`, {
        ...top,
        sw: 403,
        tm: 200,
        hos: 403,
        director: 403,
        qa: 403,
      });
      await check(`/workers/${ids.otherWorker}/contract/new`, {
        ...top,
        sw: 404,
        tm: 404,
        hos: 404,
        director: 403,
        qa: 403,
      });
      await check('/workers/NO-SUCH-WORKER/contract/new', { tm: 404, director: 404 });
      for (const id of [ids.contract, ids.renewal])
        await check(`/contracts/${id}`, {
          ...top,
          sw: 200,
          tm: 200,
          hos: 200,
          director: 200,
          qa: 200,
        });
      await check(`/contracts/${ids.otherContract}`, {
        ...top,
        sw: 404,
        tm: 404,
        hos: 404,
        director: 200,
        qa: 200,
      });
      await check('/contracts/NO-SUCH-CONTRACT', { sw: 404, tm: 404, director: 404 });
      const hidden = await as('tm').get(`/contracts/${ids.otherContract}`);
      const madeUp = await as('tm').get('/contracts/NO-SUCH-CONTRACT');
      expect(normal(hidden.body)).toBe(normal(madeUp.body));
      await check(`/workers/${ids.sw}/supervision`, {
        ...top,
        sw: 200,
        tm: 200,
        hos: 200,
        director: 200,
        qa: 200,
      });
      await check(`/workers/${ids.otherWorker}/supervision`, {
        ...top,
        sw: 404,
        tm: 404,
        hos: 404,
        director: 200,
        qa: 200,
      });
      const hiddenWorker = await as('hos').get(`/workers/${ids.otherWorker}/supervision`);
      const madeUpWorker = await as('hos').get('/workers/NO-SUCH-WORKER/supervision');
      expect(normal(hiddenWorker.body)).toBe(normal(madeUpWorker.body));

      // Drafting: the line manager only; another service's worker is not found.
      const draftUrl = `/workers/${ids.sw}/contract/new`;
      const count = async () =>
        (
          await db
            .selectFrom('supervision_contracts')
            .select('id')
            .where('supervisee_id', '=', ids.sw)
            .execute()
        ).length;
      const n = await count();
      for (const [role, want] of [
        ['anonymous', 403],
        ['sw', 403],
        ['hos', 403],
        ['director', 403],
        ['qa', 403],
        ['admin', 403],
      ] as const)
        expect({ role, status: (await post(role, draftUrl, contractForm())).statusCode }).toEqual({
          role,
          status: want,
        });
      expect((await post('tm', draftUrl, contractForm(), false)).statusCode).toBe(403);
      expect(await count()).toBe(n);
      for (const role of ['sw', 'tm', 'hos'] as const)
        expect(
          (await post(role, `/workers/${ids.otherWorker}/contract/new`, contractForm())).statusCode,
        ).toBe(404);
      const drafted = await post('tm', draftUrl, contractForm({ place: 'Matrix room' }));
      expect(drafted.statusCode).toBe(303);
      expect(await count()).toBe(n + 1);
      const draftId = /^\/contracts\/([^?]+)\?/.exec(location(drafted))?.[1] ?? '';

      // Signing: the two parties only, the supervisor first; no one else, and no form without its token.
      const signUrl = `/contracts/${draftId}/sign`;
      const signatures = async () =>
        db
          .selectFrom('supervision_contracts')
          .select(['supervisor_signed_at', 'supervisee_signed_at', 'signed_date'])
          .where('id', '=', draftId)
          .executeTakeFirstOrThrow();
      for (const [role, want] of [
        ['anonymous', 403],
        ['sw', 403],
        ['hos', 403],
        ['director', 403],
        ['qa', 403],
        ['admin', 403],
      ] as const)
        expect({ role, status: (await post(role, signUrl, {})).statusCode }).toEqual({
          role,
          status: want,
        });
      expect((await post('tm', signUrl, {}, false)).statusCode).toBe(403);
      expect(await signatures()).toEqual({
        supervisor_signed_at: null,
        supervisee_signed_at: null,
        signed_date: null,
      });
      expect((await post('tm', signUrl, {})).statusCode).toBe(303);
      expect((await post('sw', signUrl, {}, false)).statusCode).toBe(403);
      expect((await signatures()).supervisee_signed_at).toBeNull();
      expect((await post('sw', signUrl, {})).statusCode).toBe(303);
      expect((await signatures()).signed_date).toBe(TEST_TODAY);
      for (const role of ['sw', 'tm', 'hos'] as const)
        expect((await post(role, `/contracts/${ids.otherContract}/sign`, {})).statusCode).toBe(404);
      expect((await post('tm', '/contracts/NO-SUCH-CONTRACT/sign', {})).statusCode).toBe(404);
    });

    it('an administrator changing a line manager writes a handover for the new supervisor', async () => {
      const db = database.db;
      const tm = as('tm');
      // An unsigned draft of the old supervisor's, which the change sets aside.
      await tm.get(`/workers/${ids.sw}/contract/new`);
      const drafted = await tm.post(
        `/workers/${ids.sw}/contract/new`,
        contractForm({ place: 'Draft room' }),
      );
      const draftId = /^\/contracts\/([^?]+)\?/.exec(location(drafted))?.[1] ?? '';
      const children = await db
        .selectFrom('due_results')
        .select(['subject_id', 'effective_status', 'effective_due'])
        .where('subject_kind', '=', 'child')
        .where('requirement', '=', 'case-supervision')
        .where('period_start', '=', '')
        .where('worker_id', '=', ids.sw)
        .execute();
      expect(children.length).toBeGreaterThan(1);
      const inForce = (await currentContract(db, ids.sw))?.id;
      const open = await openActionsFor(db, [ids.sw]);
      expect(open.map((a) => a.description).sort()).toEqual([ACTION.tm, ACTION.sw].sort());

      const admin = as('admin');
      await admin.get(`/admin/people/${ids.sw}`);
      const changed = await admin.post(
        `/admin/people/${ids.sw}`,
        await personForm(db, ids.sw, ids.newTm),
      );
      expect(changed.statusCode).toBe(303);
      const rows = await db
        .selectFrom('handovers')
        .selectAll()
        .where('supervisee_id', '=', ids.sw)
        .execute();
      expect(rows).toHaveLength(1);
      const row = rows[0];
      if (row === undefined) throw new Error('no handover');
      ids.handover = row.id;
      expect(row).toMatchObject({
        from_supervisor_id: ids.tm,
        to_supervisor_id: ids.newTm,
        notes: null,
        acknowledged_at: null,
        created_at: clock.now().toISOString(),
      });
      const handover = await getHandover(db, row.id);
      const summary = handover?.summary;
      expect(summary?.asOf).toBe(TEST_TODAY);
      expect(
        summary?.openActions
          .map((a) => [a.description, a.ownerId, a.sessionId, a.sessionDate])
          .sort(),
      ).toEqual(
        [
          [ACTION.sw, ids.sw, ids.session, '2026-11-10'],
          [ACTION.tm, ids.tm, ids.session, '2026-11-10'],
        ].sort(),
      );
      expect(summary?.children.map((c) => [c.id, c.status, c.due]).sort()).toEqual(
        children.map((c) => [c.subject_id, c.effective_status, c.effective_due]).sort(),
      );
      expect(summary?.lastSignedSession).toMatchObject({
        id: ids.session,
        date: '2026-11-10',
        supervisorId: ids.tm,
      });
      expect(summary?.contract).toMatchObject({
        id: inForce,
        signedDate: TEST_TODAY,
        reviewDue: '2027-11-24',
      });
      // The old supervisor's draft is set aside; what was signed stays.
      expect(
        (
          await db
            .selectFrom('supervision_contracts')
            .select('superseded_at')
            .where('id', '=', draftId)
            .executeTakeFirstOrThrow()
        ).superseded_at,
      ).toBe(clock.now().toISOString());
      expect((await currentContract(db, ids.sw))?.id).toBe(inForce);
      // Saving the person again without changing the line manager writes nothing more.
      await admin.get(`/admin/people/${ids.sw}`);
      await admin.post(`/admin/people/${ids.sw}`, await personForm(db, ids.sw, ids.newTm));
      expect(
        await db.selectFrom('handovers').select('id').where('supervisee_id', '=', ids.sw).execute(),
      ).toHaveLength(1);

      // The new supervisor is prompted, reads it, and is asked to agree a contract.
      expect(await supervisionPrompts(db, ids.newTm, TEST_TODAY)).toContainEqual(
        expect.objectContaining({
          kind: 'handover',
          personId: ids.sw,
          href: `/handovers/${row.id}`,
        }),
      );
      const newTm = await signedIn(app, 'newtm@demo.example');
      const page = await newTm.get(`/handovers/${row.id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(ACTION.sw);
      expect(page.body).toContain(ACTION.tm);
      expect(page.body).toContain(`href="/supervision/${ids.session}"`);
      for (const c of children) expect(page.body).toContain(`href="/children/${c.subject_id}"`);
      expect(page.body).toContain('Agree a new supervision contract');
      expect(page.body).toContain(`href="/workers/${ids.sw}/contract/new"`);
      expect(page.body).toContain(`action="/handovers/${row.id}/acknowledge"`);
      expect(page.body).not.toContain(`action="/handovers/${row.id}/notes"`);
      expect((await newTm.get(`/workers/${ids.sw}/contract/new`)).statusCode).toBe(200);
      expect((await tm.get(`/workers/${ids.sw}/contract/new`)).statusCode).toBe(403);

      // The previous supervisor adds notes; only they can, and only until it is acknowledged.
      const old = await tm.get(`/handovers/${row.id}`);
      expect(old.statusCode).toBe(200);
      expect(old.body).toContain(`action="/handovers/${row.id}/notes"`);
      expect(old.body).not.toContain(`action="/handovers/${row.id}/acknowledge"`);
      const empty = await tm.post(`/handovers/${row.id}/notes`, { notes: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('href="#notes"');
      await tm.get(`/handovers/${row.id}`);
      expect(
        (await tm.post(`/handovers/${row.id}/notes`, { notes: 'x' }, { csrf: null })).statusCode,
      ).toBe(403);
      const noted = await tm.post(`/handovers/${row.id}/notes`, {
        notes: 'Court hearing on 3 December.\nPrefers early morning sessions.',
      });
      expect(location(noted)).toBe(`/handovers/${row.id}?done=notes#notes`);
      await newTm.get(`/handovers/${row.id}`);
      expect((await newTm.post(`/handovers/${row.id}/notes`, { notes: 'mine' })).statusCode).toBe(
        403,
      );
      await tm.get(`/handovers/${row.id}`);
      expect((await tm.post(`/handovers/${row.id}/acknowledge`, {})).statusCode).toBe(403);
      await newTm.get(`/handovers/${row.id}`);
      expect(
        (await newTm.post(`/handovers/${row.id}/acknowledge`, {}, { csrf: null })).statusCode,
      ).toBe(403);
      const acknowledged = await newTm.post(`/handovers/${row.id}/acknowledge`, {});
      expect(location(acknowledged)).toBe(`/handovers/${row.id}?done=acknowledged`);
      const after = await getHandover(db, row.id);
      expect(after?.notes).toBe('Court hearing on 3 December.\nPrefers early morning sessions.');
      expect(after?.acknowledgedAt).toBe(clock.now().toISOString());
      expect(
        (await supervisionPrompts(db, ids.newTm, TEST_TODAY)).filter((p) => p.kind === 'handover'),
      ).toEqual([]);
      const late = await tm.post(`/handovers/${row.id}/notes`, { notes: 'One more thing' });
      expect(late.statusCode).toBe(409);
      expect(late.body).toContain('One more thing');
      expect((await getHandover(db, row.id))?.notes).toBe(after?.notes);
      const read = await newTm.get(`/handovers/${row.id}?done=acknowledged`);
      expect(read.body).toContain('You have acknowledged the handover.');
      expect(read.body).toContain('<p class="govuk-body">Prefers early morning sessions.</p>');
      expect(read.body).not.toContain(`action="/handovers/${row.id}/acknowledge"`);

      // Listed on the worker's supervision page.
      expect((await as('hos').get(`/workers/${ids.sw}/supervision`)).body).toContain(
        `href="/handovers/${row.id}"`,
      );
    });

    it('every handover route against every role', async () => {
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
      const top = { anonymous: 'signIn', admin: 403, director: 200, qa: 200 } as const;
      // The old supervisor, the supervisee (their own place) and the managers above.
      await check(`/handovers/${ids.handover}`, { ...top, sw: 200, tm: 200, hos: 200 });
      await check(`/handovers/${ids.otherHandover}`, { ...top, sw: 404, tm: 404, hos: 404 });
      await check('/handovers/NO-SUCH-HANDOVER', { tm: 404, director: 404 });
      const hidden = await as('hos').get(`/handovers/${ids.otherHandover}`);
      const madeUp = await as('hos').get('/handovers/NO-SUCH-HANDOVER');
      expect(normal(hidden.body)).toBe(normal(madeUp.body));
      const post = async (role: Role, url: string, form: Record<string, string>) => {
        const session = as(role);
        await session.get(
          role === 'admin' ? '/admin' : role === 'anonymous' ? '/sign-in' : '/my-work',
        );
        return session.post(url, form);
      };
      // Posts on a handover someone may see but is not a party to are refused; elsewhere, not found.
      const other = await database.db
        .selectFrom('handovers')
        .selectAll()
        .where('id', '=', ids.otherHandover)
        .executeTakeFirstOrThrow();
      for (const action of ['notes', 'acknowledge'] as const) {
        const url = `/handovers/${ids.otherHandover}/${action}`;
        for (const [role, want] of [
          ['anonymous', 403],
          ['sw', 404],
          ['tm', 404],
          ['hos', 404],
          ['director', 403],
          ['qa', 403],
          ['admin', 403],
        ] as const)
          expect({
            url,
            role,
            status: (await post(role, url, { notes: 'A note' })).statusCode,
          }).toEqual({ url, role, status: want });
        for (const role of ['sw', 'hos', 'director'] as const)
          expect(
            (await post(role, `/handovers/${ids.handover}/${action}`, { notes: 'A note' }))
              .statusCode,
          ).toBe(403);
      }
      expect(
        await database.db
          .selectFrom('handovers')
          .selectAll()
          .where('id', '=', ids.otherHandover)
          .executeTakeFirstOrThrow(),
      ).toEqual(other);
      expect(covered).toEqual([
        'GET /workers/:id/contract/new',
        'POST /workers/:id/contract/new',
        'GET /contracts/:id',
        'POST /contracts/:id/sign',
        'GET /workers/:id/supervision',
        'GET /handovers/:id',
        'POST /handovers/:id/notes',
        'POST /handovers/:id/acknowledge',
      ]);
    });

    it('signing by both moves contract-review due dates at once, for a policy that has them', async () => {
      const db = database.db;
      // The one preset with a contract-review family.
      await choosePolicy(db, {
        presetId: 'leeds-schools',
        document: null,
        effectiveFrom: '2026-06-01',
        reason: 'Testing the contract review',
        chosenBy: null,
        chosenAt: clock.now().toISOString(),
      });
      await invalidateAll(db);
      await ensureCurrent(db, clock);
      const worker = (
        await db
          .selectFrom('people')
          .select('id')
          .where('line_manager_id', '=', ids.tm)
          .where('id', '!=', ids.sw)
          .where('end', 'is', null)
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
      const review = () =>
        db
          .selectFrom('due_results')
          .select(['effective_status', 'effective_due', 'last_event'])
          .where('subject_kind', '=', 'worker')
          .where('subject_id', '=', worker)
          .where('requirement', '=', 'contract-review')
          .where('period_start', '=', '')
          .executeTakeFirstOrThrow();
      const before = await review();
      expect(before.effective_due).not.toBe('2027-11-24');
      const service = new ContractsService(db, clock);
      const tmViewer = await viewerFor(db, ids.tm);
      expect((await service.policyFrequency(worker))?.words).toBe('every 4 weeks');
      const drafted = await service.saveDraft(tmViewer, worker, { contractId: null, terms: TERMS });
      if (drafted.kind !== 'saved') throw new Error('not saved');
      expect(await service.sign(tmViewer, drafted.id)).toEqual({
        signed: 'supervisor',
        completed: false,
      });
      expect(await review()).toEqual(before);
      expect(await service.sign(await viewerFor(db, worker), drafted.id)).toEqual({
        signed: 'supervisee',
        completed: true,
      });
      // In the same transaction as the signature: no recomputation was needed to see it.
      expect(await review()).toEqual({
        effective_status: 'on-track',
        effective_due: '2027-11-24',
        last_event: TEST_TODAY,
      });
      expect((await contractEvents(db, worker)).filter((e) => e.record_id === drafted.id)).toEqual([
        { date: TEST_TODAY, record_kind: 'contract', record_id: drafted.id, source: 'service' },
      ]);
    });
  });

  describe(`the demo's recorded supervision [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    const ids = { sw: '', tm: '' };

    beforeAll(async () => {
      database = await freshDatabase(kind);
      // The demo without its recorded supervision: these tests write their own.
      app = await demoApp(database, clock, { supervisionHistory: false });
      ids.sw = await personOf(database.db, 'sw@demo.example');
      ids.tm = await personOf(database.db, 'tm@demo.example');
    }, 180_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('gives the team manager and social worker a history, written as signatures write it', async () => {
      const db = database.db;
      const bareBefore = await db
        .selectFrom('events')
        .select(['subject_kind', 'subject_id', 'kind', 'date'])
        .where('record_id', 'is', null)
        .execute();
      expect(
        (
          await db
            .selectFrom('people')
            .select('line_manager_id')
            .where('id', '=', ids.sw)
            .executeTakeFirstOrThrow()
        ).line_manager_id,
      ).toBe(ids.tm);
      await seedDemoSupervision(db, { today: TEST_TODAY, now: clock.now().toISOString() });

      // The social worker's contracts: the one in force and the one before it.
      const swContracts = await db
        .selectFrom('supervision_contracts')
        .selectAll()
        .where('supervisee_id', '=', ids.sw)
        .orderBy('signed_date')
        .execute();
      expect(swContracts).toHaveLength(2);
      const [previous, current] = swContracts;
      expect(previous?.superseded_at).not.toBeNull();
      expect(current?.superseded_at).toBeNull();
      expect(current?.supervisor_id).toBe(ids.tm);
      expect(current?.signed_date ?? '').toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((current?.signed_date ?? '') <= TEST_TODAY).toBe(true);
      expect(await currentContract(db, ids.tm)).toBeDefined();
      const signedPeople = await db
        .selectFrom('supervision_contracts')
        .select('supervisee_id')
        .where('signed_date', 'is not', null)
        .where('superseded_at', 'is', null)
        .execute();
      expect(signedPeople.length).toBeGreaterThanOrEqual(5);
      // Each contract's event: one, naming it, on the date it was agreed.
      for (const c of swContracts) {
        const events = (await contractEvents(db, ids.sw)).filter((e) => e.date === c.signed_date);
        expect(events).toEqual([
          { date: c.signed_date, record_kind: 'contract', record_id: c.id, source: 'service' },
        ]);
      }

      // One signed one-to-one about four weeks ago, with everything the next session needs.
      const sessions = await db.selectFrom('supervision_sessions').selectAll().execute();
      expect(sessions).toHaveLength(1);
      const session = sessions[0];
      if (session === undefined) throw new Error('no session');
      expect(session).toMatchObject({
        type: 'individual',
        supervisor_id: ids.tm,
        state: 'complete',
      });
      const daysAgo =
        (Date.parse(`${TEST_TODAY}T00:00:00Z`) - Date.parse(`${session.date}T00:00:00Z`)) /
        86_400_000;
      expect(daysAgo).toBeGreaterThanOrEqual(21);
      expect(daysAgo).toBeLessThanOrEqual(35);
      expect(
        await db
          .selectFrom('session_participants')
          .select(['person_id', 'role'])
          .where('session_id', '=', session.id)
          .execute(),
      ).toEqual([{ person_id: ids.sw, role: 'supervisee' }]);
      const personal = await db
        .selectFrom('session_personal')
        .selectAll()
        .where('session_id', '=', session.id)
        .execute();
      expect(personal).toHaveLength(1);
      expect(personal[0]?.wellbeing).toBeTruthy();
      const discussions = await db
        .selectFrom('case_discussions')
        .selectAll()
        .where('session_id', '=', session.id)
        .execute();
      expect(discussions).toHaveLength(2);
      const allocated = new Set(
        (
          await db
            .selectFrom('due_results')
            .select('subject_id')
            .where('subject_kind', '=', 'child')
            .where('requirement', '=', 'case-supervision')
            .where('worker_id', '=', ids.sw)
            .execute()
        ).map((r) => r.subject_id),
      );
      for (const d of discussions) {
        expect(allocated.has(d.child_id)).toBe(true);
        expect(d.decision).toBeTruthy();
        expect(d.rationale).toBeTruthy();
      }
      const open = await openActionsFor(db, [ids.sw]);
      expect(open.map((a) => a.ownerId).sort()).toEqual([ids.sw, ids.tm].sort());
      expect(open.every((a) => a.state === 'open' && a.sessionId === session.id)).toBe(true);

      // Its events: as the signature writes them, each once, naming the record.
      const header = {
        type: 'individual' as const,
        teamId: null,
        date: session.date,
        participants: [{ personId: ids.sw, role: 'supervisee' as const, signedAt: null }],
      };
      const expected = eventsForSession(
        header,
        discussions.map((d) => d.child_id),
      );
      expect(expected).toHaveLength(3);
      for (const e of expected) {
        const found = await db
          .selectFrom('events')
          .select(['record_kind', 'record_id', 'source'])
          .where('subject_kind', '=', e.subjectKind)
          .where('subject_id', '=', e.subjectId)
          .where('kind', '=', e.kind)
          .where('date', '=', e.date)
          .execute();
        expect(found).toEqual([
          { record_kind: 'session', record_id: session.id, source: 'service' },
        ]);
      }
      // Nothing else of the demo's history was lost: every bare event before is still there,
      // or is now written by a record.
      const now = await db
        .selectFrom('events')
        .select(['subject_kind', 'subject_id', 'kind', 'date'])
        .execute();
      const key = (e: { subject_kind: string; subject_id: string; kind: string; date: string }) =>
        `${e.subject_kind}|${e.subject_id}|${e.kind}|${e.date}`;
      const present = new Set(now.map(key));
      expect(bareBefore.filter((e) => !present.has(key(e)))).toEqual([]);
      // The due dates read the records: each child discussed was last supervised that day or since.
      for (const d of discussions) {
        const due = await db
          .selectFrom('due_results')
          .select('last_event')
          .where('subject_kind', '=', 'child')
          .where('subject_id', '=', d.child_id)
          .where('requirement', '=', 'case-supervision')
          .where('period_start', '=', '')
          .executeTakeFirstOrThrow();
        expect((due.last_event ?? '') >= session.date).toBe(true);
      }

      // The team manager is prompted about the supervisees still without a contract.
      const prompts = await supervisionPrompts(db, ids.tm, TEST_TODAY);
      const kinds = new Set(prompts.map((p) => p.kind));
      expect(kinds.has('no-contract')).toBe(true);
      expect(kinds.has('draft-contract')).toBe(true);
      expect(prompts.some((p) => p.personId === ids.sw)).toBe(false);

      // Once only.
      const counts = async () => ({
        contracts: (await db.selectFrom('supervision_contracts').select('id').execute()).length,
        sessions: (await db.selectFrom('supervision_sessions').select('id').execute()).length,
        events: (await db.selectFrom('events').select('id').execute()).length,
      });
      const first = await counts();
      await seedDemoSupervision(db, { today: TEST_TODAY, now: clock.now().toISOString() });
      expect(await counts()).toEqual(first);

      // And it shows: the social worker's supervision page lists the record and the contracts.
      const tm = await signedIn(app, 'tm@demo.example');
      const page = await tm.get(`/workers/${ids.sw}/supervision`);
      expect(page.body).toContain(`href="/supervision/${session.id}"`);
      expect(page.body).toContain(`href="/contracts/${current?.id ?? ''}"`);
      expect(page.body).toContain(`href="/contracts/${previous?.id ?? ''}"`);
    });

    it('the prompts partial words each prompt and links it', () => {
      const root = join(import.meta.dirname, '..');
      const env = createViewEnvironment([
        join(root, 'src', 'views'),
        join(root, 'node_modules', 'govuk-frontend', 'dist'),
      ]);
      const render = (prompts: unknown) =>
        env.renderString('{% include "partials/supervision-prompts.njk" %}', { prompts });
      expect(render([]).trim()).toBe('');
      const html = render([
        {
          kind: 'handover',
          personId: 'W1',
          personName: 'Ada Ashdown',
          otherName: 'Bea Bell',
          date: '2026-11-20',
          href: '/handovers/H1',
        },
        {
          kind: 'sign-contract',
          personId: 'W2',
          personName: 'Bea Bell',
          otherName: null,
          date: null,
          href: '/contracts/C1',
        },
        {
          kind: 'review-overdue',
          personId: 'W3',
          personName: 'Cai Cole',
          otherName: null,
          date: '2026-11-01',
          href: '/workers/W3/contract/new',
        },
        {
          kind: 'review-due',
          personId: 'W4',
          personName: 'Dee Dale',
          otherName: null,
          date: '2026-12-10',
          href: '/workers/W4/contract/new',
        },
        {
          kind: 'draft-contract',
          personId: 'W5',
          personName: 'Eve Ely',
          otherName: null,
          date: null,
          href: '/contracts/C5',
        },
        {
          kind: 'no-contract',
          personId: 'W6',
          personName: 'Fay Fox',
          otherName: null,
          date: null,
          href: '/workers/W6/contract/new',
        },
      ]);
      expect(html).toContain('govuk-notification-banner');
      for (const text of [
        'You are now Ada Ashdown’s supervisor, taking over from Bea Bell on 20 Nov 2026.',
        'Bea Bell has signed your supervision contract.',
        'Cai Cole’s supervision contract was due for review on 1 Nov 2026.',
        'Dee Dale’s supervision contract is due for review by 10 Dec 2026.',
        'Your supervision contract with Eve Ely is still a draft.',
        'Fay Fox has no signed supervision contract.',
        'href="/handovers/H1"',
        'href="/contracts/C1"',
        'href="/workers/W6/contract/new"',
      ])
        expect(html).toContain(text);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// In a browser: axe (WCAG 2.2 AA) on every page, at desktop and phone widths

class HeadingPage extends BasePage {
  static heading: RegExp = /./;

  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toMatch((this.constructor as typeof HeadingPage).heading);
  }
}

class WorkerSupervisionPage extends HeadingPage {
  static override heading = /: supervision$/;
}
class ContractPage extends HeadingPage {
  static override heading = /^Supervision contract for /;
}
class ContractFormPage extends HeadingPage {
  static override heading = /^(Agree a supervision contract|Change the draft contract) with /;
}
class ContractFormErrorPage extends ContractFormPage {
  protected override readonly expectedStatus = 400;
}
class HandoverPage extends HeadingPage {
  static override heading = /^Handover of .*’s supervision$/;
}
class NotSavedPage extends HeadingPage {
  static override heading = /^This contract has already been signed$/;
  protected override readonly expectedStatus = 409;

  // A 409 page logs its own status as a failed resource, as the 400, 403 and 404 pages do
  // (which the journey already leaves out): that is the page, not a problem with it.
  override async arrive(step: string): Promise<void> {
    const problems = this.journey.problems;
    for (let i = problems.length - 1; i >= 0; i--)
      if (/status of 409/.test(problems[i] ?? '')) problems.splice(i, 1);
    await super.arrive(step);
  }
}

describe('contracts and handovers in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  const ids = { sw: '', tm: '', handover: '', draft: '', noContract: '', signed: '' };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    const db = server.db;
    await seedDemoSupervision(db, { today: TEST_TODAY, now: clock.now().toISOString() });
    ids.sw = await personOf(db, 'sw@demo.example');
    ids.tm = await personOf(db, 'tm@demo.example');
    ids.signed = (await currentContract(db, ids.sw))?.id ?? '';
    const draft = await db
      .selectFrom('supervision_contracts')
      .select(['id', 'supervisee_id'])
      .where('signed_date', 'is', null)
      .executeTakeFirstOrThrow();
    ids.draft = draft.id;
    // Someone from another team of the service comes to the team manager, with a handover.
    const hosService =
      (await personPlace(db, await personOf(db, 'hos@demo.example')))?.serviceId ?? '';
    const mover = await db
      .selectFrom('people as p')
      .innerJoin('teams as t', 't.id', 'p.team_id')
      .select(['p.id', 'p.line_manager_id'])
      .where('t.service_id', '=', hosService)
      .where('p.line_manager_id', 'is not', null)
      .where('p.line_manager_id', '!=', ids.tm)
      .where('p.id', '!=', ids.tm)
      .where('p.role', '=', 'social-worker')
      .where('p.end', 'is', null)
      .orderBy('p.id')
      .executeTakeFirstOrThrow();
    ids.handover = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('people')
        .set({ line_manager_id: ids.tm })
        .where('id', '=', mover.id)
        .execute();
      return recordHandover(
        trx,
        { superviseeId: mover.id, fromSupervisorId: mover.line_manager_id, toSupervisorId: ids.tm },
        TEST_TODAY,
        clock.now().toISOString(),
      );
    });
    ids.noContract = mover.id;
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
        `contracts-${email.split('@')[0] ?? ''}-${String(width)}`,
        server.baseUrl,
      );
      await j.visit('/sign-in');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await j.navigate(() => page.getByRole('button', { name: 'Sign in' }).click());
      await body(j);
    } finally {
      await context.close();
    }
  }

  for (const width of [1280, 390]) {
    it(`a worker's supervision, their contract and a handover, at ${String(width)} pixels`, async () => {
      await as('tm@demo.example', width, async (j) => {
        await j.visit(`/workers/${ids.sw}/supervision`);
        const supervision = await j.on(WorkerSupervisionPage, 'worker-supervision');
        expect(await supervision.sidewaysOverflow()).toBe(0);
        await supervision.followLink(/^Read the contract/);
        const contract = await j.on(ContractPage, 'contract');
        expect(await contract.sidewaysOverflow()).toBe(0);
        await j.visit(`/handovers/${ids.handover}`);
        const handover = await j.on(HandoverPage, 'handover');
        expect(await handover.sidewaysOverflow()).toBe(0);
      });
    });
  }

  it('drafting a contract with a mistake, signing it, and a crafted change refused', async () => {
    await as('tm@demo.example', 1280, async (j) => {
      await j.visit(`/contracts/${ids.draft}`);
      const draft = await j.on(ContractPage, 'draft');
      await draft.followLink('Change the contract');
      await j.on(ContractFormPage, 'form');
      await j.page.getByLabel('Where will supervision take place?').fill('');
      await j.page.getByLabel('More often than the policy').check();
      await j.page.getByLabel('Every', { exact: true }).fill('10');
      await j.page.getByLabel('Weeks, months or days').selectOption('weeks');
      await j.navigate(() => j.page.getByRole('button', { name: 'Save the contract' }).click());
      const errors = await j.on(ContractFormErrorPage, 'form-errors');
      expect(await errors.title()).toMatch(/^Error: /);
      const summary = await j.page.locator('.govuk-error-summary').innerText();
      expect(summary).toContain('Enter where supervision will take place');
      await j.page.getByLabel('Where will supervision take place?').fill('Meeting room 3');
      await j.page.getByLabel('As the policy says').check();
      await j.navigate(() => j.page.getByRole('button', { name: 'Save the contract' }).click());
      await j.on(ContractPage, 'saved');
      await j.navigate(() => j.page.getByRole('button', { name: 'Sign the contract' }).click());
      const signed = await j.on(ContractPage, 'signed-by-supervisor');
      expect(await j.page.locator('.govuk-notification-banner').innerText()).toContain(
        'You have signed the contract',
      );
      expect(await signed.headingText()).toMatch(/^Supervision contract for /);
    });
    await as('tm@demo.example', 390, async (j) => {
      // A form for a contract both have signed, sent as it was: refused, with what was typed.
      await j.visit(`/workers/${ids.sw}/contract/new`);
      await j.on(ContractFormPage, 'renewal');
      await j.page.evaluate((id) => {
        const field = document.querySelector<HTMLInputElement>('input[name="contractId"]');
        if (field) field.value = id;
      }, ids.signed);
      await j.page.getByLabel('Where will supervision take place?').fill('A crafted place');
      await j.navigate(() => j.page.getByRole('button', { name: 'Save the contract' }).click());
      await j.on(NotSavedPage, 'not-saved');
      expect(await j.page.locator('main').innerText()).toContain('A crafted place');
    });
  });

  it('the prompts on a page of their own', async () => {
    const root = join(import.meta.dirname, '..');
    const env = createViewEnvironment([
      join(root, 'src', 'views'),
      join(root, 'node_modules', 'govuk-frontend', 'dist'),
    ]);
    const prompts = await supervisionPrompts(server.db, ids.tm, TEST_TODAY);
    expect(prompts.map((p) => p.kind)).toContain('handover');
    const partial = env.renderString('{% include "partials/supervision-prompts.njk" %}', {
      prompts,
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/health`);
      await page.setContent(
        `<!DOCTYPE html><html lang="en-GB"><head><title>Supervision</title><link rel="stylesheet" href="${server.baseUrl}/assets/application.css"></head><body class="govuk-template__body"><main class="govuk-main-wrapper"><h1 class="govuk-heading-xl">Supervision</h1>${partial}</main></body></html>`,
        { waitUntil: 'load' },
      );
      expect(await page.locator('.govuk-notification-banner li').count()).toBe(prompts.length);
      await expectNoAxeViolations(page, 'supervision prompts');
    } finally {
      await context.close();
    }
  });
});
