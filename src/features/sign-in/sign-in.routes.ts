import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../plugins/auth.js';
import { LOCK_MINUTES, signIn, signOut } from '../../services/auth.service.js';
import { homeOf, type RouteDefinition } from '../route-table.js';
import { parseSignInForm, safeReturnTo } from './sign-in.form.js';

export function signInRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const { db, clock, config } = deps;
  const secure = config.publicUrl.startsWith('https://');
  return [
    {
      method: 'GET',
      url: '/sign-in',
      need: 'public',
      handler: async (request, reply) => {
        if (request.viewer !== null) return reply.redirect(homeOf(request.viewer));
        const query = request.query as { returnTo?: string };
        return reply.view('sign-in/index', {
          values: { email: '', returnTo: safeReturnTo(query.returnTo) },
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
        const result = await signIn(db, clock, form.email, form.password, config.sessionHours);
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
      method: 'GET',
      url: '/signed-out',
      need: 'public',
      handler: async (_request, reply) => reply.view('sign-in/signed-out'),
    },
  ];
}
