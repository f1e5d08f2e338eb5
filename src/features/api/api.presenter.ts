import type { ApiEventRow, StoredResult, StoredWarning } from '../../db/api.repository.js';

/**
 * The API's answers as JSON: due dates in the result shape of spec/scheduling.md §7, with the
 * dates a manager's override gives beside the engine's, in the spec's order; events as posted.
 */

export interface DueResultJson {
  subject: string;
  id: string;
  requirement: string;
  periodStart?: string;
  status: string;
  due: string;
  latest: string;
  lastEvent: string | null;
  met?: string | null;
  onTime?: boolean | null;
  rules: string[];
  setBy: { kind: string; date: string };
  reason: string;
  effectiveStatus: string;
  effectiveDue: string;
  effectiveLatest: string;
  overrideId: string | null;
}

export interface DueJson {
  asOf: string;
  policy: string | null;
  results: DueResultJson[];
  warnings: { subject: string; id: string; message: string }[];
}

export interface EventJson {
  id: string;
  subject: string;
  subjectId: string;
  kind: string;
  date: string;
  externalId: string | null;
  recordedAt: string;
}

const KIND_ORDER: Record<string, number> = { child: 0, worker: 1, fosterCarer: 2, team: 3 };

/** Plain UTF-16 code-unit order, as §7 sorts (never a locale's collation). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bySubject(
  a: { subjectKind: string; subjectId: string },
  b: { subjectKind: string; subjectId: string },
): number {
  return (
    (KIND_ORDER[a.subjectKind] ?? 9) - (KIND_ORDER[b.subjectKind] ?? 9) ||
    compare(a.subjectId, b.subjectId)
  );
}

export function presentResult(r: StoredResult): DueResultJson {
  // In the order §7 writes a result; a milestone or gate adds periodStart, met and onTime.
  const milestone = r.periodStart !== null;
  return {
    subject: r.subjectKind,
    id: r.subjectId,
    requirement: r.requirement,
    ...(milestone ? { periodStart: r.periodStart ?? '' } : {}),
    status: r.status,
    due: r.due,
    latest: r.latest,
    lastEvent: r.lastEvent,
    ...(milestone ? { met: r.met, onTime: r.onTime } : {}),
    rules: r.rules,
    setBy: { kind: r.setByKind, date: r.setByDate },
    reason: r.reason,
    effectiveStatus: r.effectiveStatus,
    effectiveDue: r.effectiveDue,
    effectiveLatest: r.effectiveLatest,
    overrideId: r.overrideId,
  };
}

/** A clock (no period) before the periods of a milestone or gate, which sort by their start. */
function comparePeriods(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compare(a, b);
}

export function presentDue(
  asOf: string,
  policy: string | null,
  stored: { results: readonly StoredResult[]; warnings: readonly StoredWarning[] },
): DueJson {
  const results = [...stored.results].sort(
    (a, b) =>
      bySubject(a, b) ||
      compare(a.requirement, b.requirement) ||
      comparePeriods(a.periodStart, b.periodStart),
  );
  const warnings = [...stored.warnings].sort(
    (a, b) => bySubject(a, b) || compare(a.message, b.message),
  );
  return {
    asOf,
    policy,
    results: results.map(presentResult),
    warnings: warnings.map((w) => ({
      subject: w.subjectKind,
      id: w.subjectId,
      message: w.message,
    })),
  };
}

export function presentEvent(event: ApiEventRow): EventJson {
  return {
    id: event.id,
    subject: event.subjectKind,
    subjectId: event.subjectId,
    kind: event.kind,
    date: event.date,
    externalId: event.externalId,
    recordedAt: event.createdAt,
  };
}
