import { sql, type SqlBool, type Expression } from 'kysely';
import type { Scope } from '../domain/access/viewer.js';
import type { Queryable, SubjectKindColumn } from './database.js';
import { scopeWhere } from './scope.js';

/**
 * Reading the due results the due service keeps current, always through the viewer's scope.
 * Lists and figures count the clocks (one per subject and requirement); milestones and gates
 * (period_start set) are read per subject.
 */

export type StatusFilter = 'overdue' | 'due' | 'on-track';
export type SortField = 'status' | 'due' | 'name' | 'worker';

export interface DueFilter {
  subjectKind?: SubjectKindColumn;
  status?: StatusFilter;
  workerId?: string;
  teamId?: string;
  serviceId?: string;
  involvement?: string;
}

export interface DueRow {
  subjectKind: SubjectKindColumn;
  subjectId: string;
  subjectName: string | null;
  requirement: string;
  periodStart: string | null;
  status: string;
  due: string;
  latest: string;
  effectiveStatus: string;
  effectiveDue: string;
  effectiveLatest: string;
  overrideId: string | null;
  lastEvent: string | null;
  rules: string[];
  setByKind: string;
  setByDate: string;
  reason: string;
  met: string | null;
  onTime: boolean | null;
  workerId: string | null;
  workerName: string | null;
  teamId: string | null;
  teamName: string | null;
  asOf: string;
}

/** A list's filter as the `where` of a due_results query (the exports read the same lists). */
export function filterWhere(filter: DueFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [sql<SqlBool>`due_results.period_start = ''`];
  if (filter.subjectKind !== undefined)
    where.push(sql<SqlBool>`due_results.subject_kind = ${filter.subjectKind}`);
  if (filter.status !== undefined)
    where.push(sql<SqlBool>`due_results.effective_status = ${filter.status}`);
  if (filter.workerId !== undefined)
    where.push(sql<SqlBool>`due_results.worker_id = ${filter.workerId}`);
  if (filter.teamId !== undefined) where.push(sql<SqlBool>`due_results.team_id = ${filter.teamId}`);
  if (filter.serviceId !== undefined)
    where.push(sql<SqlBool>`due_results.service_id = ${filter.serviceId}`);
  if (filter.involvement !== undefined)
    where.push(sql<SqlBool>`due_results.involvements like ${`%,${filter.involvement},%`}`);
  return where;
}

/**
 * The subject's name, read for the rows a page shows. A subquery by kind rather than four joins
 * (one per kind of subject): the same name, and PostgreSQL plans a query of three tables in a
 * fraction of the time it took to plan one of seven, on every request.
 */
export const subjectName = sql<string | null>`case due_results.subject_kind
  when 'child' then (select subject_child.name from children as subject_child where subject_child.id = due_results.subject_id)
  when 'worker' then (select subject_person.name from people as subject_person where subject_person.id = due_results.subject_id)
  when 'fosterCarer' then (select subject_carer.name from foster_carers as subject_carer where subject_carer.id = due_results.subject_id)
  when 'team' then (select subject_team.name from teams as subject_team where subject_team.id = due_results.subject_id)
end`;

function baseQuery(db: Queryable, scope: Scope, filter: DueFilter) {
  return db
    .selectFrom('due_results')
    .leftJoin('people as worker', 'worker.id', 'due_results.worker_id')
    .leftJoin('teams as team', 'team.id', 'due_results.team_id')
    .where((eb) => eb.and([scopeWhere(scope, 'due_results'), ...filterWhere(filter)]));
}

export type Selected = {
  subject_kind: SubjectKindColumn;
  subject_id: string;
  subject_name: string | null;
  requirement: string;
  period_start: string;
  status: string;
  due: string;
  latest: string;
  effective_status: string;
  effective_due: string;
  effective_latest: string;
  override_id: string | null;
  last_event: string | null;
  rules: string;
  set_by_kind: string;
  set_by_date: string;
  reason: string;
  met: string | null;
  on_time: number | null;
  worker_id: string | null;
  worker_name: string | null;
  team_id: string | null;
  team_name: string | null;
  as_of: string;
};

/** A due_results row, with its subject's, worker's and team's names, as the lists show it. */
export function toRow(r: Selected): DueRow {
  return {
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    requirement: r.requirement,
    periodStart: r.period_start === '' ? null : r.period_start,
    status: r.status,
    due: r.due,
    latest: r.latest,
    effectiveStatus: r.effective_status,
    effectiveDue: r.effective_due,
    effectiveLatest: r.effective_latest,
    overrideId: r.override_id,
    lastEvent: r.last_event,
    rules: JSON.parse(r.rules) as string[],
    setByKind: r.set_by_kind,
    setByDate: r.set_by_date,
    reason: r.reason,
    met: r.met,
    onTime: r.on_time === null ? null : r.on_time === 1,
    workerId: r.worker_id,
    workerName: r.worker_name,
    teamId: r.team_id,
    teamName: r.team_name,
    asOf: r.as_of,
  };
}

const COLUMNS = [
  'due_results.subject_kind',
  'due_results.subject_id',
  'due_results.requirement',
  'due_results.period_start',
  'due_results.status',
  'due_results.due',
  'due_results.latest',
  'due_results.effective_status',
  'due_results.effective_due',
  'due_results.effective_latest',
  'due_results.override_id',
  'due_results.last_event',
  'due_results.rules',
  'due_results.set_by_kind',
  'due_results.set_by_date',
  'due_results.reason',
  'due_results.met',
  'due_results.on_time',
  'due_results.worker_id',
  'due_results.team_id',
  'due_results.as_of',
  'worker.name as worker_name',
  'team.name as team_name',
] as const;

