import { sql } from 'kysely';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import type { Db } from '../../../src/db/database.js';
import type { RouteDefinition } from '../../../src/features/route-table.js';
import { routes } from '../../../src/features/routes.js';
import { TEST_TODAY } from '../../support/app.js';

/** The route table as the app builds it, for tests that go over every route. */
export function routeTable(db: Db): RouteDefinition[] {
  return routes({ db, clock: fixedClock(TEST_TODAY), config: loadConfig({ NODE_ENV: 'test' }) });
}

/** The first id of a table (by id), or `fallback` when it has none. */
export async function firstId(
  db: Db,
  table: string,
  fallback = 'NO-SUCH-ID',
  column = 'id',
): Promise<string> {
  const row = await sql<{
    id: string;
  }>`select ${sql.ref(column)} as id from ${sql.table(table)} order by ${sql.ref(column)} limit 1`.execute(
    db,
  );
  return row.rows[0]?.id ?? fallback;
}

/**
 * Real ids from the demo for a route's path parameters, by the segment before each: enough for a
 * request to reach its handler. Unknown parameters get a made-up value.
 */
export async function demoPathIds(db: Db): Promise<Record<string, string>> {
  const sw = 'W0059';
  const child = (
    await db
      .selectFrom('due_results')
      .select('subject_id')
      .where('subject_kind', '=', 'child')
      .where('requirement', '=', 'case-supervision')
      .where('period_start', '=', '')
      .where('worker_id', '=', sw)
      .orderBy('subject_id')
      .executeTakeFirstOrThrow()
  ).subject_id;
  const session = await firstId(db, 'supervision_sessions');
  const discussion =
    (
      await db
        .selectFrom('case_discussions')
        .select('id')
        .where('session_id', '=', session)
        .orderBy('id')
        .executeTakeFirst()
    )?.id ?? 'NO-SUCH-DISCUSSION';
  return {
    children: child,
    workers: sw,
    'foster-carers': await firstId(db, 'foster_carers'),
    supervision: session,
    cases: discussion,
    'agenda-items': await firstId(db, 'agenda_items'),
    contracts: await firstId(db, 'supervision_contracts'),
    handovers: await firstId(db, 'handovers'),
    actions: await firstId(db, 'supervision_actions'),
    integrations: await firstId(db, 'api_tokens'),
    services: 'svc-assessment-child-protection',
    teams: 'team-safeguarding-east',
    people: sw,
    accounts: await firstId(db, 'accounts'),
    'closure-days': '2026-12-25',
    history: await firstId(db, 'import_history'),
    mappings: await firstId(db, 'column_mappings'),
    imports: await firstId(db, 'import_jobs'),
    add: 'legal-status',
    end: 'legal-status',
  };
}

/** `/children/:id/override` → `/children/C000065/override`, each parameter by the segment before it. */
export function fillPath(url: string, ids: Record<string, string>): string {
  const parts = url.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith(':')) return part;
      // `/admin/children/:id/end/:kind/:recordId`: the record after a kind is made up.
      const value = ids[parts[i - 1] ?? ''];
      return encodeURIComponent(value ?? `made-up-${part.slice(1)}`);
    })
    .join('/');
}
