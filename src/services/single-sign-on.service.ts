import { createHash, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/database.js';
import {
  createAccount,
  findAccount,
  findAccountByEmail,
  normaliseEmail,
  type AccountRow,
} from '../db/accounts.repository.js';
import {
  accountOfSubject,
  deleteExpiredSignInRequests,
  peopleWithEmail,
  personEnd,
  rememberSubject,
  saveSignInRequest,
  subjectOfAccount,
  takeSignInRequest,
  touchSubject,
} from '../db/single-sign-on.repository.js';
import { recordAudit, recordAuditIn } from './audit.service.js';
import { startSession, type SessionLimits, type SessionMeta } from './auth.service.js';

/**
 * Single sign-on with OpenID Connect (docs/single-sign-on.md): the authorisation code flow with
 * PKCE (S256), a state bound to the browser and a nonce bound to the ID token. openid-client
 * checks the response's state and issuer, the ID token's signature, issuer, audience, expiry and
 * nonce, and sends the PKCE verifier; this module decides who the person is in Oversight.
 *
 * People are matched by email, without regard to case: an account with that email, else a
 * person in the structure who has not left (for whom an account is made). The issuer's subject
 * is remembered against the account the first time, and later sign-ins for that account must
 * come with the same subject.
 */

/** How long someone has at the identity provider before the sign-in must start again. */
export const SIGN_IN_REQUEST_MINUTES = 10;
/** The claims asked for: the subject, the email, the name. */
export const SCOPE = 'openid email profile';
/** Discovery gives up after this long; the page says the council's sign-in could not be reached. */
const DISCOVERY_TIMEOUT_SECONDS = 10;

export interface SingleSignOnSettings {
  issuer: string;
  clientId: string;
  /** Null for a public client: PKCE alone proves the code is ours. */
  clientSecret: string | null;
  /** `<PUBLIC_URL>/sign-in/sso/callback`, as registered at the identity provider. */
  redirectUri: string;
  /** An http:// issuer: only outside production (the tests' own issuer). */
  allowHttp: boolean;
}

/** The identity provider could not be reached, or its discovery document was not usable. */
export class IssuerUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the identity provider could not be reached', { cause });
    this.name = 'IssuerUnavailableError';
  }
}

/**
 * The client's configuration at one issuer, discovered once and kept for the life of the
 * process. A failed discovery is not kept: the next sign-in tries again.
 */
export class SingleSignOnClient {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(readonly settings: SingleSignOnSettings) {}

  configuration(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw new IssuerUnavailableError(error);
    });
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, allowHttp } = this.settings;
    const insecure = allowHttp && new URL(issuer).protocol === 'http:';
    const found = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      // Marked deprecated only to stand out: plain http, for the tests' issuer outside production.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    const server = found.serverMetadata();
    // With a secret: HTTP Basic, the token endpoint's default, unless the issuer says it takes
    // only the secret in the form. Without one: a public client.
    const methods = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth =
      clientSecret === null
        ? oidc.None()
        : methods.includes('client_secret_basic')
          ? oidc.ClientSecretBasic(clientSecret)
          : oidc.ClientSecretPost(clientSecret);
    const configuration = new oidc.Configuration(
      server,
      clientId,
      clientSecret === null ? undefined : { client_secret: clientSecret },
      auth,
    );
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    if (insecure) oidc.allowInsecureRequests(configuration);
    return configuration;
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(a), 'hex'), Buffer.from(sha256(b), 'hex'));
}

/**
 * Starts a sign-in: a fresh state, nonce and PKCE verifier, kept (the state as its hash) for ten
 * minutes. Returns the state, for the browser's cookie, and the identity provider's address to
 * send the browser to. Throws IssuerUnavailableError.
 */
export async function beginSingleSignOn(
  db: Queryable,
  clock: Clock,
  client: SingleSignOnClient,
  returnTo: string,
): Promise<{ state: string; authorizationUrl: string }> {
  const configuration = await client.configuration();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const now = clock.now();
  await deleteExpiredSignInRequests(db, now.toISOString());
  await saveSignInRequest(db, {
    id: sha256(state),
    nonce,
    codeVerifier,
    returnTo,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SIGN_IN_REQUEST_MINUTES * 60_000).toISOString(),
  });
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: client.settings.redirectUri,
    scope: SCOPE,
    response_type: 'code',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { state, authorizationUrl: url.href };
}

