import type { LegalType, PlacementType } from '../scheduling/vocabulary.js';

/**
 * The SSDA903 codes Oversight reads, and what each becomes. Meanings are paraphrased from the
 * DfE SSDA903 guidance as collected in shared/data-standards/README.md §2.4; docs/imports.md
 * gives the same tables for people.
 */

export interface PlaceMapping {
  type: PlacementType;
  /**
   * A temporary move (T0–T4): the child is away from the placement, not in a new one, so the
   * episode extends the placement it interrupts (its type is used only when there is none).
   */
  temporary?: true;
  /** Collection years the DfE accepts the code in (first, and last where it was withdrawn). */
  years: string;
}

/**
 * PLACE (placement type) → placement type, for every code of the collection years 2022-23 to
 * 2026-27. Oversight's five placement types are coarser than the 903's; where a code could go two
 * ways the reason is given. (Under the presets, `foster`, `residential` and `other` are treated
 * alike; `with-parents` and `adoption` have rules of their own.)
 */
export const PLACE_CODES: Readonly<Record<string, PlaceMapping>> = {
  // Foster placement with relative(s) or friend(s): long-term fostering.
  U1: { type: 'foster', years: '2022-23 on' },
  // Foster placement with relative(s) or friend(s) who are also approved adopters: fostering for
  // adoption or concurrent planning. Still a foster placement until the child is placed for
  // adoption (A3–A6), so `foster`, not `adoption`.
  U2: { type: 'foster', years: '2022-23 on' },
  // Foster placement with relative(s) or friend(s): not long-term, not FFA/concurrent planning.
  U3: { type: 'foster', years: '2022-23 on' },
  // Foster placement with other foster carer(s): long-term fostering.
  U4: { type: 'foster', years: '2022-23 on' },
  // Foster placement with other foster carer(s) who are also approved adopters: FFA/concurrent
  // planning (a foster placement, as U2).
  U5: { type: 'foster', years: '2022-23 on' },
  // Foster placement with other foster carer(s): not long-term, not FFA/concurrent planning.
  U6: { type: 'foster', years: '2022-23 on' },
  // Placed for adoption with parental/guardian consent (ACA 2002 s19), with current foster carer(s).
  A3: { type: 'adoption', years: '2022-23 on' },
  // Placed for adoption with parental/guardian consent, not with current foster carer(s).
  A4: { type: 'adoption', years: '2022-23 on' },
  // Placed for adoption under a placement order (ACA 2002 s21), with current foster carer(s).
  A5: { type: 'adoption', years: '2022-23 on' },
  // Placed for adoption under a placement order, not with current foster carer(s).
  A6: { type: 'adoption', years: '2022-23 on' },
  // Placed with own parent(s) or other person(s) with parental responsibility.
  P1: { type: 'with-parents', years: '2022-23 on' },
  // Independent living (flat, lodgings, bedsit, B&B or with friends), with or without support.
  // Not a parent, foster carer or home: `other`. Withdrawn from 2025-26.
  P2: { type: 'other', years: '2022-23 to 2024-25' },
  // Residential employment: the child lives where they work, not with parents: `other`.
  P3: { type: 'other', years: '2022-23 on' },
  // Semi-independent living accommodation not subject to children's homes regulations: supported
  // accommodation, not a children's home, so `other`. Withdrawn from 2025-26 (continues as K3).
  H5: { type: 'other', years: '2022-23 to 2024-25' },
  // Registered (Ofsted) supported accommodation for 16- and 17-year-olds: `other`, as H5, which
  // it replaces.
  K3: { type: 'other', years: '2024-25 on' },
  // Secure children's home.
  K1: { type: 'residential', years: '2022-23 on' },
  // Children's home subject to the Children's Homes Regulations.
  K2: { type: 'residential', years: '2022-23 on' },
  // Residential care home (a care home registered for adults or children, not a children's home).
  R1: { type: 'residential', years: '2022-23 on' },
  // NHS/health trust or other establishment providing medical or nursing care: the child lives
  // in an establishment with staff caring for them, so `residential`.
  R2: { type: 'residential', years: '2022-23 on' },
  // Family centre or mother and baby unit: a residential unit, so `residential`.
  R3: { type: 'residential', years: '2022-23 on' },
  // Young offender institution or secure training centre: custody is neither a home nor a
  // family: `other`.
  R5: { type: 'other', years: '2022-23 on' },
  // Residential school (not dual-registered as a children's home).
  S1: { type: 'residential', years: '2022-23 on' },
  // Temporary placements: the child is away from the usual placement, which continues.
  // Any kind of temporary move not covered by T1–T4 (from 2024-25 the catch-all).
  T0: { type: 'other', temporary: true, years: '2022-23 on' },
  // Temporary periods in hospital.
  T1: { type: 'other', temporary: true, years: '2022-23 on' },
  // Temporary absence of the child on holiday.
  T2: { type: 'other', temporary: true, years: '2022-23 on' },
  // Temporary accommodation while the normal foster carer is on holiday.
  T3: { type: 'other', temporary: true, years: '2022-23 on' },
  // Temporary accommodation of seven days or less, for any reason not covered by T1–T3.
  T4: { type: 'other', temporary: true, years: '2022-23 on' },
  // Other placements (listed on a schedule sent to the DfE). Withdrawn from 2025-26.
  Z1: { type: 'other', years: '2022-23 to 2024-25' },
  // Z11–Z14 replace Z1 from 2025-26: other placements, split by kind of setting (their exact
  // DfE wording was not available: see docs/imports.md). All `other`, as Z1.
  Z11: { type: 'other', years: '2025-26 on' },
  Z12: { type: 'other', years: '2025-26 on' },
  Z13: { type: 'other', years: '2025-26 on' },
  Z14: { type: 'other', years: '2025-26 on' },
};

