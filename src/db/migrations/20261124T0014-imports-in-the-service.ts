import type { Kysely } from 'kysely';

/** Imports in the service: saved column mappings and imports in progress (helper fills this in). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
