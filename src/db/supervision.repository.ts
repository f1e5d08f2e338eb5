import type { ExpressionBuilder, Selectable } from 'kysely';
import type {
  ActionOutcome,
  ParticipantRole,
  SessionHeader,
  SessionState,
  SessionType,
} from '../domain/supervision/record.js';
import { newRowId } from './bulk.js';
import type {
  CaseDiscussionsTable,
  Database,
  Queryable,
  SessionPersonalTable,
  SupervisionActionsTable,
  SupervisionSessionsTable,
} from './database.js';

/**
 * Supervision records: sessions, their participants, the personal section, case discussions,
 * actions and their review, agenda items and addenda. Access is decided by the service (with
 * domain/supervision/record.ts); the personal section is only ever read by its own functions.
 */

export interface SessionRow extends SessionHeader {
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly place: string | null;
  readonly confidentiality: string | null;
  readonly allCases: 'all' | 'sample' | null;
  readonly teamIssues: string | null;
  readonly otherBusiness: string | null;
  readonly nextDate: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly supervisorSignedAt: string | null;
  readonly completedAt: string | null;
  readonly participants: readonly ParticipantRow[];
}

export interface ParticipantRow {
  readonly personId: string;
  readonly role: ParticipantRole;
  readonly signedAt: string | null;
  readonly readAt: string | null;
  readonly comment: string | null;
  readonly disagreement: string | null;
}

function toSession(
  row: Selectable<SupervisionSessionsTable>,
  participants: readonly ParticipantRow[],
): SessionRow {
  return {
    id: row.id,
    type: row.type as SessionType,
    supervisorId: row.supervisor_id,
    teamId: row.team_id,
    date: row.date,
    state: row.state as SessionState,
    startTime: row.start_time,
    endTime: row.end_time,
    place: row.place,
    confidentiality: row.confidentiality,
    allCases: row.all_cases as SessionRow['allCases'],
    teamIssues: row.team_issues,
    otherBusiness: row.other_business,
    nextDate: row.next_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    supervisorSignedAt: row.supervisor_signed_at,
    completedAt: row.completed_at,
    participants,
  };
}

export interface NewSession {
  type: SessionType;
  supervisorId: string;
  teamId: string | null;
  date: string;
  startTime: string | null;
  endTime: string | null;
  place: string | null;
  confidentiality: string | null;
  participants: { personId: string; role: ParticipantRole }[];
}

export async function createSession(db: Queryable, session: NewSession, now: string) {
  const id = newRowId();
  await db
    .insertInto('supervision_sessions')
    .values({
      id,
      type: session.type,
      supervisor_id: session.supervisorId,
      team_id: session.teamId,
      date: session.date,
      start_time: session.startTime,
      end_time: session.endTime,
      place: session.place,
      confidentiality: session.confidentiality,
      state: 'draft',
      created_at: now,
      updated_at: now,
      updated_by: session.supervisorId,
    })
    .execute();
  await setParticipants(db, id, session.participants);
  return id;
}

export async function setParticipants(
  db: Queryable,
  sessionId: string,
  participants: readonly { personId: string; role: ParticipantRole }[],
): Promise<void> {
  await db.deleteFrom('session_participants').where('session_id', '=', sessionId).execute();
  if (participants.length === 0) return;
  await db
    .insertInto('session_participants')
    .values(
      participants.map((p) => ({ session_id: sessionId, person_id: p.personId, role: p.role })),
    )
    .execute();
}

async function participantsOf(
  db: Queryable,
  sessionIds: readonly string[],
): Promise<Map<string, ParticipantRow[]>> {
  const map = new Map<string, ParticipantRow[]>();
  if (sessionIds.length === 0) return map;
  const rows = await db
    .selectFrom('session_participants')
    .selectAll()
    .where('session_id', 'in', sessionIds)
    .orderBy('role', 'desc')
    .orderBy('person_id')
    .execute();
  for (const r of rows) {
    const list = map.get(r.session_id) ?? [];
    list.push({
      personId: r.person_id,
      role: r.role as ParticipantRole,
      signedAt: r.signed_at,
      readAt: r.read_at,
      comment: r.comment,
      disagreement: r.disagreement,
    });
    map.set(r.session_id, list);
  }
  return map;
}

export async function getSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('supervision_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return toSession(row, (await participantsOf(db, [id])).get(id) ?? []);
}

