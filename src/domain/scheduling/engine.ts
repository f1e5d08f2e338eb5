import { applyOffset, WorkingDayCalendar, type CalendarDate, type Offset } from '../dates/index.js';
import type { Extract } from './extract.js';
import {
  childFacts,
  fosterCarerFacts,
  OPEN,
  teamFacts,
  workerFacts,
  type SubjectFacts,
} from './facts.js';
import { EventList, kindMask, type EventInput } from './event-list.js';
import type { Gate, Milestone, Policy, Rule } from './policy.js';
import { recordsAllow, TermBuffer } from './terms.js';
import {
  gateReason,
  involvementWarning,
  milestoneReason,
  scheduleReason,
  subjectWarning,
} from './reasons.js';
import { FAMILIES, FAMILY_IDS, type FamilyId, type SubjectKind } from './vocabulary.js';

export type Status = 'on-track' | 'due' | 'overdue' | 'met' | 'missed' | 'breached';

export interface ScheduleResult {
  readonly subject: SubjectKind;
  readonly id: string;
  readonly requirement: string;
  readonly status: Status;
  readonly due: CalendarDate;
  readonly latest: CalendarDate;
  readonly lastEvent: CalendarDate | null;
  readonly rules: readonly string[];
  readonly setBy: { readonly kind: 'event' | 'start'; readonly date: CalendarDate };
  readonly reason: string;
  /** Milestones and gates only: the period they are about, and what met them. */
  readonly periodStart?: CalendarDate;
  readonly met?: CalendarDate | null;
  readonly onTime?: boolean | null;
}

export interface ScheduleWarning {
  readonly subject: SubjectKind;
  readonly id: string;
  readonly message: string;
}

export interface Schedule {
  readonly asOf: CalendarDate;
  readonly policy: string;
  readonly results: ScheduleResult[];
  readonly warnings: ScheduleWarning[];
}

/** A policy prepared once for a run: its rules per subject kind, and its working-day calendar. */
interface PreparedPolicy {
  readonly policy: Policy;
  readonly calendar: WorkingDayCalendar;
  readonly families: Record<
    SubjectKind,
    { readonly family: FamilyId; readonly rules: readonly Rule[]; readonly kinds: number }[]
  >;
  /** The current subject's events and rule terms (reused from subject to subject). */
  readonly events: EventList;
  readonly terms: TermBuffer;
  readonly scratch: ChangeScratch;
  /** Each milestone's and gate's shared `rules` list and the event kinds that meet it. */
  readonly oneOffs: ReadonlyMap<Milestone | Gate, OneOff>;
  /** Shared, frozen `rules` lists per family and mask, so that results do not each carry a copy. */
  readonly ruleSets: Map<readonly Rule[], Map<number, { rules: Rule[]; ids: readonly string[] }>>;
}

interface OneOff {
  readonly ids: readonly string[];
  readonly kinds: number;
}

function oneOff(id: string, kinds: readonly string[]): OneOff {
  return { ids: Object.freeze([id]), kinds: kindMask(kinds) };
}

function prepare(policy: Policy): PreparedPolicy {
  const families: PreparedPolicy['families'] = { child: [], worker: [], fosterCarer: [], team: [] };
  for (const family of FAMILY_IDS) {
    const rules = policy.rules[family] ?? [];
    if (rules.length > 0) {
      const kinds = kindMask(FAMILIES[family].satisfiedBy);
      families[FAMILIES[family].subject].push({ family, rules, kinds });
    }
  }
  return {
    policy,
    calendar: new WorkingDayCalendar(policy.closureDays),
    families,
    events: new EventList(),
    terms: new TermBuffer(),
    scratch: new ChangeScratch(),
    oneOffs: new Map<Milestone | Gate, OneOff>([
      ...policy.milestones.map((m) => [m, oneOff(m.id, [m.metBy])] as const),
      ...policy.gates.map((g) => [g, oneOff(g.id, FAMILIES[g.family].satisfiedBy)] as const),
    ]),
    ruleSets: new Map(),
  };
}

