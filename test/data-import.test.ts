import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import { listImports } from '../src/db/import-history.repository.js';
import { placeMapping } from '../src/domain/imports/index.js';
import { presetIds } from '../src/policies/index.js';
import {
  applyImport,
  previewImport,
  type DataImportKind,
  type ImportFile,
} from '../src/services/data-import.service.js';
import { fixedClock } from '../src/clock.js';
import { dueResultsCurrent, ensureCurrent } from '../src/services/due.service.js';
import { exportExtract } from '../src/services/export.service.js';
import { choosePolicy } from '../src/services/policy.service.js';
import { TEST_TODAY } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';
import { runCli } from './support/due.js';

/**
 * Imports of councils' files applied to the database (src/services/data-import.service.ts), on
 * SQLite and PostgreSQL: the published sample files import; an import is all or nothing, even
 * when the error is in the very last row; the same files twice change nothing the second time;
 * every import, applied or refused, is in the history with each file's SHA-256.
 */

const SAMPLES = fileURLToPath(new URL('./fixtures/data-standards/', import.meta.url));
const NOW = `${TEST_TODAY}T09:00:00.000Z`;
const OPTIONS = { today: TEST_TODAY, now: NOW, by: 'test' };

function sample(prefix: string): ImportFile[] {
  return readdirSync(SAMPLES)
    .filter((f) => f.startsWith(prefix))
    .sort()
    .map((f) => ({ name: f, content: new Uint8Array(readFileSync(join(SAMPLES, f))) }));
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every row of the tables an import can touch, in a fixed order, as text. */
const TOUCHED = [
  'teams',
  'people',
  'children',
  'child_involvements',
  'child_placements',
  'child_legal',
  'child_risk',
  'allocations',
  'events',
  'due_results',
  'due_warnings',
  'subject_scope',
  'due_state',
  'policy_versions',
] as const;

async function dump(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TOUCHED) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

interface Episode {
  child: string;
  start: string;
  end: string | null;
  place: string;
  legalStatus: string;
}

function isoOf(ddmmyyyy: string): string {
  const [d, m, y] = ddmmyyyy.split('/');
  return `${y ?? ''}-${m ?? ''}-${d ?? ''}`;
}

function episodes(): Episode[] {
  const file = sample('ssda903_csv__d2i-csc-validator-be-903__episodes.csv')[0];
  const lines = new TextDecoder().decode(file?.content).trim().split(/\r?\n/);
  const head = (lines[0] ?? '').split(',');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const dec = cells[col('DEC')] ?? '';
    return {
      child: cells[col('CHILD')] ?? '',
      start: isoOf(cells[col('DECOM')] ?? ''),
      end: dec === '' ? null : isoOf(dec),
      place: cells[col('PLACE')] ?? '',
      legalStatus: cells[col('LS')] ?? '',
    };
  });
}

interface ExtractChild {
  id: string;
  involvements?: { type: string; start: string; end?: string | null }[];
  placements?: { type: string; start: string; end?: string | null }[];
}

async function extractChildren(db: Db): Promise<Map<string, ExtractChild>> {
  let out = '';
  await exportExtract(db, TEST_TODAY, (t) => {
    out += t;
  });
  const extract = JSON.parse(out) as { children: ExtractChild[] };
  return new Map(extract.children.map((c) => [c.id, c]));
}

const within = (p: { start: string; end?: string | null }, date: string) =>
  p.start <= date && (p.end == null || date < p.end || (p.end === date && p.start === date));

