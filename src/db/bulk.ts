import { randomFillSync } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Database, Queryable } from './database.js';

/**
 * Inserts many rows in as few statements as the databases allow (PostgreSQL takes at most
 * 65,535 parameters per statement, SQLite 32,766).
 */
export async function insertMany<T extends keyof Database>(
  db: Queryable,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const perStatement = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await db.insertInto(table).values(chunk).execute();
  }
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
