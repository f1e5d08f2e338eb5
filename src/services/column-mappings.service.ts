import { readFile } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import {
  findMappingByName,
  getMapping,
  listMappings,
  saveMapping,
  type SavedMapping,
} from '../db/column-mappings.repository.js';
import type { Db } from '../db/database.js';
import { sampleHeadings, validateMapping } from '../domain/imports/column-mapping.js';
import type { ColumnMapping, ImportProblem } from '../domain/imports/index.js';
import { NotFoundError } from '../domain/errors.js';

/**
 * Column mappings saved per source (docs/imports.md, Any CSV): an administrator names the
 * source, reads the headings from a sample of its files, and chooses the column for each field.
 * `oversight import csv --mapping NAME` and the service's "any CSV" uploads use them.
 */

export type SaveOutcome =
  { ok: true; id: string } | { ok: false; problems: { field: string; message: string }[] };

export class ColumnMappingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  list(): Promise<SavedMapping[]> {
    return listMappings(this.db);
  }

  async get(id: string): Promise<SavedMapping> {
    const mapping = await getMapping(this.db, id);
    if (mapping === undefined) throw new NotFoundError('column mapping');
    return mapping;
  }

  /** The headings of an uploaded sample file. */
  async readSample(
    name: string,
    path: string,
  ): Promise<{ headings: string[]; problems: ImportProblem[] }> {
    return sampleHeadings({ name, content: new Uint8Array(await readFile(path)) });
  }

  /** Saves a new mapping, or a change to `id`'s; refused with what is wrong. */
  async save(
    entry: { id?: string; name: string; mapping: ColumnMapping; headings: string[] },
    by: string,
  ): Promise<SaveOutcome> {
    const problems: { field: string; message: string }[] = [];
    if (entry.id !== undefined) await this.get(entry.id);
    const same = await findMappingByName(this.db, entry.name);
    if (same !== undefined && same.id !== entry.id)
      problems.push({
        field: 'name',
        message: `There is already a mapping called ${same.name}: choose another name, or change that one`,
      });
    for (const message of validateMapping(entry.mapping))
      problems.push({ field: 'columns', message });
    if (problems.length > 0) return { ok: false, problems };
    const id = await saveMapping(this.db, entry, by, this.clock.now().toISOString());
    return { ok: true, id };
  }
}