describeEachDatabase('importing councils’ files into the database', (use) => {
  const db = () => use().db;

  it('refuses an SSDA903 episodes file whose last row is wrong, leaving the database as it was', async () => {
    await choosePolicy(db(), {
      presetId: presetIds()[0] ?? '',
      document: null,
      effectiveFrom: '2000-01-01',
      reason: 'test',
      chosenBy: null,
      chosenAt: NOW,
    });
    const good =
      'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n' +
      'T1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n';
    await applyImport(db(), 'ssda903', [{ name: 'first.csv', content: text(good) }], OPTIONS);
    await ensureCurrent(db(), fixedClock(TEST_TODAY));
    expect(await dueResultsCurrent(db(), TEST_TODAY)).toBe(true);
    const before = await dump(db());

    const bad =
      good +
      'T2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n' +
      'T3,01/06/2025,S,C2,N1,U1,PR1,,,,,,\n' +
      'T4,31/02/2025,S,C2,N1,U1,PR1,,,,,,\n';
    const preview = await previewImport(
      db(),
      'ssda903',
      [{ name: 'eps.csv', content: text(bad) }],
      OPTIONS,
    );
    expect(preview.summary).toBeNull();
    const result = await applyImport(
      db(),
      'ssda903',
      [{ name: 'eps.csv', content: text(bad) }],
      OPTIONS,
    );
    expect(result.applied).toBe(false);
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: 'eps.csv', row: 5, column: 'DECOM' });
    expect(await dump(db())).toEqual(before);

    const history = await listImports(db());
    expect(history[0]).toMatchObject({
      kind: 'ssda903',
      outcome: 'refused',
      by: 'test',
      files: [
        {
          name: 'eps.csv',
          sha256: createHash('sha256').update(text(bad)).digest('hex'),
          bytes: text(bad).byteLength,
        },
      ],
    });

    // Without the bad row, the preview says what would happen and writes nothing.
    const fixed = bad.replace('31/02/2025', '28/02/2025');
    const files = [{ name: 'eps.csv', content: text(fixed) }];
    const looked = await previewImport(db(), 'ssda903', files, OPTIONS);
    expect(looked.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(looked.summary?.children).toMatchObject({ added: 3, unchanged: 1 });
    expect(looked.dueDates).toMatchObject({ subjects: 3, moved: 0, removed: 0 });
    expect(looked.dueDates?.added).toBeGreaterThan(0);
    expect(await dump(db())).toEqual(before);

    const applied = await applyImport(db(), 'ssda903', files, OPTIONS);
    expect(applied.applied).toBe(true);
    expect(applied.summary?.written.children).toBe(3);
    // Due dates recomputed in the same transaction: still current, and the new children have them.
    expect(await dueResultsCurrent(db(), TEST_TODAY)).toBe(true);
    const due = await db()
      .selectFrom('due_results')
      .select('subject_id')
      .where('subject_kind', '=', 'child')
      .where('subject_id', 'in', ['T2', 'T3', 'T4'])
      .execute();
    expect(new Set(due.map((r) => r.subject_id))).toEqual(new Set(['T2', 'T3', 'T4']));
  });

  it('refuses each sample file with deliberate errors, every error naming its row', async () => {
    const refused: [DataImportKind, string][] = [
      ['ssda903', 'ssda903_csv__'],
      ['ssda903', 'ssda903_xml__'],
      ['cin-census', 'cin_census_xml__d2i-csc-validator-be-cin__CIN_Census_2026'],
    ];
    for (const [kind, prefix] of refused) {
      const files = sample(prefix);
      expect(files.length).toBeGreaterThan(0);
      const before = await dump(db());
      const result = await applyImport(db(), kind, files, OPTIONS);
      expect(result.applied, prefix).toBe(false);
      const errors = result.problems.filter((p) => p.severity === 'error');
      expect(errors.length, prefix).toBeGreaterThan(0);
      for (const e of errors) {
        expect(files.map((f) => f.name)).toContain(e.file);
        expect(e.row, e.message).toBeTypeOf('number');
        expect(e.column, e.message).toBeTypeOf('string');
      }
      expect(await dump(db())).toEqual(before);
    }
  });

  it('imports the SSDA903 sample set less the children it has errors for; the extract matches the episodes; twice changes nothing', async () => {
    const published = sample('ssda903_csv__');
    const refused = await previewImport(db(), 'ssda903', published, OPTIONS);
    // The deliberate errors are overlapping episodes: those children's rows are taken out.
    const wrong = new Set<string>();
    const episodesFile = published.find((f) => f.name.endsWith('episodes.csv'));
    const lines = new TextDecoder().decode(episodesFile?.content).split(/\r?\n/);
    for (const e of refused.problems.filter((p) => p.severity === 'error')) {
      expect(e.file).toBe(episodesFile?.name);
      wrong.add((lines[(e.row ?? 0) - 1] ?? '').split(',')[0] ?? '');
    }
    expect(wrong.size).toBeGreaterThan(0);
    const cleaned = lines.filter((l, i) => i === 0 || !wrong.has(l.split(',')[0] ?? '')).join('\n');
    const files = published.map((f) =>
      f === episodesFile ? { name: f.name, content: text(cleaned) } : f,
    );

    const first = await applyImport(db(), 'ssda903', files, OPTIONS);
    expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(first.applied).toBe(true);
    expect(first.summary?.children.added).toBeGreaterThan(2000);

    const children = await extractChildren(db());
    let checked = 0;
    // Short breaks (V3, V4) are not looked-after periods for supervision (docs/imports.md).
    const counted = episodes().filter(
      (e) => !wrong.has(e.child) && e.legalStatus !== 'V3' && e.legalStatus !== 'V4',
    );
    for (const e of counted) {
      const child = children.get(e.child);
      expect(child, `child ${e.child}`).toBeDefined();
      const cla = (child?.involvements ?? []).filter((i) => i.type === 'cla');
      expect(
        cla.some((p) => within(p, e.start)),
        `child ${e.child}: looked after on ${e.start}`,
      ).toBe(true);
      const mapping = placeMapping(e.place);
      if (mapping === undefined || mapping.temporary === true) continue;
      expect(
        (child?.placements ?? []).some((p) => p.type === mapping.type && within(p, e.start)),
        `child ${e.child}: ${mapping.type} placement (${e.place}) on ${e.start}`,
      ).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);

    const before = await dump(db());
    const again = await applyImport(db(), 'ssda903', files, OPTIONS);
    expect(again.applied).toBe(true);
    expect(again.summary?.written).toEqual({ children: 0, workers: 0, teams: 0 });
    expect(again.summary?.children).toMatchObject({ added: 0, changed: 0, closed: 0 });
    expect(await dump(db())).toEqual(before);

    const history = (await listImports(db())).filter((h) => h.outcome === 'applied');
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history[0]?.files.map((f) => f.name)).toEqual(files.map((f) => f.name));
  });

  const others: [DataImportKind, string, { asOf?: string }][] = [
    ['cin-census', 'cin_census_xml__d2i-csc-validator-be-cin__fake_CIN_data', {}],
    ['annex-a', 'annex_a_xlsx__', { asOf: '2021-03-31' }],
  ];
  for (const [kind, prefix, extra] of others) {
    it(`imports ${prefix}, and again changes nothing`, async () => {
      const files = sample(prefix);
      expect(files.length).toBeGreaterThan(0);
      const first = await applyImport(db(), kind, files, { ...OPTIONS, ...extra });
      expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(first.applied).toBe(true);
      expect(first.summary?.children.added).toBeGreaterThan(0);
      const before = await dump(db());
      const preview = await previewImport(db(), kind, files, { ...OPTIONS, ...extra });
      expect(preview.summary?.written).toEqual({ children: 0, workers: 0, teams: 0 });
      const again = await applyImport(db(), kind, files, { ...OPTIONS, ...extra });
      expect(again.summary?.written).toEqual({ children: 0, workers: 0, teams: 0 });
      expect(await dump(db())).toEqual(before);
    });
  }

  it('imports a staff list, and refuses one with an error naming the row', async () => {
    const list =
      'Employee ID,Name,Email,Job title,Team,Line manager ID,Start date\n' +
      'E1,Ada Lovelace,ada@example.org,Team Manager,Team North,,01/01/2020\n' +
      'E2,Ben Okafor,ben@example.org,Social Worker,Team North,E1,01/02/2021\n';
    const ok = await applyImport(
      db(),
      'staff-list',
      [{ name: 'staff.csv', content: text(list) }],
      OPTIONS,
    );
    expect(ok.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(ok.applied).toBe(true);
    expect(ok.summary?.workers.added).toBe(2);
    const people = await db()
      .selectFrom('people')
      .select(['id', 'line_manager_id'])
      .where('id', 'in', ['E1', 'E2'])
      .execute();
    expect(people.find((p) => p.id === 'E2')?.line_manager_id).toBe('E1');

    const before = await dump(db());
    const bad = list + 'E3,Cat Jones,cat@example.org,Social Worker,Team North,E1,not a date\n';
    const refused = await applyImport(
      db(),
      'staff-list',
      [{ name: 'staff.csv', content: text(bad) }],
      OPTIONS,
    );
    expect(refused.applied).toBe(false);
    expect(refused.problems.find((p) => p.severity === 'error')).toMatchObject({
      file: 'staff.csv',
      row: 4,
    });
    expect(await dump(db())).toEqual(before);
  });
});

