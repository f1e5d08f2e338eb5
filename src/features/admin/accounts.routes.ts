import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AccountService } from '../account/account.service.js';
import { requestAudit } from '../account/request-context.js';
import { displayName } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import { MIN_PASSWORD_LENGTH, parseAccountForm } from './account.form.js';
import { AccountsService } from './accounts.service.js';
import { ACCESS_LABELS, instantText, selectItems } from './admin.presenter.js';
import type { Problem } from './form-fields.js';
import { param, path, seeOther, show, viewerOf, type Failure } from './render.js';

/** Accounts: the list with unlock, disable and enable, and a form to create one. */
export function accountsRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const accounts = new AccountsService(deps.db, deps.clock);
  const security = new AccountService(deps.db, deps.clock, {
    councilName: deps.config.councilName,
    limits: { hours: deps.config.sessionHours, idleMinutes: deps.config.sessionIdleMinutes },
  });
  const actorOf = (request: FastifyRequest) => {
    const viewer = viewerOf(request);
    return { accountId: viewer.accountId, email: viewer.email };
  };

  /** One account: its status, and the reset link and two-factor actions. */
  const accountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { resetLink?: { href: string; expires: string } } = {},
    failure?: Failure,
  ) => {
    const account = await security.account(param(request, 'id'));
    const now = deps.clock.now().toISOString();
    reply.header('cache-control', 'no-store');
    return show(
      reply,
      'admin/account-details',
      {
        pageTitle: account.email,
        backLink: { href: '/admin/accounts', text: 'Back to accounts' },
        account: {
          id: account.id,
          email: account.email,
          access: ACCESS_LABELS[account.access] ?? account.access,
          disabled: account.disabled,
          locked: account.lockedUntil !== null && account.lockedUntil > now,
          lastSignIn: instantText(account.lastSignInAt),
          twoFactor: account.twoFactorSecret !== null,
          hasPassword: account.passwordHash !== null,
          self: account.id === viewerOf(request).accountId,
          actionBase: path('/admin/accounts', account.id),
        },
        removed: (request.query as Record<string, unknown>).removed === '1',
        ...extra,
      },
      failure,
    );
  };

  const listPage = async (request: FastifyRequest, reply: FastifyReply, problems?: Problem[]) => {
    const me = viewerOf(request).accountId;
    return show(
      reply,
      'admin/accounts',
      {
        pageTitle: 'Accounts',
        backLink: { href: '/admin', text: 'Back to administration' },
        accounts: (await accounts.list()).map((a) => ({
          id: a.id,
          email: a.email,
          href: path('/admin/accounts', a.id),
          person: a.personId === null ? null : displayName(a.personName, 'worker', a.personId),
          personHref: a.personId === null ? null : path('/admin/people', a.personId),
          access: ACCESS_LABELS[a.access] ?? a.access,
          locked: a.locked,
          disabled: a.disabled,
          lastSignIn: instantText(a.lastSignInAt),
          self: a.id === me,
          actionBase: path('/admin/accounts', a.id),
        })),
      },
      problems && { problems, input: {} },
    );
  };

  const newPage = async (reply: FastifyReply, failure?: Failure) => {
    const values = failure?.input ?? {};
    return show(
      reply,
      'admin/account',
      {
        pageTitle: 'Create an account',
        backLink: { href: '/admin/accounts', text: 'Back to accounts' },
        minPasswordLength: MIN_PASSWORD_LENGTH,
        personItems: selectItems(
          await accounts.peopleWithoutAccounts(),
          values.personId,
          'worker',
          'Select a person',
        ),
      },
      failure,
    );
  };

  const action = (
    url: string,
    act: (request: FastifyRequest, id: string) => Promise<Problem[] | null>,
  ): RouteDefinition => ({
    method: 'POST',
    url,
    need: 'admin',
    handler: async (request, reply) => {
      const problems = await act(request, param(request, 'id'));
      if (problems !== null) return listPage(request, reply, problems);
      return seeOther(reply, '/admin/accounts');
    },
  });

  return [
    {
      method: 'GET',
      url: '/admin/accounts',
      need: 'admin',
      handler: (request, reply) => listPage(request, reply),
    },
    {
      method: 'GET',
      url: '/admin/accounts/new',
      need: 'admin',
      handler: (_request, reply) => newPage(reply),
    },
    {
      method: 'POST',
      url: '/admin/accounts',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseAccountForm(request.body);
        if (!form.ok) return newPage(reply, form);
        const result = await accounts.create(form.value);
        if (!result.ok) return newPage(reply, { ...result, input: form.input });
        return seeOther(reply, '/admin/accounts');
      },
    },
    {
      method: 'GET',
      url: '/admin/accounts/:id',
      need: 'admin',
      handler: (request, reply) => accountPage(request, reply),
    },
    {
      // The link is shown once, in the answer to this POST; only its hash is kept.
      method: 'POST',
      url: '/admin/accounts/:id/reset-link',
      need: 'admin',
      // Recorded by the service as 'reset-link-created'.
      audit: false,
      handler: async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const removeTwoFactor = body.removeTwoFactor === 'yes';
        const link = await security.createResetLink(
          actorOf(request),
          param(request, 'id'),
          removeTwoFactor,
          requestAudit(request),
        );
        const origin = deps.config.publicUrl.replace(/\/$/, '');
        return accountPage(request, reply, {
          resetLink: {
            href: `${origin}/reset-password/${link.token}`,
            expires: instantText(link.expiresAt),
          },
        });
      },
    },
    {
      method: 'POST',
      url: '/admin/accounts/:id/remove-two-factor',
      need: 'admin',
      // Recorded by the service as 'two-factor-removed'.
      audit: false,
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const result = await security.removeTwoFactor(actorOf(request), id, requestAudit(request));
        if (!result.ok) {
          // Their own: an administrator keeps theirs (another administrator can remove it).
          const problems: Problem[] = [{ field: 'removeTwoFactor', message: result.problem }];
          return accountPage(request, reply, {}, { problems, input: {} });
        }
        return seeOther(reply, `${path('/admin/accounts', id)}?removed=1`);
      },
    },
    action('/admin/accounts/:id/unlock', async (_request, id) => {
      await accounts.unlock(id);
      return null;
    }),
    action('/admin/accounts/:id/disable', async (request, id) => {
      const result = await accounts.setDisabled(viewerOf(request), id, true);
      return result.ok ? null : result.problems;
    }),
    action('/admin/accounts/:id/enable', async (request, id) => {
      const result = await accounts.setDisabled(viewerOf(request), id, false);
      return result.ok ? null : result.problems;
    }),
  ];
}
