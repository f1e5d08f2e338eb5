import { loadPolicyVersion } from './policy.service.js';
import {
  parseIsoDate,
  parseOffset,
  toIsoDate,
  WorkingDayCalendar,
  type CalendarDate,
} from '../domain/dates/index.js';
import { EMPTY_SNAPSHOT, type OrganisationSnapshot } from '../domain/organisation/snapshot.js';
import { toExtract } from '../domain/organisation/to-extract.js';
import { computeSchedule, type ScheduleResult } from '../domain/scheduling/engine.js';
import { applyOverride, type ScheduleOverride } from '../domain/scheduling/override.js';
import type { Policy } from '../domain/scheduling/policy.js';
import { inSlices, insertMany } from '../db/bulk.js';
import type { Db, DueResultsTable, Queryable, SubjectKindColumn } from '../db/database.js';
import {
  readChildren,
  readFosterCarers,
  readPeople,
  readTeams,
} from '../db/organisation.repository.js';
import { listClosureDays, overridesFor, type OverrideRow } from '../db/policy.repository.js';
import type { Clock } from '../clock.js';

/**
 * Keeps due_results equal to the engine's results for everyone on today (docs/adr/0004):
 * every subject is recomputed when the date or the policy changes, and a subject is recomputed
 * in the same transaction as any write that touches it.
 */

export interface DueContext {
  readonly asOf: CalendarDate;
  readonly asOfIso: string;
  readonly policy: Policy;
  readonly policyVersionId: string;
  readonly calendar: WorkingDayCalendar;
  readonly teams: ReadonlyMap<string, string | null>;
  readonly people: ReadonlyMap<string, { teamId: string | null; serviceId: string | null }>;
}

export async function loadDueContext(db: Queryable, asOfIso: string): Promise<DueContext | null> {
  const version = await loadPolicyVersion(db, asOfIso);
  if (version === null) return null;
  const closures = (await listClosureDays(db)).map((d) => parseIsoDate(d.date));
  const policy: Policy = {
    ...version.policy,
    closureDays: [...version.policy.closureDays, ...closures],
  };
  const teams = new Map(
    (await db.selectFrom('teams').select(['id', 'service_id']).execute()).map((t) => [
      t.id,
      t.service_id,
    ]),
  );
  const people = new Map(
    (await db.selectFrom('people').select(['id', 'team_id', 'service_id']).execute()).map((p) => [
      p.id,
      {
        teamId: p.team_id,
        serviceId: (p.team_id === null ? null : (teams.get(p.team_id) ?? null)) ?? p.service_id,
      },
    ]),
  );
  return {
    asOf: parseIsoDate(asOfIso),
    asOfIso,
    policy,
    policyVersionId: version.id,
    calendar: new WorkingDayCalendar(policy.closureDays),
    teams,
    people,
  };
}

const RANK: Record<string, number> = {
  overdue: 0,
  missed: 0,
  breached: 0,
  due: 1,
  'on-track': 2,
  met: 3,
};

interface Place {
  worker_id: string | null;
  team_id: string | null;
  service_id: string | null;
}

function workerPlace(ctx: DueContext, workerId: string | null): Place {
  const person = workerId === null ? undefined : ctx.people.get(workerId);
  return {
    worker_id: workerId,
    team_id: person?.teamId ?? null,
    service_id: person?.serviceId ?? null,
  };
}

/** The allocation that decides who sees a child: the current one, else the last one. */
export function decidingAllocation<A extends { start: string; end: string | null }>(
  allocations: readonly A[],
  asOfIso: string,
): A | undefined {
  let best: A | undefined;
  for (const a of allocations) {
    if (a.start > asOfIso) continue;
    const open = a.end === null || a.end >= asOfIso;
    const bestOpen = best !== undefined && (best.end === null || best.end >= asOfIso);
    if (best === undefined || (open && !bestOpen) || (open === bestOpen && a.start >= best.start))
      best = a;
  }
  return best;
}

function toOverride(row: OverrideRow): ScheduleOverride | null {
  const every = parseOffset(row.every);
  if (typeof every === 'string') return null;
  return {
    every,
    starts: parseIsoDate(row.starts),
    until: parseIsoDate(row.until),
    direction: row.direction,
    reason: row.reason,
  };
}

interface Computed {
  results: DueResultsTable[];
  warnings: { subject_kind: SubjectKindColumn; subject_id: string; message: string }[];
  scopes: (Place & { subject_kind: SubjectKindColumn; subject_id: string })[];
}

