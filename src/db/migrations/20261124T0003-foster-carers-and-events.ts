import type { Kysely } from 'kysely';

/** Foster carers with their placements, and the events the engine reads for every subject. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('foster_carers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('end', 'text')
    .addColumn('supervising_worker_id', 'text', (c) => c.references('people.id'))
    .execute();
  await db.schema
    .createTable('foster_placements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('carer_id', 'text', (c) =>
      c.notNull().references('foster_carers.id').onDelete('cascade'),
    )
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('end', 'text')
    .execute();
  await db.schema
    .createIndex('foster_placements_carer')
    .on('foster_placements')
    .column('carer_id')
    .execute();
  // One table for every subject's events: the engine reads them per subject, by kind and date.
  // The index holds every column those reads (and a subject's history) need, so they never
  // visit the table: recomputing everyone reads millions of events.
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('events_subject')
    .on('events')
    .columns(['subject_kind', 'subject_id', 'date', 'kind', 'source'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['events', 'foster_placements', 'foster_carers'])
    await db.schema.dropTable(table).execute();
}