/** Why a single sign-on did not sign someone in (also the audit entry's reason). */
export type SingleSignOnRefusal =
  /** The callback's state is missing, or is not the one this browser started with. */
  | 'state-mismatch'
  /** The sign-in is unknown, was already finished (a replayed callback), or took too long. */
  | 'request-unknown'
  /** The identity provider answered with an error (the person cancelled, say). */
  | 'issuer-error'
  /** The code exchange or the ID token failed openid-client's checks. */
  | 'token-failed'
  /** The identity provider could not be reached. */
  | 'issuer-unavailable'
  /** No email in the claims (email, preferred_username or upn). */
  | 'no-email'
  /** The identity provider says the email has not been verified. */
  | 'email-not-verified'
  /** No account and no current person with the email. */
  | 'unknown-email'
  /** More than one current person in the structure has the email. */
  | 'ambiguous-email'
  | 'account-disabled'
  /** The person has left (their end date is past). */
  | 'left'
  /** The account was first used with another subject, or this subject with another account. */
  | 'subject-mismatch';

export type SingleSignOnResult =
  | { ok: true; token: string; accountId: string; email: string; returnTo: string }
  | {
      ok: false;
      reason: SingleSignOnRefusal;
      /** The email the identity provider gave, when it got that far. */
      email: string | null;
      /** The identity provider's error code, for 'issuer-error'. */
      issuerError?: string;
      returnTo: string;
    };

/** What the audit trail keeps of the request. */
export interface AuditContext {
  ip: string | null;
  requestId: string | null;
  method: string;
  route: string | null;
}

/** An email-shaped value (preferred_username and upn are usually, not always, email addresses). */
function emailLike(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return null;
  return normaliseEmail(trimmed);
}

/**
 * The email to match: the `email` claim, from the ID token or else from the userinfo endpoint;
 * failing that, `preferred_username` or `upn` when they are email addresses (Microsoft Entra ID
 * sends the user principal name there, and `email` only when the optional claim is set up).
 */
export function emailOfClaims(claims: Record<string, unknown>): {
  email: string | null;
  verified: boolean | null;
} {
  const email = emailLike(claims.email);
  if (email !== null)
    return {
      email,
      verified: typeof claims.email_verified === 'boolean' ? claims.email_verified : null,
    };
  return { email: emailLike(claims.preferred_username) ?? emailLike(claims.upn), verified: null };
}

/** The identity provider's error code, kept only if it looks like one (it goes in the audit). */
function issuerErrorCode(value: string | null): string {
  return value !== null && /^[a-z_]{1,60}$/.test(value) ? value : 'unrecognised';
}

/** What an exception from openid-client is called, for the audit trail (never its message). */
function failureCode(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError) return issuerErrorCode(error.error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z_]{1,80}$/.test(code) ? code : 'unrecognised';
}

type Matched =
  | { ok: true; account: AccountRow; created: boolean; firstUse: boolean }
  | { ok: false; reason: SingleSignOnRefusal; accountId: string | null };

/**
 * Who the person is in Oversight, given the subject and email the identity provider vouched for.
 * Makes the account of a person who has none, and remembers the subject, inside `trx`.
 */
async function matchPerson(
  trx: Queryable,
  clock: Clock,
  identity: { issuer: string; subject: string; email: string },
  context: AuditContext,
): Promise<Matched> {
  const { issuer, subject, email } = identity;
  const today = clock.today();
  const now = clock.now().toISOString();
  const hasLeft = (end: string | null) => end !== null && end < today;
  const subjectsAccount = await accountOfSubject(trx, issuer, subject);

  let account = await findAccountByEmail(trx, email);
  let created = false;
  if (account === undefined) {
    const people = await peopleWithEmail(trx, email);
    const current = people.filter((p) => !hasLeft(p.end));
    if (current.length === 0)
      return {
        ok: false,
        reason: people.length > 0 ? 'left' : 'unknown-email',
        accountId: people[0]?.accountId ?? null,
      };
    if (current.length > 1) return { ok: false, reason: 'ambiguous-email', accountId: null };
    const person = current[0];
    if (person === undefined) return { ok: false, reason: 'unknown-email', accountId: null };
    if (person.accountId !== null) {
      account = await findAccount(trx, person.accountId);
    } else {
      // A subject already remembered against another account cannot start a new one.
      if (subjectsAccount !== undefined)
        return { ok: false, reason: 'subject-mismatch', accountId: subjectsAccount };
      const id = await createAccount(
        trx,
        { email, passwordHash: null, personId: person.personId, access: 'staff' },
        now,
      );
      await recordAuditIn(trx, clock, {
        ...context,
        accountId: id,
        actor: email,
        action: 'account-created',
        objectKind: 'account',
        objectId: id,
        detail: { by: 'single-sign-on', access: 'staff', personId: person.personId },
      });
      account = await findAccount(trx, id);
      created = true;
    }
    if (account === undefined) return { ok: false, reason: 'unknown-email', accountId: null };
  }

  if (account.disabled) return { ok: false, reason: 'account-disabled', accountId: account.id };
  if (account.personId !== null) {
    const end = await personEnd(trx, account.personId);
    if (end !== undefined && hasLeft(end))
      return { ok: false, reason: 'left', accountId: account.id };
  }
  const remembered = await subjectOfAccount(trx, issuer, account.id);
  if (remembered !== undefined && remembered !== subject)
    return { ok: false, reason: 'subject-mismatch', accountId: account.id };
  if (remembered === undefined && subjectsAccount !== undefined)
    return { ok: false, reason: 'subject-mismatch', accountId: account.id };
  if (remembered === undefined) {
    await rememberSubject(trx, { issuer, subject, accountId: account.id }, now);
    return { ok: true, account, created, firstUse: true };
  }
  await touchSubject(trx, issuer, subject, now);
  return { ok: true, account, created, firstUse: false };
}

