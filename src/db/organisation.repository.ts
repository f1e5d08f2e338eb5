import type {
  ChildRecord,
  DatedEvent,
  FosterCarerRecord,
  PersonRecord,
  ServiceRecord,
  TeamRecord,
} from '../domain/organisation/snapshot.js';
import type {
  InvolvementType,
  LegalType,
  PlacementType,
  RiskLevel,
  WorkerRole,
} from '../domain/scheduling/vocabulary.js';
import { inSlices, insertMany, newRowId } from './bulk.js';
import type { Database, Queryable, SubjectKindColumn } from './database.js';
import type { Selectable } from 'kysely';

/**
 * Reads and writes the organisation's records in the shape of OrganisationSnapshot. Writing a
 * subject replaces its records (and its events from `source`) wholesale, so a subject always
 * equals what was last written for it; events recorded in the service itself are kept.
 */

// ---------------------------------------------------------------------------------------------
// Organisation

export interface OrganisationRow {
  name: string;
  directorate: string;
  demo: boolean;
}

export async function getOrganisation(db: Queryable): Promise<OrganisationRow | undefined> {
  const row = await db
    .selectFrom('organisation')
    .select(['name', 'directorate', 'demo'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row && { name: row.name, directorate: row.directorate, demo: row.demo === 1 };
}

export async function saveOrganisation(
  db: Queryable,
  organisation: OrganisationRow,
  now: string,
): Promise<void> {
  const values = {
    name: organisation.name,
    directorate: organisation.directorate,
    demo: organisation.demo ? 1 : 0,
  };
  await db
    .insertInto('organisation')
    .values({ id: 1, ...values, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Events

async function readEvents(
  db: Queryable,
  kind: SubjectKindColumn,
  ids: readonly string[],
  source?: string,
): Promise<Map<string, DatedEvent[]>> {
  const rows = await inSlices(ids, (slice) =>
    db
      .selectFrom('events')
      .select(['subject_id', 'date', 'kind'])
      .where('subject_kind', '=', kind)
      .where('subject_id', 'in', slice)
      .$if(source !== undefined, (q) => q.where('source', '=', source ?? ''))
      .orderBy('subject_id')
      .orderBy('date')
      .orderBy('kind')
      .execute(),
  );
  return groupBy(
    rows,
    (r) => r.subject_id,
    (r) => ({ date: r.date, kind: r.kind }),
  );
}

async function replaceEvents(
  db: Queryable,
  kind: SubjectKindColumn,
  subjects: readonly { id: string; events: readonly DatedEvent[] }[],
  source: string,
  now: string,
): Promise<void> {
  await inSlices(
    subjects.map((s) => s.id),
    async (slice) => {
      await db
        .deleteFrom('events')
        .where('subject_kind', '=', kind)
        .where('subject_id', 'in', slice)
        .where('source', '=', source)
        .execute();
      return [];
    },
  );
  // In the order of the events index (subject, then date), made as they are written rather than
  // all at once: an import holds millions of events.
  const ordered = [...subjects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await insertMany(
    db,
    'events',
    (function* () {
      for (const s of ordered)
        for (const e of s.events)
          yield {
            id: newRowId(),
            subject_kind: kind,
            subject_id: s.id,
            kind: e.kind,
            date: e.date,
            source,
            recorded_by: null,
            recorded_at: now,
          };
    })(),
  );
}

export async function addEvent(
  db: Queryable,
  event: { subjectKind: SubjectKindColumn; subjectId: string; kind: string; date: string },
  recordedBy: string,
  now: string,
  /** The signed record, note or contract that wrote it, or the event posted through the API. */
  record?: { kind: 'session' | 'oversight-note' | 'contract' | 'api'; id: string },
): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id: newRowId(),
      subject_kind: event.subjectKind,
      subject_id: event.subjectId,
      kind: event.kind,
      date: event.date,
      source: 'service',
      recorded_by: recordedBy,
      recorded_at: now,
      record_kind: record?.kind ?? null,
      record_id: record?.id ?? null,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Services and teams

export async function listServices(db: Queryable): Promise<ServiceRecord[]> {
  return db.selectFrom('services').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

export async function saveServices(
  db: Queryable,
  services: readonly ServiceRecord[],
): Promise<void> {
  for (const service of services) {
    await db
      .insertInto('services')
      .values(service)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: service.name }))
      .execute();
  }
}

export async function readTeams(
  db: Queryable,
  ids?: readonly string[],
  eventSource?: string,
): Promise<TeamRecord[]> {
  const query = db
    .selectFrom('teams')
    .select(['id', 'name', 'service_id', 'group_supervision', 'start', 'end'])
    .orderBy('name')
    .orderBy('id');
  const rows =
    ids === undefined
      ? await query.execute()
      : await inSlices(ids, (s) => query.where('id', 'in', s).execute());
  const events = await readEvents(
    db,
    'team',
    rows.map((r) => r.id),
    eventSource,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    serviceId: r.service_id,
    groupSupervision: r.group_supervision === 1,
    start: r.start,
    end: r.end,
    events: (events.get(r.id) ?? []) as TeamRecord['events'],
  }));
}

export async function saveTeams(
  db: Queryable,
  teams: readonly TeamRecord[],
  source: string,
  now: string,
): Promise<void> {
  for (const team of teams) {
    const values = {
      name: team.name,
      service_id: team.serviceId,
      group_supervision: team.groupSupervision ? 1 : 0,
      start: team.start,
      end: team.end,
    };
    await db
      .insertInto('teams')
      .values({ id: team.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }
  await replaceEvents(db, 'team', teams, source, now);
}

// ---------------------------------------------------------------------------------------------
// People

export async function readPeople(
  db: Queryable,
  ids?: readonly string[],
  eventSource?: string,
): Promise<PersonRecord[]> {
  const query = db.selectFrom('people').selectAll().orderBy('id');
  const rows =
    ids === undefined
      ? await query.execute()
      : await inSlices(ids, (s) => query.where('id', 'in', s).execute());
  const events = await readEvents(
    db,
    'worker',
    rows.map((r) => r.id),
    eventSource,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role as WorkerRole,
    teamId: r.team_id,
    serviceId: r.service_id,
    lineManagerId: r.line_manager_id,
    start: r.start,
    end: r.end,
    probationEnd: r.probation_end,
    earlyCareer:
      r.early_career_start === null
        ? null
        : { start: r.early_career_start, end: r.early_career_end },
    events: (events.get(r.id) ?? []) as PersonRecord['events'],
  }));
}

/**
 * Saves people in two steps, so that line managers may be listed after the people they manage.
 */
export async function savePeople(
  db: Queryable,
  people: readonly PersonRecord[],
  source: string,
  now: string,
): Promise<void> {
  const existing = new Set(
    (
      await inSlices(
        people.map((p) => p.id),
        (slice) => db.selectFrom('people').select('id').where('id', 'in', slice).execute(),
      )
    ).map((r) => r.id),
  );
  const row = (p: PersonRecord) => ({
    name: p.name,
    email: p.email,
    role: p.role,
    team_id: p.teamId,
    service_id: p.serviceId,
    start: p.start,
    end: p.end,
    probation_end: p.probationEnd,
    early_career_start: p.earlyCareer?.start ?? null,
    early_career_end: p.earlyCareer?.end ?? null,
  });
  await insertMany(
    db,
    'people',
    people
      .filter((p) => !existing.has(p.id))
      .map((p) => ({ id: p.id, ...row(p), line_manager_id: null })),
  );
  for (const person of people) {
    const update = existing.has(person.id)
      ? { ...row(person), line_manager_id: person.lineManagerId }
      : { line_manager_id: person.lineManagerId };
    if (!existing.has(person.id) && person.lineManagerId === null) continue;
    await db.updateTable('people').set(update).where('id', '=', person.id).execute();
  }
  await replaceEvents(db, 'worker', people, source, now);
}

// ---------------------------------------------------------------------------------------------
// Children

export async function readChildren(
  db: Queryable,
  ids: readonly string[],
  eventSource?: string,
): Promise<ChildRecord[]> {
  const rows = await inSlices(ids, (s) =>
    db.selectFrom('children').selectAll().where('id', 'in', s).execute(),
  );
  const found = rows.map((r) => r.id);
  // Each child's periods of one kind, in date order; the id breaks ties the same way every time.
  const periods = <
    T extends 'child_involvements' | 'child_placements' | 'child_legal' | 'allocations',
  >(
    table: T,
  ) =>
    inSlices(found, (s) =>
      db
        .selectFrom(table as 'child_involvements')
        .selectAll()
        .where('child_id', 'in', s)
        .orderBy('start')
        .orderBy('id')
        .execute(),
    ).then((list) =>
      groupBy(
        list as unknown as (Selectable<Database[T]> & { child_id: string })[],
        (r) => r.child_id,
        (r) => r,
      ),
    );
  const [involvements, placements, legal, risk, allocations, events] = await Promise.all([
    periods('child_involvements'),
    periods('child_placements'),
    periods('child_legal'),
    inSlices(found, (s) =>
      db
        .selectFrom('child_risk')
        .selectAll()
        .where('child_id', 'in', s)
        .orderBy('from_date')
        .execute(),
    ).then((list) =>
      groupBy(
        list,
        (r) => r.child_id,
        (r) => r,
      ),
    ),
    periods('allocations'),
    readEvents(db, 'child', found, eventSource),
  ]);
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    dateOfBirth: r.date_of_birth,
    involvements: (involvements.get(r.id) ?? []).map((p) => ({
      type: p.type as InvolvementType,
      start: p.start,
      end: p.end,
    })),
    placements: (placements.get(r.id) ?? []).map((p) => ({
      type: p.type as PlacementType,
      start: p.start,
      end: p.end,
      stableFrom: p.stable_from,
    })),
    legal: (legal.get(r.id) ?? []).map((p) => ({
      type: p.type as LegalType,
      start: p.start,
      end: p.end,
    })),
    risk: (risk.get(r.id) ?? []).map((p) => ({ level: p.level as RiskLevel, from: p.from_date })),
    allocations: (allocations.get(r.id) ?? []).map((p) => ({
      workerId: p.worker_id,
      teamId: p.team_id,
      start: p.start,
      end: p.end,
    })),
    events: (events.get(r.id) ?? []) as ChildRecord['events'],
  }));
}

