import { describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/create-db.js';
import { OBJECT_KINDS } from '../src/features/audit/audit.form.js';
import { londonDayStart } from '../src/features/audit/audit.service.js';
import { routes } from '../src/features/routes.js';
import { actionOf, OBJECT_ROUTES, objectOf } from '../src/plugins/audit.js';
import { TEST_TODAY } from './support/app.js';

/**
 * What the audit plugin makes of each route of the table: no page with a path parameter (a
 * record's page) escapes unclassified, and each kind it names can be searched for.
 */

function table() {
  const database = openDatabase({ kind: 'sqlite', file: ':memory:' });
  return routes({ db: database.db, clock: fixedClock(TEST_TODAY), config: loadConfig({}) });
}

describe('the audit trail’s reading of the route table', () => {
  it('every GET route with a path parameter is about a kind of object', () => {
    const unclassified = table()
      .filter((r) => r.method === 'GET' && r.url.includes(':') && r.audit !== false)
      .filter((r) => objectOf(r.url, r.audit) === null)
      .map((r) => r.url);
    expect(unclassified).toEqual([]);
  });

  it('every POST route with a path parameter is too, so that a change names what it changed', () => {
    const unclassified = table()
      .filter((r) => r.method === 'POST' && r.url.includes(':') && r.audit !== false)
      .filter((r) => objectOf(r.url, r.audit) === null)
      .map((r) => r.url);
    expect(unclassified).toEqual([]);
  });

  it('the object’s id is a parameter of the route', () => {
    for (const route of table()) {
      const object = objectOf(route.url, route.audit);
      if (object?.param == null) continue;
      expect({ url: route.url, has: route.url.includes(`:${object.param}`) }).toEqual({
        url: route.url,
        has: true,
      });
    }
  });

  it('every kind the plugin names can be chosen in the search', () => {
    const searchable = OBJECT_KINDS.map((k) => k.value);
    const named = [
      ...OBJECT_ROUTES.map((r) => r.kind),
      ...table().flatMap((r) =>
        r.audit === false || r.audit?.object === undefined ? [] : [r.audit.object.kind],
      ),
    ];
    expect([...new Set(named)].filter((k) => !searchable.includes(k))).toEqual([]);
  });

  it.each([
    ['/children/:id', 'child', 'id'],
    ['/children/:id/decision-records.pdf', 'child', 'id'],
    ['/workers/:id', 'worker', 'id'],
    ['/workers/:id/caseload.csv', 'worker', 'id'],
    ['/foster-carers/:id', 'foster-carer', 'id'],
    ['/supervision/:id', 'supervision-record', 'id'],
    ['/supervision/:id/cases/:discussionId/decision-record.pdf', 'supervision-record', 'id'],
    ['/supervision/agenda-items/:itemId/remove', 'agenda-item', 'itemId'],
    ['/supervision/new/:type', 'supervision-record', null],
    ['/contracts/:id/sign', 'contract', 'id'],
    ['/handovers/:id', 'handover', 'id'],
    ['/actions/:id/done', 'action', 'id'],
    ['/teams/:id/due.xlsx', 'team', 'id'],
    ['/services/:id', 'service', 'id'],
    ['/admin/people/:id', 'person', 'id'],
    ['/admin/accounts/:id', 'account', 'id'],
    ['/admin/children/:id/end/:kind/:recordId', 'child', 'id'],
    ['/admin/closure-days/:date/remove', 'closure-day', 'date'],
    ['/api/v1/workers/:id/due', 'worker', 'id'],
    ['/admin/imports/history/:id', 'import-history', 'id'],
    ['/admin/imports/:id/apply', 'import', 'id'],
  ])('%s is about a %s (its id in :%s)', (url, kind, param) => {
    expect(objectOf(url, undefined)).toEqual({ kind, param });
  });

  it('a route’s own audit.object wins, and pages about nothing in particular name nothing', () => {
    expect(objectOf('/children/:id', { object: { kind: 'thing', param: 'id' } })).toEqual({
      kind: 'thing',
      param: 'id',
    });
    expect(objectOf('/my-work', undefined)).toBeNull();
    expect(objectOf('/directorate/due.csv', undefined)).toBeNull();
    // A prefix of a word is not a match: /childrens-services is not about a child.
    expect(objectOf('/children/:idx', undefined)).toBeNull();
  });

  it.each([
    ['GET', '/children/:id', undefined, undefined, 'view'],
    ['HEAD', '/children/:id', undefined, undefined, 'view'],
    ['POST', '/children/:id/override', undefined, undefined, 'change'],
    ['GET', '/teams/:id/due.csv', 'attachment; filename="a.csv"', undefined, 'export'],
    ['GET', '/teams/:id/due.xlsx', 'attachment; filename="a.xlsx"', undefined, 'export'],
    [
      'GET',
      '/children/:id/decision-records.pdf',
      'attachment; filename="a.pdf"',
      undefined,
      'download',
    ],
    ['GET', '/audit', undefined, { action: 'audit-search' }, 'audit-search'],
    ['POST', '/sign-in', undefined, { action: 'sign-in' }, 'sign-in'],
  ] as const)('%s %s answered with %s is a %s', (method, url, disposition, spec, action) => {
    expect(actionOf(method, url, disposition, spec)).toBe(action);
  });

  it('a London day starts at midnight London time, in winter and in summer', () => {
    expect(londonDayStart('2026-11-24')).toBe('2026-11-24T00:00:00.000Z');
    expect(londonDayStart('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
    // The clocks go forward at 01:00 on 29 March 2026, after midnight: still GMT at midnight.
    expect(londonDayStart('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    // They go back at 02:00 on 25 October 2026: midnight that day is still summer time.
    expect(londonDayStart('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
  });
});
