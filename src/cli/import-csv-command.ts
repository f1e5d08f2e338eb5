import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { findMappingByName, listMappings } from '../db/column-mappings.repository.js';
import { migrateToLatest, openDatabase } from '../db/create-db.js';
import { validateMapping, type ColumnMapping } from '../domain/imports/column-mapping.js';
import { tryParseIsoDate } from '../domain/dates/index.js';
import type { ImportFile } from '../services/data-import.service.js';
import type { CliIo } from './io.js';
import { CommandError, importFilesCommand } from './service-commands.js';

/**
 * `oversight import csv --mapping NAME|--mapping-file FILE.json [--preview] [--as-of D] FILE...`:
 * any CSV, read with a column mapping saved in the service (by its name) or written in a JSON
 * file. Problems are printed as FILE:ROW:COLUMN: message, as the other imports print them, and
 * bad input exits with 2.
 */

const USAGE =
  'oversight import csv: give --mapping NAME (a mapping saved in the service) or --mapping-file FILE.json, and the CSV FILE(s)';

function readError(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file}: is a folder, not a file`;
  return `${file}: cannot be read (${code ?? 'unknown error'})`;
}

/** A mapping written as JSON, checked as one saved in the service is. */
async function mappingFromFile(file: string, io: CliIo): Promise<ColumnMapping> {
  let text: string;
  try {
    text = (await io.readInput(file)).toString('utf8');
  } catch (error) {
    throw new CommandError(readError(file, error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CommandError(
      `${file}: not JSON (${error instanceof Error ? error.message : 'unreadable'}): write the mapping as docs/imports.md shows`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CommandError(`${file}: a mapping is a JSON object with target and columns`);
  const mapping = parsed as ColumnMapping;
  const columns: unknown = mapping.columns;
  if (typeof columns !== 'object' || columns === null)
    throw new CommandError(`${file}: the mapping has no "columns" object`);
  const errors = validateMapping(mapping);
  if (errors.length > 0) throw new CommandError(errors.map((e) => `${file}: ${e}`).join('\n'));
  return mapping;
}

/** A mapping saved in the service, by its name (case and spacing aside). */
async function savedMapping(name: string, io: CliIo): Promise<ColumnMapping> {
  const config = loadConfig(io.env ?? {});
  const open = openDatabase(config.database);
  try {
    await migrateToLatest(open.db);
    const found = await findMappingByName(open.db, name);
    if (found !== undefined) return found.mapping;
    const names = (await listMappings(open.db)).map((m) => m.name);
    throw new CommandError(
      `--mapping: there is no mapping called "${name}"` +
        (names.length === 0
          ? ': none has been saved yet (Administration, Imports, Column mappings)'
          : `: the saved mappings are ${names.map((n) => `"${n}"`).join(', ')}`),
    );
  } finally {
    await open.close();
  }
}

export async function importCsvCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      'mapping-file': { type: 'string' },
      preview: { type: 'boolean', default: false },
      'as-of': { type: 'string' },
    },
  });
  const byName = values.mapping;
  const byFile = values['mapping-file'];
  if ((byName === undefined) === (byFile === undefined) || positionals.length === 0)
    throw new CommandError(USAGE);
  if (positionals.includes('-'))
    throw new CommandError(
      'oversight import csv: give files by name (standard input has no file name)',
    );
  const asOf = values['as-of'];
  if (asOf !== undefined && tryParseIsoDate(asOf) === undefined)
    throw new CommandError(`--as-of: "${asOf}" is not a real date in the form YYYY-MM-DD`);
  const problems: string[] = [];
  const files: ImportFile[] = [];
  for (const file of positionals) {
    try {
      files.push({ name: file, content: new Uint8Array(await io.readInput(file)) });
    } catch (error) {
      problems.push(readError(file, error));
    }
  }
  let mapping: ColumnMapping | undefined;
  try {
    mapping =
      byFile !== undefined
        ? await mappingFromFile(byFile, io)
        : await savedMapping(byName ?? '', io);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    problems.push(error.message);
  }
  if (problems.length > 0 || mapping === undefined) throw new CommandError(problems.join('\n'));
  return importFilesCommand(io, 'mapped-csv', files, {
    preview: values.preview,
    mapping,
    ...(asOf === undefined ? {} : { asOf }),
  });
}
