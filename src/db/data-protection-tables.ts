/** The tables of migration 20261124T0013-data-protection. */
export interface DataProtectionTables {
  break_glass_grants: BreakGlassGrantsTable;
  retention_rules: RetentionRulesTable;
  legal_holds: LegalHoldsTable;
}

/** Access to one signed record's personal section, for a stated reason and a few hours. */
export interface BreakGlassGrantsTable {
  id: string;
  session_id: string;
  /** Whose personal section it opens: they are told. */
  supervisee_id: string;
  account_id: string;
  person_id: string | null;
  granted_to_name: string;
  granted_to_role: string;
  /** Kept as written: an investigation needs it, and the supervisee is shown it. */
  reason: string;
  hours: number;
  granted_at: string;
  expires_at: string;
  /** When the supervisee dismissed the notice on their pages. */
  dismissed_at: string | null;
}

/** A period an administrator has set; a record type without a row has its default. */
export interface RetentionRulesTable {
  record_type: string;
  years: number;
  set_by: string;
  set_at: string;
}

export interface LegalHoldsTable {
  id: string;
  subject_kind: 'person' | 'child';
  subject_id: string;
  reason: string;
  placed_by: string;
  placed_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
  lift_reason: string | null;
}
