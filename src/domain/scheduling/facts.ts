import { parseIsoDate } from '../dates/index.js';
import type { ChildInput, FosterCarerInput, TeamInput, WorkerInput } from './extract.js';

/**
 * What a subject's records say, as integer day numbers, and a rule's condition turned into
 * intervals of dates on which it holds for that subject. Conditions change only at the edges of
 * these intervals, so the engine walks the edges and the events, never day by day.
 */

/** No end: later than any date. */
export const OPEN = Number.POSITIVE_INFINITY;

export interface Span {
  readonly start: number;
  /** Inclusive; OPEN when the record is still open. */
  readonly end: number;
}

export interface TypedSpan extends Span {
  readonly type: string;
}

interface PlacementSpan extends TypedSpan {
  readonly stableFrom: number;
}

export interface SubjectFacts {
  /** The subject's own period: employment, approval, the team's period (null for a child). */
  readonly own: Span | null;
  readonly involvements: readonly TypedSpan[];
  readonly placements: readonly PlacementSpan[];
  readonly legal: readonly TypedSpan[];
  /** Sorted by `from`. */
  readonly risks: readonly { readonly from: number; readonly level: string }[];
  readonly dateOfBirth: number | null;
  readonly role: string | null;
  readonly earlyCareer: Span | null;
  readonly probationEnd: number | null;
  /** A foster carer's placements. */
  readonly childrenPlaced: readonly Span[];
  /** The earliest start of any record: the walk begins here. */
  readonly firstStart: number;
}

const NONE: readonly never[] = [];

function day(text: string): number {
  return parseIsoDate(text);
}

function endOf(text: string | null | undefined): number {
  return text == null ? OPEN : parseIsoDate(text);
}

function span(record: { start: string; end?: string | null }): Span {
  return { start: day(record.start), end: endOf(record.end) };
}

function typed(
  records: readonly { type: string; start: string; end?: string | null }[] | null | undefined,
): readonly TypedSpan[] {
  if (!records || records.length === 0) return NONE;
  const spans: TypedSpan[] = [];
  for (const r of records) spans.push({ type: r.type, start: day(r.start), end: endOf(r.end) });
  return spans;
}

function earliest(...lists: readonly (readonly Span[])[]): number {
  let first = OPEN;
  for (const list of lists) for (const s of list) if (s.start < first) first = s.start;
  return first;
}

export function childFacts(child: ChildInput): SubjectFacts {
  const involvements = typed(child.involvements);
  const legal = typed(child.legal);
  const placements = !child.placements?.length
    ? NONE
    : child.placements.map((p) => ({
        type: p.type,
        start: day(p.start),
        end: endOf(p.end),
        stableFrom: endOf(p.stableFrom),
      }));
  const risks = !child.risk?.length
    ? NONE
    : child.risk
        .map((r) => ({ from: day(r.from), level: r.level }))
        .sort((a, b) => a.from - b.from);
  return {
    own: null,
    involvements,
    placements,
    legal,
    risks,
    dateOfBirth: child.dateOfBirth == null ? null : day(child.dateOfBirth),
    role: null,
    earlyCareer: null,
    probationEnd: null,
    childrenPlaced: NONE,
    firstStart: earliest(involvements, placements, legal),
  };
}

export function workerFacts(worker: WorkerInput): SubjectFacts {
  const own = span(worker);
  const earlyCareer = worker.earlyCareer == null ? null : span(worker.earlyCareer);
  return {
    own,
    involvements: NONE,
    placements: NONE,
    legal: NONE,
    risks: NONE,
    childrenPlaced: NONE,
    dateOfBirth: null,
    role: worker.role,
    earlyCareer,
    probationEnd: worker.probationEnd == null ? null : day(worker.probationEnd),
    firstStart: earlyCareer === null ? own.start : Math.min(own.start, earlyCareer.start),
  };
}

export function fosterCarerFacts(carer: FosterCarerInput): SubjectFacts {
  const own = span(carer);
  const childrenPlaced = (carer.placements ?? []).map(span);
  return {
    own,
    involvements: NONE,
    placements: NONE,
    legal: NONE,
    risks: NONE,
    childrenPlaced,
    dateOfBirth: null,
    role: null,
    earlyCareer: null,
    probationEnd: null,
    firstStart: Math.min(own.start, earliest(childrenPlaced)),
  };
}

export function teamFacts(team: TeamInput): SubjectFacts {
  // A team's families apply only while it has group supervision: without it, no period at all.
  const own = team.groupSupervision === true ? span(team) : null;
  return {
    own,
    involvements: NONE,
    placements: NONE,
    legal: NONE,
    risks: NONE,
    childrenPlaced: NONE,
    dateOfBirth: null,
    role: null,
    earlyCareer: null,
    probationEnd: null,
    firstStart: own === null ? OPEN : own.start,
  };
}
