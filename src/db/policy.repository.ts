import { randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';

export interface PolicyVersion {
  id: string;
  policyId: string;
  source: 'preset' | 'file';
  document: string | null;
  effectiveFrom: string;
  chosenBy: string | null;
  chosenAt: string;
  reason: string;
}

function toVersion(row: {
  id: string;
  policy_id: string;
  source: 'preset' | 'file';
  document: string | null;
  effective_from: string;
  chosen_by: string | null;
  chosen_at: string;
  reason: string;
}): PolicyVersion {
  return {
    id: row.id,
    policyId: row.policy_id,
    source: row.source,
    document: row.document,
    effectiveFrom: row.effective_from,
    chosenBy: row.chosen_by,
    chosenAt: row.chosen_at,
    reason: row.reason,
  };
}

/** Every version chosen, the newest first. */
export async function listPolicyVersions(db: Queryable): Promise<PolicyVersion[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .selectAll()
    .orderBy('effective_from', 'desc')
    .orderBy('chosen_at', 'desc')
    .execute();
  return rows.map(toVersion);
}

/** The version in force on a date: the latest effective on or before it. */
export async function policyVersionOn(
  db: Queryable,
  date: string,
): Promise<PolicyVersion | undefined> {
  const row = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('chosen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toVersion(row);
}

export async function addPolicyVersion(
  db: Queryable,
  version: Omit<PolicyVersion, 'id'>,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('policy_versions')
    .values({
      id,
      policy_id: version.policyId,
      source: version.source,
      document: version.document,
      effective_from: version.effectiveFrom,
      chosen_by: version.chosenBy,
      chosen_at: version.chosenAt,
      reason: version.reason,
    })
    .execute();
  return id;
}

export interface ClosureDay {
  date: string;
  description: string;
}

export async function listClosureDays(db: Queryable): Promise<ClosureDay[]> {
  return db.selectFrom('closure_days').select(['date', 'description']).orderBy('date').execute();
}

export async function addClosureDay(db: Queryable, day: ClosureDay): Promise<boolean> {
  const result = await db
    .insertInto('closure_days')
    .values(day)
    .onConflict((oc) => oc.column('date').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeClosureDay(db: Queryable, date: string): Promise<boolean> {
  const result = await db.deleteFrom('closure_days').where('date', '=', date).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------
// Overrides

export interface OverrideRow {
  id: string;
  childId: string;
  every: string;
  starts: string;
  until: string;
  direction: 'tighten' | 'loosen';
  reason: string;
  setBy: string;
  setByName: string;
  setAt: string;
  endedAt: string | null;
  endedBy: string | null;
}

export async function overridesFor(
  db: Queryable,
  childIds: readonly string[],
): Promise<OverrideRow[]> {
  if (childIds.length === 0) return [];
  const rows = await db
    .selectFrom('overrides')
    .selectAll()
    .where('child_id', 'in', childIds)
    .orderBy('set_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    childId: r.child_id,
    every: r.every,
    starts: r.starts,
    until: r.until,
    direction: r.direction,
    reason: r.reason,
    setBy: r.set_by,
    setByName: r.set_by_name,
    setAt: r.set_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
  }));
}

export async function addOverride(
  db: Queryable,
  override: Omit<OverrideRow, 'id' | 'endedAt' | 'endedBy'>,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('overrides')
    .values({
      id,
      child_id: override.childId,
      every: override.every,
      starts: override.starts,
      until: override.until,
      direction: override.direction,
      reason: override.reason,
      set_by: override.setBy,
      set_by_name: override.setByName,
      set_at: override.setAt,
      ended_at: null,
      ended_by: null,
    })
    .execute();
  return id;
}

/** Ends every override of the child still in force (a child has at most one at a time). */
export async function endOverrides(
  db: Queryable,
  childId: string,
  endedBy: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('overrides')
    .set({ ended_at: now, ended_by: endedBy })
    .where('child_id', '=', childId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
