import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { apiCallToken, auditHead, auditLogAfter, lastAuditSeq } from '../db/audit.repository.js';
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

/** Where a walk of the chain got to, for a progress line. */
export interface VerifyProgress {
  checked: number;
  total: number;
}

export type AuditChainReport =
  | {
      ok: true;
      /** How many entries were checked. */
      entries: number;
      first: { seq: number; at: string } | null;
      last: { seq: number; at: string } | null;
      /** The head's hash: note it somewhere else, and a later rewrite of the whole chain shows. */
      headHash: string;
    }
  | {
      ok: false;
      /** How many entries were checked before the break. */
      entries: number;
      /** The entry where the chain breaks (null: the head). */
      seq: number | null;
      problem: string;
    };

const VERIFY_BATCH = 1000;

/**
 * Walks the whole chain in the order it was written, a batch at a time (memory stays flat for
 * millions of entries), and stops at the first break: numbers run 1, 2, 3… with none missing,
 * each entry's previous hash is the hash of the one before, each entry's hash is recomputed from
 * what it holds, and the head names the last entry and its hash.
 */
export async function verifyAuditChain(
  db: Queryable,
  options: { onProgress?: (progress: VerifyProgress) => void; batchSize?: number } = {},
): Promise<AuditChainReport> {
  const head = await auditHead(db);
  if (head === null)
    return {
      ok: false,
      entries: 0,
      seq: null,
      problem: 'the chain has no head: the audit_head row was removed',
    };
  const batchSize = options.batchSize ?? VERIFY_BATCH;
  let expected = 1;
  let previous: { seq: number; at: string; hash: string } | null = null;
  let first: { seq: number; at: string } | null = null;
  let checked = 0;
  const broken = (seq: number | null, problem: string): AuditChainReport => ({
    ok: false,
    entries: checked,
    seq,
    problem,
  });
  for (;;) {
    const rows = await auditLogAfter(db, previous?.seq ?? 0, head.seq, batchSize);
    for (const row of rows) {
      const where = `entry ${String(row.seq)} (${row.at})`;
      if (row.seq !== expected) {
        const missing =
          row.seq === expected + 1
            ? `entry ${String(expected)} is missing`
            : `entries ${String(expected)} to ${String(row.seq - 1)} are missing`;
        return broken(
          expected,
          `${missing}: removed after ${missing.startsWith('entry') ? 'it was' : 'they were'} written`,
        );
      }
      const prevHash = previous?.hash ?? GENESIS_HASH;
      if (row.prevHash !== prevHash)
        return broken(
          row.seq,
          previous === null
            ? `${where} does not start the chain: its previous hash should be the chain's starting value`
            : `${where} does not follow entry ${String(previous.seq)}: entry ${String(previous.seq)} was changed after it was written, or ${where} was put in after it`,
        );
      const recomputed = auditHash(row.prevHash, {
        seq: row.seq,
        at: row.at,
        accountId: row.accountId,
        actor: row.actor,
        action: row.action,
        objectKind: row.objectKind,
        objectId: row.objectId,
        method: row.method,
        route: row.route,
        status: row.status,
        ip: row.ip,
        requestId: row.requestId,
        detail: row.detail,
      });
      if (recomputed !== row.hash)
        return broken(row.seq, `${where} does not match its hash: changed after it was written`);
      first ??= { seq: row.seq, at: row.at };
      previous = { seq: row.seq, at: row.at, hash: row.hash };
      expected += 1;
      checked += 1;
    }
    options.onProgress?.({ checked, total: head.seq });
    if (rows.length < batchSize) break;
  }
  const lastSeq = previous?.seq ?? 0;
  // The walk stops at the head, so the last entry can only be short of it.
  if (head.seq !== lastSeq)
    return broken(
      lastSeq + 1,
      `the chain's head says the last entry is ${String(head.seq)}, but the last entry is ${String(lastSeq)}: ${head.seq - lastSeq === 1 ? `entry ${String(head.seq)} was` : `entries ${String(lastSeq + 1)} to ${String(head.seq)} were`} removed`,
    );
  if (head.hash !== (previous?.hash ?? GENESIS_HASH))
    return broken(
      null,
      `the chain's head does not match the hash of entry ${String(lastSeq)}: the head was changed`,
    );
  // Entries past the head: appended while this ran (the head has moved on to them since), or
  // put in without the append, which always moves the head in the same transaction.
  const highest = await lastAuditSeq(db);
  if (highest > head.seq) {
    const now = await auditHead(db);
    if (now === null || now.seq < highest)
      return broken(
        head.seq + 1,
        `there are entries after the chain's head (entry ${String(head.seq)}), up to ${String(highest)}: they were put in without the audit trail's own append`,
      );
  }
  return {
    ok: true,
    entries: checked,
    first,
    last: previous === null ? null : { seq: previous.seq, at: previous.at },
    headHash: head.hash,
  };
}

/**
 * The "who" of an API call in the audit trail: the token's name, as the administrators gave it
 * (the API has no signed-in person). Null when the call is not recorded (api_calls).
 */
export async function apiCallActor(
  db: Queryable,
  callId: string,
): Promise<{ actor: string; tokenId: string | null } | null> {
  const call = await apiCallToken(db, callId);
  if (call === null) return null;
  return {
    actor:
      call.tokenName === null ? 'API call without a known token' : `API token: ${call.tokenName}`,
    tokenId: call.tokenId,
  };
}
