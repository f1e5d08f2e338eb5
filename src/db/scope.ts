import { sql, type Expression, type SqlBool } from 'kysely';
import type { Scope } from '../domain/access/viewer.js';
import type { Queryable } from './database.js';

/**
 * A viewer's scope as the `where` of a query, so that what they may not see is never loaded.
 * due_results, due_warnings and subject_scope each carry the columns that decide it (the
 * allocated or own worker, the team and the service), filled by the due service by one rule:
 * a child belongs to its current allocation (its last one once closed), a worker to themselves
 * and their team, a foster carer to their supervising worker, a team to itself.
 */

type ScopedTable = 'due_results' | 'due_warnings' | 'subject_scope';

export function scopeWhere(scope: Scope, table: ScopedTable): Expression<SqlBool> {
  const worker = sql.ref(`${table}.worker_id`);
  const supervisees = (personId: string) =>
    sql`(select supervisee.id from people as supervisee where supervisee.line_manager_id = ${personId})`;
  switch (scope.kind) {
    case 'everything':
      return sql<SqlBool>`1 = 1`;
    case 'none':
      return sql<SqlBool>`1 = 0`;
    case 'own':
      return sql<SqlBool>`${worker} = ${scope.personId}`;
    case 'supervisor':
      return sql<SqlBool>`(${worker} = ${scope.personId} or ${worker} in ${supervisees(scope.personId)})`;
    case 'team':
      return sql<SqlBool>`(${sql.ref(`${table}.team_id`)} = ${scope.teamId} or ${worker} = ${scope.personId} or ${worker} in ${supervisees(scope.personId)})`;
    case 'service':
      return sql<SqlBool>`(${sql.ref(`${table}.service_id`)} = ${scope.serviceId} or ${worker} = ${scope.personId})`;
  }
}

/** Whether the viewer may see one subject (a child, worker, foster carer or team page). */
export async function maySee(
  db: Queryable,
  scope: Scope,
  kind: 'child' | 'worker' | 'fosterCarer' | 'team',
  id: string,
): Promise<boolean> {
  if (scope.kind === 'none') return false;
  const row = await db
    .selectFrom('subject_scope')
    .select('subject_id')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .where(scopeWhere(scope, 'subject_scope'))
    .executeTakeFirst();
  return row !== undefined;
}
