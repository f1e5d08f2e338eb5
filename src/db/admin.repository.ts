import { randomUUID } from 'node:crypto';
import { sql, type SqlBool } from 'kysely';
import type { Queryable } from './database.js';

/**
 * Targeted reads and writes for the administration pages: one row at a time, so that changing
 * a team's name or ending a child's involvement touches only that row (organisation.repository
 * replaces a subject's records wholesale, which suits imports, not edits).
 */

// ---------------------------------------------------------------------------------------------
// Overview

export interface RecordCounts {
  services: number;
  teams: number;
  people: number;
  children: number;
  fosterCarers: number;
  accounts: number;
}

export async function countRecords(db: Queryable): Promise<RecordCounts> {
  const count = async (
    table: 'services' | 'teams' | 'people' | 'children' | 'foster_carers' | 'accounts',
  ) => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  return {
    services: await count('services'),
    teams: await count('teams'),
    people: await count('people'),
    children: await count('children'),
    fosterCarers: await count('foster_carers'),
    accounts: await count('accounts'),
  };
}

// ---------------------------------------------------------------------------------------------
// Services

export interface ServiceListRow {
  id: string;
  name: string | null;
  teams: number;
}

export async function listServicesWithTeams(db: Queryable): Promise<ServiceListRow[]> {
  const rows = await db
    .selectFrom('services')
    .select(['services.id', 'services.name'])
    .select((eb) =>
      eb
        .selectFrom('teams')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('teams.service_id', '=', 'services.id')
        .as('teams'),
    )
    .orderBy('services.name')
    .orderBy('services.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, teams: Number(r.teams ?? 0) }));
}

export async function serviceExists(db: Queryable, id: string): Promise<boolean> {
  const row = await db.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Another service (not `exceptId`) already has this name, compared without regard to case. */
export async function serviceNameTaken(
  db: Queryable,
  name: string,
  exceptId: string | null,
): Promise<boolean> {
  let query = db
    .selectFrom('services')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertService(db: Queryable, service: { id: string; name: string }) {
  await db.insertInto('services').values(service).execute();
}

export async function renameService(db: Queryable, id: string, name: string): Promise<void> {
  await db.updateTable('services').set({ name }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Teams

export interface TeamValues {
  name: string;
  serviceId: string | null;
  groupSupervision: boolean;
  start: string;
  end: string | null;
}

function teamColumns(team: TeamValues) {
  return {
    name: team.name,
    service_id: team.serviceId,
    group_supervision: team.groupSupervision ? 1 : 0,
    start: team.start,
    end: team.end,
  };
}

export async function teamExists(db: Queryable, id: string): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function insertTeam(db: Queryable, id: string, team: TeamValues): Promise<void> {
  await db
    .insertInto('teams')
    .values({ id, ...teamColumns(team) })
    .execute();
}

export async function updateTeam(db: Queryable, id: string, team: TeamValues): Promise<void> {
  await db.updateTable('teams').set(teamColumns(team)).where('id', '=', id).execute();
}

/**
 * Everyone whose due dates are filed under a team: its people, the children allocated to the
 * team or to one of its people, and the foster carers its people supervise.
 */
export async function subjectsOfTeam(
  db: Queryable,
  teamId: string,
): Promise<{ workers: string[]; children: string[]; fosterCarers: string[] }> {
  const workers = (
    await db.selectFrom('people').select('id').where('team_id', '=', teamId).execute()
  ).map((r) => r.id);
  const children = (
    await db
      .selectFrom('allocations')
      .select('child_id')
      .distinct()
      .where((eb) =>
        eb.or([
          eb('team_id', '=', teamId),
          eb('worker_id', 'in', eb.selectFrom('people').select('id').where('team_id', '=', teamId)),
        ]),
      )
      .execute()
  ).map((r) => r.child_id);
  const fosterCarers = (
    await db
      .selectFrom('foster_carers')
      .select('id')
      .where('supervising_worker_id', 'in', (eb) =>
        eb.selectFrom('people').select('id').where('team_id', '=', teamId),
      )
      .execute()
  ).map((r) => r.id);
  return { workers, children, fosterCarers };
}

// ---------------------------------------------------------------------------------------------
// People

export interface PersonListRow {
  id: string;
  name: string | null;
  role: string;
  teamId: string | null;
  teamName: string | null;
  lineManagerId: string | null;
  lineManagerName: string | null;
  end: string | null;
}

/** One page of people, by name, optionally in one team; with the total for paging. */
export async function pageOfPeople(
  db: Queryable,
  filter: { teamId?: string },
  offset: number,
  limit: number,
): Promise<{ rows: PersonListRow[]; total: number }> {
  let base = db.selectFrom('people');
  if (filter.teamId !== undefined) base = base.where('people.team_id', '=', filter.teamId);
  const total = await base
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  const rows = await base
    .leftJoin('teams', 'teams.id', 'people.team_id')
    .leftJoin('people as manager', 'manager.id', 'people.line_manager_id')
    .select([
      'people.id',
      'people.name',
      'people.role',
      'people.team_id',
      'teams.name as team_name',
      'people.line_manager_id',
      'manager.name as line_manager_name',
      'people.end',
    ])
    .orderBy('people.name')
    .orderBy('people.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      teamId: r.team_id,
      teamName: r.team_name,
      lineManagerId: r.line_manager_id,
      lineManagerName: r.line_manager_name,
      end: r.end,
    })),
  };
}

/** Every person's id, name, team and line manager: to offer people in selects, refuse cycles. */
export async function peopleDirectory(db: Queryable): Promise<
  {
    id: string;
    name: string | null;
    teamId: string | null;
    lineManagerId: string | null;
    end: string | null;
  }[]
> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'name', 'team_id', 'line_manager_id', 'end'])
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    teamId: r.team_id,
    lineManagerId: r.line_manager_id,
    end: r.end,
  }));
}

