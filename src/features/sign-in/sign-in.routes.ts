import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { DEMO_ACCOUNT_EMAILS } from '../../demo/demo-organisation.js';
import { demoAdminCode } from '../../demo/demo-two-factor.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.js';
import { recordAudit } from '../../services/audit.service.js';
import {
  CHALLENGE_MINUTES,
  completeSignInWithCode,
  completeSignInWithEnrolment,
  findLiveChallenge,
  keepSessionAlive,
  LOCK_MINUTES,
  pendingTwoFactorSecret,
  signIn,
  signOut,
  type SecondStepResult,
} from '../../services/auth.service.js';
import { requestAudit, secretKeyOf, sessionMeta } from '../account/request-context.js';
import { codeProblem, twoFactorSetUpView, WRONG_CODE } from '../account/two-factor.presenter.js';
import { homeOf, type RouteDefinition } from '../route-table.js';
import { parseSignInForm, safeReturnTo, signInNotice } from './sign-in.form.js';

/**
 * The browser's side of the step between a password and its code: a random token whose SHA-256
 * names a sign_in_challenges row. It grants nothing but the right to give a code for five
 * minutes, in this browser, and only on the sign-in pages.
 */
export const CHALLENGE_COOKIE = 'oversight_sign_in';

const LOCKED_MESSAGE = `This account is locked after too many failed attempts. Try again in ${String(LOCK_MINUTES)} minutes, or ask an administrator to unlock it`;

type Problem = { text: string; href: string };

