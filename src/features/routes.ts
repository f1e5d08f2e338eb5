import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { accountRoutes } from './account/account.routes.js';
import { actionsRoutes } from './actions/actions.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { apiRoutes } from './api/api.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { contractsRoutes } from './contracts/contracts.routes.js';
import { dataProtectionRoutes } from './data-protection/data-protection.routes.js';
import { exportsRoutes } from './exports/exports.routes.js';
import { notesRoutes } from './notes/notes.routes.js';
import { oversightRoutes } from './oversight/oversight.routes.js';
import type { RouteDefinition } from './route-table.js';
import { signInRoutes } from './sign-in/sign-in.routes.js';
import { singleSignOnRoutes } from './sign-in/single-sign-on.routes.js';
import { supervisionRoutes } from './supervision/supervision.routes.js';

/**
 * Every page of the service, with what each needs of the person asking (route-table.ts). The
 * route test matrix (test/routes.test.ts) reads this list, so a new page is tested against every
 * role as soon as it is added.
 */
export function routes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  return [
    ...signInRoutes(deps),
    ...singleSignOnRoutes(deps),
    ...accountRoutes(deps),
    ...oversightRoutes(deps),
    ...supervisionRoutes(deps),
    ...notesRoutes(deps),
    ...contractsRoutes(deps),
    ...actionsRoutes(deps),
    ...exportsRoutes(deps),
    ...apiRoutes(deps),
    ...auditRoutes(deps),
    ...dataProtectionRoutes(deps),
    ...adminRoutes(deps),
  ];
}
