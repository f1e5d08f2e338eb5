import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { parseIsoDate } from '../src/domain/dates/index.js';
import { computeSchedule } from '../src/domain/scheduling/engine.js';
import { validateExtract, type Extract } from '../src/domain/scheduling/extract.js';
import { reportResult } from '../src/domain/scheduling/report.js';
import { migrateToLatest } from '../src/db/create-db.js';
import {
  readChildren,
  saveChildren,
  saveServices,
  saveTeams,
  savePeople,
} from '../src/db/organisation.repository.js';
import { loadPreset } from '../src/policies/index.js';
import { ensureCurrent, invalidateAll, recomputeAll } from '../src/services/due.service.js';
import { importExtract } from '../src/services/import.service.js';
import { choosePolicy } from '../src/services/policy.service.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { generateDemoOrganisation } from '../src/demo/demo-organisation.js';
import { toExtract } from '../src/domain/organisation/to-extract.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * The repositories and the services that write through them, on SQLite and (when
 * TEST_DATABASE_URL is set) PostgreSQL.
 */

const example = JSON.parse(readFileSync('examples/extract.json', 'utf8')) as unknown;
function exampleExtract(): Extract {
  const result = validateExtract(structuredClone(example));
  if (!result.ok) throw new Error('examples/extract.json is not valid');
  return result.extract;
}

const NOW = '2026-11-24T10:00:00.000Z';
const AS_OF = '2026-11-24';

/** due_results as the engine's report rows, for comparing with `oversight due`. */
async function storedResults(db: Parameters<typeof readChildren>[0]) {
  const rows = await db
    .selectFrom('due_results')
    .selectAll()
    .orderBy('subject_kind')
    .orderBy('subject_id')
    .orderBy('requirement')
    .orderBy('period_start')
    .execute();
  return rows.map((r) => ({
    subject: r.subject_kind,
    id: r.subject_id,
    requirement: r.requirement,
    ...(r.period_start === '' ? {} : { periodStart: r.period_start }),
    status: r.status,
    due: r.due,
    latest: r.latest,
    lastEvent: r.last_event,
    ...(r.period_start === ''
      ? {}
      : { met: r.met, onTime: r.on_time === null ? null : r.on_time === 1 }),
    rules: JSON.parse(r.rules) as string[],
    setBy: { kind: r.set_by_kind, date: r.set_by_date },
    reason: r.reason,
  }));
}

function byKey(a: { subject: string; id: string; requirement: string; periodStart?: string }) {
  return `${a.subject}|${a.id}|${a.requirement}|${a.periodStart ?? ''}`;
}

describeEachDatabase('migrations', (use) => {
  it('creates every table, and a second run changes nothing', async () => {
    const { db } = use();
    expect(await migrateToLatest(db)).toEqual([]);
    for (const table of [
      'organisation',
      'children',
      'events',
      'due_results',
      'web_sessions',
    ] as const)
      await db.selectFrom(table).selectAll().limit(1).execute();
  });
});

describeEachDatabase('children repository', (use) => {
  it('reads back exactly what it saved, and a second save replaces the records', async () => {
    const { db } = use();
    await saveServices(db, [{ id: 'svc', name: 'Service' }]);
    await saveTeams(
      db,
      [
        {
          id: 'T1',
          name: 'Team one',
          serviceId: 'svc',
          groupSupervision: false,
          start: '2020-01-01',
          end: null,
          events: [],
        },
      ],
      'test',
      NOW,
    );
    await savePeople(
      db,
      [
        {
          id: 'W1',
          name: 'Worker One',
          email: null,
          role: 'social-worker',
          teamId: 'T1',
          serviceId: null,
          lineManagerId: null,
          start: '2020-01-01',
          end: null,
          probationEnd: null,
          earlyCareer: null,
          events: [],
        },
      ],
      'test',
      NOW,
    );
    const child = {
      id: 'C1',
      name: 'Test Child',
      dateOfBirth: '2015-05-05',
      involvements: [{ type: 'cp' as const, start: '2026-01-01', end: null }],
      placements: [
        { type: 'foster' as const, start: '2026-02-01', end: '2026-05-31', stableFrom: null },
      ],
      legal: [{ type: 'pre-proceedings' as const, start: '2026-03-01', end: null }],
      risk: [{ level: 'low' as const, from: '2026-04-01' }],
      allocations: [{ workerId: 'W1', teamId: 'T1', start: '2026-01-01', end: null }],
      events: [{ date: '2026-02-10', kind: 'case-supervision' as const }],
    };
    await db.transaction().execute((trx) => saveChildren(trx, [child], 'test', NOW));
    expect(await readChildren(db, ['C1'])).toEqual([child]);
    const changed = { ...child, involvements: [], placements: [], events: [] };
    await db.transaction().execute((trx) => saveChildren(trx, [changed], 'test', NOW));
    expect(await readChildren(db, ['C1'])).toEqual([changed]);
  });
});

