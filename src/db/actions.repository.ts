import { sql, type Expression, type SqlBool } from 'kysely';
import type { Scope } from '../domain/access/viewer.js';
import { DRIFT_AFTER } from '../domain/supervision/record.js';
import type { Queryable } from './database.js';
import { scopeWhere } from './scope.js';
import type { ActionRow } from './supervision.repository.js';

/**
 * The actions agreed in supervision, read across records: a person's own, the ones a supervisor
 * agreed with the people they supervise, and the overdue or drifting ones in a manager's place.
 * Only actions from records the supervisor has signed count; a draft's actions are still being
 * written.
 *
 * An owner may mark their own action done between sessions: it is then `done` with `closed_at`
 * set and `closed_in` empty, until the next session's review confirms it (docs/recording.md).
 */

/** An action with what the lists show beside it: its session, its owner and its child. */
export interface ActionListRow extends ActionRow {
  readonly sessionDate: string;
  readonly sessionType: string;
  readonly supervisorId: string;
  readonly ownerName: string | null;
  readonly childName: string | null;
}

/** An overdue or drifting action, with its owner's team (where the manager's list places it). */
export interface AttentionRow extends ActionListRow {
  readonly ownerTeamId: string | null;
  readonly ownerTeamName: string | null;
}

interface Selected {
  id: string;
  session_id: string;
  discussion_id: string | null;
  child_id: string | null;
  description: string;
  owner_id: string;
  due_date: string | null;
  state: string;
  carried: number | string;
  closed_in: string | null;
  closed_at: string | null;
  drop_reason: string | null;
  created_at: string;
  session_date: string;
  session_type: string;
  supervisor_id: string;
  owner_name: string | null;
  child_name: string | null;
}

function toListRow(r: Selected): ActionListRow {
  return {
    id: r.id,
    sessionId: r.session_id,
    discussionId: r.discussion_id,
    childId: r.child_id,
    description: r.description,
    ownerId: r.owner_id,
    dueDate: r.due_date,
    state: r.state as ActionRow['state'],
    carried: Number(r.carried),
    closedIn: r.closed_in,
    closedAt: r.closed_at,
    dropReason: r.drop_reason,
    createdAt: r.created_at,
    sessionDate: r.session_date,
    sessionType: r.session_type,
    supervisorId: r.supervisor_id,
    ownerName: r.owner_name,
    childName: r.child_name,
  };
}

/** Actions of signed records, with their session, owner and child. */
function signedActions(db: Queryable) {
  return db
    .selectFrom('supervision_actions as a')
    .innerJoin('supervision_sessions as s', 's.id', 'a.session_id')
    .innerJoin('people as owner', 'owner.id', 'a.owner_id')
    .leftJoin('children as c', 'c.id', 'a.child_id')
    .selectAll('a')
    .select([
      's.date as session_date',
      's.type as session_type',
      's.supervisor_id',
      'owner.name as owner_name',
      'c.name as child_name',
    ])
    .where('s.state', '!=', 'draft');
}

/** Open, or marked done by its owner and not yet confirmed at a session. */
const STILL_TO_REVIEW = sql<SqlBool>`(a.state = 'open' or (a.state = 'done' and a.closed_in is null))`;

/** Soonest due first; an action without a due date after every dated one, in both databases. */
const UNDATED_LAST = sql`case when a.due_date is null then 1 else 0 end`;

/**
 * A person's own actions still to be reviewed: open, or marked done by them since their last
 * supervision. Soonest due first.
 */
export async function actionsOwnedBy(db: Queryable, ownerId: string): Promise<ActionListRow[]> {
  const rows = await signedActions(db)
    .where('a.owner_id', '=', ownerId)
    .where(STILL_TO_REVIEW)
    .orderBy(UNDATED_LAST)
    .orderBy('a.due_date')
    .orderBy('s.date')
    .orderBy('a.id')
    .execute();
  return rows.map(toListRow);
}

/**
 * Actions agreed in sessions a supervisor ran and owned by someone else (the people they
 * supervised in them), still to be reviewed. Soonest due first.
 */
