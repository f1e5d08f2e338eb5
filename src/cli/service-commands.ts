import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
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
import { setUpOrganisation } from '../services/organisation.service.js';
import { choosePolicy, loadPolicyVersion } from '../services/policy.service.js';
import { resolvePolicy, presetIds } from '../policies/index.js';
import type { CliIo } from './io.js';

/**
 * The commands that work on the service's database: `db migrate`, `import extract`,
 * `export extract` and `user create`. They read the same configuration as the service (DATABASE_URL and so on).
 */

export const MIN_PASSWORD_LENGTH = 12;

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
