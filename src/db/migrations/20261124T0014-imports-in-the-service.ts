import type { Kysely } from 'kysely';

/**
 * Imports in the service (docs/imports.md, In the service): the column mappings administrators
 * save for a source's CSV files, and the imports uploaded through the service, from upload and
 * preview to applied, refused, cancelled or stopped. The uploaded files themselves are never in
 * the database: they wait in a temporary folder named by the job's random id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('column_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // As the administrator named it ("Liquidlogic placements extract").
    .addColumn('name', 'text', (c) => c.notNull())
    // The name in lower case with spaces collapsed: one mapping per source.
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    // JSON: a ColumnMapping (src/domain/imports/column-mapping.ts).
    .addColumn('mapping', 'text', (c) => c.notNull())
    // JSON: the headings of the sample file it was made from, to choose from when changing it.
    .addColumn('headings', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('import_jobs')
    // Random and unguessable: it also names the job's temporary folder.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mapping_id', 'text')
    .addColumn('mapping_name', 'text')
    .addColumn('as_of', 'text')
    // JSON: [{ "name": ..., "sha256": ..., "bytes": ... }]
    .addColumn('files', 'text', (c) => c.notNull())
    // uploaded | reading | writing | applied | refused | failed | stopped | cancelled | expired
    .addColumn('state', 'text', (c) => c.notNull())
    // While reading: bytes read of all files (the parsers' progress), of `total`.
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON: what the preview found (problems, summary, due dates that would move).
    .addColumn('preview', 'text')
    // JSON: what applying did (summary), or the problems that stopped it.
    .addColumn('result', 'text')
    .addColumn('history_id', 'text')
    // The process applying it, and when it last said it was still at it: a job whose process
    // has gone (a restart) is stopped, and its transaction was rolled back.
    .addColumn('runner', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_jobs_state').on('import_jobs').column('state').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_jobs').execute();
  await db.schema.dropTable('column_mappings').execute();
}