function offsetFrom(date: number, offset: Offset, calendar: WorkingDayCalendar): number {
  return applyOffset(date as CalendarDate, offset, calendar);
}

/** The clock of one family for one subject, after the walk. */
interface Clock {
  /** Bit i set: rule i of the family is in force on asOf. */
  readonly inForce: number;
  readonly due: number;
  readonly latest: number;
  readonly rules: number;
  readonly setBy: 'event' | 'start';
  readonly setOn: number;
  readonly lastEvent: number | null;
}

/** Which rules of a family hold on each change point, and which of them start there. */
class ChangeScratch {
  holding = new Int32Array(64);
  starting = new Int32Array(64);
  /** The result of `earliest`: the date, the rules that gave it, and the earliest latest date. */
  best = OPEN;
  bestRules = 0;
  bestLatest = OPEN;

  /**
   * The earliest of `date ⊕ offset` over the rules in `mask` (their `first` offsets when a rule
   * starts, their `every` offsets after an event), which rules gave it, and the earliest latest
   * date. Dates are compared as dates (§3): `E ⊕ 1 month` against `E ⊕ 28 days`, not lengths.
   */
  earliest(
    rules: readonly Rule[],
    mask: number,
    date: number,
    which: 'first' | 'every',
    calendar: WorkingDayCalendar,
  ): void {
    let best = OPEN;
    let bestRules = 0;
    let bestLatest = OPEN;
    for (let r = 0; r < rules.length; r++) {
      if ((mask & (1 << r)) === 0) continue;
      const rule = rules[r] as Rule;
      const due = offsetFrom(date, which === 'first' ? rule.first : rule.every, calendar);
      const latestOffset = which === 'first' ? rule.firstLatest : rule.everyLatest;
      const latest = Math.max(due, offsetFrom(date, latestOffset, calendar));
      if (due < best) {
        best = due;
        bestRules = 1 << r;
      } else if (due === best) bestRules |= 1 << r;
      if (latest < bestLatest) bestLatest = latest;
    }
    this.best = best;
    this.bestRules = bestRules;
    this.bestLatest = bestLatest;
  }

  ensure(size: number): void {
    if (this.holding.length < size) {
      this.holding = new Int32Array(size * 2);
      this.starting = new Int32Array(size * 2);
    }
  }
}

/**
 * Spec §3 for one subject and family. The rules in force change only on the dates where some
 * condition changes (the terms' edges), so those are walked, never every day. A satisfying event
 * sets the clock from itself alone (step 4 takes no account of the due date before it), so of
 * the events only the last one in the final unbroken stretch of rules in force matters: the
 * walk finds that stretch from the change points, then replays it with that one event.
 */