async function computeFor(
  db: Queryable,
  ctx: DueContext,
  kind: SubjectKindColumn,
  ids: readonly string[],
): Promise<Computed> {
  const places = new Map<string, Place>();
  const involvements = new Map<string, string>();
  const caseEvents = new Map<string, CalendarDate[]>();
  const overrides = new Map<string, { id: string; override: ScheduleOverride }>();
  let snapshot: OrganisationSnapshot;
  if (kind === 'child') {
    const children = await readChildren(db, ids);
    for (const child of children) {
      const allocation = decidingAllocation(child.allocations, ctx.asOfIso);
      const place = workerPlace(ctx, allocation?.workerId ?? null);
      if (allocation?.teamId != null) {
        place.team_id = allocation.teamId;
        place.service_id = ctx.teams.get(allocation.teamId) ?? null;
      }
      places.set(child.id, place);
      const open = child.involvements
        .filter((i) => i.start <= ctx.asOfIso && (i.end === null || i.end >= ctx.asOfIso))
        .map((i) => i.type);
      involvements.set(child.id, open.length === 0 ? '' : `,${[...new Set(open)].join(',')},`);
      caseEvents.set(
        child.id,
        child.events
          .filter((e) => e.kind === 'case-supervision' || e.kind === 'group-supervision')
          .map((e) => parseIsoDate(e.date)),
      );
    }
    // In slices: an `in (...)` list of every child would pass SQLite's limit on parameters.
    for (const row of await inSlices(ids, (slice) => overridesFor(db, slice))) {
      const override = row.endedAt === null ? toOverride(row) : null;
      if (override !== null && !overrides.has(row.childId))
        overrides.set(row.childId, { id: row.id, override });
    }
    snapshot = { ...EMPTY_SNAPSHOT, children };
  } else if (kind === 'worker') {
    const people = await readPeople(db, ids);
    for (const p of people) places.set(p.id, workerPlace(ctx, p.id));
    snapshot = { ...EMPTY_SNAPSHOT, people };
  } else if (kind === 'fosterCarer') {
    const carers = await readFosterCarers(db, ids);
    for (const c of carers) places.set(c.id, workerPlace(ctx, c.supervisingWorkerId));
    snapshot = { ...EMPTY_SNAPSHOT, fosterCarers: carers };
  } else {
    const teams = await readTeams(db, ids);
    for (const t of teams)
      places.set(t.id, { worker_id: null, team_id: t.id, service_id: t.serviceId });
    snapshot = { ...EMPTY_SNAPSHOT, teams };
  }
  const schedule = computeSchedule(ctx.policy, toExtract(snapshot), ctx.asOf);
  const results = schedule.results.map((r) => {
    const override =
      r.requirement === 'case-supervision' && r.periodStart === undefined
        ? overrides.get(r.id)
        : undefined;
    return toRow(ctx, r, places.get(r.id), involvements.get(r.id) ?? '', override, caseEvents);
  });
  return {
    results,
    warnings: schedule.warnings.map((w) => ({
      subject_kind: w.subject,
      subject_id: w.id,
      message: w.message,
    })),
    scopes: [...places].map(([id, place]) => ({ subject_kind: kind, subject_id: id, ...place })),
  };
}

function toRow(
  ctx: DueContext,
  r: ScheduleResult,
  place: Place | undefined,
  involvements: string,
  override: { id: string; override: ScheduleOverride } | undefined,
  caseEvents: ReadonlyMap<string, CalendarDate[]>,
): DueResultsTable {
  const effective =
    override === undefined
      ? r
      : applyOverride(r, override.override, caseEvents.get(r.id) ?? [], ctx.asOf, ctx.calendar);
  const overridden = effective !== r;
  return {
    subject_kind: r.subject,
    subject_id: r.id,
    requirement: r.requirement,
    period_start: r.periodStart === undefined ? '' : toIsoDate(r.periodStart),
    status: r.status,
    due: toIsoDate(r.due),
    latest: toIsoDate(r.latest),
    last_event: r.lastEvent === null ? null : toIsoDate(r.lastEvent),
    rules: JSON.stringify(r.rules),
    set_by_kind: r.setBy.kind,
    set_by_date: toIsoDate(r.setBy.date),
    reason: r.reason,
    met: r.met == null ? null : toIsoDate(r.met),
    on_time: r.onTime == null ? null : r.onTime ? 1 : 0,
    effective_status: effective.status,
    effective_due: toIsoDate(effective.due),
    effective_latest: toIsoDate(effective.latest),
    override_id: overridden ? (override?.id ?? null) : null,
    status_rank: RANK[effective.status] ?? 2,
    worker_id: place?.worker_id ?? null,
    team_id: place?.team_id ?? null,
    service_id: place?.service_id ?? null,
    involvements,
    as_of: ctx.asOfIso,
  };
}

