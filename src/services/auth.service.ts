import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { levelsFor, scopeFor, type Viewer } from '../domain/access/viewer.js';
import type { Clock } from '../clock.js';
import type { Queryable } from '../db/database.js';
import {
  createChallenge,
  deleteChallenge,
  deleteSessionsEndedBefore,
  enableTwoFactor,
  findAccount,
  findAccountByEmail,
  findChallenge,
  personPlace,
  recordFailedSignIn,
  recordSignIn,
  setPendingTwoFactorSecret,
  useTwoFactorStep,
  type AccountRow,
  type ChallengeRow,
} from '../db/accounts.repository.js';
import {
  createSession,
  deleteSession,
  findSession,
  touchSession,
  type SessionRow,
} from '../db/sessions.repository.js';
import {
  DEMO_SECRET_PREFIX,
  newTotpSecret,
  openSecret,
  sealSecret,
  verifyTotp,
  type SecretKey,
} from '../domain/access/totp.js';

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

/** How long the step between a password and its code may take. */
export const CHALLENGE_MINUTES = 5;

/** Where a session was started from, shown in the person's list of their sessions. */
export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
}

export type SignInResult =
  /** Signed in: the token for the session cookie. */
  | { ok: true; next: 'session'; token: string; accountId: string }
  /**
   * The password was right, and a code comes next ('code'), or, for an administrator without
   * two-factor, setting it up ('enrol'): no session yet, only the challenge's token for a
   * short-lived cookie.
   */
  | { ok: true; next: 'code' | 'enrol'; challenge: string; accountId: string }
  | { ok: false; reason: 'invalid' | 'locked'; accountId: string | null };

/** The database id of a session token (or of any other token kept as a hash). */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isLocked(account: AccountRow, now: Date): boolean {
  return account.lockedUntil !== null && account.lockedUntil > now.toISOString();
}

/** One more failure towards the lockout; true when this one locked the account. */
async function countFailure(db: Queryable, clock: Clock, accountId: string): Promise<boolean> {
  const until = new Date(clock.now().getTime() + LOCK_MINUTES * 60_000).toISOString();
  const { locked } = await recordFailedSignIn(db, accountId, LOCK_AFTER_FAILURES, until);
  return locked;
}

/** Whether the account must give a code, or set two-factor up, before it has a session. */
export function secondStepFor(account: AccountRow): 'code' | 'enrol' | null {
  if (account.twoFactorSecret !== null) return 'code';
  if (account.access === 'administrator') return 'enrol';
  return null;
}

export async function signIn(
  db: Queryable,
  clock: Clock,
  email: string,
  password: string,
  limits: SessionLimits,
  options: { returnTo?: string; meta?: SessionMeta } = {},
): Promise<SignInResult> {
  const account = await findAccountByEmail(db, email);
  const now = clock.now();
  if (account === undefined || account.passwordHash === null || account.disabled) {
    decoy ??= hashPassword('not a real password');
    await verify(await decoy, password).catch(() => false);
    return { ok: false, reason: 'invalid', accountId: account?.id ?? null };
  }
  if (isLocked(account, now)) return { ok: false, reason: 'locked', accountId: account.id };
  const good = await verify(account.passwordHash, password).catch(() => false);
  if (!good) {
    const locked = await countFailure(db, clock, account.id);
    return { ok: false, reason: locked ? 'locked' : 'invalid', accountId: account.id };
  }
  const second = secondStepFor(account);
  if (second !== null) {
    // The failures so far still count: a wrong code after a right password adds to them.
    const challenge = randomBytes(32).toString('base64url');
    await createChallenge(db, {
      id: tokenId(challenge),
      accountId: account.id,
      purpose: second,
      returnTo: options.returnTo ?? '/',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000).toISOString(),
    });
    return { ok: true, next: second, challenge, accountId: account.id };
  }
  const token = await startSession(db, clock, account.id, limits, options.meta);
  return { ok: true, next: 'session', token, accountId: account.id };
}

/** A live challenge and its account, or null (unknown, expired, disabled or locked). */
export async function findLiveChallenge(
  db: Queryable,
  clock: Clock,
  token: string,
): Promise<{ challenge: ChallengeRow; account: AccountRow } | null> {
  const challenge = await findChallenge(db, tokenId(token));
  if (challenge === undefined) return null;
  const now = clock.now();
  if (challenge.expiresAt <= now.toISOString()) {
    await deleteChallenge(db, challenge.id);
    return null;
  }
  const account = await findAccount(db, challenge.accountId);
  if (account === undefined || account.disabled || isLocked(account, now)) return null;
  return { challenge, account };
}

export type SecondStepResult =
  | { ok: true; token: string; accountId: string; email: string; returnTo: string }
  /**
   * 'expired': no live challenge (start again from the password); 'wrong': the code was not
   * right (or was used already); 'locked': that failure locked the account.
   */
  | { ok: false; reason: 'expired' | 'wrong' | 'locked'; accountId: string | null; email?: string };

