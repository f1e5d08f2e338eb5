import { parse } from 'csv-parse/sync';

import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { personPlace } from '../src/db/accounts.repository.js';
import { listAttentionActions } from '../src/db/actions.repository.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import { listDue, type DueFilter, type SortField } from '../src/db/due.repository.js';
import { seedDemoSupervision } from '../src/demo/demo-supervision.js';
import { levelsFor, scopeFor, type Viewer } from '../src/domain/access/viewer.js';
import { ActionsService } from '../src/features/actions/actions.service.js';
import { csvChunks } from '../src/features/exports/csv.js';
import { dueTable } from '../src/features/exports/exports.presenter.js';
import { ExportsService } from '../src/features/exports/exports.service.js';
import { defuse, type Table } from '../src/features/exports/table.js';
import { xlsxStream } from '../src/features/exports/xlsx.js';
import { listQuerySchema } from '../src/features/oversight/oversight.service.js';
import { exportsRoutes } from '../src/features/exports/exports.routes.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, freshDatabase } from './support/databases.js';
import { launchChromium } from './e2e/support/browser.js';
import { Journey } from './e2e/support/journey.js';
import { DirectoratePage } from './e2e/support/pages/directorate.page.js';
import { ServicePage } from './e2e/support/pages/service.page.js';
import { TeamPage } from './e2e/support/pages/team.page.js';
import { startServer, type TestServer } from './e2e/support/server.js';
import { covered } from './matrix/exports.js';

const parseCsv = (text: string): string[][] => parse(text);

/**
 * The list exports (features/exports): each file is its page's list, every page of it, as the
 * person may see it; each route refuses what its page refuses; text a spreadsheet would run as a
 * formula is defused; the Excel file opens, with a bold frozen header and real dates; nothing of
 * a supervision record beyond the actions lists' own columns is ever in a file. On both
 * databases, with the demo organisation and its recorded supervision.
 */

const clock = fixedClock(TEST_TODAY);

type Role = 'anonymous' | 'sw' | 'tm' | 'hos' | 'director' | 'qa' | 'admin';
const ROLES: Role[] = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'];
type Expect = Record<Role, number | 'signIn'>;

/** A name that runs a formula in a spreadsheet that is not careful, with a comma and quotes. */
const FORMULA_NAME = '=HYPERLINK("http://evil.example/?x=1,2","Click")';
const FORMULA_ACTION = '+Call the school, then "@SUM(A1)"';

interface Ids {
  swPerson: string;
  tmTeam: string;
  teamInSameService: string;
  teamInOtherService: string;
  hosService: string;
  otherService: string;
  otherServiceWorker: string;
  formulaChild: string;
  /** A team of `otherService`. */
  teamOfOtherService: string;
}

function rowsOf(response: LightMyRequestResponse): string[][] {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.body.startsWith('\uFEFF')).toBe(true);
  return parseCsv(response.body.slice(1));
}

async function workbookOf(response: LightMyRequestResponse): Promise<ExcelJS.Worksheet> {
  expect(response.statusCode).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('no sheet');
  return sheet;
}

async function viewerOf(db: Db, email: string): Promise<Viewer> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'person_id', 'access'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const place =
    account.person_id === null ? null : ((await personPlace(db, account.person_id)) ?? null);
  const scope = scopeFor(account.access, place);
  return {
    accountId: account.id,
    email,
    name: place?.name ?? email,
    access: account.access,
    personId: account.person_id,
    role: place?.role ?? null,
    scope,
    levels: levelsFor(account.access, place, scope),
  };
}

/** The rows of a page's list, all of them, as the page's own query reads them. */
async function expectedList(
  db: Db,
  viewer: Viewer,
  filter: DueFilter,
  sort: SortField = 'status',
  dir: 'asc' | 'desc' = 'asc',
) {
  const { rows } = await listDue(db, viewer.scope, filter, {
    sort,
    direction: dir,
    offset: 0,
    limit: 1_000_000,
  });
  return rows;
}

/** Kind and id of each row on a page's HTML list, in order. */
function pageIds(html: string): string[] {
  return [...html.matchAll(/<span class="govuk-caption-s app-kind">([^<]+)<\/span>/g)].map((m) =>
    (m[1] ?? '').trim(),
  );
}

