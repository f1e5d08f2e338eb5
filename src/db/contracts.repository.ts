import type { Selectable } from 'kysely';
import { newRowId } from './bulk.js';
import type { Queryable, SupervisionContractsTable } from './database.js';

/**
 * Supervision contracts (policy 004, "B Contract" and Appendix 2): drafted by the supervisee's
 * supervisor, signed by the supervisor and then by the supervisee. A contract both have signed
 * is read-only; a change is a new contract, which supersedes it once signed. Who may do what is
 * decided by the service; every write here is guarded so that a signed contract never changes.
 */

export type ContractState = 'draft' | 'awaiting-supervisee' | 'signed' | 'superseded' | 'withdrawn';

export interface ContractTerms {
  /** An offset in the policy files' notation ("14 days", "1 month"); null: as the policy says. */
  readonly frequency: string | null;
  readonly durationMinutes: number | null;
  readonly place: string | null;
  readonly supervisorResponsibilities: string;
  readonly superviseeResponsibilities: string;
  readonly disputeResolver: string | null;
}

export interface ContractRow extends ContractTerms {
  readonly id: string;
  readonly superviseeId: string;
  readonly supervisorId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly supervisorSignedAt: string | null;
  readonly superviseeSignedAt: string | null;
  readonly signedDate: string | null;
  readonly reviewDue: string | null;
  readonly supersededAt: string | null;
  readonly state: ContractState;
}

function stateOf(r: Selectable<SupervisionContractsTable>): ContractState {
  if (r.signed_date !== null) return r.superseded_at === null ? 'signed' : 'superseded';
  // A draft set aside (its supervisor no longer supervises the person) is never signed.
  if (r.superseded_at !== null) return 'withdrawn';
  return r.supervisor_signed_at === null ? 'draft' : 'awaiting-supervisee';
}

function toContract(r: Selectable<SupervisionContractsTable>): ContractRow {
  return {
    id: r.id,
    superviseeId: r.supervisee_id,
    supervisorId: r.supervisor_id,
    frequency: r.frequency,
    durationMinutes: r.duration_minutes,
    place: r.place,
    supervisorResponsibilities: r.supervisor_responsibilities,
    superviseeResponsibilities: r.supervisee_responsibilities,
    disputeResolver: r.dispute_resolver,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    supervisorSignedAt: r.supervisor_signed_at,
    superviseeSignedAt: r.supervisee_signed_at,
    signedDate: r.signed_date,
    reviewDue: r.review_due,
    supersededAt: r.superseded_at,
    state: stateOf(r),
  };
}

function termColumns(terms: ContractTerms) {
  return {
    frequency: terms.frequency,
    duration_minutes: terms.durationMinutes,
    place: terms.place,
    supervisor_responsibilities: terms.supervisorResponsibilities,
    supervisee_responsibilities: terms.superviseeResponsibilities,
    dispute_resolver: terms.disputeResolver,
  };
}

