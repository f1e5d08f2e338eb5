import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';

/** Single sign-on with OpenID Connect. */
export function singleSignOnRoutes(_deps: {
  db: Db;
  clock: Clock;
  config: Config;
}): RouteDefinition[] {
  return [];
}
