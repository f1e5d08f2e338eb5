import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { OpenDatabase } from '../../../src/db/create-db.js';

/**
 * What every table holds, as a digest per table, to show that a refused request changed
 * nothing. Left out: the tables that record requests themselves (the audit trail, the API's
 * call log) and sessions' "last seen", which every request moves on.
 */
const RECORDS_OF_REQUESTS = new Set(['audit_log', 'audit_head', 'api_calls', 'web_sessions']);

export async function tableNames(database: OpenDatabase): Promise<string[]> {
  const rows =
    database.kind === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
          database.db,
        )
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
          database.db,
        );
  return rows.rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('kysely_'))
    .sort();
}

export async function snapshot(database: OpenDatabase): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const table of await tableNames(database)) {
    if (RECORDS_OF_REQUESTS.has(table)) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      database.db,
    );
    const lines = rows.rows.map((row) => JSON.stringify(row, (_k, v: unknown) => normal(v))).sort();
    digests[table] =
      `${String(lines.length)} rows ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return digests;
}

/** PostgreSQL gives numbers as text and times as Date: the same value either way. */
function normal(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return value;
}