export async function getContract(db: Queryable, id: string): Promise<ContractRow | undefined> {
  const row = await db
    .selectFrom('supervision_contracts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toContract(row);
}

/** Every contract of a supervisee, drafts included, newest first. */
export async function contractsOf(db: Queryable, superviseeId: string): Promise<ContractRow[]> {
  const rows = await db
    .selectFrom('supervision_contracts')
    .selectAll()
    .where('supervisee_id', '=', superviseeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toContract);
}

/** The contracts in force (signed by both, not superseded) of some supervisees, by supervisee. */
export async function currentContracts(
  db: Queryable,
  superviseeIds: readonly string[],
): Promise<Map<string, ContractRow>> {
  const map = new Map<string, ContractRow>();
  if (superviseeIds.length === 0) return map;
  const rows = await db
    .selectFrom('supervision_contracts')
    .selectAll()
    .where('supervisee_id', 'in', [...new Set(superviseeIds)])
    .where('signed_date', 'is not', null)
    .where('superseded_at', 'is', null)
    .orderBy('signed_date', 'desc')
    .execute();
  for (const row of rows)
    if (!map.has(row.supervisee_id)) map.set(row.supervisee_id, toContract(row));
  return map;
}

export async function currentContract(
  db: Queryable,
  superviseeId: string,
): Promise<ContractRow | undefined> {
  return (await currentContracts(db, [superviseeId])).get(superviseeId);
}

/** Contracts not yet signed by both, neither set aside, of some supervisees: newest first. */
export async function openDrafts(
  db: Queryable,
  superviseeIds: readonly string[],
): Promise<ContractRow[]> {
  if (superviseeIds.length === 0) return [];
  const rows = await db
    .selectFrom('supervision_contracts')
    .selectAll()
    .where('supervisee_id', 'in', [...new Set(superviseeIds)])
    .where('signed_date', 'is', null)
    .where('superseded_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toContract);
}

/** The draft a supervisor is writing for a supervisee, if there is one. */
export async function openDraftBy(
  db: Queryable,
  superviseeId: string,
  supervisorId: string,
): Promise<ContractRow | undefined> {
  return (await openDrafts(db, [superviseeId])).find((c) => c.supervisorId === supervisorId);
}

export async function createContract(
  db: Queryable,
  contract: { superviseeId: string; supervisorId: string } & ContractTerms,
  now: string,
): Promise<string> {
  const id = newRowId();
  await db
    .insertInto('supervision_contracts')
    .values({
      id,
      supervisee_id: contract.superviseeId,
      supervisor_id: contract.supervisorId,
      ...termColumns(contract),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * Changes a draft's terms. A signature already given was given to other words, so it is taken
 * off. False when the contract has been signed by both (or set aside) in the meantime.
 */
export async function updateDraft(
  db: Queryable,
  id: string,
  terms: ContractTerms,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('supervision_contracts')
    .set({
      ...termColumns(terms),
      supervisor_signed_at: null,
      supervisee_signed_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('signed_date', 'is', null)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * One side's signature on a contract still open. The supervisee signs what their supervisor has
 * signed, never a draft still being written. False when nothing changed (already signed by
 * this side, signed by both, set aside, or not yet signed by the supervisor).
 */
export async function addSignature(
  db: Queryable,
  id: string,
  side: 'supervisor' | 'supervisee',
  now: string,
): Promise<boolean> {
  let query = db
    .updateTable('supervision_contracts')
    .where('id', '=', id)
    .where('signed_date', 'is', null)
    .where('superseded_at', 'is', null);
  query =
    side === 'supervisor'
      ? query.set({ supervisor_signed_at: now }).where('supervisor_signed_at', 'is', null)
      : query
          .set({ supervisee_signed_at: now })
          .where('supervisee_signed_at', 'is', null)
          .where('supervisor_signed_at', 'is not', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Once both have signed: the contract's date and review date are set, and the contract it
 * replaces (any earlier one in force for the supervisee) is superseded. False when it was not
 * signed by both, or was already complete.
 */
export async function completeContract(
  db: Queryable,
  id: string,
  dates: { signedDate: string; reviewDue: string },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('supervision_contracts')
    .set({ signed_date: dates.signedDate, review_due: dates.reviewDue, updated_at: now })
    .where('id', '=', id)
    .where('signed_date', 'is', null)
    .where('superseded_at', 'is', null)
    .where('supervisor_signed_at', 'is not', null)
    .where('supervisee_signed_at', 'is not', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  const contract = await db
    .selectFrom('supervision_contracts')
    .select('supervisee_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('supervision_contracts')
    .set({ superseded_at: now })
    .where('supervisee_id', '=', contract.supervisee_id)
    .where('id', '!=', id)
    .where('signed_date', 'is not', null)
    .where('superseded_at', 'is', null)
    .execute();
  return true;
}

/**
 * Sets aside the unsigned drafts of a supervisee written by anyone but `supervisorId`: when
 * their line manager changes, the old supervisor's draft is no longer theirs to agree.
 */
export async function withdrawDraftsExcept(
  db: Queryable,
  superviseeId: string,
  supervisorId: string | null,
  now: string,
): Promise<number> {
  let query = db
    .updateTable('supervision_contracts')
    .set({ superseded_at: now, updated_at: now })
    .where('supervisee_id', '=', superviseeId)
    .where('signed_date', 'is', null)
    .where('superseded_at', 'is', null);
  if (supervisorId !== null) query = query.where('supervisor_id', '!=', supervisorId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A worker's clock for one requirement ('professional-supervision', 'contract-review') as the
 * due service last computed it, with the policy rules in force; undefined when the policy sets
 * none for them. Read after the service has decided the viewer may see the worker.
 */
export async function workerRequirement(
  db: Queryable,
  workerId: string,
  requirement: string,
): Promise<
  | { rules: string[]; status: string; due: string; latest: string; lastEvent: string | null }
  | undefined
> {
  const row = await db
    .selectFrom('due_results')
    .select(['rules', 'effective_status', 'effective_due', 'effective_latest', 'last_event'])
    .where('subject_kind', '=', 'worker')
    .where('subject_id', '=', workerId)
    .where('requirement', '=', requirement)
    .where('period_start', '=', '')
    .executeTakeFirst();
  if (row === undefined) return undefined;
  let rules: string[] = [];
  try {
    const parsed = JSON.parse(row.rules) as unknown;
    if (Array.isArray(parsed)) rules = parsed.filter((r): r is string => typeof r === 'string');
  } catch {
    rules = [];
  }
  return {
    rules,
    status: row.effective_status,
    due: row.effective_due,
    latest: row.effective_latest,
    lastEvent: row.last_event,
  };
}
