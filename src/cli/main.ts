import { parseArgs } from 'node:util';
import { tryParseIsoDate } from '../domain/dates/index.js';
import { describePolicy } from '../domain/scheduling/describe.js';
import { computeSchedule } from '../domain/scheduling/engine.js';
import { validateExtract, type Extract, type InputProblem } from '../domain/scheduling/extract.js';
import type { Policy } from '../domain/scheduling/policy.js';
import { toReport } from '../domain/scheduling/report.js';
import { PolicyError, presetIds, loadPreset, resolvePolicy } from '../policies/index.js';
import {
  csvChunks,
  formatPolicy,
  formatTable,
  formatWarningsForStderr,
  jsonChunks,
} from './format.js';
import { importCsvCommand } from './import-csv-command.js';
import { MAX_INPUT_BYTES, type CliIo } from './io.js';
import { ConfigError } from '../config.js';
import { auditCommand } from './audit-command.js';
import {
  RETENTION_USAGE,
  retentionCommand,
  subjectAccessCommand,
} from './data-protection-commands.js';
import {
  CommandError,
  dbMigrate,
  exportExtractCommand,
  importExtractCommand,
  importFilesCommand,
  userCreate,
} from './service-commands.js';
import type { DataImportKind, ImportFile } from '../services/data-import.service.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

const USAGE = `Usage:
  oversight due --policy ID|FILE [--as-of YYYY-MM-DD] [--format json|csv|table] FILE|-
      Every due date under the policy for the extract in FILE ("-" reads standard input).
      --as-of defaults to today in Europe/London; --format to a table on a terminal, else json.
  oversight validate FILE|-
      Checks an extract and lists every problem with its place in the file.
  oversight policy list
      The preset policies.
  oversight policy show ID|FILE
      A policy's frequency table in plain words, with the source text of each row.

  The service's database (DATABASE_URL: a SQLite file, default data/oversight.sqlite, or a
  postgres:// URL):
  oversight db migrate
      Brings the database's tables up to date (the service also does this when it starts).
  oversight import extract [--policy ID|FILE] [--as-of YYYY-MM-DD] FILE|-
      Loads an extract into the database in one transaction and prints what was added,
      changed and unchanged. --policy also chooses the organisation's policy from today.
  oversight import ssda903|cin-census|annex-a|staff [--preview] [--as-of YYYY-MM-DD] FILE...
      Imports a council's files (SSDA903 CSV set or XML, CIN census XML, Ofsted Annex A
      workbook, staff list CSV) all or nothing, and records the import in the history. Every
      problem is printed as FILE:ROW:COLUMN: message; with any error nothing is imported.
      --preview says what would change (and how many due dates would move) and writes nothing.
      --as-of: the day the Annex A lists were produced, and the day due dates are for.
  oversight import csv --mapping NAME|--mapping-file FILE.json [--preview] [--as-of D] FILE...
      Imports any CSV file with a column mapping: one saved in the service (Administration,
      Imports, Column mappings) by its name, or one in a JSON file (docs/imports.md, Any CSV).
      Output, --preview and --as-of as for the other imports.
  oversight export extract [--as-of YYYY-MM-DD] [FILE|-]
      Writes the whole organisation as an extract, with the events recorded in the service,
      to FILE (standard output by default); "oversight due" reads it back to the service's
      dates. --as-of (default today) is the day whose policy and dates the message names.
  oversight audit verify
      Checks the audit trail's hash chain from its first entry to its last. Exit 0 and a
      summary when it is unbroken; exit 1 and the first break when an entry was changed,
      removed or put in afterwards.
  oversight user create --email EMAIL (--admin | --qa | --person ID)
      Creates a sign-in account; the password (12 characters or more) is read from standard
      input. In production this is how the first administrator is made.
${RETENTION_USAGE}`;

/** Bad input: the message is for the person who ran the command, and nothing goes to stdout. */
class BadInput extends Error {
  /** Each place with its problems: a file, an option, a policy. */
  readonly groups: readonly {
    readonly where: string;
    readonly problems: readonly InputProblem[];
  }[];

