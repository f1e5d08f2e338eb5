import type { Queryable } from './database.js';

/**
 * Break-glass grants, retention rules, legal holds, the facts retention decides from, the
 * deletions it makes, and the reads of a subject access export. The service decides; these only
 * read and write.
 */

// ---------------------------------------------------------------------------------------------
// Break-glass grants

export interface GrantRow {
  id: string;
  sessionId: string;
  superviseeId: string;
  accountId: string;
  personId: string | null;
  grantedToName: string;
  grantedToRole: string;
  reason: string;
  hours: number;
  grantedAt: string;
  expiresAt: string;
  dismissedAt: string | null;
  /** The record's session date. */
  sessionDate: string;
}

function grants(db: Queryable) {
  return db
    .selectFrom('break_glass_grants as g')
    .innerJoin('supervision_sessions as s', 's.id', 'g.session_id')
    .select([
      'g.id',
      'g.session_id',
      'g.supervisee_id',
      'g.account_id',
      'g.person_id',
      'g.granted_to_name',
      'g.granted_to_role',
      'g.reason',
      'g.hours',
      'g.granted_at',
      'g.expires_at',
      'g.dismissed_at',
      's.date as session_date',
    ])
    .orderBy('g.granted_at', 'desc')
    .orderBy('g.id');
}

type GrantQueryRow = Awaited<ReturnType<ReturnType<typeof grants>['execute']>>[number];

function toGrant(r: GrantQueryRow): GrantRow {
  return {
    id: r.id,
    sessionId: r.session_id,
    superviseeId: r.supervisee_id,
    accountId: r.account_id,
    personId: r.person_id,
    grantedToName: r.granted_to_name,
    grantedToRole: r.granted_to_role,
    reason: r.reason,
    hours: r.hours,
    grantedAt: r.granted_at,
    expiresAt: r.expires_at,
    dismissedAt: r.dismissed_at,
    sessionDate: r.session_date,
  };
}

export async function insertGrant(
  db: Queryable,
  grant: Omit<GrantRow, 'dismissedAt' | 'sessionDate'>,
): Promise<void> {
  await db
    .insertInto('break_glass_grants')
    .values({
      id: grant.id,
      session_id: grant.sessionId,
      supervisee_id: grant.superviseeId,
      account_id: grant.accountId,
      person_id: grant.personId,
      granted_to_name: grant.grantedToName,
      granted_to_role: grant.grantedToRole,
      reason: grant.reason,
      hours: grant.hours,
      granted_at: grant.grantedAt,
      expires_at: grant.expiresAt,
      dismissed_at: null,
    })
    .execute();
}

/** The account's grant on this record that is live at `now`, the latest if several. */
export async function liveGrant(
  db: Queryable,
  sessionId: string,
  accountId: string,
  now: string,
): Promise<GrantRow | undefined> {
  const row = await grants(db)
    .where('g.session_id', '=', sessionId)
    .where('g.account_id', '=', accountId)
    .where('g.granted_at', '<=', now)
    .where('g.expires_at', '>', now)
    .executeTakeFirst();
  return row && toGrant(row);
}

export async function grantsOfSession(db: Queryable, sessionId: string): Promise<GrantRow[]> {
  return (await grants(db).where('g.session_id', '=', sessionId).execute()).map(toGrant);
}

/** Grants on a person's records; only those they have not dismissed with `undismissed`. */
export async function grantsAbout(
  db: Queryable,
  superviseeId: string,
  options: { undismissed?: boolean } = {},
): Promise<GrantRow[]> {
  let query = grants(db).where('g.supervisee_id', '=', superviseeId);
  if (options.undismissed === true) query = query.where('g.dismissed_at', 'is', null);
  return (await query.execute()).map(toGrant);
}

export async function allGrants(db: Queryable): Promise<GrantRow[]> {
  return (await grants(db).execute()).map(toGrant);
}

