import type { Queryable } from './database.js';

export interface SessionRow {
  id: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  /** Where it was started from; null for sessions from before this was kept. */
  ip: string | null;
  userAgent: string | null;
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
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('web_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toSession(row);
}

function toSession(row: {
  id: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}): SessionRow {
  return {
    id: row.id,
    accountId: row.account_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

/** An account's sessions, the most recently used first (live or not: the caller decides). */
export async function sessionsOf(db: Queryable, accountId: string): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('web_sessions')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toSession);
}

/** Ends every session of the account but one; returns how many ended. */
export async function deleteOtherSessionsOf(
  db: Queryable,
  accountId: string,
  keepId: string,
): Promise<number> {
  const result = await db
    .deleteFrom('web_sessions')
    .where('account_id', '=', accountId)
    .where('id', '!=', keepId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends one session of the account (never another account's); true when there was one. */
export async function deleteSessionOf(
  db: Queryable,
  accountId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('web_sessions')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function touchSession(db: Queryable, id: string, now: string): Promise<void> {
  await db.updateTable('web_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Queryable, accountId: string): Promise<number> {
  const result = await db
    .deleteFrom('web_sessions')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
