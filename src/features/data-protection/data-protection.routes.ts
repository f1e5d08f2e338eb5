import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';

/** Break-glass access, retention rules, legal holds and subject access exports. */
export function dataProtectionRoutes(_deps: {
  db: Db;
  clock: Clock;
  config: Config;
}): RouteDefinition[] {
  return [];
}
