import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, parseIsoDate, toIsoDate } from '../../src/domain/dates/index.js';
import {
  IMPORT_SOURCE_KINDS,
  mergeBatch,
  type ImportBatch,
  type ImportedChild,
  type ImportedPerson,
  type ImportedTeam,
  type PersonRef,
} from '../../src/domain/imports/index.js';
import {
  EMPTY_SNAPSHOT,
  type ChildRecord,
  type OrganisationSnapshot,
  type PersonRecord,
  type TeamRecord,
} from '../../src/domain/organisation/snapshot.js';
import {
  INVOLVEMENT_TYPES,
  LEGAL_TYPES,
  PLACEMENT_TYPES,
  WORKER_ROLES,
} from '../../src/domain/scheduling/vocabulary.js';

/**
 * Invariants of mergeBatch over random organisations and random batches (whatever a parser
 * could give, and more): applying a batch twice changes nothing the second time, nothing points
 * at a person or team that does not exist, and what the batch does not speak for is untouched.
 */

const BASE = parseIsoDate('2022-01-01');
const date = fc.integer({ min: 0, max: 3 * 365 }).map((d) => toIsoDate(addDays(BASE, d)));
const period = fc
  .tuple(
    fc.integer({ min: 0, max: 3 * 365 }),
    fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
  )
  .map(([start, length]) => ({
    start: toIsoDate(addDays(BASE, start)),
    end: length === null ? null : toIsoDate(addDays(BASE, start + length)),
  }));

const TEAM_IDS = ['T0', 'T1', 'T2'];
const TEAM_NAMES = ['Locality 1', 'locality 1', 'Care Leavers', 'New Team', 'Duty'];
const PERSON_IDS = ['P0', 'P1', 'P2', 'P3'];
const NAMES = ['Ann Lee', 'ann  lee', 'Bo Ray', 'Cy Cole', 'Nobody'];
const EMAILS = ['a@x.uk', 'b@x.uk', 'c@x.uk'];
const CHILD_IDS = ['C0', 'C1', 'C2', 'C3'];
const FEW_INVOLVEMENTS = ['cla', 'cin', 'cp', 'care-leaver'] as const;

const organisation: fc.Arbitrary<OrganisationSnapshot> = fc
  .record({
    teams: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...TEAM_IDS),
        name: fc.option(fc.constantFrom(...TEAM_NAMES), { nil: null }),
      }),
      { selector: (t) => t.id, maxLength: 3 },
    ),
    people: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...PERSON_IDS),
        name: fc.option(fc.constantFrom(...NAMES), { nil: null }),
        email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
        role: fc.constantFrom(...WORKER_ROLES),
        period,
        team: fc.nat(5),
        manager: fc.nat(5),
        probationEnd: fc.option(date, { nil: null }),
        earlyCareer: fc.option(period, { nil: null }),
      }),
      { selector: (p) => p.id, maxLength: 4 },
    ),
    children: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...CHILD_IDS),
        dateOfBirth: fc.option(date, { nil: null }),
        involvements: fc.array(fc.tuple(fc.constantFrom(...FEW_INVOLVEMENTS), period), {
          maxLength: 4,
        }),
        placements: fc.array(
          fc.tuple(fc.constantFrom(...PLACEMENT_TYPES), period, fc.option(date, { nil: null })),
          {
            maxLength: 3,
          },
        ),
        legal: fc.array(fc.tuple(fc.constantFrom(...LEGAL_TYPES), period), { maxLength: 2 }),
        allocations: fc.array(fc.tuple(period, fc.nat(5), fc.nat(5)), { maxLength: 3 }),
      }),
      { selector: (c) => c.id, maxLength: 4 },
    ),
  })
  .map(({ teams, people, children }): OrganisationSnapshot => {
    const teamRecords: TeamRecord[] = teams.map((t) => ({
      id: t.id,
      name: t.name,
      serviceId: null,
      groupSupervision: false,
      start: '2020-01-01',
      end: null,
      events: [],
    }));
    const teamAt = (n: number) => teamRecords[n]?.id ?? null;
    // Emails are unique in an organisation.
    const emails = new Set<string>();
    const personRecords: PersonRecord[] = people.map((p) => {
      const email = p.email !== null && !emails.has(p.email) ? p.email : null;
      if (email !== null) emails.add(email);
      return {
        id: p.id,
        name: p.name,
        email,
        role: p.role,
        teamId: teamAt(p.team),
        serviceId: null,
        lineManagerId: null,
        start: p.period.start,
        end: p.period.end,
        probationEnd: p.probationEnd,
        earlyCareer: p.earlyCareer,
        events: [],
      };
    });
    people.forEach((p, i) => {
      const manager = personRecords[p.manager]?.id ?? null;
      (personRecords[i] as PersonRecord).lineManagerId = manager === p.id ? null : manager;
    });
    const personAt = (n: number) => personRecords[n]?.id ?? null;
    const childRecords: ChildRecord[] = children.map((c) => ({
      id: c.id,
      name: null,
      dateOfBirth: c.dateOfBirth,
      involvements: c.involvements.map(([type, p]) => ({ type, ...p })),
      placements: c.placements.map(([type, p, stableFrom]) => ({ type, ...p, stableFrom })),
      legal: c.legal.map(([type, p]) => ({ type, ...p })),
      risk: [],
      allocations: c.allocations.map(([p, w, t]) => ({
        ...p,
        workerId: personAt(w),
        teamId: teamAt(t),
      })),
      events: [],
    }));
    return { ...EMPTY_SNAPSHOT, teams: teamRecords, people: personRecords, children: childRecords };
  });