describeEachDatabase('importing an extract', (use) => {
  beforeAll(async () => {
    await choosePolicy(use().db, {
      presetId: 'four-weekly',
      document: null,
      effectiveFrom: '2020-01-01',
      reason: 'test',
      chosenBy: null,
      chosenAt: NOW,
    });
  });

  it('adds everything the first time and reports it', async () => {
    const summary = await importExtract(use().db, exampleExtract(), { now: NOW, today: AS_OF });
    const extract = exampleExtract();
    expect(summary.children).toEqual({
      added: extract.children?.length,
      changed: 0,
      unchanged: 0,
      notInFile: 0,
    });
    expect(summary.workers.added).toBe(extract.workers?.length ?? 0);
  });

  it('changes nothing when the same file is imported again', async () => {
    const summary = await importExtract(use().db, exampleExtract(), { now: NOW, today: AS_OF });
    for (const kind of [summary.children, summary.workers, summary.fosterCarers, summary.teams]) {
      expect(kind.added).toBe(0);
      expect(kind.changed).toBe(0);
    }
  });

  it('counts a changed subject as changed and leaves subjects not in the file alone', async () => {
    const extract = exampleExtract();
    const children = extract.children ?? [];
    const first = children[0];
    if (first === undefined) throw new Error('example has no children');
    const modified: Extract = {
      ...extract,
      children: [
        {
          ...first,
          events: [...(first.events ?? []), { date: '2026-11-20', kind: 'case-supervision' }],
        },
      ],
    };
    const summary = await importExtract(use().db, modified, { now: NOW, today: AS_OF });
    expect(summary.children).toEqual({
      added: 0,
      changed: 1,
      unchanged: 0,
      notInFile: children.length - 1,
    });
  });

  it('writes nothing when any row fails: the database is exactly as it was', async () => {
    const { db } = use();
    const before = await db.selectFrom('children').select('id').execute();
    const eventsBefore = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const extract = exampleExtract();
    const broken = {
      ...extract,
      children: [
        { id: 'NEW-1', involvements: [{ type: 'cp', start: '2026-01-01' }] },
        // A record the database refuses (type is NOT NULL), as the last row.
        { id: 'NEW-2', involvements: [{ type: null, start: '2026-01-01' }] },
      ],
    } as unknown as Extract;
    await expect(importExtract(db, broken, { now: NOW, today: AS_OF })).rejects.toThrow();
    expect(await db.selectFrom('children').select('id').execute()).toEqual(before);
    const eventsAfter = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(eventsAfter.n)).toBe(Number(eventsBefore.n));
  });

  it('keeps due dates equal to what `oversight due` computes from the same data', async () => {
    const { db } = use();
    // Re-import the original so the database holds exactly the example file.
    await importExtract(db, exampleExtract(), { now: NOW, today: AS_OF });
    await recomputeAll(db, AS_OF);
    const expected = computeSchedule(
      loadPreset('four-weekly'),
      exampleExtract(),
      parseIsoDate(AS_OF),
    )
      .results.map(reportResult)
      .sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1));
    const stored = (await storedResults(db)).sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1));
    expect(stored).toEqual(expected);
  });
});

