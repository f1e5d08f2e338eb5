import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.js';
import { signOut } from '../../services/auth.service.js';
import {
  beginSingleSignOn,
  finishSingleSignOn,
  IssuerUnavailableError,
  SIGN_IN_REQUEST_MINUTES,
  SingleSignOnClient,
  type SingleSignOnRefusal,
} from '../../services/single-sign-on.service.js';
import { requestAudit, sessionMeta } from '../account/request-context.js';
import type { RouteDefinition } from '../route-table.js';
import { safeReturnTo } from './sign-in.form.js';

/**
 * The browser's half of a sign-in under way: the `state` sent to the identity provider, in a
 * signed cookie that only these two addresses see. The callback must bring back the same state
 * (so a sign-in started in someone else's browser cannot finish in this one), and the server's
 * half (nonce, PKCE verifier) is found by it.
 */
export const SINGLE_SIGN_ON_COOKIE = 'oversight_sso';
export const CALLBACK_PATH = '/sign-in/sso/callback';

/** Refusals about who the person is: the identity provider signed them in, Oversight will not. */
const WHO_REFUSALS: ReadonlySet<SingleSignOnRefusal> = new Set([
  'no-email',
  'email-not-verified',
  'unknown-email',
  'ambiguous-email',
  'account-disabled',
  'left',
  'subject-mismatch',
]);

/** Single sign-on with OpenID Connect (docs/single-sign-on.md). */
export function singleSignOnRoutes(deps: {
  db: Db;
  clock: Clock;
  config: Config;
}): RouteDefinition[] {
  const { db, clock, config } = deps;
  const secure = config.publicUrl.startsWith('https://');
  const limits = { hours: config.sessionHours, idleMinutes: config.sessionIdleMinutes };
  const settings = config.singleSignOn;
  // One per app (so per process): discovery is done once, at the first sign-in.
  const client =
    settings === null
      ? null
      : new SingleSignOnClient({
          issuer: settings.issuer,
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          redirectUri: new URL(
            CALLBACK_PATH.slice(1),
            config.publicUrl.endsWith('/') ? config.publicUrl : `${config.publicUrl}/`,
          ).href,
          allowHttp: config.mode !== 'production',
        });
  const stateCookie = {
    path: '/sign-in/sso',
    httpOnly: true,
    // Lax: the identity provider sends the browser back with a top-level GET, which Lax allows.
    sameSite: 'lax' as const,
    secure,
    signed: true,
    maxAge: SIGN_IN_REQUEST_MINUTES * 60,
  };

  const problem = (
    reply: FastifyReply,
    status: number,
    kind: 'expired' | 'cancelled' | 'failed' | 'unavailable',
    returnTo: string,
  ) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .view('sign-in/sso-problem', { kind, again: signInAgain(returnTo) });

  const signInAgain = (returnTo: string) =>
    returnTo === '/' ? '/sign-in' : `/sign-in?${new URLSearchParams({ returnTo }).toString()}`;

  const browserState = (request: FastifyRequest): string | null => {
    const raw = request.cookies[SINGLE_SIGN_ON_COOKIE];
    if (raw === undefined || raw === '') return null;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid ? unsigned.value : null;
  };

  return [
    {
      method: 'GET',
      url: '/sign-in/sso',
      need: 'public',
      // Nothing is decided here; the callback records 'sign-in' or 'sign-in-failed'.
      audit: false,
      handler: async (request, reply) => {
        if (client === null) return reply.code(404).view('errors/404');
        const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
        try {
          const started = await beginSingleSignOn(db, clock, client, returnTo);
          reply.setCookie(SINGLE_SIGN_ON_COOKIE, started.state, stateCookie);
          return await reply
            .header('cache-control', 'no-store')
            .redirect(started.authorizationUrl, 303);
        } catch (error) {
          if (!(error instanceof IssuerUnavailableError)) throw error;
          request.log.warn(
            { err: { type: error.name } },
            'single sign-on: the identity provider could not be reached',
          );
          return problem(reply, 503, 'unavailable', returnTo);
        }
      },
    },
    {
      method: 'GET',
      url: CALLBACK_PATH,
      need: 'public',
      // Recorded by the service as 'sign-in' or 'sign-in-failed', with the reason.
      audit: false,
      handler: async (request, reply) => {
        if (client === null) return reply.code(404).view('errors/404');
        const state = browserState(request);
        reply.clearCookie(SINGLE_SIGN_ON_COOKIE, { path: stateCookie.path });
        // The address the identity provider sent the browser to: the registered redirect URI
        // with the response's parameters (openid-client reads both).
        const callbackUrl = new URL(client.settings.redirectUri);
        callbackUrl.search = new URL(request.url, 'http://localhost').search;
        const result = await finishSingleSignOn(
          db,
          clock,
          client,
          { callbackUrl, browserState: state },
          limits,
          { audit: requestAudit(request), meta: sessionMeta(request) },
        );
        if (result.ok) {
          // Whoever was signed in in this browser before is signed out: one person per browser.
          const previous = request.cookies[SESSION_COOKIE];
          if (previous !== undefined && previous !== '') await signOut(db, previous);
          reply.setCookie(
            SESSION_COOKIE,
            result.token,
            sessionCookieOptions(secure, config.sessionHours),
          );
          return reply.redirect(result.returnTo, 303);
        }
        if (WHO_REFUSALS.has(result.reason))
          return reply
            .code(403)
            .header('cache-control', 'no-store')
            .view('sign-in/sso-refused', {
              reason: result.reason,
              email: result.email,
              again: signInAgain(result.returnTo),
            });
        switch (result.reason) {
          case 'issuer-error':
            return problem(
              reply,
              result.issuerError === 'access_denied' ? 403 : 400,
              result.issuerError === 'access_denied' ? 'cancelled' : 'failed',
              result.returnTo,
            );
          case 'issuer-unavailable':
            return problem(reply, 503, 'unavailable', result.returnTo);
          case 'token-failed':
            return problem(reply, 400, 'failed', result.returnTo);
          default:
            return problem(reply, 400, 'expired', result.returnTo);
        }
      },
    },
  ];
}
