import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { getMapping, listMappings, type SavedMapping } from '../db/column-mappings.repository.js';
import type { ImportedFile, ImportHistoryEntry } from '../db/import-history.repository.js';
import {
  accountEmails,
  countImportHistory,
  createJob,
  getJob,
  importHistoryEntry,
  importHistoryPage,
  moveJob,
  reportProgress,
  stopAbandonedJobs,
  uploadsOlderThan,
  type ImportJob,
} from '../db/import-jobs.repository.js';
import type { ImportProblem } from '../domain/imports/index.js';
import { NotFoundError } from '../domain/errors.js';
import {
  applyImport,
  describeFiles,
  previewImport,
  type DataImportKind,
  type DataImportSummary,
  type DueDateMoves,
  type ImportFile,
} from './data-import.service.js';

/**
 * Imports through the service (docs/imports.md, In the service): an administrator uploads the
 * files, sees the preview, and applies or cancels. The files wait in a temporary folder named
 * by the job's random id (never in the repository or the database), and are removed when the
 * import is applied, refused, cancelled or left for UPLOAD_KEPT_HOURS. Applying runs in the
 * background of the process; the job's row says how far it has got, for the progress page.
 *
 * A job being applied by a process that has gone (a restart mid-apply) has had its transaction
 * rolled back with it: when read, such a job (its process not heard from for STALE_SECONDS) is
 * marked stopped, and nothing was written.
 */

/** Where uploads wait: the system's temporary folder, never the working tree. */
export const UPLOAD_ROOT = join(tmpdir(), 'oversight-uploads');

/** The most files in one upload (the largest file is the configuration's UPLOAD_LIMIT_MB). */
export const UPLOAD_MAX_FILES = 20;

/** How long an upload that was neither applied nor cancelled keeps its files. */
export const UPLOAD_KEPT_HOURS = 24;

/** A process applying a job says it is still at it this often... */
const HEARTBEAT_MS = 5_000;
/** ...and one not heard from for this long has gone. */
export const STALE_SECONDS = 60;

/** The problems kept with a job (errors first); the rest are counted. */
export const PROBLEMS_KEPT = 500;

/** This process, as the runner of the jobs it applies. */
const RUNNER = randomUUID();

export type JobKind = DataImportKind;

export const JOB_KIND_LABELS: Record<JobKind, string> = {
  ssda903: 'SSDA903 return (the CSV files, or one XML file)',
  'cin-census': 'CIN census (XML)',
  'annex-a': 'Ofsted Annex A workbook (.xlsx)',
  'staff-list': 'Staff list (CSV)',
  'mapped-csv': 'Any CSV file, read with a saved column mapping',
};

/** A file as the upload wrote it to disk. */
export interface UploadedFile {
  /** The name the administrator's computer gave it (shown; never part of a path). */
  filename: string;
  path: string;
  bytes: number;
  /** Cut off at the size limit: the upload is refused. */
  truncated: boolean;
}

export interface StoredProblems {
  list: ImportProblem[];
  errors: number;
  warnings: number;
}

export interface JobPreview {
  problems: StoredProblems;
  summary: DataImportSummary | null;
  dueDates: DueDateMoves | null;
}

export type JobResult =
  { applied: true; summary: DataImportSummary } | { applied: false; problems: StoredProblems };

export interface JobView extends Omit<ImportJob, 'preview' | 'result'> {
  preview: JobPreview | null;
  result: JobResult | null;
}

export type UploadOutcome =
  { ok: true; id: string } | { ok: false; field: string; message: string; status?: number };

/** Errors first, then warnings, each in file order; at most PROBLEMS_KEPT kept. */
export function storedProblems(problems: readonly ImportProblem[]): StoredProblems {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  return {
    list: [...errors, ...warnings].slice(0, PROBLEMS_KEPT),
    errors: errors.length,
    warnings: warnings.length,
  };
}

/** A new folder for one request's uploaded files, under UPLOAD_ROOT. */
export async function incomingFolder(root = UPLOAD_ROOT): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  return mkdtemp(join(root, 'incoming-'));
}

