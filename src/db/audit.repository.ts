import type { Queryable } from './database.js';

/**
 * Reading the audit trail: the search auditors run in the service, the batches that the chain's
 * verification and the CSV download walk, and the chain's head. Appending is in
 * services/audit.service.ts (recordAuditIn), the only writer.
 */

export interface AuditRow {
  seq: number;
  at: string;
  accountId: string | null;
  actor: string;
  action: string;
  objectKind: string | null;
  objectId: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  ip: string | null;
  requestId: string | null;
  detail: string;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  objectKind?: string;
  objectId?: string;
  /** An account's entries (indexed): whatever its email was at the time. */
  accountId?: string;
  /** Who as written, for those without an account (an API token, an unknown email). */
  actor?: string;
  action?: string;
  /** Instants, ISO UTC: from inclusive, to exclusive. */
  fromAt?: string;
  toAt?: string;
}

function rowOf(r: {
  seq: number | string;
  at: string;
  account_id: string | null;
  actor: string;
  action: string;
  object_kind: string | null;
  object_id: string | null;
  method: string | null;
  route: string | null;
  status: number | string | null;
  ip: string | null;
  request_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}): AuditRow {
  return {
    seq: Number(r.seq),
    at: r.at,
    accountId: r.account_id,
    actor: r.actor,
    action: r.action,
    objectKind: r.object_kind,
    objectId: r.object_id,
    method: r.method,
    route: r.route,
    status: r.status === null ? null : Number(r.status),
    ip: r.ip,
    requestId: r.request_id,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function filtered(db: Queryable, filter: AuditFilter) {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.objectKind !== undefined) query = query.where('object_kind', '=', filter.objectKind);
  if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.fromAt !== undefined) query = query.where('at', '>=', filter.fromAt);
  if (filter.toAt !== undefined) query = query.where('at', '<', filter.toAt);
  return query;
}

/** One page of a search, newest first. */
export async function searchAuditLog(
  db: Queryable,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<AuditRow[]> {
  const rows = await filtered(db, filter)
    .orderBy('seq', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(rowOf);
}

/** Every entry of a search, newest first, a batch at a time (for the CSV download). */
export async function* searchAuditLogBatches(
  db: Queryable,
  filter: AuditFilter,
  batchSize = 1000,
): AsyncGenerator<AuditRow[]> {
  let before: number | null = null;
  for (;;) {
    let query = filtered(db, filter);
    if (before !== null) query = query.where('seq', '<', before);
    const rows = (await query.orderBy('seq', 'desc').limit(batchSize).execute()).map(rowOf);
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < batchSize) return;
    before = last.seq;
  }
}

/**
 * Entries in the order they were written, after `afterSeq` and up to `upTo` (the head when the
 * walk began: what is appended during it is left for the next), at most `limit`.
 */
export async function auditLogAfter(
  db: Queryable,
  afterSeq: number,
  upTo: number,
  limit: number,
): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', upTo)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
  return rows.map(rowOf);
}

/** The highest entry number in the log (0 when empty). */
export async function lastAuditSeq(db: Queryable): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max<number | string | null>('seq').as('seq'))
    .executeTakeFirst();
  return row?.seq == null ? 0 : Number(row.seq);
}

/** The chain's head: the last entry's number and hash as the appenders left them. */
export async function auditHead(db: Queryable): Promise<{ seq: number; hash: string } | null> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return head === undefined ? null : { seq: Number(head.seq), hash: head.hash };
}

/** The API token that made a call (api_calls.id), for the audit trail's "who". */
export async function apiCallToken(
  db: Queryable,
  callId: string,
): Promise<{ tokenId: string | null; tokenName: string | null } | null> {
  const row = await db
    .selectFrom('api_calls')
    .leftJoin('api_tokens', 'api_tokens.id', 'api_calls.token_id')
    .select(['api_calls.token_id as tokenId', 'api_tokens.name as tokenName'])
    .where('api_calls.id', '=', callId)
    .executeTakeFirst();
  return row ?? null;
}

/** The account a search's "who" names, by its id or its email (kept in lower case). */
export async function accountNamed(db: Queryable, who: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', who), eb('email', '=', who.toLowerCase())]))
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Children's and people's names by id, for the objects on one page of results. */
export async function namesOf(
  db: Queryable,
  ids: { children: readonly string[]; people: readonly string[] },
): Promise<{ children: Map<string, string>; people: Map<string, string> }> {
  const children = new Map<string, string>();
  const people = new Map<string, string>();
  if (ids.children.length > 0)
    for (const r of await db
      .selectFrom('children')
      .select(['id', 'name'])
      .where('id', 'in', [...ids.children])
      .execute())
      if (r.name !== null) children.set(r.id, r.name);
  if (ids.people.length > 0)
    for (const r of await db
      .selectFrom('people')
      .select(['id', 'name'])
      .where('id', 'in', [...ids.people])
      .execute())
      if (r.name !== null) people.set(r.id, r.name);
  return { children, people };
}
