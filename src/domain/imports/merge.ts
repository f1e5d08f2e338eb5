import type {
  ChildRecord,
  OrganisationSnapshot,
  Period,
  PersonRecord,
  TeamRecord,
} from '../organisation/snapshot.js';
import type { InvolvementType } from '../scheduling/vocabulary.js';
import { normaliseName } from './headings.js';
import type {
  ImportBatch,
  ImportCoverage,
  ImportedChild,
  ImportedPeriod,
  ImportedRecords,
  ImportedTeam,
  ImportSourceKind,
  PersonRef,
} from './types.js';

/**
 * Applies an import batch to an organisation (docs/imports.md, "Merging"):
 *
 * - Children are matched by id; a child not yet known is added. For a matched child, the batch
 *   replaces the records of the kinds it gives (an SSDA903 batch: `cla` involvements,
 *   placements, `care-proceedings`; a CIN census: `cin`, `assessment`, `cp`, `pre-proceedings`)
 *   for the time the source covers (`ImportedRecords.from` on): records that ended before it
 *   are kept, and those that ran into it are kept up to it. Records of other kinds are never
 *   touched. A record the source shows was already open (`continues`) keeps the earlier start
 *   of the record it continues.
 * - What a point-in-time list says is open (`OpenOn`) is added only when not already so: an
 *   involvement already open is left alone, and a different allocation is closed on that date.
 * - People are matched by id and teams by id or name; a person's or team's fields the batch
 *   gives replace the organisation's, the rest are kept.
 * - References to people (allocated workers, line managers) are resolved by id, email or name
 *   (a name only when exactly one person has it); one that matches nobody is left empty and
 *   listed in the summary, so that no record points at a person who does not exist.
 *
 * Pure and idempotent: applying the same batch to the result changes nothing.
 */

export interface MergeKindSummary {
  /** Not in the organisation before: added. */
  added: number;
  /** Matched, and something changed (nothing that was open closed). */
  changed: number;
  /** Matched, and something open before (an involvement, a person's employment) is now closed. */
  closed: number;
  /** Matched, and nothing changed. */
  unchanged: number;
  /** In the organisation but not in the batch: left as they were. */
  notInFile: number;
}

export interface MergeSummary {
  source: ImportSourceKind;
  children: MergeKindSummary;
  workers: MergeKindSummary;
  teams: MergeKindSummary;
  /** Workers and teams the batch names that match nobody (left empty where named). */
  unmatched: { workers: string[]; teams: string[] };
  /** Clashes the merge resolved, in words for the administrator. */
  conflicts: string[];
}

export interface MergeResult {
  snapshot: OrganisationSnapshot;
  summary: MergeSummary;
}

type Status = 'added' | 'changed' | 'closed' | 'unchanged';

function kindSummary(
  statuses: Iterable<Status>,
  existing: number,
  matched: number,
): MergeKindSummary {
  const summary: MergeKindSummary = { added: 0, changed: 0, closed: 0, unchanged: 0, notInFile: 0 };
  for (const status of statuses) summary[status]++;
  summary.notInFile = existing - matched;
  return summary;
}

