import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { readChildren, readPeople } from '../src/db/organisation.repository.js';
import { parseIsoDate } from '../src/domain/dates/index.js';
import { EMPTY_SNAPSHOT } from '../src/domain/organisation/snapshot.js';
import { toExtract } from '../src/domain/organisation/to-extract.js';
import { computeSchedule } from '../src/domain/scheduling/engine.js';
import { toReport, type Report } from '../src/domain/scheduling/report.js';
import type { DueJson, DueResultJson, EventJson } from '../src/features/api/api.presenter.js';
import { apiRoutes } from '../src/features/api/api.routes.js';
import { RATE_LIMIT, RateLimiter } from '../src/features/api/rate-limit.js';
import { loadDueContext } from '../src/services/due.service.js';
import { launchChromium } from './e2e/support/browser.js';
import { Journey, shownFromIso } from './e2e/support/journey.js';
import { BasePage } from './e2e/support/pages/base.page.js';
import { startServer, type TestServer } from './e2e/support/server.js';
import { covered } from './matrix/api.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';
import { OpenApiCheck } from './support/openapi-check.js';

/**
 * The JSON API for the case management system, tested through its own OpenAPI document: every
 * answer the tests receive is checked against the document's schemas, statuses and headers,
 * and every operation and every response the document describes is exercised. Tokens are
 * created and revoked through the administration pages, over HTTP; due dates read and posted
 * are compared with the engine's on the same records; every call is found in the record of
 * calls. On SQLite and PostgreSQL; the administration pages also in Chromium with axe.
 */

const ROLES = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
type Role = (typeof ROLES)[number];

interface Reply<T = unknown> {
  status: number;
  headers: LightMyRequestResponse['headers'];
  json: T;
}

interface ErrorJson {
  error: {
    code: string;
    message: string;
    details?: { in: string; field: string; message: string }[];
    existing?: EventJson;
  };
}

interface EventResultJson {
  event: EventJson;
  due: DueJson;
}

