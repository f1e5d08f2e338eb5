import type { Selectable } from 'kysely';
import type { Scope } from '../domain/access/viewer.js';
import { newRowId } from './bulk.js';
import { currentContract, withdrawDraftsExcept } from './contracts.repository.js';
import type { HandoversTable, Queryable, SubjectKindColumn } from './database.js';
import { scopeWhere } from './scope.js';
import { namesOf } from './structure.repository.js';
import { openActionsFor, signedSessionsOfSupervisee } from './supervision.repository.js';

/**
 * Handovers between supervisors (policy 004: "where a change in line management occurs, a
 * handover process is arranged between all parties concerned"). When a person's line manager
 * changes, a handover is written in the same transaction: what the new supervisor needs to
 * know, as it stood that day. The previous supervisor may add notes; the new one acknowledges
 * it. Who may see or do what is decided by the service.
 */

export interface HandoverAction {
  readonly id: string;
  readonly description: string;
  readonly ownerId: string;
  readonly ownerName: string | null;
  readonly dueDate: string | null;
  readonly childId: string | null;
  readonly childName: string | null;
  readonly sessionId: string;
  readonly sessionDate: string | null;
  readonly carried: number;
  /** Marked done by its owner since, waiting to be confirmed at a session. */
  readonly markedDone: boolean;
}

export interface HandoverChild {
  readonly id: string;
  readonly name: string | null;
  /** The case supervision status and dates that day, with any manager's override applied. */
  readonly status: string;
  readonly due: string;
  readonly latest: string;
  readonly reason: string;
}

/** What the new supervisor needs, as it stood when the line manager changed. */
export interface HandoverSummary {
  readonly asOf: string;
  readonly openActions: readonly HandoverAction[];
  readonly children: readonly HandoverChild[];
  readonly lastSignedSession: {
    readonly id: string;
    readonly date: string;
    readonly type: string;
    readonly supervisorId: string;
    readonly supervisorName: string | null;
  } | null;
  /** The person's own professional supervision, from the due dates that day. */
  readonly professionalSupervision: {
    readonly status: string;
    readonly due: string;
    readonly latest: string;
    readonly lastEvent: string | null;
  } | null;
  readonly contract: {
    readonly id: string;
    readonly signedDate: string;
    readonly reviewDue: string | null;
    readonly supervisorId: string;
    readonly supervisorName: string | null;
  } | null;
}

export interface HandoverRow {
  readonly id: string;
  readonly superviseeId: string;
  readonly fromSupervisorId: string | null;
  readonly toSupervisorId: string | null;
  readonly summary: HandoverSummary;
  readonly notes: string | null;
  readonly createdAt: string;
  readonly acknowledgedAt: string | null;
}

const EMPTY_SUMMARY: HandoverSummary = {
  asOf: '',
  openActions: [],
  children: [],
  lastSignedSession: null,
  professionalSupervision: null,
  contract: null,
};

function parseSummary(text: string): HandoverSummary {
  try {
    const parsed = JSON.parse(text) as Partial<HandoverSummary> | null;
    return { ...EMPTY_SUMMARY, ...(parsed ?? {}) };
  } catch {
    return EMPTY_SUMMARY;
  }
}

function toHandover(r: Selectable<HandoversTable>): HandoverRow {
  return {
    id: r.id,
    superviseeId: r.supervisee_id,
    fromSupervisorId: r.from_supervisor_id,
    toSupervisorId: r.to_supervisor_id,
    summary: parseSummary(r.summary),
    notes: r.notes,
    createdAt: r.created_at,
    acknowledgedAt: r.acknowledged_at,
  };
}

