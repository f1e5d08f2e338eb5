import type { Queryable, SubjectKindColumn } from './database.js';

/**
 * The API's tokens, the record of every call made to it, the events integrations post, and the
 * due results it reads. Tokens see the whole organisation (they are the council's own system),
 * so the reads here take no viewer's scope: what a token may do is decided by its scopes.
 */

// ---------------------------------------------------------------------------------------------
// Tokens

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdByEmail: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokedByEmail: string | null;
}

export function scopesOf(text: string): string[] {
  return text.split(' ').filter((s) => s !== '');
}

function tokenQuery(db: Queryable) {
  return db
    .selectFrom('api_tokens')
    .leftJoin('accounts as creator', 'creator.id', 'api_tokens.created_by')
    .leftJoin('accounts as revoker', 'revoker.id', 'api_tokens.revoked_by')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.prefix',
      'api_tokens.scopes',
      'api_tokens.created_by',
      'creator.email as created_by_email',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'api_tokens.revoked_by',
      'revoker.email as revoked_by_email',
    ]);
}

function toToken(r: {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  created_by: string;
  created_by_email: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_by_email: string | null;
}): ApiTokenRow {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: scopesOf(r.scopes),
    createdBy: r.created_by,
    createdByEmail: r.created_by_email,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    revokedByEmail: r.revoked_by_email,
  };
}

export async function insertApiToken(
  db: Queryable,
  token: {
    id: string;
    name: string;
    hash: string;
    prefix: string;
    scopes: readonly string[];
    createdBy: string;
    createdAt: string;
  },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      name: token.name,
      token_hash: token.hash,
      prefix: token.prefix,
      scopes: token.scopes.join(' '),
      created_by: token.createdBy,
      created_at: token.createdAt,
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    })
    .execute();
}

/** Every token, those in use first, then by name. */
export async function listApiTokens(db: Queryable): Promise<ApiTokenRow[]> {
  const rows = await tokenQuery(db)
    .orderBy((eb) => eb.case().when('api_tokens.revoked_at', 'is', null).then(0).else(1).end())
    .orderBy('api_tokens.name')
    .orderBy('api_tokens.created_at')
    .execute();
  return rows.map(toToken);
}

export async function findApiToken(db: Queryable, id: string): Promise<ApiTokenRow | undefined> {
  const row = await tokenQuery(db).where('api_tokens.id', '=', id).executeTakeFirst();
  return row && toToken(row);
}

/** The token with this hash, revoked or not. */
export async function tokenByHash(
  db: Queryable,
  hash: string,
): Promise<{ id: string; name: string; scopes: string[]; revoked: boolean } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'revoked_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      scopes: scopesOf(row.scopes),
      revoked: row.revoked_at !== null,
    }
  );
}

export async function activeTokenNamed(db: Queryable, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_tokens')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Revokes a token; false when it was revoked already. */
export async function revokeApiToken(
  db: Queryable,
  id: string,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Queryable, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// The record of calls

export interface ApiCall {
  id: string;
  tokenId: string | null;
  method: string;
  route: string;
  status: number;
  errorCode: string | null;
  subjectKind: string | null;
  subjectId: string | null;
  at: string;
  requestId: string;
}

export async function recordApiCall(db: Queryable, call: ApiCall): Promise<void> {
  await db
    .insertInto('api_calls')
    .values({
      id: call.id,
      token_id: call.tokenId,
      method: call.method,
      route: call.route,
      status: call.status,
      error_code: call.errorCode,
      subject_kind: call.subjectKind,
      subject_id: call.subjectId,
      at: call.at,
      request_id: call.requestId,
    })
    .execute();
}

/** A token's calls, the newest first, a page at a time. */
export async function callsOfToken(
  db: Queryable,
  tokenId: string,
  page: { offset: number; limit: number },
): Promise<ApiCall[]> {
  const rows = await db
    .selectFrom('api_calls')
    .selectAll()
    .where('token_id', '=', tokenId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    tokenId: r.token_id,
    method: r.method,
    route: r.route,
    status: r.status,
    errorCode: r.error_code,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    at: r.at,
    requestId: r.request_id,
  }));
}