async function replaceFor(
  db: Queryable,
  kind: SubjectKindColumn,
  ids: readonly string[],
  computed: Computed,
): Promise<void> {
  await inSlices(ids, async (slice) => {
    for (const table of ['due_results', 'due_warnings', 'subject_scope'] as const)
      await db
        .deleteFrom(table)
        .where('subject_kind', '=', kind)
        .where('subject_id', 'in', slice)
        .execute();
    return [];
  });
  await insertMany(db, 'due_results', computed.results);
  const scope = new Map(computed.scopes.map((s) => [s.subject_id, s]));
  await insertMany(
    db,
    'due_warnings',
    computed.warnings.map((w) => {
      const s = scope.get(w.subject_id);
      return {
        ...w,
        worker_id: s?.worker_id ?? null,
        team_id: s?.team_id ?? null,
        service_id: s?.service_id ?? null,
      };
    }),
  );
  await insertMany(db, 'subject_scope', computed.scopes);
}

/** Recomputes some subjects, inside the caller's transaction. */
export async function recomputeSubjects(
  db: Queryable,
  ctx: DueContext | null,
  kind: SubjectKindColumn,
  ids: readonly string[],
): Promise<void> {
  if (ctx === null || ids.length === 0) return;
  await replaceFor(db, kind, ids, await computeFor(db, ctx, kind, ids));
}

const BATCH = 1000;

async function idsOf(db: Queryable, kind: SubjectKindColumn): Promise<string[]> {
  const table = {
    child: 'children',
    worker: 'people',
    fosterCarer: 'foster_carers',
    team: 'teams',
  } as const;
  return (await db.selectFrom(table[kind]).select('id').orderBy('id').execute()).map((r) => r.id);
}

/**
 * Recomputes everyone, a batch of subjects per transaction, so that memory stays flat and no
 * write is held up for long.
 */
export async function recomputeAll(db: Db, asOfIso: string): Promise<{ subjects: number }> {
  const ctx = await loadDueContext(db, asOfIso);
  if (ctx === null) {
    await db.transaction().execute(async (trx) => {
      for (const table of ['due_results', 'due_warnings', 'subject_scope'] as const)
        await trx.deleteFrom(table).execute();
    });
    return { subjects: 0 };
  }
  let subjects = 0;
  for (const kind of ['child', 'worker', 'fosterCarer', 'team'] as const) {
    const ids = await idsOf(db, kind);
    for (let i = 0; i < ids.length; i += BATCH) {
      const slice = ids.slice(i, i + BATCH);
      const computed = await computeFor(db, ctx, kind, slice);
      await db.transaction().execute((trx) => replaceFor(trx, kind, slice, computed));
      subjects += slice.length;
    }
    // Subjects removed since the last run.
    await db.transaction().execute(async (trx) => {
      for (const table of ['due_results', 'due_warnings', 'subject_scope'] as const)
        await trx
          .deleteFrom(table)
          .where('subject_kind', '=', kind)
          .where('subject_id', 'not in', (eb) => eb.selectFrom(tableOf(kind)).select('id'))
          .execute();
    });
  }
  return { subjects };
}

function tableOf(kind: SubjectKindColumn) {
  return (
    { child: 'children', worker: 'people', fosterCarer: 'foster_carers', team: 'teams' } as const
  )[kind];
}

// ---------------------------------------------------------------------------------------------
// Keeping it current

const LEASE_MS = 10 * 60 * 1000;