/** Removes an upload's folder (its files with it); nothing if it has gone. */
export async function removeFolder(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export class ImportJobsService {
  /** Jobs this process is applying, for tests and for an orderly shutdown to wait on. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly root: string;
  private readonly limitMegabytes: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: { root?: string; limitMegabytes?: number } = {},
  ) {
    this.root = options.root ?? UPLOAD_ROOT;
    this.limitMegabytes = options.limitMegabytes ?? 50;
  }

  /** The folder of a job's files. */
  folderOf(id: string): string {
    return join(this.root, `job-${id}`);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  async mappings(): Promise<SavedMapping[]> {
    return listMappings(this.db);
  }

  /**
   * Takes the uploaded files (moved out of the request's folder into the job's), previews the
   * import and keeps what the preview found. Refused (and the files removed) when a file is too
   * large, there is none, or a CSV's mapping is missing.
   */
  async upload(request: {
    kind: JobKind;
    mappingId: string | null;
    asOf: string | null;
    incoming: string | null;
    files: readonly UploadedFile[];
    by: string;
  }): Promise<UploadOutcome> {
    await this.removeExpired();
    const refuse = async (field: string, message: string, status?: number) => {
      if (request.incoming !== null) await removeFolder(request.incoming);
      return { ok: false as const, field, message, ...(status === undefined ? {} : { status }) };
    };
    const tooLarge = request.files.find((f) => f.truncated);
    if (tooLarge !== undefined)
      return refuse(
        'files',
        `${tooLarge.filename} is larger than ${String(this.limitMegabytes)} MB, the most a file may be: nothing was uploaded`,
        413,
      );
    const files = request.files;
    if (files.length > UPLOAD_MAX_FILES)
      return refuse('files', `Choose at most ${UPLOAD_MAX_FILES} files`);
    if (files.length === 0 || request.incoming === null)
      return refuse('files', 'Choose the file or files to import');
    if (request.kind !== 'ssda903' && files.length > 1)
      return refuse(
        'files',
        'Choose one file: only an SSDA903 return comes as several files (its CSV tables)',
      );
    let mapping: SavedMapping | undefined;
    if (request.kind === 'mapped-csv') {
      mapping =
        request.mappingId === null ? undefined : await getMapping(this.db, request.mappingId);
      if (mapping === undefined)
        return refuse('mappingId', 'Choose the column mapping to read the file with');
    }

    const id = randomBytes(18).toString('base64url');
    const folder = this.folderOf(id);
    await rename(request.incoming, folder);
    const contents = await this.readFiles(
      folder,
      files.map((f) => f.filename),
    );
    const today = this.clock.today();
    const preview = await previewImport(this.db, request.kind, contents, {
      today,
      ...(request.asOf === null ? {} : { asOf: request.asOf }),
      ...(mapping === undefined ? {} : { mapping: mapping.mapping }),
    });
    const stored: JobPreview = {
      problems: storedProblems(preview.problems),
      summary: preview.summary,
      dueDates: preview.dueDates,
    };
    await createJob(this.db, {
      id,
      kind: request.kind,
      mappingId: mapping?.id ?? null,
      mappingName: mapping?.name ?? null,
      asOf: request.asOf,
      files: describeFiles(contents),
      preview: stored,
      createdBy: request.by,
      now: this.now(),
    });
    // Files with errors can never be applied: they are not kept.
    if (stored.problems.errors > 0) await removeFolder(folder);
    return { ok: true, id };
  }

  /** The files of a job, in the order uploaded, named as the administrator named them. */
  private async readFiles(folder: string, names: readonly string[]): Promise<ImportFile[]> {
    return Promise.all(
      names.map(async (name, i) => ({
        name,
        content: new Uint8Array(await readFile(join(folder, String(i)))),
      })),
    );
  }

  /** A job, as it stands (one whose process has gone is stopped first). */
  async job(id: string): Promise<JobView> {
    await stopAbandonedJobs(
      this.db,
      RUNNER,
      new Date(this.clock.now().getTime() - STALE_SECONDS * 1000).toISOString(),
      this.now(),
    );
    const job = await getJob(this.db, id);
    if (job === undefined) throw new NotFoundError('import');
    return {
      ...job,
      preview: job.preview as JobPreview | null,
      result: job.result as JobResult | null,
    };
  }

  /**
   * Starts applying a previewed job in the background. False when it cannot be (it has errors,
   * or has already been applied, cancelled or expired).
   */
  async apply(id: string, by: string): Promise<boolean> {
    const job = await this.job(id);
    if (job.state !== 'uploaded' || (job.preview?.problems.errors ?? 1) > 0) return false;
    const mapping = job.mappingId === null ? undefined : await getMapping(this.db, job.mappingId);
    if (job.kind === 'mapped-csv' && mapping === undefined) return false;
    if (!(await moveJob(this.db, id, ['uploaded'], 'reading', this.now(), { runner: RUNNER })))
      return false;
    const run = this.run(job, by, mapping).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return true;
  }

  /** Resolves when the job (if this process is applying it) has finished. */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  private async run(job: JobView, by: string, mapping: SavedMapping | undefined): Promise<void> {
    const folder = this.folderOf(job.id);
    let writing: Promise<void> = Promise.resolve();
    let lastShown = -1;
    const heartbeat = setInterval(() => {
      writing = writing.then(() => reportProgress(this.db, job.id, {}, this.now())).catch(() => {});
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let result: Awaited<ReturnType<typeof applyImport>> | null = null;
    try {
      const files = await this.readFiles(
        folder,
        job.files.map((f) => f.name),
      );
      result = await applyImport(this.db, job.kind as JobKind, files, {
        today: this.clock.today(),
        now: this.now(),
        by,
        ...(job.asOf === null ? {} : { asOf: job.asOf }),
        ...(mapping === undefined ? {} : { mapping: mapping.mapping }),
        onProgress: (done, total) => {
          // A row write per hundredth read, one at a time.
          const shown = total === 0 ? 100 : Math.floor((done / total) * 100);
          if (shown === lastShown) return;
          lastShown = shown;
          writing = writing
            .then(() => reportProgress(this.db, job.id, { done, total }, this.now()))
            .catch(() => {});
        },
        onWriting: () => {
          writing = writing
            .then(async () => {
              await moveJob(this.db, job.id, ['reading'], 'writing', this.now());
            })
            .catch(() => {});
        },
      });
    } catch {
      // The transaction was rolled back: nothing was written. The job says so (below); what
      // went wrong is not put on a page (a database's message can quote the values it refused).
      result = null;
    } finally {
      clearInterval(heartbeat);
      await writing;
      // The files go before the job says it has finished: a finished import keeps none.
      await removeFolder(folder);
    }
    if (result === null)
      await moveJob(this.db, job.id, ['reading', 'writing'], 'failed', this.now()).catch(
        () => false,
      );
    else if (result.applied && result.summary !== null)
      await moveJob(this.db, job.id, ['reading', 'writing'], 'applied', this.now(), {
        result: { applied: true, summary: result.summary } satisfies JobResult,
        historyId: result.historyId,
        done: job.files.reduce((n, f) => n + f.bytes, 0),
      });
    else
      await moveJob(this.db, job.id, ['reading', 'writing'], 'refused', this.now(), {
        result: { applied: false, problems: storedProblems(result.problems) } satisfies JobResult,
        historyId: result.historyId,
      });
  }

  /** Cancels a previewed job and removes its files. False when it was no longer waiting. */
  async cancel(id: string): Promise<boolean> {
    await this.job(id);
    const moved = await moveJob(this.db, id, ['uploaded'], 'cancelled', this.now());
    if (moved) await removeFolder(this.folderOf(id));
    return moved;
  }

  /** Uploads left waiting for UPLOAD_KEPT_HOURS: marked expired, their files removed. */
  async removeExpired(): Promise<number> {
    const before = new Date(
      this.clock.now().getTime() - UPLOAD_KEPT_HOURS * 3_600_000,
    ).toISOString();
    const ids = await uploadsOlderThan(this.db, before);
    let removed = 0;
    for (const id of ids)
      if (await moveJob(this.db, id, ['uploaded'], 'expired', this.now())) {
        await removeFolder(this.folderOf(id));
        removed++;
      }
    return removed;
  }

  /** The import history, newest first, a page at a time, with who made each import. */
  async history(
    page: number,
    size: number,
  ): Promise<{ total: number; entries: (ImportHistoryEntry & { byText: string })[] }> {
    const total = await countImportHistory(this.db);
    const entries = await importHistoryPage(this.db, (page - 1) * size, size);
    const emails = await accountEmails(
      this.db,
      entries.map((e) => e.by),
    );
    return {
      total,
      entries: entries.map((e) => ({ ...e, byText: emails.get(e.by) ?? e.by })),
    };
  }

  async historyEntry(id: string): Promise<ImportHistoryEntry & { byText: string }> {
    const entry = await importHistoryEntry(this.db, id);
    if (entry === undefined) throw new NotFoundError('import');
    const emails = await accountEmails(this.db, [entry.by]);
    return { ...entry, byText: emails.get(entry.by) ?? entry.by };
  }
}

export type { ImportedFile };