const TEAM_KEYS = ['id:T0', 'id:T9', 'name:locality 1', 'name:new team', 'name:nowhere'];
const teamKey = fc.option(fc.constantFrom(...TEAM_KEYS), { nil: null });
const personRef: fc.Arbitrary<PersonRef | null> = fc.option(
  fc.oneof(
    fc.constantFrom(...PERSON_IDS, 'P9').map((id) => ({ id })),
    fc.constantFrom(...EMAILS).map((email) => ({ email })),
    fc.constantFrom(...NAMES).map((name) => ({ name })),
    fc.constantFrom(...NAMES).map((name) => ({ id: name, name })),
  ),
  { nil: null },
);
const records = <T>(record: fc.Arbitrary<T>) =>
  fc.option(
    fc.record({
      from: fc.option(date, { nil: null }),
      records: fc.array(record, { maxLength: 3 }),
    }),
    {
      nil: undefined,
    },
  );
const continues = fc.option(fc.constant(true), { nil: undefined });

const importedChild: fc.Arbitrary<ImportedChild> = fc
  .record({
    id: fc.constantFrom(...CHILD_IDS, 'C8'),
    dateOfBirth: fc.option(date, { nil: undefined }),
    involvements: records(
      fc
        .record({ type: fc.constantFrom(...FEW_INVOLVEMENTS), period, continues })
        .map(({ type, period: p, continues: c }) => ({
          type,
          ...p,
          ...(c === undefined ? {} : { continues: c }),
        })),
    ),
    placements: records(
      fc
        .record({
          type: fc.constantFrom(...PLACEMENT_TYPES),
          period,
          stableFrom: fc.option(date, { nil: null }),
          continues,
        })
        .map(({ type, period: p, stableFrom, continues: c }) => ({
          type,
          ...p,
          stableFrom,
          ...(c === undefined ? {} : { continues: c }),
        })),
    ),
    legal: records(
      fc
        .record({ type: fc.constantFrom(...LEGAL_TYPES), period, continues })
        .map(({ type, period: p, continues: c }) => ({
          type,
          ...p,
          ...(c === undefined ? {} : { continues: c }),
        })),
    ),
    allocations: records(
      fc
        .record({ period, worker: personRef, teamKey })
        .map(({ period: p, worker, teamKey: t }) => ({ ...p, worker, teamKey: t })),
    ),
    openOn: fc.option(
      fc.record({
        date,
        involvements: fc.uniqueArray(fc.constantFrom(...FEW_INVOLVEMENTS), { maxLength: 2 }),
        allocation: fc.option(fc.record({ worker: personRef, teamKey }), { nil: null }),
      }),
      { nil: undefined },
    ),
  })
  .map((c) => {
    const child: ImportedChild = { id: c.id };
    for (const key of [
      'dateOfBirth',
      'involvements',
      'placements',
      'legal',
      'allocations',
      'openOn',
    ] as const)
      if (c[key] !== undefined) (child as unknown as Record<string, unknown>)[key] = c[key];
    return child;
  });

const importedPerson: fc.Arbitrary<ImportedPerson> = fc
  .record(
    {
      id: fc.constantFrom(...PERSON_IDS, 'P7', 'P8'),
      name: fc.option(fc.constantFrom(...NAMES), { nil: null }),
      email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
      role: fc.constantFrom(...WORKER_ROLES),
      teamKey,
      lineManager: personRef,
      start: date,
      end: fc.option(date, { nil: null }),
      probationEnd: fc.option(date, { nil: null }),
      earlyCareer: fc.option(period, { nil: null }),
    },
    { requiredKeys: ['id'] },
  )
  .map((p) =>
    p.end !== undefined && p.end !== null && p.start !== undefined && p.end < p.start
      ? { ...p, end: null }
      : p,
  );

