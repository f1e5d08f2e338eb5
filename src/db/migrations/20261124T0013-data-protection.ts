import type { Kysely } from 'kysely';

/**
 * Data protection (docs/data-protection.md): break-glass grants to read one supervision record's
 * personal section, the retention period an administrator sets per record type, and legal holds
 * that stop retention deleting anything about a person or a child.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A grant goes with the record it opens: deleting the record (retention) deletes its grants.
  await db.schema
    .createTable('break_glass_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('supervisee_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('person_id', 'text', (c) => c.references('people.id'))
    // As they were when the grant was made: the notice and the list say who it was then.
    .addColumn('granted_to_name', 'text', (c) => c.notNull())
    .addColumn('granted_to_role', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('hours', 'integer', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'text')
    .execute();
  await db.schema
    .createIndex('break_glass_grants_session')
    .on('break_glass_grants')
    .columns(['session_id', 'account_id', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('break_glass_grants_supervisee')
    .on('break_glass_grants')
    .columns(['supervisee_id', 'dismissed_at'])
    .execute();

  await db.schema
    .createTable('retention_rules')
    .addColumn('record_type', 'text', (c) => c.primaryKey())
    .addColumn('years', 'integer', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();

  // A person's or a child's id: no foreign key, as a hold names either kind.
  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('lifted_by', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('lift_reason', 'text')
    .execute();
  await db.schema
    .createIndex('legal_holds_subject')
    .on('legal_holds')
    .columns(['subject_kind', 'subject_id', 'lifted_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['legal_holds', 'retention_rules', 'break_glass_grants'])
    await db.schema.dropTable(table).execute();
}
