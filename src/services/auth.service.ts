import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { levelsFor, scopeFor, type Viewer } from '../domain/access/viewer.js';
import type { Clock } from '../clock.js';
import type { Queryable } from '../db/database.js';
import {
  findAccount,
  findAccountByEmail,
  personPlace,
  recordFailedSignIn,
  recordSignIn,
} from '../db/accounts.repository.js';
import {
  createSession,
  deleteSession,
  findSession,
  touchSession,
} from '../db/sessions.repository.js';

/**
 * Local accounts (email and password, argon2id) and server-side sessions. The cookie holds a
 * random token; the database holds only its SHA-256, so several instances share sessions and
 * signing out really ends one.
 */

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;

const ARGON2 = {
  algorithm: 2 /* Argon2id (a const enum, which verbatimModuleSyntax cannot import) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// Compared against when the email is unknown, so that a wrong email takes as long as a wrong
// password and the response does not tell which accounts exist.
let decoy: Promise<string> | undefined;

export type SignInResult =
  { ok: true; token: string; accountId: string } | { ok: false; reason: 'invalid' | 'locked' };

function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function signIn(
  db: Queryable,
  clock: Clock,
  email: string,
  password: string,
  sessionHours: number,
): Promise<SignInResult> {
  const account = await findAccountByEmail(db, email);
  const now = clock.now();
  if (account === undefined || account.passwordHash === null || account.disabled) {
    decoy ??= hashPassword('not a real password');
    await verify(await decoy, password).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  if (account.lockedUntil !== null && account.lockedUntil > now.toISOString())
    return { ok: false, reason: 'locked' };
  const good = await verify(account.passwordHash, password).catch(() => false);
  if (!good) {
    const until = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
    const { locked } = await recordFailedSignIn(db, account.id, LOCK_AFTER_FAILURES, until);
    return { ok: false, reason: locked ? 'locked' : 'invalid' };
  }
  await recordSignIn(db, account.id, now.toISOString());
  const token = randomBytes(32).toString('base64url');
  await createSession(db, {
    id: tokenId(token),
    accountId: account.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + sessionHours * 3_600_000).toISOString(),
    lastSeenAt: now.toISOString(),
  });
  return { ok: true, token, accountId: account.id };
}

export async function signOut(db: Queryable, token: string): Promise<void> {
  await deleteSession(db, tokenId(token));
}

/** The viewer behind a session token, or null when it is unknown, expired or disabled. */
export async function viewerForToken(
  db: Queryable,
  clock: Clock,
  token: string,
): Promise<Viewer | null> {
  const id = tokenId(token);
  const session = await findSession(db, id);
  const now = clock.now().toISOString();
  if (session === undefined) return null;
  if (session.expiresAt <= now) {
    await deleteSession(db, id);
    return null;
  }
  const account = await findAccount(db, session.accountId);
  if (account === undefined || account.disabled) return null;
  // Recording when a session was last used costs a write; once a minute is enough.
  if (Date.parse(now) - Date.parse(session.lastSeenAt) > 60_000) await touchSession(db, id, now);
  const place = account.personId === null ? undefined : await personPlace(db, account.personId);
  const person = place ?? null;
  const scope = scopeFor(account.access, person);
  return {
    accountId: account.id,
    email: account.email,
    name: person?.name ?? account.email,
    access: account.access,
    personId: person?.id ?? null,
    role: person?.role ?? null,
    scope,
    levels: levelsFor(account.access, person, scope),
  };
}
