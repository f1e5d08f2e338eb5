import type { Scope } from '../domain/access/viewer.js';
import { inSlices } from './bulk.js';
import type { Queryable, SubjectKindColumn } from './database.js';
import {
  filterWhere,
  subjectName,
  toRow,
  type DueFilter,
  type DueRow,
  type SortField,
} from './due.repository.js';
import { scopeWhere } from './scope.js';

/**
 * What the exports read beyond the pages' own queries.
 *
 * A list's file holds every row of the list, where a page reads fifty. Reading a long list a
 * batch at a time by offset sorts the whole list again for every batch (thirty-five batches of a
 * directorate's 35,000 rows took seconds sorted by status and half a minute by name), and one
 * query held open while the file downloads would hold SQLite's one connection for as long as
 * the slowest reader takes. So the list is read in two steps: the keys of its rows in the list's
 * order, once (a few dozen bytes a row), then the rows themselves a batch of keys at a time.
 *
 * The `where` and `order by` below are listDue's (due.repository.ts), kept the same so that a
 * file is its page's list, row for row: test/exports.test.ts checks them against listDue for
 * every sort, both directions and each filter.
 */

/** One row of a list: a subject's clock for one requirement. */
export type DueKey = readonly [kind: SubjectKindColumn, subjectId: string, requirement: string];

/** A due result as the lists show it, with what the files add: its service and involvements. */
export interface DueExportRow extends DueRow {
  readonly serviceName: string | null;
  /** The child's involvement types open on the day the results are for, e.g. ['cp', 'cla']. */
  readonly involvements: readonly string[];
}

/** The keys of every row of a list, in the list's order (listDue's, without offset or limit). */
export async function dueKeysInOrder(
  db: Queryable,
  scope: Scope,
  filter: DueFilter,
  order: { sort: SortField; direction: 'asc' | 'desc' },
): Promise<DueKey[]> {
  const dir = order.direction;
  let query = db
    .selectFrom('due_results')
    .select(['due_results.subject_kind', 'due_results.subject_id', 'due_results.requirement'])
    .where((eb) => eb.and([scopeWhere(scope, 'due_results'), ...filterWhere(filter)]));
  switch (order.sort) {
    case 'status':
      query = query
        .orderBy('due_results.status_rank', dir)
        .orderBy('due_results.effective_latest', dir);
      break;
    case 'due':
      query = query.orderBy('due_results.effective_due', dir);
      break;
    case 'name':
      query = query.orderBy(subjectName, dir);
      break;
    case 'worker':
      query = query
        .leftJoin('people as worker', 'worker.id', 'due_results.worker_id')
        .orderBy('worker.name', dir)
        .orderBy('due_results.status_rank', 'asc');
      break;
  }
  const rows = await query
    .orderBy('due_results.subject_kind')
    .orderBy('due_results.subject_id')
    .orderBy('due_results.requirement')
    .execute();
  return rows.map((r): DueKey => [r.subject_kind, r.subject_id, r.requirement]);
}

function keyOf(kind: string, id: string, requirement: string): string {
  return `${kind}\u0000${id}\u0000${requirement}`;
}

/**
 * The rows of these keys, in the keys' order. A key whose row has gone since the keys were read
 * (its subject recomputed in between) is left out rather than shown stale.
 */
export async function dueRowsOf(db: Queryable, keys: readonly DueKey[]): Promise<DueExportRow[]> {
  const byKind = new Map<SubjectKindColumn, Set<string>>();
  for (const [kind, id] of keys) {
    const ids = byKind.get(kind);
    if (ids === undefined) byKind.set(kind, new Set([id]));
    else ids.add(id);
  }
  const found = new Map<string, DueExportRow>();
  for (const [kind, ids] of byKind) {
    const rows = await inSlices([...ids], (slice) =>
      db
        .selectFrom('due_results')
        .leftJoin('people as worker', 'worker.id', 'due_results.worker_id')
        .leftJoin('teams as team', 'team.id', 'due_results.team_id')
        .leftJoin('services as service', 'service.id', 'due_results.service_id')
        .selectAll('due_results')
        .select([
          'worker.name as worker_name',
          'team.name as team_name',
          'service.name as service_name',
          subjectName.as('subject_name'),
        ])
        .where('due_results.subject_kind', '=', kind)
        .where('due_results.subject_id', 'in', slice)
        .where('due_results.period_start', '=', '')
        .execute(),
    );
    for (const r of rows)
      found.set(keyOf(r.subject_kind, r.subject_id, r.requirement), {
        ...toRow(r),
        serviceName: r.service_name,
        involvements: r.involvements.split(',').filter((type) => type !== ''),
      });
  }
  return keys.flatMap(([kind, id, requirement]) => {
    const row = found.get(keyOf(kind, id, requirement));
    return row === undefined ? [] : [row];
  });
}

// ---------------------------------------------------------------------------------------------
// The organisation's extract

const SUBJECT_TABLES = {
  child: 'children',
  worker: 'people',
  fosterCarer: 'foster_carers',
  team: 'teams',
} as const;

/** The next `limit` ids of one kind of subject after `after` (null: from the first), by id. */
export async function subjectIdsAfter(
  db: Queryable,
  kind: SubjectKindColumn,
  after: string | null,
  limit: number,
): Promise<string[]> {
  let query = db.selectFrom(SUBJECT_TABLES[kind]).select('id').orderBy('id').limit(limit);
  if (after !== null) query = query.where('id', '>', after);
  return (await query.execute()).map((r) => r.id);
}

/** How many events of existing subjects were recorded in the service itself (not imported). */
export async function countServiceEvents(db: Queryable): Promise<number> {
  let total = 0;
  for (const [kind, table] of Object.entries(SUBJECT_TABLES) as [
    SubjectKindColumn,
    (typeof SUBJECT_TABLES)[SubjectKindColumn],
  ][]) {
    const row = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('events.source', '=', 'service')
      .where('events.subject_kind', '=', kind)
      .where('events.subject_id', 'in', (eb) => eb.selectFrom(table).select('id'))
      .executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

/** Managers' overrides of a child's schedule in force on a date. */
export async function countOverridesOn(db: Queryable, date: string): Promise<number> {
  const row = await db
    .selectFrom('overrides')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('ended_at', 'is', null)
    .where('starts', '<=', date)
    .where('until', '>=', date)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
