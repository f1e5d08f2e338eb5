import type { Queryable } from './database.js';

/** The structure as pages list it: services, teams and people with their names. */

export interface TeamSummary {
  id: string;
  name: string | null;
  serviceId: string | null;
  serviceName: string | null;
  groupSupervision: boolean;
  start: string;
  end: string | null;
}

function teamsQuery(db: Queryable) {
  return db
    .selectFrom('teams')
    .leftJoin('services', 'services.id', 'teams.service_id')
    .select([
      'teams.id',
      'teams.name',
      'teams.service_id',
      'services.name as service_name',
      'teams.group_supervision',
      'teams.start',
      'teams.end',
    ])
    .orderBy('teams.name')
    .orderBy('teams.id');
}

function toTeam(
  r: Awaited<ReturnType<ReturnType<typeof teamsQuery>['execute']>>[number],
): TeamSummary {
  return {
    id: r.id,
    name: r.name,
    serviceId: r.service_id,
    serviceName: r.service_name,
    groupSupervision: r.group_supervision === 1,
    start: r.start,
    end: r.end,
  };
}

export async function listTeams(db: Queryable, serviceId?: string): Promise<TeamSummary[]> {
  let query = teamsQuery(db);
  if (serviceId !== undefined) query = query.where('teams.service_id', '=', serviceId);
  return (await query.execute()).map(toTeam);
}

export async function findTeam(db: Queryable, id: string): Promise<TeamSummary | undefined> {
  const row = await teamsQuery(db).where('teams.id', '=', id).executeTakeFirst();
  return row && toTeam(row);
}

export async function findService(
  db: Queryable,
  id: string,
): Promise<{ id: string; name: string | null } | undefined> {
  return db.selectFrom('services').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export interface PersonSummary {
  id: string;
  name: string | null;
  email: string | null;
  role: string;
  teamId: string | null;
  teamName: string | null;
  serviceId: string | null;
  lineManagerId: string | null;
  lineManagerName: string | null;
  start: string;
  end: string | null;
  probationEnd: string | null;
  earlyCareerStart: string | null;
  earlyCareerEnd: string | null;
}

function peopleQuery(db: Queryable) {
  return db
    .selectFrom('people')
    .leftJoin('teams', 'teams.id', 'people.team_id')
    .leftJoin('people as manager', 'manager.id', 'people.line_manager_id')
    .select([
      'people.id',
      'people.name',
      'people.email',
      'people.role',
      'people.team_id',
      'teams.name as team_name',
      'people.service_id',
      'teams.service_id as team_service_id',
      'people.line_manager_id',
      'manager.name as line_manager_name',
      'people.start',
      'people.end',
      'people.probation_end',
      'people.early_career_start',
      'people.early_career_end',
    ])
    .orderBy('people.name')
    .orderBy('people.id');
}

type PeopleRow = Awaited<ReturnType<ReturnType<typeof peopleQuery>['execute']>>[number];

function toPerson(r: PeopleRow): PersonSummary {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    teamId: r.team_id,
    teamName: r.team_name,
    serviceId: r.team_service_id ?? r.service_id,
    lineManagerId: r.line_manager_id,
    lineManagerName: r.line_manager_name,
    start: r.start,
    end: r.end,
    probationEnd: r.probation_end,
    earlyCareerStart: r.early_career_start,
    earlyCareerEnd: r.early_career_end,
  };
}

export async function listPeople(
  db: Queryable,
  filter: { teamId?: string; lineManagerId?: string; serviceId?: string } = {},
): Promise<PersonSummary[]> {
  let query = peopleQuery(db);
  if (filter.teamId !== undefined) query = query.where('people.team_id', '=', filter.teamId);
  if (filter.lineManagerId !== undefined)
    query = query.where('people.line_manager_id', '=', filter.lineManagerId);
  if (filter.serviceId !== undefined) {
    const serviceId = filter.serviceId;
    query = query.where((eb) =>
      eb.or([eb('people.service_id', '=', serviceId), eb('teams.service_id', '=', serviceId)]),
    );
  }
  return (await query.execute()).map(toPerson);
}

export async function findPerson(db: Queryable, id: string): Promise<PersonSummary | undefined> {
  const row = await peopleQuery(db).where('people.id', '=', id).executeTakeFirst();
  return row && toPerson(row);
}

export async function namesOf(
  db: Queryable,
  table: 'people' | 'teams' | 'services',
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom(table)
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The events recorded for a subject, newest first. */
export async function eventHistory(
  db: Queryable,
  kind: 'child' | 'worker' | 'fosterCarer' | 'team',
  id: string,
  limit = 100,
): Promise<{ date: string; kind: string; source: string }[]> {
  return db
    .selectFrom('events')
    .select(['date', 'kind', 'source'])
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .orderBy('date', 'desc')
    .orderBy('kind')
    .limit(limit)
    .execute();
}
