import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * The database's tables as Kysely sees them. Columns are snake_case; only repositories map them
 * to the domain's camelCase. Calendar dates are ISO `YYYY-MM-DD` text and instants ISO UTC text
 * in both SQLite and PostgreSQL; booleans are 0/1 integers so that both behave the same.
 */
export interface Database {
  organisation: OrganisationTable;
  services: ServicesTable;
  teams: TeamsTable;
  people: PeopleTable;
  children: ChildrenTable;
  child_involvements: ChildPeriodTable & { type: string };
  child_placements: ChildPeriodTable & { type: string; stable_from: string | null };
  child_legal: ChildPeriodTable & { type: string };
  child_risk: { child_id: string; level: string; from_date: string };
  allocations: ChildPeriodTable & { worker_id: string | null; team_id: string | null };
  foster_carers: FosterCarersTable;
  foster_placements: { id: string; carer_id: string; start: string; end: string | null };
  events: EventsTable;
  policy_versions: PolicyVersionsTable;
  closure_days: { date: string; description: string };
  overrides: OverridesTable;
  accounts: AccountsTable;
  web_sessions: WebSessionsTable;
  due_results: DueResultsTable;
  due_warnings: DueWarningsTable;
  subject_scope: SubjectScopeTable;
  due_state: DueStateTable;
}

export type Db = Kysely<Database>;
/** A repository function accepts the database or a transaction. */
export type Queryable = Kysely<Database> | Transaction<Database>;

export interface OrganisationTable {
  id: number;
  name: string;
  directorate: string;
  demo: number;
  created_at: string;
}

export interface ServicesTable {
  id: string;
  name: string | null;
}

export interface TeamsTable {
  id: string;
  name: string | null;
  service_id: string | null;
  group_supervision: number;
  start: string;
  end: string | null;
}

export interface PeopleTable {
  id: string;
  name: string | null;
  email: string | null;
  role: string;
  team_id: string | null;
  service_id: string | null;
  line_manager_id: string | null;
  start: string;
  end: string | null;
  probation_end: string | null;
  early_career_start: string | null;
  early_career_end: string | null;
}

export interface ChildrenTable {
  id: string;
  name: string | null;
  date_of_birth: string | null;
}

export interface ChildPeriodTable {
  id: string;
  child_id: string;
  start: string;
  end: string | null;
}

export interface FosterCarersTable {
  id: string;
  name: string | null;
  start: string;
  end: string | null;
  supervising_worker_id: string | null;
}

export type SubjectKindColumn = 'child' | 'worker' | 'fosterCarer' | 'team';

export interface EventsTable {
  id: string;
  subject_kind: SubjectKindColumn;
  subject_id: string;
  kind: string;
  date: string;
  /** Where it came from: 'import' (an extract), 'service' (recorded here), 'demo'. */
  source: string;
  recorded_by: string | null;
  recorded_at: string;
}

export interface PolicyVersionsTable {
  id: string;
  /** A preset's id, or the id inside a council's own policy file. */
  policy_id: string;
  source: 'preset' | 'file';
  /** The policy file's text, for a council's own file; null for a preset. */
  document: string | null;
  effective_from: string;
  chosen_by: string | null;
  chosen_at: string;
  reason: string;
}

export interface OverridesTable {
  id: string;
  child_id: string;
  /** An offset in the policy files' notation, e.g. "14d" or "1 month". */
  every: string;
  starts: string;
  until: string;
  direction: 'tighten' | 'loosen';
  reason: string;
  set_by: string;
  set_by_name: string;
  set_at: string;
  ended_at: string | null;
  ended_by: string | null;
}

export interface AccountsTable {
  id: string;
  email: string;
  password_hash: string | null;
  person_id: string | null;
  access: 'staff' | 'quality-assurance' | 'administrator';
  failed_attempts: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
  last_sign_in_at: string | null;
}

export interface WebSessionsTable {
  /** SHA-256 of the token in the cookie, so a copy of the table opens no session. */
  id: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface DueResultsTable {
  subject_kind: SubjectKindColumn;
  subject_id: string;
  requirement: string;
  /** '' for a clock; the period's start for a milestone or gate. */
  period_start: string;
  /** The engine's own result, exactly as `oversight due` gives it. */
  status: string;
  due: string;
  latest: string;
  last_event: string | null;
  rules: string;
  set_by_kind: string;
  set_by_date: string;
  reason: string;
  met: string | null;
  on_time: number | null;
  /** With a manager's override applied (equal to the engine's where there is none). */
  effective_status: string;
  effective_due: string;
  effective_latest: string;
  override_id: string | null;
  /** 0 overdue/missed/breached, 1 due, 2 on track, 3 met: sorts the worst first. */
  status_rank: number;
  /** Who may see it: the allocated (or own) worker, their team and its service. */
  worker_id: string | null;
  team_id: string | null;
  service_id: string | null;
  /** The child's open involvement types on asOf, as ",cp,cla," for filtering. */
  involvements: string;
  as_of: string;
}

export interface DueWarningsTable {
  subject_kind: SubjectKindColumn;
  subject_id: string;
  message: string;
  worker_id: string | null;
  team_id: string | null;
  service_id: string | null;
}

export interface SubjectScopeTable {
  subject_kind: SubjectKindColumn;
  subject_id: string;
  worker_id: string | null;
  team_id: string | null;
  service_id: string | null;
}

export interface DueStateTable {
  id: number;
  as_of: string | null;
  policy_version_id: string | null;
  /** Bumped by every change that needs everyone recomputed (policy, closure days). */
  generation: number;
  computed_generation: number | null;
  computed_at: string | null;
  lease_until: string | null;
}
