import { createHash } from 'node:crypto';
import { PostgresAdapter, sql } from 'kysely';
import {
  EMPTY_SNAPSHOT,
  type ChildRecord,
  type OrganisationSnapshot,
  type PersonRecord,
  type TeamRecord,
} from '../domain/organisation/snapshot.js';
import {
  applyMapping,
  hasErrors,
  mergeBatch,
  parseAnnexA,
  parseCinCensusXml,
  parseSsda903Csv,
  parseSsda903Xml,
  parseStaffList,
  type ColumnMapping,
  type ImportBatch,
  type ImportProblem,
  type ImportResult,
  type MergeKindSummary,
  type MergeSummary,
  type NamedSource,
} from '../domain/imports/index.js';
import type { Db, Queryable, SubjectKindColumn } from '../db/database.js';
import { recordHandover } from '../db/handovers.repository.js';
import { recordImport, type ImportedFile } from '../db/import-history.repository.js';
import {
  readChildren,
  readPeople,
  readTeams,
  saveChildren,
  savePeople,
  saveTeams,
} from '../db/organisation.repository.js';
import {
  dueResultsCurrent,
  invalidateAll,
  loadDueContext,
  recomputeSubjects,
} from './due.service.js';
import { IMPORT_SOURCE } from './import.service.js';
import { normalise } from './import.service.js';

/**
 * Imports of councils' own files (docs/imports.md): SSDA903 (CSV set or XML), CIN census XML,
 * Ofsted Annex A workbooks and staff lists. `previewImport` says what an import would do;
 * `applyImport` does it in one transaction (all or nothing) and recomputes the due dates of
 * every subject that changed in that same transaction. Both parse first: a file with any error
 * is refused before the database is touched. Every apply, and every refusal, is written to the
 * import history with each file's SHA-256.
 *
 * Records are written with the source `import`, as `oversight import extract` writes them: what
 * the service records itself (signed supervision, oversight notes) is never replaced.
 */

export const DATA_IMPORT_KINDS = [
  'ssda903',
  'cin-census',
  'annex-a',
  'staff-list',
  'mapped-csv',
] as const;
export type DataImportKind = (typeof DATA_IMPORT_KINDS)[number];

export interface ImportFile {
  /** The file's name as the user knows it (every problem names it). */
  name: string;
  content: Uint8Array;
}

/** Told as the files are read: bytes read so far, of all files together. */
export type ImportProgress = (done: number, total: number) => void;

export interface DueDateMoves {
  /** Subjects whose due dates were recomputed (every subject the import changes). */
  subjects: number;
  /** Requirements whose due date (as shown, overrides applied) or status would change. */
  moved: number;
  /** Requirements the subjects would newly have (a new child's, a newly open involvement's). */
  added: number;
  /** Requirements that would go (an involvement closed). */
  removed: number;
  /** Some of the due dates that would move, change or go (at most DUE_SAMPLE_SIZE). */
  sample: DueDateMove[];
}

export interface DueDateMove {
  subjectKind: SubjectKindColumn;
  subjectId: string;
  requirement: string;
  periodStart: string;
  /** The due date held now (null: a new requirement). */
  before: string | null;
  /** The due date after the import (null: the requirement would go). */
  after: string | null;
}

export const DUE_SAMPLE_SIZE = 10;

export interface DataImportSummary {
  kind: DataImportKind;
  children: MergeKindSummary;
  workers: MergeKindSummary;
  teams: MergeKindSummary;
  unmatched: MergeSummary['unmatched'];
  conflicts: string[];
  /** Subjects written (changed or added): none when the same files are imported again. */
  written: { children: number; workers: number; teams: number };
  /**
   * People whose line manager the files change: each change writes a handover for the new
   * supervisor, as an administrator's change does (docs/recording.md, Handovers).
   */
  handovers: number;
}

export interface PreviewResult {
  problems: ImportProblem[];
  /** Null when there are errors (nothing can be applied). */
  summary: DataImportSummary | null;
  /**
   * The due dates that would move, found by applying the import and recomputing the subjects it
   * changes in a transaction that is then rolled back, compared with the due dates held now.
   * Null when there are errors or no policy is in force.
   */
  dueDates: DueDateMoves | null;
}

export interface ApplyResult {
  problems: ImportProblem[];
  applied: boolean;
  summary: DataImportSummary | null;
  /** The import history entry written. */
  historyId: string;
}

export interface ImportOptions {
  today: string;
  /** The day an Annex A workbook was produced (defaults to `today`). */
  asOf?: string;
  onProgress?: ImportProgress;
  /** Told when the files have been read and checked, and writing begins (apply only). */
  onWriting?: () => void;
  /** For `mapped-csv`: the column mapping the files are read with. */
  mapping?: ColumnMapping;
}

