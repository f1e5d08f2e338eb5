import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { PersonRecord } from '../../domain/organisation/snapshot.js';
import { WORKER_ROLES } from '../../domain/scheduling/vocabulary.js';
import { displayName, label, ROLE_LABELS } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import { pagination, selectItems } from './admin.presenter.js';
import { dateInput, type FormInput } from './form-fields.js';
import { PEOPLE_PAGE_SIZE, PeopleService } from './people.service.js';
import { parsePersonForm } from './person.form.js';
import { param, path, seeOther, show, type Failure } from './render.js';

const peopleQuery = z.object({
  team: z.string().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});

function personValues(person: PersonRecord | null): FormInput {
  if (person === null) return {};
  return {
    name: person.name ?? '',
    email: person.email ?? '',
    role: person.role,
    teamId: person.teamId ?? '',
    serviceId: person.serviceId ?? '',
    lineManagerId: person.lineManagerId ?? '',
    ...dateInput('start', person.start),
    ...dateInput('end', person.end),
    ...dateInput('probationEnd', person.probationEnd),
    ...dateInput('earlyCareerStart', person.earlyCareer?.start ?? null),
    ...dateInput('earlyCareerEnd', person.earlyCareer?.end ?? null),
  };
}

/** After a change, the list of the person's team, where they are easy to find. */
function listOf(teamId: string | null): string {
  return teamId === null ? '/admin/people' : `/admin/people?team=${encodeURIComponent(teamId)}`;
}

/** People: a list filtered by team and paged, and a form to add or change one. */
export function peopleRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const people = new PeopleService(deps.db, deps.clock);

  const personPage = async (
    reply: FastifyReply,
    person: PersonRecord | null,
    failure?: Failure,
  ) => {
    const values = { ...personValues(person), ...(failure?.input ?? {}) };
    const options = await people.options(person?.id ?? null);
    return show(
      reply,
      'admin/person',
      {
        pageTitle: person
          ? `Change ${displayName(person.name, 'worker', person.id)}`
          : 'Add a person',
        backLink: { href: '/admin/people', text: 'Back to people' },
        person,
        values,
        roleItems: [
          { value: '', text: 'Select a role', selected: !values.role },
          ...WORKER_ROLES.map((r) => ({
            value: r,
            text: label(ROLE_LABELS, r),
            selected: values.role === r,
          })),
        ],
        teamItems: selectItems(options.teams, values.teamId, 'team', 'No team'),
        serviceItems: selectItems(options.services, values.serviceId, 'service', 'No service'),
        managerItems: selectItems(
          options.managers,
          values.lineManagerId,
          'worker',
          'No line manager',
        ),
      },
      failure,
    );
  };

  return [
    {
      method: 'GET',
      url: '/admin/people',
      need: 'admin',
      handler: async (request, reply) => {
        const query = peopleQuery.parse(request.query);
        const teams = await people.teams();
        const teamId = teams.some((t) => t.id === query.team) ? query.team : undefined;
        const result = await people.page(teamId === undefined ? {} : { teamId }, query.page);
        const href = (page: number) => {
          const params = new URLSearchParams({
            ...(teamId === undefined ? {} : { team: teamId }),
            page: String(page),
          });
          return `/admin/people?${params.toString()}`;
        };
        const team = teams.find((t) => t.id === teamId);
        return show(reply, 'admin/people', {
          pageTitle: 'People',
          backLink: { href: '/admin', text: 'Back to administration' },
          teamItems: selectItems(teams, teamId, 'team', 'All teams'),
          teamName: team ? displayName(team.name, 'team', team.id) : null,
          total: result.total,
          page: result.page,
          from: result.total === 0 ? 0 : (result.page - 1) * PEOPLE_PAGE_SIZE + 1,
          to: Math.min(result.total, result.page * PEOPLE_PAGE_SIZE),
          rows: result.rows.map((p) => ({
            id: p.id,
            href: path('/admin/people', p.id),
            name: displayName(p.name, 'worker', p.id),
            role: label(ROLE_LABELS, p.role),
            team: p.teamId === null ? null : displayName(p.teamName, 'team', p.teamId),
            lineManager:
              p.lineManagerId === null
                ? null
                : displayName(p.lineManagerName, 'worker', p.lineManagerId),
            end: p.end,
          })),
          pagination: pagination(result.page, result.pages, href),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/people/new',
      need: 'admin',
      handler: (_request, reply) => personPage(reply, null),
    },
    {
      method: 'POST',
      url: '/admin/people',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parsePersonForm(request.body, { isNew: true });
        if (!form.ok) return personPage(reply, null, form);
        const result = await people.addPerson(form.value.id ?? '', form.value.person);
        if (!result.ok) return personPage(reply, null, { ...result, input: form.input });
        return seeOther(reply, listOf(form.value.person.teamId));
      },
    },
    {
      method: 'GET',
      url: '/admin/people/:id',
      need: 'admin',
      handler: async (request, reply) =>
        personPage(reply, await people.person(param(request, 'id'))),
    },
    {
      method: 'POST',
      url: '/admin/people/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const person = await people.person(param(request, 'id'));
        const form = parsePersonForm(request.body, { isNew: false });
        if (!form.ok) return personPage(reply, person, form);
        const result = await people.updatePerson(person.id, form.value.person);
        if (!result.ok) return personPage(reply, person, { ...result, input: form.input });
        return seeOther(reply, listOf(form.value.person.teamId));
      },
    },
  ];
}
