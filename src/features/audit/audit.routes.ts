import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';

/** The audit trail's search, for auditors (quality assurance and the directorate). */
export function auditRoutes(_deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  return [];
}
