import {
  addDays,
  ageOn,
  applyOffset,
  parseIsoDate,
  toIsoDate,
  WorkingDayCalendar,
  type CalendarDate,
  type Offset,
} from '../../src/domain/dates/index.js';
import type { Extract } from '../../src/domain/scheduling/extract.js';
import type { Condition, Policy, Rule } from '../../src/domain/scheduling/policy.js';
import { FAMILIES, FAMILY_IDS, type FamilyId } from '../../src/domain/scheduling/vocabulary.js';

/**
 * A deliberately naive reading of spec/scheduling.md §3: every rule's condition evaluated on
 * every day from the subject's first record to asOf, straight from the extract's records, and
 * every event applied. No intervals, no edges, no shortcuts: slow, and easy to check against the
 * text. The property tests compare the real engine with it.
 */

export interface ReferenceClock {
  subject: string;
  id: string;
  requirement: string;
  status: string;
  due: string;
  latest: string;
  lastEvent: string | null;
  rules: string[];
  setBy: { kind: 'event' | 'start'; date: string };
}

type Day = number;

interface Record {
  type?: string;
  start: string;
  end?: string | null;
  stableFrom?: string | null;
}

interface Subject {
  id: string;
  dateOfBirth?: string | null;
  involvements?: Record[] | null;
  placements?: Record[] | null;
  legal?: Record[] | null;
  risk?: { level: string; from: string }[] | null;
  role?: string;
  start?: string;
  end?: string | null;
  probationEnd?: string | null;
  earlyCareer?: { start: string; end?: string | null } | null;
  groupSupervision?: boolean | null;
  events?: { date: string; kind: string }[] | null;
}

const d = (text: string): Day => parseIsoDate(text);
const endOf = (text: string | null | undefined): Day =>
  text == null ? Number.POSITIVE_INFINITY : d(text);
const open = (r: { start: string; end?: string | null }, day: Day) =>
  d(r.start) <= day && day <= endOf(r.end);

function plus(day: Day, offset: Offset, calendar: WorkingDayCalendar): Day {
  return applyOffset(day as CalendarDate, offset, calendar);
}

type Kind = 'child' | 'worker' | 'fosterCarer' | 'team';

function ownPeriod(kind: Kind, s: Subject): { start: string; end?: string | null } | null {
  if (kind === 'child') return null;
  if (kind === 'team' && s.groupSupervision !== true) return null;
  return { start: s.start as string, end: s.end ?? null };
}

/** Whether the rule holds on `day`, and whether a record that makes it hold begins on `day`. */
function evaluate(
  kind: Kind,
  s: Subject,
  when: Condition,
  day: Day,
  calendar: WorkingDayCalendar,
): { holds: boolean; begins: boolean } {
  let begins = false;
  if (kind !== 'child') {
    const own = ownPeriod(kind, s);
    if (own === null || !open(own, day)) return { holds: false, begins: false };
    if (d(own.start) === day) begins = true;
  }
  const typedOpen = (records: Record[] | null | undefined, types: readonly string[]) => {
    const matching = (records ?? []).filter((r) => types.includes(r.type ?? '') && open(r, day));
    if (matching.some((r) => d(r.start) === day)) begins = true;
    return matching.length > 0;
  };
  if (when.involvement && !typedOpen(s.involvements, when.involvement))
    return { holds: false, begins };
  if (when.legal && !typedOpen(s.legal, when.legal)) return { holds: false, begins };
  if (when.placement) {
    const { types, from, to, stable } = when.placement;
    const fits = (s.placements ?? []).filter((p) => {
      if (types && !types.includes(p.type as never)) return false;
      if (!open(p, day)) return false;
      const start = d(p.start);
      if (from && day < plus(start, from, calendar)) return false;
      if (to && day >= plus(start, to, calendar)) return false;
      const stableFrom = endOf(p.stableFrom);
      if (stable === true && day < stableFrom) return false;
      if (stable === false && day >= stableFrom) return false;
      return true;
    });
    if (fits.length === 0) return { holds: false, begins };
    if (fits.some((p) => d(p.start) === day)) begins = true;
  }
  if (when.noPlacement && (s.placements ?? []).some((p) => open(p, day)))
    return { holds: false, begins };
  if (when.risk) {
    const entries = (s.risk ?? [])
      .filter((r) => d(r.from) <= day)
      .sort((a, b) => d(a.from) - d(b.from));
    const level = entries.length === 0 ? 'high' : (entries[entries.length - 1]?.level ?? 'high');
    if (level !== when.risk) return { holds: false, begins };
  }
  if (when.age) {
    const { min, max, whenUnknown } = when.age;
    if (s.dateOfBirth == null) {
      if (!whenUnknown) return { holds: false, begins };
    } else {
      const age = ageOn(d(s.dateOfBirth) as CalendarDate, day as CalendarDate);
      if ((min !== undefined && age < min) || (max !== undefined && age > max))
        return { holds: false, begins };
    }
  }
  if (when.role && !when.role.includes(s.role as never)) return { holds: false, begins };
  if (when.earlyCareer) {
    const ec = s.earlyCareer;
    if (!ec || !open(ec, day)) return { holds: false, begins };
    const start = d(ec.start);
    if (when.earlyCareer.from && day < plus(start, when.earlyCareer.from, calendar))
      return { holds: false, begins };
    if (when.earlyCareer.to && day >= plus(start, when.earlyCareer.to, calendar))
      return { holds: false, begins };
    if (start === day) begins = true;
  }
  if (when.probation !== undefined) {
    const on = s.probationEnd != null && day <= d(s.probationEnd);
    if (on !== when.probation) return { holds: false, begins };
  }
  if (when.childrenPlaced !== undefined) {
    const placed = (s.placements ?? []).filter((p) => open(p, day));
    if (placed.length > 0 !== when.childrenPlaced) return { holds: false, begins };
    if (when.childrenPlaced && placed.some((p) => d(p.start) === day)) begins = true;
  }
  return { holds: true, begins };
}

