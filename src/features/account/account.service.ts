import { createHash, randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Clock } from '../../clock.js';
import {
  deleteResetLinksOf,
  disableTwoFactor,
  findAccount,
  findResetLink,
  personPlace,
  recordFailedSignIn,
  replaceResetLink,
  setPassword,
  takeResetLink,
  type AccountRow,
} from '../../db/accounts.repository.js';
import type { Db } from '../../db/database.js';
import {
  deleteOtherSessionsOf,
  deleteSessionOf,
  deleteSessionsOf,
  sessionsOf,
  type SessionRow,
} from '../../db/sessions.repository.js';
import {
  passwordMessage,
  passwordProblem,
  type PasswordProblem,
} from '../../domain/access/password-rules.js';
import { NotFoundError } from '../../domain/errors.js';
import { recordAuditIn } from '../../services/audit.service.js';
import {
  hashPassword,
  LOCK_AFTER_FAILURES,
  LOCK_MINUTES,
  sessionEndsAt,
  startSession,
  tokenId,
  type SessionLimits,
  type SessionMeta,
} from '../../services/auth.service.js';
import type { RequestAudit } from './request-context.js';

/**
 * What people do to their own account (change their password, turn two-factor on and off, see
 * and end their sessions), and what administrators do for them (a one-time reset link, removing
 * two-factor when a phone is lost). Each change and its audit entry are written together.
 */

/** A reset link works for a day, once. */
export const RESET_LINK_HOURS = 24;

/** Who acted, for the audit trail. */
export interface Actor {
  accountId: string;
  email: string;
}

export type Refusal<F extends string> = { ok: false; field: F; problem: string };