function walk(
  rules: readonly Rule[],
  facts: SubjectFacts,
  prepared: PreparedPolicy,
  kinds: number,
  family: FamilyId,
  asOf: number,
): Clock | null {
  const first = facts.firstStart;
  if (first > asOf) return null;
  const needsOwnPeriod = FAMILIES[family].subject !== 'child';
  // A result needs a rule in force on asOf; most subjects of a council's history have no
  // record open that day, and need no walk at all.
  let mayHold = false;
  for (const rule of rules)
    if (recordsAllow(rule.when, facts, needsOwnPeriod, asOf)) mayHold = true;
  if (!mayHold) return null;
  const { terms: buffer, calendar, scratch } = prepared;
  buffer.reset();
  let possible = 0;
  for (let r = 0; r < rules.length; r++) {
    if (buffer.addRule(r, (rules[r] as Rule).when, facts, calendar, needsOwnPeriod))
      possible |= 1 << r;
  }
  if (possible === 0) return null;

  // Pass 1: the rules holding and starting at each change point (step 2's "starts").
  const changes = buffer.edges(first, asOf);
  scratch.ensure(changes.length);
  let holding = 0;
  let stretch = -1;
  let previous = Number.NaN;
  for (let c = 0; c < changes.length; c++) {
    const d = changes[c] as number;
    if (d === previous) {
      scratch.holding[c] = holding;
      scratch.starting[c] = 0;
      continue;
    }
    previous = d;
    let now = 0;
    let starting = 0;
    for (let r = 0; r < rules.length; r++) {
      const bit = 1 << r;
      if ((possible & bit) === 0) continue;
      if ((rules[r] as Rule).onlyWhereNoEarlierRule && (now & (bit - 1)) !== 0) continue;
      if (!buffer.holds(r, d)) continue;
      now |= bit;
      if ((holding & bit) === 0 || buffer.begins(r, d)) starting |= bit;
    }
    if (holding === 0 && now !== 0) stretch = c;
    holding = now;
    scratch.holding[c] = now;
    scratch.starting[c] = starting;
  }
  // Step 3: no rule in force on asOf, no clock.
  if (holding === 0 || stretch < 0) return null;

  // Pass 2: the final stretch, from its first change point, with its last satisfying event.
  const stretchStart = changes[stretch] as number;
  const lastEvent = prepared.events.last(kinds, stretchStart, asOf);
  let due = OPEN;
  let latest = OPEN;
  let dueRules = 0;
  let setBy: 'event' | 'start' = 'start';
  let setOn = stretchStart;
  let eventDone = lastEvent === null;
  for (let c = stretch; c <= changes.length; c++) {
    const d = c < changes.length ? (changes[c] as number) : OPEN;
    if (!eventDone && (lastEvent as number) < d) {
      // Step 4, after the changes of its own date (those have a change point ≤ the event).
      scratch.earliest(
        rules,
        scratch.holding[c - 1] as number,
        lastEvent as number,
        'every',
        calendar,
      );
      due = scratch.best;
      latest = scratch.bestLatest;
      dueRules = scratch.bestRules;
      setBy = 'event';
      setOn = lastEvent as number;
      eventDone = true;
    }
    if (c === changes.length) break;
    const starting = scratch.starting[c] as number;
    if (starting === 0) continue;
    // Steps 1 and 2: a starting rule can bring the due date forward, never push it back.
    scratch.earliest(rules, starting, d, 'first', calendar);
    if (c === stretch || scratch.best < due) {
      due = scratch.best;
      dueRules = scratch.bestRules;
      setBy = 'start';
      setOn = d;
    }
    latest = c === stretch ? scratch.bestLatest : Math.min(latest, scratch.bestLatest);
  }
  return { inForce: holding, due, latest, rules: dueRules, setBy, setOn, lastEvent };
}

function statusOf(asOf: number, due: number, latest: number): Status {
  if (asOf < due) return 'on-track';
  if (asOf <= latest) return 'due';
  return 'overdue';
}

/** The rules of a bit mask, and their ids; one shared pair per family and mask. */
function rulesOf(
  mask: number,
  rules: readonly Rule[],
  cache: Map<readonly Rule[], Map<number, { rules: Rule[]; ids: readonly string[] }>>,
): { rules: Rule[]; ids: readonly string[] } {
  let byMask = cache.get(rules);
  if (byMask === undefined) {
    byMask = new Map();
    cache.set(rules, byMask);
  }
  let found = byMask.get(mask);
  if (found === undefined) {
    const chosen = rules.filter((_, r) => (mask & (1 << r)) !== 0);
    found = { rules: chosen, ids: Object.freeze(chosen.map((rule) => rule.id)) };
    byMask.set(mask, found);
  }
  return found;
}

interface SubjectInput {
  readonly id: string;
  readonly events?: readonly EventInput[] | null;
}

