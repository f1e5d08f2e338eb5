import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';

/** My account: password, two-factor authentication, my sessions. */
export function accountRoutes(_deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  return [];
}
