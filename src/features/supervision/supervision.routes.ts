import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';

export function supervisionRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  void deps;
  return [];
}
