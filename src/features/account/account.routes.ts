import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordMessage,
} from '../../domain/access/password-rules.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.js';
import { recordAudit } from '../../services/audit.service.js';
import { confirmTwoFactor, pendingTwoFactorSecret } from '../../services/auth.service.js';
import { param, viewerOf } from '../request.js';
import type { RouteDefinition } from '../route-table.js';
import { doneBanner, sessionViews } from './account.presenter.js';
import { AccountService } from './account.service.js';
import { requestAudit, secretKeyOf, sessionMeta } from './request-context.js';
import { codeProblem, twoFactorSetUpView, WRONG_CODE } from './two-factor.presenter.js';

type Problem = { text: string; href: string };

function errors(problems: Problem[]) {
  return {
    errorList: problems,
    fieldErrors: Object.fromEntries(problems.map((p) => [p.href.slice(1), p.text])),
  };
}

function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/**
 * My account: password, two-factor authentication, my sessions; and the page a one-time reset
 * link opens. Changes are recorded in the audit trail by the service, with what they did, so
 * the audit hook's own entry for these POSTs is switched off (`audit: false`).
 */
export function accountRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const { db, clock, config } = deps;
  const secure = config.publicUrl.startsWith('https://');
  const limits = { hours: config.sessionHours, idleMinutes: config.sessionIdleMinutes };
  const key = secretKeyOf(config);
  const accounts = new AccountService(db, clock, { councilName: config.councilName, limits });
  const tokenOf = (request: FastifyRequest) => request.cookies[SESSION_COOKIE] ?? '';
  const actorOf = (request: FastifyRequest) => {
    const viewer = viewerOf(request);
    return { accountId: viewer.accountId, email: viewer.email };
  };
  const page = (
    reply: FastifyReply,
    template: string,
    context: object,
    problems: Problem[],
    status?: number,
  ) => {
    if (reply.request.method !== 'GET') reply.locals.csrfToken = reply.generateCsrf();
    return reply
      .code(status ?? (problems.length > 0 ? 400 : 200))
      .header('cache-control', 'no-store')
      .view(template, { ...context, ...errors(problems) });
  };

  const passwordPage = (reply: FastifyReply, problems: Problem[] = []) =>
    page(
      reply,
      'account/password',
      {
        pageTitle: 'Change your password',
        backLink: { href: '/account', text: 'Back to your account' },
        minPasswordLength: MIN_PASSWORD_LENGTH,
      },
      problems,
    );

  const setUpPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    problems: Problem[] = [],
  ) => {
    const account = await accounts.account(viewerOf(request).accountId);
    if (account.twoFactorSecret !== null) return reply.redirect('/account', 303);
    const secret = await pendingTwoFactorSecret(db, key, account);
    return page(
      reply,
      'account/two-factor',
      {
        pageTitle: 'Set up two-factor authentication',
        backLink: { href: '/account', text: 'Back to your account' },
        setUp: await twoFactorSetUpView(secret, account.email, config.councilName),
      },
      problems,
    );
  };

  const sessionsPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    const sessions = sessionViews(
      await accounts.sessions(viewerOf(request).accountId, tokenOf(request)),
    );
    return page(
      reply,
      'account/sessions',
      {
        pageTitle: 'Your sessions',
        backLink: { href: '/account', text: 'Back to your account' },
        sessions,
        others: sessions.filter((s) => !s.current).length,
        done: doneBanner(query.done),
      },
      [],
    );
  };

  /** The reset page, or the page saying the link no longer works. */
  const resetPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    problems: Problem[] = [],
  ) => {
    const token = param(request, 'token');
    const found = await accounts.resetLinkAccount(token);
    reply.header('referrer-policy', 'no-referrer');
    if (found === null)
      return page(reply, 'account/reset-gone', { pageTitle: 'This link does not work' }, [], 404);
    return page(
      reply,
      'account/reset-password',
      {
        pageTitle: 'Choose a new password',
        email: found.account.email,
        removeTwoFactor: found.removeTwoFactor,
        action: `/reset-password/${encodeURIComponent(token)}`,
        minPasswordLength: MIN_PASSWORD_LENGTH,
      },
      problems,
    );
  };

  return [
    {
      method: 'GET',
      url: '/account',
      need: 'signedIn',
      handler: async (request, reply) => {
        const viewer = viewerOf(request);
        const account = await accounts.account(viewer.accountId);
        const query = request.query as Record<string, unknown>;
        return page(
          reply,
          'account/index',
          {
            pageTitle: 'Your account',
            email: account.email,
            name: viewer.name,
            hasPassword: account.passwordHash !== null,
            passwordChangedAt: account.passwordChangedAt,
            twoFactor: account.twoFactorSecret !== null,
            mustKeepTwoFactor: account.access === 'administrator',
            done: doneBanner(query.done),
          },
          [],
        );
      },
    },
    {
      method: 'GET',
      url: '/account/password',
      need: 'signedIn',
      handler: async (_request, reply) => passwordPage(reply),
    },
    {
      method: 'POST',
      url: '/account/password',
      need: 'signedIn',
      audit: false,
      handler: async (request, reply) => {
        const current = field(request.body, 'currentPassword');
        const next = field(request.body, 'newPassword');
        const problems: Problem[] = [];
        if (current === '')
          problems.push({ text: 'Enter your current password', href: '#currentPassword' });
        if (next === '') problems.push({ text: 'Enter a new password', href: '#newPassword' });
        else if (next.length > MAX_PASSWORD_LENGTH * 4)
          problems.push({ text: passwordMessage('too-long'), href: '#newPassword' });
        if (problems.length > 0) return passwordPage(reply, problems);
        const result = await accounts.changePassword(viewerOf(request).accountId, current, next, {
          ...requestAudit(request),
          meta: sessionMeta(request),
        });
        if (!result.ok) {
          if (result.field === 'locked') {
            reply.clearCookie(SESSION_COOKIE, { path: '/' });
            return reply.redirect('/signed-out', 303);
          }
          return passwordPage(reply, [{ text: result.problem, href: `#${result.field}` }]);
        }
        reply.setCookie(
          SESSION_COOKIE,
          result.token,
          sessionCookieOptions(secure, config.sessionHours),
        );
        return reply.redirect('/account?done=password', 303);
      },
    },
    {
      method: 'GET',
      url: '/account/two-factor',
      need: 'signedIn',
      handler: async (request, reply) => setUpPage(request, reply),
    },
    {
      method: 'POST',
      url: '/account/two-factor',
      need: 'signedIn',
      audit: false,
      handler: async (request, reply) => {
        const code = field(request.body, 'code');
        const problem = codeProblem(code);
        if (problem !== null) return setUpPage(request, reply, [{ text: problem, href: '#code' }]);
        const viewer = viewerOf(request);
        if (!(await confirmTwoFactor(db, clock, key, viewer.accountId, code)))
          return setUpPage(request, reply, [{ text: WRONG_CODE, href: '#code' }]);
        await recordAudit(db, clock, {
          accountId: viewer.accountId,
          actor: viewer.email,
          action: 'two-factor-enabled',
          objectKind: 'account',
          objectId: viewer.accountId,
          ...requestAudit(request),
          detail: { by: 'self' },
        });
        return reply.redirect('/account?done=two-factor-on', 303);
      },
    },
    {
      method: 'GET',
      url: '/account/two-factor/turn-off',
      need: 'signedIn',
      handler: async (request, reply) => {
        const account = await accounts.account(viewerOf(request).accountId);
        if (account.twoFactorSecret === null) return reply.redirect('/account', 303);
        return page(
          reply,
          'account/two-factor-off',
          {
            pageTitle: 'Turn off two-factor authentication',
            backLink: { href: '/account', text: 'Back to your account' },
            mustKeep: account.access === 'administrator',
          },
          [],
        );
      },
    },
    {
      method: 'POST',
      url: '/account/two-factor/turn-off',
      need: 'signedIn',
      audit: false,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const result = await accounts.removeTwoFactor(
          actor,
          actor.accountId,
          requestAudit(request),
          tokenOf(request),
        );
        if (!result.ok)
          return page(
            reply,
            'account/two-factor-off',
            {
              pageTitle: 'Turn off two-factor authentication',
              backLink: { href: '/account', text: 'Back to your account' },
              mustKeep: true,
            },
            [{ text: result.problem, href: '#turn-off' }],
          );
        return reply.redirect('/account?done=two-factor-off', 303);
      },
    },
    {
      method: 'GET',
      url: '/account/sessions',
      need: 'signedIn',
      handler: sessionsPage,
    },
    {
      method: 'POST',
      url: '/account/sessions/:handle/sign-out',
      need: 'signedIn',
      audit: false,
      handler: async (request, reply) => {
        const ended = await accounts.endSession(
          actorOf(request),
          param(request, 'handle'),
          requestAudit(request),
        );
        // Their own session, from the list: signing it out is signing out.
        if (
          ended &&
          (await accounts.sessions(actorOf(request).accountId, tokenOf(request))).every(
            (s) => !s.current,
          )
        ) {
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
          return reply.redirect('/signed-out', 303);
        }
        return reply.redirect(`/account/sessions${ended ? '?done=signed-out-one' : ''}`, 303);
      },
    },
    {
      method: 'POST',
      url: '/account/sessions/sign-out-others',
      need: 'signedIn',
      audit: false,
      handler: async (request, reply) => {
        await accounts.endSessions(actorOf(request), tokenOf(request), requestAudit(request));
        return reply.redirect('/account/sessions?done=signed-out-others', 303);
      },
    },
    {
      method: 'POST',
      url: '/account/sessions/sign-out-everywhere',
      need: 'signedIn',
      audit: false,
      handler: async (request, reply) => {
        await accounts.endSessions(actorOf(request), null, requestAudit(request));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/signed-out', 303);
      },
    },
    {
      method: 'GET',
      url: '/reset-password/:token',
      need: 'public',
      // The token is in the address: the entry that matters is the reset itself (below).
      audit: false,
      handler: async (request, reply) => resetPage(request, reply),
    },
    {
      method: 'POST',
      url: '/reset-password/:token',
      need: 'public',
      // Recorded by the service as 'password-reset', 'sessions-ended' (and 'two-factor-removed').
      audit: false,
      handler: async (request, reply) => {
        const password = field(request.body, 'password');
        if (password === '')
          return resetPage(request, reply, [{ text: 'Enter a new password', href: '#password' }]);
        const result = await accounts.resetPassword(
          param(request, 'token'),
          password,
          requestAudit(request),
        );
        if (!result.ok && 'field' in result)
          return resetPage(request, reply, [{ text: result.problem, href: '#password' }]);
        if (!result.ok) return resetPage(request, reply);
        // Whoever was signed in in this browser is signed out: the new password signs in.
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/sign-in?passwordReset=1', 303);
      },
    },
  ];
}
