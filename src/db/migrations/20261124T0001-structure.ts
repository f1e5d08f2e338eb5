import type { Kysely } from 'kysely';

/** The organisation: its one directorate, services, teams and people with line management. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organisation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('directorate', 'text', (c) => c.notNull())
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .execute();
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('service_id', 'text', (c) => c.references('services.id'))
    .addColumn('group_supervision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('end', 'text')
    .execute();
  await db.schema.createIndex('teams_service').on('teams').column('service_id').execute();
  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('service_id', 'text', (c) => c.references('services.id'))
    .addColumn('line_manager_id', 'text', (c) => c.references('people.id'))
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('end', 'text')
    .addColumn('probation_end', 'text')
    .addColumn('early_career_start', 'text')
    .addColumn('early_career_end', 'text')
    .execute();
  await db.schema.createIndex('people_team').on('people').column('team_id').execute();
  await db.schema.createIndex('people_manager').on('people').column('line_manager_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['people', 'teams', 'services', 'organisation'])
    await db.schema.dropTable(table).execute();
}