/**
 * The second step of sign-in: the code from the account's authenticator app. A wrong code
 * counts towards the lockout as a wrong password does; a right one is remembered, so it cannot
 * be used again, and only then does a session start.
 */
export async function completeSignInWithCode(
  db: Queryable,
  clock: Clock,
  key: SecretKey,
  challengeToken: string,
  code: string,
  limits: SessionLimits,
  meta?: SessionMeta,
): Promise<SecondStepResult> {
  const live = await findLiveChallenge(db, clock, challengeToken);
  if (live === null || live.challenge.purpose !== 'code')
    return { ok: false, reason: 'expired', accountId: live?.account.id ?? null };
  const { challenge, account } = live;
  const secret = account.twoFactorSecret === null ? null : openSecret(account.twoFactorSecret, key);
  // The demo administrator's secret is published and its code printed on the demo's sign-in
  // page (opened only in a demo): refusing it a second time in 30 seconds would protect nothing.
  const published = account.twoFactorSecret?.startsWith(DEMO_SECRET_PREFIX) === true;
  const lastStep = published ? null : account.twoFactorLastStep;
  const step = secret === null ? null : verifyTotp(secret, code, clock.now(), lastStep);
  if (step === null || (!published && !(await useTwoFactorStep(db, account.id, step))))
    return wrongCode(db, clock, challenge, account);
  return finishSecondStep(db, clock, challenge, account, limits, meta);
}

async function wrongCode(
  db: Queryable,
  clock: Clock,
  challenge: ChallengeRow,
  account: AccountRow,
): Promise<SecondStepResult> {
  const locked = await countFailure(db, clock, account.id);
  if (locked) await deleteChallenge(db, challenge.id);
  return {
    ok: false,
    reason: locked ? 'locked' : 'wrong',
    accountId: account.id,
    email: account.email,
  };
}

async function finishSecondStep(
  db: Queryable,
  clock: Clock,
  challenge: ChallengeRow,
  account: AccountRow,
  limits: SessionLimits,
  meta?: SessionMeta,
): Promise<SecondStepResult> {
  // Taken once: the same challenge cannot start two sessions.
  if (!(await deleteChallenge(db, challenge.id)))
    return { ok: false, reason: 'expired', accountId: account.id };
  const token = await startSession(db, clock, account.id, limits, meta);
  return {
    ok: true,
    token,
    accountId: account.id,
    email: account.email,
    returnTo: challenge.returnTo,
  };
}

/**
 * The secret being set up for an account: the one already shown if there is one (so that a
 * page reloaded shows the same QR code), otherwise a new one, kept sealed until its first code
 * is entered.
 */
export async function pendingTwoFactorSecret(
  db: Queryable,
  key: SecretKey,
  account: AccountRow,
): Promise<Buffer> {
  const pending =
    account.twoFactorPendingSecret === null
      ? null
      : openSecret(account.twoFactorPendingSecret, key);
  if (pending !== null) return pending;
  const secret = newTotpSecret();
  await setPendingTwoFactorSecret(db, account.id, sealSecret(secret, key));
  return secret;
}

/**
 * Turns two-factor on with the secret being set up, when `code` is its current code. False when
 * there is no secret being set up or the code is not right.
 */
export async function confirmTwoFactor(
  db: Queryable,
  clock: Clock,
  key: SecretKey,
  accountId: string,
  code: string,
): Promise<boolean> {
  const account = await findAccount(db, accountId);
  if (account?.twoFactorPendingSecret == null) return false;
  const secret = openSecret(account.twoFactorPendingSecret, key);
  const step = secret === null ? null : verifyTotp(secret, code, clock.now(), null);
  if (step === null) return false;
  await enableTwoFactor(
    db,
    account.id,
    account.twoFactorPendingSecret,
    step,
    clock.now().toISOString(),
  );
  return true;
}

/**
 * The second step for an administrator without two-factor: setting it up, with the first code
 * from the app. Wrong codes count towards the lockout here too.
 */
export async function completeSignInWithEnrolment(
  db: Queryable,
  clock: Clock,
  key: SecretKey,
  challengeToken: string,
  code: string,
  limits: SessionLimits,
  meta?: SessionMeta,
): Promise<SecondStepResult> {
  const live = await findLiveChallenge(db, clock, challengeToken);
  if (live === null || live.challenge.purpose !== 'enrol')
    return { ok: false, reason: 'expired', accountId: live?.account.id ?? null };
  const { challenge, account } = live;
  if (!(await confirmTwoFactor(db, clock, key, account.id, code)))
    return wrongCode(db, clock, challenge, account);
  return finishSecondStep(db, clock, challenge, account, limits, meta);
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
  meta?: SessionMeta,
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
    ip: meta?.ip ?? null,
    // Kept short: enough to name the browser, not a fingerprint.
    userAgent: meta?.userAgent?.slice(0, 300) ?? null,
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