function pageTotal(html: string): number {
  const match = /of ([\d,]+) results?\./.exec(html);
  return match === null ? 0 : Number((match[1] ?? '').replace(/,/g, ''));
}

for (const kind of databaseKinds()) {
  describe(`list exports [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    let db: Db;
    const sessions = new Map<Role, Session>();
    let ids: Ids;

    beforeAll(async () => {
      database = await freshDatabase(kind);
      db = database.db;
      app = await demoApp(database, clock);
      await seedDemoSupervision(db, { today: TEST_TODAY, now: clock.now().toISOString() });
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
      const tmTeam = (
        await db
          .selectFrom('people')
          .select('team_id')
          .where('id', '=', tmPerson)
          .executeTakeFirstOrThrow()
      ).team_id;
      const hosService =
        (
          await db
            .selectFrom('people')
            .select('service_id')
            .where('id', '=', hosPerson)
            .executeTakeFirstOrThrow()
        ).service_id ?? '';
      const formulaChild = (
        await db
          .selectFrom('due_results')
          .select('subject_id')
          .where('subject_kind', '=', 'child')
          .where('period_start', '=', '')
          .where('worker_id', '=', swPerson)
          .orderBy('subject_id')
          .executeTakeFirstOrThrow()
      ).subject_id;
      await db
        .updateTable('children')
        .set({ name: FORMULA_NAME })
        .where('id', '=', formulaChild)
        .execute();
      // The social worker's open action from the demo's signed session: made overdue, and
      // described with a formula.
      await db
        .updateTable('supervision_actions')
        .set({ due_date: '2026-10-01', description: FORMULA_ACTION })
        .where('owner_id', '=', swPerson)
        .where('state', '=', 'open')
        .execute();
      ids = {
        swPerson,
        tmTeam: tmTeam ?? '',
        teamInSameService: (
          await db
            .selectFrom('teams')
            .select('id')
            .where('service_id', '=', hosService)
            .where('id', '!=', tmTeam ?? '')
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
        otherServiceWorker: (
          await db
            .selectFrom('subject_scope')
            .select('subject_id')
            .where('subject_kind', '=', 'worker')
            .where('service_id', '!=', hosService)
            .orderBy('subject_id')
            .executeTakeFirstOrThrow()
        ).subject_id,
        formulaChild,
        teamOfOtherService: '',
      };
      ids.teamOfOtherService = (
        await db
          .selectFrom('teams')
          .select('id')
          .where('service_id', '=', ids.otherService)
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
      sessions.set('anonymous', new Session(app));
      for (const role of ROLES.filter((r) => r !== 'anonymous'))
        sessions.set(role, await signedIn(app, `${role}@demo.example`));
    }, 180_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    const session = (role: Role) => {
      const s = sessions.get(role);
      if (s === undefined) throw new Error(role);
      return s;
    };

    const checked = new Set<string>();
    async function check(pattern: string, url: string, expected: Expect) {
      checked.add(pattern);
      for (const role of ROLES) {
        const response = await session(role).get(url);
        const got =
          response.statusCode === 302 && String(response.headers.location).startsWith('/sign-in')
            ? 'signIn'
            : response.statusCode;
        expect({ url, role, status: got }).toEqual({ url, role, status: expected[role] });
      }
    }

    it('every export route against every role: what its page allows, refuses or does not find', async () => {
      for (const ext of ['csv', 'xlsx']) {
        const team = `GET /teams/:id/due.${ext}`;
        const teams = { anonymous: 'signIn', sw: 403, director: 200, qa: 200, admin: 403 } as const;
        await check(team, `/teams/${ids.tmTeam}/due.${ext}`, { ...teams, tm: 200, hos: 200 });
        await check(team, `/teams/${ids.teamInSameService}/due.${ext}`, {
          ...teams,
          tm: 403,
          hos: 200,
        });
        await check(team, `/teams/${ids.teamInOtherService}/due.${ext}`, {
          ...teams,
          tm: 403,
          hos: 403,
        });
        await check(team, `/teams/no-such-team/due.${ext}`, {
          ...teams,
          tm: 404,
          hos: 404,
          director: 404,
          qa: 404,
        });

        const service = `GET /services/:id/due.${ext}`;
        const services = {
          anonymous: 'signIn',
          sw: 403,
          tm: 403,
          director: 200,
          qa: 200,
          admin: 403,
        } as const;
        await check(service, `/services/${ids.hosService}/due.${ext}`, { ...services, hos: 200 });
        await check(service, `/services/${ids.otherService}/due.${ext}`, {
          ...services,
          hos: 403,
        });

        await check(`GET /directorate/due.${ext}`, `/directorate/due.${ext}`, {
          anonymous: 'signIn',
          sw: 403,
          tm: 403,
          hos: 403,
          director: 200,
          qa: 200,
          admin: 403,
        });

        const caseload = `GET /workers/:id/caseload.${ext}`;
        const top = { anonymous: 'signIn', director: 200, qa: 200, admin: 403 } as const;
        await check(caseload, `/workers/${ids.swPerson}/caseload.${ext}`, {
          ...top,
          sw: 200,
          tm: 200,
          hos: 200,
        });
        await check(caseload, `/workers/${ids.otherServiceWorker}/caseload.${ext}`, {
          ...top,
          sw: 404,
          tm: 404,
          hos: 404,
        });
        await check(caseload, `/workers/NO-SUCH-WORKER/caseload.${ext}`, {
          ...top,
          sw: 404,
          tm: 404,
          hos: 404,
          director: 404,
          qa: 404,
        });

        await check(`GET /actions.${ext}`, `/actions.${ext}`, {
          anonymous: 'signIn',
          sw: 200,
          tm: 200,
          hos: 200,
          director: 200,
          qa: 200,
          admin: 403,
        });
        await check(`GET /actions/overdue.${ext}`, `/actions/overdue.${ext}`, {
          anonymous: 'signIn',
          sw: 403,
          tm: 200,
          hos: 200,
          director: 200,
          qa: 200,
          admin: 403,
        });
      }
      // A worker outside one's place and a made-up id are the same page.
      const real = await session('sw').get(`/workers/${ids.otherServiceWorker}/caseload.csv`);
      const made = await session('sw').get('/workers/NO-SUCH-WORKER/caseload.csv');
      const normal = (html: string) =>
        html.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]+"/g, '');
      expect(normal(real.body)).toBe(normal(made.body));
      expect(real.headers['content-disposition']).toBeUndefined();
      // Every route of this feature was checked above, and the matrix lists each of them (the
      // audit trail's own CSV is the audit feature's, tested in test/audit.test.ts).
      const mine = exportsRoutes({ db, clock, config: loadConfig({}) })
        .map((r) => `${r.method} ${r.url}`)
        .sort();
      expect(mine).toEqual([...covered].sort());
      expect([...checked].sort()).toEqual([...covered].sort());
    }, 120_000);

    it('a CSV download: UTF-8 with a byte-order mark, CRLF lines, an attachment never cached', async () => {
      const response = await session('tm').get(`/teams/${ids.tmTeam}/due.csv`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      const teamName = (
        await db
          .selectFrom('teams')
          .select('name')
          .where('id', '=', ids.tmTeam)
          .executeTakeFirstOrThrow()
      ).name;
      const slug = (teamName ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="supervision-due-${slug}-${TEST_TODAY}.csv"`,
      );
      expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const [header] = response.body.slice(1).split('\r\n');
      expect(header).toBe(
        "Subject,ID,Name,Requirement,Status,Due,Overdue after,Days overdue,Last supervision,Reason,Worker,Team,Service,Involvements,Manager's override",
      );
      expect(response.body.replace(/\r\n/g, '')).not.toContain('\n');
      const xlsx = await session('tm').get(`/teams/${ids.tmTeam}/due.xlsx`);
      expect(xlsx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(xlsx.headers['cache-control']).toBe('no-store');
      expect(xlsx.headers['content-disposition']).toBe(
        `attachment; filename="supervision-due-${slug}-${TEST_TODAY}.xlsx"`,
      );
    });

    it('each due list is the page’s list, every page of it, in its order, for each role', async () => {
      const cases: {
        role: Role;
        page: string;
        filter: DueFilter;
      }[] = [
        { role: 'tm', page: `/teams/${ids.tmTeam}`, filter: { teamId: ids.tmTeam } },
        {
          role: 'hos',
          page: `/teams/${ids.teamInSameService}?kind=child&sort=name&dir=desc`,
          filter: { teamId: ids.teamInSameService, subjectKind: 'child' },
        },
        {
          role: 'hos',
          page: `/services/${ids.hosService}?status=overdue&sort=worker`,
          filter: { serviceId: ids.hosService, status: 'overdue' },
        },
        {
          role: 'director',
          page: `/services/${ids.otherService}?team=${ids.teamOfOtherService}&sort=due&dir=desc`,
          filter: { serviceId: ids.otherService, teamId: ids.teamOfOtherService },
        },
        { role: 'director', page: '/directorate', filter: {} },
        { role: 'director', page: '/directorate?sort=worker&dir=desc', filter: {} },
        {
          role: 'director',
          page: '/directorate?sort=status&dir=desc&kind=worker',
          filter: { subjectKind: 'worker' },
        },
        { role: 'tm', page: `/teams/${ids.tmTeam}?sort=due`, filter: { teamId: ids.tmTeam } },
        {
          role: 'qa',
          page: '/directorate?involvement=cp&sort=name',
          filter: { involvement: 'cp' },
        },
      ];
      for (const c of cases) {
        const viewer = await viewerOf(db, `${c.role}@demo.example`);
        const [path, search = ''] = c.page.split('?');
        const query = listQuerySchema.parse(Object.fromEntries(new URLSearchParams(search)));
        const expected = await expectedList(db, viewer, c.filter, query.sort, query.dir);
        expect(expected.length, c.page).toBeGreaterThan(0);
        const csv = rowsOf(
          await session(c.role).get(`${path ?? ''}/due.csv${search === '' ? '' : `?${search}`}`),
        );
        const [, ...rows] = csv;
        expect(
          rows.map((r) => [r[0], r[1]]),
          c.page,
        ).toEqual(
          expected.map((r) => [
            { child: 'Child', worker: 'Worker', fosterCarer: 'Foster carer', team: 'Team' }[
              r.subjectKind
            ],
            r.subjectId,
          ]),
        );
        expect(rows.map((r) => [r[5], r[6]])).toEqual(
          expected.map((r) => [r.effectiveDue, r.effectiveLatest]),
        );
        // The page's first page is the file's first fifty rows, and its total the file's rows.
        const html = (await session(c.role).get(c.page)).body;
        expect(pageTotal(html), c.page).toBe(rows.length);
        expect(pageIds(html)).toEqual(rows.slice(0, 50).map((r) => `${r[0] ?? ''} ${r[1] ?? ''}`));
        // The Excel file holds the same rows.
        const sheet = await workbookOf(
          await session(c.role).get(`${path ?? ''}/due.xlsx${search === '' ? '' : `?${search}`}`),
        );
        expect(sheet.actualRowCount).toBe(rows.length + 1);
        const ids2: string[] = [];
        sheet.eachRow((row, n) => {
          if (n > 1) ids2.push(row.getCell(2).text);
        });
        expect(ids2).toEqual(rows.map((r) => r[1]));
      }
    }, 120_000);

    it('the cells: words, dates, days overdue, the service and involvements of each row', async () => {
      const viewer = await viewerOf(db, 'director@demo.example');
      const rows = rowsOf(await session('director').get('/directorate/due.csv?status=overdue'));
      const expected = await expectedList(db, viewer, { status: 'overdue' });
      const services = new Map(
        (await db.selectFrom('services').select(['id', 'name']).execute()).map((s) => [
          s.id,
          s.name,
        ]),
      );
      const scope = new Map(
        (
          await db
            .selectFrom('due_results')
            .select(['subject_kind', 'subject_id', 'requirement', 'service_id', 'involvements'])
            .where('period_start', '=', '')
            .where('effective_status', '=', 'overdue')
            .execute()
        ).map((r) => [`${r.subject_kind}/${r.subject_id}/${r.requirement}`, r]),
      );
      expect(rows.length - 1).toBe(expected.length);
      for (const [i, row] of expected.entries()) {
        const cells = rows[i + 1] ?? [];
        const place = scope.get(`${row.subjectKind}/${row.subjectId}/${row.requirement}`);
        expect(cells[4]).toBe('Overdue');
        const days = Math.round(
          (Date.parse(`${TEST_TODAY}T00:00:00Z`) - Date.parse(`${row.effectiveLatest}T00:00:00Z`)) /
            86_400_000,
        );
        expect(cells[7]).toBe(String(days));
        expect(Number(cells[7])).toBeGreaterThan(0);
        expect(cells[8]).toBe(row.lastEvent ?? '');
        expect(cells[9]).toBe(defuse(row.reason));
        expect(cells[11]).toBe(row.teamName ?? '');
        expect(cells[12]).toBe(services.get(place?.service_id ?? '') ?? '');
        if (row.subjectKind === 'worker') expect(cells[10]).toBe('');
        const involvements = (place?.involvements ?? '').split(',').filter((x) => x !== '');
        expect(cells[13]?.split('; ').filter((x) => x !== '').length ?? 0).toBe(
          involvements.length,
        );
      }
      const child = expected.findIndex((r) => r.subjectKind === 'child');
      expect(rows[child + 1]?.[13]).not.toBe('');
      expect(rows[child + 1]?.[3]).toBe('Case supervision');
    });

    it('a worker’s caseload: all the children allocated to them, not just the page’s first 500', async () => {
      const viewer = await viewerOf(db, 'tm@demo.example');
      const expected = await expectedList(db, viewer, {
        workerId: ids.swPerson,
        subjectKind: 'child',
      });
      const rows = rowsOf(await session('tm').get(`/workers/${ids.swPerson}/caseload.csv`));
      expect(rows.slice(1).map((r) => r[1])).toEqual(expected.map((r) => r.subjectId));
      expect(rows.slice(1).every((r) => r[0] === 'Child')).toBe(true);
      const mine = rowsOf(await session('sw').get(`/workers/${ids.swPerson}/caseload.csv`));
      expect(mine).toEqual(rows);
    });

    it('a formula in a child’s name or an action is defused in CSV, and plain text in Excel', async () => {
      const response = await session('sw').get(`/workers/${ids.swPerson}/caseload.csv`);
      // The raw file: a leading apostrophe, and the quotes and comma quoted as RFC 4180 says.
      expect(response.body).toContain(`"'=HYPERLINK(""http://evil.example/?x=1,2"",""Click"")"`);
      const rows = rowsOf(response);
      const row = rows.find((r) => r[1] === ids.formulaChild);
      expect(row?.[2]).toBe(`'${FORMULA_NAME}`);
      expect(rows.flat().some((cell) => /^[=+\-@\t\r]/.test(cell))).toBe(false);

      const sheet = await workbookOf(
        await session('sw').get(`/workers/${ids.swPerson}/caseload.xlsx`),
      );
      let found = false;
      sheet.eachRow((r) => {
        if (r.getCell(2).value === ids.formulaChild) {
          found = true;
          const cell = r.getCell(3);
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(cell.value).toBe(FORMULA_NAME);
          expect(cell.formula).toBeUndefined();
        }
      });
      expect(found).toBe(true);

      const actions = rowsOf(await session('sw').get('/actions.csv'));
      const action = actions.find((r) => r[1]?.includes('Call the school'));
      expect(action?.[1]).toBe(`'${FORMULA_ACTION}`);
      expect(actions.flat().some((cell) => /^[=+\-@\t\r]/.test(cell))).toBe(false);
    });

    it('the Excel file: a bold, frozen, filtered header, column widths, dates as dates, numbers as numbers', async () => {
      const csv = rowsOf(await session('director').get('/directorate/due.csv?kind=child'));
      const sheet = await workbookOf(
        await session('director').get('/directorate/due.xlsx?kind=child'),
      );
      expect(sheet.name).toBe('Supervision due');
      expect(sheet.actualRowCount).toBe(csv.length);
      const header = sheet.getRow(1);
      expect(header.values).toEqual([undefined, ...(csv[0] ?? [])]);
      expect(header.getCell(1).font.bold).toBe(true);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.getColumn(10).width).toBe(60);
      for (const n of [2, 3, Math.floor(csv.length / 2), csv.length]) {
        const row = sheet.getRow(n);
        const text = csv[n - 1] ?? [];
        const due = row.getCell(6);
        expect(due.value).toBeInstanceOf(Date);
        expect((due.value as Date).toISOString().slice(0, 10)).toBe(text[5]);
        expect(due.numFmt).toBe('d mmm yyyy');
        expect((row.getCell(7).value as Date).toISOString().slice(0, 10)).toBe(text[6]);
        const days = row.getCell(8).value;
        expect(row.getCell(8).text).toBe(text[7]);
        if (days !== null) expect(typeof days).toBe('number');
        expect(row.getCell(10).value).toBe(text[9]);
      }
    });

    it('my actions and the overdue list: the pages’ rows, as the pages name them', async () => {
      const actions = new ActionsService(db, clock);
      for (const role of ['sw', 'tm'] as const) {
        const viewer = await viewerOf(db, `${role}@demo.example`);
        const mine = await actions.mine(viewer);
        const rows = rowsOf(await session(role).get('/actions.csv'));
        expect(rows[0]).toEqual([
          'List',
          'Action',
          'Child',
          'Owner',
          "Owner's team",
          'Agreed at',
          'Agreed on',
          'Due',
          'Days overdue',
          'Times carried forward',
          'Drifting',
          'Marked done on',
        ]);
        const expected = [...mine.open, ...mine.markedDone, ...mine.agreed];
        expect(expected.length).toBeGreaterThan(0);
        expect(rows.slice(1).map((r) => r[1])).toEqual(
          expected.map((e) => defuse(e.action.description)),
        );
      }
      const sw = rowsOf(await session('sw').get('/actions.csv'));
      const overdueMine = sw.find((r) => r[1]?.includes('Call the school'));
      expect(overdueMine?.[0]).toBe('Mine, open');
      expect(overdueMine?.[7]).toBe('2026-10-01');
      expect(overdueMine?.[8]).toBe('54');

      for (const role of ['tm', 'hos', 'director'] as const) {
        const viewer = await viewerOf(db, `${role}@demo.example`);
        const { rows: expected } = await listAttentionActions(
          db,
          viewer.scope,
          { today: TEST_TODAY },
          { sort: 'worker', direction: 'desc', offset: 0, limit: 100_000 },
        );
        const rows = rowsOf(await session(role).get('/actions/overdue.csv?sort=worker&dir=desc'));
        expect(rows[0]?.[0]).toBe('Action');
        expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((a) => defuse(a.description)));
        expect(rows.slice(1).map((r) => r[3])).toEqual(expected.map((a) => a.ownerTeamName ?? ''));
        expect(rows.some((r) => r[0]?.includes('Call the school'))).toBe(true);
        const sheet = await workbookOf(await session(role).get('/actions/overdue.xlsx'));
        expect(sheet.actualRowCount).toBe(rows.length);
      }
    });

    it('nothing from inside a supervision record: no personal section, no case discussion', async () => {
      const personal = await db
        .selectFrom('session_personal')
        .select(['absence', 'wellbeing', 'learning'])
        .execute();
      const discussions = await db
        .selectFrom('case_discussions')
        .select(['changes', 'working_well', 'worries', 'strengths', 'child_voice', 'decision'])
        .select(['rationale', 'since_last'])
        .execute();
      const secrets = [...personal, ...discussions]
        .flatMap((r): (string | null)[] => Object.values(r))
        .filter((text): text is string => text !== null && text.length >= 12)
        // A fragment of each, so that quoting or defusing cannot hide it.
        .map((text) => text.slice(0, 24));
      expect(secrets.length).toBeGreaterThan(3);
      const urls = [
        '/actions.csv',
        '/actions/overdue.csv',
        `/workers/${ids.swPerson}/caseload.csv`,
        `/teams/${ids.tmTeam}/due.csv`,
        '/directorate/due.csv',
      ];
      for (const role of ['sw', 'tm', 'director'] as const)
        for (const url of urls) {
          const response = await session(role).get(url);
          if (response.statusCode !== 200) continue;
          for (const secret of secrets)
            expect(response.body, `${role} ${url}`).not.toContain(secret);
        }
    });

    it('the pages link to their list’s files with the page’s query, and the files hold what the page counts', async () => {
      const html = (
        await session('hos').get(`/services/${ids.hosService}?status=overdue&sort=name&dir=desc`)
      ).body;
      const links = [...html.matchAll(/href="([^"]+\/due\.(?:csv|xlsx)[^"]*)"/g)].map((m) =>
        (m[1] ?? '').replace(/&amp;/g, '&'),
      );
      expect(links).toEqual([
        `/services/${ids.hosService}/due.csv?status=overdue&sort=name&dir=desc`,
        `/services/${ids.hosService}/due.xlsx?status=overdue&sort=name&dir=desc`,
      ]);
      const rows = rowsOf(await session('hos').get(links[0] ?? ''));
      expect(rows.length - 1).toBe(pageTotal(html));
      expect(html).toMatch(/Download this list \([\d,]+ results?, every page\)/);
      for (const page of [`/teams/${ids.tmTeam}`, '/directorate']) {
        const body = (await session('director').get(page)).body;
        expect(body).toContain(`href="${page}/due.csv?sort=status&amp;dir=asc"`);
        expect(body).toContain(`href="${page}/due.xlsx?sort=status&amp;dir=asc"`);
      }
      // A list with nothing in it offers nothing to download.
      const empty = (await session('tm').get(`/teams/${ids.tmTeam}?worker=nobody`)).body;
      expect(empty).not.toContain('/due.csv');
    });

    it('reads in batches: every row once, in order, across the batches’ edges', async () => {
      const viewer = await viewerOf(db, 'qa@demo.example');
      const expected = await expectedList(db, viewer, {}, 'name', 'desc');
      expect(expected.length).toBeGreaterThan(1000);
      const query = listQuerySchema.parse({ sort: 'name', dir: 'desc' });
      const small = new ExportsService(db, clock, 97);
      const text: string[] = [];
      for await (const chunk of csvChunks(dueTable(await small.directorate(viewer, query))))
        text.push(chunk);
      // One piece per batch after the header.
      expect(text.length).toBe(1 + Math.ceil(expected.length / 97));
      const rows = parseCsv(text.join('').slice(1));
      expect(rows.slice(1).map((r) => `${r[1] ?? ''}/${r[3] ?? ''}`)).toEqual(
        expected.map(
          (r) =>
            `${r.subjectId}/${
              {
                'case-supervision': 'Case supervision',
                'professional-supervision': 'Supervision',
                'group-supervision': 'Group supervision',
                'foster-carer-supervision': 'Foster carer supervision',
              }[r.requirement] ?? r.requirement
            }`,
        ),
      );
    });
  });
}