async function sessionsWhere(
  db: Queryable,
  rows: Selectable<SupervisionSessionsTable>[],
): Promise<SessionRow[]> {
  const participants = await participantsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSession(r, participants.get(r.id) ?? []));
}

/** Sessions a person ran or took part in, newest first. */
export async function sessionsOf(
  db: Queryable,
  personId: string,
  limit = 200,
): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('supervision_sessions')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('supervisor_id', '=', personId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('session_participants')
            .select('session_id')
            .where('person_id', '=', personId),
        ),
      ]),
    )
    .orderBy('date', 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return sessionsWhere(db, rows);
}

/** A worker's signed records (as supervisee), newest first: what a manager above may list. */
export async function signedSessionsOfSupervisee(
  db: Queryable,
  personId: string,
  limit = 100,
): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('supervision_sessions')
    .selectAll()
    .where('state', '!=', 'draft')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('session_participants')
        .select('session_id')
        .where('person_id', '=', personId)
        .where('role', '=', 'supervisee'),
    )
    .orderBy('date', 'desc')
    .limit(limit)
    .execute();
  return sessionsWhere(db, rows);
}

export interface SessionFields {
  date?: string;
  startTime?: string | null;
  endTime?: string | null;
  place?: string | null;
  confidentiality?: string | null;
  teamId?: string | null;
  allCases?: 'all' | 'sample' | null;
  teamIssues?: string | null;
  otherBusiness?: string | null;
  nextDate?: string | null;
}