export async function personExists(db: Queryable, id: string): Promise<boolean> {
  const row = await db.selectFrom('people').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Another person (not `exceptId`) already has this email, compared without regard to case. */
export async function personEmailTaken(
  db: Queryable,
  email: string,
  exceptId: string | null,
): Promise<boolean> {
  let query = db
    .selectFrom('people')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()));
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export interface PersonValues {
  name: string;
  email: string | null;
  role: string;
  teamId: string | null;
  serviceId: string | null;
  lineManagerId: string | null;
  start: string;
  end: string | null;
  probationEnd: string | null;
  earlyCareerStart: string | null;
  earlyCareerEnd: string | null;
}

function personColumns(p: PersonValues) {
  return {
    name: p.name,
    email: p.email,
    role: p.role,
    team_id: p.teamId,
    service_id: p.serviceId,
    line_manager_id: p.lineManagerId,
    start: p.start,
    end: p.end,
    probation_end: p.probationEnd,
    early_career_start: p.earlyCareerStart,
    early_career_end: p.earlyCareerEnd,
  };
}

export async function insertPerson(db: Queryable, id: string, person: PersonValues) {
  await db
    .insertInto('people')
    .values({ id, ...personColumns(person) })
    .execute();
}

export async function updatePerson(db: Queryable, id: string, person: PersonValues) {
  await db.updateTable('people').set(personColumns(person)).where('id', '=', id).execute();
}

/** The children ever allocated to a worker (any of whom may be filed under them). */
export async function childrenAllocatedTo(db: Queryable, workerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('allocations')
    .select('child_id')
    .distinct()
    .where('worker_id', '=', workerId)
    .execute();
  return rows.map((r) => r.child_id);
}

export async function carersSupervisedBy(db: Queryable, workerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('foster_carers')
    .select('id')
    .where('supervising_worker_id', '=', workerId)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether the person already has a sign-in account. */
export async function personHasAccount(db: Queryable, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

/** People without an account, for the "create an account" form. */
export async function peopleWithoutAccounts(
  db: Queryable,
): Promise<{ id: string; name: string | null }[]> {
  return db
    .selectFrom('people')
    .select(['id', 'name'])
    .where('id', 'not in', (eb) =>
      eb.selectFrom('accounts').select('person_id').where('person_id', 'is not', null),
    )
    .orderBy('name')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => ({ id: r.id, name: r.name })));
}

