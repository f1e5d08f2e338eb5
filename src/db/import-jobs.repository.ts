import type { Queryable } from './database.js';
import type { ImportedFile, ImportHistoryEntry } from './import-history.repository.js';
import type { ImportJobState, ImportJobsTable } from './imports-in-the-service-tables.js';

/**
 * Imports uploaded through the service (migration 20261124T0014), and the pages of the import
 * history (migration 20261124T0009) the service shows.
 */

export type { ImportJobState };

export interface ImportJob {
  id: string;
  kind: string;
  mappingId: string | null;
  mappingName: string | null;
  asOf: string | null;
  files: ImportedFile[];
  state: ImportJobState;
  done: number;
  total: number;
  preview: unknown;
  result: unknown;
  historyId: string | null;
  runner: string | null;
  heartbeatAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

function parsed(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function toJob(row: ImportJobsTable): ImportJob {
  return {
    id: row.id,
    kind: row.kind,
    mappingId: row.mapping_id,
    mappingName: row.mapping_name,
    asOf: row.as_of,
    files: JSON.parse(row.files) as ImportedFile[],
    state: row.state,
    done: row.done,
    total: row.total,
    preview: parsed(row.preview),
    result: parsed(row.result),
    historyId: row.history_id,
    runner: row.runner,
    heartbeatAt: row.heartbeat_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createJob(
  db: Queryable,
  job: {
    id: string;
    kind: string;
    mappingId: string | null;
    mappingName: string | null;
    asOf: string | null;
    files: ImportedFile[];
    preview: unknown;
    createdBy: string;
    now: string;
  },
): Promise<void> {
  await db
    .insertInto('import_jobs')
    .values({
      id: job.id,
      kind: job.kind,
      mapping_id: job.mappingId,
      mapping_name: job.mappingName,
      as_of: job.asOf,
      files: JSON.stringify(job.files),
      state: 'uploaded',
      done: 0,
      total: job.files.reduce((n, f) => n + f.bytes, 0),
      preview: JSON.stringify(job.preview),
      result: null,
      history_id: null,
      runner: null,
      heartbeat_at: null,
      created_by: job.createdBy,
      created_at: job.now,
      updated_at: job.now,
    })
    .execute();
}

export async function getJob(db: Queryable, id: string): Promise<ImportJob | undefined> {
  const row = await db
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toJob(row);
}

/**
 * Moves a job from one state to another, only if it is still in `from`: two clicks of "Apply"
 * (or an apply racing a cancel) cannot both win. True when this call moved it.
 */
export async function moveJob(
  db: Queryable,
  id: string,
  from: readonly ImportJobState[],
  to: ImportJobState,
  now: string,
  extra: {
    runner?: string | null;
    result?: unknown;
    historyId?: string | null;
    done?: number;
  } = {},
): Promise<boolean> {
  const result = await db
    .updateTable('import_jobs')
    .set({
      state: to,
      updated_at: now,
      ...(extra.runner === undefined ? {} : { runner: extra.runner, heartbeat_at: now }),
      ...(extra.result === undefined ? {} : { result: JSON.stringify(extra.result) }),
      ...(extra.historyId === undefined ? {} : { history_id: extra.historyId }),
      ...(extra.done === undefined ? {} : { done: extra.done }),
    })
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The progress of a job being applied, and a sign that its process is still at it. */
export async function reportProgress(
  db: Queryable,
  id: string,
  progress: { done?: number; total?: number },
  now: string,
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      heartbeat_at: now,
      ...(progress.done === undefined ? {} : { done: progress.done }),
      ...(progress.total === undefined ? {} : { total: progress.total }),
    })
    .where('id', '=', id)
    .where('state', 'in', ['reading', 'writing'])
    .execute();
}

/**
 * Jobs being applied by a process other than `runner` that has not said it is still at it since
 * `before`: that process has gone (a restart), and its transaction with it. Marked stopped.
 */
export async function stopAbandonedJobs(
  db: Queryable,
  runner: string,
  before: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('import_jobs')
    .set({ state: 'stopped', updated_at: now })
    .where('state', 'in', ['reading', 'writing'])
    .where((eb) => eb.or([eb('runner', 'is', null), eb('runner', '!=', runner)]))
    .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Uploads never applied or cancelled, created before `before`: their files are to be removed. */
export async function uploadsOlderThan(db: Queryable, before: string): Promise<string[]> {
  const rows = await db
    .selectFrom('import_jobs')
    .select('id')
    .where('state', '=', 'uploaded')
    .where('created_at', '<', before)
    .execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// The import history, a page at a time

function toEntry(r: {
  id: string;
  kind: string;
  files: string;
  summary: string;
  outcome: ImportHistoryEntry['outcome'];
  by: string;
  at: string;
}): ImportHistoryEntry {
  return {
    id: r.id,
    kind: r.kind,
    files: JSON.parse(r.files) as ImportedFile[],
    summary: JSON.parse(r.summary) as unknown,
    outcome: r.outcome,
    by: r.by,
    at: r.at,
  };
}

export async function countImportHistory(db: Queryable): Promise<number> {
  const row = await db
    .selectFrom('import_history')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Newest first. */
export async function importHistoryPage(
  db: Queryable,
  offset: number,
  limit: number,
): Promise<ImportHistoryEntry[]> {
  const rows = await db
    .selectFrom('import_history')
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

export async function importHistoryEntry(
  db: Queryable,
  id: string,
): Promise<ImportHistoryEntry | undefined> {
  const row = await db
    .selectFrom('import_history')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toEntry(row);
}

/** The emails of the accounts that made imports in the service (the history keeps the id). */
export async function accountEmails(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}
