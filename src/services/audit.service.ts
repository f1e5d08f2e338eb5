import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/database.js';

/**
 * The audit trail: append-only, each entry chained to the one before by a SHA-256 hash, so that
 * a changed, removed or inserted entry is found by `verifyAuditChain` (`oversight audit verify`).
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** The account that acted; null for an unknown email at sign-in or the command line. */
  accountId: string | null;
  /** The account's email, or the operating-system user for the command line. */
  actor: string;
  action: string;
  objectKind?: string | null;
  objectId?: string | null;
  method?: string | null;
  route?: string | null;
  status?: number | null;
  ip?: string | null;
  requestId?: string | null;
  /** Anything else worth keeping (never personal content): stored as JSON. */
  detail?: Record<string, unknown>;
}

/** What the hash of an entry covers, in a fixed order. */
export function auditHash(
  prevHash: string,
  entry: {
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
  },
): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at,
    entry.accountId,
    entry.actor,
    entry.action,
    entry.objectKind,
    entry.objectId,
    entry.method,
    entry.route,
    entry.status,
    entry.ip,
    entry.requestId,
    entry.detail,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Appends one entry in its own transaction (recordAuditIn, for one already open). */
export async function recordAudit(db: Db, clock: Clock, entry: AuditEntry): Promise<number> {
  return db.transaction().execute((trx) => recordAuditIn(trx, clock, entry));
}

/**
 * Appends one entry inside the caller's transaction, so that a change and its entry are written
 * together or not at all. The head is updated first (taking the lock that makes appenders queue,
 * in this process or another), then the entry is written with the previous hash, then the head
 * takes the new one. Returns the entry's number.
 */
export async function recordAuditIn(
  trx: Queryable,
  clock: Clock,
  entry: AuditEntry,
): Promise<number> {
  {
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const seq = Number(head.seq);
    const row = {
      seq,
      at: clock.now().toISOString(),
      accountId: entry.accountId,
      actor: entry.actor,
      action: entry.action,
      objectKind: entry.objectKind ?? null,
      objectId: entry.objectId ?? null,
      method: entry.method ?? null,
      route: entry.route ?? null,
      status: entry.status ?? null,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    };
    const hash = auditHash(head.hash, row);
    await trx
      .insertInto('audit_log')
      .values({
        seq: row.seq,
        at: row.at,
        account_id: row.accountId,
        actor: row.actor,
        action: row.action,
        object_kind: row.objectKind,
        object_id: row.objectId,
        method: row.method,
        route: row.route,
        status: row.status,
        ip: row.ip,
        request_id: row.requestId,
        detail: row.detail,
        prev_hash: head.hash,
        hash,
      })
      .execute();
    await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
    return seq;
  }
}
