import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { fixedClock, systemClock, type Clock } from '../clock.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../db/create-db.js';
import { createAccount, findAccountByEmail } from '../db/accounts.repository.js';
import { findPerson } from '../db/structure.repository.js';
import type { Extract } from '../domain/scheduling/extract.js';
import { hashPassword } from '../services/auth.service.js';
import { ensureCurrent } from '../services/due.service.js';
import {
  exportExtract,
  ExtractExportError,
  type ExtractContext,
  type ExtractCounts,
} from '../services/export.service.js';
import { importExtract, type ImportSummary } from '../services/import.service.js';
import {
  applyImport,
  previewImport,
  type DataImportKind,
  type DataImportSummary,
  type DueDateMoves,
  type ImportFile,
  type ImportProgress,
} from '../services/data-import.service.js';
import type { ColumnMapping, ImportProblem } from '../domain/imports/index.js';
import { setUpOrganisation } from '../services/organisation.service.js';
import { choosePolicy, loadPolicyVersion } from '../services/policy.service.js';
import { resolvePolicy, presetIds } from '../policies/index.js';
import type { CliIo } from './io.js';

/**
 * The commands that work on the service's database: `db migrate`, `import extract`,
 * `export extract` and `user create`. They read the same configuration as the service (DATABASE_URL and so on).
 */

export { MIN_PASSWORD_LENGTH } from '../domain/access/password-rules.js';
import {
  MIN_PASSWORD_LENGTH,
  passwordMessage,
  passwordProblem,
} from '../domain/access/password-rules.js';

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

function configOf(io: CliIo): Config {
  return loadConfig(io.env ?? {});
}

async function withDatabase<T>(
  io: CliIo,
  work: (open: OpenDatabase, config: Config) => Promise<T>,
) {
  const config = configOf(io);
  const open = openDatabase(config.database);
  try {
    await migrateToLatest(open.db);
    return await work(open, config);
  } finally {
    await open.close();
  }
}

export async function dbMigrate(io: CliIo): Promise<number> {
  const config = configOf(io);
  const open = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(open.db);
    await io.stdout(
      applied.length === 0
        ? 'The database is up to date.\n'
        : `Applied ${String(applied.length)} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((m) => `  ${m}\n`).join('')}`,
    );
  } finally {
    await open.close();
  }
  return 0;
}

function summaryLines(summary: ImportSummary): string {
  const rows: [string, ImportSummary['children']][] = [
    ['children', summary.children],
    ['workers', summary.workers],
    ['foster carers', summary.fosterCarers],
    ['teams', summary.teams],
  ];
  const pad = (text: string, width: number) => text.padStart(width);
  const header = `${'subjects'.padEnd(14)}${pad('added', 9)}${pad('changed', 9)}${pad('unchanged', 11)}${pad('not in file', 13)}\n`;
  return (
    header +
    rows
      .map(
        ([name, k]) =>
          `${name.padEnd(14)}${pad(String(k.added), 9)}${pad(String(k.changed), 9)}${pad(String(k.unchanged), 11)}${pad(String(k.notInFile), 13)}\n`,
      )
      .join('')
  );
}