// ---------------------------------------------------------------------------------------------
// Policy history

export interface PolicyHistoryRow {
  id: string;
  policyId: string;
  source: 'preset' | 'file';
  effectiveFrom: string;
  chosenAt: string;
  chosenByEmail: string | null;
  reason: string;
}

/** Every version chosen, newest first, with the email of the account that chose it. */
export async function policyHistory(db: Queryable): Promise<PolicyHistoryRow[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .leftJoin('accounts', 'accounts.id', 'policy_versions.chosen_by')
    .select([
      'policy_versions.id',
      'policy_versions.policy_id',
      'policy_versions.source',
      'policy_versions.effective_from',
      'policy_versions.chosen_at',
      'policy_versions.reason',
      'accounts.email',
    ])
    .orderBy('policy_versions.effective_from', 'desc')
    .orderBy('policy_versions.chosen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    policyId: r.policy_id,
    source: r.source,
    effectiveFrom: r.effective_from,
    chosenAt: r.chosen_at,
    chosenByEmail: r.email,
    reason: r.reason,
  }));
}

export async function closureDayExists(db: Queryable, date: string): Promise<boolean> {
  const row = await db
    .selectFrom('closure_days')
    .select('date')
    .where('date', '=', date)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Children

export interface ChildListRow {
  id: string;
  name: string | null;
  dateOfBirth: string | null;
}

function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Children whose id is `q`, or whose id or name starts with it (without regard to case). */
export async function searchChildren(
  db: Queryable,
  q: string,
  limit: number,
): Promise<ChildListRow[]> {
  const prefix = likePrefix(q);
  const rows = await db
    .selectFrom('children')
    .select(['id', 'name', 'date_of_birth'])
    .where((eb) =>
      eb.or([
        eb('id', '=', q),
        sql<SqlBool>`lower(id) like ${prefix} escape '\\'`,
        sql<SqlBool>`lower(name) like ${prefix} escape '\\'`,
      ]),
    )
    .orderBy(sql`case when id = ${q} then 0 else 1 end`)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, dateOfBirth: r.date_of_birth }));
}

