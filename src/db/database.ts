import type { Generated, Kysely, Transaction } from 'kysely';
import type { AccountSecurityTables } from './account-security-tables.js';
import type { AuditTables } from './audit-tables.js';
import type { DataProtectionTables } from './data-protection-tables.js';
import type { ImportsInTheServiceTables } from './imports-in-the-service-tables.js';
import type { SingleSignOnTables } from './single-sign-on-tables.js';

/**
 * The database's tables as Kysely sees them. Columns are snake_case; only repositories map them
 * to the domain's camelCase. Calendar dates are ISO `YYYY-MM-DD` text and instants ISO UTC text
 * in both SQLite and PostgreSQL; booleans are 0/1 integers so that both behave the same.
 */
export interface Database
  extends
    AccountSecurityTables,
    AuditTables,
    SingleSignOnTables,
    DataProtectionTables,
    ImportsInTheServiceTables {
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
  supervision_sessions: SupervisionSessionsTable;
  draft_sections: DraftSectionsTable;
  session_participants: SessionParticipantsTable;
  session_personal: SessionPersonalTable;
  case_discussions: CaseDiscussionsTable;
  supervision_actions: SupervisionActionsTable;
  action_reviews: { session_id: string; action_id: string; outcome: string; reason: string | null };
  agenda_items: AgendaItemsTable;
  session_addenda: SessionAddendaTable;
  oversight_notes: OversightNotesTable;
  supervision_contracts: SupervisionContractsTable;
  handovers: HandoversTable;
  api_tokens: ApiTokensTable;
  api_calls: ApiCallsTable;
  api_events: ApiEventsTable;
  import_history: ImportHistoryTable;
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
  /** The record that wrote it: 'session', 'oversight-note' or 'contract' (null otherwise). */
  record_kind: string | null;
  record_id: string | null;
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
  /** The TOTP secret, sealed (src/domain/access/totp.ts); null without two-factor. */
  two_factor_secret: string | null;
  two_factor_enabled_at: string | null;
  /** A secret being set up, sealed, until its first code is entered. */
  two_factor_pending_secret: string | null;
  /** The step of the last code accepted: a code is never accepted twice. */
  two_factor_last_step: number | string | null;
  password_changed_at: string | null;
}