export async function listDue(
  db: Queryable,
  scope: Scope,
  filter: DueFilter,
  options: {
    sort: SortField;
    direction: 'asc' | 'desc';
    offset: number;
    limit: number;
    /** The number of results in scope and filter, when the caller has counted them already. */
    total?: number;
  },
): Promise<{ rows: DueRow[]; total: number }> {
  const dir = options.direction;
  let query = baseQuery(db, scope, filter).select(COLUMNS).select(subjectName.as('subject_name'));
  switch (options.sort) {
    case 'status':
      // The worst first: by status, then the longest overdue (the earliest latest date).
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
      query = query.orderBy('worker.name', dir).orderBy('due_results.status_rank', 'asc');
      break;
  }
  query = query
    .orderBy('due_results.subject_kind')
    .orderBy('due_results.subject_id')
    .orderBy('due_results.requirement');
  const [rows, total] = await Promise.all([
    query.limit(options.limit).offset(options.offset).execute(),
    options.total ?? countDue(db, scope, filter),
  ]);
  return { rows: (rows as Selected[]).map(toRow), total };
}

/**
 * How many results a list has. Without baseQuery's joins, which only add names: each joins at
 * most one row, on a primary key, so they change no count, and the count is read from an index.
 */
async function countDue(db: Queryable, scope: Scope, filter: DueFilter): Promise<number> {
  const count = await db
    .selectFrom('due_results')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((eb) => eb.and([scopeWhere(scope, 'due_results'), ...filterWhere(filter)]))
    .executeTakeFirstOrThrow();
  return Number(count.n);
}

/** Every result (clocks, milestones and gates) for one subject the viewer may see. */
export async function dueForSubject(
  db: Queryable,
  scope: Scope,
  kind: SubjectKindColumn,
  id: string,
): Promise<DueRow[]> {
  const rows = await db
    .selectFrom('due_results')
    .leftJoin('people as worker', 'worker.id', 'due_results.worker_id')
    .leftJoin('teams as team', 'team.id', 'due_results.team_id')
    .select(COLUMNS)
    .select(sql<null>`null`.as('subject_name'))
    .where('due_results.subject_kind', '=', kind)
    .where('due_results.subject_id', '=', id)
    .where(() => scopeWhere(scope, 'due_results'))
    .orderBy('due_results.requirement')
    .orderBy('due_results.period_start')
    .execute();
  return (rows as Selected[]).map(toRow);
}

export interface Figures {
  total: number;
  overdue: number;
  due: number;
  onTrack: number;
}

export function percentOnTrack(f: Figures): number | null {
  return f.total === 0 ? null : Math.round((f.onTrack * 1000) / f.total) / 10;
}

const figureColumns = [
  sql<number>`count(*)`.as('total'),
  sql<number>`sum(case when due_results.effective_status = 'overdue' then 1 else 0 end)`.as(
    'overdue',
  ),
  sql<number>`sum(case when due_results.effective_status = 'due' then 1 else 0 end)`.as('due'),
  sql<number>`sum(case when due_results.effective_status = 'on-track' then 1 else 0 end)`.as(
    'on_track',
  ),
];

function toFigures(r: {
  total: unknown;
  overdue: unknown;
  due: unknown;
  on_track: unknown;
}): Figures {
  return {
    total: Number(r.total ?? 0),
    overdue: Number(r.overdue ?? 0),
    due: Number(r.due ?? 0),
    onTrack: Number(r.on_track ?? 0),
  };
}

/** Counts by subject kind (children, workers, foster carers, teams). */
export async function figuresByKind(
  db: Queryable,
  scope: Scope,
  filter: DueFilter,
): Promise<Map<SubjectKindColumn, Figures>> {
  const rows = await db
    .selectFrom('due_results')
    .select('due_results.subject_kind')
    .select(figureColumns)
    .where((eb) => eb.and([scopeWhere(scope, 'due_results'), ...filterWhere(filter)]))
    .groupBy('due_results.subject_kind')
    .execute();
  return new Map(rows.map((r) => [r.subject_kind, toFigures(r)]));
}

/** Counts per team or per service, split into children and workers. */
export async function figuresBy(
  db: Queryable,
  scope: Scope,
  by: 'team_id' | 'service_id',
  filter: DueFilter,
): Promise<{ key: string | null; kind: SubjectKindColumn; figures: Figures }[]> {
  const rows = await db
    .selectFrom('due_results')
    .select([`due_results.${by} as key`, 'due_results.subject_kind'])
    .select(figureColumns)
    .where((eb) => eb.and([scopeWhere(scope, 'due_results'), ...filterWhere(filter)]))
    .groupBy([`due_results.${by}`, 'due_results.subject_kind'])
    .execute();
  return rows.map((r) => ({ key: r.key, kind: r.subject_kind, figures: toFigures(r) }));
}

export async function warningsFor(
  db: Queryable,
  scope: Scope,
  filter: {
    teamId?: string;
    serviceId?: string;
    subjectKind?: SubjectKindColumn;
    subjectId?: string;
  },
): Promise<{ subjectKind: SubjectKindColumn; subjectId: string; message: string }[]> {
  let query = db
    .selectFrom('due_warnings')
    .select(['subject_kind', 'subject_id', 'message'])
    .where(() => scopeWhere(scope, 'due_warnings'));
  if (filter.teamId !== undefined) query = query.where('team_id', '=', filter.teamId);
  if (filter.serviceId !== undefined) query = query.where('service_id', '=', filter.serviceId);
  if (filter.subjectKind !== undefined)
    query = query.where('subject_kind', '=', filter.subjectKind);
  if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
  const rows = await query.orderBy('subject_kind').orderBy('subject_id').limit(500).execute();
  return rows.map((r) => ({
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    message: r.message,
  }));
}
