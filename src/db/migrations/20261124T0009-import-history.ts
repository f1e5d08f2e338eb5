import type { Kysely } from 'kysely';

/**
 * The history of imports of councils' files (docs/imports.md): who, when, what kind of file,
 * each file's name and SHA-256, the summary of what the import did (or the problems that stopped
 * it), and whether it was applied or refused. Kept for good: it is the audit of where the
 * organisation's records came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('import_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON: [{ "name": ..., "sha256": ..., "bytes": ... }]
    .addColumn('files', 'text', (c) => c.notNull())
    // JSON: the merge summary when applied; the error count and first problems when refused.
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    // An account id (the service) or the operating-system user (the command line).
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_history_at').on('import_history').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_history').execute();
}
