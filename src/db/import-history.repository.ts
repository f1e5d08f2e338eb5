import { newRowId } from './bulk.js';
import type { ImportHistoryTable, Queryable } from './database.js';

/** The history of imports of councils' files (migration 20261124T0009). */

export interface ImportedFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface ImportHistoryEntry {
  id: string;
  kind: string;
  files: ImportedFile[];
  summary: unknown;
  outcome: ImportHistoryTable['outcome'];
  by: string;
  at: string;
}

export async function recordImport(
  db: Queryable,
  entry: Omit<ImportHistoryEntry, 'id'>,
): Promise<string> {
  const id = newRowId();
  await db
    .insertInto('import_history')
    .values({
      id,
      kind: entry.kind,
      files: JSON.stringify(entry.files),
      summary: JSON.stringify(entry.summary),
      outcome: entry.outcome,
      by: entry.by,
      at: entry.at,
    })
    .execute();
  return id;
}

/** The most recent imports first. */
export async function listImports(db: Queryable, limit = 100): Promise<ImportHistoryEntry[]> {
  const rows = await db
    .selectFrom('import_history')
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    files: JSON.parse(r.files) as ImportedFile[],
    summary: JSON.parse(r.summary) as unknown,
    outcome: r.outcome,
    by: r.by,
    at: r.at,
  }));
}
