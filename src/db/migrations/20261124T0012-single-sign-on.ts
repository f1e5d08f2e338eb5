import type { Kysely } from 'kysely';

/** Single sign-on with OpenID Connect (helper fills this in). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
