import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/db/create-db.js';
import type { RouteDefinition } from '../../src/features/route-table.js';
import { demoApp, Session, signedIn } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { demoPathIds, fillPath, routeTable } from './support/demo-ids.js';
import {
  PLACES,
  pathIdsOf,
  placeRecords,
  type Place,
  type PlacedRecords,
} from './support/records.js';

/**
 * Who may open what: every GET route of the route table with an id in its path, as every role,
 * for a record at every place relative to them, against ONE rule table (below) that reads as
 * the policy. A route the table cannot classify fails the test, so a new route cannot escape it.
 *
 * Places are relative to the demo's social worker sw@ (Safeguarding East, supervised by tm@, in
 * hos@'s service): `own` is sw@'s (for tm@ their supervisee's, for hos@ one in their service);
 * `sameTeam` a colleague's in Safeguarding East (also tm@'s supervisee); `otherTeam` one in
 * Safeguarding West (same service); `otherService` one in Early Help.
 */

type Role = 'anonymous' | 'sw' | 'tm' | 'hos' | 'director' | 'qa' | 'admin';
const ROLES: Role[] = ['anonymous', 'sw', 'tm', 'hos', 'director', 'qa', 'admin'];

/**
 * - allow: the page (200), or for a signed record's editing pages the record itself (303);
 * - refuse: 403, the person may know the thing exists but may not do this with it;
 * - hidden: 404, exactly as for an id that names nothing (test/security/guessed-urls.test.ts);
 * - door: 403, the route is not for this role at all (the route table's `need`);
 * - signIn: a redirect to sign in.
 */
type Outcome = 'allow' | 'refuse' | 'hidden' | 'door' | 'signIn';

/** Whose records a role may see: the heart of the policy. */
function seesRecordAt(role: Role, place: Place): boolean {
  switch (role) {
    case 'sw':
      return place === 'own';
    case 'tm':
      return place === 'own' || place === 'sameTeam';
    case 'hos':
      return place !== 'otherService';
    case 'director':
    case 'qa':
      return true;
    case 'admin':
    case 'anonymous':
      return false;
  }
}

/** Teams and services are the council's structure: another's is refused, not hidden. */
function seesStructureAt(role: Role, place: Place, level: 'team' | 'service'): Outcome {
  if (role === 'director' || role === 'qa') return 'allow';
  if (role === 'hos') return place === 'otherService' ? 'door' : 'allow';
  if (role === 'tm' && level === 'team')
    return place === 'own' || place === 'sameTeam' ? 'allow' : 'door';
  return 'door';
}

type Rule = (role: Role, place: Place) => Outcome;

/** A record's pages: whoever sees the record opens them; admins have no records. */
const record =
  (whenSeen: (role: Role, place: Place) => Outcome = () => 'allow'): Rule =>
  (role, place) => {
    if (role === 'admin') return 'door';
    return seesRecordAt(role, place) ? whenSeen(role, place) : 'hidden';
  };

/** The rule table: each route by its shape. */
const RULES: { pattern: RegExp; kind: string; rule: Rule }[] = [
  {
    pattern: /^\/teams\/:id(\/due\.(csv|xlsx))?$/,
    kind: 'team',
    rule: (r, p) => seesStructureAt(r, p, 'team'),
  },
  {
    pattern: /^\/services\/:id(\/due\.(csv|xlsx))?$/,
    kind: 'service',
    rule: (r, p) => seesStructureAt(r, p, 'service'),
  },
  {
    pattern:
      /^\/(children\/:id(\/decision-records\.pdf)?|workers\/:id(\/supervision|\/caseload\.(csv|xlsx))?|contracts\/:id|handovers\/:id|supervision\/:id(\/agenda|\/cases\/:discussionId\/decision-record(\.pdf)?)?)$/,
    kind: 'record',
    rule: record(),
  },
  {
    // The demo's record is signed: its editing pages send whoever may see it to the record.
    pattern:
      /^\/supervision\/:id\/(details|personal|review|cases|cases\/add|cases\/:discussionId|general|sign)$/,
    kind: 'signed record, editing',
    rule: record(),
  },
  {
    pattern: /^\/supervision\/:id\/discard$/,
    kind: 'signed record, discarding',
    rule: record(() => 'refuse'),
  },
  {
    // Quality assurance reads oversight notes but does not write them.
    pattern: /^\/children\/:id\/oversight-notes\/new$/,
    kind: 'oversight note',
    rule: record((role) => (role === 'qa' ? 'refuse' : 'allow')),
  },
  {
    // The supervisor drafts a contract, when one is due: sw@'s is (the demo's first contract is
    // for review); the colleague's is current.
    pattern: /^\/workers\/:id\/contract\/new$/,
    kind: 'contract draft',
    rule: record((role, place) => (role === 'tm' && place === 'own' ? 'allow' : 'refuse')),
  },
  {
    // Break-glass: heads of service and directors, over records in their place.
    pattern: /^\/supervision\/:id\/break-glass$/,
    kind: 'break-glass',
    rule: (role, place) => {
      if (role === 'sw' || role === 'tm' || role === 'admin') return 'door';
      if (role === 'qa') return 'hidden';
      return seesRecordAt(role, place) ? 'allow' : 'hidden';
    },
  },
  {
    // Only with a break-glass grant, which no one here has.
    pattern: /^\/supervision\/:id\/break-glass\/personal$/,
    kind: 'break-glass, personal section',
    rule: (role) => (role === 'sw' || role === 'tm' || role === 'admin' ? 'door' : 'hidden'),
  },
  {
    // Starting a record is for those who supervise someone: not sw@ or qa@.
    pattern: /^\/supervision\/new\/:type$/,
    kind: 'new record of a type',
    rule: (role) =>
      role === 'admin' ? 'door' : role === 'sw' || role === 'qa' ? 'refuse' : 'allow',
  },
  {
    // Foster carers are seen by fostering's teams: none of these people.
    pattern: /^\/foster-carers\/:id$/,
    kind: 'foster carer',
    rule: (role) => (role === 'admin' ? 'door' : 'hidden'),
  },
];

