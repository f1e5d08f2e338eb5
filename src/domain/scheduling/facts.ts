import {
  addDays,
  applyOffset,
  birthday,
  parseIsoDate,
  type CalendarDate,
  type WorkingDayCalendar,
} from '../dates/index.js';
import type { ChildInput, FosterCarerInput, TeamInput, WorkerInput } from './extract.js';
import type { Condition, Rule } from './policy.js';

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

interface TypedSpan extends Span {
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
): TypedSpan[] {
  return (records ?? []).map((r) => ({ type: r.type, start: day(r.start), end: endOf(r.end) }));
}

function earliest(...lists: readonly (readonly Span[])[]): number {
  let first = OPEN;
  for (const list of lists) for (const s of list) if (s.start < first) first = s.start;
  return first;
}

const NONE: readonly never[] = [];

export function childFacts(child: ChildInput): SubjectFacts {
  const involvements = typed(child.involvements);
  const legal = typed(child.legal);
  const placements = (child.placements ?? []).map((p) => ({
    type: p.type,
    start: day(p.start),
    end: endOf(p.end),
    stableFrom: endOf(p.stableFrom),
  }));
  const risks = (child.risk ?? [])
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

/**
 * One conjunct of a condition, for one subject: it holds on d when d lies in one of the
 * half-open intervals [from, to) (or, when `negated`, in none of them). `begins` marks, for each
 * interval, the date its record begins when that record already makes the term hold on that
 * date (spec §3, step 2: a rule starts again when such a record begins), else NaN.
 */
export interface Term {
  readonly from: number[];
  readonly to: number[];
  readonly begins: number[];
  readonly negated: boolean;
}

function term(negated = false): Term {
  return { from: [], to: [], begins: [], negated };
}

function addInterval(t: Term, from: number, to: number, recordStart: number): void {
  if (!(from < to)) return;
  t.from.push(from);
  t.to.push(to);
  t.begins.push(recordStart >= from && recordStart < to ? recordStart : Number.NaN);
}

function exclusiveEnd(end: number): number {
  return end === OPEN ? OPEN : end + 1;
}

function after(
  start: number,
  offset: Rule['first'] | undefined,
  calendar: WorkingDayCalendar,
): number {
  return offset === undefined ? start : applyOffset(start as CalendarDate, offset, calendar);
}

function before(
  start: number,
  offset: Rule['first'] | undefined,
  calendar: WorkingDayCalendar,
): number {
  return offset === undefined ? OPEN : applyOffset(start as CalendarDate, offset, calendar);
}

function spansTerm(spans: readonly TypedSpan[], types: readonly string[]): Term {
  const t = term();
  for (const s of spans)
    if (types.includes(s.type)) addInterval(t, s.start, exclusiveEnd(s.end), s.start);
  return t;
}

/** The conjuncts of a rule's condition for one subject, its own period first where it has one. */
export function termsFor(
  condition: Condition,
  facts: SubjectFacts,
  calendar: WorkingDayCalendar,
  needsOwnPeriod: boolean,
): Term[] {
  const terms: Term[] = [];
  if (needsOwnPeriod) {
    const t = term();
    if (facts.own !== null)
      addInterval(t, facts.own.start, exclusiveEnd(facts.own.end), facts.own.start);
    terms.push(t);
  }
  if (condition.involvement) terms.push(spansTerm(facts.involvements, condition.involvement));
  if (condition.legal) terms.push(spansTerm(facts.legal, condition.legal));
  if (condition.placement) {
    const { types, from, to, stable } = condition.placement;
    const t = term();
    for (const p of facts.placements) {
      if (types !== undefined && !types.includes(p.type as never)) continue;
      let lo = Math.max(p.start, after(p.start, from, calendar));
      let hi = Math.min(exclusiveEnd(p.end), before(p.start, to, calendar));
      if (stable === true) lo = Math.max(lo, p.stableFrom);
      if (stable === false) hi = Math.min(hi, p.stableFrom);
      addInterval(t, lo, hi, p.start);
    }
    terms.push(t);
  }
  if (condition.noPlacement === true) {
    const t = term(true);
    for (const p of facts.placements) addInterval(t, p.start, exclusiveEnd(p.end), Number.NaN);
    terms.push(t);
  }
  if (condition.risk !== undefined) {
    // Before the first entry the level is unknown, which counts as high.
    const t = term();
    let from = Number.NEGATIVE_INFINITY;
    let level = 'high';
    for (const r of facts.risks) {
      if (level === condition.risk) addInterval(t, from, r.from, Number.NaN);
      from = r.from;
      level = r.level;
    }
    if (level === condition.risk) addInterval(t, from, OPEN, Number.NaN);
    terms.push(t);
  }
  if (condition.age !== undefined) {
    const { min, max, whenUnknown } = condition.age;
    const t = term();
    const dob = facts.dateOfBirth;
    if (dob === null) {
      if (whenUnknown) addInterval(t, Number.NEGATIVE_INFINITY, OPEN, Number.NaN);
    } else {
      const lo = min === undefined ? Number.NEGATIVE_INFINITY : birthday(dob as CalendarDate, min);
      const hi = max === undefined ? OPEN : birthday(dob as CalendarDate, max + 1);
      addInterval(t, lo, hi, Number.NaN);
    }
    terms.push(t);
  }
  if (condition.role !== undefined) {
    const t = term();
    if (facts.role !== null && condition.role.includes(facts.role as never)) {
      addInterval(t, Number.NEGATIVE_INFINITY, OPEN, Number.NaN);
    }
    terms.push(t);
  }
  if (condition.earlyCareer !== undefined) {
    const t = term();
    const ec = facts.earlyCareer;
    if (ec !== null) {
      const lo = Math.max(ec.start, after(ec.start, condition.earlyCareer.from, calendar));
      const hi = Math.min(
        exclusiveEnd(ec.end),
        before(ec.start, condition.earlyCareer.to, calendar),
      );
      addInterval(t, lo, hi, ec.start);
    }
    terms.push(t);
  }
  if (condition.probation !== undefined) {
    const t = term(!condition.probation);
    if (facts.probationEnd !== null)
      addInterval(t, Number.NEGATIVE_INFINITY, facts.probationEnd + 1, Number.NaN);
    terms.push(t);
  }
  if (condition.childrenPlaced !== undefined) {
    const t = term(!condition.childrenPlaced);
    for (const p of facts.childrenPlaced) {
      addInterval(t, p.start, exclusiveEnd(p.end), condition.childrenPlaced ? p.start : Number.NaN);
    }
    terms.push(t);
  }
  return terms;
}

export function termHolds(t: Term, d: number): boolean {
  const { from, to } = t;
  for (let i = 0; i < from.length; i++) {
    if ((from[i] as number) <= d && d < (to[i] as number)) return !t.negated;
  }
  return t.negated;
}

/** True when a record that makes this term hold begins on d. */
export function termBegins(t: Term, d: number): boolean {
  if (t.negated) return false;
  const { begins } = t;
  for (let i = 0; i < begins.length; i++) if (begins[i] === d) return true;
  return false;
}

/** Every date on which the term may change, into `out`. */
export function addTermEdges(t: Term, out: number[]): void {
  for (const d of t.from) if (Number.isFinite(d)) out.push(d);
  for (const d of t.to) if (Number.isFinite(d)) out.push(d);
}

export function dayBefore(d: number): number {
  return addDays(d as CalendarDate, -1);
}
