import type { ColumnMapping } from '../domain/imports/index.js';
import { newRowId } from './bulk.js';
import type { Queryable } from './database.js';

/** Column mappings saved per source (migration 20261124T0014). */

export interface SavedMapping {
  id: string;
  name: string;
  mapping: ColumnMapping;
  /** The headings of the sample the mapping was made from. */
  headings: string[];
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

/** A source's name as it is compared: case and runs of spaces do not make two sources. */
export function mappingNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function toSaved(row: {
  id: string;
  name: string;
  mapping: string;
  headings: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}): SavedMapping {
  return {
    id: row.id,
    name: row.name,
    mapping: JSON.parse(row.mapping) as ColumnMapping,
    headings: JSON.parse(row.headings) as string[],
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listMappings(db: Queryable): Promise<SavedMapping[]> {
  const rows = await db.selectFrom('column_mappings').selectAll().orderBy('name_key').execute();
  return rows.map(toSaved);
}

export async function getMapping(db: Queryable, id: string): Promise<SavedMapping | undefined> {
  const row = await db
    .selectFrom('column_mappings')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toSaved(row);
}

export async function findMappingByName(
  db: Queryable,
  name: string,
): Promise<SavedMapping | undefined> {
  const row = await db
    .selectFrom('column_mappings')
    .selectAll()
    .where('name_key', '=', mappingNameKey(name))
    .executeTakeFirst();
  return row && toSaved(row);
}

/** Saves a source's mapping: a new one, or (same id) a change to it. */
export async function saveMapping(
  db: Queryable,
  entry: { id?: string; name: string; mapping: ColumnMapping; headings: string[] },
  by: string,
  now: string,
): Promise<string> {
  const values = {
    name: entry.name.trim().replace(/\s+/g, ' '),
    name_key: mappingNameKey(entry.name),
    mapping: JSON.stringify(entry.mapping),
    headings: JSON.stringify(entry.headings),
    updated_by: by,
    updated_at: now,
  };
  if (entry.id !== undefined) {
    await db.updateTable('column_mappings').set(values).where('id', '=', entry.id).execute();
    return entry.id;
  }
  const id = newRowId();
  await db
    .insertInto('column_mappings')
    .values({ id, ...values, created_at: now })
    .execute();
  return id;
}

export async function deleteMapping(db: Queryable, id: string): Promise<void> {
  await db.deleteFrom('column_mappings').where('id', '=', id).execute();
}