export async function importExtractCommand(
  io: CliIo,
  extract: Extract,
  file: string,
  options: { policy?: string; asOf?: string },
): Promise<number> {
  const clock: Clock =
    options.asOf === undefined
      ? { now: () => new Date(), today: () => io.today() }
      : fixedClock(options.asOf);
  return withDatabase(io, async ({ db }, config) => {
    await setUpOrganisation(db, clock, { demo: false, councilName: config.councilName });
    const today = clock.today();
    if (options.policy !== undefined) {
      const current = await loadPolicyVersion(db, today);
      const wanted = resolvePolicy(options.policy);
      if (current?.policy.id !== wanted.id) {
        const preset = presetIds().includes(options.policy) ? options.policy : null;
        await choosePolicy(db, {
          presetId: preset,
          document:
            preset === null ? (io.readText ? await io.readText(options.policy) : null) : null,
          effectiveFrom: today,
          reason: `Chosen with oversight import extract ${file}`,
          chosenBy: null,
          chosenAt: clock.now().toISOString(),
        });
      }
    }
    const started = Date.now();
    const summary = await importExtract(db, extract, { now: clock.now().toISOString(), today });
    const imported = Date.now() - started;
    const due = await ensureCurrent(db, clock);
    const policy = await loadPolicyVersion(db, today);
    await io.stdout(
      `Imported ${file} in ${(imported / 1000).toFixed(1)} s, all or nothing:\n${summaryLines(summary)}` +
        (policy === null
          ? 'No policy is chosen yet, so there are no due dates: choose one with --policy ID or in Administration.\n'
          : `Due dates are for ${due.asOf} under ${policy.policy.id}.\n`),
    );
    return 0;
  });
}

/** A problem as `FILE:ROW:COLUMN: message` (a workbook's sheet after the file's name). */
export function problemLine(p: ImportProblem): string {
  const where = [
    p.sheet === undefined ? p.file : `${p.file}[${p.sheet}]`,
    ...(p.row === undefined ? [] : [String(p.row)]),
    ...(p.column === undefined ? [] : [p.column]),
  ].join(':');
  return `${where}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}\n`;
}

function dataSummaryLines(summary: DataImportSummary): string {
  const rows: [string, DataImportSummary['children']][] = [
    ['children', summary.children],
    ['workers', summary.workers],
    ['teams', summary.teams],
  ];
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  const header = `${'subjects'.padEnd(10)}${pad('new', 8)}${pad('changed', 9)}${pad('closed', 8)}${pad('unchanged', 11)}${pad('not in files', 14)}\n`;
  const lines = rows.map(
    ([name, k]) =>
      `${name.padEnd(10)}${pad(k.added, 8)}${pad(k.changed, 9)}${pad(k.closed, 8)}${pad(k.unchanged, 11)}${pad(k.notInFile, 14)}\n`,
  );
  const notes: string[] = [];
  if (summary.unmatched.workers.length > 0)
    notes.push(
      `Workers named in the files that match nobody (left unallocated): ${summary.unmatched.workers.join(', ')}\n`,
    );
  if (summary.unmatched.teams.length > 0)
    notes.push(`Teams named in the files that match none: ${summary.unmatched.teams.join(', ')}\n`);
  for (const conflict of summary.conflicts) notes.push(`${conflict}\n`);
  return header + lines.join('') + notes.join('');
}

function dueLine(due: DueDateMoves | null): string {
  if (due === null) return 'No policy is chosen yet, so no due dates would move.\n';
  return (
    `Due dates: ${due.subjects} subjects recomputed; ${due.moved} due dates would move, ` +
    `${due.added} would be new and ${due.removed} would go.\n`
  );
}

/** A progress line on standard error, where it is a terminal. */
function progressLine(io: CliIo): { report: ImportProgress; done: () => void } | undefined {
  const tty =
    (io as CliIo & { stderrIsTerminal?: boolean }).stderrIsTerminal ??
    (io.env === process.env && process.stderr.isTTY);
  if (!tty) return undefined;
  let shown = -1;
  return {
    report: (done, total) => {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === shown) return;
      shown = percent;
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      io.stderr(`\rReading: ${String(percent).padStart(3)}% (${mb(done)} of ${mb(total)} MB)`);
    },
    done: () => {
      if (shown >= 0) io.stderr('\rRead the files; checking and writing to the database...\n');
    },
  };
}