export async function countCallsOfToken(db: Queryable, tokenId: string): Promise<number> {
  const row = await db
    .selectFrom('api_calls')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('token_id', '=', tokenId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many calls without a recognised token were made since an instant. */
export async function countCallsWithoutToken(db: Queryable, since: string): Promise<number> {
  const row = await db
    .selectFrom('api_calls')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('token_id', 'is', null)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------
// Subjects and their due results

const SUBJECT_TABLES = {
  child: 'children',
  worker: 'people',
  team: 'teams',
} as const;

export async function subjectExists(
  db: Queryable,
  kind: keyof typeof SUBJECT_TABLES,
  id: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(SUBJECT_TABLES[kind])
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whose results: one subject's, or those of everyone a worker or a team holds. */
export type DueSelection =
  | { kind: 'subject'; subjectKind: SubjectKindColumn; id: string }
  | { kind: 'worker'; workerId: string; subjectKind?: SubjectKindColumn }
  | { kind: 'team'; teamId: string; subjectKind?: SubjectKindColumn };

export interface StoredResult {
  subjectKind: SubjectKindColumn;
  subjectId: string;
  requirement: string;
  /** Null for a clock. */
  periodStart: string | null;
  status: string;
  due: string;
  latest: string;
  lastEvent: string | null;
  rules: string[];
  setByKind: string;
  setByDate: string;
  reason: string;
  met: string | null;
  onTime: boolean | null;
  effectiveStatus: string;
  effectiveDue: string;
  effectiveLatest: string;
  overrideId: string | null;
}

export interface StoredWarning {
  subjectKind: SubjectKindColumn;
  subjectId: string;
  message: string;
}

/** The stored results (clocks, milestones and gates) and warnings of a selection. */
export async function dueOf(
  db: Queryable,
  selection: DueSelection,
): Promise<{ results: StoredResult[]; warnings: StoredWarning[] }> {
  let results = db
    .selectFrom('due_results')
    .select([
      'subject_kind',
      'subject_id',
      'requirement',
      'period_start',
      'status',
      'due',
      'latest',
      'last_event',
      'rules',
      'set_by_kind',
      'set_by_date',
      'reason',
      'met',
      'on_time',
      'effective_status',
      'effective_due',
      'effective_latest',
      'override_id',
    ]);
  let warnings = db.selectFrom('due_warnings').select(['subject_kind', 'subject_id', 'message']);
  switch (selection.kind) {
    case 'subject':
      results = results
        .where('subject_kind', '=', selection.subjectKind)
        .where('subject_id', '=', selection.id);
      warnings = warnings
        .where('subject_kind', '=', selection.subjectKind)
        .where('subject_id', '=', selection.id);
      break;
    case 'worker':
      results = results.where('worker_id', '=', selection.workerId);
      warnings = warnings.where('worker_id', '=', selection.workerId);
      break;
    case 'team':
      results = results.where('team_id', '=', selection.teamId);
      warnings = warnings.where('team_id', '=', selection.teamId);
      break;
  }
  if (selection.kind !== 'subject' && selection.subjectKind !== undefined) {
    results = results.where('subject_kind', '=', selection.subjectKind);
    warnings = warnings.where('subject_kind', '=', selection.subjectKind);
  }
  const [resultRows, warningRows] = await Promise.all([results.execute(), warnings.execute()]);
  return {
    results: resultRows.map((r) => ({
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      requirement: r.requirement,
      periodStart: r.period_start === '' ? null : r.period_start,
      status: r.status,
      due: r.due,
      latest: r.latest,
      lastEvent: r.last_event,
      rules: JSON.parse(r.rules) as string[],
      setByKind: r.set_by_kind,
      setByDate: r.set_by_date,
      reason: r.reason,
      met: r.met,
      onTime: r.on_time === null ? null : r.on_time === 1,
      effectiveStatus: r.effective_status,
      effectiveDue: r.effective_due,
      effectiveLatest: r.effective_latest,
      overrideId: r.override_id,
    })),
    warnings: warningRows.map((w) => ({
      subjectKind: w.subject_kind,
      subjectId: w.subject_id,
      message: w.message,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Events posted through the API

export interface ApiEventRow {
  id: string;
  tokenId: string;
  externalId: string | null;
  subjectKind: SubjectKindColumn;
  subjectId: string;
  kind: string;
  date: string;
  createdAt: string;
}

/**
 * Records an event posted through the API; false when its external id was used already (by
 * this call's twin, perhaps at the same moment: the unique index decides, not a read first).
 */
export async function insertApiEvent(db: Queryable, event: ApiEventRow): Promise<boolean> {
  const inserted = await db
    .insertInto('api_events')
    .values({
      id: event.id,
      token_id: event.tokenId,
      external_id: event.externalId,
      subject_kind: event.subjectKind,
      subject_id: event.subjectId,
      kind: event.kind,
      date: event.date,
      created_at: event.createdAt,
    })
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function apiEventByExternalId(
  db: Queryable,
  externalId: string,
): Promise<ApiEventRow | undefined> {
  const row = await db
    .selectFrom('api_events')
    .selectAll()
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      tokenId: row.token_id,
      externalId: row.external_id,
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      kind: row.kind,
      date: row.date,
      createdAt: row.created_at,
    }
  );
}
