import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { levelsFor, scopeFor, type Viewer } from '../domain/access/viewer.js';
import type { Clock } from '../clock.js';
import type { Queryable } from '../db/database.js';
import {
  deleteSessionsEndedBefore,
  findAccount,
  findAccountByEmail,
  personPlace,
  recordFailedSignIn,
  recordSignIn,
  type AccountRow,
} from '../db/accounts.repository.js';
import {
  createSession,
  deleteSession,
  findSession,
  touchSession,
  type SessionRow,
} from '../db/sessions.repository.js';

/**
 * Local accounts (email and password, argon2id) and server-side sessions. The cookie holds a
 * random token; the database holds only its SHA-256, so several instances share sessions and
 * signing out really ends one.
 *
 * A session ends `sessionHours` after sign-in however busy, or `idleMinutes` after it was last
 * used, whichever comes first. An ended session's row is kept for KEEP_ENDED_SESSION_HOURS, so
 * that a draft posted after the session timed out is still saved for its owner
 * (`viewerForEndedSession`, used only by the routes that keep drafts); signing out deletes the
 * row at once, so nothing is saved after that.
 */

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
/** How long after a session ended a draft posted with it is still saved. */
export const KEEP_ENDED_SESSION_HOURS = 12;
/** Recording when a session was last used costs a write; once a minute is enough. */
const TOUCH_AFTER_MS = 60_000;

/** How long sessions last (from the configuration). */
export interface SessionLimits {
  /** From sign-in, however busy. */
  hours: number;
  /** Without a request. */
  idleMinutes: number;
}

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
  limits: SessionLimits,
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
  const token = await startSession(db, clock, account.id, limits);
  return { ok: true, token, accountId: account.id };
}

/**
 * A new session for an account that has just proved who it is (a password, single sign-on):
 * always a new random token, so no identifier from before sign-in carries over. Returns the
 * token for the cookie; the database keeps only its SHA-256.
 */
export async function startSession(
  db: Queryable,
  clock: Clock,
  accountId: string,
  limits: SessionLimits,
): Promise<string> {
  const now = clock.now();
  await recordSignIn(db, accountId, now.toISOString());
  await removeEndedSessions(db, now, limits.idleMinutes);
  const token = randomBytes(32).toString('base64url');
  await createSession(db, {
    id: tokenId(token),
    accountId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + limits.hours * 3_600_000).toISOString(),
    lastSeenAt: now.toISOString(),
  });
  return token;
}

export async function signOut(db: Queryable, token: string): Promise<void> {
  await deleteSession(db, tokenId(token));
}

/**
 * Sessions that ended more than KEEP_ENDED_SESSION_HOURS ago are of no more use: removed at each
 * sign-in, so the table holds only sessions that are live or have just ended.
 */
export async function removeEndedSessions(
  db: Queryable,
  now: Date,
  idleMinutes: number,
): Promise<number> {
  const keep = KEEP_ENDED_SESSION_HOURS * 3_600_000;
  return deleteSessionsEndedBefore(db, {
    endedBefore: new Date(now.getTime() - keep).toISOString(),
    lastSeenBefore: new Date(now.getTime() - keep - idleMinutes * 60_000).toISOString(),
  });
}

/** When a session ends: at its absolute end, or when it has been idle too long, the sooner. */
export function sessionEndsAt(
  session: Pick<SessionRow, 'expiresAt' | 'lastSeenAt'>,
  idleMinutes: number,
): string {
  const idleEnd = new Date(Date.parse(session.lastSeenAt) + idleMinutes * 60_000).toISOString();
  return idleEnd < session.expiresAt ? idleEnd : session.expiresAt;
}

async function viewerOfAccount(db: Queryable, account: AccountRow): Promise<Viewer> {
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

export type SessionLookup =
  /** A live session: who it is, and when it will end if nothing more is asked of it (ISO UTC). */
  | { state: 'live'; viewer: Viewer; endsAt: string }
  /** Timed out, idle or at its absolute end, but still kept for a late draft. */
  | { state: 'ended' }
  /** Unknown, signed out, long ended, or the account is disabled. */
  | { state: 'gone' };

/**
 * What a session token stands for now. Using a live session counts as activity: its idle clock
 * starts again.
 */
export async function lookUpSession(
  db: Queryable,
  clock: Clock,
  token: string,
  idleMinutes: number,
): Promise<SessionLookup> {
  const id = tokenId(token);
  const session = await findSession(db, id);
  if (session === undefined) return { state: 'gone' };
  const now = clock.now();
  const nowIso = now.toISOString();
  const endsAt = sessionEndsAt(session, idleMinutes);
  if (endsAt <= nowIso) {
    const keptUntil = Date.parse(endsAt) + KEEP_ENDED_SESSION_HOURS * 3_600_000;
    if (keptUntil > now.getTime()) return { state: 'ended' };
    await deleteSession(db, id);
    return { state: 'gone' };
  }
  const account = await findAccount(db, session.accountId);
  if (account === undefined || account.disabled) return { state: 'gone' };
  let lastSeenAt = session.lastSeenAt;
  if (now.getTime() - Date.parse(lastSeenAt) > TOUCH_AFTER_MS) {
    await touchSession(db, id, nowIso);
    lastSeenAt = nowIso;
  }
  return {
    state: 'live',
    viewer: await viewerOfAccount(db, account),
    endsAt: sessionEndsAt({ expiresAt: session.expiresAt, lastSeenAt }, idleMinutes),
  };
}

/** The viewer behind a live session token, or null when it is unknown, ended or disabled. */
export async function viewerForToken(
  db: Queryable,
  clock: Clock,
  token: string,
  idleMinutes: number,
): Promise<Viewer | null> {
  const found = await lookUpSession(db, clock, token, idleMinutes);
  return found.state === 'live' ? found.viewer : null;
}

/**
 * "Stay signed in": the session's idle clock starts again now, whenever it was last touched.
 * Returns when the session will now end, or null when it has already ended. (The route that
 * calls it has already checked the account, as for every signed-in request.)
 */
export async function keepSessionAlive(
  db: Queryable,
  clock: Clock,
  token: string,
  idleMinutes: number,
): Promise<string | null> {
  const id = tokenId(token);
  const session = await findSession(db, id);
  if (session === undefined) return null;
  const now = clock.now().toISOString();
  if (sessionEndsAt(session, idleMinutes) <= now) return null;
  await touchSession(db, id, now);
  return sessionEndsAt({ expiresAt: session.expiresAt, lastSeenAt: now }, idleMinutes);
}

/**
 * The viewer whose session has ended (idle or at its absolute end) no more than
 * KEEP_ENDED_SESSION_HOURS ago, for saving a draft they posted after it ended, under the same
 * access rules as before. Null for a live session, an unknown or signed-out one, one that ended
 * longer ago, or a disabled account. The session stays ended: this never touches it.
 */
export async function viewerForEndedSession(
  db: Queryable,
  clock: Clock,
  token: string,
  idleMinutes: number,
): Promise<Viewer | null> {
  const session = await findSession(db, tokenId(token));
  if (session === undefined) return null;
  const now = clock.now();
  const endsAt = sessionEndsAt(session, idleMinutes);
  if (endsAt > now.toISOString()) return null;
  if (Date.parse(endsAt) + KEEP_ENDED_SESSION_HOURS * 3_600_000 <= now.getTime()) return null;
  const account = await findAccount(db, session.accountId);
  if (account === undefined || account.disabled) return null;
  return viewerOfAccount(db, account);
}
