// What the spec tables in this folder share: the input records they build, the §7 fields a result
// is compared on, and the per-case checks that several tables run. Each test file keeps its own
// cases, its own expected dates and its own POLICY.
import { describe, expect, it } from 'vitest';
import type { Report, ReportResult } from '../../src/domain/scheduling/report.js';
import { due, resultFor } from '../support/due.js';

type Result = ReportResult | undefined;

// ---------------------------------------------------------------------------------------------
// Children.
// ---------------------------------------------------------------------------------------------
export interface Period {
  type: string;
  start: string;
  end?: string | null;
}
export interface Placement extends Period {
  stableFrom?: string;
}
export interface ChildIn {
  dateOfBirth?: string | null;
  involvements?: Period[];
  risk?: { level: 'high' | 'low'; from: string }[];
  placements?: Placement[];
  legal?: Period[];
  events?: { date: string; kind: string }[];
}

export const cs = (date: string) => ({ date, kind: 'case-supervision' });
export const oversight = (date: string) => ({ date, kind: 'management-oversight' });
export const group = (date: string) => ({ date, kind: 'group-supervision' });
export const inv = (type: string, start: string, end: string | null = null): Period => ({
  type,
  start,
  end,
});

/** The §7 document for one child, `C1`, under a policy. */
export function childReport(policy: string, asOf: string, child: ChildIn): Report {
  return due(policy, asOf, { children: [{ id: 'C1', ...child }] });
}

/** `childReport` for one policy: each preset's file makes `const report = reportFor(POLICY)`. */
export const reportFor =
  (policy: string) =>
  (asOf: string, child: ChildIn): Report =>
    childReport(policy, asOf, child);

// ---------------------------------------------------------------------------------------------
// Clock results (§3) and once results (§5).
// ---------------------------------------------------------------------------------------------
export interface SetBy {
  kind: 'start' | 'event';
  date: string;
}
export type ClockStatus = 'on-track' | 'due' | 'overdue';
export interface Clock {
  status: ClockStatus;
  due: string;
  latest: string;
  lastEvent: string | null;
  rules: string[];
  setBy: SetBy;
}
export interface Once {
  status: string;
  due: string;
  latest: string;
  lastEvent: string | null;
  periodStart: string;
  met: string | null;
  onTime: boolean | null;
}

export const start = (date: string): SetBy => ({ kind: 'start', date });
export const event = (date: string): SetBy => ({ kind: 'event', date });
/** A result without a range: latest = due. */
export const clk = (
  status: ClockStatus,
  dueDate: string,
  rules: string[],
  setBy: SetBy,
  lastEvent: string | null = null,
): Clock => ({ status, due: dueDate, latest: dueDate, lastEvent, rules, setBy });

/** The §7 fields of a clock result, the rule ids in the order the engine gives them. */
function fields(r: ReportResult) {
  const { status, due: dueDate, latest, lastEvent, rules, setBy } = r;
  return { status, due: dueDate, latest, lastEvent, rules, setBy };
}

/** The §7 fields of a clock result; the rule ids are compared as a set (§4 gives no order). */
export function clock(r: Result) {
  if (r === undefined) return undefined;
  return { ...fields(r), rules: [...r.rules].sort() };
}

