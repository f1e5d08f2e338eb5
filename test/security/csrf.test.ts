import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/db/create-db.js';
import type { Need, RouteDefinition } from '../../src/features/route-table.js';
import { demoApp, Session, signedIn } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { demoPathIds, fillPath, routeTable } from './support/demo-ids.js';
import { snapshot } from './support/snapshot.js';

/**
 * Cross-site request forgery: every POST route in the route table (read from the table, so
 * routes added later are covered), posted by someone whom the route would serve, with real ids
 * from the demo, without a token and with a wrong one → 403 "This form has expired", and nothing
 * in the database changed. The API (/api/v1/) takes bearer tokens, never cookies: a signed-in
 * browser's cookies get nothing from it.
 */

/** Who posts to a route: someone its need lets through, so only the token stands in the way. */
function posterFor(need: Need): string | null {
  switch (need) {
    case 'public':
      return null;
    case 'admin':
      return 'admin@demo.example';
    case 'directorate':
      return 'director@demo.example';
    case 'service':
      return 'hos@demo.example';
    default:
      return 'tm@demo.example';
  }
}

/** A body a form might send: words in every field a form of ours is likely to have. */
const BODY = {
  text: 'Forged by another site',
  item: 'Forged by another site',
  reason: 'Forged by another site',
  notes: 'Forged by another site',
  email: 'forged@elsewhere.example',
  password: 'forged password 123',
  name: 'Forged',
  confirm: 'yes',
};

describeEachDatabase('CSRF', (use) => {
  let database: OpenDatabase;
  let app: FastifyInstance;
  let posts: RouteDefinition[];
  let ids: Record<string, string>;
  const sessions = new Map<string, Session>();

  beforeAll(async () => {
    database = use();
    app = await demoApp(database);
    posts = routeTable(database.db).filter(
      (r) => r.method === 'POST' && !r.url.startsWith('/api/v1/'),
    );
    ids = await demoPathIds(database.db);
    for (const email of ['admin', 'director', 'hos', 'tm'].map((r) => `${r}@demo.example`))
      sessions.set(email, await signedIn(app, email));
    const anonymous = new Session(app);
    await anonymous.get('/sign-in');
    sessions.set('anonymous', anonymous);
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  const sessionFor = (route: RouteDefinition) => {
    const session = sessions.get(posterFor(route.need) ?? 'anonymous');
    if (session === undefined) throw new Error(route.url);
    return session;
  };

  it('finds the POST routes in the route table', () => {
    expect(posts.length).toBeGreaterThan(40);
    expect(posts.map((r) => r.url)).toContain('/sign-in');
    expect(posts.map((r) => r.url)).toContain('/supervision/:id/sign');
  });

  it('refuses every POST without a token, or with a wrong one, and changes nothing', async () => {
    // A real token, from another session: right shape, wrong secret.
    const other = await signedIn(app, 'sw@demo.example');
    await other.get('/my-work');
    const theirs = other.csrf;
    const before = await snapshot(database);
    const refused: string[] = [];
    for (const route of posts) {
      const url = fillPath(route.url, ids);
      const session = sessionFor(route);
      for (const [how, csrf] of [
        ['no token', null],
        ['an empty token', ''],
        ['a made-up token', 'x'.repeat(52)],
        ['another session’s token', theirs],
      ] as const) {
        const response = await session.post(url, BODY, { csrf });
        const expired =
          response.statusCode === 403 && response.body.includes('This form has expired');
        if (!expired) refused.push(`${route.url} with ${how}: ${String(response.statusCode)}`);
      }
    }
    expect(refused).toEqual([]);
    expect(await snapshot(database)).toEqual(before);
  }, 120_000);

  it('takes a POST with the page’s token (the test above is not refusing everything)', async () => {
    const tm = sessions.get('tm@demo.example');
    if (tm === undefined) throw new Error('tm');
    await tm.get('/supervision');
    const response = await tm.post('/supervision/agenda-items', { item: 'With the right token' });
    expect(response.statusCode).toBe(303);
  });

  it('the API ignores a signed-in browser’s cookies', async () => {
    const tm = sessions.get('tm@demo.example');
    if (tm === undefined) throw new Error('tm');
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/children/${ids.children ?? ''}/due`,
      headers: { cookie: tm.cookieHeader },
    });
    expect(read.statusCode).toBe(401);
    const before = await snapshot(database);
    const write = await app.inject({
      method: 'POST',
      url: `/api/v1/children/${ids.children ?? ''}/events`,
      headers: { cookie: tm.cookieHeader, 'content-type': 'application/json' },
      payload: JSON.stringify({ type: 'visit', date: '2026-11-20' }),
    });
    expect(write.statusCode).toBe(401);
    expect(write.json()).toMatchObject({ error: { code: 'missing_token' } });
    expect(await snapshot(database)).toEqual(before);
  });
});