  constructor(where: string, problems: readonly InputProblem[]) {
    super(where);
    this.groups = [{ where, problems }];
  }

  /** Several places' problems, reported together. */
  static all(errors: readonly BadInput[]): BadInput {
    const combined = new BadInput('', []);
    (combined as { groups: BadInput['groups'] }).groups = errors.flatMap((e) => e.groups);
    return combined;
  }
}

/** Runs a step; a BadInput from it is kept in `into` (so that later steps still report theirs). */
async function collect<T>(into: BadInput[], step: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof BadInput)) throw error;
    into.push(error);
    return undefined;
  }
}

function usageError(message: string): BadInput {
  return new BadInput('oversight', [{ path: '', message: `${message}\n\n${USAGE}` }]);
}

function describeSize(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Where a JSON syntax error is, as line and column, from V8's "at position N". */
function jsonErrorProblem(error: SyntaxError, text: string): InputProblem {
  const match = /position (\d+)/.exec(error.message);
  let where = '';
  if (match) {
    const position = Number(match[1]);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    where = ` at line ${line}, column ${column}`;
  }
  const at = /position (\d+)/.exec(error.message);
  if (/end of JSON input/.test(error.message) || (at && Number(at[1]) >= text.trimEnd().length)) {
    const lines = text.split('\n').length;
    return {
      path: '',
      message: `is not valid JSON: it ends (at line ${lines}) before the document is complete; is the file cut short?`,
    };
  }
  const detail = error.message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/, "[\s\S]*" is not valid JSON$/, '');
  return { path: '', message: `is not valid JSON${where}: ${detail}` };
}

async function readExtract(file: string, io: CliIo): Promise<Extract> {
  const name = file === '-' ? 'standard input' : file;
  let bytes: Buffer;
  try {
    bytes = await io.readInput(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : code === 'EFBIG' || code === 'ERR_FS_FILE_TOO_LARGE'
            ? `is ${describeSize((error as { size?: number }).size ?? 0)}: the most the command reads is ${describeSize(MAX_INPUT_BYTES)}`
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new BadInput(name, [{ path: '', message }]);
  }
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new BadInput(name, [
      {
        path: '',
        message: `is ${describeSize(bytes.length)}: the most the command reads is ${describeSize(MAX_INPUT_BYTES)}`,
      },
    ]);
  }
  // Spreadsheet and Windows tools often start a UTF-8 file with a byte-order mark: not an error.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '')
    throw new BadInput(name, [{ path: '', message: 'is empty: an extract is a JSON object' }]);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BadInput(name, [jsonErrorProblem(error as SyntaxError, text)]);
  }
  const validation = validateExtract(document);
  if (!validation.ok) throw new BadInput(name, validation.problems);
  return validation.extract;
}

function policyFrom(reference: string): Policy {
  try {
    return resolvePolicy(reference);
  } catch (error) {
    if (error instanceof PolicyError) throw new BadInput(`--policy ${error.where}`, error.problems);
    throw error;
  }
}

async function due(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      policy: { type: 'string' },
      'as-of': { type: 'string' },
      format: { type: 'string' },
    },
  });
  if (values.policy === undefined) throw usageError('oversight due: --policy is required');
  if (positionals.length !== 1)
    throw usageError('oversight due: give exactly one extract FILE, or - for standard input');
  const format = values.format ?? (io.stdoutIsTerminal ? 'table' : 'json');
  const asOfText = values['as-of'] ?? io.today();
  const asOf = tryParseIsoDate(asOfText);
  const policyReference = values.policy;
  const problems: BadInput[] = [];
  if (!['json', 'csv', 'table'].includes(format)) {
    problems.push(
      new BadInput('--format', [
        { path: '', message: `"${format}" is not one of json, csv, table` },
      ]),
    );
  }
  if (asOf === undefined) {
    problems.push(
      new BadInput('--as-of', [
        { path: '', message: `"${asOfText}" is not a real date in the form YYYY-MM-DD` },
      ]),
    );
  }
  const policy = await collect(problems, () => policyFrom(policyReference));
  const extract = await collect(problems, () => readExtract(positionals[0] ?? '-', io));
  if (problems.length > 0 || policy === undefined || extract === undefined || asOf === undefined) {
    throw BadInput.all(problems);
  }
  const schedule = computeSchedule(policy, extract, asOf);
  if (format === 'json') await writeChunks(io, jsonChunks(schedule));
  else if (format === 'csv') {
    await writeChunks(io, csvChunks(schedule));
    io.stderr(formatWarningsForStderr(schedule));
  } else await writeChunks(io, [formatTable(toReport(schedule), io.terminalColumns)]);
  return EXIT_OK;
}

