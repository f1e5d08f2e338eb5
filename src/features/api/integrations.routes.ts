import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { pagination } from '../admin/admin.presenter.js';
import type { FormInput, Problem } from '../admin/form-fields.js';
import { param, path, seeOther, show, viewerOf } from '../admin/render.js';
import type { RouteDefinition } from '../route-table.js';
import { NAME_MAX, parseIntegrationForm } from './integration.form.js';
import { presentCall, presentIntegration } from './integrations.presenter.js';
import { CALLS_PAGE_SIZE, IntegrationsService, REFUSED_DAYS } from './integrations.service.js';
import { API_BASE } from './openapi.js';
import { SCOPE_LABELS, SCOPES } from './tokens.js';

/**
 * API integrations in the administration area: the list with each token's last use, creating
 * one (its token shown once), an integration with every call made with its token, and revoking
 * it after a page that asks to confirm.
 */

function pageNumber(request: FastifyRequest): number {
  const page = Number((request.query as Record<string, unknown>).page);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export function integrationsRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const integrations = new IntegrationsService(deps.db, deps.clock);

  const newPage = (
    reply: FastifyReply,
    failure?: { problems: Problem[]; input: FormInput; ticked: string[] },
  ) =>
    show(
      reply,
      'api/integration-new',
      {
        pageTitle: 'Create an integration token',
        backLink: { href: '/admin/integrations', text: 'Back to API integrations' },
        nameMax: NAME_MAX,
        scopeItems: SCOPES.map((scope) => ({
          value: scope,
          text: SCOPE_LABELS[scope].text,
          hint: { text: `${SCOPE_LABELS[scope].hint}. Scope ${scope}.` },
          checked: failure?.ticked.includes(scope) ?? false,
        })),
      },
      failure,
    );

  return [
    {
      method: 'GET',
      url: '/admin/integrations',
      need: 'admin',
      handler: async (_request, reply) => {
        const { tokens, refusedWithoutToken } = await integrations.list();
        return show(reply, 'api/integrations', {
          pageTitle: 'API integrations',
          backLink: { href: '/admin', text: 'Back to administration' },
          integrations: tokens.map(presentIntegration),
          refusedWithoutToken,
          refusedDays: REFUSED_DAYS,
          openApiHref: `${API_BASE}/openapi.json`,
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/integrations/new',
      need: 'admin',
      handler: async (_request, reply) => newPage(reply),
    },
    {
      method: 'POST',
      url: '/admin/integrations',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseIntegrationForm(request.body);
        if (!form.ok) return newPage(reply, form);
        const result = await integrations.create(viewerOf(request), form.value);
        if (!result.ok)
          return newPage(reply, { ...result, input: form.input, ticked: form.ticked });
        // Shown once, in answer to the form: never stored, so never redirected to.
        reply.header('cache-control', 'no-store');
        const integration = await integrations.find(result.value.id);
        return show(reply, 'api/integration-created', {
          pageTitle: 'Integration token created',
          integration: presentIntegration(integration),
          token: result.value.token,
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/integrations/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const integration = presentIntegration(await integrations.find(id));
        const calls = await integrations.calls(id, pageNumber(request));
        const base = path('/admin/integrations', id);
        return show(reply, 'api/integration', {
          pageTitle: integration.name,
          backLink: { href: '/admin/integrations', text: 'Back to API integrations' },
          integration,
          justRevoked: (request.query as Record<string, unknown>).revoked === '1',
          calls: calls.calls.map(presentCall),
          total: calls.total,
          first: (calls.page - 1) * CALLS_PAGE_SIZE + 1,
          last: (calls.page - 1) * CALLS_PAGE_SIZE + calls.calls.length,
          pagination: pagination(calls.page, calls.pages, (p) => `${base}?page=${String(p)}#calls`),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/integrations/:id/revoke',
      need: 'admin',
      handler: async (request, reply) => {
        const integration = presentIntegration(await integrations.find(param(request, 'id')));
        if (integration.revoked) return seeOther(reply, integration.href);
        return show(reply, 'api/integration-revoke', {
          pageTitle: `Revoke the token for ${integration.name}`,
          backLink: { href: integration.href, text: 'Back to the integration' },
          integration,
        });
      },
    },
    {
      method: 'POST',
      url: '/admin/integrations/:id/revoke',
      need: 'admin',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        await integrations.revoke(viewerOf(request), id);
        return seeOther(reply, `${path('/admin/integrations', id)}?revoked=1`);
      },
    },
  ];
}