export interface LegalStatusMapping {
  /** The legal period the status means, or null when it is none of Oversight's. */
  type: LegalType | null;
  /** Short breaks (V3/V4): the child is not looked after for supervision; see ssda903-episodes.ts. */
  shortBreak?: true;
}

/**
 * LS (legal status) → legal type. Oversight's legal types are the stages of public law
 * proceedings: `care-proceedings` runs while an application under s31 Children Act 1989 is before
 * the court, which in the 903 is the time under an interim care order. Every other status is
 * either no order, an order that ends proceedings, or another kind of order.
 */
export const LEGAL_STATUS_CODES: Readonly<Record<string, LegalStatusMapping>> = {
  // Interim care order (s38): care proceedings issued and not yet decided.
  C1: { type: 'care-proceedings' },
  // Full care order (s31): the proceedings have ended with a care order.
  C2: { type: null },
  // Freeing order granted (adoption, before December 2005): not care proceedings.
  D1: { type: null },
  // Placement order granted (ACA 2002 s21): adoption proceedings have ended.
  E1: { type: null },
  // Single period of accommodation under s20 (voluntary): no proceedings.
  V2: { type: null },
  // Accommodated under an agreed series of short-term breaks, each episode recorded.
  V3: { type: null, shortBreak: true },
  // Accommodated under an agreed series of short-term breaks, recorded as agreements.
  V4: { type: null, shortBreak: true },
  // Under police protection and in local authority accommodation (s46): no court order.
  L1: { type: null },
  // Emergency protection order (s44): an emergency order, not yet care proceedings; when
  // proceedings follow, the interim care order (C1) that comes with them starts the period.
  L2: { type: null },
  // Under a child assessment order (s43) and in local authority accommodation.
  L3: { type: null },
  // Remanded to local authority or youth detention accommodation: youth justice, not care.
  J1: { type: null },
  // Detained in local authority accommodation under PACE 1984: youth justice.
  J2: { type: null },
  // Sentenced to a youth rehabilitation order with residence or fostering: youth justice.
  J3: { type: null },
};

/** RNE (reason for new episode). */
export const NEW_EPISODE_REASONS: Readonly<Record<string, string>> = {
  S: 'started to be looked after',
  L: 'change of legal status only',
  P: 'change of placement and carer(s) only',
  T: 'change of placement only, same carer(s)',
  B: 'change of legal status and of placement and carer(s) together',
  U: 'change of legal status and of placement, same carer(s)',
};

/** REC (reason episode ceased): X1 continues the period of care; every other code ends it. */
export const EPISODE_END_REASONS: ReadonlySet<string> = new Set([
  'X1',
  'E11',
  'E12',
  'E2',
  'E3',
  'E4A',
  'E4B',
  'E13',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
  'E5',
  'E6',
  'E7',
  'E9',
  'E14',
  'E15',
  'E16',
  'E17',
  'E8',
  // Historic codes still found in older files (SGO before the E45–E48 split).
  'E43',
  'E44',
]);

/** Every PLACE code of the table, for documentation and tests. */
export const PLACE_CODE_LIST: readonly string[] = Object.keys(PLACE_CODES);

// Look-ups through Maps, so that a code such as `constructor` is simply unknown.
const PLACES = new Map(Object.entries(PLACE_CODES));
const LEGAL_STATUSES = new Map(Object.entries(LEGAL_STATUS_CODES));
const NEW_EPISODE = new Set(Object.keys(NEW_EPISODE_REASONS));

export function placeMapping(code: string): PlaceMapping | undefined {
  return PLACES.get(code);
}

export function legalStatusMapping(code: string): LegalStatusMapping | undefined {
  return LEGAL_STATUSES.get(code);
}

export function isNewEpisodeReason(code: string): boolean {
  return NEW_EPISODE.has(code);
}