function scheduleSubject(
  kind: SubjectKind,
  subject: SubjectInput,
  facts: SubjectFacts,
  prepared: PreparedPolicy,
  asOf: number,
  out: ScheduleResult[],
): Rule[] {
  const inForce: Rule[] = [];
  for (const { family, rules, kinds } of prepared.families[kind]) {
    const clock = walk(rules, facts, prepared, kinds, family, asOf);
    if (clock === null || clock.inForce === 0) continue;
    inForce.push(...rulesOf(clock.inForce, rules, prepared.ruleSets).rules);
    const setters = rulesOf(clock.rules, rules, prepared.ruleSets);
    out.push({
      subject: kind,
      id: subject.id,
      requirement: family,
      status: statusOf(asOf, clock.due, clock.latest),
      due: clock.due as CalendarDate,
      latest: clock.latest as CalendarDate,
      lastEvent: clock.lastEvent as CalendarDate | null,
      rules: setters.ids,
      setBy: { kind: clock.setBy, date: clock.setOn as CalendarDate },
      reason: scheduleReason(setters.rules, family, clock.setBy, clock.setOn as CalendarDate),
    });
  }
  return inForce;
}

/** A milestone's or gate's result for one period (spec §5: `lastEvent` is `met`, latest = due). */
function periodResult(
  childId: string,
  requirement: string,
  ids: readonly string[],
  status: Status,
  due: number,
  start: number,
  met: number | null,
  onTime: boolean | null,
  reason: string,
): ScheduleResult {
  return {
    subject: 'child',
    id: childId,
    requirement,
    status,
    due: due as CalendarDate,
    latest: due as CalendarDate,
    lastEvent: met as CalendarDate | null,
    rules: ids,
    setBy: { kind: 'start', date: start as CalendarDate },
    reason,
    periodStart: start as CalendarDate,
    met: met as CalendarDate | null,
    onTime,
  };
}

/** Spec §5: a one-off requirement anchored on the start of each period. */
function milestoneResults(
  milestone: Milestone,
  child: SubjectInput,
  facts: SubjectFacts,
  prepared: PreparedPolicy,
  asOf: number,
  out: ScheduleResult[],
): void {
  const { ids, kinds } = prepared.oneOffs.get(milestone) as OneOff;
  for (const period of facts.involvements) {
    if (period.start > asOf || !milestone.period.involvement.includes(period.type as never)) {
      continue;
    }
    const due = offsetFrom(period.start, milestone.within, prepared.calendar);
    const met = prepared.events.first(kinds, period.start, Math.min(period.end, asOf));
    let status: Status;
    if (met !== null) status = 'met';
    else if (period.end > asOf) status = statusOf(asOf, due, due);
    else if (period.end >= due) status = 'missed';
    else continue; // ended unmet before its due date: the milestone lapsed
    const reason = milestoneReason(
      milestone,
      period.start as CalendarDate,
      due as CalendarDate,
      met as CalendarDate | null,
      status,
    );
    const onTime = met === null ? null : met <= due;
    out.push(
      periodResult(child.id, milestone.id, ids, status, due, period.start, met, onTime, reason),
    );
  }
}

/** Spec §5: a check on each period that has ended. */
function gateResults(
  gate: Gate,
  child: SubjectInput,
  facts: SubjectFacts,
  prepared: PreparedPolicy,
  asOf: number,
  out: ScheduleResult[],
): void {
  const { ids, kinds } = prepared.oneOffs.get(gate) as OneOff;
  for (const period of facts.involvements) {
    // Open (or ending after asOf): no gate result yet.
    if (period.end > asOf || !gate.period.involvement.includes(period.type as never)) continue;
    const met = prepared.events.first(kinds, period.start, period.end);
    const reason = gateReason(
      gate,
      period.start as CalendarDate,
      period.end as CalendarDate,
      met as CalendarDate | null,
    );
    const status = met === null ? 'breached' : 'met';
    out.push(
      periodResult(
        child.id,
        gate.id,
        ids,
        status,
        period.end,
        period.start,
        met,
        met === null ? null : true,
        reason,
      ),
    );
  }
}

function covers(s: { start: number; end: number } | null, d: number): boolean {
  return s !== null && s.start <= d && d <= s.end;
}