/** Dismisses the notice of a grant about `superviseeId`; 0 when it is not theirs or already done. */
export async function dismissGrant(
  db: Queryable,
  grantId: string,
  superviseeId: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('break_glass_grants')
    .set({ dismissed_at: at })
    .where('id', '=', grantId)
    .where('supervisee_id', '=', superviseeId)
    .where('dismissed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------------
// Retention rules and legal holds

export interface RuleRow {
  recordType: string;
  years: number;
  setBy: string;
  setAt: string;
}

export async function readRules(db: Queryable): Promise<RuleRow[]> {
  const rows = await db.selectFrom('retention_rules').selectAll().execute();
  return rows.map((r) => ({
    recordType: r.record_type,
    years: r.years,
    setBy: r.set_by,
    setAt: r.set_at,
  }));
}

export async function saveRule(db: Queryable, rule: RuleRow): Promise<void> {
  await db.deleteFrom('retention_rules').where('record_type', '=', rule.recordType).execute();
  await db
    .insertInto('retention_rules')
    .values({
      record_type: rule.recordType,
      years: rule.years,
      set_by: rule.setBy,
      set_at: rule.setAt,
    })
    .execute();
}

export interface HoldRow {
  id: string;
  subjectKind: 'person' | 'child';
  subjectId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  liftedBy: string | null;
  liftedAt: string | null;
  liftReason: string | null;
}

function toHold(r: {
  id: string;
  subject_kind: 'person' | 'child';
  subject_id: string;
  reason: string;
  placed_by: string;
  placed_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
  lift_reason: string | null;
}): HoldRow {
  return {
    id: r.id,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    reason: r.reason,
    placedBy: r.placed_by,
    placedAt: r.placed_at,
    liftedBy: r.lifted_by,
    liftedAt: r.lifted_at,
    liftReason: r.lift_reason,
  };
}

/** Every hold, the ones in force first, then the newest. */
export async function listHolds(db: Queryable): Promise<HoldRow[]> {
  const rows = await db
    .selectFrom('legal_holds')
    .selectAll()
    .orderBy('placed_at', 'desc')
    .orderBy('id')
    .execute();
  const all = rows.map(toHold);
  return [...all.filter((h) => h.liftedAt === null), ...all.filter((h) => h.liftedAt !== null)];
}

export async function findHold(db: Queryable, id: string): Promise<HoldRow | undefined> {
  const row = await db
    .selectFrom('legal_holds')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toHold(row);
}

export async function holdsOn(
  db: Queryable,
  kind: 'person' | 'child',
  subjectId: string,
): Promise<HoldRow[]> {
  const rows = await db
    .selectFrom('legal_holds')
    .selectAll()
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .orderBy('placed_at', 'desc')
    .execute();
  return rows.map(toHold);
}

export async function insertHold(
  db: Queryable,
  hold: Omit<HoldRow, 'liftedBy' | 'liftedAt' | 'liftReason'>,
): Promise<void> {
  await db
    .insertInto('legal_holds')
    .values({
      id: hold.id,
      subject_kind: hold.subjectKind,
      subject_id: hold.subjectId,
      reason: hold.reason,
      placed_by: hold.placedBy,
      placed_at: hold.placedAt,
      lifted_by: null,
      lifted_at: null,
      lift_reason: null,
    })
    .execute();
}

/** Lifts a hold in force; 0 when it is not (already lifted, or no such hold). */
export async function liftHold(
  db: Queryable,
  id: string,
  lift: { by: string; at: string; reason: string },
): Promise<number> {
  const result = await db
    .updateTable('legal_holds')
    .set({ lifted_by: lift.by, lifted_at: lift.at, lift_reason: lift.reason })
    .where('id', '=', id)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------------
// What retention decides from

export interface LeaverFact {
  id: string;
  name: string | null;
  end: string;
}

/** People who left on or before `cutoff`. */
export async function leaversBy(db: Queryable, cutoff: string): Promise<LeaverFact[]> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'name', 'end'])
    .where('end', 'is not', null)
    .where('end', '<=', cutoff)
    .orderBy('end')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, end: r.end ?? '' }));
}

