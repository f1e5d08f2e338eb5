import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.js';
import { keepSessionAlive, LOCK_MINUTES, signIn, signOut } from '../../services/auth.service.js';
import { homeOf, type RouteDefinition } from '../route-table.js';
import { parseSignInForm, safeReturnTo, signInNotice } from './sign-in.form.js';

export function signInRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const { db, clock, config } = deps;
  const secure = config.publicUrl.startsWith('https://');
  const limits = { hours: config.sessionHours, idleMinutes: config.sessionIdleMinutes };
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
          values: { email: '', returnTo },
          notice: signInNotice(query),
          demoAccounts: config.demo,
        });
      },
    },
    {
      method: 'POST',
      url: '/sign-in',
      need: 'public',
      handler: async (request, reply) => {
        const form = parseSignInForm(request.body);
        const again = (errors: { text: string; href: string }[], values: object) =>
          reply.code(400).view('sign-in/index', {
            errorList: errors,
            fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
            values,
            demoAccounts: config.demo,
            csrfToken: reply.generateCsrf(),
          });
        if (!form.ok) return again(form.errors, form.input);
        const result = await signIn(db, clock, form.email, form.password, limits);
        if (!result.ok) {
          const text =
            result.reason === 'locked'
              ? `This account is locked after too many failed attempts. Try again in ${String(LOCK_MINUTES)} minutes, or ask an administrator to unlock it`
              : 'The email address or password is not right';
          return again([{ text, href: '#email' }], { email: form.email, returnTo: form.returnTo });
        }
        reply.setCookie(
          SESSION_COOKIE,
          result.token,
          sessionCookieOptions(secure, config.sessionHours),
        );
        return reply.redirect(form.returnTo === '/' ? '/' : form.returnTo, 303);
      },
    },
    {
      method: 'POST',
      url: '/sign-out',
      need: 'public',
      handler: async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token !== undefined && token !== '') await signOut(db, token);
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
