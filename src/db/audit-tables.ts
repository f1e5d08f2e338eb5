/** The audit trail's tables (migration 20261124T0010-audit). */
export interface AuditTables {
  audit_log: AuditLogTable;
  audit_head: { id: number; seq: number | string; hash: string };
}

export interface AuditLogTable {
  /** bigint: PostgreSQL returns it as a string; read it with Number(). */
  seq: number | string;
  at: string;
  account_id: string | null;
  actor: string;
  action: string;
  object_kind: string | null;
  object_id: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  ip: string | null;
  request_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}