/** A call as the record of calls should have it. */
interface MadeCall {
  requestId: string;
  method: string;
  route: string;
  status: number;
  errorCode: string | null;
  subject: string | null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The §7 part of a result: what the engine gives, without the override's dates. */
function specPart(r: DueResultJson): Record<string, unknown> {
  const {
    effectiveStatus: _status,
    effectiveDue: _due,
    effectiveLatest: _latest,
    overrideId: _override,
    ...spec
  } = r;
  return spec;
}

/** The engine run on the subject's records as the database holds them now. */
async function engine(db: Db, kind: 'child' | 'worker', id: string, asOf: string): Promise<Report> {
  const ctx = await loadDueContext(db, asOf);
  if (ctx === null) throw new Error('no policy in force');
  const snapshot =
    kind === 'child'
      ? { ...EMPTY_SNAPSHOT, children: await readChildren(db, [id]) }
      : { ...EMPTY_SNAPSHOT, people: await readPeople(db, [id]) };
  return toReport(computeSchedule(ctx.policy, toExtract(snapshot), parseIsoDate(asOf)));
}

describeEachDatabase('the API', (use) => {
  let app: FastifyInstance;
  let db: Db;
  let admin: Session;
  let check: OpenApiCheck;
  /** `METHOD /path/{template} status` of every answer checked against the document. */
  const exercised = new Set<string>();
  const made: MadeCall[] = [];
  const ids = {
    sw: '',
    tm: '',
    tmTeam: '',
    swChild: '',
    overrideChild: '',
    otherChild: '',
  };
  /** Tokens by what they may do. */
  const tokens = { both: '', due: '', events: '' };

  beforeAll(async () => {
    db = use().db;
    app = await demoApp(use(), fixedClock(TEST_TODAY));
    admin = await signedIn(app, 'admin@demo.example');
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
    ids.tmTeam =
      (
        await db
          .selectFrom('people')
          .select('team_id')
          .where('id', '=', ids.tm)
          .executeTakeFirstOrThrow()
      ).team_id ?? '';
    const children = (
      await db
        .selectFrom('due_results')
        .select(['subject_id', 'worker_id'])
        .where('subject_kind', '=', 'child')
        .where('requirement', '=', 'case-supervision')
        .where('period_start', '=', '')
        .where('team_id', '=', ids.tmTeam)
        .orderBy('subject_id')
        .execute()
    ).map((r) => ({ id: r.subject_id, worker: r.worker_id }));
    ids.swChild = children.find((c) => c.worker === ids.sw)?.id ?? '';
    ids.overrideChild = children.find((c) => c.worker !== ids.sw)?.id ?? '';
    ids.otherChild = children.filter((c) => c.worker === ids.sw)[1]?.id ?? '';
    expect(Object.values(ids).every((v) => v !== '')).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  /** A call to the API, its answer checked against the document and noted. */
  async function call<T = unknown>(
    method: 'GET' | 'POST',
    url: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const token = options.token ?? null;
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.headers ?? {}),
      },
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    });
    const answer = check.checkAnswer({
      method,
      url,
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
    });
    expect(answer.problems, `${method} ${url} answered ${String(response.statusCode)}`).toEqual([]);
    exercised.add(`${method} ${answer.path} ${String(response.statusCode)}`);
    const json = JSON.parse(response.body) as T;
    if (answer.path !== '/openapi.json') {
      const subject = /^\/(children|workers|teams)\/([^/]+)\//.exec(
        answer.path.replace('{id}', 'x'),
      );
      const kinds: Record<string, string> = { children: 'child', workers: 'worker', teams: 'team' };
      const id = check.find(method, url).params.id ?? '';
      const error = (json as Partial<ErrorJson>).error;
      made.push({
        requestId: String(response.headers['x-request-id']),
        method,
        route: `/api/v1${answer.path.replace('{id}', ':id')}`,
        status: response.statusCode,
        errorCode: error?.code ?? null,
        // Whatever the answer, as long as the id could be read.
        subject: subject === null || id === '' ? null : `${kinds[subject[1] ?? ''] ?? ''} ${id}`,
      });
    }
    return { status: response.statusCode, headers: response.headers, json };
  }

  /** Posts a form whose checkboxes send one name several times. */
  async function postForm(session: Session, url: string, pairs: [string, string][]) {
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: session.cookieHeader,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams([...pairs, ['_csrf', session.csrf]]).toString(),
    });
  }

  /** Creates an integration in the administration pages; its token and page. */
  async function createToken(name: string, scopes: string[]) {
    await admin.get('/admin/integrations/new');
    const created = await postForm(admin, '/admin/integrations', [
      ['name', name],
      ...scopes.map((s): [string, string] => ['scopes', s]),
    ]);
    expect(created.statusCode).toBe(200);
    const token = /value="(ovs_[A-Za-z0-9_-]{43})"/.exec(created.body)?.[1];
    const href = /href="(\/admin\/integrations\/[0-9a-f-]{36})"/.exec(created.body)?.[1];
    if (token === undefined || href === undefined) throw new Error('no token on the page');
    return { token, href, id: href.split('/').at(-1) ?? '', page: created };
  }

  function childDue(id: string) {
    return `/api/v1/children/${encodeURIComponent(id)}/due`;
  }

  it('serves its OpenAPI 3.1 description to anyone, and the description holds together', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = JSON.parse(response.body) as Record<string, unknown>;
    expect(document.openapi).toBe('3.1.0');
    check = new OpenApiCheck(document);
    expect(check.basePath).toBe('/api/v1');
    expect(check.checkDocument()).toEqual([]);
    // Checked through itself, as every other answer is.
    await call('GET', '/api/v1/openapi.json');
    // The document describes exactly the API's routes.
    const table = apiRoutes({
      db,
      clock: fixedClock(TEST_TODAY),
      config: loadConfig({ NODE_ENV: 'test' }),
    })
      .filter((r) => r.url.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.url.replace('/api/v1', '').replace(/:([a-zA-Z]+)/g, '{$1}')}`)
      .sort();
    expect(
      check
        .operations()
        .map((o) => `${o.method} ${o.path}`)
        .sort(),
    ).toEqual(table);
    // Every operation but the description itself needs the bearer token, with its scope.
    for (const op of check.operations().filter((o) => o.path !== '/openapi.json'))
      expect(op.operation.security).toEqual([
        { bearer: [op.method === 'GET' ? 'due:read' : 'events:write'] },
      ]);
    // The checker itself refuses what breaks a schema.
    const due = { $ref: '#/components/schemas/Due' };
    expect(
      check.validate(due, { asOf: '2026-02-30', policy: 1, results: [], extra: true }),
    ).toEqual([
      '$: warnings is required',
      '$.asOf: "2026-02-30" is not a date (YYYY-MM-DD)',
      '$.policy: expected string or null, got number',
      '$: extra is not a property the document allows',
    ]);
  });

  it('creates integration tokens in the administration pages: shown once, kept only as a hash', async () => {
    const empty = await admin.get('/admin/integrations');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('There are no integrations yet.');

    await admin.get('/admin/integrations/new');
    const refused = await postForm(admin, '/admin/integrations', [['name', '']]);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Error: Create an integration token');
    expect(refused.body).toContain('Enter the name of the integration');
    expect(refused.body).toContain('href="#scopes"');
    expect(refused.body).toContain('Select what the integration may do');
    const tooLong = await postForm(admin, '/admin/integrations', [
      ['name', 'x'.repeat(101)],
      ['scopes', 'due:read'],
      ['scopes', 'everything:write'],
    ]);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('The name must be 100 characters or fewer');
    expect(tooLong.body).toContain('Select what the integration may do');
    // Without the form's token, nothing is created.
    const forged = await admin.post(
      '/admin/integrations',
      { name: 'Forged', scopes: 'due:read' },
      { csrf: null },
    );
    expect(forged.statusCode).toBe(403);

    const both = await createToken('Mosaic supervision feed', ['due:read', 'events:write']);
    expect(both.page.headers['cache-control']).toBe('no-store');
    expect(both.page.body).toContain('It is shown only this once');
    tokens.both = both.token;
    tokens.due = (await createToken('Performance dashboard', ['due:read'])).token;
    tokens.events = (await createToken('Group supervision register', ['events:write'])).token;

    const rows = await db.selectFrom('api_tokens').selectAll().orderBy('name').execute();
    expect(rows.map((r) => [r.name, r.scopes])).toEqual([
      ['Group supervision register', 'events:write'],
      ['Mosaic supervision feed', 'due:read events:write'],
      ['Performance dashboard', 'due:read'],
    ]);
    const row = rows.find((r) => r.name === 'Mosaic supervision feed');
    expect(row?.token_hash).toBe(sha256(both.token));
    expect(row?.prefix).toBe(both.token.slice(0, 10));
    // The token itself is nowhere in the database.
    expect(JSON.stringify(rows)).not.toContain(both.token.slice(10));

    // The same name again, while the first is in use, is refused.
    await admin.get('/admin/integrations/new');
    const again = await postForm(admin, '/admin/integrations', [
      ['name', 'mosaic SUPERVISION feed'],
      ['scopes', 'due:read'],
    ]);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('There is already an integration with this name');
    // What was ticked stays ticked.
    expect(again.body).toMatch(/value="due:read" checked/);

    const list = await admin.get('/admin/integrations');
    expect(list.body).toContain('3 integrations');
    expect(list.body).toContain(`${both.token.slice(0, 10)}…`);
    expect(list.body).toContain('Never');
    const page = await admin.get(both.href);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No calls have been made with this token.');
    expect(page.body).toContain('admin@demo.example');
    expect(page.body).not.toContain(both.token);
  });

  it('refuses a call without a token, or with one it does not know (401, WWW-Authenticate)', async () => {
    const none = await call<ErrorJson>('GET', childDue(ids.swChild));
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('missing_token');
    expect(none.json.error.message).toContain('Authorization header');
    expect(none.headers['www-authenticate']).toBe('Bearer realm="Oversight API"');

    for (const authorization of [
      'Bearer ovs_not-a-token-anyone-was-given',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer',
    ]) {
      const refused = await call<ErrorJson>('GET', childDue(ids.swChild), {
        headers: { authorization },
      });
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe('invalid_token');
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer realm="Oversight API", error="invalid_token"',
      );
    }
    // The cookie of a signed-in administrator opens no API call, nor does a posted form's token.
    const withCookie = await app.inject({
      method: 'POST',
      url: `/api/v1/children/${ids.swChild}/events`,
      headers: { cookie: admin.cookieHeader, 'content-type': 'application/json' },
      payload: JSON.stringify({ kind: 'case-supervision', date: TEST_TODAY, _csrf: admin.csrf }),
    });
    expect(withCookie.statusCode).toBe(401);
    made.push({
      requestId: String(withCookie.headers['x-request-id']),
      method: 'POST',
      route: '/api/v1/children/:id/events',
      status: 401,
      errorCode: 'missing_token',
      subject: `child ${ids.swChild}`,
    });
  });

  it('refuses a call outside the token’s scopes (403 insufficient_scope)', async () => {
    const post = await call<ErrorJson>('POST', `/api/v1/children/${ids.swChild}/events`, {
      token: tokens.due,
      body: { kind: 'case-supervision', date: TEST_TODAY },
    });
    expect(post.status).toBe(403);
    expect(post.json.error.code).toBe('insufficient_scope');
    expect(post.json.error.message).toBe(
      'This token may not post events: that needs the scope events:write (“Post supervision and oversight events”), which an administrator gives when creating a token.',
    );
    expect(post.headers['www-authenticate']).toBe(
      'Bearer realm="Oversight API", error="insufficient_scope", scope="events:write"',
    );
    const read = await call<ErrorJson>('GET', childDue(ids.swChild), { token: tokens.events });
    expect(read.status).toBe(403);
    expect(read.json.error.message).toContain('This token may not read due dates');
    expect(read.headers['www-authenticate']).toContain('scope="due:read"');
    for (const url of [`/api/v1/workers/${ids.sw}/due`, `/api/v1/teams/${ids.tmTeam}/due`])
      expect((await call('GET', url, { token: tokens.events })).status).toBe(403);
    const worker = await call('POST', `/api/v1/workers/${ids.sw}/events`, {
      token: tokens.due,
      body: { kind: 'individual', date: TEST_TODAY },
    });
    expect(worker.status).toBe(403);
    // Nothing was written by the refused posts.
    const events = await db
      .selectFrom('events')
      .select('id')
      .where('record_kind', '=', 'api')
      .execute();
    expect(events).toEqual([]);
  });

  it('reads a child’s due dates as stored: the engine’s results in the spec’s shape, with an override’s dates beside them', async () => {
    // A manager tightens one child's case supervision in the service.
    const tm = await signedIn(app, 'tm@demo.example');
    await tm.get(`/children/${ids.overrideChild}`);
    const set = await tm.post(`/children/${ids.overrideChild}/override`, {
      everyCount: '2',
      everyUnit: 'weeks',
      untilDay: '31',
      untilMonth: '1',
      untilYear: '2027',
      reason: 'Risk has increased',
    });
    expect(set.statusCode).toBe(303);

    for (const child of [ids.swChild, ids.overrideChild]) {
      const due = await call<DueJson>('GET', childDue(child), { token: tokens.both });
      expect(due.status).toBe(200);
      expect(due.headers['cache-control']).toBe('no-store');
      const report = await engine(db, 'child', child, TEST_TODAY);
      expect(due.json.asOf).toBe(TEST_TODAY);
      expect(due.json.policy).toBe(report.policy);
      expect(due.json.results.length).toBeGreaterThan(0);
      expect(due.json.results.map(specPart)).toEqual(report.results);
      expect(due.json.warnings).toEqual(report.warnings);
      const clock = due.json.results.find(
        (r) => r.requirement === 'case-supervision' && r.periodStart === undefined,
      );
      if (child === ids.overrideChild) {
        expect(clock?.overrideId).not.toBeNull();
        expect(clock?.effectiveDue !== undefined && clock.effectiveDue <= clock.due).toBe(true);
      } else {
        expect(clock?.overrideId).toBeNull();
        expect([clock?.effectiveStatus, clock?.effectiveDue, clock?.effectiveLatest]).toEqual([
          clock?.status,
          clock?.due,
          clock?.latest,
        ]);
      }
    }
    // An override stored is the one read.
    const stored = await db
      .selectFrom('due_results')
      .select(['override_id', 'effective_due'])
      .where('subject_kind', '=', 'child')
      .where('subject_id', '=', ids.overrideChild)
      .where('requirement', '=', 'case-supervision')
      .where('period_start', '=', '')
      .executeTakeFirstOrThrow();
    const read = await call<DueJson>('GET', childDue(ids.overrideChild), { token: tokens.due });
    const clock = read.json.results.find((r) => r.requirement === 'case-supervision');
    expect([clock?.overrideId, clock?.effectiveDue]).toEqual([
      stored.override_id,
      stored.effective_due,
    ]);
  });

  it('reads a worker’s due dates with their caseload’s, and a team’s, narrowed by subject', async () => {
    const stored = async (column: 'worker_id' | 'team_id', id: string) =>
      (
        await db
          .selectFrom('due_results')
          .select(['subject_kind', 'subject_id', 'requirement', 'period_start'])
          .where(column, '=', id)
          .execute()
      )
        .map((r) => `${r.subject_kind} ${r.subject_id} ${r.requirement} ${r.period_start}`)
        .sort();
    const keys = (due: DueJson) =>
      due.results.map((r) => `${r.subject} ${r.id} ${r.requirement} ${r.periodStart ?? ''}`).sort();
    const kindOrder = ['child', 'worker', 'fosterCarer', 'team'];
    const inSpecOrder = (due: DueJson) =>
      due.results.every((r, i) => {
        const previous = due.results[i - 1];
        if (previous === undefined) return true;
        const a = [kindOrder.indexOf(previous.subject), previous.id, previous.requirement];
        const b = [kindOrder.indexOf(r.subject), r.id, r.requirement];
        return a[0] !== b[0]
          ? Number(a[0]) < Number(b[0])
          : a[1] !== b[1]
            ? String(a[1]) < String(b[1])
            : String(a[2]) <= String(b[2]);
      });

    const worker = await call<DueJson>('GET', `/api/v1/workers/${ids.sw}/due`, {
      token: tokens.due,
    });
    expect(worker.status).toBe(200);
    expect(keys(worker.json)).toEqual(await stored('worker_id', ids.sw));
    const subjects = new Set(worker.json.results.map((r) => r.subject));
    expect(subjects.has('child') && subjects.has('worker') && !subjects.has('team')).toBe(true);
    expect(inSpecOrder(worker.json)).toBe(true);
    const own = worker.json.results.filter((r) => r.subject === 'worker');
    expect(own.map(specPart)).toEqual((await engine(db, 'worker', ids.sw, TEST_TODAY)).results);

    const ownOnly = await call<DueJson>('GET', `/api/v1/workers/${ids.sw}/due?subject=worker`, {
      token: tokens.due,
    });
    expect(ownOnly.json.results).toEqual(own);

    const team = await call<DueJson>('GET', `/api/v1/teams/${ids.tmTeam}/due`, {
      token: tokens.due,
    });
    expect(team.status).toBe(200);
    expect(keys(team.json)).toEqual(await stored('team_id', ids.tmTeam));
    expect(team.json.results.some((r) => r.subject === 'worker' && r.id === ids.sw)).toBe(true);
    expect(team.json.results.some((r) => r.subject === 'child' && r.id === ids.swChild)).toBe(true);
    expect(inSpecOrder(team.json)).toBe(true);
    const teamChildren = await call<DueJson>(
      'GET',
      `/api/v1/teams/${ids.tmTeam}/due?subject=child`,
      { token: tokens.due },
    );
    expect(teamChildren.json.results).toEqual(
      team.json.results.filter((r) => r.subject === 'child'),
    );
  });

  it('answers 404 for a child, worker or team it does not hold, and 400 for a query it does not take', async () => {
    for (const url of [
      childDue('NO-SUCH-CHILD'),
      '/api/v1/workers/NO-SUCH-WORKER/due',
      '/api/v1/teams/NO-SUCH-TEAM/due',
    ]) {
      const missing = await call<ErrorJson>('GET', url, { token: tokens.due });
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe('not_found');
      expect(missing.json.error.message).toMatch(
        /^There is no (child|worker|team) with the id "NO-SUCH-/,
      );
    }
    const query = await call<ErrorJson>('GET', `${childDue(ids.swChild)}?subject=child`, {
      token: tokens.due,
    });
    expect(query.status).toBe(400);
    expect(query.json.error).toEqual({
      code: 'invalid_request',
      message:
        'The request is not valid: subject is not a query parameter of this call: it takes no query parameters',
      details: [
        {
          in: 'query',
          field: 'subject',
          message: 'subject is not a query parameter of this call: it takes no query parameters',
        },
      ],
    });
    const subject = await call<ErrorJson>(
      'GET',
      `/api/v1/workers/${ids.sw}/due?subject=children&page=2`,
      {
        token: tokens.due,
      },
    );
    expect(subject.status).toBe(400);
    expect(subject.json.error.details).toEqual([
      {
        in: 'query',
        field: 'subject',
        message: 'subject must be one of child, worker, fosterCarer or team, not "children"',
      },
      {
        in: 'query',
        field: 'page',
        message:
          'page is not a query parameter of this call: the only query parameter it takes is subject',
      },
    ]);
    const team = await call<ErrorJson>('GET', `/api/v1/teams/${ids.tmTeam}/due?subject=`, {
      token: tokens.due,
    });
    expect(team.status).toBe(400);
    const empty = await call<ErrorJson>('GET', '/api/v1/children//due', { token: tokens.due });
    expect(empty.status).toBe(400);
    expect(empty.json.error.details).toEqual([
      { in: 'path', field: 'id', message: 'id must not be empty: put the child’s id in the path' },
    ]);
    // The longest id a path takes (Fastify's limit) is read, and not found.
    const longest = await call<ErrorJson>('GET', childDue('C'.repeat(100)), { token: tokens.due });
    expect(longest.status).toBe(404);
  });

  it('posts a child’s event: written with the API as its record, due dates moved at once and equal to the engine’s', async () => {
    const before = await call<DueJson>('GET', childDue(ids.swChild), { token: tokens.both });
    const clockBefore = before.json.results.find(
      (r) => r.requirement === 'case-supervision' && r.periodStart === undefined,
    );
    expect(clockBefore?.lastEvent).not.toBe(TEST_TODAY);

    const posted = await call<EventResultJson>(
      'POST',
      `/api/v1/children/${encodeURIComponent(ids.swChild)}/events`,
      {
        token: tokens.both,
        body: { kind: 'case-supervision', date: TEST_TODAY, externalId: 'MOSAIC-STEP-1' },
      },
    );
    expect(posted.status).toBe(201);
    expect(posted.json.event).toMatchObject({
      subject: 'child',
      subjectId: ids.swChild,
      kind: 'case-supervision',
      date: TEST_TODAY,
      externalId: 'MOSAIC-STEP-1',
    });
    const clock = posted.json.due.results.find(
      (r) => r.requirement === 'case-supervision' && r.periodStart === undefined,
    );
    expect(clock?.lastEvent).toBe(TEST_TODAY);
    expect(clock?.setBy).toEqual({ kind: 'event', date: TEST_TODAY });
    expect(clock?.due).not.toBe(clockBefore?.due);
    // Equal to the engine's on the records as they are now, and to what is read afterwards.
    const report = await engine(db, 'child', ids.swChild, TEST_TODAY);
    expect(posted.json.due.results.map(specPart)).toEqual(report.results);
    const after = await call<DueJson>('GET', childDue(ids.swChild), { token: tokens.due });
    expect(after.json).toEqual(posted.json.due);

    // The event, pointing back at what the API recorded of it.
    const event = await db
      .selectFrom('events')
      .selectAll()
      .where('record_kind', '=', 'api')
      .where('record_id', '=', posted.json.event.id)
      .executeTakeFirstOrThrow();
    const token = await db
      .selectFrom('api_tokens')
      .select('id')
      .where('token_hash', '=', sha256(tokens.both))
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      subject_kind: 'child',
      subject_id: ids.swChild,
      kind: 'case-supervision',
      date: TEST_TODAY,
      source: 'service',
      recorded_by: token.id,
    });
    // The child's page in the service shows the new date too.
    const tm = await signedIn(app, 'tm@demo.example');
    const page = await tm.get(`/children/${ids.swChild}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(shownFromIso(clock?.effectiveDue ?? ''));
  });

  it('writes an event once per externalId: the same again is 200 with the first, a different one 409', async () => {
    const url = `/api/v1/children/${ids.otherChild}/events`;
    const body = { kind: 'management-oversight', date: '2026-11-20', externalId: 'MOSAIC-OV-7' };
    const first = await call<EventResultJson>('POST', url, { token: tokens.both, body });
    expect(first.status).toBe(201);
    const again = await call<EventResultJson>('POST', url, { token: tokens.events, body });
    expect(again.status).toBe(200);
    expect(again.json.event).toEqual(first.json.event);
    expect(again.json.due).toEqual(first.json.due);
    const count = async (externalId: string) =>
      (
        await db
          .selectFrom('events')
          .innerJoin('api_events', 'api_events.id', 'events.record_id')
          .select('events.id')
          .where('events.record_kind', '=', 'api')
          .where('api_events.external_id', '=', externalId)
          .execute()
      ).length;
    expect(await count('MOSAIC-OV-7')).toBe(1);

    const conflict = await call<ErrorJson>('POST', url, {
      token: tokens.both,
      body: { ...body, date: '2026-11-21' },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe('conflict');
    expect(conflict.json.error.existing).toEqual(first.json.event);
    expect(conflict.json.error.message).toBe(
      `externalId "MOSAIC-OV-7" was used already, for a different event (child ${ids.otherChild}, management-oversight on 2026-11-20): nothing was written. Use a new externalId for a new event.`,
    );
    const elsewhere = await call<ErrorJson>('POST', `/api/v1/workers/${ids.sw}/events`, {
      token: tokens.both,
      body: { kind: 'individual', date: '2026-11-20', externalId: 'MOSAIC-OV-7' },
    });
    expect(elsewhere.status).toBe(409);
    expect(await count('MOSAIC-OV-7')).toBe(1);

    // Two posts of one externalId at the same moment: one writes it, the other finds it.
    const twin = { kind: 'group-supervision', date: '2026-11-19', externalId: 'MOSAIC-GRP-3' };
    const both = await Promise.all([
      call<EventResultJson>('POST', url, { token: tokens.both, body: twin }),
      call<EventResultJson>('POST', url, { token: tokens.both, body: twin }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0].json.event).toEqual(both[1].json.event);
    expect(await count('MOSAIC-GRP-3')).toBe(1);

    // Without an externalId, each post is an event of its own.
    const plain = { kind: 'case-supervision', date: '2026-11-02' };
    const a = await call<EventResultJson>('POST', url, { token: tokens.both, body: plain });
    const b = await call<EventResultJson>('POST', url, {
      token: tokens.both,
      body: { ...plain, externalId: null },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.event.id).not.toBe(b.json.event.id);
    expect(b.json.event.externalId).toBeNull();
  });

  it('posts a worker’s supervision and contract: their own due dates move, equal to the engine’s', async () => {
    const url = `/api/v1/workers/${ids.sw}/events`;
    const supervision = await call<EventResultJson>('POST', url, {
      token: tokens.events,
      body: { kind: 'individual', date: '2026-11-23', externalId: 'HR-SUP-1' },
    });
    expect(supervision.status).toBe(201);
    expect(
      supervision.json.due.results.every((r) => r.subject === 'worker' && r.id === ids.sw),
    ).toBe(true);
    const professional = supervision.json.due.results.find(
      (r) => r.requirement === 'professional-supervision',
    );
    expect(professional?.lastEvent).toBe('2026-11-23');
    const contract = await call<EventResultJson>('POST', url, {
      token: tokens.events,
      body: { kind: 'contract', date: TEST_TODAY },
    });
    expect(contract.status).toBe(201);
    const report = await engine(db, 'worker', ids.sw, TEST_TODAY);
    expect(contract.json.due.results.map(specPart)).toEqual(report.results);
    expect(report.results.some((r) => r.lastEvent === '2026-11-23')).toBe(true);
  });

  it('refuses bad input with every problem, naming the field and what is wrong; and an unknown subject with 404', async () => {
    const child = `/api/v1/children/${ids.swChild}/events`;
    const refuse = async (url: string, body: unknown) => {
      const answer = await call<ErrorJson>('POST', url, { token: tokens.both, body });
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('invalid_request');
      expect(answer.json.error.message).toBe(
        `The request is not valid: ${(answer.json.error.details ?? []).map((d) => d.message).join('; ')}`,
      );
      return answer.json.error.details;
    };
    expect(await refuse(child, {})).toEqual([
      {
        in: 'body',
        field: 'kind',
        message:
          'kind is required: one of case-supervision, group-supervision or management-oversight',
      },
      {
        in: 'body',
        field: 'date',
        message: 'date is required: the day it happened, written YYYY-MM-DD',
      },
    ]);
    expect(
      await refuse(child, { kind: 'individual', date: '2026-02-30', externalId: '', note: 'x' }),
    ).toEqual([
      {
        in: 'body',
        field: 'kind',
        message:
          'kind must be one of case-supervision, group-supervision or management-oversight for a child, not "individual"',
      },
      { in: 'body', field: 'date', message: 'date "2026-02-30" is not a real date' },
      {
        in: 'body',
        field: 'externalId',
        message: 'externalId must not be empty: leave it out instead',
      },
      {
        in: 'body',
        field: 'note',
        message: 'note is not a field of an event: the fields are kind, date and externalId',
      },
    ]);
    expect(await refuse(child, { kind: 'case-supervision', date: '24/11/2026' })).toEqual([
      {
        in: 'body',
        field: 'date',
        message: 'date must be written YYYY-MM-DD, for example 2026-11-24, not "24/11/2026"',
      },
    ]);
    expect(await refuse(child, { kind: 'case-supervision', date: '2026-11-25' })).toEqual([
      {
        in: 'body',
        field: 'date',
        message:
          'date 2026-11-25 is in the future: post an event once it has happened (today is 2026-11-24)',
      },
    ]);
    expect(
      await refuse(`/api/v1/workers/${ids.sw}/events`, {
        kind: 'case-supervision',
        date: 20261124,
        externalId: 'x'.repeat(201),
      }),
    ).toEqual([
      {
        in: 'body',
        field: 'kind',
        message:
          'kind must be one of individual, group or contract for a worker, not "case-supervision"',
      },
      { in: 'body', field: 'date', message: 'date must be text written YYYY-MM-DD, not 20261124' },
      { in: 'body', field: 'externalId', message: 'externalId must be 200 characters or fewer' },
    ]);
    expect(await refuse(child, [{ kind: 'case-supervision', date: TEST_TODAY }])).toEqual([
      {
        in: 'body',
        field: '',
        message:
          'The body must be a JSON object with the fields kind, date and, if you like, externalId',
      },
    ]);
    expect(await refuse('/api/v1/workers//events', { kind: 'individual' })).toEqual([
      { in: 'path', field: 'id', message: 'id must not be empty: put the worker’s id in the path' },
      {
        in: 'body',
        field: 'date',
        message: 'date is required: the day it happened, written YYYY-MM-DD',
      },
    ]);

    const before = await db.selectFrom('api_events').select('id').execute();
    for (const url of [
      '/api/v1/children/NO-SUCH-CHILD/events',
      '/api/v1/workers/NO-SUCH-WORKER/events',
    ]) {
      const missing = await call<ErrorJson>('POST', url, {
        token: tokens.both,
        body: {
          kind: url.includes('children') ? 'case-supervision' : 'individual',
          date: TEST_TODAY,
        },
      });
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe('not_found');
    }
    expect(await db.selectFrom('api_events').select('id').execute()).toEqual(before);
  });

  it('revokes a token after asking to confirm: its next call is refused, and recorded against it', async () => {
    const { token, href, id } = await createToken('Old case system', ['due:read']);
    expect((await call('GET', childDue(ids.swChild), { token })).status).toBe(200);

    const confirm = await admin.get(`${href}/revoke`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Revoke the token for Old case system?');
    const forged = await admin.post(`${href}/revoke`, {}, { csrf: null });
    expect(forged.statusCode).toBe(403);
    expect((await call('GET', childDue(ids.swChild), { token })).status).toBe(200);
    await admin.get(`${href}/revoke`);
    const revoked = await admin.post(`${href}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(`${href}?revoked=1`);

    const refused = await call<ErrorJson>('GET', childDue(ids.swChild), { token });
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe('invalid_token');
    const recorded = await db
      .selectFrom('api_calls')
      .select(['token_id', 'status', 'error_code'])
      .where('id', '=', String(refused.headers['x-request-id']))
      .executeTakeFirstOrThrow();
    expect(recorded).toEqual({ token_id: id, status: 401, error_code: 'invalid_token' });

    const page = await admin.get(`${href}?revoked=1`);
    expect(page.body).toContain('The token is revoked: calls with it are refused from now on.');
    expect(page.body).toMatch(/Revoked on 24 Nov 2026 at 12:00 by admin@demo\.example/);
    expect(page.body).toContain('401 Refused: the token is revoked');
    expect(page.body).not.toContain(`href="${href}/revoke"`);
    // Asking to revoke it again goes back to the integration; revoking it again changes nothing.
    expect((await admin.get(`${href}/revoke`)).statusCode).toBe(303);
    await admin.get(href);
    expect((await admin.post(`${href}/revoke`, {})).statusCode).toBe(303);
    const list = await admin.get('/admin/integrations');
    expect(list.body).toContain('Revoked');
    expect(
      (await admin.get('/admin/integrations/00000000-0000-0000-0000-000000000000')).statusCode,
    ).toBe(404);
  });

  it('every API route and page against every role: the pages for administrators, the API for tokens only', async () => {
    const sessions = new Map<Role, Session>([['anonymous', new Session(app)]]);
    for (const role of ROLES.slice(1))
      sessions.set(role, role === 'admin' ? admin : await signedIn(app, `${role}@demo.example`));
    const as = (role: Role) => {
      const found = sessions.get(role);
      if (found === undefined) throw new Error(role);
      return found;
    };
    const integration = await db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', 'Performance dashboard')
      .executeTakeFirstOrThrow();
    const href = `/admin/integrations/${integration.id}`;
    const status = (r: LightMyRequestResponse) =>
      r.statusCode === 302 && String(r.headers.location).startsWith('/sign-in')
        ? 'signIn'
        : r.statusCode;
    for (const url of ['/admin/integrations', '/admin/integrations/new', href, `${href}/revoke`])
      for (const role of ROLES)
        expect({ url, role, status: status(await as(role).get(url)) }).toEqual({
          url,
          role,
          status: role === 'anonymous' ? 'signIn' : role === 'admin' ? 200 : 403,
        });
    const before = await db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
    for (const url of ['/admin/integrations', `${href}/revoke`])
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        const session = as(role);
        await session.get(role === 'anonymous' ? '/sign-in' : '/my-work');
        expect({
          url,
          role,
          status: (await session.post(url, { name: 'Sneaky', scopes: 'due:read' })).statusCode,
        }).toEqual({ url, role, status: 403 });
      }
    expect(await db.selectFrom('api_tokens').selectAll().orderBy('id').execute()).toEqual(before);

    // The API: a session, whoever's, opens nothing; a token does, whoever holds it.
    const api: ['GET' | 'POST', string, unknown][] = [
      ['GET', childDue(ids.swChild), undefined],
      ['GET', `/api/v1/workers/${ids.sw}/due`, undefined],
      ['GET', `/api/v1/teams/${ids.tmTeam}/due`, undefined],
      [
        'POST',
        `/api/v1/children/${ids.swChild}/events`,
        { kind: 'case-supervision', date: TEST_TODAY, externalId: 'MOSAIC-STEP-1' },
      ],
      [
        'POST',
        `/api/v1/workers/${ids.sw}/events`,
        { kind: 'individual', date: '2026-11-23', externalId: 'HR-SUP-1' },
      ],
    ];
    for (const [method, url, body] of api) {
      for (const role of ROLES) {
        const response = await call<ErrorJson>(method, url, {
          body,
          headers: { cookie: as(role).cookieHeader },
        });
        expect({ url, role, status: response.status }).toEqual({ url, role, status: 401 });
      }
      expect((await call(method, url, { token: tokens.both, body })).status).toBe(200);
    }
    const description = await call('GET', '/api/v1/openapi.json', {
      headers: { cookie: as('sw').cookieHeader },
    });
    expect(description.status).toBe(200);
    expect(covered).toEqual([
      'GET /api/v1/openapi.json',
      'GET /api/v1/children/:id/due',
      'GET /api/v1/workers/:id/due',
      'GET /api/v1/teams/:id/due',
      'POST /api/v1/children/:id/events',
      'POST /api/v1/workers/:id/events',
      'GET /admin/integrations',
      'GET /admin/integrations/new',
      'POST /admin/integrations',
      'GET /admin/integrations/:id',
      'GET /admin/integrations/:id/revoke',
      'POST /admin/integrations/:id/revoke',
    ]);
    const table = apiRoutes({ db, clock: fixedClock(TEST_TODAY), config: loadConfig({}) });
    expect(table.map((r) => `${r.method} ${r.url}`).sort()).toEqual([...covered].sort());
    expect(table.filter((r) => r.url.startsWith('/admin')).every((r) => r.need === 'admin')).toBe(
      true,
    );
  });

  it(`limits each token to ${String(RATE_LIMIT.calls)} calls a minute, and calls without one by address (429, Retry-After)`, async () => {
    const { token } = await createToken('Busy integration', ['events:write']);
    for (let i = 0; i < RATE_LIMIT.calls; i++) {
      const answer = await call('GET', childDue(ids.swChild), { token });
      if (answer.status !== 403)
        throw new Error(`call ${String(i + 1)} answered ${String(answer.status)}`);
    }
    const limited = await call<ErrorJson>('GET', childDue(ids.swChild), { token });
    expect(limited.status).toBe(429);
    expect(limited.json.error).toEqual({
      code: 'rate_limited',
      message: 'Too many calls with this token: at most 600 a minute. Try again in 60 seconds.',
    });
    expect(limited.headers['retry-after']).toBe('60');
    // Every operation refuses it now; other tokens are not held up.
    for (const [method, url] of [
      ['GET', `/api/v1/workers/${ids.sw}/due`],
      ['GET', `/api/v1/teams/${ids.tmTeam}/due`],
      ['POST', `/api/v1/children/${ids.swChild}/events`],
      ['POST', `/api/v1/workers/${ids.sw}/events`],
    ] as const) {
      const body = method === 'POST' ? {} : undefined;
      expect((await call(method, url, { token, body })).status).toBe(429);
    }
    expect((await call('GET', childDue(ids.swChild), { token: tokens.due })).status).toBe(200);

    // Without a token: counted by address, every such call so far included.
    let refused = 0;
    for (let i = 0; i <= RATE_LIMIT.calls; i++) {
      const answer = await call<ErrorJson>('GET', childDue(ids.swChild));
      if (answer.status === 429) {
        expect(answer.json.error.message).toContain('Too many calls from this address');
        refused++;
        break;
      }
    }
    expect(refused).toBe(1);
    const unauthenticated = await db
      .selectFrom('api_calls')
      .select('id')
      .where('status', '=', 401)
      .execute();
    expect(unauthenticated.length).toBe(RATE_LIMIT.calls);
  }, 120_000);

  it('records every call, refused ones too, and shows an integration’s calls to administrators', async () => {
    const rows = await db.selectFrom('api_calls').selectAll().execute();
    const recorded = rows
      .map((r) => ({
        requestId: r.id,
        method: r.method,
        route: r.route,
        status: r.status,
        errorCode: r.error_code,
        subject: r.subject_kind === null ? null : `${r.subject_kind} ${r.subject_id ?? ''}`,
      }))
      .sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
    expect(recorded).toEqual([...made].sort((a, b) => (a.requestId < b.requestId ? -1 : 1)));
    expect(rows.every((r) => r.at === new Date(`${TEST_TODAY}T12:00:00Z`).toISOString())).toBe(
      true,
    );
    expect(rows.every((r) => r.request_id !== '')).toBe(true);

    const mosaic = await db
      .selectFrom('api_tokens')
      .select(['id', 'last_used_at'])
      .where('name', '=', 'Mosaic supervision feed')
      .executeTakeFirstOrThrow();
    expect(mosaic.last_used_at).not.toBeNull();
    const mine = rows.filter((r) => r.token_id === mosaic.id).length;
    const page = await admin.get(`/admin/integrations/${mosaic.id}`);
    expect(page.body).toContain(`1 to ${String(Math.min(50, mine))} of ${String(mine)} calls`);
    expect(page.body).toContain('Read a child’s due dates');
    expect(page.body).toContain('Posted a child’s event');
    expect(page.body).toContain('201 Event recorded');
    expect(page.body).toContain(`Child ${ids.swChild}`);
    const last = await admin.get(`/admin/integrations/${mosaic.id}?page=99`);
    expect(last.body).toContain(`of ${String(mine)} calls`);
    const list = await admin.get('/admin/integrations');
    expect(list.body).toContain('600 calls were refused in the last 30 days');
  });

  it('answers a failure inside the service with a JSON 500 quoting the request id, and records it', async () => {
    // Break the database under the API (this suite's last use of it).
    for (const table of ['due_results', 'api_events']) await db.schema.dropTable(table).execute();
    const failed = [
      await call<ErrorJson>('GET', childDue(ids.swChild), { token: tokens.due }),
      await call<ErrorJson>('GET', `/api/v1/workers/${ids.sw}/due`, { token: tokens.due }),
      await call<ErrorJson>('GET', `/api/v1/teams/${ids.tmTeam}/due`, { token: tokens.due }),
      await call<ErrorJson>('POST', `/api/v1/children/${ids.swChild}/events`, {
        token: tokens.both,
        body: { kind: 'case-supervision', date: TEST_TODAY, externalId: 'MOSAIC-STEP-2' },
      }),
      await call<ErrorJson>('POST', `/api/v1/workers/${ids.sw}/events`, {
        token: tokens.both,
        body: { kind: 'individual', date: TEST_TODAY, externalId: 'HR-SUP-2' },
      }),
    ];
    for (const answer of failed) {
      const requestId = String(answer.headers['x-request-id']);
      expect(answer.status).toBe(500);
      expect(answer.json.error.code).toBe('server_error');
      expect(answer.json.error.message).toContain(`quoting the request id ${requestId}`);
      // Nothing of the database's own message reaches the answer.
      expect(answer.json.error.message).not.toMatch(/due_results|api_events|relation|table/i);
      const recorded = await db
        .selectFrom('api_calls')
        .select(['status', 'error_code'])
        .where('id', '=', requestId)
        .executeTakeFirstOrThrow();
      expect(recorded).toEqual({ status: 500, error_code: 'server_error' });
    }
  });

  it('every operation, and every response the document describes, was exercised and conformed', () => {
    const described = check
      .operations()
      .flatMap((op) => op.statuses.map((status) => `${op.method} ${op.path} ${status}`))
      .sort();
    expect(described.filter((d) => !exercised.has(d))).toEqual([]);
    expect([...exercised].filter((e) => !described.includes(e))).toEqual([]);
  });
});

describe('the rate limiter', () => {
  it('counts calls per key in windows of a minute, from the first call of each', () => {
    const limiter = new RateLimiter(3, 60_000);
    const t0 = Date.parse('2026-11-24T12:00:00Z');
    expect([0, 1, 2].map((s) => limiter.take('a', t0 + s * 1000).allowed)).toEqual([
      true,
      true,
      true,
    ]);
    expect(limiter.take('a', t0 + 10_500)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.take('b', t0 + 10_500)).toEqual({ allowed: true });
    expect(limiter.take('a', t0 + 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('a', t0 + 60_000)).toEqual({ allowed: true });
    // A clock set back starts a new window rather than refusing for ever.
    expect(limiter.take('a', t0 - 1000)).toEqual({ allowed: true });
  });
});

// ---------------------------------------------------------------------------------------------
// In a browser: axe (WCAG 2.2 AA) on every integrations page, at desktop and phone widths

class IntegrationsPage extends BasePage {
  protected heading1 = 'API integrations';
  protected override async expectLoaded(): Promise<void> {
    expect(await this.headingText()).toBe(this.heading1);
  }
}
class NewIntegrationPage extends IntegrationsPage {
  protected override heading1 = 'Create an integration token';
}
class NewIntegrationErrorPage extends NewIntegrationPage {
  protected override readonly expectedStatus = 400;
  protected override async expectLoaded(): Promise<void> {
    await super.expectLoaded();
    expect(await this.title()).toMatch(/^Error: /);
  }
}
class CreatedPage extends IntegrationsPage {
  protected override async expectLoaded(): Promise<void> {
    expect(await this.page.locator('.govuk-panel__title').innerText()).toBe(
      'Integration token created',
    );
  }
}
class IntegrationPage extends IntegrationsPage {
  protected override heading1 = 'Mosaic supervision feed';
}
class RevokePage extends IntegrationsPage {
  protected override heading1 = 'Revoke the token for Mosaic supervision feed?';
}

describe('integrations pages in a browser', () => {
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

  for (const width of [1280, 390]) {
    it(`creating, using and revoking a token, at ${String(width)} pixels`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      context.setDefaultTimeout(10_000);
      try {
        const page: Page = await context.newPage();
        const j = new Journey(page, `integrations-${String(width)}`, server.baseUrl);
        await j.visit('/sign-in');
        await page.getByLabel('Email address').fill('admin@demo.example');
        await page.getByLabel('Password').fill('oversight-demo');
        await j.navigate(() => page.getByRole('button', { name: 'Sign in' }).click());
        // The demo administrator's code, shown by the demo's page (two-factor).
        await page.getByLabel(/code/).fill(await page.locator('[data-demo-code]').innerText());
        await j.navigate(() => page.getByRole('button', { name: 'Continue' }).click());
        await j.visit('/admin/integrations');
        const list = await j.on(IntegrationsPage, 'list');
        expect(await list.sidewaysOverflow()).toBe(0);
        await j.navigate(() =>
          page.getByRole('button', { name: 'Create an integration token' }).click(),
        );
        await j.on(NewIntegrationPage, 'new');
        await j.navigate(() => page.getByRole('button', { name: 'Create the token' }).click());
        await j.on(NewIntegrationErrorPage, 'new-errors');
        await page.getByLabel('Name of the integration').fill('Mosaic supervision feed');
        await page.getByLabel('Read due dates').check();
        await j.navigate(() => page.getByRole('button', { name: 'Create the token' }).click());
        const created = await j.on(CreatedPage, 'created');
        expect(await created.sidewaysOverflow()).toBe(0);
        const token = await page.getByLabel('Token for Mosaic supervision feed').inputValue();
        expect(token).toMatch(/^ovs_[A-Za-z0-9_-]{43}$/);

        const child = await server.db
          .selectFrom('children')
          .select('id')
          .orderBy('id')
          .executeTakeFirstOrThrow();
        const answer = await fetch(`${server.baseUrl}/api/v1/children/${child.id}/due`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(answer.status).toBe(200);

        await created.followLink('Go to the integration');
        const integration = await j.on(IntegrationPage, 'integration');
        expect(await integration.sidewaysOverflow()).toBe(0);
        expect(await page.locator('#calls-summary').innerText()).toContain('1 to 1 of 1 call');
        await j.navigate(() => page.getByRole('button', { name: 'Revoke the token' }).click());
        await j.on(RevokePage, 'revoke');
        await j.navigate(() => page.getByRole('button', { name: 'Revoke the token' }).click());
        await j.on(IntegrationPage, 'revoked');
        expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
          'The token is revoked',
        );
        const refused = await fetch(`${server.baseUrl}/api/v1/children/${child.id}/due`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(refused.status).toBe(401);
        await j.navigate(() =>
          page.getByRole('link', { name: 'Back to API integrations' }).click(),
        );
        await j.on(IntegrationsPage, 'list-revoked');
      } finally {
        await context.close();
      }
    }, 60_000);
  }
});
