import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, parseIsoDate, toIsoDate, type CalendarDate } from '../src/domain/dates/index.js';
import { computeSchedule } from '../src/domain/scheduling/engine.js';
import { validateExtract, type Extract } from '../src/domain/scheduling/extract.js';
import type { Policy, Rule } from '../src/domain/scheduling/policy.js';
import { toReport, type Report } from '../src/domain/scheduling/report.js';
import { INVOLVEMENT_TYPES } from '../src/domain/scheduling/vocabulary.js';
import { loadPreset, presetIds } from '../src/policies/index.js';
import { referenceClocks } from './support/reference-engine.js';

/**
 * Invariants of the engine over random extracts: small histories of children, workers, foster
 * carers and teams around a few years, with every record type and event kind of §6.
 */

const BASE = parseIsoDate('2024-01-01');
const SPAN = 3 * 365;
const iso = (offset: number) => toIsoDate(addDays(BASE, offset));

const period = fc
  .tuple(
    fc.integer({ min: 0, max: SPAN }),
    fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  )
  .map(([start, length]) => ({
    start: iso(start),
    end: length === null ? null : iso(start + length),
  }));

const child = fc.record({
  dateOfBirth: fc.option(fc.integer({ min: -25 * 365, max: 0 }).map(iso), { nil: null }),
  // Weighted towards a few types, so that records of one type overlap and follow each other.
  involvements: fc.array(
    fc.tuple(
      fc.oneof(
        { arbitrary: fc.constant('cla'), weight: 4 },
        { arbitrary: fc.constant('cin'), weight: 3 },
        // An assessment's first date (28 days, 20 working days) comes before its monthly one,
        // so a second assessment starting while one is open can bring the date forward.
        { arbitrary: fc.constant('assessment'), weight: 3 },
        fc.constantFrom('early-help', 'cp', 'care-leaver', 'cwd-review'),
      ),
      period,
    ),
    { maxLength: 5 },
  ),
  placements: fc.array(
    fc.tuple(
      fc.oneof(
        { arbitrary: fc.constant('foster'), weight: 4 },
        fc.constantFrom('residential', 'with-parents', 'adoption', 'other'),
      ),
      period,
      fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
    ),
    { maxLength: 3 },
  ),
  legal: fc.array(fc.tuple(fc.constantFrom('pre-proceedings', 'care-proceedings'), period), {
    maxLength: 2,
  }),
  risk: fc.uniqueArray(
    fc.tuple(fc.integer({ min: 0, max: SPAN }), fc.constantFrom('high', 'low')),
    {
      maxLength: 3,
      selector: ([from]) => from,
    },
  ),
  events: fc.array(
    fc.tuple(
      fc.integer({ min: -30, max: SPAN + 60 }),
      fc.constantFrom('case-supervision', 'group-supervision', 'management-oversight'),
    ),
    { maxLength: 12 },
  ),
});

const worker = fc.record({
  role: fc.constantFrom('social-worker', 'team-manager', 'advanced-practitioner', 'school-staff'),
  employment: period,
  probation: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
  earlyCareer: fc.option(
    fc.tuple(
      fc.integer({ min: -20, max: 60 }),
      fc.option(fc.integer({ min: 30, max: 400 }), { nil: null }),
    ),
    {
      nil: null,
    },
  ),
  events: fc.array(
    fc.tuple(
      fc.integer({ min: -30, max: SPAN + 60 }),
      fc.constantFrom('individual', 'group', 'contract'),
    ),
    {
      maxLength: 12,
    },
  ),
});

const carer = fc.record({
  approval: period,
  placements: fc.array(period, { maxLength: 3 }),
  events: fc.array(fc.integer({ min: -30, max: SPAN + 60 }), { maxLength: 8 }),
});

const team = fc.record({
  groupSupervision: fc.boolean(),
  period,
  events: fc.array(fc.integer({ min: -30, max: SPAN + 60 }), { maxLength: 8 }),
});