export interface ChildFact {
  id: string;
  dateOfBirth: string | null;
  everLookedAfter: boolean;
}

/**
 * Children whose file is closed on `today`: no involvement open on it (none without an end, or
 * ending after it). Whether each was ever looked after (a `cla` involvement or a placement).
 */
export async function closedChildren(db: Queryable, today: string): Promise<ChildFact[]> {
  const rows = await db
    .selectFrom('children as c')
    .select((eb) => [
      'c.id',
      'c.date_of_birth',
      eb
        .or([
          eb.exists(
            eb
              .selectFrom('child_involvements as i')
              .select('i.id')
              .whereRef('i.child_id', '=', 'c.id')
              .where('i.type', '=', 'cla'),
          ),
          eb.exists(
            eb
              .selectFrom('child_placements as p')
              .select('p.id')
              .whereRef('p.child_id', '=', 'c.id'),
          ),
        ])
        .as('looked_after'),
    ])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('child_involvements as o')
            .select('o.id')
            .whereRef('o.child_id', '=', 'c.id')
            .where((o) => o.or([o('o.end', 'is', null), o('o.end', '>', today)])),
        ),
      ),
    )
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dateOfBirth: r.date_of_birth,
    everLookedAfter: Boolean(r.looked_after),
  }));
}

/** Split in pieces so that a long list stays within both databases' limits on parameters. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface SessionFact {
  id: string;
  date: string;
  supervisorId: string;
  participantIds: string[];
  childIds: string[];
}

/** Every session in which one of `personIds` took part, with its people and children. */
export async function sessionsOfParticipants(
  db: Queryable,
  personIds: readonly string[],
): Promise<SessionFact[]> {
  const ids = new Set<string>();
  for (const part of chunks(personIds)) {
    const rows = await db
      .selectFrom('session_participants')
      .select('session_id')
      .where('person_id', 'in', part)
      .execute();
    for (const r of rows) ids.add(r.session_id);
  }
  return sessionFacts(db, [...ids]);
}

/** Every session in which one of `childIds` was discussed, with its people and children. */
export async function sessionsDiscussing(
  db: Queryable,
  childIds: readonly string[],
): Promise<SessionFact[]> {
  const ids = new Set<string>();
  for (const part of chunks(childIds)) {
    const rows = await db
      .selectFrom('case_discussions')
      .select('session_id')
      .where('child_id', 'in', part)
      .execute();
    for (const r of rows) ids.add(r.session_id);
  }
  return sessionFacts(db, [...ids]);
}

async function sessionFacts(db: Queryable, ids: readonly string[]): Promise<SessionFact[]> {
  const facts: SessionFact[] = [];
  for (const part of chunks(ids)) {
    const [sessions, participants, discussions] = await Promise.all([
      db
        .selectFrom('supervision_sessions')
        .select(['id', 'date', 'supervisor_id'])
        .where('id', 'in', part)
        .execute(),
      db
        .selectFrom('session_participants')
        .select(['session_id', 'person_id'])
        .where('session_id', 'in', part)
        .execute(),
      db
        .selectFrom('case_discussions')
        .select(['session_id', 'child_id'])
        .where('session_id', 'in', part)
        .execute(),
    ]);
    for (const s of sessions)
      facts.push({
        id: s.id,
        date: s.date,
        supervisorId: s.supervisor_id,
        participantIds: participants.filter((p) => p.session_id === s.id).map((p) => p.person_id),
        childIds: [
          ...new Set(discussions.filter((d) => d.session_id === s.id).map((d) => d.child_id)),
        ],
      });
  }
  return facts.sort((a, b) => a.id.localeCompare(b.id));
}

/** Children with an oversight note written by one of `authorIds`. */
export async function childrenWithNotesBy(
  db: Queryable,
  authorIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(authorIds)) {
    const rows = await db
      .selectFrom('oversight_notes')
      .select('child_id')
      .where('author_id', 'in', part)
      .execute();
    for (const r of rows) out.add(r.child_id);
  }
  return out;
}