export function mergeBatch(snapshot: OrganisationSnapshot, batch: ImportBatch): MergeResult {
  const unmatchedWorkers = new Set<string>();
  const unmatchedTeams = new Set<string>();
  const conflicts: string[] = [];

  const teamsResult = mergeTeams(snapshot.teams, batch, unmatchedTeams);
  const resolveTeam = (key: string | null): string | null =>
    key === null ? null : (teamsResult.keyToId.get(key) ?? null);

  const peopleResult = mergePeople(
    snapshot.people,
    batch,
    resolveTeam,
    unmatchedWorkers,
    conflicts,
  );
  const resolvePerson = peopleResult.resolve;

  const children = snapshot.children.slice();
  const childIndex = new Map(children.map((c, i) => [c.id, i] as const));
  const childStatus = new Map<string, Status>();
  let matchedChildren = 0;
  for (const incoming of batch.children.values()) {
    if (childStatus.has(incoming.id)) continue;
    const index = childIndex.get(incoming.id);
    const base = index === undefined ? newChild(incoming.id) : (children[index] as ChildRecord);
    const next = applyChild(base, incoming, batch.covers, resolvePerson, resolveTeam);
    if (index === undefined) {
      childIndex.set(incoming.id, children.length);
      children.push(next);
      childStatus.set(incoming.id, 'added');
      continue;
    }
    matchedChildren++;
    if (canonicalChild(base) === canonicalChild(next)) {
      childStatus.set(incoming.id, 'unchanged');
      continue;
    }
    children[index] = next;
    const types = coveredTypes(batch.covers, incoming);
    const closed = [...types].some(
      (t) => isOpen(base.involvements, t) && !isOpen(next.involvements, t),
    );
    childStatus.set(incoming.id, closed ? 'closed' : 'changed');
  }

  return {
    snapshot: { ...snapshot, teams: teamsResult.teams, people: peopleResult.people, children },
    summary: {
      source: batch.source,
      children: kindSummary(childStatus.values(), snapshot.children.length, matchedChildren),
      workers: kindSummary(
        peopleResult.status.values(),
        snapshot.people.length,
        peopleResult.matched,
      ),
      teams: kindSummary(teamsResult.status.values(), snapshot.teams.length, teamsResult.matched),
      unmatched: { workers: [...unmatchedWorkers].sort(), teams: [...unmatchedTeams].sort() },
      conflicts,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Teams.
// ---------------------------------------------------------------------------------------------

function mergeTeams(existing: readonly TeamRecord[], batch: ImportBatch, unmatched: Set<string>) {
  const teams = existing.slice();
  const byId = new Map(teams.map((t, i) => [t.id, i] as const));
  const byName = new Map<string, string[]>();
  const addName = (name: string | null, id: string) => {
    if (name === null) return;
    const key = normaliseName(name);
    byName.set(key, [...(byName.get(key) ?? []), id]);
  };
  const removeName = (name: string | null, id: string) => {
    if (name === null) return;
    const key = normaliseName(name);
    byName.set(
      key,
      (byName.get(key) ?? []).filter((other) => other !== id),
    );
  };
  for (const t of teams) addName(t.name, t.id);
  const keyToId = new Map<string, string | null>();
  const status = new Map<string, Status>();
  const original = new Set(existing.map((t) => t.id));

  const create = (id: string, name: string | null, start: string) => {
    teams.push({
      id,
      name,
      serviceId: null,
      groupSupervision: false,
      start,
      end: null,
      events: [],
    });
    byId.set(id, teams.length - 1);
    addName(name, id);
    status.set(id, 'added');
  };
  const touch = (id: string, s: Status) => {
    const before = status.get(id);
    if (before === undefined || (before === 'unchanged' && s !== 'unchanged')) status.set(id, s);
  };

  // Teams with ids first, so that a name-only team's new id never takes one the batch names.
  for (const team of batch.teams.values()) {
    if (team.id === null) continue;
    let id: string | null = null;
    const index = byId.get(team.id);
    if (index !== undefined) {
      id = team.id;
      const before = teams[index] as TeamRecord;
      if (team.name !== null && team.name !== before.name) {
        teams[index] = { ...before, name: team.name };
        removeName(before.name, id);
        addName(team.name, id);
        touch(id, original.has(id) ? 'changed' : 'added');
      } else touch(id, original.has(id) ? 'unchanged' : 'added');
    } else if (team.start !== null) {
      id = team.id;
      create(id, team.name, team.start);
    }
    if (id === null) unmatched.add(team.name ?? team.id);
    keyToId.set(team.key, id);
  }
  // Then teams known by name: all the batch's teams of one name are one team.
  const byNormalName = new Map<string, ImportedTeam[]>();
  for (const team of batch.teams.values()) {
    if (team.id !== null) continue;
    const key = team.name === null ? '' : normaliseName(team.name);
    if (key === '') {
      unmatched.add(team.key);
      keyToId.set(team.key, null);
      continue;
    }
    byNormalName.set(key, [...(byNormalName.get(key) ?? []), team]);
  }
  for (const [key, group] of byNormalName) {
    const ids = [...new Set(byName.get(key) ?? [])];
    let id: string | null = null;
    if (ids.length === 1 && ids[0] !== undefined) {
      id = ids[0];
      touch(id, original.has(id) ? 'unchanged' : 'added');
    } else if (ids.length === 0) {
      const starts = group.flatMap((t) => (t.start === null ? [] : [t.start])).sort();
      const name = (group[0]?.name ?? '').trim();
      if (starts[0] !== undefined) {
        id = uniqueId(slug(name), byId);
        create(id, name, starts[0]);
      }
    }
    for (const team of group) {
      if (id === null) unmatched.add(team.name ?? team.key);
      keyToId.set(team.key, id);
    }
  }
  const matched = [...status.keys()].filter((id) => original.has(id)).length;
  return { teams, keyToId, status, matched };
}

function slug(name: string): string {
  return normaliseName(name).replace(/ /g, '-') || 'team';
}

function uniqueId(base: string, taken: Map<string, number>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// ---------------------------------------------------------------------------------------------
// People.
// ---------------------------------------------------------------------------------------------

function mergePeople(
  existing: readonly PersonRecord[],
  batch: ImportBatch,
  resolveTeam: (key: string | null) => string | null,
  unmatched: Set<string>,
  conflicts: string[],
) {
  const people = existing.slice();
  const byId = new Map(people.map((p, i) => [p.id, i] as const));
  const before = new Map<string, PersonRecord>();
  const inBatch: string[] = [];

  for (const p of batch.people.values()) {
    const index = byId.get(p.id);
    if (index !== undefined) {
      const old = people[index] as PersonRecord;
      if (!before.has(p.id)) before.set(p.id, old);
      const next: PersonRecord = { ...old };
      if (p.name !== undefined) next.name = p.name;
      if (p.email !== undefined) next.email = p.email;
      if (p.role !== undefined) next.role = p.role;
      if (p.teamKey !== undefined) next.teamId = resolveTeam(p.teamKey);
      if (p.start !== undefined) next.start = p.start;
      if (p.end !== undefined) next.end = p.end;
      if (p.probationEnd !== undefined) next.probationEnd = p.probationEnd;
      if (p.earlyCareer !== undefined)
        next.earlyCareer =
          p.earlyCareer === null ? null : { start: p.earlyCareer.start, end: p.earlyCareer.end };
      people[index] = next;
    } else if (p.role !== undefined && p.start !== undefined) {
      people.push({
        id: p.id,
        name: p.name ?? null,
        email: p.email ?? null,
        role: p.role,
        teamId: resolveTeam(p.teamKey ?? null),
        serviceId: null,
        lineManagerId: null,
        start: p.start,
        end: p.end ?? null,
        probationEnd: p.probationEnd ?? null,
        earlyCareer:
          p.earlyCareer === undefined || p.earlyCareer === null
            ? null
            : { start: p.earlyCareer.start, end: p.earlyCareer.end },
        events: [],
      });
      byId.set(p.id, people.length - 1);
    } else {
      unmatched.add(p.id);
      continue;
    }
    inBatch.push(p.id);
  }

  // Email addresses are unique: someone the batch does not touch keeps theirs.
  const batchIds = new Set(inBatch);
  const owner = new Map<string, string>();
  for (const p of people)
    if (!batchIds.has(p.id) && p.email !== null) owner.set(p.email.toLowerCase(), p.id);
  for (const id of inBatch) {
    const index = byId.get(id) as number;
    const p = people[index] as PersonRecord;
    if (p.email === null) continue;
    const key = p.email.toLowerCase();
    const other = owner.get(key);
    if (other !== undefined && other !== id) {
      conflicts.push(`Email ${p.email} is already ${other}'s: left blank for ${id}.`);
      people[index] = { ...p, email: null };
    } else owner.set(key, id);
  }

  // The people index, for line managers and allocated workers.
  const emailIndex = new Map<string, string[]>();
  const nameIndex = new Map<string, string[]>();
  for (const p of people) {
    if (p.email !== null) {
      const key = p.email.toLowerCase();
      emailIndex.set(key, [...(emailIndex.get(key) ?? []), p.id]);
    }
    if (p.name !== null) {
      const key = normaliseName(p.name);
      if (key !== '') nameIndex.set(key, [...(nameIndex.get(key) ?? []), p.id]);
    }
  }
  const resolve = (ref: PersonRef | null): string | null => {
    if (ref === null) return null;
    // By id, then email, then name (a name only when one person has it): each the ref gives.
    let found: string | undefined;
    if (ref.id !== undefined && ref.id !== '' && byId.has(ref.id)) found = ref.id;
    if (found === undefined && ref.email !== undefined && ref.email !== '') {
      const ids = emailIndex.get(ref.email.toLowerCase());
      found = ids?.length === 1 ? ids[0] : undefined;
    }
    if (found === undefined && ref.name !== undefined && ref.name !== '') {
      const ids = nameIndex.get(normaliseName(ref.name));
      found = ids?.length === 1 ? ids[0] : undefined;
    }
    if (found === undefined) {
      const label = ref.id ?? ref.email ?? ref.name;
      if (label !== undefined && label !== '') unmatched.add(label);
      return null;
    }
    return found;
  };

  for (const p of batch.people.values()) {
    if (p.lineManager === undefined) continue;
    const index = byId.get(p.id);
    if (index === undefined) continue;
    let manager = resolve(p.lineManager);
    if (manager === p.id) manager = null;
    const current = people[index] as PersonRecord;
    if (current.lineManagerId !== manager) people[index] = { ...current, lineManagerId: manager };
  }

  const status = new Map<string, Status>();
  let matched = 0;
  for (const id of inBatch) {
    if (status.has(id)) continue;
    const after = people[byId.get(id) as number] as PersonRecord;
    const old = before.get(id);
    if (old === undefined) {
      status.set(id, 'added');
      continue;
    }
    matched++;
    if (JSON.stringify(personKey(old)) === JSON.stringify(personKey(after))) {
      // Unchanged: keep the very record, so that a second merge returns the same snapshot.
      people[byId.get(id) as number] = old;
      status.set(id, 'unchanged');
    } else status.set(id, old.end === null && after.end !== null ? 'closed' : 'changed');
  }
  return { people, resolve, status, matched };
}

function personKey(p: PersonRecord): unknown[] {
  return [
    p.name,
    p.email,
    p.role,
    p.teamId,
    p.serviceId,
    p.lineManagerId,
    p.start,
    p.end,
    p.probationEnd,
    p.earlyCareer?.start ?? null,
    p.earlyCareer?.end ?? null,
  ];
}

// ---------------------------------------------------------------------------------------------
// Children.
// ---------------------------------------------------------------------------------------------

function newChild(id: string): ChildRecord {
  return {
    id,
    name: null,
    dateOfBirth: null,
    involvements: [],
    placements: [],
    legal: [],
    risk: [],
    allocations: [],
    events: [],
  };
}

function coveredTypes(covers: ImportCoverage, child: ImportedChild): Set<InvolvementType> {
  const types = new Set<InvolvementType>();
  if (child.involvements !== undefined) {
    for (const t of covers.involvementTypes) types.add(t);
    for (const r of child.involvements.records) types.add(r.type);
  }
  for (const t of child.openOn?.involvements ?? []) types.add(t);
  return types;
}

function isOpen(records: readonly (Period & { type: string })[], type: string): boolean {
  return records.some((r) => r.type === type && r.end === null);
}

function openOnDate(records: readonly (Period & { type: string })[], type: string, date: string) {
  return records.some(
    (r) => r.type === type && r.start <= date && (r.end === null || r.end >= date),
  );
}

type Involvement = ChildRecord['involvements'][number];
type Placement = ChildRecord['placements'][number];
type Legal = ChildRecord['legal'][number];
type Allocation = ChildRecord['allocations'][number];

function applyChild(
  base: ChildRecord,
  incoming: ImportedChild,
  covers: ImportCoverage,
  resolvePerson: (ref: PersonRef | null) => string | null,
  resolveTeam: (key: string | null) => string | null,
): ChildRecord {
  const next: ChildRecord = { ...base };
  if (incoming.dateOfBirth !== undefined) next.dateOfBirth = incoming.dateOfBirth;
  const open = incoming.openOn;

  if (incoming.involvements !== undefined) {
    const types = new Set<string>(covers.involvementTypes);
    for (const r of incoming.involvements.records) types.add(r.type);
    let records: (Involvement & ImportedPeriod)[] = incoming.involvements.records;
    // What is said to be open, of a type the records speak for, is one of the records.
    for (const type of open?.involvements ?? [])
      if (open !== undefined && types.has(type) && !openOnDate(records, type, open.date))
        records = [...records, { type, start: open.date, end: null }];
    next.involvements = replace<Involvement, Involvement & ImportedPeriod>(
      base.involvements,
      { from: incoming.involvements.from, records },
      (e) => types.has(e.type),
      (r, start) => ({ type: r.type, start, end: r.end }),
    );
  }
  if (incoming.placements !== undefined) {
    next.placements = replace<Placement, Placement & ImportedPeriod>(
      base.placements,
      incoming.placements,
      () => true,
      (r, start, previous) => ({
        type: r.type,
        start,
        end: r.end,
        stableFrom: r.stableFrom ?? previous?.stableFrom ?? null,
      }),
    );
  }
  if (incoming.legal !== undefined) {
    const types = new Set<string>(covers.legalTypes);
    for (const r of incoming.legal.records) types.add(r.type);
    next.legal = replace<Legal, Legal & ImportedPeriod>(
      base.legal,
      incoming.legal,
      (e) => types.has(e.type),
      (r, start) => ({ type: r.type, start, end: r.end }),
    );
  }
  const current =
    open?.allocation === null || open?.allocation === undefined
      ? null
      : {
          workerId: resolvePerson(open.allocation.worker),
          teamId: resolveTeam(open.allocation.teamKey),
        };
  if (incoming.allocations !== undefined) {
    let records: Allocation[] = incoming.allocations.records.map((r) => ({
      start: r.start,
      end: r.end,
      workerId: resolvePerson(r.worker),
      teamId: resolveTeam(r.teamKey),
    }));
    // A history and a current allocation together: the current one is part of the history.
    if (open !== undefined && current !== null) records = allocate(records, current, open.date);
    next.allocations = replace<Allocation, Allocation>(
      base.allocations,
      { from: incoming.allocations.from, records },
      () => true,
      (r, start) => ({ start, end: r.end, workerId: r.workerId, teamId: r.teamId }),
    );
  } else if (open !== undefined && current !== null) {
    next.allocations = allocate(next.allocations, current, open.date);
  }

  if (open !== undefined)
    for (const type of open.involvements)
      if (!openOnDate(next.involvements, type, open.date))
        next.involvements = [...next.involvements, { type, start: open.date, end: null }];
  return next;
}

/**
 * Allocations with `current` held from `date`: unchanged when it is held already (or when a
 * later allocation is, which a list from `date` cannot overrule); otherwise the open ones end
 * on `date` and `current` starts then. An allocation to nobody changes nothing.
 */
function allocate(
  allocations: readonly Allocation[],
  current: { workerId: string | null; teamId: string | null },
  date: string,
): Allocation[] {
  if (current.workerId === null && current.teamId === null) return allocations.slice();
  const open = allocations.filter((a) => a.end === null);
  if (open.some((a) => a.workerId === current.workerId && a.teamId === current.teamId))
    return allocations.slice();
  if (open.some((a) => a.start > date)) return allocations.slice();
  return [
    ...allocations.map((a) => (a.end === null ? { ...a, end: date } : a)),
    { start: date, end: null, workerId: current.workerId, teamId: current.teamId },
  ];
}

function recordKey(record: object): string {
  return JSON.stringify(record, Object.keys(record).sort());
}

function compareRecords(a: Period & { type?: string }, b: Period & { type?: string }): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  const ae = a.end ?? '\uffff';
  const be = b.end ?? '\uffff';
  if (ae !== be) return ae < be ? -1 : 1;
  const ak = recordKey(a);
  const bk = recordKey(b);
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

/**
 * A child's records of one kind with the incoming ones in place of those they cover. The source
 * speaks for the time from `from` on: covered records that ended before it are kept, those
 * that began before it and ran on are kept up to it, and all others go. The incoming records,
 * in date order and without duplicates, take their place. A record that `continues` takes the
 * start of the covered record of its type, begun before `from`, that was open on its own start
 * (and which it then replaces).
 */
function replace<
  E extends Period & { type?: string },
  R extends Period & { type?: string; continues?: boolean },
>(
  existing: readonly E[],
  incoming: ImportedRecords<R>,
  covered: (record: E) => boolean,
  make: (record: R, start: string, previous: E | undefined) => E,
): E[] {
  // Never later than the earliest incoming record, so that no incoming record is ever both
  // kept and added by a second merge.
  let from = incoming.from;
  if (from !== null) for (const r of incoming.records) if (r.start < from) from = r.start;

  const KEEP = 0;
  const CUT = 1;
  const DROP = 2;
  const fate = existing.map((e) => {
    if (!covered(e)) return KEEP;
    if (from === null) return DROP;
    if (e.end !== null && (e.end < from || (e.end === from && e.start < from))) return KEEP;
    return e.start < from ? CUT : DROP;
  });

  // Only the earliest records of a type can continue one from before: a later one continues
  // the earlier ones of the same source, not an older record.
  const firstStart = new Map<string | undefined, string>();
  for (const r of incoming.records) {
    const earliest = firstStart.get(r.type);
    if (r.continues === true && (earliest === undefined || r.start < earliest))
      firstStart.set(r.type, r.start);
  }
  const continued = new Set<number>();
  const starts = incoming.records.map((r) => {
    if (r.continues !== true || from === null || firstStart.get(r.type) !== r.start)
      return { start: r.start, source: undefined as E | undefined };
    // A covered record of its type begun before the time the source covers (one inside it is
    // the source's own, from an earlier merge, or one it replaces) and open on this one's start:
    // one ending as this one does first, then the earliest. That order lets a second merge find
    // for each record the very record the first merge made of it.
    let best = -1;
    let bestRank = 2;
    existing.forEach((c, i) => {
      if (!covered(c) || c.type !== r.type || c.start >= from || c.start >= r.start) return;
      if (c.end !== null && c.end < r.start) return;
      const rank = c.end === r.end ? 0 : 1;
      if (rank < bestRank || (rank === bestRank && c.start < (existing[best] as E).start)) {
        best = i;
        bestRank = rank;
      }
    });
    if (best < 0) return { start: r.start, source: undefined };
    continued.add(best);
    const source = existing[best] as E;
    return { start: source.start, source };
  });

  const byKey = new Map<string, E>();
  incoming.records.forEach((r, i) => {
    const { start, source } = starts[i] as { start: string; source: E | undefined };
    const previous =
      existing.find(
        (c, j) => fate[j] !== KEEP && c.type === r.type && c.start === start && c.end === r.end,
      ) ?? source;
    const record = make(r, start, previous);
    const key = recordKey({ ...record, stableFrom: undefined });
    const same = byKey.get(key);
    // Records alike but for stableFrom are one record: the first stableFrom given wins.
    if (same === undefined) byKey.set(key, record);
    else if ('stableFrom' in same && same.stableFrom === null && 'stableFrom' in record)
      byKey.set(key, { ...same, stableFrom: record.stableFrom });
  });
  const added = [...byKey.values()].sort(compareRecords);

  const result: E[] = [];
  const seen = new Set<string>();
  const push = (record: E) => {
    const key = recordKey(record);
    if (seen.has(key)) return;
    seen.add(key);
    result.push(record);
  };
  existing.forEach((e, i) => {
    if (continued.has(i) || fate[i] === DROP) return;
    push(fate[i] === CUT ? { ...e, end: from } : e);
  });
  for (const record of added) push(record);
  return result;
}

/** A child's mergeable content in a form where equal means the same records. */
function canonicalChild(child: ChildRecord): string {
  const sorted = (records: readonly object[]) => records.map(recordKey).sort();
  return JSON.stringify([
    child.dateOfBirth,
    sorted(child.involvements),
    sorted(child.placements),
    sorted(child.legal),
    sorted(child.allocations),
  ]);
}