const CHILD_TABLES = [
  'child_involvements',
  'child_placements',
  'child_legal',
  'child_risk',
  'allocations',
] as const;

/** Replaces each child's records wholesale (and its events from `source`). */
export async function saveChildren(
  db: Queryable,
  children: readonly ChildRecord[],
  source: string,
  now: string,
): Promise<void> {
  const ids = children.map((c) => c.id);
  const existing = new Set(
    (
      await inSlices(ids, (s) =>
        db.selectFrom('children').select('id').where('id', 'in', s).execute(),
      )
    ).map((r) => r.id),
  );
  await inSlices(ids, async (slice) => {
    for (const table of CHILD_TABLES)
      await db.deleteFrom(table).where('child_id', 'in', slice).execute();
    return [];
  });
  for (const child of children) {
    if (existing.has(child.id)) {
      await db
        .updateTable('children')
        .set({ name: child.name, date_of_birth: child.dateOfBirth })
        .where('id', '=', child.id)
        .execute();
    }
  }
  await insertMany(
    db,
    'children',
    children
      .filter((c) => !existing.has(c.id))
      .map((c) => ({ id: c.id, name: c.name, date_of_birth: c.dateOfBirth })),
  );
  const id = () => newRowId();
  await insertMany(
    db,
    'child_involvements',
    children.flatMap((c) =>
      c.involvements.map((p) => ({
        id: id(),
        child_id: c.id,
        type: p.type,
        start: p.start,
        end: p.end,
      })),
    ),
  );
  await insertMany(
    db,
    'child_placements',
    children.flatMap((c) =>
      c.placements.map((p) => ({
        id: id(),
        child_id: c.id,
        type: p.type,
        start: p.start,
        end: p.end,
        stable_from: p.stableFrom,
      })),
    ),
  );
  await insertMany(
    db,
    'child_legal',
    children.flatMap((c) =>
      c.legal.map((p) => ({ id: id(), child_id: c.id, type: p.type, start: p.start, end: p.end })),
    ),
  );
  await insertMany(
    db,
    'child_risk',
    children.flatMap((c) =>
      c.risk.map((r) => ({ child_id: c.id, level: r.level, from_date: r.from })),
    ),
  );
  await insertMany(
    db,
    'allocations',
    children.flatMap((c) =>
      c.allocations.map((a) => ({
        id: id(),
        child_id: c.id,
        worker_id: a.workerId,
        team_id: a.teamId,
        start: a.start,
        end: a.end,
      })),
    ),
  );
  await replaceEvents(db, 'child', children, source, now);
}

