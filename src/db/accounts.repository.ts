import { randomUUID } from 'node:crypto';
import type { Access } from '../domain/access/viewer.js';
import type { WorkerRole } from '../domain/scheduling/vocabulary.js';
import type { Queryable } from './database.js';

export interface AccountRow {
  id: string;
  email: string;
  passwordHash: string | null;
  personId: string | null;
  access: Access;
  failedAttempts: number;
  lockedUntil: string | null;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  /** Sealed (src/domain/access/totp.ts); null without two-factor authentication. */
  twoFactorSecret: string | null;
  twoFactorEnabledAt: string | null;
  /** Sealed; a secret shown for setting up, until its first code is entered. */
  twoFactorPendingSecret: string | null;
  twoFactorLastStep: number | null;
  passwordChangedAt: string | null;
}

const columns = [
  'id',
  'email',
  'password_hash',
  'person_id',
  'access',
  'failed_attempts',
  'locked_until',
  'disabled',
  'created_at',
  'last_sign_in_at',
  'two_factor_secret',
  'two_factor_enabled_at',
  'two_factor_pending_secret',
  'two_factor_last_step',
  'password_changed_at',
] as const;

type Row = {
  id: string;
  email: string;
  password_hash: string | null;
  person_id: string | null;
  access: Access;
  failed_attempts: number;
  locked_until: string | null;
  disabled: number;
  created_at: string;
  last_sign_in_at: string | null;
  two_factor_secret: string | null;
  two_factor_enabled_at: string | null;
  two_factor_pending_secret: string | null;
  two_factor_last_step: number | string | null;
  password_changed_at: string | null;
};

function toAccount(r: Row): AccountRow {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    personId: r.person_id,
    access: r.access,
    failedAttempts: r.failed_attempts,
    lockedUntil: r.locked_until,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    lastSignInAt: r.last_sign_in_at,
    twoFactorSecret: r.two_factor_secret,
    twoFactorEnabledAt: r.two_factor_enabled_at,
    twoFactorPendingSecret: r.two_factor_pending_secret,
    // PostgreSQL returns a bigint as text.
    twoFactorLastStep: r.two_factor_last_step === null ? null : Number(r.two_factor_last_step),
    passwordChangedAt: r.password_changed_at,
  };
}

/** Emails are compared without regard to case: people type them as they like. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findAccountByEmail(
  db: Queryable,
  email: string,
): Promise<AccountRow | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select(columns)
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return row && toAccount(row);
}

export async function findAccount(db: Queryable, id: string): Promise<AccountRow | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select(columns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toAccount(row);
}

export async function listAccounts(
  db: Queryable,
): Promise<(AccountRow & { personName: string | null })[]> {
  const rows = await db
    .selectFrom('accounts')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .select(columns.map((c) => `accounts.${c}` as const))
    .select('people.name as person_name')
    .orderBy('accounts.email')
    .execute();
  return rows.map((r) => ({ ...toAccount(r), personName: r.person_name }));
}

export async function createAccount(
  db: Queryable,
  account: { email: string; passwordHash: string | null; personId: string | null; access: Access },
  now: string,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('accounts')
    .values({
      id,
      email: normaliseEmail(account.email),
      password_hash: account.passwordHash,
      person_id: account.personId,
      access: account.access,
      locked_until: null,
      created_at: now,
      last_sign_in_at: null,
    })
    .execute();
  return id;
}

export async function recordFailedSignIn(
  db: Queryable,
  id: string,
  lockAfter: number,
  lockedUntil: string,
): Promise<{ locked: boolean }> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
  const result = await db
    .updateTable('accounts')
    .set({ locked_until: lockedUntil, failed_attempts: 0 })
    .where('id', '=', id)
    .where('failed_attempts', '>=', lockAfter)
    .executeTakeFirst();
  return { locked: Number(result.numUpdatedRows) > 0 };
}

export async function recordSignIn(db: Queryable, id: string, now: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: now })
    .where('id', '=', id)
    .execute();
}

export async function updateAccount(
  db: Queryable,
  id: string,
  changes: { disabled?: boolean; unlock?: boolean; passwordHash?: string; access?: Access },
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      ...(changes.disabled === undefined ? {} : { disabled: changes.disabled ? 1 : 0 }),
      ...(changes.unlock ? { locked_until: null, failed_attempts: 0 } : {}),
      ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
      ...(changes.access === undefined ? {} : { access: changes.access }),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A new password: the lockout is cleared with it (an administrator's reset link, or the person
 * who just proved the old one).
 */
export async function setPassword(
  db: Queryable,
  id: string,
  passwordHash: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      password_hash: passwordHash,
      password_changed_at: now,
      failed_attempts: 0,
      locked_until: null,
    })
    .where('id', '=', id)
    .execute();
}

/** The secret shown while two-factor is being set up (sealed), or null to forget it. */
export async function setPendingTwoFactorSecret(
  db: Queryable,
  id: string,
  sealed: string | null,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ two_factor_pending_secret: sealed })
    .where('id', '=', id)
    .execute();
}