export async function updateSession(
  db: Queryable,
  id: string,
  fields: SessionFields,
  personId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('supervision_sessions')
    .set({
      ...(fields.date === undefined ? {} : { date: fields.date }),
      ...(fields.startTime === undefined ? {} : { start_time: fields.startTime }),
      ...(fields.endTime === undefined ? {} : { end_time: fields.endTime }),
      ...(fields.place === undefined ? {} : { place: fields.place }),
      ...(fields.confidentiality === undefined ? {} : { confidentiality: fields.confidentiality }),
      ...(fields.teamId === undefined ? {} : { team_id: fields.teamId }),
      ...(fields.allCases === undefined ? {} : { all_cases: fields.allCases }),
      ...(fields.teamIssues === undefined ? {} : { team_issues: fields.teamIssues }),
      ...(fields.otherBusiness === undefined ? {} : { other_business: fields.otherBusiness }),
      ...(fields.nextDate === undefined ? {} : { next_date: fields.nextDate }),
      updated_at: now,
      updated_by: personId,
    })
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Draft sections: optimistic concurrency per part of a draft

export interface SectionRevision {
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function sectionRevisions(
  db: Queryable,
  sessionId: string,
): Promise<Map<string, SectionRevision>> {
  const rows = await db
    .selectFrom('draft_sections')
    .selectAll()
    .where('session_id', '=', sessionId)
    .execute();
  return new Map(
    rows.map((r) => [
      r.section,
      { revision: r.revision, updatedBy: r.updated_by, updatedAt: r.updated_at },
    ]),
  );
}

/**
 * Claims the next revision of one part of a draft, if it is still at `expected` (0: never
 * saved). Returns the new revision, or the revision someone else saved in between.
 */
export async function claimSection(
  db: Queryable,
  sessionId: string,
  section: string,
  expected: number,
  personId: string,
  now: string,
): Promise<{ ok: true; revision: number } | { ok: false; current: SectionRevision }> {
  const current = await db
    .selectFrom('draft_sections')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('section', '=', section)
    .executeTakeFirst();
  const at = current?.revision ?? 0;
  // The same person saving again (a second tab, or an autosave racing a click) is not a clash.
  if (at !== expected && current?.updated_by !== personId) {
    return {
      ok: false,
      current: {
        revision: at,
        updatedBy: current?.updated_by ?? null,
        updatedAt: current?.updated_at ?? null,
      },
    };
  }
  const revision = at + 1;
  if (current === undefined) {
    await db
      .insertInto('draft_sections')
      .values({
        session_id: sessionId,
        section,
        revision,
        updated_by: personId,
        updated_at: now,
      })
      .execute();
  } else {
    const updated = await db
      .updateTable('draft_sections')
      .set({ revision, updated_by: personId, updated_at: now })
      .where('session_id', '=', sessionId)
      .where('section', '=', section)
      .where('revision', '=', at)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const again = await db
        .selectFrom('draft_sections')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('section', '=', section)
        .executeTakeFirstOrThrow();
      return {
        ok: false,
        current: {
          revision: again.revision,
          updatedBy: again.updated_by,
          updatedAt: again.updated_at,
        },
      };
    }
  }
  return { ok: true, revision };
}

// ---------------------------------------------------------------------------------------------
// The personal section

export interface PersonalRow {
  readonly sessionId: string;
  readonly personId: string;
  readonly authorId: string;
  readonly absence: string | null;
  readonly wellbeing: string | null;
  readonly learning: string | null;
  readonly updatedAt: string;
}

function toPersonal(r: Selectable<SessionPersonalTable>): PersonalRow {
  return {
    sessionId: r.session_id,
    personId: r.person_id,
    authorId: r.author_id,
    absence: r.absence,
    wellbeing: r.wellbeing,
    learning: r.learning,
    updatedAt: r.updated_at,
  };
}

export async function getPersonal(
  db: Queryable,
  sessionId: string,
): Promise<PersonalRow | undefined> {
  const row = await db
    .selectFrom('session_personal')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return row && toPersonal(row);
}

export async function savePersonal(
  db: Queryable,
  personal: Omit<PersonalRow, 'updatedAt'>,
  now: string,
): Promise<void> {
  const values = {
    absence: personal.absence,
    wellbeing: personal.wellbeing,
    learning: personal.learning,
    author_id: personal.authorId,
    updated_at: now,
  };
  await db
    .insertInto('session_personal')
    .values({ session_id: personal.sessionId, person_id: personal.personId, ...values })
    .onConflict((oc) => oc.columns(['session_id', 'person_id']).doUpdateSet(values))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Case discussions

export interface DiscussionRow {
  readonly id: string;
  readonly sessionId: string;
  readonly childId: string;
  readonly workerId: string | null;
  readonly position: number;
  readonly status: string | null;
  readonly sinceLast: string | null;
  readonly changes: string | null;
  readonly workingWell: string | null;
  readonly worries: string | null;
  readonly strengths: string | null;
  readonly childVoice: string | null;
  readonly decision: string | null;
  readonly rationale: string | null;
  readonly copiedAt: string | null;
  readonly copiedBy: string | null;
}

export type DiscussionText = Pick<
  DiscussionRow,
  | 'status'
  | 'sinceLast'
  | 'changes'
  | 'workingWell'
  | 'worries'
  | 'strengths'
  | 'childVoice'
  | 'decision'
  | 'rationale'
>;

function toDiscussion(r: Selectable<CaseDiscussionsTable>): DiscussionRow {
  return {
    id: r.id,
    sessionId: r.session_id,
    childId: r.child_id,
    workerId: r.worker_id,
    position: r.position,
    status: r.status,
    sinceLast: r.since_last,
    changes: r.changes,
    workingWell: r.working_well,
    worries: r.worries,
    strengths: r.strengths,
    childVoice: r.child_voice,
    decision: r.decision,
    rationale: r.rationale,
    copiedAt: r.copied_at,
    copiedBy: r.copied_by,
  };
}

export async function discussionsOf(db: Queryable, sessionId: string): Promise<DiscussionRow[]> {
  const rows = await db
    .selectFrom('case_discussions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('position')
    .execute();
  return rows.map(toDiscussion);
}

export async function getDiscussion(db: Queryable, id: string): Promise<DiscussionRow | undefined> {
  const row = await db
    .selectFrom('case_discussions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toDiscussion(row);
}

/** A child's discussions in records the supervisor has signed, newest first. */
export async function signedDiscussionsOfChild(
  db: Queryable,
  childId: string,
): Promise<(DiscussionRow & { session: { date: string; supervisorId: string; type: string } })[]> {
  const rows = await db
    .selectFrom('case_discussions')
    .innerJoin('supervision_sessions as s', 's.id', 'case_discussions.session_id')
    .selectAll('case_discussions')
    .select(['s.date as s_date', 's.supervisor_id as s_supervisor', 's.type as s_type'])
    .where('case_discussions.child_id', '=', childId)
    .where('s.state', '!=', 'draft')
    .orderBy('s.date', 'desc')
    .execute();
  return rows.map((r) => ({
    ...toDiscussion(r),
    session: { date: r.s_date, supervisorId: r.s_supervisor, type: r.s_type },
  }));
}

export async function addDiscussions(
  db: Queryable,
  sessionId: string,
  children: readonly { childId: string; workerId: string | null; status: string | null }[],
): Promise<string[]> {
  const last = await db
    .selectFrom('case_discussions')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  let position = last?.position ?? 0;
  const ids: string[] = [];
  for (const child of children) {
    const id = newRowId();
    position += 1;
    ids.push(id);
    await db
      .insertInto('case_discussions')
      .values({
        id,
        session_id: sessionId,
        child_id: child.childId,
        worker_id: child.workerId,
        position,
        status: child.status,
      })
      .execute();
  }
  return ids;
}

export async function saveDiscussion(
  db: Queryable,
  id: string,
  text: Partial<DiscussionText>,
): Promise<void> {
  const set = {
    ...(text.status === undefined ? {} : { status: text.status }),
    ...(text.sinceLast === undefined ? {} : { since_last: text.sinceLast }),
    ...(text.changes === undefined ? {} : { changes: text.changes }),
    ...(text.workingWell === undefined ? {} : { working_well: text.workingWell }),
    ...(text.worries === undefined ? {} : { worries: text.worries }),
    ...(text.strengths === undefined ? {} : { strengths: text.strengths }),
    ...(text.childVoice === undefined ? {} : { child_voice: text.childVoice }),
    ...(text.decision === undefined ? {} : { decision: text.decision }),
    ...(text.rationale === undefined ? {} : { rationale: text.rationale }),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable('case_discussions').set(set).where('id', '=', id).execute();
}

export async function removeDiscussion(db: Queryable, id: string): Promise<void> {
  await db.deleteFrom('supervision_actions').where('discussion_id', '=', id).execute();
  await db.deleteFrom('case_discussions').where('id', '=', id).execute();
}

export async function markCopied(
  db: Queryable,
  id: string,
  personId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('case_discussions')
    .set({ copied_at: now, copied_by: personId })
    .where('id', '=', id)
    .where('copied_at', 'is', null)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Actions

export interface ActionRow {
  readonly id: string;
  readonly sessionId: string;
  readonly discussionId: string | null;
  readonly childId: string | null;
  readonly description: string;
  readonly ownerId: string;
  readonly dueDate: string | null;
  readonly state: 'open' | 'done' | 'dropped';
  readonly carried: number;
  readonly closedIn: string | null;
  readonly closedAt: string | null;
  readonly dropReason: string | null;
  readonly createdAt: string;
}

function toAction(r: Selectable<SupervisionActionsTable>): ActionRow {
  return {
    id: r.id,
    sessionId: r.session_id,
    discussionId: r.discussion_id,
    childId: r.child_id,
    description: r.description,
    ownerId: r.owner_id,
    dueDate: r.due_date,
    state: r.state as ActionRow['state'],
    carried: r.carried,
    closedIn: r.closed_in,
    closedAt: r.closed_at,
    dropReason: r.drop_reason,
    createdAt: r.created_at,
  };
}

/** The actions agreed in one session (draft or signed). */
export async function actionsOfSession(db: Queryable, sessionId: string): Promise<ActionRow[]> {
  const rows = await db
    .selectFrom('supervision_actions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute();
  return rows.map(toAction);
}

/**
 * Replaces the actions of one part of a draft (a case discussion, or the general part when
 * `discussionId` is null).
 */
export async function replaceDraftActions(
  db: Queryable,
  sessionId: string,
  discussionId: string | null,
  childId: string | null,
  actions: readonly { description: string; ownerId: string; dueDate: string | null }[],
  now: string,
): Promise<void> {
  let remove = db.deleteFrom('supervision_actions').where('session_id', '=', sessionId);
  remove =
    discussionId === null
      ? remove.where('discussion_id', 'is', null)
      : remove.where('discussion_id', '=', discussionId);
  await remove.execute();
  // Ids sort in the order they were made, so the actions keep the order they were written in.
  for (const action of actions) {
    await db
      .insertInto('supervision_actions')
      .values({
        id: newRowId(),
        session_id: sessionId,
        discussion_id: discussionId,
        child_id: childId,
        description: action.description,
        owner_id: action.ownerId,
        due_date: action.dueDate,
        state: 'open',
        created_at: now,
      })
      .execute();
  }
}

/**
 * Actions from signed records still to be reviewed that concern people: owned by one of them,
 * or agreed in a session they were supervised in; open, or marked done by their owner since
 * (state 'done' with no `closed_in`), which a session confirms. The "review of actions".
 */
export async function openActionsFor(
  db: Queryable,
  personIds: readonly string[],
  exceptSession?: string,
): Promise<ActionRow[]> {
  if (personIds.length === 0) return [];
  let query = db
    .selectFrom('supervision_actions as a')
    .innerJoin('supervision_sessions as s', 's.id', 'a.session_id')
    .selectAll('a')
    // Open, or marked done by its owner between sessions and not yet confirmed in one.
    .where((eb) =>
      eb.or([
        eb('a.state', '=', 'open'),
        eb.and([eb('a.state', '=', 'done'), eb('a.closed_in', 'is', null)]),
      ]),
    )
    .where('s.state', '!=', 'draft')
    .where((eb) =>
      eb.or([
        eb('a.owner_id', 'in', personIds),
        eb(
          'a.session_id',
          'in',
          eb
            .selectFrom('session_participants')
            .select('session_id')
            .where('person_id', 'in', personIds)
            .where('role', '=', 'supervisee'),
        ),
      ]),
    );
  if (exceptSession !== undefined) query = query.where('a.session_id', '!=', exceptSession);
  const rows = await query.orderBy('a.due_date').orderBy('a.id').execute();
  return rows.map(toAction);
}

export async function actionsById(db: Queryable, ids: readonly string[]): Promise<ActionRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('supervision_actions')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .orderBy('due_date')
    .orderBy('id')
    .execute();
  return rows.map(toAction);
}

/** Open actions (from signed records) owned by any of these people, soonest first. */
export async function openActionsOwnedBy(
  db: Queryable,
  ownerIds: readonly string[],
): Promise<ActionRow[]> {
  if (ownerIds.length === 0) return [];
  const rows = await db
    .selectFrom('supervision_actions as a')
    .innerJoin('supervision_sessions as s', 's.id', 'a.session_id')
    .selectAll('a')
    .where('a.state', '=', 'open')
    .where('s.state', '!=', 'draft')
    .where('a.owner_id', 'in', ownerIds)
    .orderBy('a.due_date')
    .orderBy('a.id')
    .execute();
  return rows.map(toAction);
}

export interface ReviewRow {
  readonly actionId: string;
  readonly outcome: ActionOutcome;
  readonly reason: string | null;
}

export async function reviewsOf(db: Queryable, sessionId: string): Promise<ReviewRow[]> {
  const rows = await db
    .selectFrom('action_reviews')
    .selectAll()
    .where('session_id', '=', sessionId)
    .execute();
  return rows.map((r) => ({
    actionId: r.action_id,
    outcome: r.outcome as ActionOutcome,
    reason: r.reason,
  }));
}

export async function saveReviews(
  db: Queryable,
  sessionId: string,
  reviews: readonly ReviewRow[],
): Promise<void> {
  await db.deleteFrom('action_reviews').where('session_id', '=', sessionId).execute();
  for (const review of reviews) {
    await db
      .insertInto('action_reviews')
      .values({
        session_id: sessionId,
        action_id: review.actionId,
        outcome: review.outcome,
        reason: review.reason,
      })
      .execute();
  }
}

/**
 * Applies a signed session's review to the actions it reviewed: those still open, and those
 * their owner marked done since the last session (which the review confirms, or reopens).
 */
export async function applyReviews(
  db: Queryable,
  sessionId: string,
  reviews: readonly ReviewRow[],
  now: string,
): Promise<void> {
  for (const review of reviews) {
    const unreviewed = (eb: ExpressionBuilder<Database, 'supervision_actions'>) =>
      eb.or([
        eb('state', '=', 'open'),
        eb.and([eb('state', '=', 'done'), eb('closed_in', 'is', null)]),
      ]);
    if (review.outcome === 'carried') {
      await db
        .updateTable('supervision_actions')
        .set((eb) => ({
          carried: eb('carried', '+', 1),
          state: 'open',
          closed_at: null,
        }))
        .where('id', '=', review.actionId)
        .where(unreviewed)
        .execute();
    } else {
      await db
        .updateTable('supervision_actions')
        .set({
          state: review.outcome,
          closed_in: sessionId,
          closed_at: now,
          drop_reason: review.outcome === 'dropped' ? review.reason : null,
        })
        .where('id', '=', review.actionId)
        .where(unreviewed)
        .execute();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Agenda items and addenda

export interface AgendaItemRow {
  readonly id: string;
  readonly superviseeId: string;
  readonly text: string;
  readonly addedBy: string;
  readonly addedAt: string;
  readonly sessionId: string | null;
}

export async function agendaItemsFor(
  db: Queryable,
  superviseeIds: readonly string[],
  sessionId: string | null,
): Promise<AgendaItemRow[]> {
  if (superviseeIds.length === 0) return [];
  const rows = await db
    .selectFrom('agenda_items')
    .selectAll()
    .where('supervisee_id', 'in', superviseeIds)
    .where((eb) =>
      sessionId === null
        ? eb('session_id', 'is', null)
        : eb.or([eb('session_id', 'is', null), eb('session_id', '=', sessionId)]),
    )
    .orderBy('added_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    superviseeId: r.supervisee_id,
    text: r.text,
    addedBy: r.added_by,
    addedAt: r.added_at,
    sessionId: r.session_id,
  }));
}

export async function addAgendaItem(
  db: Queryable,
  item: { superviseeId: string; text: string; addedBy: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('agenda_items')
    .values({
      id: newRowId(),
      supervisee_id: item.superviseeId,
      text: item.text,
      added_by: item.addedBy,
      added_at: now,
      session_id: null,
    })
    .execute();
}

export async function removeAgendaItem(
  db: Queryable,
  id: string,
  superviseeId: string,
): Promise<void> {
  await db
    .deleteFrom('agenda_items')
    .where('id', '=', id)
    .where('supervisee_id', '=', superviseeId)
    .where('session_id', 'is', null)
    .execute();
}

export async function takeUpAgendaItems(
  db: Queryable,
  superviseeIds: readonly string[],
  sessionId: string,
): Promise<void> {
  if (superviseeIds.length === 0) return;
  await db
    .updateTable('agenda_items')
    .set({ session_id: sessionId })
    .where('supervisee_id', 'in', superviseeIds)
    .where('session_id', 'is', null)
    .execute();
}

export interface AddendumRow {
  readonly id: string;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: string;
}

export async function addendaOf(db: Queryable, sessionId: string): Promise<AddendumRow[]> {
  const rows = await db
    .selectFrom('session_addenda')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    authorId: r.author_id,
    text: r.text,
    createdAt: r.created_at,
  }));
}

export async function addAddendum(
  db: Queryable,
  addendum: { sessionId: string; authorId: string; text: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('session_addenda')
    .values({
      id: newRowId(),
      session_id: addendum.sessionId,
      author_id: addendum.authorId,
      text: addendum.text,
      created_at: now,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Signing

/** Locks a draft as signed by its supervisor; false when it was no longer a draft. */
export async function markSupervisorSigned(
  db: Queryable,
  sessionId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('supervision_sessions')
    .set({ state: 'awaiting-supervisee', supervisor_signed_at: now, updated_at: now })
    .where('id', '=', sessionId)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markRead(
  db: Queryable,
  sessionId: string,
  personId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('session_participants')
    .set({ read_at: now })
    .where('session_id', '=', sessionId)
    .where('person_id', '=', personId)
    .where('read_at', 'is', null)
    .execute();
}

/** A supervisee's signature with their comment; completes the record when they are the last. */
export async function markSuperviseeSigned(
  db: Queryable,
  sessionId: string,
  personId: string,
  response: { comment: string | null; disagreement: string | null },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('session_participants')
    .set({
      signed_at: now,
      read_at: now,
      comment: response.comment,
      disagreement: response.disagreement,
    })
    .where('session_id', '=', sessionId)
    .where('person_id', '=', personId)
    .where('role', '=', 'supervisee')
    .where('signed_at', 'is', null)
    .where((eb) =>
      eb(
        'session_id',
        'in',
        eb
          .selectFrom('supervision_sessions')
          .select('id')
          .where('state', '=', 'awaiting-supervisee'),
      ),
    )
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  const unsigned = await db
    .selectFrom('session_participants')
    .select('person_id')
    .where('session_id', '=', sessionId)
    .where('role', '=', 'supervisee')
    .where('signed_at', 'is', null)
    .execute();
  if (unsigned.length === 0) {
    await db
      .updateTable('supervision_sessions')
      .set({ state: 'complete', completed_at: now, updated_at: now })
      .where('id', '=', sessionId)
      .execute();
  }
  return true;
}

/** Deletes a draft that was never signed (the supervisor's own decision). */
export async function deleteDraft(db: Queryable, sessionId: string): Promise<boolean> {
  await db
    .deleteFrom('supervision_actions')
    .where('session_id', '=', sessionId)
    .where(
      'session_id',
      'in',
      db.selectFrom('supervision_sessions').select('id').where('state', '=', 'draft'),
    )
    .execute();
  const result = await db
    .deleteFrom('supervision_sessions')
    .where('id', '=', sessionId)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
