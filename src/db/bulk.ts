import { randomFillSync } from 'node:crypto';
import { CompiledQuery, sql, type Insertable } from 'kysely';
import type { Database, Queryable } from './database.js';

/**
 * Inserts many rows in as few statements as the databases allow (PostgreSQL takes at most
 * 65,535 parameters per statement, SQLite 32,766). `rows` may be a generator, so that a caller
 * with millions of rows never holds them all: each statement's rows are taken as it is made.
 *
 * Rows of one shape (the first row's columns, every value given) are written with a statement
 * made here from the one Kysely compiles for the first row, rather than by Kysely for each
 * chunk: building the query tree of an import's millions of values took longer than the
 * database took to write them. On PostgreSQL that statement passes one array per column
 * (`insert … select * from unnest($1::text[], …)`), which it parses and plans in no time,
 * where thousands of `($1, $2, …)` groups took it longer than writing the rows. Any other row
 * goes through Kysely as usual.
 */
export async function insertMany<T extends keyof Database>(
  db: Queryable,
  table: T,
  rows: Iterable<Insertable<Database[T]>>,
): Promise<void> {
  let shape:
    | { columns: string[]; prefix: string; numbered: boolean; arrays: string | undefined }
    | undefined;
  let chunk: Insertable<Database[T]>[] = [];
  let perStatement = 0;
  const statements = new Map<number, string>();

  const write = async () => {
    if (shape === undefined || chunk.length === 0) return;
    const { columns, prefix, numbered, arrays } = shape;
    const parameters: unknown[] = [];
    let same = true;
    for (const row of chunk) {
      const record = row as Record<string, unknown>;
      if (Object.keys(record).length !== columns.length) same = false;
      for (const column of columns) {
        const value = record[column];
        if (value === undefined) same = false;
        parameters.push(value);
      }
      if (!same) break;
    }
    if (!same || prefix === '') {
      await db.insertInto(table).values(chunk).execute();
    } else if (arrays !== undefined) {
      // One array per column, in the order of the columns.
      const byColumn = columns.map((_, c) => {
        const values: unknown[] = new Array(chunk.length);
        for (let r = 0; r < chunk.length; r++) values[r] = parameters[r * columns.length + c];
        return values;
      });
      await db.executeQuery(CompiledQuery.raw(`${prefix} ${arrays}`, byColumn));
    } else {
      let text = statements.get(chunk.length);
      if (text === undefined) {
        const groups: string[] = [];
        for (let r = 0; r < chunk.length; r++) {
          const marks = columns.map((_, c) =>
            numbered ? `$${String(r * columns.length + c + 1)}` : '?',
          );
          groups.push(`(${marks.join(', ')})`);
        }
        text = `${prefix} values ${groups.join(', ')}`;
        statements.set(chunk.length, text);
      }
      await db.executeQuery(CompiledQuery.raw(text, parameters));
    }
    chunk = [];
  };

  for (const row of rows) {
    if (shape === undefined) {
      const columns = Object.keys(row);
      const complete = columns.every((c) => (row as Record<string, unknown>)[c] !== undefined);
      const one = db.insertInto(table).values(row).compile();
      const at = one.sql.lastIndexOf(' values ');
      // A first row without every value (Kysely leaves such a column out), or a statement of
      // another form than `insert into … (…) values (…)`: everything goes through Kysely.
      const numbered = one.sql.includes('$1');
      const types = numbered ? await columnTypes(db, table) : undefined;
      shape = {
        columns,
        prefix: at < 0 || !complete ? '' : one.sql.slice(0, at),
        numbered,
        arrays:
          types !== undefined && columns.every((c) => types.has(c))
            ? `select * from unnest(${columns.map((c, i) => `$${String(i + 1)}::${types.get(c) ?? ''}[]`).join(', ')})`
            : undefined,
      };
      perStatement = Math.max(1, Math.floor(30_000 / columns.length));
    }
    chunk.push(row);
    if (chunk.length === perStatement) await write();
  }
  await write();
}

const typesOf = new Map<string, Map<string, string>>();

/** PostgreSQL: each column's type (its `udt_name`, e.g. text, int4), to cast an array to. */
async function columnTypes(db: Queryable, table: string): Promise<Map<string, string>> {
  let types = typesOf.get(table);
  if (types === undefined) {
    const { rows } = await sql<{ column_name: string; udt_name: string }>`
      select column_name, udt_name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}`.execute(db);
    types = new Map(
      rows.filter((r) => /^[a-z0-9_]+$/.test(r.udt_name)).map((r) => [r.column_name, r.udt_name]),
    );
    if (types.size > 0) typesOf.set(table, types);
  }
  return types;
}

/** Runs `work` over `ids` in slices small enough for an `in (...)` list. */
export async function inSlices<T>(
  ids: readonly string[],
  work: (slice: string[]) => Promise<T[]>,
  size = 1000,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) out.push(...(await work(ids.slice(i, i + size))));
  return out;
}

// Row ids in time order: UUID version 7 (RFC 9562), a 48-bit millisecond clock, then a counter
// and random bits. Ids made one after another sort one after another, so a bulk insert appends
// to the end of the primary key's index instead of writing to a random page of it for every row
// (random version-4 ids made importing a council's events several times slower).
let lastMs = 0;
let counter = 0;
const pool = Buffer.alloc(8 * 1024);
let poolAt = pool.length;

/** A new, unique row id: a UUID whose text sorts in the order the ids were made. */
export function newRowId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    counter++;
    // 4,096 ids in one millisecond: borrow the next one, so the order holds.
    if (counter > 0xfff) {
      ms++;
      counter = 0;
    }
  } else counter = 0;
  lastMs = ms;
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const time = ms.toString(16).padStart(12, '0');
  const random = pool.toString('hex', poolAt, poolAt + 8);
  poolAt += 8;
  // Variant bits 10 at the start of the last two groups' first nibble.
  const variant = ((parseInt(random.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${variant}${random.slice(1, 4)}-${random.slice(4, 16)}`;
}