describe('streaming', () => {
  /** A table of `batches` batches of 1,000 rows, counting how many have been read. */
  function counted(batches: number) {
    const state = { read: 0 };
    const table: Table = {
      columns: [
        { header: 'ID', type: 'text', width: 10 },
        { header: 'Name', type: 'text', width: 30 },
        { header: 'Due', type: 'date', width: 12 },
        { header: 'Days', type: 'number', width: 8 },
      ],
      batches: (async function* () {
        for (let b = 0; b < batches; b++) {
          state.read++;
          // As a database answers: on a later turn of the event loop.
          await new Promise((resolve) => setImmediate(resolve));
          yield Array.from({ length: 1000 }, (_, i) => [
            `C${String(b * 1000 + i)}`,
            `A made-up child with a longer name ${String(i)}`,
            '2026-11-24',
            i,
          ]);
        }
      })(),
    };
    return { table, state };
  }

  it('Excel: a reader that stops reading stops the rows being read, and nothing piles up', async () => {
    const { table, state } = counted(40);
    const stream = xlsxStream(table, { sheet: 'Test' });
    // Nobody reads: the writer stops once the compressed workbook fills the stream's buffer
    // and what waits to be compressed reaches its limit (about ten batches here), rather than read all 40.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = state.read;
    expect(stopped).toBeLessThan(20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(state.read).toBe(stopped);
    // Reading it all gives the whole workbook.
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(state.read).toBe(40);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]?.actualRowCount).toBe(40_001);
  }, 60_000);

  it('a failure part way cuts the file short, never ending it as if it were whole', async () => {
    const failing = (): Table => ({
      columns: [{ header: 'ID', type: 'text', width: 10 }],
      batches: (async function* () {
        yield [['C1'], ['C2']];
        await new Promise((resolve) => setImmediate(resolve));
        throw Object.assign(new Error('select … where name = "a child\'s name"'), { code: 'X1' });
      })(),
    });
    const seen: unknown[] = [];
    const stream = xlsxStream(failing(), { sheet: 'Test', onError: (e) => seen.push(e) });
    await expect(
      (async () => {
        for await (const chunk of stream) expect(chunk).toBeTruthy();
      })(),
    ).rejects.toThrow('the list could not be written');
    expect(seen).toHaveLength(1);
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const piece of csvChunks(failing())) pieces.push(piece);
      })(),
    ).rejects.toThrow();
    expect(pieces).toEqual(['\uFEFFID\r\n', 'C1\r\nC2\r\n']);
  });

  it('CSV: pieces are made only as they are read', async () => {
    const { table, state } = counted(50);
    const chunks = csvChunks(table);
    await chunks.next();
    await chunks.next();
    expect(state.read).toBe(1);
    let rest = 0;
    for await (const chunk of chunks) rest += chunk.length;
    expect(rest).toBeGreaterThan(0);
    expect(state.read).toBe(50);
  });
});