describe('oversight import ssda903|cin-census|annex-a|staff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-data-import-'));
  const env = { DATABASE_URL: join(dir, 'o.sqlite'), LOG_LEVEL: 'silent' };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const heading =
    'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n';
  const good =
    heading + 'K1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n' + 'K2,01/05/2025,S,C2,N1,K2,PR1,,,,,,\n';
  const count = async () => {
    const open = openDatabase({ kind: 'sqlite', file: env.DATABASE_URL });
    try {
      const children = await open.db.selectFrom('children').select('id').execute();
      const history = await open.db.selectFrom('import_history').selectAll().execute();
      return { children: children.length, history };
    } finally {
      await open.close();
    }
  };

  it('prints every problem as FILE:ROW:COLUMN: message and exits 2, importing nothing', async () => {
    const bad = good + 'K3,01/13/2025,S,C2,N1,U1,PR1,,,,,,\n';
    const run = await runCli(['import', 'ssda903', 'eps.csv'], { env, files: { 'eps.csv': bad } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^eps\.csv:4:DECOM: .+/m);
    expect(run.stderr).toMatch(/nothing was imported/);
    const after = await count();
    expect(after.children).toBe(0);
    expect(after.history.map((h) => h.outcome)).toEqual(['refused']);
  });

  it('previews without writing, then imports, then finds nothing changed', async () => {
    const files = { 'eps.csv': good };
    const preview = await runCli(['import', 'ssda903', '--preview', 'eps.csv'], { env, files });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/nothing has been written/);
    expect(preview.stdout).toMatch(/^children\s+2\s+0\s+0\s+0\s+0$/m);
    expect((await count()).children).toBe(0);

    const run = await runCli(['import', 'ssda903', 'eps.csv'], { env, files });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Imported eps\.csv in .* s, all or nothing:$/m);
    expect(run.stdout).toMatch(/^children\s+2\s+0\s+0\s+0\s+0$/m);
    const after = await count();
    expect(after.children).toBe(2);
    const applied = after.history.find((h) => h.outcome === 'applied');
    expect(applied?.by).toMatch(/^command line/);
    expect(JSON.parse(applied?.files ?? '[]')).toEqual([
      {
        name: 'eps.csv',
        sha256: createHash('sha256').update(good).digest('hex'),
        bytes: Buffer.byteLength(good),
      },
    ]);

    const again = await runCli(['import', 'ssda903', 'eps.csv'], { env, files });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing had changed since the last import/);
  });

  it('names a file it cannot read, and an --as-of that is not a date', async () => {
    const run = await runCli(['import', 'staff', '--as-of', '2026-02-30', 'staff.csv'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--as-of: "2026-02-30" is not a real date/);
    expect(run.stderr).toMatch(/staff\.csv: no such file/);
  });
});
