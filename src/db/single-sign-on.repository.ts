import { sql } from 'kysely';
import type { Queryable } from './database.js';

/** Single sign-on's own tables (migration 20261124T0012), and the people it matches by email. */

export interface SignInRequestRow {
  /** The SHA-256 of the request's `state`. */
  id: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: string;
  expiresAt: string;
}

export async function saveSignInRequest(db: Queryable, row: SignInRequestRow): Promise<void> {
  await db
    .insertInto('single_sign_on_requests')
    .values({
      id: row.id,
      nonce: row.nonce,
      code_verifier: row.codeVerifier,
      return_to: row.returnTo,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * Removes the request and returns it, in one statement, so that of two callbacks with the same
 * state only one gets it. Undefined when it is unknown, already used, or expired at `now`.
 */
export async function takeSignInRequest(
  db: Queryable,
  id: string,
  now: string,
): Promise<SignInRequestRow | undefined> {
  const row = await db
    .deleteFrom('single_sign_on_requests')
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined || row.expires_at <= now) return undefined;
  return {
    id: row.id,
    nonce: row.nonce,
    codeVerifier: row.code_verifier,
    returnTo: row.return_to,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Sign-ins that were started and never finished. */
export async function deleteExpiredSignInRequests(db: Queryable, now: string): Promise<number> {
  const result = await db
    .deleteFrom('single_sign_on_requests')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The account an issuer's subject is remembered against. */
export async function accountOfSubject(
  db: Queryable,
  issuer: string,
  subject: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('single_sign_on_identities')
    .select('account_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.account_id;
}

/** The subject an account is remembered with at an issuer. */
export async function subjectOfAccount(
  db: Queryable,
  issuer: string,
  accountId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('single_sign_on_identities')
    .select('subject')
    .where('issuer', '=', issuer)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.subject;
}

export async function rememberSubject(
  db: Queryable,
  identity: { issuer: string; subject: string; accountId: string },
  now: string,
): Promise<void> {
  await db
    .insertInto('single_sign_on_identities')
    .values({
      issuer: identity.issuer,
      subject: identity.subject,
      account_id: identity.accountId,
      created_at: now,
      last_used_at: now,
    })
    .execute();
}

export async function touchSubject(
  db: Queryable,
  issuer: string,
  subject: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('single_sign_on_identities')
    .set({ last_used_at: now })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}

export interface PersonByEmailRow {
  personId: string;
  /** The last day they work here (YYYY-MM-DD), or null. */
  end: string | null;
  /** Their account, whatever its email, or null when they have none. */
  accountId: string | null;
}

/** People in the structure whose email is `email` (already lower case), leavers included. */
export async function peopleWithEmail(db: Queryable, email: string): Promise<PersonByEmailRow[]> {
  const rows = await db
    .selectFrom('people')
    .leftJoin('accounts', 'accounts.person_id', 'people.id')
    .select(['people.id', 'people.end', 'accounts.id as account_id'])
    .where(sql<string>`lower(people.email)`, '=', email)
    .orderBy('people.id')
    .execute();
  return rows.map((r) => ({ personId: r.id, end: r.end, accountId: r.account_id }));
}

/** A person's last day (YYYY-MM-DD), null when they have none; undefined when there is no such person. */
export async function personEnd(
  db: Queryable,
  personId: string,
): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('people')
    .select('end')
    .where('id', '=', personId)
    .executeTakeFirst();
  return row === undefined ? undefined : row.end;
}
