import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The audit trail (docs/security.md): every sign-in and failure, every view of a child, a worker
 * or a supervision record, every change, every export and download. Append-only: each entry
 * carries the hash of the one before it, `oversight audit verify` recomputes the chain, and the
 * database itself refuses to update or delete an entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    // 1, 2, 3, … with no gaps: a missing entry breaks the chain as surely as a changed one.
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    // The account that acted (null for an unknown email at sign-in, or the command line).
    .addColumn('account_id', 'text')
    // Who, as they were at the time: the account's email, or the operating-system user.
    .addColumn('actor', 'text', (c) => c.notNull())
    // sign-in, sign-in-failed, sign-out, view, change, export, download, break-glass, …
    .addColumn('action', 'text', (c) => c.notNull())
    // child, worker, foster-carer, supervision-record, account, …, and its id.
    .addColumn('object_kind', 'text')
    .addColumn('object_id', 'text')
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    .addColumn('status', 'integer')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    // JSON: anything else worth keeping (a reason, an outcome); never personal content.
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema
    .createIndex('audit_log_object')
    .on('audit_log')
    .columns(['object_kind', 'object_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_log_account')
    .on('audit_log')
    .columns(['account_id', 'at'])
    .execute();

  // The chain's head: the last entry's number and hash. Appending updates it first, which takes
  // the write lock (SQLite) or the row lock (PostgreSQL), so appenders in any process queue.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

  // Append-only, whoever connects: the database refuses to change or remove an entry.
  if (isPostgres(db)) {
    await sql`
      create or replace function audit_log_append_only() returns trigger as $$
      begin
        raise exception 'audit_log is append-only';
      end;
      $$ language plpgsql`.execute(db);
    await sql`
      create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`
      create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`
      create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('audit_head').execute();
  if (isPostgres(db)) await sql`drop function if exists audit_log_append_only()`.execute(db);
}

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