export interface WebSessionsTable {
  /** SHA-256 of the token in the cookie, so a copy of the table opens no session. */
  id: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  /** Where the session was started from, for the person's list of their sessions. */
  ip: string | null;
  user_agent: string | null;
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

export interface SupervisionSessionsTable {
  id: string;
  /** 'individual' | 'group' | 'joint'. */
  type: string;
  supervisor_id: string;
  /** A group session's team. */
  team_id: string | null;
  date: string;
  start_time: string | null;
  end_time: string | null;
  place: string | null;
  /** What a group agreed about confidentiality. */
  confidentiality: string | null;
  /** Whether the case discussions covered 'all' the worker's children or a 'sample'. */
  all_cases: string | null;
  team_issues: string | null;
  other_business: string | null;
  next_date: string | null;
  /** 'draft' → 'awaiting-supervisee' (signed by the supervisor, locked) → 'complete'. */
  state: string;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
  supervisor_signed_at: string | null;
  completed_at: string | null;
}

/** Each part of a draft's revision, so that two people editing one part are told. */
export interface DraftSectionsTable {
  session_id: string;
  /** 'details', 'personal', 'review', 'cases', 'case:<discussion id>', 'general'. */
  section: string;
  revision: number;
  updated_by: string;
  updated_at: string;
}

export interface SessionParticipantsTable {
  session_id: string;
  person_id: string;
  /** 'supervisee' | 'co-worker'. */
  role: string;
  read_at: string | null;
  signed_at: string | null;
  comment: string | null;
  disagreement: string | null;
}

/** The personal section: seen only by its supervisee and the supervisor who wrote it. */
export interface SessionPersonalTable {
  session_id: string;
  person_id: string;
  author_id: string;
  absence: string | null;
  wellbeing: string | null;
  learning: string | null;
  updated_at: string;
}

export interface CaseDiscussionsTable {
  id: string;
  session_id: string;
  child_id: string;
  /** The child's allocated worker when the discussion was added. */
  worker_id: string | null;
  position: number;
  status: string | null;
  since_last: string | null;
  changes: string | null;
  working_well: string | null;
  worries: string | null;
  strengths: string | null;
  child_voice: string | null;
  decision: string | null;
  rationale: string | null;
  /** When a manager marked the decision record as copied to the child's file. */
  copied_at: string | null;
  copied_by: string | null;
}

export interface SupervisionActionsTable {
  id: string;
  session_id: string;
  discussion_id: string | null;
  child_id: string | null;
  description: string;
  owner_id: string;
  due_date: string | null;
  /** 'open' | 'done' | 'dropped'. */
  state: string;
  /** How many times it has been carried forward. */
  carried: Generated<number>;
  closed_in: string | null;
  closed_at: string | null;
  drop_reason: string | null;
  created_at: string;
}

export interface AgendaItemsTable {
  id: string;
  supervisee_id: string;
  text: string;
  added_by: string;
  added_at: string;
  /** The session that took it up, once signed. */
  session_id: string | null;
}

export interface SessionAddendaTable {
  id: string;
  session_id: string;
  author_id: string;
  text: string;
  created_at: string;
}

export interface OversightNotesTable {
  id: string;
  child_id: string;
  kind: string;
  date: string;
  decision: string;
  rationale: string;
  author_id: string;
  created_at: string;
}

export interface SupervisionContractsTable {
  id: string;
  supervisee_id: string;
  supervisor_id: string;
  /** An offset in the policy files' notation ("28 days", "1 month"); null: the policy's. */
  frequency: string | null;
  duration_minutes: number | null;
  place: string | null;
  supervisor_responsibilities: string;
  supervisee_responsibilities: string;
  dispute_resolver: string | null;
  created_at: string;
  updated_at: string;
  supervisor_signed_at: string | null;
  supervisee_signed_at: string | null;
  /** The date both had signed: the `contract` event's date. */
  signed_date: string | null;
  review_due: string | null;
  superseded_at: string | null;
}

export interface HandoversTable {
  id: string;
  supervisee_id: string;
  from_supervisor_id: string | null;
  to_supervisor_id: string | null;
  /** JSON: what the new supervisor needs (open actions, children, last session, contract). */
  summary: string;
  notes: string | null;
  created_at: string;
  acknowledged_at: string | null;
}

/** A token an integration calls the API with (docs/api.md); only its SHA-256 hash is kept. */
export interface ApiTokensTable {
  id: string;
  /** The integration's name, as the administrator gave it. */
  name: string;
  /** SHA-256 of the token, hex: a copy of the table lets nobody call the API. */
  token_hash: string;
  /** The token's first characters (`ovs_` and six more), to recognise it by. */
  prefix: string;
  /** What it may do, space-separated: `due:read`, `events:write`. */
  scopes: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Every call made to the API, refused ones too. */
export interface ApiCallsTable {
  id: string;
  /** Null when the call had no token or one that is not recognised. */
  token_id: string | null;
  method: string;
  /** The route's pattern, e.g. `/api/v1/children/:id/due`. */
  route: string;
  status: number;
  /** The API's error code (`invalid_token`, `not_found`…), null on success. */
  error_code: string | null;
  subject_kind: string | null;
  subject_id: string | null;
  at: string;
  /** The request's id in the service's log lines. */
  request_id: string;
}

/**
 * An event posted through the API; its row in `events` has record_kind 'api', record_id this id
 * and recorded_by the token's id. `external_id` (the integration's own id) is unique.
 */
export interface ApiEventsTable {
  id: string;
  token_id: string;
  external_id: string | null;
  subject_kind: SubjectKindColumn;
  subject_id: string;
  kind: string;
  date: string;
  created_at: string;
}

/** One import of councils' files, applied or refused (migration 20261124T0009). */
export interface ImportHistoryTable {
  id: string;
  /** 'ssda903', 'cin-census', 'annex-a', 'staff-list'. */
  kind: string;
  /** JSON: [{ name, sha256, bytes }]. */
  files: string;
  /** JSON: what the import did, or the problems that stopped it. */
  summary: string;
  outcome: 'applied' | 'refused';
  by: string;
  at: string;
}