/** A file's name, SHA-256 and size, as the import history keeps them. */
export function describeFiles(files: readonly ImportFile[]): ImportedFile[] {
  return files.map((f) => ({
    name: f.name,
    sha256: createHash('sha256').update(f.content).digest('hex'),
    bytes: f.content.byteLength,
  }));
}

const SLICE = 1 << 20;

/** The files as the parsers read them: in slices, telling `onProgress` as each is taken. */
function sources(files: readonly ImportFile[], onProgress?: ImportProgress): NamedSource[] {
  if (onProgress === undefined) return files.map((f) => ({ name: f.name, content: f.content }));
  const total = files.reduce((n, f) => n + f.content.byteLength, 0);
  let done = 0;
  return files.map((f) => ({
    name: f.name,
    content: (function* () {
      for (let at = 0; at < f.content.byteLength; at += SLICE) {
        const slice = f.content.subarray(at, at + SLICE);
        done += slice.byteLength;
        onProgress(done, total);
        yield slice;
      }
    })(),
  }));
}

function isXml(file: ImportFile): boolean {
  if (/\.xml$/i.test(file.name)) return true;
  if (/\.csv$/i.test(file.name)) return false;
  // No telling extension: XML starts with '<' (after any byte-order mark and white space).
  for (const byte of file.content.subarray(0, 256)) {
    if (byte === 0xef || byte === 0xbb || byte === 0xbf || byte <= 0x20) continue;
    return byte === 0x3c;
  }
  return false;
}

interface Parsed {
  batches: ImportBatch[];
  problems: ImportProblem[];
}

export async function parseFiles(
  kind: DataImportKind,
  files: readonly ImportFile[],
  options: ImportOptions,
): Promise<Parsed> {
  if (files.length === 0) {
    return {
      batches: [],
      problems: [{ severity: 'error', file: '', message: 'No files were given to import.' }],
    };
  }
  const named = sources(files, options.onProgress);
  const results: ImportResult[] = [];
  switch (kind) {
    case 'ssda903': {
      const csv = named.filter((_, i) => !isXml(files[i] as ImportFile));
      for (const [i, source] of named.entries())
        if (isXml(files[i] as ImportFile)) results.push(await parseSsda903Xml(source));
      if (csv.length > 0) results.push(await parseSsda903Csv(csv));
      break;
    }
    case 'cin-census':
      for (const source of named) results.push(await parseCinCensusXml(source));
      break;
    case 'staff-list':
      for (const source of named) results.push(await parseStaffList(source));
      break;
    case 'mapped-csv': {
      const mapping = options.mapping;
      if (mapping === undefined)
        return {
          batches: [],
          problems: [
            {
              severity: 'error',
              file: '',
              message: 'Choose the column mapping to read the file with.',
            },
          ],
        };
      for (const source of named) results.push(await applyMapping(source, mapping));
      break;
    }
    case 'annex-a': {
      // A workbook is read whole: progress is told file by file.
      const total = files.reduce((n, f) => n + f.content.byteLength, 0);
      let done = 0;
      for (const file of files) {
        results.push(await parseAnnexA(file, { asOf: options.asOf ?? options.today }));
        done += file.content.byteLength;
        options.onProgress?.(done, total);
      }
      break;
    }
  }
  return {
    batches: results.map((r) => r.batch),
    problems: results.flatMap((r) => r.problems),
  };
}

// ---------------------------------------------------------------------------------------------
// Merging into the database

