import type { Kysely } from 'kysely';

/**
 * The JSON API (docs/api.md): a token per integration, kept only as its SHA-256 hash; every call
 * made to the API, refused ones too; and the events integrations post, whose `external_id` is
 * unique so that the same event posted twice (even at the same moment, from two instances) is
 * written once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text', (c) => c.references('accounts.id'))
    .execute();

  await db.schema
    .createTable('api_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null when the call had no token, or one that is not recognised.
    .addColumn('token_id', 'text', (c) => c.references('api_tokens.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('subject_kind', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('api_calls_token')
    .on('api_calls')
    .columns(['token_id', 'at'])
    .execute();
  await db.schema.createIndex('api_calls_at').on('api_calls').column('at').execute();

  await db.schema
    .createTable('api_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'text', (c) => c.notNull().references('api_tokens.id'))
    // Unique where given (several nulls are allowed in both databases).
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('api_events_token')
    .on('api_events')
    .columns(['token_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['api_events', 'api_calls', 'api_tokens'])
    await db.schema.dropTable(table).execute();
}
