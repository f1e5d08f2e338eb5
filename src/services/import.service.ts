import { PostgresAdapter, sql } from 'kysely';
import {
  EMPTY_SNAPSHOT,
  type ChildRecord,
  type FosterCarerRecord,
  type OrganisationSnapshot,
  type PersonRecord,
  type TeamRecord,
} from '../domain/organisation/snapshot.js';
import { toExtract } from '../domain/organisation/to-extract.js';
import type { Extract } from '../domain/scheduling/extract.js';
import type { Db, Queryable } from '../db/database.js';
import {
  readChildren,
  readFosterCarers,
  readPeople,
  readTeams,
  saveChildren,
  saveFosterCarers,
  savePeople,
  saveTeams,
} from '../db/organisation.repository.js';
import {
  dueResultsCurrent,
  invalidateAll,
  loadDueContext,
  recomputeSubjects,
} from './due.service.js';

/**
 * `oversight import extract`: loads an extract (spec/scheduling.md §6) into the database in one
 * transaction. A subject in the file replaces what the database holds from earlier imports
 * (names, teams, allocations and events recorded in the service itself are kept); subjects not
 * in the file are left alone and counted. Due dates of every subject that changed are
 * recomputed in the same transaction (or, when the due dates are not current anyway, everyone is
 * marked for recomputing in it), so nothing is ever half-imported.
 */

export interface KindSummary {
  added: number;
  changed: number;
  unchanged: number;
  /** Held in the database but not in this file: left as they were. */
  notInFile: number;
}

export interface ImportSummary {
  children: KindSummary;
  workers: KindSummary;
  fosterCarers: KindSummary;
  teams: KindSummary;
}

export const IMPORT_SOURCE = 'import';

/** A subject's engine-relevant content, in a form where equal means the same due dates. */
function canonical(part: Partial<OrganisationSnapshot>): string[] {
  const extract = toExtract({ ...EMPTY_SNAPSHOT, ...part });
  const subjects = [
    ...(extract.children ?? []),
    ...(extract.workers ?? []),
    ...(extract.fosterCarers ?? []),
    ...(extract.teams ?? []),
  ];
  return subjects.map((subject) => JSON.stringify(normalise(subject)));
}

/**
 * A record in a form that compares equal whatever the order of its keys and lists, and whether
 * an absent value is null, undefined or an empty list: how an import tells changed from
 * unchanged.
 */
export function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map(normalise)
      .map((v) => [JSON.stringify(v), v] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, v]) => v);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

interface Plan<R> {
  save: R[];
  summary: KindSummary;
}

async function countAll(db: Queryable, table: 'children' | 'people' | 'foster_carers' | 'teams') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function plan<R extends { id: string }>(
  incoming: readonly R[],
  existing: readonly R[],
  total: number,
  key: (record: R) => Partial<OrganisationSnapshot>,
): Plan<R> {
  const before = new Map(existing.map((r) => [r.id, canonical(key(r))[0]]));
  const summary: KindSummary = { added: 0, changed: 0, unchanged: 0, notInFile: 0 };
  const save: R[] = [];
  for (const record of incoming) {
    const old = before.get(record.id);
    if (old === undefined) {
      summary.added++;
      save.push(record);
    } else if (old !== canonical(key(record))[0]) {
      summary.changed++;
      save.push(record);
    } else summary.unchanged++;
  }
  summary.notInFile = total - existing.length;
  return { save, summary };
}