export async function actionsAgreedBy(
  db: Queryable,
  supervisorId: string,
): Promise<ActionListRow[]> {
  const rows = await signedActions(db)
    .where('s.supervisor_id', '=', supervisorId)
    .where('a.owner_id', '!=', supervisorId)
    .where(STILL_TO_REVIEW)
    .orderBy(UNDATED_LAST)
    .orderBy('a.due_date')
    .orderBy('owner.name')
    .orderBy('a.id')
    .execute();
  return rows.map(toListRow);
}

/** One action of a signed record, if this person owns it. */
export async function ownActionOf(
  db: Queryable,
  id: string,
  ownerId: string,
): Promise<ActionListRow | undefined> {
  const row = await signedActions(db)
    .where('a.id', '=', id)
    .where('a.owner_id', '=', ownerId)
    .executeTakeFirst();
  return row && toListRow(row);
}

/**
 * Its owner marks an open action of a signed record done. Touches nothing but the action: the
 * next session's review confirms it. False when it was not open (or not theirs).
 */
export async function markActionDone(
  db: Queryable,
  id: string,
  ownerId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('supervision_actions')
    .set({ state: 'done', closed_at: now })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('state', '=', 'open')
    .where('session_id', 'in', (eb) =>
      eb.selectFrom('supervision_sessions').select('id').where('state', '!=', 'draft'),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Its owner takes back their own "done" before a session has confirmed it. False when there was
 * nothing to take back (never marked, or already closed at a session).
 */
export async function reopenAction(db: Queryable, id: string, ownerId: string): Promise<boolean> {
  const result = await db
    .updateTable('supervision_actions')
    .set({ state: 'open', closed_at: null })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('state', '=', 'done')
    .where('closed_in', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------
// Overdue and drifting actions in a manager's place

/** Which actions a manager's list shows: overdue or drifting (either), or one of the two. */
export type AttentionShow = 'either' | 'overdue' | 'drifting';

export interface AttentionFilter {
  /** Today, for "overdue": due before it. */
  today: string;
  show?: AttentionShow;
  /** The owner's team. */
  teamId?: string;
  ownerId?: string;
}

export type AttentionSort = 'due' | 'worker' | 'carried';

const OVERDUE = (today: string) => sql<SqlBool>`(a.due_date is not null and a.due_date < ${today})`;
const DRIFTING = sql<SqlBool>`a.carried >= ${DRIFT_AFTER}`;

function attentionWhere(filter: AttentionFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [sql<SqlBool>`a.state = 'open'`];
  switch (filter.show ?? 'either') {
    case 'either':
      where.push(sql<SqlBool>`(${OVERDUE(filter.today)} or ${DRIFTING})`);
      break;
    case 'overdue':
      where.push(OVERDUE(filter.today));
      break;
    case 'drifting':
      where.push(DRIFTING);
      break;
  }
  if (filter.teamId !== undefined)
    where.push(sql<SqlBool>`subject_scope.team_id = ${filter.teamId}`);
  if (filter.ownerId !== undefined) where.push(sql<SqlBool>`a.owner_id = ${filter.ownerId}`);
  return where;
}

/**
 * Open actions of signed records whose owners the scope covers (each owner is a worker subject,
 * placed by subject_scope like everything else a manager sees).
 */
function scopedActions(db: Queryable, scope: Scope) {
  return db
    .selectFrom('supervision_actions as a')
    .innerJoin('supervision_sessions as s', 's.id', 'a.session_id')
    .innerJoin('subject_scope', (join) =>
      join
        .onRef('subject_scope.subject_id', '=', 'a.owner_id')
        .on(sql<SqlBool>`subject_scope.subject_kind = 'worker'`),
    )
    .where('s.state', '!=', 'draft')
    .where(scopeWhere(scope, 'subject_scope'));
}

/** A page of the overdue and drifting actions in a scope, with how many there are in all. */
export async function listAttentionActions(
  db: Queryable,
  scope: Scope,
  filter: AttentionFilter,
  options: { sort: AttentionSort; direction: 'asc' | 'desc'; offset: number; limit: number },
): Promise<{ rows: AttentionRow[]; total: number }> {
  const dir = options.direction;
  let query = scopedActions(db, scope)
    .innerJoin('people as owner', 'owner.id', 'a.owner_id')
    .leftJoin('children as c', 'c.id', 'a.child_id')
    .leftJoin('teams as team', 'team.id', 'subject_scope.team_id')
    .selectAll('a')
    .select([
      's.date as session_date',
      's.type as session_type',
      's.supervisor_id',
      'owner.name as owner_name',
      'c.name as child_name',
      'subject_scope.team_id as owner_team_id',
      'team.name as owner_team_name',
    ])
    .where((eb) => eb.and(attentionWhere(filter)));
  switch (options.sort) {
    case 'due':
      query = query.orderBy(UNDATED_LAST).orderBy('a.due_date', dir);
      break;
    case 'worker':
      query = query.orderBy('owner.name', dir).orderBy(UNDATED_LAST).orderBy('a.due_date');
      break;
    case 'carried':
      query = query.orderBy('a.carried', dir).orderBy(UNDATED_LAST).orderBy('a.due_date');
      break;
  }
  query = query.orderBy('a.id');
  const [rows, count] = await Promise.all([
    query.limit(options.limit).offset(options.offset).execute(),
    scopedActions(db, scope)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => eb.and(attentionWhere(filter)))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({
      ...toListRow(r),
      ownerTeamId: r.owner_team_id,
      ownerTeamName: r.owner_team_name,
    })),
    total: Number(count.n),
  };
}

export interface ActionCounts {
  /** Open actions past their due date. */
  overdue: number;
  /** Open actions carried forward DRIFT_AFTER times or more (overdue or not). */
  drifting: number;
}

/**
 * How many open actions in a scope are overdue and how many are drifting, for a page's headline:
 * on a team page, `{ teamId }` counts that team's (within what the viewer may see).
 */
export async function overdueActionCounts(
  db: Queryable,
  scope: Scope,
  today: string,
  filter: { teamId?: string; ownerId?: string } = {},
): Promise<ActionCounts> {
  const where = attentionWhere({ today, show: 'either', ...filter });
  const row = await scopedActions(db, scope)
    .select([
      sql<number | string | null>`sum(case when ${OVERDUE(today)} then 1 else 0 end)`.as('overdue'),
      sql<number | string | null>`sum(case when ${DRIFTING} then 1 else 0 end)`.as('drifting'),
    ])
    .where((eb) => eb.and(where))
    .executeTakeFirstOrThrow();
  return { overdue: Number(row.overdue ?? 0), drifting: Number(row.drifting ?? 0) };
}

/** The teams a manager's list can be narrowed to: those of the workers the scope covers. */
export async function teamsInScope(
  db: Queryable,
  scope: Scope,
): Promise<{ id: string; name: string | null }[]> {
  return db
    .selectFrom('subject_scope')
    .innerJoin('teams', 'teams.id', 'subject_scope.team_id')
    .select(['teams.id', 'teams.name'])
    .distinct()
    .where('subject_scope.subject_kind', '=', 'worker')
    .where(scopeWhere(scope, 'subject_scope'))
    .orderBy('teams.name')
    .orderBy('teams.id')
    .execute();
}

/** The owners of overdue or drifting actions in a scope (within a team, if given), by name. */
export async function ownersNeedingAttention(
  db: Queryable,
  scope: Scope,
  today: string,
  teamId?: string,
): Promise<{ id: string; name: string | null }[]> {
  return scopedActions(db, scope)
    .innerJoin('people as owner', 'owner.id', 'a.owner_id')
    .select(['owner.id', 'owner.name'])
    .distinct()
    .where((eb) => eb.and(attentionWhere({ today, ...(teamId === undefined ? {} : { teamId }) })))
    .orderBy('owner.name')
    .orderBy('owner.id')
    .execute();
}

/** Which of these subjects the scope covers: a page's links go only where they may be opened. */
export async function visibleSubjects(
  db: Queryable,
  scope: Scope,
  kind: 'child' | 'worker',
  ids: readonly string[],
): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (scope.kind === 'none' || unique.length === 0) return new Set();
  const rows = await db
    .selectFrom('subject_scope')
    .select('subject_id')
    .where('subject_kind', '=', kind)
    .where('subject_id', 'in', unique)
    .where(scopeWhere(scope, 'subject_scope'))
    .execute();
  return new Set(rows.map((r) => r.subject_id));
}
