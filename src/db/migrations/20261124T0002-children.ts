import type { Kysely } from 'kysely';

/** Children with their involvements, placements, legal periods, risk and allocation history. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('children')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('date_of_birth', 'text')
    .execute();
  const periods = [
    ['child_involvements', ['type']],
    ['child_placements', ['type', 'stable_from']],
    ['child_legal', ['type']],
    ['allocations', ['worker_id', 'team_id']],
  ] as const;
  for (const [table, extra] of periods) {
    let create = db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('child_id', 'text', (c) =>
        c.notNull().references('children.id').onDelete('cascade'),
      )
      .addColumn('start', 'text', (c) => c.notNull())
      .addColumn('end', 'text');
    for (const column of extra) {
      if (column === 'worker_id')
        create = create.addColumn(column, 'text', (c) => c.references('people.id'));
      else if (column === 'team_id')
        create = create.addColumn(column, 'text', (c) => c.references('teams.id'));
      else if (column === 'type') create = create.addColumn(column, 'text', (c) => c.notNull());
      else create = create.addColumn(column, 'text');
    }
    await create.execute();
    await db.schema.createIndex(`${table}_child`).on(table).column('child_id').execute();
  }
  await db.schema.createIndex('allocations_worker').on('allocations').column('worker_id').execute();
  await db.schema.createIndex('allocations_team').on('allocations').column('team_id').execute();
  await db.schema
    .createTable('child_risk')
    .addColumn('child_id', 'text', (c) => c.notNull().references('children.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('child_risk_pk', ['child_id', 'from_date'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'child_risk',
    'allocations',
    'child_legal',
    'child_placements',
    'child_involvements',
    'children',
  ])
    await db.schema.dropTable(table).execute();
}