export async function importExtract(
  db: Db,
  extract: Extract,
  options: { now: string; today: string },
): Promise<ImportSummary> {
  const summary = await db.transaction().execute(async (trx) => {
    const childIds = (extract.children ?? []).map((c) => c.id);
    const workerIds = (extract.workers ?? []).map((w) => w.id);
    const carerIds = (extract.fosterCarers ?? []).map((f) => f.id);
    const teamIds = (extract.teams ?? []).map((t) => t.id);

    // What the database holds now: the last import's content, and what the extract lacks.
    const [children, people, carers, teams] = await Promise.all([
      readChildren(trx, childIds, IMPORT_SOURCE),
      readPeople(trx, workerIds, IMPORT_SOURCE),
      readFosterCarers(trx, carerIds, IMPORT_SOURCE),
      readTeams(trx, teamIds, IMPORT_SOURCE),
    ]);
    const oldChild = new Map(children.map((c) => [c.id, c]));
    const oldPerson = new Map(people.map((p) => [p.id, p]));
    const oldCarer = new Map(carers.map((c) => [c.id, c]));
    const oldTeam = new Map(teams.map((t) => [t.id, t]));

    const newTeams: TeamRecord[] = (extract.teams ?? []).map((t) => ({
      id: t.id,
      name: oldTeam.get(t.id)?.name ?? null,
      serviceId: oldTeam.get(t.id)?.serviceId ?? null,
      groupSupervision: t.groupSupervision ?? false,
      start: t.start,
      end: t.end ?? null,
      events: [...(t.events ?? [])],
    }));
    const newPeople: PersonRecord[] = (extract.workers ?? []).map((w) => {
      const old = oldPerson.get(w.id);
      return {
        id: w.id,
        name: old?.name ?? null,
        email: old?.email ?? null,
        role: w.role,
        teamId: old?.teamId ?? null,
        serviceId: old?.serviceId ?? null,
        lineManagerId: old?.lineManagerId ?? null,
        start: w.start,
        end: w.end ?? null,
        probationEnd: w.probationEnd ?? null,
        earlyCareer: w.earlyCareer
          ? { start: w.earlyCareer.start, end: w.earlyCareer.end ?? null }
          : null,
        events: [...(w.events ?? [])],
      };
    });
    const newCarers: FosterCarerRecord[] = (extract.fosterCarers ?? []).map((f) => ({
      id: f.id,
      name: oldCarer.get(f.id)?.name ?? null,
      supervisingWorkerId: oldCarer.get(f.id)?.supervisingWorkerId ?? null,
      start: f.start,
      end: f.end ?? null,
      placements: (f.placements ?? []).map((p) => ({ start: p.start, end: p.end ?? null })),
      events: [...(f.events ?? [])],
    }));
    const newChildren: ChildRecord[] = (extract.children ?? []).map((c) => ({
      id: c.id,
      name: oldChild.get(c.id)?.name ?? null,
      dateOfBirth: c.dateOfBirth ?? null,
      involvements: (c.involvements ?? []).map((p) => ({
        type: p.type,
        start: p.start,
        end: p.end ?? null,
      })),
      placements: (c.placements ?? []).map((p) => ({
        type: p.type,
        start: p.start,
        end: p.end ?? null,
        stableFrom: p.stableFrom ?? null,
      })),
      legal: (c.legal ?? []).map((p) => ({ type: p.type, start: p.start, end: p.end ?? null })),
      risk: (c.risk ?? []).map((r) => ({ level: r.level, from: r.from })),
      allocations: oldChild.get(c.id)?.allocations ?? [],
      events: [...(c.events ?? [])],
    }));

    const teamPlan = plan(newTeams, teams, await countAll(trx, 'teams'), (t) => ({ teams: [t] }));
    const peoplePlan = plan(newPeople, people, await countAll(trx, 'people'), (p) => ({
      people: [p],
    }));
    const carerPlan = plan(newCarers, carers, await countAll(trx, 'foster_carers'), (f) => ({
      fosterCarers: [f],
    }));
    const childPlan = plan(newChildren, children, await countAll(trx, 'children'), (c) => ({
      children: [c],
    }));

    const summary = (): ImportSummary => ({
      children: childPlan.summary,
      workers: peoplePlan.summary,
      fosterCarers: carerPlan.summary,
      teams: teamPlan.summary,
    });
    await saveTeams(trx, teamPlan.save, IMPORT_SOURCE, options.now);
    await savePeople(trx, peoplePlan.save, IMPORT_SOURCE, options.now);
    await saveFosterCarers(trx, carerPlan.save, IMPORT_SOURCE, options.now);
    await saveChildren(trx, childPlan.save, IMPORT_SOURCE, options.now);

    // Due results already for this day are kept current here, in the same transaction. Results
    // that are not (a first import, a new policy, another day) are all recomputed by the next
    // ensureCurrent anyway, so computing the changed subjects here too would be done twice:
    // everyone is marked for recomputing instead (which also outdates a recompute that another
    // instance may have under way from before this import).
    if (!(await dueResultsCurrent(trx, options.today))) {
      await invalidateAll(trx);
      return summary();
    }
    const ctx = await loadDueContext(trx, options.today);
    const ids = (list: readonly { id: string }[]) => list.map((r) => r.id);
    await recomputeSubjects(trx, ctx, 'team', ids(teamPlan.save));
    await recomputeSubjects(trx, ctx, 'worker', ids(peoplePlan.save));
    await recomputeSubjects(trx, ctx, 'fosterCarer', ids(carerPlan.save));
    await recomputeSubjects(trx, ctx, 'child', ids(childPlan.save));

    return summary();
  });
  // PostgreSQL plans queries from statistics, which a first import leaves empty until autovacuum
  // gathers them a while later: without them, the recompute that follows read every child's
  // events for each batch of a thousand children (a council's recompute took minutes, not
  // seconds). Statistics are gathered from a sample, in a second or two. SQLite plans without.
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`analyze`.execute(db);
  return summary;
}