/**
 * Finishes a sign-in at the callback: checks the state against the browser's, takes the
 * request (so the callback works once), exchanges the code with the PKCE verifier, has the ID
 * token checked, reads the email, matches the person and starts a session. Every outcome is
 * written to the audit trail: 'sign-in' or 'sign-in-failed' with the reason.
 */
export async function finishSingleSignOn(
  db: Db,
  clock: Clock,
  client: SingleSignOnClient,
  input: { callbackUrl: URL; browserState: string | null },
  limits: SessionLimits,
  context: { audit: AuditContext; meta: SessionMeta },
): Promise<SingleSignOnResult> {
  const { issuer } = client.settings;
  const params = input.callbackUrl.searchParams;
  const refuse = async (
    reason: SingleSignOnRefusal,
    who: { email: string | null; accountId: string | null },
    returnTo: string,
    extra: Record<string, unknown> = {},
  ): Promise<SingleSignOnResult> => {
    await recordAudit(db, clock, {
      ...context.audit,
      accountId: who.accountId,
      actor: who.email ?? 'unidentified (single sign-on)',
      action: 'sign-in-failed',
      objectKind: who.accountId === null ? null : 'account',
      objectId: who.accountId,
      detail: { method: 'sso', reason, issuer, ...extra },
    });
    return {
      ok: false,
      reason,
      email: who.email,
      returnTo,
      ...(typeof extra.issuerError === 'string' ? { issuerError: extra.issuerError } : {}),
    };
  };
  const nobody = { email: null, accountId: null };

  const state = params.get('state');
  if (state === null || input.browserState === null || !sameSecret(state, input.browserState))
    return refuse('state-mismatch', nobody, '/');
  const request = await takeSignInRequest(db, sha256(state), clock.now().toISOString());
  if (request === undefined) return refuse('request-unknown', nobody, '/');
  const { returnTo } = request;
  if (params.has('error'))
    return refuse('issuer-error', nobody, returnTo, {
      issuerError: issuerErrorCode(params.get('error')),
    });

  let configuration: oidc.Configuration;
  try {
    configuration = await client.configuration();
  } catch {
    return refuse('issuer-unavailable', nobody, returnTo);
  }
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration, input.callbackUrl, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (idToken === undefined) return await refuse('token-failed', nobody, returnTo);
    claims = { ...idToken };
    // Many identity providers put the email in the ID token only when asked; the userinfo
    // endpoint has it (and openid-client checks that it is about the same subject).
    if (
      emailOfClaims(claims).email === null &&
      configuration.serverMetadata().userinfo_endpoint !== undefined
    ) {
      const userInfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      claims = { ...userInfo, ...claims, email: userInfo.email ?? claims.email };
      if (userInfo.email_verified !== undefined) claims.email_verified = userInfo.email_verified;
    }
  } catch (error) {
    return refuse('token-failed', nobody, returnTo, { code: failureCode(error) });
  }

  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const { email, verified } = emailOfClaims(claims);
  if (subject === '' || email === null) return refuse('no-email', nobody, returnTo);
  if (verified === false) return refuse('email-not-verified', { email, accountId: null }, returnTo);

  const matched = await db
    .transaction()
    .execute((trx) => matchPerson(trx, clock, { issuer, subject, email }, context.audit));
  if (!matched.ok) return refuse(matched.reason, { email, accountId: matched.accountId }, returnTo);

  const token = await startSession(db, clock, matched.account.id, limits, context.meta);
  await recordAudit(db, clock, {
    ...context.audit,
    accountId: matched.account.id,
    actor: matched.account.email,
    action: 'sign-in',
    objectKind: 'account',
    objectId: matched.account.id,
    detail: {
      method: 'sso',
      issuer,
      firstUse: matched.firstUse,
      accountCreated: matched.created,
      // How the identity provider says it checked who they are (RFC 8176), when it says.
      ...(Array.isArray(claims.amr)
        ? { amr: claims.amr.filter((v) => typeof v === 'string') }
        : {}),
      ...(typeof claims.acr === 'string' ? { acr: claims.acr } : {}),
    },
  });
  return { ok: true, token, accountId: matched.account.id, email: matched.account.email, returnTo };
}
