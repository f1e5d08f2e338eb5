import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { displayName } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import { MIN_PASSWORD_LENGTH, parseAccountForm } from './account.form.js';
import { AccountsService } from './accounts.service.js';
import { ACCESS_LABELS, instantText, selectItems } from './admin.presenter.js';
import type { Problem } from './form-fields.js';
import { param, path, seeOther, show, viewerOf, type Failure } from './render.js';

/** Accounts: the list with unlock, disable and enable, and a form to create one. */
export function accountsRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const accounts = new AccountsService(deps.db, deps.clock);

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