export interface StaffCounts {
  personalSections: number;
  agendaItems: number;
  contracts: number;
  handovers: number;
}

/** What retention would delete of one leaver's own records, besides whole sessions. */
export async function staffCounts(
  db: Queryable,
  personId: string,
  heldPeople: ReadonlySet<string>,
): Promise<
  StaffCounts & { contractIds: string[]; handoverIds: string[]; events: number; grants: number }
> {
  const [personal, agenda, contracts, handovers, events, grants] = await Promise.all([
    db
      .selectFrom('session_personal')
      .select('session_id')
      .where('person_id', '=', personId)
      .execute(),
    db.selectFrom('agenda_items').select('id').where('supervisee_id', '=', personId).execute(),
    db
      .selectFrom('supervision_contracts')
      .select(['id', 'supervisor_id'])
      .where('supervisee_id', '=', personId)
      .execute(),
    db
      .selectFrom('handovers')
      .select(['id', 'from_supervisor_id', 'to_supervisor_id'])
      .where('supervisee_id', '=', personId)
      .execute(),
    db
      .selectFrom('events')
      .select('id')
      .where('subject_kind', '=', 'worker')
      .where('subject_id', '=', personId)
      .execute(),
    db
      .selectFrom('break_glass_grants')
      .select('id')
      .where('supervisee_id', '=', personId)
      .execute(),
  ]);
  const contractIds = contracts.filter((c) => !heldPeople.has(c.supervisor_id)).map((c) => c.id);
  const handoverIds = handovers
    .filter(
      (h) =>
        !heldPeople.has(h.from_supervisor_id ?? '') && !heldPeople.has(h.to_supervisor_id ?? ''),
    )
    .map((h) => h.id);
  return {
    personalSections: personal.length,
    agendaItems: agenda.length,
    contracts: contractIds.length,
    handovers: handoverIds.length,
    contractIds,
    handoverIds,
    events: events.length,
    grants: grants.length,
  };
}

export interface ChildCounts {
  caseDiscussions: number;
  oversightNotes: number;
  actions: number;
  events: number;
}

export async function childCounts(db: Queryable, childId: string): Promise<ChildCounts> {
  const count = async (
    table: 'case_discussions' | 'oversight_notes' | 'supervision_actions',
  ): Promise<number> => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('subject_kind', '=', 'child')
    .where('subject_id', '=', childId)
    .executeTakeFirstOrThrow();
  return {
    caseDiscussions: await count('case_discussions'),
    oversightNotes: await count('oversight_notes'),
    actions: await count('supervision_actions'),
    events: Number(events.n),
  };
}

/** Rows of a log table written before `before` (an instant), with the oldest's time. */
export async function logBefore(
  db: Queryable,
  table: 'api_calls' | 'import_history',
  before: string,
  keepSubjects: { kind: string; ids: ReadonlySet<string> } | null = null,
): Promise<{ ids: string[]; oldest: string | null; held: number }> {
  if (table === 'api_calls') {
    const rows = await db
      .selectFrom('api_calls')
      .select(['id', 'at', 'subject_kind', 'subject_id'])
      .where('at', '<', before)
      .orderBy('at')
      .execute();
    const held = (r: { subject_kind: string | null; subject_id: string | null }) =>
      keepSubjects !== null &&
      r.subject_kind === keepSubjects.kind &&
      keepSubjects.ids.has(r.subject_id ?? '');
    const due = rows.filter((r) => !held(r));
    return {
      ids: due.map((r) => r.id),
      oldest: due[0]?.at ?? null,
      held: rows.length - due.length,
    };
  }
  const rows = await db
    .selectFrom('import_history')
    .select(['id', 'at'])
    .where('at', '<', before)
    .orderBy('at')
    .execute();
  return { ids: rows.map((r) => r.id), oldest: rows[0]?.at ?? null, held: 0 };
}

// ---------------------------------------------------------------------------------------------
// What retention deletes (always inside the caller's transaction)

