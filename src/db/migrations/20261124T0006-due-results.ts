import { sql, type Kysely } from 'kysely';

/**
 * The engine's results for everyone, kept current (docs/adr/0004), with the columns that decide
 * who may see each one, so that access is applied in the query.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('due_results')
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('requirement', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('latest', 'text', (c) => c.notNull())
    .addColumn('last_event', 'text')
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('set_by_kind', 'text', (c) => c.notNull())
    .addColumn('set_by_date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('met', 'text')
    .addColumn('on_time', 'integer')
    .addColumn('effective_status', 'text', (c) => c.notNull())
    .addColumn('effective_due', 'text', (c) => c.notNull())
    .addColumn('effective_latest', 'text', (c) => c.notNull())
    .addColumn('override_id', 'text')
    .addColumn('status_rank', 'integer', (c) => c.notNull())
    .addColumn('worker_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('service_id', 'text')
    .addColumn('involvements', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('due_results_pk', [
      'subject_kind',
      'subject_id',
      'requirement',
      'period_start',
    ])
    .execute();
  // Lists and figures read only the clocks (period_start ''), about a tenth of the rows: partial
  // indexes keep them small, and writing a subject's milestones and gates never touches them.
  // Each list index ends with the whole sort (worst first, then the tie-breaks), so a page of a
  // list is read in order and stops after it.
  const clocks = (name: string, columns: string[]) =>
    db.schema
      .createIndex(name)
      .on('due_results')
      .columns(columns)
      .where(sql.ref('period_start'), '=', '')
      .execute();
  const order = ['status_rank', 'effective_latest', 'subject_kind', 'subject_id', 'requirement'];
  await clocks('due_clocks_rank', order);
  for (const column of ['team_id', 'service_id', 'worker_id'])
    await clocks(`due_clocks_${column}`, [column, ...order]);
  // Figures by service (and by team within one) from the index alone.
  await clocks('due_clocks_figures', ['service_id', 'subject_kind', 'effective_status', 'team_id']);
  await db.schema
    .createTable('due_warnings')
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('worker_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('service_id', 'text')
    .addPrimaryKeyConstraint('due_warnings_pk', ['subject_kind', 'subject_id'])
    .execute();
  // Who may see each subject, by the same columns, for pages about one child or worker.
  await db.schema
    .createTable('subject_scope')
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('worker_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('service_id', 'text')
    .addPrimaryKeyConstraint('subject_scope_pk', ['subject_kind', 'subject_id'])
    .execute();
  for (const column of ['team_id', 'service_id', 'worker_id'] as const) {
    await db.schema
      .createIndex(`subject_scope_${column}`)
      .on('subject_scope')
      .column(column)
      .execute();
  }
  await db.schema
    .createTable('due_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('as_of', 'text')
    .addColumn('policy_version_id', 'text')
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('computed_generation', 'integer')
    .addColumn('computed_at', 'text')
    .addColumn('lease_until', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['due_state', 'subject_scope', 'due_warnings', 'due_results'])
    await db.schema.dropTable(table).execute();
}