/** A record in a form where equal means the same content (arrays in a fixed order). */
function canonical(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function changedOf<R extends { id: string }>(before: readonly R[], after: readonly R[]): R[] {
  const old = new Map(before.map((r) => [r.id, r]));
  return after.filter((r) => {
    const was = old.get(r.id);
    return was === undefined || (was !== r && canonical(was) !== canonical(r));
  });
}

async function count(db: Queryable, table: 'children' | 'people' | 'teams'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function addKind(a: MergeKindSummary | undefined, b: MergeKindSummary): MergeKindSummary {
  if (a === undefined) return { ...b };
  return {
    added: a.added + b.added,
    changed: a.changed + b.changed,
    closed: a.closed + b.closed,
    unchanged: a.unchanged + b.unchanged,
    notInFile: b.notInFile,
  };
}

interface LineManagerChange {
  superviseeId: string;
  fromSupervisorId: string | null;
  toSupervisorId: string;
}

interface Written {
  summary: DataImportSummary;
  saved: { child: string[]; worker: string[]; team: string[] };
  /** People already known whose line manager the files change to someone. */
  lineManagerChanges: LineManagerChange[];
}

/** Merges the batches into what the database holds and writes what changed, in `trx`. */
async function mergeInto(
  trx: Queryable,
  kind: DataImportKind,
  batches: readonly ImportBatch[],
  now: string,
): Promise<Written> {
  const childIds = [...new Set(batches.flatMap((b) => [...b.children.keys()]))];
  const [teams, people, children, childrenHeld] = await Promise.all([
    readTeams(trx, undefined, IMPORT_SOURCE),
    readPeople(trx, undefined, IMPORT_SOURCE),
    readChildren(trx, childIds, IMPORT_SOURCE),
    count(trx, 'children'),
  ]);
  let snapshot: OrganisationSnapshot = { ...EMPTY_SNAPSHOT, teams, people, children };
  let summary: DataImportSummary | undefined;
  for (const batch of batches) {
    const merged = mergeBatch(snapshot, batch);
    snapshot = merged.snapshot;
    const s = merged.summary;
    summary = {
      kind,
      children: addKind(summary?.children, s.children),
      workers: addKind(summary?.workers, s.workers),
      teams: addKind(summary?.teams, s.teams),
      unmatched: {
        workers: [...new Set([...(summary?.unmatched.workers ?? []), ...s.unmatched.workers])],
        teams: [...new Set([...(summary?.unmatched.teams ?? []), ...s.unmatched.teams])],
      },
      conflicts: [...(summary?.conflicts ?? []), ...s.conflicts],
      written: { children: 0, workers: 0, teams: 0 },
      handovers: 0,
    };
  }
  const result: DataImportSummary = summary ?? {
    kind,
    children: { added: 0, changed: 0, closed: 0, unchanged: 0, notInFile: childrenHeld },
    workers: { added: 0, changed: 0, closed: 0, unchanged: 0, notInFile: people.length },
    teams: { added: 0, changed: 0, closed: 0, unchanged: 0, notInFile: teams.length },
    unmatched: { workers: [], teams: [] },
    conflicts: [],
    written: { children: 0, workers: 0, teams: 0 },
    handovers: 0,
  };
  // Only the batch's children were read: those held but not in the files are counted here.
  const c = result.children;
  c.notInFile = childrenHeld - (c.changed + c.closed + c.unchanged);

  const newTeams: TeamRecord[] = changedOf(teams, snapshot.teams);
  const newPeople: PersonRecord[] = changedOf(people, snapshot.people);
  const newChildren: ChildRecord[] = changedOf(children, snapshot.children);
  const managerBefore = new Map(people.map((p) => [p.id, p.lineManagerId]));
  const lineManagerChanges: LineManagerChange[] = newPeople.flatMap((p) => {
    if (!managerBefore.has(p.id) || p.lineManagerId === null) return [];
    const from = managerBefore.get(p.id) ?? null;
    return from === p.lineManagerId
      ? []
      : [{ superviseeId: p.id, fromSupervisorId: from, toSupervisorId: p.lineManagerId }];
  });
  result.handovers = lineManagerChanges.length;
  // Teams first, then people, then children: each may refer to the ones before.
  await saveTeams(trx, newTeams, IMPORT_SOURCE, now);
  await savePeople(trx, newPeople, IMPORT_SOURCE, now);
  await saveChildren(trx, newChildren, IMPORT_SOURCE, now);
  result.written = {
    children: newChildren.length,
    workers: newPeople.length,
    teams: newTeams.length,
  };
  const ids = (list: readonly { id: string }[]) => list.map((r) => r.id);
  return {
    summary: result,
    saved: { child: ids(newChildren), worker: ids(newPeople), team: ids(newTeams) },
    lineManagerChanges,
  };
}

const KINDS: readonly { kind: SubjectKindColumn; key: keyof Written['saved'] }[] = [
  { kind: 'team', key: 'team' },
  { kind: 'worker', key: 'worker' },
  { kind: 'child', key: 'child' },
];

type DueKey = string;

async function dueDatesOf(db: Queryable, saved: Written['saved']): Promise<Map<DueKey, string>> {
  const out = new Map<DueKey, string>();
  for (const { kind, key } of KINDS) {
    const ids = saved[key];
    for (let at = 0; at < ids.length; at += 500) {
      const rows = await db
        .selectFrom('due_results')
        .select(['subject_id', 'requirement', 'period_start', 'effective_due', 'effective_status'])
        .where('subject_kind', '=', kind)
        .where('subject_id', 'in', ids.slice(at, at + 500))
        .execute();
      for (const r of rows)
        out.set(
          `${kind}\u0000${r.subject_id}\u0000${r.requirement}\u0000${r.period_start}`,
          `${r.effective_due}\u0000${r.effective_status}`,
        );
    }
  }
  return out;
}

class RolledBack extends Error {
  constructor(readonly result: PreviewResult) {
    super('preview rolled back');
  }
}

/** What importing the files would do; writes nothing. */
export async function previewImport(
  db: Db,
  kind: DataImportKind,
  files: readonly ImportFile[],
  options: ImportOptions,
): Promise<PreviewResult> {
  const parsed = await parseFiles(kind, files, options);
  if (hasErrors(parsed.problems))
    return { problems: parsed.problems, summary: null, dueDates: null };
  try {
    await db.transaction().execute(async (trx) => {
      const written = await mergeInto(trx, kind, parsed.batches, `${options.today}T00:00:00.000Z`);
      const ctx = await loadDueContext(trx, options.today);
      let dueDates: DueDateMoves | null = null;
      if (ctx !== null) {
        const before = await dueDatesOf(trx, written.saved);
        for (const { kind: k, key } of KINDS)
          await recomputeSubjects(trx, ctx, k, written.saved[key]);
        const after = await dueDatesOf(trx, written.saved);
        const moves: DueDateMoves = {
          subjects: KINDS.reduce((n, { key }) => n + written.saved[key].length, 0),
          moved: 0,
          added: 0,
          removed: 0,
          sample: [],
        };
        const note = (key: DueKey, was: string | undefined, now: string | undefined) => {
          if (moves.sample.length >= DUE_SAMPLE_SIZE) return;
          const [subjectKind, subjectId, requirement, periodStart] = key.split('\u0000');
          moves.sample.push({
            subjectKind: subjectKind as SubjectKindColumn,
            subjectId: subjectId ?? '',
            requirement: requirement ?? '',
            periodStart: periodStart ?? '',
            before: was === undefined ? null : (was.split('\u0000')[0] ?? null),
            after: now === undefined ? null : (now.split('\u0000')[0] ?? null),
          });
        };
        for (const [key, value] of after) {
          const was = before.get(key);
          if (was === undefined) {
            moves.added++;
            note(key, undefined, value);
          } else if (was !== value) {
            moves.moved++;
            note(key, was, value);
          }
        }
        for (const [key, was] of before)
          if (!after.has(key)) {
            moves.removed++;
            note(key, was, undefined);
          }
        dueDates = moves;
      }
      throw new RolledBack({ problems: parsed.problems, summary: written.summary, dueDates });
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result;
    throw error;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

/**
 * Imports the files: refused (and recorded as refused) when any has an error; otherwise every
 * change is written, due dates recomputed and the history recorded in one transaction.
 */
export async function applyImport(
  db: Db,
  kind: DataImportKind,
  files: readonly ImportFile[],
  options: ImportOptions & { now: string; by: string },
): Promise<ApplyResult> {
  const described = describeFiles(files);
  const parsed = await parseFiles(kind, files, options);
  if (hasErrors(parsed.problems)) {
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    const historyId = await recordImport(db, {
      kind,
      files: described,
      summary: { errors: errors.length, problems: errors.slice(0, 20) },
      outcome: 'refused',
      by: options.by,
      at: options.now,
    });
    return { problems: parsed.problems, applied: false, summary: null, historyId };
  }
  options.onWriting?.();
  const { summary, historyId } = await db.transaction().execute(async (trx) => {
    const written = await mergeInto(trx, kind, parsed.batches, options.now);
    // As `import extract` does: due results current for today are kept so here; otherwise the
    // next ensureCurrent recomputes everyone, so everyone is marked for it instead.
    if (await dueResultsCurrent(trx, options.today)) {
      const ctx = await loadDueContext(trx, options.today);
      for (const { kind: k, key } of KINDS)
        await recomputeSubjects(trx, ctx, k, written.saved[key]);
    } else if (KINDS.some(({ key }) => written.saved[key].length > 0)) {
      await invalidateAll(trx);
    }
    // A staff list that changes someone's line manager hands them over as an administrator's
    // change does, in this same transaction: after the due dates, which the handover quotes.
    for (const change of written.lineManagerChanges)
      await recordHandover(trx, change, options.today, options.now);
    const historyId = await recordImport(trx, {
      kind,
      files: described,
      summary: written.summary,
      outcome: 'applied',
      by: options.by,
      at: options.now,
    });
    return { summary: written.summary, historyId };
  });
  // See import.service.ts: PostgreSQL needs statistics after a large first import.
  if (
    db.getExecutor().adapter instanceof PostgresAdapter &&
    summary.written.children + summary.written.workers > 1000
  )
    await sql`analyze`.execute(db);
  return { problems: parsed.problems, applied: true, summary, historyId };
}