export async function listChildIds(
  db: Queryable,
  after: string | null,
  limit: number,
): Promise<string[]> {
  let query = db.selectFrom('children').select('id').orderBy('id').limit(limit);
  if (after !== null) query = query.where('id', '>', after);
  return (await query.execute()).map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Foster carers

export async function readFosterCarers(
  db: Queryable,
  ids?: readonly string[],
  eventSource?: string,
): Promise<FosterCarerRecord[]> {
  const query = db.selectFrom('foster_carers').selectAll().orderBy('id');
  const rows =
    ids === undefined
      ? await query.execute()
      : await inSlices(ids, (s) => query.where('id', 'in', s).execute());
  const found = rows.map((r) => r.id);
  const placements = groupBy(
    await inSlices(found, (s) =>
      db
        .selectFrom('foster_placements')
        .selectAll()
        .where('carer_id', 'in', s)
        .orderBy('start')
        .orderBy('id')
        .execute(),
    ),
    (r) => r.carer_id,
    (r) => ({ start: r.start, end: r.end }),
  );
  const events = await readEvents(db, 'fosterCarer', found, eventSource);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    start: r.start,
    end: r.end,
    supervisingWorkerId: r.supervising_worker_id,
    placements: placements.get(r.id) ?? [],
    events: (events.get(r.id) ?? []) as FosterCarerRecord['events'],
  }));
}

export async function saveFosterCarers(
  db: Queryable,
  carers: readonly FosterCarerRecord[],
  source: string,
  now: string,
): Promise<void> {
  for (const carer of carers) {
    const values = {
      name: carer.name,
      start: carer.start,
      end: carer.end,
      supervising_worker_id: carer.supervisingWorkerId,
    };
    await db
      .insertInto('foster_carers')
      .values({ id: carer.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }
  await inSlices(
    carers.map((c) => c.id),
    async (slice) => {
      await db.deleteFrom('foster_placements').where('carer_id', 'in', slice).execute();
      return [];
    },
  );
  await insertMany(
    db,
    'foster_placements',
    carers.flatMap((c) =>
      c.placements.map((p) => ({ id: newRowId(), carer_id: c.id, start: p.start, end: p.end })),
    ),
  );
  await replaceEvents(db, 'fosterCarer', carers, source, now);
}

// ---------------------------------------------------------------------------------------------

function groupBy<R, V>(
  rows: readonly R[],
  key: (row: R) => string,
  value: (row: R) => V,
): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list === undefined) map.set(k, [value(row)]);
    else list.push(value(row));
  }
  return map;
}