/** One of someone's sessions, for their list. */
export interface SessionListRow {
  /** Names the session in a form without being its database id. */
  handle: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** A session's name in the list: derived from its id, which itself never reaches a page. */
function handleOf(sessionId: string): string {
  return createHash('sha256').update(`listed:${sessionId}`).digest('hex').slice(0, 32);
}

export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: { councilName: string; limits: SessionLimits },
  ) {}

  async account(id: string): Promise<AccountRow> {
    const account = await findAccount(this.db, id);
    if (account === undefined) throw new NotFoundError('account');
    return account;
  }

  /** Why this new password cannot be used for this account, or null. */
  async newPasswordProblem(account: AccountRow, password: string): Promise<PasswordProblem | null> {
    const person =
      account.personId === null ? undefined : await personPlace(this.db, account.personId);
    return passwordProblem(password, {
      councilName: this.options.councilName,
      email: account.email,
      name: person?.name ?? null,
    });
  }

  /**
   * A new password, given the current one. Every session of the account ends, this one too; the
   * token returned is a new session's, for the cookie. A wrong current password counts towards
   * the lockout, as at sign-in.
   */
  async changePassword(
    accountId: string,
    current: string,
    next: string,
    audit: RequestAudit & { meta: SessionMeta },
  ): Promise<
    | { ok: true; token: string }
    | Refusal<'currentPassword' | 'newPassword'>
    | { ok: false; field: 'locked'; problem: string }
  > {
    const account = await this.account(accountId);
    const good =
      account.passwordHash !== null &&
      (await verify(account.passwordHash, current).catch(() => false));
    if (!good) {
      const until = new Date(this.clock.now().getTime() + LOCK_MINUTES * 60_000).toISOString();
      const { locked } = await recordFailedSignIn(this.db, account.id, LOCK_AFTER_FAILURES, until);
      if (locked) {
        // Locked, like a sign-in: every session ends, so whoever guessed is out too.
        await deleteSessionsOf(this.db, account.id);
        return { ok: false, field: 'locked', problem: 'locked' };
      }
      return { ok: false, field: 'currentPassword', problem: 'Your current password is not right' };
    }
    const problem = await this.newPasswordProblem(account, next);
    if (problem !== null)
      return { ok: false, field: 'newPassword', problem: passwordMessage(problem) };
    const hash = await hashPassword(next);
    const now = this.clock.now().toISOString();
    const token = await this.db.transaction().execute(async (trx) => {
      await setPassword(trx, account.id, hash, now);
      const ended = await deleteSessionsOf(trx, account.id);
      await deleteResetLinksOf(trx, account.id);
      const started = await startSession(
        trx,
        this.clock,
        account.id,
        this.options.limits,
        audit.meta,
      );
      const self = { accountId: account.id, email: account.email };
      await this.audit(trx, self, audit, 'password-changed', account.id, {});
      // The session this change was made in ended too, and another began.
      await this.audit(trx, self, audit, 'sessions-ended', account.id, {
        ended,
        reason: 'password-changed',
      });
      return started;
    });
    return { ok: true, token };
  }

  /** The account's live sessions, most recently used first, with the one asking marked. */
  async sessions(accountId: string, currentToken: string): Promise<SessionListRow[]> {
    const now = this.clock.now().toISOString();
    const current = tokenId(currentToken);
    return (await sessionsOf(this.db, accountId))
      .filter((s) => sessionEndsAt(s, this.options.limits.idleMinutes) > now)
      .map((s: SessionRow) => ({
        handle: handleOf(s.id),
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        ip: s.ip,
        userAgent: s.userAgent,
        current: s.id === current,
      }));
  }

  /** Ends one of the account's sessions, named by its handle; false when there is none. */
  async endSession(actor: Actor, handle: string, audit: RequestAudit): Promise<boolean> {
    const session = (await sessionsOf(this.db, actor.accountId)).find(
      (s) => handleOf(s.id) === handle,
    );
    if (session === undefined) return false;
    return this.db.transaction().execute(async (trx) => {
      const ended = await deleteSessionOf(trx, actor.accountId, session.id);
      if (ended)
        await this.audit(trx, actor, audit, 'sessions-ended', actor.accountId, {
          ended: 1,
          reason: 'signed-out-one',
        });
      return ended;
    });
  }

  /** Ends every session of the account but the one asking (all of them without `keepToken`). */
  async endSessions(actor: Actor, keepToken: string | null, audit: RequestAudit): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ended =
        keepToken === null
          ? await deleteSessionsOf(trx, actor.accountId)
          : await deleteOtherSessionsOf(trx, actor.accountId, tokenId(keepToken));
      await this.audit(trx, actor, audit, 'sessions-ended', actor.accountId, {
        ended,
        reason: keepToken === null ? 'signed-out-everywhere' : 'signed-out-others',
      });
      return ended;
    });
  }

  /**
   * Turns two-factor off: by the person themselves (never an administrator: they must keep it),
   * or by an administrator for someone who has lost their phone. Either way every session of
   * the account ends, so nothing signed in with the old second factor carries on.
   */
  async removeTwoFactor(
    actor: Actor,
    accountId: string,
    audit: RequestAudit,
    /** The session asking, kept when people turn their own off. */
    keepToken?: string,
  ): Promise<{ ok: true } | { ok: false; problem: string }> {
    const account = await this.account(accountId);
    if (account.twoFactorSecret === null) return { ok: true };
    const self = actor.accountId === account.id;
    if (self && account.access === 'administrator')
      return {
        ok: false,
        problem: 'Administrators must use two-factor authentication, so it cannot be turned off',
      };
    await this.db.transaction().execute(async (trx) => {
      await disableTwoFactor(trx, account.id);
      const ended =
        self && keepToken !== undefined
          ? await deleteOtherSessionsOf(trx, account.id, tokenId(keepToken))
          : await deleteSessionsOf(trx, account.id);
      await this.audit(trx, actor, audit, 'two-factor-removed', account.id, {
        by: self ? 'self' : 'administrator',
        sessionsEnded: ended,
      });
    });
    return { ok: true };
  }

  /**
   * A one-time link for setting a new password, for an administrator to pass on: its token is
   * returned once and only its SHA-256 kept; it works for RESET_LINK_HOURS, and a new one for
   * the same account voids the old.
   */
  async createResetLink(
    actor: Actor,
    accountId: string,
    removeTwoFactor: boolean,
    audit: RequestAudit,
  ): Promise<{ token: string; expiresAt: string }> {
    const account = await this.account(accountId);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + RESET_LINK_HOURS * 3_600_000).toISOString();
    await this.db.transaction().execute(async (trx) => {
      await replaceResetLink(trx, {
        id: tokenId(token),
        accountId: account.id,
        createdAt: now.toISOString(),
        expiresAt,
        createdBy: actor.accountId,
        removeTwoFactor,
      });
      await this.audit(trx, actor, audit, 'reset-link-created', account.id, {
        removeTwoFactor,
        expiresAt,
      });
    });
    return { token, expiresAt };
  }

  /** The account a reset link is for, while it still works; null otherwise. */
  async resetLinkAccount(
    token: string,
  ): Promise<{ account: AccountRow; removeTwoFactor: boolean } | null> {
    const link = await findResetLink(this.db, tokenId(token));
    if (link === undefined || link.expiresAt <= this.clock.now().toISOString()) return null;
    const account = await findAccount(this.db, link.accountId);
    if (account === undefined || account.disabled) return null;
    return { account, removeTwoFactor: link.removeTwoFactor };
  }

  /**
   * Sets the new password through a reset link, and uses the link up. Every session of the
   * account ends; two-factor is removed when the administrator asked for it. The person then
   * signs in with the new password.
   */
  async resetPassword(
    token: string,
    password: string,
    audit: RequestAudit,
  ): Promise<{ ok: true } | { ok: false; reason: 'gone' } | Refusal<'password'>> {
    const found = await this.resetLinkAccount(token);
    if (found === null) return { ok: false, reason: 'gone' };
    const { account, removeTwoFactor } = found;
    const problem = await this.newPasswordProblem(account, password);
    if (problem !== null)
      return { ok: false, field: 'password', problem: passwordMessage(problem) };
    const hash = await hashPassword(password);
    const now = this.clock.now().toISOString();
    const done = await this.db.transaction().execute(async (trx) => {
      if (!(await takeResetLink(trx, tokenId(token)))) return false;
      await setPassword(trx, account.id, hash, now);
      if (removeTwoFactor) await disableTwoFactor(trx, account.id);
      const ended = await deleteSessionsOf(trx, account.id);
      const self = { accountId: account.id, email: account.email };
      await this.audit(trx, self, audit, 'password-reset', account.id, {
        twoFactorRemoved: removeTwoFactor,
      });
      if (removeTwoFactor)
        await this.audit(trx, self, audit, 'two-factor-removed', account.id, {
          by: 'reset-link',
        });
      await this.audit(trx, self, audit, 'sessions-ended', account.id, {
        ended,
        reason: 'password-reset',
      });
      return true;
    });
    return done ? { ok: true } : { ok: false, reason: 'gone' };
  }

  private async audit(
    trx: Parameters<typeof recordAuditIn>[0],
    actor: Actor,
    audit: RequestAudit,
    action: string,
    objectId: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await recordAuditIn(trx, this.clock, {
      accountId: actor.accountId,
      actor: actor.email,
      action,
      objectKind: 'account',
      objectId,
      ip: audit.ip,
      requestId: audit.requestId,
      method: audit.method,
      route: audit.route,
      detail,
    });
  }
}