export function signInRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const { db, clock, config } = deps;
  const secure = config.publicUrl.startsWith('https://');
  const limits = { hours: config.sessionHours, idleMinutes: config.sessionIdleMinutes };
  const key = secretKeyOf(config);
  const challengeCookie = {
    path: '/sign-in',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    maxAge: CHALLENGE_MINUTES * 60,
  };

  /** What the sign-in page always shows: the single sign-on button, the demo's accounts. */
  const signInPage = (returnTo: string) => ({
    localAccounts: config.localAccounts,
    singleSignOn:
      config.singleSignOn === null
        ? null
        : {
            label: config.singleSignOn.label,
            href: `/sign-in/sso?${new URLSearchParams({ returnTo }).toString()}`,
          },
    demoAccounts: config.demo,
    demoCode: config.demo ? demoAdminCode(clock.now()) : null,
  });

  const challengeOf = async (request: FastifyRequest) => {
    const token = request.cookies[CHALLENGE_COOKIE];
    if (token === undefined || token === '') return null;
    const live = await findLiveChallenge(db, clock, token);
    return live === null ? null : { token, ...live };
  };

  const audit = (
    request: FastifyRequest,
    entry: { accountId: string | null; actor: string; action: string; detail?: object },
  ) =>
    recordAudit(db, clock, {
      ...entry,
      detail: { ...(entry.detail ?? {}) },
      ...requestAudit(request),
      objectKind: 'account',
      objectId: entry.accountId,
    });

  /** The page for a code, or for setting two-factor up, with the form's problems if any. */
  const secondStepPage = async (
    reply: FastifyReply,
    live: NonNullable<Awaited<ReturnType<typeof challengeOf>>>,
    errors: Problem[] = [],
  ) => {
    reply.header('cache-control', 'no-store');
    if (reply.request.method !== 'GET') reply.locals.csrfToken = reply.generateCsrf();
    const common = {
      errorList: errors,
      fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
      demoCode:
        config.demo && live.account.email === DEMO_ACCOUNT_EMAILS.admin
          ? demoAdminCode(clock.now())
          : null,
    };
    const status = errors.length > 0 ? 400 : 200;
    if (live.challenge.purpose === 'code')
      return reply.code(status).view('sign-in/two-factor', common);
    const secret = await pendingTwoFactorSecret(db, key, live.account);
    return reply.code(status).view('sign-in/two-factor-set-up', {
      ...common,
      setUp: await twoFactorSetUpView(secret, live.account.email, config.councilName),
    });
  };

  /** After a code (or a first code when setting up): a session, or the page again. */
  const afterSecondStep = async (
    request: FastifyRequest,
    reply: FastifyReply,
    live: NonNullable<Awaited<ReturnType<typeof challengeOf>>>,
    result: SecondStepResult,
  ) => {
    if (result.ok) {
      if (live.challenge.purpose === 'enrol')
        await audit(request, {
          accountId: result.accountId,
          actor: result.email,
          action: 'two-factor-enabled',
          detail: { by: 'self', atSignIn: true },
        });
      await audit(request, {
        accountId: result.accountId,
        actor: result.email,
        action: 'sign-in',
        detail: { method: 'password', twoFactor: true },
      });
      reply.clearCookie(CHALLENGE_COOKIE, { path: '/sign-in' });
      reply.setCookie(
        SESSION_COOKIE,
        result.token,
        sessionCookieOptions(secure, config.sessionHours),
      );
      return reply.redirect(result.returnTo, 303);
    }
    await audit(request, {
      accountId: live.account.id,
      actor: live.account.email,
      action: 'sign-in-failed',
      detail: { reason: result.reason === 'locked' ? 'locked' : 'two-factor' },
    });
    if (result.reason === 'wrong')
      return secondStepPage(reply, live, [{ text: WRONG_CODE, href: '#code' }]);
    reply.clearCookie(CHALLENGE_COOKIE, { path: '/sign-in' });
    if (result.reason === 'locked')
      return reply.code(400).view('sign-in/index', {
        ...signInPage(live.challenge.returnTo),
        errorList: [{ text: LOCKED_MESSAGE, href: '#email' }],
        fieldErrors: {},
        values: { email: live.account.email, returnTo: live.challenge.returnTo },
        csrfToken: reply.generateCsrf(),
      });
    return reply.redirect(signInAgain(live.challenge.returnTo), 303);
  };

  const signInAgain = (returnTo: string) =>
    `/sign-in?${new URLSearchParams({ returnTo, expired: '1' }).toString()}`;

  /** GET and POST for one of the second steps (a code, or setting two-factor up). */
  const secondStep = (
    url: string,
    purpose: 'code' | 'enrol',
    complete: typeof completeSignInWithCode,
  ): RouteDefinition[] => [
    {
      method: 'GET',
      url,
      need: 'public',
      handler: async (request, reply) => {
        const live = await challengeOf(request);
        if (live?.challenge.purpose !== purpose) return reply.redirect('/sign-in', 303);
        return secondStepPage(reply, live);
      },
    },
    {
      method: 'POST',
      url,
      need: 'public',
      // Recorded here, as 'sign-in' or 'sign-in-failed', with what happened.
      audit: false,
      handler: async (request, reply) => {
        const live = await challengeOf(request);
        if (live?.challenge.purpose !== purpose)
          return reply.redirect(signInAgain(live?.challenge.returnTo ?? '/'), 303);
        const code = (request.body as Record<string, unknown> | undefined)?.code;
        const problem = codeProblem(code);
        if (problem !== null)
          return secondStepPage(reply, live, [{ text: problem, href: '#code' }]);
        const result = await complete(
          db,
          clock,
          key,
          live.token,
          String(code),
          limits,
          sessionMeta(request),
        );
        return afterSecondStep(request, reply, live, result);
      },
    },
  ];

  return [
    {
      method: 'GET',
      url: '/sign-in',
      need: 'public',
      handler: async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const returnTo = safeReturnTo(query.returnTo);
        // Already signed in (in another tab, say): straight on to where they were going.
        if (request.viewer !== null)
          return reply.redirect(returnTo === '/' ? homeOf(request.viewer) : returnTo);
        return reply.header('cache-control', 'no-store').view('sign-in/index', {
          ...signInPage(returnTo),
          values: { email: '', returnTo },
          notice: signInNotice(query),
        });
      },
    },
    {
      method: 'POST',
      url: '/sign-in',
      need: 'public',
      // Recorded here, as 'sign-in' or 'sign-in-failed', with the reason.
      audit: false,
      handler: async (request, reply) => {
        // With single sign-on alone there is no password to check.
        if (!config.localAccounts) return reply.code(404).view('errors/404');
        const form = parseSignInForm(request.body);
        const again = (errors: Problem[], values: { email: string; returnTo: string }) =>
          reply.code(400).view('sign-in/index', {
            ...signInPage(values.returnTo),
            errorList: errors,
            fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
            values,
            csrfToken: reply.generateCsrf(),
          });
        if (!form.ok) return again(form.errors, form.input);
        const result = await signIn(db, clock, form.email, form.password, limits, {
          returnTo: form.returnTo,
          meta: sessionMeta(request),
        });
        if (!result.ok) {
          await audit(request, {
            accountId: result.accountId,
            actor: form.email.toLowerCase(),
            action: 'sign-in-failed',
            detail: { reason: result.reason },
          });
          const text =
            result.reason === 'locked'
              ? LOCKED_MESSAGE
              : 'The email address or password is not right';
          return again([{ text, href: '#email' }], { email: form.email, returnTo: form.returnTo });
        }
        if (result.next !== 'session') {
          reply.setCookie(CHALLENGE_COOKIE, result.challenge, challengeCookie);
          return reply.redirect(
            result.next === 'code' ? '/sign-in/two-factor' : '/sign-in/two-factor/set-up',
            303,
          );
        }
        await audit(request, {
          accountId: result.accountId,
          actor: form.email.toLowerCase(),
          action: 'sign-in',
          detail: { method: 'password', twoFactor: false },
        });
        reply.setCookie(
          SESSION_COOKIE,
          result.token,
          sessionCookieOptions(secure, config.sessionHours),
        );
        return reply.redirect(form.returnTo === '/' ? '/' : form.returnTo, 303);
      },
    },
    ...secondStep('/sign-in/two-factor', 'code', completeSignInWithCode),
    ...secondStep('/sign-in/two-factor/set-up', 'enrol', completeSignInWithEnrolment),
    {
      method: 'POST',
      url: '/sign-out',
      need: 'public',
      // Recorded here as 'sign-out', for the account whose session it was.
      audit: false,
      handler: async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token !== undefined && token !== '') {
          const found = request.viewer ?? null;
          await signOut(db, token);
          if (found !== null)
            await audit(request, {
              accountId: found.accountId,
              actor: found.email,
              action: 'sign-out',
            });
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/signed-out', 303);
      },
    },
    {
      // "Stay signed in" in the timeout warning: the session's idle clock starts again. No
      // content, so that without the script the browser stays on the page it is on.
      method: 'POST',
      url: '/session/keep-alive',
      need: 'signedIn',
      // Not something anyone did: the timeout warning's "Stay signed in".
      audit: false,
      handler: async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE] ?? '';
        const endsAt = await keepSessionAlive(db, clock, token, config.sessionIdleMinutes);
        reply.header('cache-control', 'no-store');
        if (endsAt === null) return reply.code(401).send({ signedOut: true });
        request.sessionEndsAt = endsAt;
        return reply.code(204).send();
      },
    },
    {
      method: 'GET',
      url: '/signed-out',
      need: 'public',
      handler: async (_request, reply) => reply.view('sign-in/signed-out'),
    },
  ];
}
