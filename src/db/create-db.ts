import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens the database: SQLite through better-sqlite3 (a file, WAL, foreign keys on, a busy
 * timeout so a second process waits rather than fails), or PostgreSQL through a pg pool.
 */
export function openDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number } = {},
): OpenDatabase {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, kind: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(`Database migration ${migration ?? ''} failed: ${String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(
  db: Kysely<Database>,
  /**
   * The PostgreSQL schema the migration tables live in. Without it Kysely takes a
   * `kysely_migration` table in any schema for its own, so databases sharing one server (the
   * tests' schemas) must say which is theirs.
   */
  options: { schema?: string } = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
