import type { Kysely } from 'kysely';

/**
 * Local accounts done properly: two-factor authentication (a sealed TOTP secret and the last
 * step accepted), when the password last changed, one-time reset links, the short-lived state
 * between a password and its code at sign-in, and where each session was started from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'two_factor_secret',
    'two_factor_enabled_at',
    'two_factor_pending_secret',
    'password_changed_at',
  ])
    await db.schema.alterTable('accounts').addColumn(column, 'text').execute();
  await db.schema.alterTable('accounts').addColumn('two_factor_last_step', 'bigint').execute();
  await db.schema.alterTable('web_sessions').addColumn('ip', 'text').execute();
  await db.schema.alterTable('web_sessions').addColumn('user_agent', 'text').execute();
  await db.schema
    .createTable('password_reset_links')
    // SHA-256 of the token in the link: a copy of the table resets no one's password.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('remove_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('password_reset_links_account')
    .on('password_reset_links')
    .column('account_id')
    .execute();
  await db.schema
    .createTable('sign_in_challenges')
    // SHA-256 of the token in the browser's cookie.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    /** 'code' (enter a code) or 'enrol' (an administrator sets two-factor up first). */
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_challenges_account')
    .on('sign_in_challenges')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_challenges').execute();
  await db.schema.dropTable('password_reset_links').execute();
  await db.schema.alterTable('web_sessions').dropColumn('user_agent').execute();
  await db.schema.alterTable('web_sessions').dropColumn('ip').execute();
  for (const column of [
    'two_factor_last_step',
    'password_changed_at',
    'two_factor_pending_secret',
    'two_factor_enabled_at',
    'two_factor_secret',
  ])
    await db.schema.alterTable('accounts').dropColumn(column).execute();
}
