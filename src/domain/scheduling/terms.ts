import {
  applyOffset,
  birthday,
  type CalendarDate,
  type Offset,
  type WorkingDayCalendar,
} from '../dates/index.js';
import { OPEN, type SubjectFacts, type TypedSpan } from './facts.js';
import type { Condition } from './policy.js';

/**
 * A rule's condition for one subject, as intervals of dates. Each conjunct of the condition (a
 * "term") holds on d when d lies in one of its half-open intervals [from, to), or, for a negated
 * term, in none of them. Each interval also notes the date its record begins when that record
 * already makes the term hold on that date (spec §3, step 2: a rule starts again when such a
 * record begins), else NaN.
 *
 * Everything lives in typed arrays that one run of the engine reuses for every subject and
 * family: the engine handles a council's whole history, and small arrays per subject were most
 * of its garbage.
 */
export class TermBuffer {
  private from = new Float64Array(64);
  private to = new Float64Array(64);
  private begin = new Float64Array(64);
  private intervals = 0;
  private termFirst = new Int32Array(64);
  private termEnd = new Int32Array(64);
  private termNegated = new Uint8Array(64);
  private terms = 0;
  private ruleFirst = new Int32Array(32);
  private ruleEnd = new Int32Array(32);
  private edgeScratch = new Float64Array(64);

  reset(): void {
    this.intervals = 0;
    this.terms = 0;
  }

  /** Writes rule `r`'s terms; false (and nothing kept) when the rule can never hold for the subject. */
  addRule(
    r: number,
    condition: Condition,
    facts: SubjectFacts,
    calendar: WorkingDayCalendar,
    needsOwnPeriod: boolean,
  ): boolean {
    const intervals = this.intervals;
    const terms = this.terms;
    this.ruleFirst[r] = terms;
    if (
      !recordsAllow(condition, facts, needsOwnPeriod) ||
      !this.writeTerms(condition, facts, calendar, needsOwnPeriod)
    ) {
      this.intervals = intervals;
      this.terms = terms;
      this.ruleEnd[r] = terms;
      return false;
    }
    this.ruleEnd[r] = this.terms;
    return true;
  }

  /** Whether every term of rule `r` holds on d; `begun` tells whether a record that makes it hold begins on d. */
  holds(r: number, d: number): boolean {
    for (let t = this.ruleFirst[r] as number; t < (this.ruleEnd[r] as number); t++) {
      if (!this.termHolds(t, d)) return false;
    }
    return true;
  }

  /** Whether a record that makes one of rule `r`'s terms hold begins on d. */
  begins(r: number, d: number): boolean {
    for (let t = this.ruleFirst[r] as number; t < (this.ruleEnd[r] as number); t++) {
      if (this.termNegated[t] === 1) continue;
      for (let i = this.termFirst[t] as number; i < (this.termEnd[t] as number); i++) {
        if (this.begin[i] === d) return true;
      }
    }
    return false;
  }

  /**
   * The dates from `first` to `last` on which some term may change, sorted, with `first` itself;
   * a view that is valid until the next call.
   */
  edges(first: number, last: number): Float64Array {
    const needed = this.intervals * 2 + 1;
    if (this.edgeScratch.length < needed) this.edgeScratch = new Float64Array(needed * 2);
    const out = this.edgeScratch;
    let n = 0;
    out[n++] = first;
    for (let i = 0; i < this.intervals; i++) {
      const a = this.from[i] as number;
      const b = this.to[i] as number;
      if (a > first && a <= last) out[n++] = a;
      if (b > first && b <= last) out[n++] = b;
    }
    return out.subarray(0, n).sort();
  }

  private termHolds(t: number, d: number): boolean {
    const negated = this.termNegated[t] === 1;
    for (let i = this.termFirst[t] as number; i < (this.termEnd[t] as number); i++) {
      if ((this.from[i] as number) <= d && d < (this.to[i] as number)) return !negated;
    }
    return negated;
  }

  private openTerm(negated: boolean): void {
    if (this.terms === this.termFirst.length) {
      this.termFirst = grow32(this.termFirst);
      this.termEnd = grow32(this.termEnd);
      const negatedFlags = new Uint8Array(this.termNegated.length * 2);
      negatedFlags.set(this.termNegated);
      this.termNegated = negatedFlags;
    }
    this.termFirst[this.terms] = this.intervals;
    this.termEnd[this.terms] = this.intervals;
    this.termNegated[this.terms] = negated ? 1 : 0;
    this.terms++;
  }

  /** Closes the open term; false when a positive term has no interval (it can never hold). */
  private closeTerm(): boolean {
    const t = this.terms - 1;
    this.termEnd[t] = this.intervals;
    return this.termNegated[t] === 1 || this.intervals > (this.termFirst[t] as number);
  }

  private interval(from: number, to: number, recordStart: number): void {
    if (!(from < to)) return;
    if (this.intervals === this.from.length) {
      this.from = grow64(this.from);
      this.to = grow64(this.to);
      this.begin = grow64(this.begin);
    }
    this.from[this.intervals] = from;
    this.to[this.intervals] = to;
    this.begin[this.intervals] = recordStart >= from && recordStart < to ? recordStart : Number.NaN;
    this.intervals++;
  }

  private spans(spans: readonly TypedSpan[], types: readonly string[]): boolean {
    this.openTerm(false);
    for (const s of spans)
      if (types.includes(s.type)) this.interval(s.start, exclusiveEnd(s.end), s.start);
    return this.closeTerm();
  }