/** Writes pieces of output in batches of about a megabyte, waiting whenever the reader is behind. */
async function writeChunks(io: CliIo, chunks: Iterable<string>): Promise<void> {
  let batch = '';
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length >= 1 << 20) {
      await io.stdout(batch);
      batch = '';
    }
  }
  if (batch !== '') await io.stdout(batch);
}

async function validate(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1)
    throw usageError('oversight validate: give exactly one extract FILE, or - for standard input');
  const file = positionals[0] ?? '-';
  const extract = await readExtract(file, io);
  const count = (list: readonly unknown[] | null | undefined) => list?.length ?? 0;
  const lists: (readonly { events?: readonly unknown[] | null }[] | null | undefined)[] = [
    extract.children,
    extract.workers,
    extract.fosterCarers,
    extract.teams,
  ];
  const events = lists.reduce(
    (sum, list) => sum + (list ?? []).reduce((n, s) => n + (s.events?.length ?? 0), 0),
    0,
  );
  await io.stdout(
    `${file === '-' ? 'standard input' : file} is a valid extract: ${count(extract.children)} children, ${count(extract.workers)} workers, ` +
      `${count(extract.fosterCarers)} foster carers, ${count(extract.teams)} teams, ${events} events\n`,
  );
  return EXIT_OK;
}

async function policyCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list' && rest.length === 0) {
    const policies = presetIds().map(loadPreset);
    const width = Math.max(...policies.map((p) => p.id.length));
    const lines = policies.map((p) => `${p.id.padEnd(width)}  ${p.name} (${p.sourceDocument})\n`);
    await io.stdout(lines.join(''));
    return EXIT_OK;
  }
  if (sub === 'show' && rest.length === 1) {
    await io.stdout(formatPolicy(describePolicy(policyFrom(rest[0] ?? ''))));
    return EXIT_OK;
  }
  throw usageError('oversight policy: use "policy list" or "policy show ID|FILE"');
}

