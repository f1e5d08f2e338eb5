import type {
  InvolvementType,
  LegalType,
  PlacementType,
  RiskLevel,
  WorkerRole,
} from '../scheduling/vocabulary.js';

/**
 * A whole organisation as plain data: its structure (directorate, services, teams, people, line
 * management), its children with their records and allocation history, its foster carers, and
 * every event the engine reads. Dates are ISO `YYYY-MM-DD`; `null` end means still open.
 *
 * It is what the demo organisation is generated as, what `oversight import extract` turns an
 * extract into (with no names or structure), and what the database is loaded from and compared
 * against. `toExtract` (to-extract.ts beside this file) gives the engine's view of it.
 */
export interface OrganisationSnapshot {
  organisation: { name: string; directorate: string };
  services: ServiceRecord[];
  teams: TeamRecord[];
  people: PersonRecord[];
  children: ChildRecord[];
  fosterCarers: FosterCarerRecord[];
}

/** An organisation with nothing in it: the base for a snapshot of a few subjects. */
export const EMPTY_SNAPSHOT: OrganisationSnapshot = Object.freeze({
  organisation: { name: '', directorate: '' },
  services: [],
  teams: [],
  people: [],
  children: [],
  fosterCarers: [],
});

export interface DatedEvent<K extends string = string> {
  date: string;
  kind: K;
}

export interface Period {
  start: string;
  end: string | null;
}

export interface ServiceRecord {
  id: string;
  name: string | null;
}

export interface TeamRecord extends Period {
  id: string;
  name: string | null;
  serviceId: string | null;
  groupSupervision: boolean;
  events: DatedEvent<'group'>[];
}

export interface PersonRecord extends Period {
  id: string;
  name: string | null;
  email: string | null;
  role: WorkerRole;
  /** The person's team; null for people above team level (heads of service, directors). */
  teamId: string | null;
  /** The service a person above team level belongs to (a head of service's own service). */
  serviceId: string | null;
  /** Their supervisor. */
  lineManagerId: string | null;
  probationEnd: string | null;
  earlyCareer: Period | null;
  events: DatedEvent<'individual' | 'group' | 'contract'>[];
}

export interface ChildRecord {
  id: string;
  name: string | null;
  dateOfBirth: string | null;
  involvements: (Period & { type: InvolvementType })[];
  placements: (Period & { type: PlacementType; stableFrom: string | null })[];
  legal: (Period & { type: LegalType })[];
  risk: { level: RiskLevel; from: string }[];
  /** Who holds the case, with history: the allocated worker and their team. */
  allocations: (Period & { workerId: string | null; teamId: string | null })[];
  events: DatedEvent<'case-supervision' | 'group-supervision' | 'management-oversight'>[];
}

export interface FosterCarerRecord extends Period {
  id: string;
  name: string | null;
  /** The supervising social worker, whose team sees the carer. */
  supervisingWorkerId: string | null;
  placements: Period[];
  events: DatedEvent<'supervision'>[];
}