/** `oversight import ssda903|cin-census|annex-a|staff [--preview] [--as-of D] FILE...`. */
export async function importFilesCommand(
  io: CliIo,
  kind: DataImportKind,
  files: readonly ImportFile[],
  options: { preview: boolean; asOf?: string; mapping?: ColumnMapping },
): Promise<number> {
  const clock: Clock =
    options.asOf === undefined
      ? { now: () => new Date(), today: () => io.today() }
      : fixedClock(options.asOf);
  const today = clock.today();
  const progress = progressLine(io);
  const common = {
    today,
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(progress === undefined ? {} : { onProgress: progress.report }),
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
  };
  const names = files.map((f) => f.name).join(', ');
  const report = (problems: readonly ImportProblem[]) => {
    progress?.done();
    for (const p of problems) io.stderr(problemLine(p));
    const errors = problems.filter((p) => p.severity === 'error').length;
    if (errors > 0)
      io.stderr(
        `${errors === 1 ? '1 error' : `${String(errors)} errors`}: nothing was imported. Correct the files and import them again.\n`,
      );
    return errors > 0;
  };
  return withDatabase(io, async ({ db }, config) => {
    if (options.preview) {
      const result = await previewImport(db, kind, files, common);
      if (report(result.problems) || result.summary === null) return 2;
      await io.stdout(
        `Preview of ${names} (nothing has been written):\n${dataSummaryLines(result.summary)}${dueLine(result.dueDates)}`,
      );
      return 0;
    }
    await setUpOrganisation(db, clock, { demo: false, councilName: config.councilName });
    const started = Date.now();
    const result = await applyImport(db, kind, files, {
      ...common,
      now: clock.now().toISOString(),
      by: `command line (${commandLineUser()})`,
    });
    if (report(result.problems) || result.summary === null) return 2;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const due = await ensureCurrent(db, clock);
    const policy = await loadPolicyVersion(db, today);
    const written = result.summary.written;
    await io.stdout(
      `Imported ${names} in ${seconds} s, all or nothing` +
        (written.children + written.workers + written.teams === 0
          ? ': nothing had changed since the last import.\n'
          : ':\n') +
        dataSummaryLines(result.summary) +
        (policy === null
          ? 'No policy is chosen yet, so there are no due dates: choose one in Administration.\n'
          : `Due dates are for ${due.asOf} under ${policy.policy.id}.\n`),
    );
    return 0;
  });
}

function commandLineUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