async function readState(db: Queryable) {
  let state = await db.selectFrom('due_state').selectAll().where('id', '=', 1).executeTakeFirst();
  if (state === undefined) {
    await db
      .insertInto('due_state')
      .values({
        id: 1,
        as_of: null,
        policy_version_id: null,
        generation: 1,
        computed_generation: null,
        computed_at: null,
        lease_until: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    state = await db
      .selectFrom('due_state')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
  }
  return state;
}

/** Marks everyone for recomputing (a new policy version, a closure day). */
export async function invalidateAll(db: Queryable): Promise<void> {
  invalidations++;
  await readState(db);
  await db
    .updateTable('due_state')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

function isCurrent(
  state: Awaited<ReturnType<typeof readState>>,
  today: string,
  versionId: string | null,
): boolean {
  return (
    state.as_of === today &&
    state.computed_generation === state.generation &&
    state.policy_version_id === versionId
  );
}

/**
 * Whether due_results hold everyone's results for `asOfIso` under the policy in force then,
 * with nothing marked for recomputing; if not, the next ensureCurrent recomputes everyone.
 */
export async function dueResultsCurrent(db: Queryable, asOfIso: string): Promise<boolean> {
  const state = await readState(db);
  const version = await loadPolicyVersion(db, asOfIso);
  return isCurrent(state, asOfIso, version?.id ?? null);
}

export interface DueFreshness {
  asOf: string;
  recomputed: boolean;
}

const inFlight = new WeakMap<Db, Promise<DueFreshness>>();

/**
 * Makes sure due_results are for today and the current policy before a page reads them. One
 * instance recomputes (holding a lease in due_state); the others wait for it.
 */
export function ensureCurrent(db: Db, clock: Clock): Promise<DueFreshness> {
  const running = inFlight.get(db);
  if (running !== undefined) return running;
  // Every page asks; the answer is the same for a second unless this process changed something
  // (another instance's change is seen within that second).
  const today = clock.today();
  const last = checked.get(db);
  const now = Date.now();
  if (
    last !== undefined &&
    last.today === today &&
    last.invalidations === invalidations &&
    now - last.at < CHECK_MEMO_MS
  ) {
    return Promise.resolve({ asOf: today, recomputed: false });
  }
  const seen = invalidations;
  const work = bringUpToDate(db, clock)
    .then((freshness) => {
      checked.set(db, { today: freshness.asOf, at: Date.now(), invalidations: seen });
      return freshness;
    })
    .finally(() => inFlight.delete(db));
  inFlight.set(db, work);
  return work;
}

const CHECK_MEMO_MS = 1000;
/** Bumped by invalidateAll in this process, so that a change here is seen at once. */
let invalidations = 0;
const checked = new WeakMap<Db, { today: string; at: number; invalidations: number }>();

async function bringUpToDate(db: Db, clock: Clock): Promise<DueFreshness> {
  const today = clock.today();
  for (let attempt = 0; ; attempt++) {
    const state = await readState(db);
    const version = await loadPolicyVersion(db, today);
    if (isCurrent(state, today, version?.id ?? null)) return { asOf: today, recomputed: false };
    const now = clock.now();
    const lease = await db
      .updateTable('due_state')
      .set({ lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
      .where('id', '=', 1)
      .where((eb) =>
        eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]),
      )
      .executeTakeFirst();
    if (Number(lease.numUpdatedRows) === 1) {
      try {
        await recomputeAll(db, today);
        await db
          .updateTable('due_state')
          .set({
            as_of: today,
            computed_generation: state.generation,
            policy_version_id: version?.id ?? null,
            computed_at: clock.now().toISOString(),
            lease_until: null,
          })
          .where('id', '=', 1)
          .execute();
      } catch (error) {
        await db.updateTable('due_state').set({ lease_until: null }).where('id', '=', 1).execute();
        throw error;
      }
      return { asOf: today, recomputed: true };
    }
    // Another instance is recomputing: wait for it.
    if (attempt > 3000)
      throw new Error('Timed out waiting for another instance to recompute due dates');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * When a worker's or a team's next supervision would be due if a session on `date` were
 * counted: the engine run on their records plus that event, on that date. What a record's
 * "date of the next session" is checked against.
 */
export async function dueAfterSession(
  db: Queryable,
  ctx: DueContext,
  subject: { kind: 'worker' | 'team'; id: string },
  date: string,
): Promise<{ due: string; latest: string; reason: string } | null> {
  const at = parseIsoDate(date);
  let snapshot: OrganisationSnapshot;
  let requirement: string;
  if (subject.kind === 'worker') {
    const people = (await readPeople(db, [subject.id])).map((p) => ({
      ...p,
      events: [...p.events, { date, kind: 'individual' as const }],
    }));
    snapshot = { ...EMPTY_SNAPSHOT, people };
    requirement = 'professional-supervision';
  } else {
    const teams = (await readTeams(db, [subject.id])).map((t) => ({
      ...t,
      events: [...t.events, { date, kind: 'group' as const }],
    }));
    snapshot = { ...EMPTY_SNAPSHOT, teams };
    requirement = 'group-supervision';
  }
  const result = computeSchedule(ctx.policy, toExtract(snapshot), at).results.find(
    (r) => r.requirement === requirement && r.periodStart === undefined,
  );
  if (result === undefined) return null;
  return { due: toIsoDate(result.due), latest: toIsoDate(result.latest), reason: result.reason };
}
