import { levelsFor, scopeFor, type Viewer } from '../../src/domain/access/viewer.js';
import type { Db } from '../../src/db/database.js';
import { personPlace } from '../../src/db/accounts.repository.js';

/** Finding the demo organisation's people and their children, and acting as them in a service. */

/** The person behind a demo account, e.g. `personOf(db, 'sw@demo.example')`. */
export async function personOf(db: Db, email: string): Promise<string> {
  const row = await db
    .selectFrom('accounts')
    .select('person_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.person_id ?? '';
}

/** A staff viewer for a person, as signing in would make it, for calling services directly. */
export async function viewerFor(db: Db, personId: string): Promise<Viewer> {
  const place = await personPlace(db, personId);
  if (place === undefined) throw new Error(`no person ${personId}`);
  const scope = scopeFor('staff', place);
  return {
    accountId: `test-${personId}`,
    email: `${personId}@test.example`,
    name: place.name ?? personId,
    access: 'staff',
    personId,
    role: place.role,
    scope,
    levels: levelsFor('staff', place, scope),
  };
}

/** A worker's allocated children (those with a case-supervision clock), by id. */
export async function childrenOf(db: Db, workerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('due_results')
    .select('subject_id')
    .where('subject_kind', '=', 'child')
    .where('requirement', '=', 'case-supervision')
    .where('period_start', '=', '')
    .where('worker_id', '=', workerId)
    .orderBy('subject_id')
    .execute();
  return rows.map((r) => r.subject_id);
}
