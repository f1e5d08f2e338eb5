import type { CalendarDate, Offset } from '../dates/index.js';
import type {
  ChildEventKind,
  FamilyId,
  InvolvementType,
  LegalType,
  PlacementType,
  RiskLevel,
  SubjectKind,
  WorkerRole,
} from './vocabulary.js';

/**
 * A supervision policy as the engine reads it. Policy files (src/policies/*.yaml) are validated
 * and turned into this shape by policy-schema.ts; nothing here knows about files.
 *
 * A rule's condition is a conjunction: every field that is present must hold. Each field is
 * about one kind of subject (see CONDITION_SUBJECTS).
 */
export interface Condition {
  /** An involvement of one of these types is open. */
  readonly involvement?: readonly InvolvementType[];
  /**
   * A placement matching all of these is open (each placement judged on its own): one of
   * `types` (default any), in its phase [start ⊕ from, start ⊕ to), and stable (on or after its
   * `stableFrom`) or not (before it, or none).
   */
  readonly placement?: {
    readonly types?: readonly PlacementType[];
    readonly from?: Offset;
    readonly to?: Offset;
    readonly stable?: boolean;
  };
  /** No placement of any type is open. */
  readonly noPlacement?: boolean;
  /** A legal period of one of these types is open. */
  readonly legal?: readonly LegalType[];
  /** The child's risk level on the date (the latest entry; none means high). */
  readonly risk?: RiskLevel;
  /** Whole years, both ends inclusive; `whenUnknown` says whether it holds without a date of birth. */
  readonly age?: { readonly min?: number; readonly max?: number; readonly whenUnknown: boolean };
  /** The worker has one of these roles. */
  readonly role?: readonly WorkerRole[];
  /** The early-career programme is open and the date is in [S ⊕ from, S ⊕ to), S its start. */
  readonly earlyCareer?: { readonly from?: Offset; readonly to?: Offset };
  /** On or before the worker's probation end (true), or not in probation (false). */
  readonly probation?: boolean;
  /** At least one child is placed with the foster carer (true), or none (false). */
  readonly childrenPlaced?: boolean;
}

export type ConditionKey = keyof Condition;

export const CONDITION_SUBJECTS: Record<ConditionKey, SubjectKind> = {
  involvement: 'child',
  placement: 'child',
  noPlacement: 'child',
  legal: 'child',
  risk: 'child',
  age: 'child',
  role: 'worker',
  earlyCareer: 'worker',
  probation: 'worker',
  childrenPlaced: 'fosterCarer',
};

export interface Rule {
  readonly id: string;
  readonly family: FamilyId;
  /** What a manager calls it: "Child Protection plan". */
  readonly label: string;
  readonly when: Condition;
  /** Holds only on dates when no rule listed before it in the same family holds. */
  readonly onlyWhereNoEarlierRule: boolean;
  readonly first: Offset;
  readonly every: Offset;
  readonly firstLatest: Offset;
  readonly everyLatest: Offset;
  /** The policy text this row transcribes. */
  readonly source: string;
  /** How the text was read, where that is not obvious. */
  readonly interpretation?: string;
}

/** A period a milestone or gate is anchored on: each child record of these types. */
export interface PeriodSelector {
  readonly involvement: readonly InvolvementType[];
}

export interface Milestone {
  readonly id: string;
  readonly label: string;
  readonly period: PeriodSelector;
  readonly within: Offset;
  readonly metBy: ChildEventKind;
  readonly source: string;
  readonly interpretation?: string;
}

export interface Gate {
  readonly id: string;
  readonly label: string;
  readonly period: PeriodSelector;
  /** Met by any event that satisfies this family. */
  readonly family: FamilyId;
  readonly source: string;
  readonly interpretation?: string;
}

export interface NotModelled {
  readonly source: string;
  readonly reason: string;
}

export interface Policy {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** The document the policy transcribes. */
  readonly sourceDocument: string;
  /** Rules per family, in the order the policy lists them (order matters to onlyWhereNoEarlierRule). */
  readonly rules: Readonly<Partial<Record<FamilyId, readonly Rule[]>>>;
  readonly milestones: readonly Milestone[];
  readonly gates: readonly Gate[];
  readonly notModelled: readonly NotModelled[];
  /** The organisation's own closure days, on top of bank holidays. */
  readonly closureDays: readonly CalendarDate[];
}

/** At most this many rules in one family: the engine keeps the set in force as a bit mask. */
export const MAX_RULES_PER_FAMILY = 30;