export async function deleteLogRows(
  db: Queryable,
  table: 'api_calls' | 'import_history',
  ids: readonly string[],
): Promise<void> {
  for (const part of chunks(ids)) await db.deleteFrom(table).where('id', 'in', part).execute();
}

async function deleteSubjectRows(db: Queryable, kind: 'child' | 'worker', id: string) {
  await db
    .deleteFrom('due_results')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .execute();
  await db
    .deleteFrom('due_warnings')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .execute();
  await db
    .deleteFrom('subject_scope')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .execute();
  await db
    .deleteFrom('api_events')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .execute();
  await db
    .deleteFrom('events')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .execute();
}

/**
 * A child's file: its decision records (case discussions with their actions, oversight notes,
 * actions about it), its events and due dates, and the child with its periods (whose rows go by
 * the foreign keys' cascade).
 */
export async function deleteChildFile(db: Queryable, childId: string): Promise<void> {
  await db.deleteFrom('supervision_actions').where('child_id', '=', childId).execute();
  await db.deleteFrom('case_discussions').where('child_id', '=', childId).execute();
  await db.deleteFrom('oversight_notes').where('child_id', '=', childId).execute();
  await deleteSubjectRows(db, 'child', childId);
  await db.deleteFrom('children').where('id', '=', childId).execute();
}

/** Whole sessions, with the events they wrote (their parts go by the cascade). */
export async function deleteSessions(db: Queryable, ids: readonly string[]): Promise<void> {
  for (const part of chunks(ids)) {
    await db
      .deleteFrom('events')
      .where('record_kind', '=', 'session')
      .where('record_id', 'in', part)
      .execute();
    await db.deleteFrom('supervision_sessions').where('id', 'in', part).execute();
  }
}

/**
 * A leaver's own supervision records besides whole sessions: their personal sections, agenda
 * items, the contracts and handovers given, grants on their records, and their scheduling
 * history as a worker.
 */
export async function deleteStaffRecords(
  db: Queryable,
  personId: string,
  ids: { contractIds: readonly string[]; handoverIds: readonly string[] },
): Promise<void> {
  await db.deleteFrom('session_personal').where('person_id', '=', personId).execute();
  await db.deleteFrom('agenda_items').where('supervisee_id', '=', personId).execute();
  await db.deleteFrom('break_glass_grants').where('supervisee_id', '=', personId).execute();
  for (const part of chunks(ids.contractIds)) {
    await db
      .deleteFrom('events')
      .where('record_kind', '=', 'contract')
      .where('record_id', 'in', part)
      .execute();
    await db.deleteFrom('supervision_contracts').where('id', 'in', part).execute();
  }
  for (const part of chunks(ids.handoverIds))
    await db.deleteFrom('handovers').where('id', 'in', part).execute();
  await deleteSubjectRows(db, 'worker', personId);
}

// ---------------------------------------------------------------------------------------------
// Subject access: what is held about one member of staff

export async function personRow(db: Queryable, personId: string) {
  return db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
}

