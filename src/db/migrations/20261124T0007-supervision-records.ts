import { sql, type Kysely } from 'kysely';

/**
 * Supervision as it is recorded: sessions with their participants, the confidential personal
 * section (its own table, so that no query about children can reach it), case discussions, the
 * actions agreed and their review, agenda items, addenda to signed records, management
 * oversight notes on a child, supervision contracts and handovers between supervisors. Events
 * written by a signed record or note point back at it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const person = 'people.id';
  await db.schema
    .createTable('supervision_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('supervisor_id', 'text', (c) => c.notNull().references(person))
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text')
    .addColumn('end_time', 'text')
    .addColumn('place', 'text')
    .addColumn('confidentiality', 'text')
    .addColumn('all_cases', 'text')
    .addColumn('team_issues', 'text')
    .addColumn('other_business', 'text')
    .addColumn('next_date', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references(person))
    .addColumn('supervisor_signed_at', 'text')
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema
    .createIndex('supervision_sessions_supervisor')
    .on('supervision_sessions')
    .columns(['supervisor_id', 'state', 'date'])
    .execute();

  // Each part of a draft has its own revision: two people saving different parts never clash,
  // and someone saving over a part changed since they opened it is told, not overwritten.
  await db.schema
    .createTable('draft_sections')
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references(person))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('draft_sections_pk', ['session_id', 'section'])
    .execute();

  await db.schema
    .createTable('session_participants')
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references(person))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('comment', 'text')
    .addColumn('disagreement', 'text')
    .addPrimaryKeyConstraint('session_participants_pk', ['session_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('session_participants_person')
    .on('session_participants')
    .columns(['person_id', 'session_id'])
    .execute();

  await db.schema
    .createTable('session_personal')
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references(person))
    .addColumn('author_id', 'text', (c) => c.notNull().references(person))
    .addColumn('absence', 'text')
    .addColumn('wellbeing', 'text')
    .addColumn('learning', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_personal_pk', ['session_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('case_discussions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
    .addColumn('worker_id', 'text', (c) => c.references(person))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('since_last', 'text')
    .addColumn('changes', 'text')
    .addColumn('working_well', 'text')
    .addColumn('worries', 'text')
    .addColumn('strengths', 'text')
    .addColumn('child_voice', 'text')
    .addColumn('decision', 'text')
    .addColumn('rationale', 'text')
    .addColumn('copied_at', 'text')
    .addColumn('copied_by', 'text', (c) => c.references(person))
    .execute();
  await db.schema
    .createIndex('case_discussions_session')
    .on('case_discussions')
    .columns(['session_id', 'position'])
    .execute();
  await db.schema
    .createIndex('case_discussions_child')
    .on('case_discussions')
    .column('child_id')
    .execute();

  await db.schema
    .createTable('supervision_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('discussion_id', 'text', (c) =>
      c.references('case_discussions.id').onDelete('cascade'),
    )
    .addColumn('child_id', 'text', (c) => c.references('children.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references(person))
    .addColumn('due_date', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('carried', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_in', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('drop_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supervision_actions_owner')
    .on('supervision_actions')
    .columns(['owner_id', 'state', 'due_date'])
    .execute();
  await db.schema
    .createIndex('supervision_actions_session')
    .on('supervision_actions')
    .column('session_id')
    .execute();

  await db.schema
    .createTable('action_reviews')
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('action_id', 'text', (c) =>
      c.notNull().references('supervision_actions.id').onDelete('cascade'),
    )
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('action_reviews_pk', ['session_id', 'action_id'])
    .execute();

  await db.schema
    .createTable('agenda_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('supervisee_id', 'text', (c) => c.notNull().references(person))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull().references(person))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) =>
      c.references('supervision_sessions.id').onDelete('set null'),
    )
    .execute();
  await db.schema
    .createIndex('agenda_items_supervisee')
    .on('agenda_items')
    .columns(['supervisee_id', 'session_id'])
    .execute();

  await db.schema
    .createTable('session_addenda')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) =>
      c.notNull().references('supervision_sessions.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'text', (c) => c.notNull().references(person))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('session_addenda_session')
    .on('session_addenda')
    .column('session_id')
    .execute();

  await db.schema
    .createTable('oversight_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('child_id', 'text', (c) => c.notNull().references('children.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references(person))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oversight_notes_child')
    .on('oversight_notes')
    .columns(['child_id', 'date'])
    .execute();

  await db.schema
    .createTable('supervision_contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('supervisee_id', 'text', (c) => c.notNull().references(person))
    .addColumn('supervisor_id', 'text', (c) => c.notNull().references(person))
    .addColumn('frequency', 'text')
    .addColumn('duration_minutes', 'integer')
    .addColumn('place', 'text')
    .addColumn('supervisor_responsibilities', 'text', (c) => c.notNull())
    .addColumn('supervisee_responsibilities', 'text', (c) => c.notNull())
    .addColumn('dispute_resolver', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('supervisor_signed_at', 'text')
    .addColumn('supervisee_signed_at', 'text')
    .addColumn('signed_date', 'text')
    .addColumn('review_due', 'text')
    .addColumn('superseded_at', 'text')
    .execute();
  await db.schema
    .createIndex('supervision_contracts_supervisee')
    .on('supervision_contracts')
    .columns(['supervisee_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('supervisee_id', 'text', (c) => c.notNull().references(person))
    .addColumn('from_supervisor_id', 'text', (c) => c.references(person))
    .addColumn('to_supervisor_id', 'text', (c) => c.references(person))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .execute();
  await db.schema
    .createIndex('handovers_to')
    .on('handovers')
    .columns(['to_supervisor_id', 'acknowledged_at'])
    .execute();

  // An event written by a signed record, note or contract names it, so that its history can say
  // where a date came from.
  await db.schema.alterTable('events').addColumn('record_kind', 'text').execute();
  await db.schema.alterTable('events').addColumn('record_id', 'text').execute();
  await sql`create index events_record on events (record_kind, record_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index events_record`.execute(db);
  await db.schema.alterTable('events').dropColumn('record_id').execute();
  await db.schema.alterTable('events').dropColumn('record_kind').execute();
  for (const table of [
    'handovers',
    'supervision_contracts',
    'oversight_notes',
    'session_addenda',
    'agenda_items',
    'action_reviews',
    'supervision_actions',
    'case_discussions',
    'session_personal',
    'session_participants',
    'draft_sections',
    'supervision_sessions',
  ])
    await db.schema.dropTable(table).execute();
}
