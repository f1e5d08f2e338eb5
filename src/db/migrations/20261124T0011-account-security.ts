import type { Kysely } from 'kysely';

/** Local accounts done properly: two-factor authentication, one-time reset links, and what a session list shows (helper fills this in). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
