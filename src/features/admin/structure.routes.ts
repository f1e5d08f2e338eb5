import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { TeamSummary } from '../../db/structure.repository.js';
import { displayName } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import { selectItems } from './admin.presenter.js';
import { dateInput, type FormInput } from './form-fields.js';
import { param, path, seeOther, show, type Failure } from './render.js';
import { parseServiceForm } from './service.form.js';
import { StructureService } from './structure.service.js';
import { parseTeamForm } from './team.form.js';

/** Services and teams: list, add and change. */
export function structureRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const structure = new StructureService(deps.db, deps.clock);

  const servicePage = async (
    reply: FastifyReply,
    service: { id: string; name: string | null } | null,
    failure?: Failure,
  ) =>
    show(
      reply,
      'admin/service',
      {
        pageTitle: service
          ? `Change ${displayName(service.name, 'service', service.id)}`
          : 'Add a service',
        backLink: { href: '/admin/services', text: 'Back to services' },
        service,
        values: { name: service?.name ?? '' },
      },
      failure,
    );

  const teamValues = (team: TeamSummary | null): FormInput =>
    team === null
      ? {}
      : {
          name: team.name ?? '',
          serviceId: team.serviceId ?? '',
          groupSupervision: team.groupSupervision ? 'yes' : '',
          ...dateInput('start', team.start),
          ...dateInput('end', team.end),
        };

  const teamPage = async (reply: FastifyReply, team: TeamSummary | null, failure?: Failure) => {
    const values = { ...teamValues(team), ...(failure?.input ?? {}) };
    return show(
      reply,
      'admin/team',
      {
        pageTitle: team ? `Change ${displayName(team.name, 'team', team.id)}` : 'Add a team',
        backLink: { href: '/admin/teams', text: 'Back to teams' },
        team,
        values,
        serviceItems: selectItems(
          await structure.serviceOptions(),
          values.serviceId,
          'service',
          'Select a service',
        ),
      },
      failure,
    );
  };

  const teamId = (request: FastifyRequest) => param(request, 'id');

  return [
    {
      method: 'GET',
      url: '/admin/services',
      need: 'admin',
      handler: async (_request, reply) =>
        show(reply, 'admin/services', {
          pageTitle: 'Services',
          backLink: { href: '/admin', text: 'Back to administration' },
          services: (await structure.listServices()).map((s) => ({
            ...s,
            displayName: displayName(s.name, 'service', s.id),
            href: path('/admin/services', s.id),
          })),
        }),
    },
    {
      method: 'GET',
      url: '/admin/services/new',
      need: 'admin',
      handler: (_request, reply) => servicePage(reply, null),
    },
    {
      method: 'POST',
      url: '/admin/services',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseServiceForm(request.body);
        if (!form.ok) return servicePage(reply, null, form);
        const result = await structure.addService(form.value);
        if (!result.ok) return servicePage(reply, null, { ...result, input: form.input });
        return seeOther(reply, '/admin/services');
      },
    },
    {
      method: 'GET',
      url: '/admin/services/:id',
      need: 'admin',
      handler: async (request, reply) =>
        servicePage(reply, await structure.service(param(request, 'id'))),
    },
    {
      method: 'POST',
      url: '/admin/services/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const service = await structure.service(param(request, 'id'));
        const form = parseServiceForm(request.body);
        if (!form.ok) return servicePage(reply, service, form);
        const result = await structure.renameService(service.id, form.value);
        if (!result.ok) return servicePage(reply, service, { ...result, input: form.input });
        return seeOther(reply, '/admin/services');
      },
    },
    {
      method: 'GET',
      url: '/admin/teams',
      need: 'admin',
      handler: async (_request, reply) =>
        show(reply, 'admin/teams', {
          pageTitle: 'Teams',
          backLink: { href: '/admin', text: 'Back to administration' },
          teams: (await structure.listTeams()).map((t) => ({
            ...t,
            displayName: displayName(t.name, 'team', t.id),
            href: path('/admin/teams', t.id),
          })),
        }),
    },
    {
      method: 'GET',
      url: '/admin/teams/new',
      need: 'admin',
      handler: (_request, reply) => teamPage(reply, null),
    },
    {
      method: 'POST',
      url: '/admin/teams',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseTeamForm(request.body, { isNew: true });
        if (!form.ok) return teamPage(reply, null, form);
        const result = await structure.addTeam(form.value.id ?? '', form.value.team);
        if (!result.ok) return teamPage(reply, null, { ...result, input: form.input });
        return seeOther(reply, '/admin/teams');
      },
    },
    {
      method: 'GET',
      url: '/admin/teams/:id',
      need: 'admin',
      handler: async (request, reply) => teamPage(reply, await structure.team(teamId(request))),
    },
    {
      method: 'POST',
      url: '/admin/teams/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const team = await structure.team(teamId(request));
        const form = parseTeamForm(request.body, { isNew: false });
        if (!form.ok) return teamPage(reply, team, form);
        const result = await structure.updateTeam(team.id, form.value.team);
        if (!result.ok) return teamPage(reply, team, { ...result, input: form.input });
        return seeOther(reply, '/admin/teams');
      },
    },
  ];
}
