import type { Queryable } from './database.js';

export interface SessionRow {
  id: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export async function createSession(db: Queryable, session: SessionRow): Promise<void> {
  await db
    .insertInto('web_sessions')
    .values({
      id: session.id,
      account_id: session.accountId,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
      last_seen_at: session.lastSeenAt,
    })
    .execute();
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('web_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      accountId: row.account_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
    }
  );
}

export async function touchSession(db: Queryable, id: string, now: string): Promise<void> {
  await db.updateTable('web_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Queryable, accountId: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('account_id', '=', accountId).execute();
}