/** Spec §7: an open involvement (or a subject in post) that no rule of the policy covers on asOf. */
function childWarning(
  facts: SubjectFacts,
  inForce: readonly Rule[],
  policyId: string,
  asOf: number,
): string | null {
  let anyOpen = false;
  for (const involvement of facts.involvements) if (covers(involvement, asOf)) anyOpen = true;
  if (!anyOpen) return null;
  const open = [
    ...new Set(facts.involvements.filter((i) => covers(i, asOf)).map((i) => i.type)),
  ].sort();
  const covered = new Set<string>(inForce.flatMap((rule) => rule.when.involvement ?? []));
  const uncovered = open.filter((type) => !covered.has(type));
  return uncovered.length === 0 ? null : involvementWarning(uncovered, policyId);
}

const KIND_ORDER: Record<SubjectKind, number> = { child: 0, worker: 1, fosterCarer: 2, team: 3 };

// Plain UTF-16 code-unit order (what < does on strings), as the spec asks: never locale order.
function compareSubjects(
  a: { subject: SubjectKind; id: string },
  b: { subject: SubjectKind; id: string },
): number {
  if (a.subject !== b.subject) return KIND_ORDER[a.subject] - KIND_ORDER[b.subject];
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function compareResults(a: ScheduleResult, b: ScheduleResult): number {
  const bySubject = compareSubjects(a, b);
  if (bySubject !== 0) return bySubject;
  if (a.requirement !== b.requirement) return a.requirement < b.requirement ? -1 : 1;
  const pa = a.periodStart ?? Number.NEGATIVE_INFINITY;
  const pb = b.periodStart ?? Number.NEGATIVE_INFINITY;
  if (pa !== pb) return pa - pb;
  // Two periods of one child can start on the same date; the spec's keys stop here, so order
  // them by what they say, never by where they stood in the input.
  return (
    a.due - b.due ||
    a.latest - b.latest ||
    (a.met ?? Number.NEGATIVE_INFINITY) - (b.met ?? Number.NEGATIVE_INFINITY) ||
    (a.status < b.status ? -1 : a.status > b.status ? 1 : 0)
  );
}

/**
 * The engine: given a policy, an extract that passed validateExtract, and a date, every
 * subject's due dates with their explanations (spec/scheduling.md §3-§7). Pure: reads nothing
 * but its arguments and does not change them.
 */
export function computeSchedule(policy: Policy, extract: Extract, asOf: CalendarDate): Schedule {
  const prepared = prepare(policy);
  const results: ScheduleResult[] = [];
  const warnings: ScheduleWarning[] = [];
  const name = policy.id;

  for (const child of extract.children ?? []) {
    const facts = childFacts(child);
    prepared.events.use(child.events);
    const inForce = scheduleSubject('child', child, facts, prepared, asOf, results);
    for (const milestone of policy.milestones)
      milestoneResults(milestone, child, facts, prepared, asOf, results);
    for (const gate of policy.gates) gateResults(gate, child, facts, prepared, asOf, results);
    const message = childWarning(facts, inForce, name, asOf);
    if (message !== null) warnings.push({ subject: 'child', id: child.id, message });
  }
  const others = [
    ['worker', extract.workers, workerFacts],
    ['fosterCarer', extract.fosterCarers, fosterCarerFacts],
    ['team', extract.teams, teamFacts],
  ] as const;
  for (const [kind, subjects, toFacts] of others) {
    for (const subject of subjects ?? []) {
      const facts = (toFacts as (s: typeof subject) => SubjectFacts)(subject);
      prepared.events.use(subject.events);
      const inForce = scheduleSubject(kind, subject, facts, prepared, asOf, results);
      if (inForce.length === 0 && covers(facts.own, asOf)) {
        warnings.push({ subject: kind, id: subject.id, message: subjectWarning(kind, name) });
      }
    }
  }

  results.sort(compareResults);
  warnings.sort(compareSubjects);
  return { asOf, policy: name, results, warnings };
}
