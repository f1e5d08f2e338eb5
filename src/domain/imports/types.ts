import type { Period } from '../organisation/snapshot.js';
import type {
  InvolvementType,
  LegalType,
  PlacementType,
  WorkerRole,
} from '../scheduling/vocabulary.js';

/**
 * What an importer turns a council's file into (docs/imports.md): an `ImportBatch` holding, for
 * each child, person and team in the file, only what that file says about them, and the
 * problems found on the way. `mergeBatch` (merge.ts) applies a batch to an organisation.
 */

export const IMPORT_SOURCE_KINDS = [
  'ssda903',
  'cin-census',
  'annex-a',
  'staff-list',
  'mapped-csv',
] as const;
export type ImportSourceKind = (typeof IMPORT_SOURCE_KINDS)[number];

/**
 * One thing wrong with (error) or assumed about (warning) an input file. `row` is the row as a
 * spreadsheet shows it (the heading row of a CSV file is row 1) or, for XML, the line number;
 * `column` is the column heading as written in the file, or for XML the element name.
 */
export interface ImportProblem {
  severity: 'error' | 'warning';
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
  message: string;
}

/**
 * A period as a source gives it. `continues` says the source shows the record was already open
 * before `start` (an SSDA903 file's first episode with a reason for new episode other than
 * "started to be looked after"): on merging, an existing record of the same type open on that
 * date lends it its earlier start.
 */
export interface ImportedPeriod extends Period {
  continues?: boolean;
}
export interface ImportedInvolvement extends ImportedPeriod {
  type: InvolvementType;
}
export interface ImportedPlacement extends ImportedPeriod {
  type: PlacementType;
  stableFrom: string | null;
}
export interface ImportedLegal extends ImportedPeriod {
  type: LegalType;
}

/** A person as a file names them: by id, email or name, resolved against the organisation. */
export interface PersonRef {
  id?: string;
  email?: string;
  name?: string;
}

export interface ImportedAllocation extends Period {
  worker: PersonRef | null;
  /** A key of `ImportBatch.teams`. */
  teamKey: string | null;
}

/**
 * The records of one kind a source holds for a child, and the date from which it holds all of
 * them. Records of that kind already held that ended before `from` lie outside what the source
 * covers and are kept; those that began before it and ran on are kept up to it; all others are
 * replaced by `records`. `from` null: the source speaks for all time.
 */
export interface ImportedRecords<R> {
  from: string | null;
  records: R[];
}

/**
 * What a point-in-time list says about a child on `date` (Ofsted Annex A): these involvements
 * are open, and this is the allocated worker and team. Unlike records, these carry no start:
 * an involvement already open is left as it is, and an allocation already held is not restarted.
 */
export interface OpenOn {
  date: string;
  involvements: InvolvementType[];
  allocation: { worker: PersonRef | null; teamKey: string | null } | null;
}

/** A child as one source sees them; absent fields are fields the source does not give. */
export interface ImportedChild {
  id: string;
  dateOfBirth?: string;
  involvements?: ImportedRecords<ImportedInvolvement>;
  placements?: ImportedRecords<ImportedPlacement>;
  legal?: ImportedRecords<ImportedLegal>;
  allocations?: ImportedRecords<ImportedAllocation>;
  openOn?: OpenOn;
}

/** A person as a staff list sees them; absent fields are left as the organisation has them. */
export interface ImportedPerson {
  id: string;
  name?: string | null;
  email?: string | null;
  role?: WorkerRole;
  /** A key of `ImportBatch.teams`, or null for no team. */
  teamKey?: string | null;
  lineManager?: PersonRef | null;
  start?: string;
  end?: string | null;
  probationEnd?: string | null;
  earlyCareer?: Period | null;
}

/**
 * A team a file refers to. With an `id`, matched by id; without, by name (case, punctuation and
 * spacing ignored). A team that matches none is created when the file gives a `start`.
 */
export interface ImportedTeam {
  key: string;
  id: string | null;
  name: string | null;
  start: string | null;
}

/** Which involvement and legal types a batch speaks for (its children's others are kept). */
export interface ImportCoverage {
  involvementTypes: InvolvementType[];
  legalTypes: LegalType[];
}

export interface ImportBatch {
  source: ImportSourceKind;
  covers: ImportCoverage;
  children: Map<string, ImportedChild>;
  people: Map<string, ImportedPerson>;
  teams: Map<string, ImportedTeam>;
}

export interface ImportResult {
  batch: ImportBatch;
  problems: ImportProblem[];
}

/** True when nothing in `problems` stops the batch from being applied. */
export function hasErrors(problems: readonly ImportProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function emptyBatch(source: ImportSourceKind): ImportBatch {
  return {
    source,
    covers: { involvementTypes: [], legalTypes: [] },
    children: new Map(),
    people: new Map(),
    teams: new Map(),
  };
}
