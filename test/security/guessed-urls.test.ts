import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/db/create-db.js';
import { demoApp, type Session, signedIn } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { normalised } from './support/crawl.js';
import { fillPath, routeTable } from './support/demo-ids.js';
import { snapshot } from './support/snapshot.js';
import {
  MADE_UP_IDS,
  pathIdsOf,
  placeRecords,
  type Place,
  type PlacedRecords,
} from './support/records.js';

/**
 * Guessing addresses: someone asks for another team's or service's child, worker, supervision
 * record (each part, its decision records and PDFs), contract, handover, action, oversight note
 * form or caseload export, by its real id and by a made-up id of the same shape. The two answers
 * are the same status and the same page (per-response nonces and tokens aside): the answer never
 * says whether the thing exists. Posts to them change nothing. Every route of the route table
 * whose path names such a record is tried, so routes added later are tried too.
 */

/** Path segments that name a record kept to people's places. */
const RECORD_ROUTE = /^\/(children|workers|supervision|contracts|handovers|actions)\/:id(\/|$)/;

/** Places whose records each asker may not see (see access-matrix.test.ts for the rule). */
const OUTSIDE: Record<string, Place[]> = {
  sw: ['sameTeam', 'otherTeam', 'otherService'],
  tm: ['otherTeam', 'otherService'],
  hos: ['otherService'],
  admin: ['own', 'sameTeam', 'otherTeam', 'otherService'],
};

function compare(response: LightMyRequestResponse) {
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    body: normalised(response.body),
  };
}

describeEachDatabase('guessed addresses', (use) => {
  let database: OpenDatabase;
  let app: FastifyInstance;
  let placed: Record<Place, PlacedRecords>;
  const sessions = new Map<string, Session>();

  beforeAll(async () => {
    database = use();
    app = await demoApp(database);
    placed = await placeRecords(database.db);
    for (const role of Object.keys(OUTSIDE))
      sessions.set(role, await signedIn(app, `${role}@demo.example`));
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  const as = (role: string) => {
    const session = sessions.get(role);
    if (session === undefined) throw new Error(role);
    return session;
  };

  const recordRoutes = (method: 'GET' | 'POST') =>
    routeTable(database.db).filter((r) => r.method === method && RECORD_ROUTE.test(r.url));

  it('answers a real id outside one’s place exactly as a made-up one', async () => {
    const routes = recordRoutes('GET');
    expect(routes.length).toBeGreaterThan(20);
    const differences: string[] = [];
    let compared = 0;
    for (const [role, places] of Object.entries(OUTSIDE)) {
      for (const place of places) {
        for (const route of routes) {
          const real = await as(role).get(fillPath(route.url, pathIdsOf(placed[place])));
          const madeUp = await as(role).get(fillPath(route.url, MADE_UP_IDS));
          compared++;
          if (real.statusCode === 200 || real.statusCode === 303)
            differences.push(`${role} opened ${route.url} at ${place}: ${String(real.statusCode)}`);
          else if (JSON.stringify(compare(real)) !== JSON.stringify(compare(madeUp)))
            differences.push(
              `${role} ${route.url} at ${place}: ${String(real.statusCode)} for the real id, ${String(madeUp.statusCode)} for a made-up one`,
            );
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(200);
  }, 240_000);

  it('says nothing of the record in the refusal: no name, no id', async () => {
    const other = placed.otherService;
    const names = await database.db
      .selectFrom('children')
      .select('name')
      .where('id', '=', other.child)
      .executeTakeFirstOrThrow();
    for (const url of [
      `/children/${other.child}`,
      `/workers/${other.worker}`,
      `/supervision/${other.session}`,
      `/supervision/${other.session}/cases/${other.discussion}/decision-record.pdf`,
      `/children/${other.child}/decision-records.pdf`,
      `/contracts/${other.contract}`,
      `/handovers/${other.handover}`,
      `/workers/${other.worker}/caseload.csv`,
    ]) {
      const response = await as('sw').get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 404 });
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      for (const secret of [other.child, other.worker, other.session, names.name ?? 'x'])
        expect(response.body).not.toContain(secret);
    }
  });

  it('answers posts to a record outside one’s place as to a made-up one, and changes nothing', async () => {
    const routes = recordRoutes('POST');
    expect(routes.length).toBeGreaterThan(15);
    const before = await snapshot(database);
    const differences: string[] = [];
    // Refusals by the record's place, not by the form's token (which would make all alike).
    let notFound = 0;
    const form = {
      reason: 'Guessed',
      notes: 'Guessed',
      text: 'Guessed',
      decision: 'Guessed',
      rationale: 'Guessed',
      everyCount: '2',
      everyUnit: 'weeks',
      untilDay: '31',
      untilMonth: '1',
      untilYear: '2027',
    };
    for (const [role, places] of Object.entries(OUTSIDE)) {
      const session = as(role);
      await session.get('/');
      for (const place of places) {
        for (const route of routes) {
          const real = await session.post(fillPath(route.url, pathIdsOf(placed[place])), form);
          const madeUp = await session.post(fillPath(route.url, MADE_UP_IDS), form);
          if (real.statusCode === 404) notFound++;
          if (real.statusCode < 400)
            differences.push(
              `${role} posted to ${route.url} at ${place}: ${String(real.statusCode)}`,
            );
          else if (JSON.stringify(compare(real)) !== JSON.stringify(compare(madeUp)))
            differences.push(
              `${role} POST ${route.url} at ${place}: ${String(real.statusCode)} for the real id, ${String(madeUp.statusCode)} for a made-up one`,
            );
        }
      }
    }
    expect(differences).toEqual([]);
    expect(notFound).toBeGreaterThan(routes.length * 3);
    expect(await snapshot(database)).toEqual(before);
  }, 240_000);

  it('teams and services are the council’s structure: another’s is refused, the same page for any', async () => {
    // Team and service ids are not secret (every page names them): a refusal may show that one
    // exists (403) where a made-up one is not found (404); it shows nothing else.
    const eastOfWest = await as('tm').get(`/teams/${placed.otherTeam.team}`);
    const earlyHelp = await as('tm').get(`/teams/${placed.otherService.team}`);
    expect(eastOfWest.statusCode).toBe(403);
    expect(compare(eastOfWest)).toEqual(compare(earlyHelp));
    const csv = await as('tm').get(`/teams/${placed.otherTeam.team}/due.csv`);
    expect(csv.statusCode).toBe(403);
    expect(csv.headers['content-type']).toMatch(/^text\/html/);
    expect(csv.body).not.toContain(placed.otherTeam.worker);
    const service = await as('hos').get(`/services/${placed.otherService.service}/due.csv`);
    expect(service.statusCode).toBe(403);
    expect(service.body).not.toContain(placed.otherService.worker);
  });
});