export function once(r: Result): Once | undefined {
  if (r === undefined) return undefined;
  return {
    status: r.status,
    due: r.due,
    latest: r.latest,
    lastEvent: r.lastEvent,
    periodStart: r.periodStart ?? '(none)',
    met: r.met ?? null,
    onTime: r.onTime ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Child cases and their checks.
// ---------------------------------------------------------------------------------------------
export interface ClockCase {
  name: string;
  asOf: string;
  child: ChildIn;
  expected: Clock | null;
}
export interface OnceCase {
  name: string;
  asOf: string;
  child: ChildIn;
  periodStart: string;
  expected: Once | null;
}

/** C1's `case-supervision` result under `policy` equals `expected` (null: there is none). */
export function checkClock(policy: string, { asOf, child, expected }: ClockCase): void {
  const r = resultFor(childReport(policy, asOf, child), 'child', 'C1', 'case-supervision');
  if (expected === null) expect(r).toBeUndefined();
  else expect(clock(r)).toEqual(expected);
}

/** C1's milestone or gate result for `periodStart` equals `expected` (null: there is none). */
export function checkOnce(
  policy: string,
  requirement: string,
  { asOf, child, periodStart, expected }: OnceCase,
): void {
  const r = resultFor(childReport(policy, asOf, child), 'child', 'C1', requirement, periodStart);
  if (expected === null) expect(r).toBeUndefined();
  else expect(once(r)).toEqual(expected);
}

/** A `type` involvement from 5 Jan 2026 that a rule covers: on 1 Feb, a result and no warning. */
export function checkCovered(policy: string, type: string): void {
  const rep = childReport(policy, '2026-02-01', { involvements: [inv(type, '2026-01-05')] });
  expect(rep.warnings).toEqual([]);
  expect(resultFor(rep, 'child', 'C1', 'case-supervision')).toBeDefined();
}

/** No result for C1, and exactly one warning: for C1, with this message (§7). */
export function checkOnlyWarning(rep: Report, message: string): void {
  expect(rep.results).toEqual([]);
  expect(rep.warnings).toEqual([{ subject: 'child', id: 'C1', message }]);
}

// ---------------------------------------------------------------------------------------------
// Workers, foster carers and teams: checks on one subject's results and warnings.
// ---------------------------------------------------------------------------------------------

/** The result is there, its §7 fields equal `expected` (rule order included) and it has a reason. */
export function expectClock(result: Result, expected: Clock): void {
  expect(result).toBeDefined();
  if (result === undefined) return;
  expect(fields(result)).toEqual(expected);
  expect(result.reason).toMatch(/\S/);
}

/**
 * For a policy with rules for the subject: never a warning for it, and its one result is as
 * expected (null: it has no result at all).
 */
export function checkRuled(
  doc: Report,
  subject: string,
  id: string,
  requirement: string,
  expected: Clock | null,
): void {
  const result = resultFor(doc, subject, id, requirement);
  expect(doc.warnings.filter((w) => w.subject === subject)).toEqual([]);
  if (expected === null) {
    expect(result).toBeUndefined();
    expect(doc.results.filter((r) => r.subject === subject)).toEqual([]);
    return;
  }
  expectClock(result, expected);
}

/** A case for a policy with no rules for the subject; `K` names the input, e.g. `carer`. */
export type WarningCase<K extends string, I> = {
  name: string;
  policy: string;
  asOf: string;
  warned: boolean;
} & { [P in K]: I };

/**
 * For a policy with no rules for the subject (§7): no result for it, and, when `warned`, exactly
 * one warning, for `id`, naming the policy.
 */
export function checkWarned(
  doc: Report,
  subject: string,
  id: string,
  policy: string,
  warned: boolean,
): void {
  expect(doc.results.filter((r) => r.subject === subject)).toEqual([]);
  const warnings = doc.warnings.filter((w) => w.subject === subject);
  if (!warned) {
    expect(warnings).toEqual([]);
    return;
  }
  expect(warnings.map((w) => ({ subject: w.subject, id: w.id }))).toEqual([{ subject, id }]);
  const message = warnings[0]?.message ?? '';
  expect(message).toMatch(/\S/);
  expect(message).toContain(policy);
}

/** One `describe` per titled table, one test per case (named by its `name`), each run by `check`. */
export function describeTables<C extends { name: string }>(
  tables: [title: string, cases: C[]][],
  check: (c: C) => void,
): void {
  for (const [title, cases] of tables) {
    describe(title, () => {
      it.each(cases)('$name', (c) => {
        check(c);
      });
    });
  }
}