const extractArbitrary = fc
  .record({
    children: fc.array(child, { maxLength: 4 }),
    workers: fc.array(worker, { maxLength: 3 }),
    carers: fc.array(carer, { maxLength: 2 }),
    teams: fc.array(team, { maxLength: 2 }),
  })
  .map(({ children, workers, carers, teams }) => ({
    children: children.map((c, i) => ({
      id: `C${i}`,
      dateOfBirth: c.dateOfBirth,
      involvements: c.involvements.map(([type, p]) => ({ type, ...p })),
      placements: c.placements.map(([type, p, stable]) => ({
        type,
        ...p,
        stableFrom: stable === null ? null : iso(parseIsoDate(p.start) - BASE + stable),
      })),
      legal: c.legal.map(([type, p]) => ({ type, ...p })),
      risk: c.risk.map(([from, level]) => ({ level, from: iso(from) })),
      events: c.events.map(([date, kind]) => ({ date: iso(date), kind })),
    })),
    workers: workers.map((w, i) => {
      const start = parseIsoDate(w.employment.start) - BASE;
      return {
        id: `W${i}`,
        role: w.role,
        ...w.employment,
        probationEnd: w.probation === null ? null : iso(start + w.probation),
        earlyCareer:
          w.earlyCareer === null
            ? null
            : {
                start: iso(start + w.earlyCareer[0]),
                end:
                  w.earlyCareer[1] === null
                    ? null
                    : iso(start + w.earlyCareer[0] + w.earlyCareer[1]),
              },
        events: w.events.map(([date, kind]) => ({ date: iso(date), kind })),
      };
    }),
    fosterCarers: carers.map((c, i) => ({
      id: `F${i}`,
      ...c.approval,
      placements: c.placements,
      events: c.events.map((date) => ({ date: iso(date), kind: 'supervision' })),
    })),
    teams: teams.map((t, i) => ({
      id: `T${i}`,
      groupSupervision: t.groupSupervision,
      ...t.period,
      events: t.events.map((date) => ({ date: iso(date), kind: 'group' })),
    })),
  }));

const asOfArbitrary = fc.integer({ min: 0, max: SPAN + 90 }).map((offset) => addDays(BASE, offset));
const policyArbitrary = fc.constantFrom(...presetIds());