describeEachDatabase('keeping due dates current', (use) => {
  it('recomputes once for a new day or a new generation, and not otherwise', async () => {
    const { db } = use();
    await choosePolicy(db, {
      presetId: 'bimonthly',
      document: null,
      effectiveFrom: '2020-01-01',
      reason: 'test',
      chosenBy: null,
      chosenAt: NOW,
    });
    await importExtract(db, exampleExtract(), { now: NOW, today: AS_OF });
    expect((await ensureCurrent(db, fixedClock(AS_OF))).recomputed).toBe(true);
    expect((await ensureCurrent(db, fixedClock(AS_OF))).recomputed).toBe(false);
    const next = await ensureCurrent(db, fixedClock('2026-11-25'));
    expect(next).toEqual({ asOf: '2026-11-25', recomputed: true });
    const asOfs = await db.selectFrom('due_results').select('as_of').distinct().execute();
    expect(asOfs).toEqual([{ as_of: '2026-11-25' }]);
    await invalidateAll(db);
    expect((await ensureCurrent(db, fixedClock('2026-11-25'))).recomputed).toBe(true);
  });

  it('uses the policy version in force on the day', async () => {
    const { db } = use();
    await choosePolicy(db, {
      presetId: 'camden',
      document: null,
      effectiveFrom: '2026-12-01',
      reason: 'from December',
      chosenBy: null,
      chosenAt: NOW,
    });
    await ensureCurrent(db, fixedClock('2026-12-01'));
    const expected = computeSchedule(
      loadPreset('camden'),
      exampleExtract(),
      parseIsoDate('2026-12-01'),
    ).results.length;
    const stored = await db
      .selectFrom('due_results')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(expected);
  });
});

describe('database kinds', () => {
  it('runs on PostgreSQL too when TEST_DATABASE_URL is set (CI sets it)', () => {
    if (process.env.CI) expect(process.env.TEST_DATABASE_URL).toBeTruthy();
  });
});

describeEachDatabase('the demo organisation', (use) => {
  it('stores exactly the due dates `oversight due` gives for the same data and day', async () => {
    const { db } = use();
    const clock = fixedClock(AS_OF);
    const result = await setUpOrganisation(db, clock, {
      demo: true,
      councilName: 'Demo Borough Council',
    });
    expect(result.kind).toBe('demo');
    const demo = generateDemoOrganisation({ today: AS_OF });
    // The demo's recorded supervision (signed sessions, contracts) adds its events to the
    // generated ones, as signing a record in the service does.
    const recorded = await db
      .selectFrom('events')
      .select(['subject_kind', 'subject_id', 'kind', 'date'])
      .where('source', '=', 'service')
      .execute();
    expect(recorded.length).toBeGreaterThan(0);
    const withRecorded = <T extends { id: string; events: { date: string; kind: string }[] }>(
      kind: string,
      subjects: T[],
    ): T[] =>
      subjects.map((subject) => {
        const extra = recorded
          .filter((e) => e.subject_kind === kind && e.subject_id === subject.id)
          .filter((e) => !subject.events.some((d) => d.date === e.date && d.kind === e.kind))
          .map((e) => ({ date: e.date, kind: e.kind }));
        return extra.length === 0 ? subject : { ...subject, events: [...subject.events, ...extra] };
      });
    const snapshot = {
      ...demo.snapshot,
      children: withRecorded('child', demo.snapshot.children),
      people: withRecorded('worker', demo.snapshot.people),
      teams: withRecorded('team', demo.snapshot.teams),
    };
    const expected = computeSchedule(
      loadPreset('four-weekly'),
      toExtract(snapshot),
      parseIsoDate(AS_OF),
    )
      .results.map(reportResult)
      .sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1));
    const stored = (await storedResults(db)).sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1));
    expect(stored.length).toBeGreaterThan(1000);
    expect(stored).toEqual(expected);
  });
});
