import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { DRIFT_AFTER } from '../../domain/supervision/record.js';
import type { Db } from '../../db/database.js';
import { displayName } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import {
  listQuery,
  pagination,
  presentAction,
  presentCounts,
  sortQuery,
} from './actions.presenter.js';
import { ActionsService, overdueQuerySchema, PAGE_SIZE } from './actions.service.js';
import { idParam, viewerOf } from '../request.js';

/** What the last change was, from the address it redirected to (post/redirect/get). */
function changeOf(request: FastifyRequest): 'done' | 'reopened' | null {
  const changed = (request.query as Record<string, unknown>).changed;
  return changed === 'done' || changed === 'reopened' ? changed : null;
}

export function actionsRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const service = new ActionsService(deps.db, deps.clock);

  return [
    {
      method: 'GET',
      url: '/actions',
      need: 'myWork',
      handler: async (request, reply) => {
        const data = await service.mine(viewerOf(request));
        const present = (rows: typeof data.open) =>
          rows.map((r) => presentAction(r.action, r.reach, data.today));
        return reply.view('actions/index', {
          pageTitle: 'My actions',
          today: data.today,
          changed: changeOf(request),
          open: present(data.open),
          markedDone: present(data.markedDone),
          agreed: present(data.agreed),
          driftAfter: DRIFT_AFTER,
          overdueHref: data.mayListOverdue ? '/actions/overdue' : null,
        });
      },
    },
    {
      method: 'POST',
      url: '/actions/:id/done',
      need: 'myWork',
      handler: async (request, reply) => {
        await service.markDone(viewerOf(request), idParam(request));
        return reply.redirect('/actions?changed=done#marked-done', 303);
      },
    },
    {
      method: 'POST',
      url: '/actions/:id/reopen',
      need: 'myWork',
      handler: async (request, reply) => {
        await service.reopen(viewerOf(request), idParam(request));
        return reply.redirect('/actions?changed=reopened#open', 303);
      },
    },
    {
      method: 'GET',
      url: '/actions/overdue',
      need: 'team',
      handler: async (request, reply) => {
        const data = await service.overdue(
          viewerOf(request),
          overdueQuerySchema.parse(request.query),
        );
        const query = data.query;
        const team = data.teams.find((t) => t.id === query.team);
        const worker = data.workers.find((w) => w.id === query.worker);
        const where =
          worker !== undefined
            ? `for ${displayName(worker.name, 'worker', worker.id)}`
            : team !== undefined
              ? `in ${displayName(team.name, 'team', team.id)}`
              : 'in your area';
        const scope = viewerOf(request).scope.kind;
        return reply.view('actions/overdue', {
          pageTitle: 'Overdue and drifting actions',
          today: data.today,
          where,
          areaWords:
            scope === 'team'
              ? 'your team and the people you supervise'
              : scope === 'service'
                ? 'your service'
                : 'the whole directorate',
          counts: presentCounts(data.counts, query),
          driftAfter: DRIFT_AFTER,
          query,
          sortQuery: sortQuery(query),
          rows: data.rows.map((r) => presentAction(r.action, r.reach, data.today)),
          total: data.total,
          from: data.total === 0 ? 0 : (data.page - 1) * PAGE_SIZE + 1,
          to: Math.min(data.total, data.page * PAGE_SIZE),
          pagination: pagination(query, data.pages),
          showItems: [
            { value: 'either', text: 'Overdue or drifting', selected: query.show === 'either' },
            { value: 'overdue', text: 'Overdue', selected: query.show === 'overdue' },
            { value: 'drifting', text: 'Drifting', selected: query.show === 'drifting' },
          ],
          teamItems:
            data.teams.length <= 1
              ? null
              : [
                  { value: '', text: 'Any team' },
                  ...data.teams.map((t) => ({
                    value: t.id,
                    text: displayName(t.name, 'team', t.id),
                    selected: t.id === query.team,
                  })),
                ],
          workerItems: [
            { value: '', text: 'Any worker' },
            ...data.workers.map((w) => ({
              value: w.id,
              text: displayName(w.name, 'worker', w.id),
              selected: w.id === query.worker,
            })),
          ],
          clearHref: `/actions/overdue${listQuery({ ...query, team: undefined, worker: undefined, show: 'either', page: 1 })}#list`,
          filtered:
            query.team !== undefined || query.worker !== undefined || query.show !== 'either',
        });
      },
    },
  ];
}