  private writeTerms(
    condition: Condition,
    facts: SubjectFacts,
    calendar: WorkingDayCalendar,
    needsOwnPeriod: boolean,
  ): boolean {
    if (needsOwnPeriod) {
      this.openTerm(false);
      if (facts.own !== null)
        this.interval(facts.own.start, exclusiveEnd(facts.own.end), facts.own.start);
      if (!this.closeTerm()) return false;
    }
    if (condition.involvement && !this.spans(facts.involvements, condition.involvement))
      return false;
    if (condition.legal && !this.spans(facts.legal, condition.legal)) return false;
    if (condition.placement) {
      const { types, from, to, stable } = condition.placement;
      this.openTerm(false);
      for (const p of facts.placements) {
        if (types !== undefined && !types.includes(p.type as never)) continue;
        let lo = Math.max(p.start, after(p.start, from, calendar));
        let hi = Math.min(exclusiveEnd(p.end), before(p.start, to, calendar));
        if (stable === true) lo = Math.max(lo, p.stableFrom);
        if (stable === false) hi = Math.min(hi, p.stableFrom);
        this.interval(lo, hi, p.start);
      }
      if (!this.closeTerm()) return false;
    }
    if (condition.noPlacement === true) {
      this.openTerm(true);
      for (const p of facts.placements) this.interval(p.start, exclusiveEnd(p.end), Number.NaN);
      this.closeTerm();
    }
    if (condition.risk !== undefined) {
      // Before the first entry the level is unknown, which counts as high.
      this.openTerm(false);
      let from = Number.NEGATIVE_INFINITY;
      let level = 'high';
      for (const r of facts.risks) {
        if (level === condition.risk) this.interval(from, r.from, Number.NaN);
        from = r.from;
        level = r.level;
      }
      if (level === condition.risk) this.interval(from, OPEN, Number.NaN);
      if (!this.closeTerm()) return false;
    }
    if (condition.age !== undefined) {
      const { min, max, whenUnknown } = condition.age;
      this.openTerm(false);
      const dob = facts.dateOfBirth;
      if (dob === null) {
        if (whenUnknown) this.interval(Number.NEGATIVE_INFINITY, OPEN, Number.NaN);
      } else {
        const lo = min === undefined ? Number.NEGATIVE_INFINITY : birthdayOn(dob, min);
        const hi = max === undefined ? OPEN : birthdayOn(dob, max + 1);
        this.interval(lo, hi, Number.NaN);
      }
      if (!this.closeTerm()) return false;
    }
    if (condition.role !== undefined) {
      this.openTerm(false);
      if (facts.role !== null && condition.role.includes(facts.role as never)) {
        this.interval(Number.NEGATIVE_INFINITY, OPEN, Number.NaN);
      }
      if (!this.closeTerm()) return false;
    }
    if (condition.earlyCareer !== undefined) {
      this.openTerm(false);
      const ec = facts.earlyCareer;
      if (ec !== null) {
        const lo = Math.max(ec.start, after(ec.start, condition.earlyCareer.from, calendar));
        const hi = Math.min(
          exclusiveEnd(ec.end),
          before(ec.start, condition.earlyCareer.to, calendar),
        );
        this.interval(lo, hi, ec.start);
      }
      if (!this.closeTerm()) return false;
    }
    if (condition.probation !== undefined) {
      this.openTerm(!condition.probation);
      if (facts.probationEnd !== null)
        this.interval(Number.NEGATIVE_INFINITY, facts.probationEnd + 1, Number.NaN);
      if (!this.closeTerm()) return false;
    }
    if (condition.childrenPlaced !== undefined) {
      this.openTerm(!condition.childrenPlaced);
      for (const p of facts.childrenPlaced) {
        this.interval(
          p.start,
          exclusiveEnd(p.end),
          condition.childrenPlaced ? p.start : Number.NaN,
        );
      }
      if (!this.closeTerm()) return false;
    }
    return true;
  }
}

function grow32(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function grow64(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function exclusiveEnd(end: number): number {
  return end === OPEN ? OPEN : end + 1;
}

function after(start: number, offset: Offset | undefined, calendar: WorkingDayCalendar): number {
  return offset === undefined ? start : applyOffset(start as CalendarDate, offset, calendar);
}

function before(start: number, offset: Offset | undefined, calendar: WorkingDayCalendar): number {
  return offset === undefined ? OPEN : applyOffset(start as CalendarDate, offset, calendar);
}

function birthdayOn(dateOfBirth: number, years: number): number {
  return birthday(dateOfBirth as CalendarDate, years);
}

/** Whether one of the spans has one of the types (any type when none given), open on `day` if given. */
function hasOpen(
  spans: readonly TypedSpan[],
  types: readonly string[] | undefined,
  day?: number,
): boolean {
  for (const span of spans) {
    if (day !== undefined && (span.start > day || day > span.end)) continue;
    if (types === undefined || types.includes(span.type)) return true;
  }
  return false;
}

/**
 * False when the rule certainly cannot hold (on `day`, if given, else ever): a record it needs,
 * its subject's own period or an involvement, legal period or placement of its types, is absent
 * (or not open that day). Plain loops: this runs for every rule of every subject.
 */
export function recordsAllow(
  condition: Condition,
  facts: SubjectFacts,
  needsOwnPeriod: boolean,
  day?: number,
): boolean {
  const own = facts.own;
  if (needsOwnPeriod && (own === null || (day !== undefined && (own.start > day || own.end < day))))
    return false;
  if (condition.involvement && !hasOpen(facts.involvements, condition.involvement, day))
    return false;
  if (condition.legal && !hasOpen(facts.legal, condition.legal, day)) return false;
  if (condition.placement && !hasOpen(facts.placements, condition.placement.types, day))
    return false;
  return true;
}