function firstRecordStart(kind: Kind, s: Subject): Day | null {
  const starts: string[] = [];
  if (kind === 'child') {
    for (const list of [s.involvements, s.placements, s.legal])
      for (const r of list ?? []) starts.push(r.start);
  } else {
    if (kind === 'team' && s.groupSupervision !== true) return null;
    starts.push(s.start as string);
    if (kind === 'worker' && s.earlyCareer) starts.push(s.earlyCareer.start);
    if (kind === 'fosterCarer') for (const p of s.placements ?? []) starts.push(p.start);
  }
  return starts.length === 0 ? null : Math.min(...starts.map(d));
}

function clockFor(
  kind: Kind,
  s: Subject,
  family: FamilyId,
  rules: readonly Rule[],
  asOf: Day,
  calendar: WorkingDayCalendar,
): ReferenceClock | null {
  const first = firstRecordStart(kind, s);
  if (first === null || first > asOf) return null;
  const satisfying = new Set(
    (s.events ?? [])
      .filter((e) => (FAMILIES[family].satisfiedBy as readonly string[]).includes(e.kind))
      .map((e) => d(e.date)),
  );
  let previous: Rule[] = [];
  let due = 0;
  let latest = 0;
  let setters: Rule[] = [];
  let setBy: 'event' | 'start' = 'start';
  let setOn = 0;
  let lastEvent: Day | null = null;
  let active = false;
  for (let day = first; day <= asOf; day = addDays(day as CalendarDate, 1)) {
    const now: Rule[] = [];
    const starting: Rule[] = [];
    for (const rule of rules) {
      if (rule.onlyWhereNoEarlierRule && now.length > 0) continue;
      const { holds, begins } = evaluate(kind, s, rule.when, day, calendar);
      if (!holds) continue;
      now.push(rule);
      if (!previous.includes(rule) || begins) starting.push(rule);
    }
    if (now.length === 0) {
      active = false;
      lastEvent = null;
    } else if (starting.length > 0) {
      const dates = starting.map((r) => plus(day, r.first, calendar));
      const best = Math.min(...dates);
      const bestLatest = Math.min(
        ...starting.map((r, i) => Math.max(dates[i] as number, plus(day, r.firstLatest, calendar))),
      );
      if (!active || best < due) {
        due = best;
        setters = starting.filter((_, i) => dates[i] === best);
        setBy = 'start';
        setOn = day;
      }
      latest = active ? Math.min(latest, bestLatest) : bestLatest;
      active = true;
    }
    if (now.length > 0 && satisfying.has(day)) {
      const dates = now.map((r) => plus(day, r.every, calendar));
      due = Math.min(...dates);
      latest = Math.min(
        ...now.map((r, i) => Math.max(dates[i] as number, plus(day, r.everyLatest, calendar))),
      );
      setters = now.filter((_, i) => dates[i] === due);
      setBy = 'event';
      setOn = day;
      lastEvent = day;
    }
    previous = now;
  }
  if (previous.length === 0) return null;
  const iso = (x: Day) => toIsoDate(x as CalendarDate);
  return {
    subject: kind,
    id: s.id,
    requirement: family,
    status: asOf < due ? 'on-track' : asOf <= latest ? 'due' : 'overdue',
    due: iso(due),
    latest: iso(latest),
    lastEvent: lastEvent === null ? null : iso(lastEvent),
    rules: rules.filter((r) => setters.includes(r)).map((r) => r.id),
    setBy: { kind: setBy, date: iso(setOn) },
  };
}

/** Every family's clock for every subject, as the naive day-by-day reading gives it. */
export function referenceClocks(
  policy: Policy,
  extract: Extract,
  asOfText: string,
): ReferenceClock[] {
  const calendar = new WorkingDayCalendar(policy.closureDays);
  const asOf = d(asOfText);
  const out: ReferenceClock[] = [];
  const lists: [Kind, Subject[]][] = [
    ['child', extract.children ?? []],
    ['worker', extract.workers ?? []],
    ['fosterCarer', extract.fosterCarers ?? []],
    ['team', extract.teams ?? []],
  ];
  for (const [kind, subjects] of lists) {
    for (const s of subjects) {
      for (const family of FAMILY_IDS) {
        if (FAMILIES[family].subject !== kind) continue;
        const rules = policy.rules[family] ?? [];
        if (rules.length === 0) continue;
        const clock = clockFor(kind, s, family, rules, asOf, calendar);
        if (clock !== null) out.push(clock);
      }
    }
  }
  return out;
}
