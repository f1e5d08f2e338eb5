import type { Kysely } from 'kysely';

/**
 * Single sign-on with OpenID Connect (docs/single-sign-on.md).
 *
 * single_sign_on_identities: the identity provider's subject for each account, remembered at
 * its first single sign-on. Later sign-ins with that account's email must come with the same
 * subject, so an email address given to someone else at the council's identity provider cannot
 * take over the account.
 *
 * single_sign_on_requests: one row per sign-in under way (at most ten minutes), keyed by the
 * SHA-256 of its `state`, holding the nonce and the PKCE verifier, which never leave the server.
 * The callback deletes the row as it reads it, so a callback works once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('single_sign_on_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('single_sign_on_identities_pk', ['issuer', 'subject'])
    // One subject per account at each issuer.
    .addUniqueConstraint('single_sign_on_identities_account', ['issuer', 'account_id'])
    .execute();
  await db.schema
    .createTable('single_sign_on_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('single_sign_on_requests_expires')
    .on('single_sign_on_requests')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('single_sign_on_requests').execute();
  await db.schema.dropTable('single_sign_on_identities').execute();
}