export async function findChild(db: Queryable, id: string): Promise<ChildListRow | undefined> {
  const row = await db
    .selectFrom('children')
    .select(['id', 'name', 'date_of_birth'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, dateOfBirth: row.date_of_birth };
}

export async function insertChild(db: Queryable, child: ChildListRow): Promise<void> {
  await db
    .insertInto('children')
    .values({ id: child.id, name: child.name, date_of_birth: child.dateOfBirth })
    .execute();
}

export async function updateChild(
  db: Queryable,
  id: string,
  changes: { name: string | null; dateOfBirth: string | null },
): Promise<void> {
  await db
    .updateTable('children')
    .set({ name: changes.name, date_of_birth: changes.dateOfBirth })
    .where('id', '=', id)
    .execute();
}

export type ChildPeriodKind = 'involvement' | 'placement' | 'legal';

const PERIOD_TABLE = {
  involvement: 'child_involvements',
  placement: 'child_placements',
  legal: 'child_legal',
} as const;

export interface ChildPeriodRow {
  id: string;
  type: string;
  start: string;
  end: string | null;
  stableFrom: string | null;
}

export interface AllocationRow {
  id: string;
  workerId: string | null;
  workerName: string | null;
  teamId: string | null;
  teamName: string | null;
  start: string;
  end: string | null;
}

export interface ChildRecords {
  involvements: ChildPeriodRow[];
  placements: ChildPeriodRow[];
  legal: ChildPeriodRow[];
  risk: { level: string; from: string }[];
  allocations: AllocationRow[];
}

/** A child's records with their row ids, so that one of them can be changed. */
export async function childRecords(db: Queryable, childId: string): Promise<ChildRecords> {
  const periods = async (kind: ChildPeriodKind) => {
    const rows = await db
      .selectFrom(PERIOD_TABLE[kind])
      .select(['id', 'type', 'start', 'end'])
      .where('child_id', '=', childId)
      .orderBy('start')
      .orderBy('id')
      .execute();
    return rows;
  };
  const placements = await db
    .selectFrom('child_placements')
    .select(['id', 'type', 'start', 'end', 'stable_from'])
    .where('child_id', '=', childId)
    .orderBy('start')
    .orderBy('id')
    .execute();
  const risk = await db
    .selectFrom('child_risk')
    .select(['level', 'from_date'])
    .where('child_id', '=', childId)
    .orderBy('from_date')
    .execute();
  const allocations = await db
    .selectFrom('allocations')
    .leftJoin('people', 'people.id', 'allocations.worker_id')
    .leftJoin('teams', 'teams.id', 'allocations.team_id')
    .select([
      'allocations.id',
      'allocations.worker_id',
      'people.name as worker_name',
      'allocations.team_id',
      'teams.name as team_name',
      'allocations.start',
      'allocations.end',
    ])
    .where('allocations.child_id', '=', childId)
    .orderBy('allocations.start')
    .orderBy('allocations.id')
    .execute();
  const plain = (r: { id: string; type: string; start: string; end: string | null }) => ({
    id: r.id,
    type: r.type,
    start: r.start,
    end: r.end,
    stableFrom: null,
  });
  return {
    involvements: (await periods('involvement')).map(plain),
    placements: placements.map((r) => ({
      id: r.id,
      type: r.type,
      start: r.start,
      end: r.end,
      stableFrom: r.stable_from,
    })),
    legal: (await periods('legal')).map(plain),
    risk: risk.map((r) => ({ level: r.level, from: r.from_date })),
    allocations: allocations.map((r) => ({
      id: r.id,
      workerId: r.worker_id,
      workerName: r.worker_name,
      teamId: r.team_id,
      teamName: r.team_name,
      start: r.start,
      end: r.end,
    })),
  };
}

export async function addChildPeriod(
  db: Queryable,
  kind: ChildPeriodKind,
  childId: string,
  period: { type: string; start: string; end: string | null; stableFrom: string | null },
): Promise<void> {
  const base = {
    id: randomUUID(),
    child_id: childId,
    type: period.type,
    start: period.start,
    end: period.end,
  };
  if (kind === 'placement')
    await db
      .insertInto('child_placements')
      .values({ ...base, stable_from: period.stableFrom })
      .execute();
  else await db.insertInto(PERIOD_TABLE[kind]).values(base).execute();
}

export async function findChildPeriod(
  db: Queryable,
  kind: ChildPeriodKind,
  childId: string,
  id: string,
): Promise<{ id: string; type: string; start: string; end: string | null } | undefined> {
  return db
    .selectFrom(PERIOD_TABLE[kind])
    .select(['id', 'type', 'start', 'end'])
    .where('child_id', '=', childId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function endChildPeriod(
  db: Queryable,
  kind: ChildPeriodKind,
  childId: string,
  id: string,
  end: string,
): Promise<void> {
  await db
    .updateTable(PERIOD_TABLE[kind])
    .set({ end })
    .where('child_id', '=', childId)
    .where('id', '=', id)
    .execute();
}

/** Adds a risk entry; false when the child already has one from that date. */
export async function addRisk(
  db: Queryable,
  childId: string,
  risk: { level: string; from: string },
): Promise<boolean> {
  const existing = await db
    .selectFrom('child_risk')
    .select('from_date')
    .where('child_id', '=', childId)
    .where('from_date', '=', risk.from)
    .executeTakeFirst();
  if (existing !== undefined) return false;
  await db
    .insertInto('child_risk')
    .values({ child_id: childId, level: risk.level, from_date: risk.from })
    .execute();
  return true;
}

export async function endAllocation(db: Queryable, id: string, end: string): Promise<void> {
  await db.updateTable('allocations').set({ end }).where('id', '=', id).execute();
}

export async function addAllocation(
  db: Queryable,
  childId: string,
  allocation: { workerId: string | null; teamId: string | null; start: string },
): Promise<void> {
  await db
    .insertInto('allocations')
    .values({
      id: randomUUID(),
      child_id: childId,
      worker_id: allocation.workerId,
      team_id: allocation.teamId,
      start: allocation.start,
      end: null,
    })
    .execute();
}