export async function userCreate(
  io: CliIo,
  options: { email?: string; admin: boolean; qa: boolean; person?: string },
): Promise<number> {
  const email = options.email?.trim() ?? '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new CommandError(
      "oversight user create: give the new account's email address with --email",
    );
  if ([options.admin, options.qa, options.person !== undefined].filter(Boolean).length !== 1)
    throw new CommandError(
      'oversight user create: choose one of --admin (an administrator), --qa (quality assurance) or --person ID (a member of staff)',
    );
  const password =
    (await io.readSecret?.('Password for the new account: '))?.replace(/\r?\n$/, '') ?? '';
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new CommandError(
      `oversight user create: the password must be at least ${String(MIN_PASSWORD_LENGTH)} characters (give it on standard input)`,
    );
  return withDatabase(io, async ({ db }, config) => {
    const problem = passwordProblem(password, { email, councilName: config.councilName });
    if (problem !== null)
      throw new CommandError(`oversight user create: ${passwordMessage(problem)}`);
    await setUpOrganisation(db, systemClock, { demo: false, councilName: config.councilName });
    if ((await findAccountByEmail(db, email)) !== undefined)
      throw new CommandError(`oversight user create: there is already an account for ${email}`);
    if (options.person !== undefined && (await findPerson(db, options.person)) === undefined)
      throw new CommandError(`oversight user create: there is no person with id ${options.person}`);
    await createAccount(
      db,
      {
        email,
        passwordHash: await hashPassword(password),
        personId: options.person ?? null,
        access: options.admin ? 'administrator' : options.qa ? 'quality-assurance' : 'staff',
      },
      new Date().toISOString(),
    );
    await io.stdout(
      `Created ${options.admin ? 'an administrator' : options.qa ? 'a quality assurance' : 'a staff'} account for ${email}.\n`,
    );
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// oversight export extract

/**
 * A file written under a temporary name beside it and renamed when complete, so that FILE is
 * never left half-written (a failed export leaves whatever FILE was before).
 */
async function openComplete(file: string) {
  const partial = join(dirname(file), `.${basename(file)}.${String(process.pid)}.partial`);
  const stream = createWriteStream(partial, { flags: 'w' });
  try {
    await once(stream, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'its folder may not be written to'
          : `it cannot be written (${code ?? 'unknown error'})`;
    throw new CommandError(`oversight export extract: cannot write ${file}: ${why}`);
  }
  let failed: Error | undefined;
  stream.on('error', (error) => {
    failed = error;
  });
  return {
    write: async (text: string) => {
      if (failed !== undefined) throw failed;
      if (!stream.write(text)) await once(stream, 'drain');
    },
    finish: async () => {
      stream.end();
      await once(stream, 'finish');
      if (failed !== undefined) throw failed;
      await rename(partial, file);
    },
    abandon: async () => {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}

const number = (n: number) => n.toLocaleString('en-GB');

function extractReport(
  where: string,
  hintFile: string,
  asOf: string,
  counts: ExtractCounts,
  context: ExtractContext,
): string {
  const lines = [
    `Wrote the extract ${where}: ${number(counts.children)} children, ${number(counts.workers)} workers, ` +
      `${number(counts.fosterCarers)} foster carers, ${number(counts.teams)} teams and ${number(counts.events)} events ` +
      `(${number(context.serviceEvents)} of them recorded in the service).`,
  ];
  const policy = context.policy;
  if (policy === null) {
    lines.push(
      `No policy is in force on ${asOf}, so the service shows no due dates for it; choose one in Administration.`,
    );
  } else {
    const reference = policy.source === 'preset' ? policy.id : 'POLICY-FILE';
    lines.push(
      `Its due dates for ${asOf}, as the service shows them:`,
      `  oversight due --policy ${reference} --as-of ${asOf} ${hintFile}`,
    );
    if (policy.source === 'file')
      lines.push(
        `  where POLICY-FILE is the council's own policy file "${policy.name}" (${policy.id}), in force from ${policy.effectiveFrom}.`,
      );
  }
  if (context.closureDays.length > 0) {
    const shown = context.closureDays.slice(0, 3).join(', ');
    const more = context.closureDays.length > 3 ? ' and more' : '';
    lines.push(
      `The service also counts ${number(context.closureDays.length)} closure day${context.closureDays.length === 1 ? '' : 's'} the policy does not list (${shown}${more}): ` +
        'an extract has no closure days, so a date that a closure day moves will differ.',
    );
  }
  if (context.overrides > 0)
    lines.push(
      `${number(context.overrides)} manager's override${context.overrides === 1 ? ' is' : 's are'} in force: an extract holds none, ` +
        "so for those children the dates are the policy's own, which each child's page shows beside the override.",
    );
  return `${lines.join('\n')}\n`;
}

/** `oversight export extract [--as-of D] [FILE|-]`: the whole organisation as a §6 extract. */
export async function exportExtractCommand(
  io: CliIo,
  options: { asOf: string; file: string },
): Promise<number> {
  return withDatabase(io, async ({ db }) => {
    const toStdout = options.file === '-';
    const target = toStdout ? null : await openComplete(options.file);
    try {
      const { counts, context } = await exportExtract(
        db,
        options.asOf,
        target === null ? (text) => io.stdout(text) : target.write,
      );
      await target?.finish();
      if (toStdout) {
        // Standard output holds the extract alone; what it holds is said on standard error.
        io.stderr(extractReport('to standard output', 'FILE', options.asOf, counts, context));
      } else {
        await io.stdout(
          extractReport(`to ${options.file}`, options.file, options.asOf, counts, context),
        );
      }
      return 0;
    } catch (error) {
      await target?.abandon();
      if (error instanceof ExtractExportError)
        throw new CommandError(`oversight export extract: ${error.message}`, 1);
      throw error;
    }
  });
}