/** Their account without its secrets: no password hash, two-factor secret or step. */
export async function accountWithoutSecrets(db: Queryable, personId: string) {
  return db
    .selectFrom('accounts')
    .select([
      'id',
      'email',
      'access',
      'person_id',
      'disabled',
      'failed_attempts',
      'locked_until',
      'created_at',
      'last_sign_in_at',
      'two_factor_enabled_at',
      'password_changed_at',
    ])
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export async function sessionsAsParticipant(db: Queryable, personId: string) {
  return db
    .selectFrom('supervision_sessions as s')
    .innerJoin('session_participants as p', 'p.session_id', 's.id')
    .selectAll('s')
    .select([
      'p.role as participant_role',
      'p.read_at',
      'p.signed_at',
      'p.comment',
      'p.disagreement',
    ])
    .where('p.person_id', '=', personId)
    .orderBy('s.date')
    .orderBy('s.id')
    .execute();
}

/** Only the person's own personal sections, never anyone else's. */
export async function ownPersonalSections(db: Queryable, personId: string) {
  return db
    .selectFrom('session_personal')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('session_id')
    .execute();
}

export async function participantsOf(db: Queryable, sessionIds: readonly string[]) {
  const out: { session_id: string; person_id: string; role: string }[] = [];
  for (const part of chunks(sessionIds))
    out.push(
      ...(await db
        .selectFrom('session_participants')
        .select(['session_id', 'person_id', 'role'])
        .where('session_id', 'in', part)
        .execute()),
    );
  return out;
}

export async function discussionsIn(db: Queryable, sessionIds: readonly string[]) {
  const out: { id: string; session_id: string; child_id: string; decision: string | null }[] = [];
  for (const part of chunks(sessionIds))
    out.push(
      ...(await db
        .selectFrom('case_discussions')
        .select(['id', 'session_id', 'child_id', 'decision'])
        .where('session_id', 'in', part)
        .orderBy('position')
        .execute()),
    );
  return out;
}

/** Sessions they ran: the dates, type and who, not what was said. */
export async function sessionsSupervised(db: Queryable, personId: string) {
  return db
    .selectFrom('supervision_sessions')
    .select(['id', 'type', 'date', 'team_id', 'state', 'supervisor_signed_at', 'completed_at'])
    .where('supervisor_id', '=', personId)
    .orderBy('date')
    .orderBy('id')
    .execute();
}

export async function actionsOwnedBy(db: Queryable, personId: string) {
  return db
    .selectFrom('supervision_actions')
    .selectAll()
    .where('owner_id', '=', personId)
    .orderBy('created_at')
    .execute();
}

export async function agendaItemsOf(db: Queryable, personId: string) {
  return db
    .selectFrom('agenda_items')
    .selectAll()
    .where((eb) => eb.or([eb('supervisee_id', '=', personId), eb('added_by', '=', personId)]))
    .orderBy('added_at')
    .execute();
}

export async function contractsOf(db: Queryable, personId: string) {
  return db
    .selectFrom('supervision_contracts')
    .selectAll()
    .where((eb) => eb.or([eb('supervisee_id', '=', personId), eb('supervisor_id', '=', personId)]))
    .orderBy('created_at')
    .execute();
}

export async function handoversOf(db: Queryable, personId: string) {
  return db
    .selectFrom('handovers')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('supervisee_id', '=', personId),
        eb('from_supervisor_id', '=', personId),
        eb('to_supervisor_id', '=', personId),
      ]),
    )
    .orderBy('created_at')
    .execute();
}

export async function addendaBy(db: Queryable, personId: string) {
  return db
    .selectFrom('session_addenda')
    .selectAll()
    .where('author_id', '=', personId)
    .orderBy('created_at')
    .execute();
}

export async function oversightNotesBy(db: Queryable, personId: string) {
  return db
    .selectFrom('oversight_notes')
    .select(['id', 'child_id', 'kind', 'date', 'decision', 'rationale', 'created_at'])
    .where('author_id', '=', personId)
    .orderBy('date')
    .execute();
}

export async function workerEvents(db: Queryable, personId: string) {
  return db
    .selectFrom('events')
    .select(['id', 'kind', 'date', 'source', 'recorded_at', 'record_kind', 'record_id'])
    .where('subject_kind', '=', 'worker')
    .where('subject_id', '=', personId)
    .orderBy('date')
    .execute();
}

export async function auditEntriesOf(db: Queryable, accountId: string) {
  return db
    .selectFrom('audit_log')
    .select([
      'seq',
      'at',
      'actor',
      'action',
      'object_kind',
      'object_id',
      'method',
      'route',
      'status',
      'ip',
      'detail',
    ])
    .where('account_id', '=', accountId)
    .orderBy('seq')
    .execute();
}

export async function importsBy(db: Queryable, by: readonly string[]) {
  if (by.length === 0) return [];
  return db
    .selectFrom('import_history')
    .select(['id', 'kind', 'outcome', 'at', 'by', 'files'])
    .where('by', 'in', [...by])
    .orderBy('at')
    .execute();
}