/** Two-factor is on, with this (sealed) secret, whose code for `step` has just been accepted. */
export async function enableTwoFactor(
  db: Queryable,
  id: string,
  sealed: string,
  step: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      two_factor_secret: sealed,
      two_factor_enabled_at: now,
      two_factor_pending_secret: null,
      two_factor_last_step: step,
    })
    .where('id', '=', id)
    .execute();
}

export async function disableTwoFactor(db: Queryable, id: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      two_factor_secret: null,
      two_factor_enabled_at: null,
      two_factor_pending_secret: null,
      two_factor_last_step: null,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Records that the code for `step` was used, unless a code for that step or a later one already
 * was: one conditional update, so two requests racing with the same code cannot both pass.
 */
export async function useTwoFactorStep(db: Queryable, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ two_factor_last_step: step })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('two_factor_last_step', 'is', null), eb('two_factor_last_step', '<', step)]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// One-time reset links ------------------------------------------------------------------------

export interface ResetLinkRow {
  id: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
  removeTwoFactor: boolean;
}

/** A new link for the account; any earlier link of theirs stops working. */
export async function replaceResetLink(db: Queryable, link: ResetLinkRow): Promise<void> {
  await db.deleteFrom('password_reset_links').where('account_id', '=', link.accountId).execute();
  await db
    .insertInto('password_reset_links')
    .values({
      id: link.id,
      account_id: link.accountId,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
      created_by: link.createdBy,
      remove_two_factor: link.removeTwoFactor ? 1 : 0,
    })
    .execute();
}

export async function findResetLink(db: Queryable, id: string): Promise<ResetLinkRow | undefined> {
  const row = await db
    .selectFrom('password_reset_links')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      accountId: row.account_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      createdBy: row.created_by,
      removeTwoFactor: row.remove_two_factor === 1,
    }
  );
}

/** Uses a link up: true when it was still there (so two uses at once cannot both succeed). */
export async function takeResetLink(db: Queryable, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('password_reset_links')
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteResetLinksOf(db: Queryable, accountId: string): Promise<void> {
  await db.deleteFrom('password_reset_links').where('account_id', '=', accountId).execute();
}

// The step between a password and its code at sign-in ------------------------------------------

export interface ChallengeRow {
  id: string;
  accountId: string;
  purpose: 'code' | 'enrol';
  returnTo: string;
  createdAt: string;
  expiresAt: string;
}

/** A new challenge; the account's earlier ones (and everyone's expired ones) are removed. */
export async function createChallenge(db: Queryable, challenge: ChallengeRow): Promise<void> {
  await db
    .deleteFrom('sign_in_challenges')
    .where((eb) =>
      eb.or([
        eb('account_id', '=', challenge.accountId),
        eb('expires_at', '<', challenge.createdAt),
      ]),
    )
    .execute();
  await db
    .insertInto('sign_in_challenges')
    .values({
      id: challenge.id,
      account_id: challenge.accountId,
      purpose: challenge.purpose,
      return_to: challenge.returnTo,
      created_at: challenge.createdAt,
      expires_at: challenge.expiresAt,
    })
    .execute();
}

export async function findChallenge(db: Queryable, id: string): Promise<ChallengeRow | undefined> {
  const row = await db
    .selectFrom('sign_in_challenges')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      accountId: row.account_id,
      purpose: row.purpose,
      returnTo: row.return_to,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    }
  );
}

export async function deleteChallenge(db: Queryable, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sign_in_challenges').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface PersonPlaceRow {
  id: string;
  name: string | null;
  role: WorkerRole;
  teamId: string | null;
  serviceId: string | null;
  supervisees: number;
}

/** A person's place in the structure: what decides what they may see. */
export async function personPlace(
  db: Queryable,
  personId: string,
): Promise<PersonPlaceRow | undefined> {
  const row = await db
    .selectFrom('people')
    .leftJoin('teams', 'teams.id', 'people.team_id')
    .select([
      'people.id',
      'people.name',
      'people.role',
      'people.team_id',
      'people.service_id',
      'teams.service_id as team_service_id',
    ])
    .select((eb) =>
      eb
        .selectFrom('people as s')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('s.line_manager_id', '=', 'people.id')
        .as('supervisees'),
    )
    .where('people.id', '=', personId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      role: row.role as WorkerRole,
      teamId: row.team_id,
      serviceId: row.team_service_id ?? row.service_id,
      supervisees: Number(row.supervisees ?? 0),
    }
  );
}

// Sessions. The rest of the session functions are in sessions.repository.ts.

/**
 * Removes the sessions that ended long enough ago that nothing more will be done with them: those
 * that reached their absolute end before `endedBefore`, and those last used before
 * `lastSeenBefore` (idle ever since). A session that has just ended is kept a while, so that a
 * draft posted after it timed out can still be saved for its owner.
 */
export async function deleteSessionsEndedBefore(
  db: Queryable,
  cutoffs: { endedBefore: string; lastSeenBefore: string },
): Promise<number> {
  const result = await db
    .deleteFrom('web_sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<', cutoffs.endedBefore),
        eb('last_seen_at', '<', cutoffs.lastSeenBefore),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