describe('the download links in a browser, with axe', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (server as TestServer | undefined)?.close();
  });

  async function as(email: string, width: number, body: (j: Journey) => Promise<void>) {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      acceptDownloads: true,
    });
    context.setDefaultTimeout(15_000);
    try {
      const page: Page = await context.newPage();
      const j = new Journey(
        page,
        `exports-${email.split('@')[0] ?? ''}-${String(width)}`,
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

  async function download(j: Journey, name: RegExp): Promise<Buffer> {
    const [file] = await Promise.all([
      j.page.waitForEvent('download'),
      j.page.getByRole('link', { name }).click(),
    ]);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  for (const width of [1280, 390]) {
    it(`a director downloads the directorate's overdue children, at ${String(width)} pixels`, async () => {
      await as('director@demo.example', width, async (j) => {
        await j.visit('/directorate?status=overdue&kind=child');
        const page = await j.on(DirectoratePage, 'directorate-overdue');
        expect(await page.sidewaysOverflow()).toBe(0);
        const total = pageTotal(await j.page.content());
        const csv = await download(j, /^CSV/);
        const rows = parseCsv(csv.toString('utf8').slice(1));
        expect(rows.length - 1).toBe(total);
        expect(rows.slice(1).every((r) => r[4] === 'Overdue' && r[0] === 'Child')).toBe(true);
        const xlsx = await download(j, /^Excel/);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
        expect(workbook.worksheets[0]?.actualRowCount).toBe(total + 1);
      });
    });
  }

  it('a head of service and a team manager see the links on their pages', async () => {
    const place = async (email: string) =>
      server.db
        .selectFrom('accounts')
        .innerJoin('people', 'people.id', 'accounts.person_id')
        .select(['people.team_id', 'people.service_id'])
        .where('accounts.email', '=', email)
        .executeTakeFirstOrThrow();
    const hos = await place('hos@demo.example');
    const tm = await place('tm@demo.example');
    await as('hos@demo.example', 1280, async (j) => {
      await j.visit(`/services/${hos.service_id ?? ''}`);
      await j.on(ServicePage, 'service');
      expect(await j.page.getByRole('link', { name: /^CSV/ }).count()).toBe(1);
    });
    await as('tm@demo.example', 390, async (j) => {
      await j.visit(`/teams/${tm.team_id ?? ''}?status=overdue`);
      const team = await j.on(TeamPage, 'team');
      expect(await team.sidewaysOverflow()).toBe(0);
      expect((await download(j, /^Excel/)).length).toBeGreaterThan(0);
      const rows = parseCsv((await download(j, /^CSV/)).toString('utf8').slice(1));
      expect(rows.length - 1).toBe(pageTotal(await j.page.content()));
    });
  });
});
