import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { RecordCounts } from '../../db/admin.repository.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';
import { accountsRoutes } from './accounts.routes.js';
import { AdminService } from './admin.service.js';
import { childrenRoutes } from './children.routes.js';
import { importsRoutes } from './imports.routes.js';
import { peopleRoutes } from './people.routes.js';
import { policyRoutes } from './policy.routes.js';
import { show } from './render.js';
import { structureRoutes } from './structure.routes.js';

function countsText(counts: RecordCounts): Record<keyof RecordCounts, string> {
  const text = (n: number) => n.toLocaleString('en-GB');
  return {
    services: text(counts.services),
    teams: text(counts.teams),
    people: text(counts.people),
    children: text(counts.children),
    fosterCarers: text(counts.fosterCarers),
    accounts: text(counts.accounts),
  };
}

/**
 * The administration area (need 'admin': accounts with administrator access). Administrators
 * keep the structure, people, accounts, policy, closure days and children's records; they see
 * no due dates.
 */
export function adminRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const admin = new AdminService(deps.db, deps.clock);
  return [
    {
      method: 'GET',
      url: '/admin',
      need: 'admin',
      handler: async (_request, reply) => {
        const data = await admin.overview();
        return show(reply, 'admin/index', {
          pageTitle: 'Administration',
          organisation: data.organisation,
          counts: countsText(data.counts),
          policy: data.policy,
          upcoming: data.upcoming,
        });
      },
    },
    ...structureRoutes(deps),
    ...peopleRoutes(deps),
    ...accountsRoutes(deps),
    ...policyRoutes(deps),
    ...childrenRoutes(deps),
    ...importsRoutes(deps),
  ];
}