/** Routes with ids that are not about a place: administration, the API, sign-in's links. */
const NOT_PLACED: { pattern: RegExp; kind: string }[] = [
  { pattern: /^\/admin\//, kind: 'administration' },
  { pattern: /^\/api\/v1\//, kind: 'API' },
  { pattern: /^\/reset-password\/:token$/, kind: 'password reset link' },
];

function expected(route: RouteDefinition, role: Role, place: Place): Outcome | null {
  if (role === 'anonymous') return 'signIn';
  const found = RULES.find((r) => r.pattern.test(route.url));
  return found === undefined ? null : found.rule(role, place);
}

function outcomeOf(status: number, location: string | undefined): string {
  if (status === 302 && location?.startsWith('/sign-in') === true) return 'signIn';
  if (status === 200 || status === 303) return 'allow';
  if (status === 404) return 'hidden';
  if (status === 403) return 'refuse-or-door';
  return `status ${String(status)}`;
}

describeEachDatabase('access matrix', (use) => {
  let database: OpenDatabase;
  let app: FastifyInstance;
  let placed: Record<Place, PlacedRecords>;
  const sessions = new Map<Role, Session>();

  beforeAll(async () => {
    database = use();
    app = await demoApp(database);
    placed = await placeRecords(database.db);
    sessions.set('anonymous', new Session(app));
    for (const role of ROLES.filter((r) => r !== 'anonymous'))
      sessions.set(role, await signedIn(app, `${role}@demo.example`));
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  const as = (role: Role) => {
    const session = sessions.get(role);
    if (session === undefined) throw new Error(role);
    return session;
  };

  it('classifies every GET route with an id in its path', () => {
    const withIds = routeTable(database.db).filter(
      (r) => r.method === 'GET' && r.url.includes(':'),
    );
    const unclassified = withIds
      .filter((r) => !NOT_PLACED.some((n) => n.pattern.test(r.url)))
      .filter((r) => !RULES.some((rule) => rule.pattern.test(r.url)))
      .map((r) => r.url);
    expect(unclassified).toEqual([]);
    expect(withIds.length).toBeGreaterThan(30);
  });

  it('answers every role at every place as the rule table says', async () => {
    const routes = routeTable(database.db).filter(
      (r) =>
        r.method === 'GET' && r.url.includes(':') && RULES.some((rule) => rule.pattern.test(r.url)),
    );
    const wrong: string[] = [];
    let cells = 0;
    for (const route of routes) {
      for (const place of PLACES) {
        const url = fillPath(route.url, { ...pathIdsOf(placed[place]), new: 'individual' });
        for (const role of ROLES) {
          const want = expected(route, role, place);
          const response = await as(role).get(url);
          const got = outcomeOf(response.statusCode, response.headers.location);
          const matches =
            got === want || (got === 'refuse-or-door' && (want === 'refuse' || want === 'door'));
          cells++;
          if (!matches)
            wrong.push(`${route.url} ${role} ${place}: expected ${String(want)}, got ${got}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThan(500);
  }, 240_000);

  it('administration with ids: administrators only', async () => {
    const ids = await demoPathIds(database.db);
    const routes = routeTable(database.db).filter(
      (r) => r.method === 'GET' && r.url.startsWith('/admin/') && r.url.includes(':'),
    );
    const wrong: string[] = [];
    for (const route of routes) {
      const url = fillPath(route.url, ids);
      for (const role of ROLES) {
        const response = await as(role).get(url);
        const status = response.statusCode;
        const ok =
          role === 'admin'
            ? status < 500 && status !== 403
            : role === 'anonymous'
              ? status === 302
              : status === 403;
        if (!ok) wrong.push(`${route.url} ${role}: ${String(status)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(routes.length).toBeGreaterThan(5);
  }, 120_000);
});