/** What a new supervisor needs to know about a supervisee, read now (see HandoverSummary). */
export async function buildHandoverSummary(
  db: Queryable,
  superviseeId: string,
  today: string,
): Promise<HandoverSummary> {
  const actions = await openActionsFor(db, [superviseeId]);
  const sessionIds = [...new Set(actions.map((a) => a.sessionId))];
  const sessionDates = new Map(
    sessionIds.length === 0
      ? []
      : (
          await db
            .selectFrom('supervision_sessions')
            .select(['id', 'date'])
            .where('id', 'in', sessionIds)
            .execute()
        ).map((s) => [s.id, s.date]),
  );
  const children = await db
    .selectFrom('due_results as d')
    .innerJoin('children as c', 'c.id', 'd.subject_id')
    .select([
      'd.subject_id',
      'c.name',
      'd.effective_status',
      'd.effective_due',
      'd.effective_latest',
      'd.reason',
    ])
    .where('d.subject_kind', '=', 'child')
    .where('d.requirement', '=', 'case-supervision')
    .where('d.period_start', '=', '')
    .where('d.worker_id', '=', superviseeId)
    .orderBy('d.status_rank')
    .orderBy('d.effective_latest')
    .orderBy('c.name')
    .orderBy('d.subject_id')
    .execute();
  const own = await db
    .selectFrom('due_results')
    .select(['effective_status', 'effective_due', 'effective_latest', 'last_event'])
    .where('subject_kind', '=', 'worker')
    .where('subject_id', '=', superviseeId)
    .where('requirement', '=', 'professional-supervision')
    .where('period_start', '=', '')
    .executeTakeFirst();
  const [last] = await signedSessionsOfSupervisee(db, superviseeId, 1);
  const contract = await currentContract(db, superviseeId);
  const people = await namesOf(db, 'people', [
    ...actions.map((a) => a.ownerId),
    ...(last === undefined ? [] : [last.supervisorId]),
    ...(contract === undefined ? [] : [contract.supervisorId]),
  ]);
  const actionChildIds = [
    ...new Set(actions.flatMap((a) => (a.childId === null ? [] : [a.childId]))),
  ];
  const actionChildren = new Map(
    actionChildIds.length === 0
      ? []
      : (
          await db
            .selectFrom('children')
            .select(['id', 'name'])
            .where('id', 'in', actionChildIds)
            .execute()
        ).map((c) => [c.id, c.name]),
  );
  return {
    asOf: today,
    openActions: actions.map((a) => ({
      id: a.id,
      description: a.description,
      ownerId: a.ownerId,
      ownerName: people.get(a.ownerId) ?? null,
      dueDate: a.dueDate,
      childId: a.childId,
      childName: a.childId === null ? null : (actionChildren.get(a.childId) ?? null),
      sessionId: a.sessionId,
      sessionDate: sessionDates.get(a.sessionId) ?? null,
      carried: a.carried,
      markedDone: a.state === 'done',
    })),
    children: children.map((c) => ({
      id: c.subject_id,
      name: c.name,
      status: c.effective_status,
      due: c.effective_due,
      latest: c.effective_latest,
      reason: c.reason,
    })),
    lastSignedSession:
      last === undefined
        ? null
        : {
            id: last.id,
            date: last.date,
            type: last.type,
            supervisorId: last.supervisorId,
            supervisorName: people.get(last.supervisorId) ?? null,
          },
    professionalSupervision:
      own === undefined
        ? null
        : {
            status: own.effective_status,
            due: own.effective_due,
            latest: own.effective_latest,
            lastEvent: own.last_event,
          },
    contract:
      contract?.signedDate == null
        ? null
        : {
            id: contract.id,
            signedDate: contract.signedDate,
            reviewDue: contract.reviewDue,
            supervisorId: contract.supervisorId,
            supervisorName: people.get(contract.supervisorId) ?? null,
          },
  };
}

/**
 * Records a change of line manager, inside the change's transaction: the handover with its
 * summary, and the old supervisor's unsigned contract drafts for the person set aside (the
 * new supervisor agrees their own). Returns the handover's id.
 */
export async function recordHandover(
  db: Queryable,
  change: { superviseeId: string; fromSupervisorId: string | null; toSupervisorId: string },
  today: string,
  now: string,
): Promise<string> {
  await withdrawDraftsExcept(db, change.superviseeId, change.toSupervisorId, now);
  const summary = await buildHandoverSummary(db, change.superviseeId, today);
  const id = newRowId();
  await db
    .insertInto('handovers')
    .values({
      id,
      supervisee_id: change.superviseeId,
      from_supervisor_id: change.fromSupervisorId,
      to_supervisor_id: change.toSupervisorId,
      summary: JSON.stringify(summary),
      notes: null,
      created_at: now,
      acknowledged_at: null,
    })
    .execute();
  return id;
}

export async function getHandover(db: Queryable, id: string): Promise<HandoverRow | undefined> {
  const row = await db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toHandover(row);
}

/** A supervisee's handovers, newest first. */
export async function handoversOf(db: Queryable, superviseeId: string): Promise<HandoverRow[]> {
  const rows = await db
    .selectFrom('handovers')
    .selectAll()
    .where('supervisee_id', '=', superviseeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toHandover);
}

/** Handovers to a person they have not yet acknowledged, oldest first. */
export async function unacknowledgedHandoversTo(
  db: Queryable,
  personId: string,
): Promise<HandoverRow[]> {
  const rows = await db
    .selectFrom('handovers')
    .selectAll()
    .where('to_supervisor_id', '=', personId)
    .where('acknowledged_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toHandover);
}

/** The previous supervisor's notes; false once the new supervisor has acknowledged it. */
export async function saveHandoverNotes(
  db: Queryable,
  id: string,
  fromSupervisorId: string,
  notes: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('handovers')
    .set({ notes })
    .where('id', '=', id)
    .where('from_supervisor_id', '=', fromSupervisorId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The new supervisor's acknowledgement; false when already acknowledged or not theirs. */
export async function acknowledgeHandover(
  db: Queryable,
  id: string,
  toSupervisorId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('handovers')
    .set({ acknowledged_at: now })
    .where('id', '=', id)
    .where('to_supervisor_id', '=', toSupervisorId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Which of some subjects a scope covers, in one query (the rule of `maySee`). */
export async function visibleSubjects(
  db: Queryable,
  scope: Scope,
  kind: SubjectKindColumn,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0 || scope.kind === 'none') return new Set();
  const rows = await db
    .selectFrom('subject_scope')
    .select('subject_id')
    .where('subject_kind', '=', kind)
    .where('subject_id', 'in', [...new Set(ids)])
    .where(scopeWhere(scope, 'subject_scope'))
    .execute();
  return new Set(rows.map((r) => r.subject_id));
}