const importedTeam: fc.Arbitrary<ImportedTeam> = fc.constantFrom(...TEAM_KEYS).chain((key) =>
  fc.record({
    key: fc.constant(key),
    id: fc.constant(key.startsWith('id:') ? key.slice(3) : null),
    name: key.startsWith('name:')
      ? fc.constantFrom(...TEAM_NAMES).map((n) => n)
      : fc.option(fc.constantFrom(...TEAM_NAMES), { nil: null }),
    start: fc.option(date, { nil: null }),
  }),
);

const batch: fc.Arbitrary<ImportBatch> = fc
  .record({
    source: fc.constantFrom(...IMPORT_SOURCE_KINDS),
    involvementTypes: fc.uniqueArray(fc.constantFrom(...INVOLVEMENT_TYPES), { maxLength: 3 }),
    legalTypes: fc.uniqueArray(fc.constantFrom(...LEGAL_TYPES), { maxLength: 2 }),
    children: fc.uniqueArray(importedChild, { selector: (c) => c.id, maxLength: 4 }),
    people: fc.uniqueArray(importedPerson, { selector: (p) => p.id, maxLength: 3 }),
    teams: fc.uniqueArray(importedTeam, { selector: (t) => t.key, maxLength: 3 }),
  })
  .map((b) => ({
    source: b.source,
    covers: { involvementTypes: b.involvementTypes, legalTypes: b.legalTypes },
    children: new Map(b.children.map((c) => [c.id, c])),
    people: new Map(b.people.map((p) => [p.id, p])),
    teams: new Map(b.teams.map((t) => [t.key, t])),
  }));

function integrity(s: OrganisationSnapshot): void {
  const people = new Set(s.people.map((p) => p.id));
  const teams = new Set(s.teams.map((t) => t.id));
  expect(people.size).toBe(s.people.length);
  expect(teams.size).toBe(s.teams.length);
  expect(new Set(s.children.map((c) => c.id)).size).toBe(s.children.length);
  const emails = s.people.flatMap((p) => (p.email === null ? [] : [p.email.toLowerCase()]));
  expect(new Set(emails).size).toBe(emails.length);
  for (const p of s.people) {
    if (p.teamId !== null) expect(teams).toContain(p.teamId);
    if (p.lineManagerId !== null) expect(people).toContain(p.lineManagerId);
  }
  for (const c of s.children)
    for (const a of c.allocations) {
      if (a.workerId !== null) expect(people).toContain(a.workerId);
      if (a.teamId !== null) expect(teams).toContain(a.teamId);
    }
}

describe('mergeBatch properties', () => {
  it('changes nothing when the same batch is applied again', () => {
    fc.assert(
      fc.property(organisation, batch, (start, b) => {
        const once = mergeBatch(start, b);
        const twice = mergeBatch(once.snapshot, b);
        expect(twice.snapshot).toEqual(once.snapshot);
        for (const kind of ['children', 'workers', 'teams'] as const)
          expect(twice.summary[kind], kind).toMatchObject({ added: 0, changed: 0, closed: 0 });
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no reference to a person or team that does not exist', () => {
    fc.assert(
      fc.property(organisation, batch, (start, b) => {
        integrity(start);
        integrity(mergeBatch(start, b).snapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('touches nothing the batch does not speak for, nor its input', () => {
    fc.assert(
      fc.property(organisation, batch, (start, b) => {
        const copy = structuredClone(start);
        const { snapshot: after, summary } = mergeBatch(start, b);
        expect(start).toEqual(copy);
        for (const c of start.children) {
          const merged = after.children.find((x) => x.id === c.id);
          const incoming = b.children.get(c.id);
          if (incoming === undefined) {
            expect(merged).toBe(c);
            continue;
          }
          const spoken = new Set<string>([...(incoming.openOn?.involvements ?? [])]);
          if (incoming.involvements !== undefined) {
            for (const t of b.covers.involvementTypes) spoken.add(t);
            for (const r of incoming.involvements.records) spoken.add(r.type);
          }
          const others = (list: ChildRecord['involvements']) =>
            list
              .filter((i) => !spoken.has(i.type))
              .map((i) => JSON.stringify(i))
              .sort();
          expect(others(merged?.involvements ?? [])).toEqual(others(c.involvements));
          if (incoming.placements === undefined) expect(merged?.placements).toEqual(c.placements);
          if (incoming.legal === undefined) expect(merged?.legal).toEqual(c.legal);
          expect(merged?.risk).toEqual(c.risk);
          expect(merged?.events).toEqual(c.events);
        }
        const counted = summary.children;
        expect(counted.added + counted.changed + counted.closed + counted.unchanged).toBe(
          b.children.size,
        );
        expect(counted.notInFile).toBe(start.children.filter((c) => !b.children.has(c.id)).length);
      }),
      { numRuns: 300 },
    );
  });
});
