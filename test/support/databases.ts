import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import pg from 'pg';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/db/create-db.js';

/**
 * Runs a suite once per database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (.ci/run sets it). Each run gets a fresh, migrated database: an in-memory SQLite database, or
 * a new PostgreSQL schema that is dropped afterwards.
 */

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export async function freshDatabase(kind: DatabaseKind): Promise<OpenDatabase> {
  if (kind === 'sqlite') {
    const open = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(open.db);
    return open;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const open = openDatabase({ kind: 'postgres', url: scoped.toString() }, { poolSize: 4 });
  await migrateToLatest(open.db, { schema });
  return {
    db: open.db,
    kind: 'postgres',
    close: async () => {
      await open.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/**
 * `describe` once per database; `use()` inside gives that run's database, opened before the
 * suite and closed after it.
 */
export function describeEachDatabase(
  name: string,
  body: (use: () => OpenDatabase, kind: DatabaseKind) => void,
): void {
  for (const kind of databaseKinds()) {
    describe(`${name} [${kind}]`, () => {
      let open: OpenDatabase | undefined;
      beforeAll(async () => {
        open = await freshDatabase(kind);
      });
      afterAll(async () => {
        await open?.close();
      });
      body(() => {
        if (open === undefined) throw new Error('database not open yet');
        return open;
      }, kind);
    });
  }
}
