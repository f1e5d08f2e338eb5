import type { Kysely } from 'kysely';

/** Break-glass access, retention rules and legal holds (helper fills this in). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
