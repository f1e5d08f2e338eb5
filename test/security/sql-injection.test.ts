import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/db/create-db.js';
import { demoApp, Session, signedIn } from '../support/app.js';
import { TestClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fillPath, routeTable } from './support/demo-ids.js';
import { snapshot } from './support/snapshot.js';

/**
 * SQL injection: payloads in path ids, query strings (search, sort, filters, pages) and text
 * fields of every GET route in the route table (read from the table, so routes added later are
 * covered) are data, never SQL: no answer is a 500, no table changes by being read, and text is
 * stored and shown exactly as it was typed. Every query is built by Kysely with bound values;
 * these tests would catch a raw string put together by hand.
 */

const PAYLOADS = [
  "'; DROP TABLE children; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; SELECT pg_sleep(5); --',
  '\\x00 nul \u0000 byte',
  '%27%20OR%201%3D1',
  'ünïcödé – “quotes” 😀 עברית',
  'x'.repeat(5000),
];

/** Every query parameter any of our pages reads. */
/** Fewer for the walk over every route (each is tried in every id and every query key). */
const PATH_PAYLOADS = [
  "'; DROP TABLE children; --",
  "' OR '1'='1",
  'ünïcödé 😀 \u0000',
  'x'.repeat(3000),
];

const QUERY_KEYS = [
  'q',
  'sort',
  'dir',
  'page',
  'team',
  'service',
  'worker',
  'status',
  'from',
  'to',
  'kind',
  'state',
  'action',
  'actor',
  'returnTo',
];

const ROLES = ['tm', 'sw', 'hos', 'director', 'qa', 'admin'] as const;

describeEachDatabase('SQL injection', (use) => {
  let database: OpenDatabase;
  let app: FastifyInstance;
  const sessions = new Map<string, Session>();
  const clock = new TestClock('2026-11-24T12:00:00Z');

  beforeAll(async () => {
    database = use();
    app = await demoApp(database, clock);
    for (const role of ROLES) sessions.set(role, await signedIn(app, `${role}@demo.example`));
    sessions.set('anonymous', new Session(app));
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  const as = (role: string) => {
    const session = sessions.get(role);
    if (session === undefined) throw new Error(role);
    return session;
  };

  it('takes payloads in every path id and query string as data: no failure, no table changed', async () => {
    const gets = routeTable(database.db).filter((r) => r.method === 'GET');
    // Who each route lets in (the handler, not the door, must meet the payload).
    const door = new Map<string, string>();
    for (const route of gets) {
      for (const role of [...ROLES, 'anonymous']) {
        const response = await as(role).get(fillPath(route.url, {}));
        if (response.statusCode !== 403 && response.statusCode !== 302) {
          door.set(route.url, role);
          break;
        }
      }
    }
    const before = await snapshot(database);
    const failures: string[] = [];
    for (const route of gets) {
      const role = door.get(route.url) ?? 'anonymous';
      for (const payload of PATH_PAYLOADS) {
        const path = fillPath(route.url, new Proxy({}, { get: () => payload }));
        const query = new URLSearchParams(QUERY_KEYS.map((k) => [k, payload])).toString();
        const urls = route.url.includes(':') ? [path, `${path}?${query}`] : [`${path}?${query}`];
        for (const url of urls) {
          const response = await as(role).get(url);
          if (response.statusCode >= 500)
            failures.push(
              `${route.url} as ${role}: ${url.slice(0, 100)} → ${String(response.statusCode)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(door.size).toBeGreaterThan(gets.length / 2);
    expect(await snapshot(database)).toEqual(before);
  }, 300_000);

  it('stores text payloads verbatim and shows them as text', async () => {
    const sw = as('sw');
    for (const payload of PAYLOADS.filter((p) => p.length <= 1000)) {
      await sw.get('/supervision');
      const saved = await sw.post('/supervision/agenda-items', { item: payload });
      // A NUL character is no one's typing (and PostgreSQL text cannot hold it): refused whole.
      const expected = payload.includes('\u0000') ? 400 : 303;
      expect({ payload, status: saved.statusCode }).toEqual({ payload, status: expected });
    }
    const rows = await database.db.selectFrom('agenda_items').select('text').execute();
    const stored = rows.map((r) => r.text);
    // Kept as typed (the form trims spaces at either end).
    for (const payload of PAYLOADS.filter((p) => p.length <= 1000 && !p.includes('\u0000')))
      expect(stored).toContain(payload);
    const page = await sw.get('/supervision');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&#39;; DROP TABLE children; --');
    expect(page.body).toContain('ünïcödé – “quotes” 😀 עברית');
    // The children are all still there.
    const children = await database.db
      .selectFrom('children')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(children.n)).toBeGreaterThan(100);
    // Too long for the field: refused with a message, not a failure.
    const long = await sw.post('/supervision/agenda-items', { item: 'x'.repeat(5000) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('1,000 characters or fewer');
  });

  it('takes payloads typed into the sign-in form as data', async () => {
    // The walk above guessed reset links from this address: wait out the rate limit's minute.
    clock.advance({ minutes: 1 });
    const anonymous = new Session(app);
    for (const payload of PAYLOADS) {
      await anonymous.get('/sign-in');
      const response = await anonymous.post('/sign-in', {
        email: payload,
        password: payload,
        returnTo: '/',
      });
      expect({ payload: payload.slice(0, 30), status: response.statusCode }).toEqual({
        payload: payload.slice(0, 30),
        status: 400,
      });
    }
    const sw = await signedIn(app, 'sw@demo.example');
    expect((await sw.get('/my-work')).statusCode).toBe(200);
  });
});
