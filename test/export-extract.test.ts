import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../src/db/create-db.js';
import { seedDemoSupervision } from '../src/demo/demo-supervision.js';
import { validateExtract } from '../src/domain/scheduling/extract.js';
import type { Report, ReportResult } from '../src/domain/scheduling/report.js';
import { ensureCurrent, loadDueContext, recomputeSubjects } from '../src/services/due.service.js';
import { writeExtract } from '../src/services/export.service.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { TEST_TODAY } from './support/app.js';
import { databaseKinds, type DatabaseKind } from './support/databases.js';
import { runCli } from './support/due.js';

/**
 * `oversight export extract`: the organisation in the database as the extract of
 * spec/scheduling.md §6, which `oversight due` reads back to the very results the service keeps
 * in due_results, on SQLite and PostgreSQL. The database holds the demo organisation with its
 * recorded supervision (signed contracts and a signed session, whose events are the service's
 * own) and a manager's override.
 */

const clock = fixedClock(TEST_TODAY);

interface Target {
  /** DATABASE_URL for the command. */
  url: string;
  open: OpenDatabase;
  drop(): Promise<void>;
}

/** A database the command can open too: a SQLite file, or a PostgreSQL schema of its own. */
async function target(kind: DatabaseKind, dir: string): Promise<Target> {
  if (kind === 'sqlite') {
    const file = join(dir, 'oversight.sqlite');
    const open = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(open.db);
    return { url: file, open, drop: () => open.close() };
  }
  const base = process.env.TEST_DATABASE_URL ?? '';
  const schema = `test_export_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(base);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const open = openDatabase({ kind: 'postgres', url: scoped.toString() }, { poolSize: 4 });
  await migrateToLatest(open.db);
  return {
    url: scoped.toString(),
    open,
    drop: async () => {
      await open.close();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** due_results as the §7 results `oversight due` prints. */
async function serviceResults(t: Target): Promise<ReportResult[]> {
  const rows = await t.open.db.selectFrom('due_results').selectAll().execute();
  return rows.map((r) => ({
    subject: r.subject_kind,
    id: r.subject_id,
    requirement: r.requirement,
    ...(r.period_start === ''
      ? {}
      : {
          periodStart: r.period_start,
          met: r.met,
          onTime: r.on_time === null ? null : r.on_time === 1,
        }),
    // The engine's own result: an override is the service's, beside it (effective_*).
    status: r.status,
    due: r.due,
    latest: r.latest,
    lastEvent: r.last_event,
    rules: JSON.parse(r.rules) as string[],
    setBy: { kind: r.set_by_kind as 'event' | 'start', date: r.set_by_date },
    reason: r.reason,
  }));
}

function byKey(results: readonly ReportResult[]): ReportResult[] {
  const key = (r: ReportResult) =>
    `${r.subject}\u0000${r.id}\u0000${r.requirement}\u0000${r.periodStart ?? ''}`;
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

for (const kind of databaseKinds()) {
  describe(`oversight export extract [${kind}]`, () => {
    let dir: string;
    let t: Target;
    let env: Record<string, string>;
    let overriddenChild: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'oversight-export-'));
      t = await target(kind, dir);
      env = { DATABASE_URL: t.url, LOG_LEVEL: 'silent' };
      const db = t.open.db;
      await setUpOrganisation(db, clock, { demo: true, councilName: 'Demo Borough Council' });
      await ensureCurrent(db, clock);
      await seedDemoSupervision(db, { today: TEST_TODAY, now: clock.now().toISOString() });
      // A manager's override: the service's dates for this child are not the policy's.
      overriddenChild = (
        await db
          .selectFrom('due_results')
          .select('subject_id')
          .where('subject_kind', '=', 'child')
          .where('requirement', '=', 'case-supervision')
          .where('status', '=', 'on-track')
          .orderBy('subject_id')
          .executeTakeFirstOrThrow()
      ).subject_id;
      await db
        .insertInto('overrides')
        .values({
          id: 'override-export-test',
          child_id: overriddenChild,
          every: '7d',
          starts: '2026-11-01',
          until: '2027-01-31',
          direction: 'tighten',
          reason: 'Made up for the test: risk has increased',
          set_by: 'test',
          set_by_name: 'A team manager',
          set_at: clock.now().toISOString(),
          ended_at: null,
          ended_by: null,
        })
        .execute();
      await db
        .transaction()
        .execute(async (trx) =>
          recomputeSubjects(trx, await loadDueContext(trx, TEST_TODAY), 'child', [overriddenChild]),
        );
    }, 180_000);

    afterAll(async () => {
      await t.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes a file that `oversight due` reads back to every date and reason the service shows', async () => {
      const file = join(dir, 'extract.json');
      const run = await runCli(['export', 'extract', '--as-of', TEST_TODAY, file], { env });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const children = await t.open.db
        .selectFrom('children')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(run.stdout).toContain(
        `Wrote the extract to ${file}: ${Number(children.n).toLocaleString('en-GB')} children,`,
      );
      expect(run.stdout).toContain(
        `  oversight due --policy four-weekly --as-of ${TEST_TODAY} ${file}\n`,
      );
      expect(run.stdout).toContain("1 manager's override is in force");
      // Nothing but the file is left in the folder (the partial file was renamed).
      expect(readdirSync(dir).filter((f) => f.includes('extract'))).toEqual(['extract.json']);

      const text = readFileSync(file, 'utf8');
      const validation = validateExtract(JSON.parse(text));
      expect(validation.ok).toBe(true);
      const due = await runCli(
        ['due', '--policy', 'four-weekly', '--as-of', TEST_TODAY, '--format', 'json', 'x.json'],
        { files: { 'x.json': text } },
      );
      expect(due.stderr).toBe('');
      expect(due.code).toBe(0);
      const report = JSON.parse(due.stdout) as Report;
      const service = await serviceResults(t);
      expect(service.length).toBeGreaterThan(1000);
      expect(byKey(report.results)).toEqual(byKey(service));
      const warnings = await t.open.db
        .selectFrom('due_warnings')
        .select(['subject_kind', 'subject_id', 'message'])
        .execute();
      expect(report.warnings.map((w) => `${w.subject} ${w.id} ${w.message}`).sort()).toEqual(
        warnings.map((w) => `${w.subject_kind} ${w.subject_id} ${w.message}`).sort(),
      );
      // The override's child: the service shows tighter dates, the extract the policy's own.
      const overridden = await t.open.db
        .selectFrom('due_results')
        .select(['due', 'effective_due', 'override_id'])
        .where('subject_id', '=', overriddenChild)
        .where('requirement', '=', 'case-supervision')
        .executeTakeFirstOrThrow();
      expect(overridden.override_id).toBe('override-export-test');
      expect(overridden.effective_due).not.toBe(overridden.due);
    }, 120_000);

    it('holds each subject once, in id order, with every event, those recorded in the service as they are', async () => {
      const run = await runCli(['export', 'extract'], { env });
      expect(run.code).toBe(0);
      // Standard output is the extract alone; what it holds is said on standard error.
      expect(run.stderr).toMatch(/^Wrote the extract to standard output: [\d,]+ children/);
      expect(run.stderr).toContain(
        `  oversight due --policy four-weekly --as-of ${TEST_TODAY} FILE\n`,
      );
      const extract = JSON.parse(run.stdout) as {
        children: { id: string; events: { date: string; kind: string }[] }[];
        workers: { id: string; events: { date: string; kind: string }[] }[];
        fosterCarers: { id: string; events: { date: string; kind: string }[] }[];
        teams: { id: string; events: { date: string; kind: string }[] }[];
      };
      // One subject a line, so that two extracts compare line by line.
      const lines = run.stdout.split('\n');
      expect(lines.filter((line) => line.startsWith('{"id":')).length).toBe(
        extract.children.length +
          extract.workers.length +
          extract.fosterCarers.length +
          extract.teams.length,
      );
      expect(lines.slice(0, 2)).toEqual(['{', '"children": [']);
      const db = t.open.db;
      const count = async (table: 'children' | 'people' | 'foster_carers' | 'teams') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(extract.children.length).toBe(await count('children'));
      expect(extract.workers.length).toBe(await count('people'));
      expect(extract.fosterCarers.length).toBe(await count('foster_carers'));
      expect(extract.teams.length).toBe(await count('teams'));
      for (const list of [extract.children, extract.workers, extract.fosterCarers, extract.teams]) {
        const ids = list.map((s) => s.id);
        expect(ids).toEqual([...ids].sort());
        expect(new Set(ids).size).toBe(ids.length);
      }
      // The events the service recorded (signed records, contracts), each in its subject.
      const recorded = await db
        .selectFrom('events')
        .select(['subject_kind', 'subject_id', 'kind', 'date'])
        .where('source', '=', 'service')
        .execute();
      expect(recorded.length).toBeGreaterThan(5);
      expect(recorded.some((e) => e.subject_kind === 'child')).toBe(true);
      const subjects = new Map<string, { events: { date: string; kind: string }[] }>([
        ...extract.children.map((c) => [`child ${c.id}`, c] as const),
        ...extract.workers.map((w) => [`worker ${w.id}`, w] as const),
        ...extract.fosterCarers.map((c) => [`fosterCarer ${c.id}`, c] as const),
        ...extract.teams.map((s) => [`team ${s.id}`, s] as const),
      ]);
      for (const e of recorded) {
        const subject = subjects.get(`${e.subject_kind} ${e.subject_id}`);
        expect(subject?.events, `${e.subject_kind} ${e.subject_id}`).toContainEqual({
          date: e.date,
          kind: e.kind,
        });
      }
      const serviceEvents = /\(([\d,]+) of them recorded in the service\)/.exec(run.stderr);
      expect(Number(serviceEvents?.[1]?.replace(/,/g, ''))).toBe(recorded.length);
      // Every event of every subject, none lost and none added.
      const events = Number(
        (
          await db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const written = [
        ...extract.children,
        ...extract.workers,
        ...extract.fosterCarers,
        ...extract.teams,
      ].reduce((n, s) => n + s.events.length, 0);
      expect(written).toBe(events);
    }, 120_000);

    it('writes the same document in batches of any size', async () => {
      const whole: string[] = [];
      const counts = await writeExtract(t.open.db, (text) => {
        whole.push(text);
      });
      const small: string[] = [];
      const again = await writeExtract(
        t.open.db,
        (text) => {
          small.push(text);
        },
        { batch: 7 },
      );
      expect(small.join('')).toBe(whole.join(''));
      expect(again).toEqual(counts);
      expect(small.length).toBeGreaterThan(whole.length);
    }, 120_000);

    it('refuses a date that is not one, and a folder that does not exist, before writing anything', async () => {
      const bad = await runCli(['export', 'extract', '--as-of', '2026-02-30'], { env });
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain(
        '--as-of: "2026-02-30" is not a real date in the form YYYY-MM-DD',
      );
      const nowhere = join(dir, 'no-such-folder', 'extract.json');
      const missing = await runCli(['export', 'extract', nowhere], { env });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(
        `oversight export extract: cannot write ${nowhere}: its folder does not exist\n`,
      );
      const two = await runCli(['export', 'extract', 'a.json', 'b.json'], { env });
      expect(two.code).toBe(2);
      expect(two.stderr).toContain('give at most one FILE');
      const what = await runCli(['export', 'everything'], { env });
      expect(what.code).toBe(2);
      expect(what.stderr).toContain('"oversight export" takes: extract');
    });

    it('a record the extract cannot hold: says which, and leaves the file as it was', async () => {
      const db = t.open.db;
      const child = (
        await db.selectFrom('children').select('id').orderBy('id').executeTakeFirstOrThrow()
      ).id;
      await db
        .insertInto('events')
        .values({
          id: 'event-export-test',
          subject_kind: 'child',
          subject_id: child,
          kind: 'a-kind-the-extract-has-not',
          date: '2026-11-02',
          source: 'import',
          recorded_by: null,
          recorded_at: clock.now().toISOString(),
          record_kind: null,
          record_id: null,
        })
        .execute();
      try {
        const file = join(dir, 'kept.json');
        writeFileSync(file, 'what was there before');
        const run = await runCli(['export', 'extract', file], { env });
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(
          new RegExp(
            `^oversight export extract: the database holds a record the extract cannot hold:\\n  child ${child}: events\\[\\d+\\]\\.kind: `,
          ),
        );
        expect(readFileSync(file, 'utf8')).toBe('what was there before');
        expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(false);
      } finally {
        await db.deleteFrom('events').where('id', '=', 'event-export-test').execute();
      }
      expect(existsSync(join(dir, 'extract.json'))).toBe(true);
    });
  });
}