function problemLines(error: BadInput): string {
  return error.groups
    .map(({ where, problems }) => {
      const lines = problems.map((p) =>
        p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`,
      );
      const heading = problems.length > 1 ? `${where}: ${problems.length} problems\n` : '';
      return `${heading}${lines.join('\n')}\n`;
    })
    .join('');
}

async function dbCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'migrate' || args.length !== 1)
    throw usageError('"oversight db" takes one subcommand: migrate');
  return dbMigrate(io);
}

const IMPORT_KINDS: Readonly<Record<string, DataImportKind>> = {
  ssda903: 'ssda903',
  'cin-census': 'cin-census',
  'annex-a': 'annex-a',
  staff: 'staff-list',
};

async function readImportFile(file: string, io: CliIo): Promise<ImportFile> {
  try {
    return { name: file, content: new Uint8Array(await io.readInput(file)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : code === 'EFBIG' || code === 'ERR_FS_FILE_TOO_LARGE'
            ? `is ${describeSize((error as { size?: number }).size ?? 0)}: the most the command reads is ${describeSize(MAX_INPUT_BYTES)}`
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new BadInput(file, [{ path: '', message }]);
  }
}

async function importFiles(kind: DataImportKind, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { preview: { type: 'boolean', default: false }, 'as-of': { type: 'string' } },
  });
  if (positionals.length === 0) throw usageError('oversight import: give the FILE(s) to import');
  if (positionals.includes('-'))
    throw usageError('oversight import: give files by name (standard input has no file name)');
  const problems: BadInput[] = [];
  const asOf = values['as-of'];
  if (asOf !== undefined && tryParseIsoDate(asOf) === undefined)
    problems.push(
      new BadInput('--as-of', [
        { path: '', message: `"${asOf}" is not a real date in the form YYYY-MM-DD` },
      ]),
    );
  const files: ImportFile[] = [];
  for (const file of positionals) {
    const read = await collect(problems, () => readImportFile(file, io));
    if (read !== undefined) files.push(read);
  }
  if (problems.length > 0) throw BadInput.all(problems);
  return importFilesCommand(io, kind, files, {
    preview: values.preview,
    ...(asOf === undefined ? {} : { asOf }),
  });
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = args;
  const kind = what === undefined ? undefined : IMPORT_KINDS[what];
  if (kind !== undefined) return importFiles(kind, rest, io);
  if (what === 'csv') return importCsvCommand(rest, io);
  if (what !== 'extract')
    throw usageError(
      '"oversight import" takes: extract, ssda903, cin-census, annex-a, staff or csv',
    );
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { policy: { type: 'string' }, 'as-of': { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw usageError('give exactly one extract file (or - for standard input)');
  const problems: BadInput[] = [];
  if (values.policy !== undefined) await collect(problems, () => policyFrom(values.policy ?? ''));
  const asOf = values['as-of'];
  if (asOf !== undefined && tryParseIsoDate(asOf) === undefined)
    problems.push(
      new BadInput('--as-of', [
        { path: '', message: `"${asOf}" is not a real date in the form YYYY-MM-DD` },
      ]),
    );
  const file = positionals[0] ?? '-';
  const extract = await collect(problems, () => readExtract(file, io));
  if (problems.length > 0 || extract === undefined) throw BadInput.all(problems);
  return importExtractCommand(io, extract, file === '-' ? 'standard input' : file, {
    ...(values.policy === undefined ? {} : { policy: values.policy }),
    ...(asOf === undefined ? {} : { asOf }),
  });
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'extract') throw usageError('"oversight export" takes: extract');
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { 'as-of': { type: 'string' } },
  });
  if (positionals.length > 1)
    throw usageError(
      'oversight export extract: give at most one FILE to write (- or none: standard output)',
    );
  const asOf = values['as-of'] ?? io.today();
  if (tryParseIsoDate(asOf) === undefined)
    throw new BadInput('--as-of', [
      { path: '', message: `"${asOf}" is not a real date in the form YYYY-MM-DD` },
    ]);
  return exportExtractCommand(io, { asOf, file: positionals[0] ?? '-' });
}

async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'create') throw usageError('"oversight user" takes: create');
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      admin: { type: 'boolean', default: false },
      qa: { type: 'boolean', default: false },
      person: { type: 'string' },
    },
  });
  return userCreate(io, {
    ...(values.email === undefined ? {} : { email: values.email }),
    admin: values.admin,
    qa: values.qa,
    ...(values.person === undefined ? {} : { person: values.person }),
  });
}

/** Runs the command; returns the exit status. Never throws, never prints a stack trace. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      await io.stdout(USAGE);
      return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (command === 'due') return await due(args, io);
    if (command === 'validate') return await validate(args, io);
    if (command === 'policy') return await policyCommand(args, io);
    if (command === 'db') return await dbCommand(args, io);
    if (command === 'import') return await importCommand(args, io);
    if (command === 'export') return await exportCommand(args, io);
    if (command === 'user') return await userCommand(args, io);
    if (command === 'audit') return await auditCommand(args, io);
    if (command === 'retention') return await retentionCommand(args, io);
    if (command === 'subject-access') return await subjectAccessCommand(args, io);
    throw usageError(`"${command}" is not a command of oversight`);
  } catch (error) {
    if (error instanceof BadInput) {
      io.stderr(problemLines(error));
      return EXIT_BAD_INPUT;
    }
    if (error instanceof CommandError || error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return error instanceof CommandError ? error.exitCode : EXIT_BAD_INPUT;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`oversight: ${error.message}\n\n${USAGE}`);
      return EXIT_BAD_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`oversight: something went wrong that is not a problem with the input: ${message}\n`);
    return EXIT_FAILURE;
  }
}