function run(policy: Policy, extract: unknown, asOf: CalendarDate): Report {
  const validation = validateExtract(extract);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return toReport(computeSchedule(policy, validation.extract, asOf));
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function reorder(extract: Extract, seed: number): Extract {
  const subjects = <T extends { events?: unknown[] | null }>(list: T[] | null | undefined) =>
    shuffle(list ?? [], seed).map((s) => ({ ...s, events: shuffle(s.events ?? [], seed + 1) }));
  return {
    children: subjects(extract.children).map((c) => ({
      ...c,
      involvements: shuffle(c.involvements ?? [], seed + 2),
      placements: shuffle(c.placements ?? [], seed + 3),
      legal: shuffle(c.legal ?? [], seed + 4),
      risk: shuffle(c.risk ?? [], seed + 5),
    })),
    workers: subjects(extract.workers),
    fosterCarers: subjects(extract.fosterCarers).map((f) => ({
      ...f,
      placements: shuffle(f.placements ?? [], seed + 6),
    })),
    teams: subjects(extract.teams),
  };
}

describe('engine invariants', () => {
  it('gives every clock exactly as a naive day-by-day reading of §3 does', () => {
    fc.assert(
      fc.property(policyArbitrary, extractArbitrary, asOfArbitrary, (id, extract, asOf) => {
        const policy = loadPreset(id);
        const clocks = run(policy, extract, asOf)
          .results.filter((r) => r.periodStart === undefined)
          .map(({ reason: _reason, ...clock }) => clock);
        const reference = referenceClocks(policy, extract as Extract, toIsoDate(asOf));
        const key = (c: { subject: string; id: string; requirement: string }) =>
          `${c.subject} ${c.id} ${c.requirement}`;
        expect(new Map(clocks.map((c) => [key(c), c]))).toEqual(
          new Map(reference.map((c) => [key(c), c])),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('every result has due ≤ latest, a status that fits them, and lastEvent ≤ asOf', () => {
    fc.assert(
      fc.property(policyArbitrary, extractArbitrary, asOfArbitrary, (id, extract, asOf) => {
        const report = run(loadPreset(id), extract, asOf);
        const today = toIsoDate(asOf);
        for (const r of report.results) {
          expect(r.due <= r.latest).toBe(true);
          if (r.lastEvent !== null) expect(r.lastEvent <= today).toBe(true);
          if (r.periodStart === undefined) {
            const expected = today < r.due ? 'on-track' : today <= r.latest ? 'due' : 'overdue';
            expect(r.status).toBe(expected);
            expect(r.rules.length).toBeGreaterThan(0);
            expect(r.setBy.date <= today).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of subjects, records or events in the input', () => {
    fc.assert(
      fc.property(
        policyArbitrary,
        extractArbitrary,
        asOfArbitrary,
        fc.integer({ min: 1, max: 1000 }),
        (id, extract, asOf, seed) => {
          const policy = loadPreset(id);
          expect(run(policy, reorder(extract as Extract, seed), asOf)).toEqual(
            run(policy, extract, asOf),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a satisfying event recorded on asOf never leaves the family overdue', () => {
    const kinds: Record<string, [keyof Extract, string]> = {
      'case-supervision': ['children', 'case-supervision'],
      'professional-supervision': ['workers', 'individual'],
      'foster-carer-supervision': ['fosterCarers', 'supervision'],
      'group-supervision': ['teams', 'group'],
      'contract-review': ['workers', 'contract'],
    };
    fc.assert(
      fc.property(policyArbitrary, extractArbitrary, asOfArbitrary, (id, extract, asOf) => {
        const policy = loadPreset(id);
        const today = toIsoDate(asOf);
        for (const r of run(policy, extract, asOf).results) {
          const kind = kinds[r.requirement];
          if (kind === undefined) continue; // milestones and gates
          const [list, eventKind] = kind;
          const changed = structuredClone(extract) as Record<
            string,
            { id: string; events: { date: string; kind: string }[] }[]
          >;
          changed[list]?.find((s) => s.id === r.id)?.events.push({ date: today, kind: eventKind });
          const after = run(policy, changed, asOf).results.find(
            (x) => x.id === r.id && x.requirement === r.requirement,
          );
          expect(after?.status).toBe('on-track');
          expect(after?.lastEvent).toBe(today);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('adding a rule to a policy never moves any due or latest date later', () => {
    const extra: Rule[] = [
      {
        id: 'extra-children',
        family: 'case-supervision',
        label: 'Any open involvement',
        when: {
          involvement: [...INVOLVEMENT_TYPES],
        },
        onlyWhereNoEarlierRule: false,
        first: [{ unit: 'days', count: 45 }],
        every: [{ unit: 'months', count: 2 }],
        firstLatest: [{ unit: 'days', count: 60 }],
        everyLatest: [{ unit: 'months', count: 3 }],
        source: 'test',
      },
      {
        id: 'extra-workers',
        family: 'professional-supervision',
        label: 'Every worker',
        when: {},
        onlyWhereNoEarlierRule: false,
        first: [{ unit: 'days', count: 10 }],
        every: [{ unit: 'months', count: 1 }],
        firstLatest: [{ unit: 'days', count: 10 }],
        everyLatest: [{ unit: 'months', count: 1 }],
        source: 'test',
      },
    ];
    fc.assert(
      fc.property(
        policyArbitrary,
        extractArbitrary,
        asOfArbitrary,
        fc.constantFrom(...extra),
        (id, extract, asOf, rule) => {
          const policy = loadPreset(id);
          const family = policy.rules[rule.family] ?? [];
          const wider: Policy = {
            ...policy,
            rules: { ...policy.rules, [rule.family]: [...family, rule] },
          };
          const before = run(policy, extract, asOf).results.filter(
            (r) => r.periodStart === undefined,
          );
          const after = run(wider, extract, asOf).results;
          for (const r of before) {
            const now = after.find(
              (x) => x.subject === r.subject && x.id === r.id && x.requirement === r.requirement,
            );
            expect(now).toBeDefined();
            expect(now && now.due <= r.due).toBe(true);
            expect(now && now.latest <= r.latest).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
