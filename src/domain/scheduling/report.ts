import { toIsoDate, type CalendarDate } from '../dates/index.js';
import type { Schedule, ScheduleResult, ScheduleWarning } from './engine.js';

/** The result document of spec/scheduling.md §7, with dates as YYYY-MM-DD. */
export interface ReportResult {
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
  setBy: { kind: 'event' | 'start'; date: string };
  reason: string;
}

export interface Report {
  asOf: string;
  policy: string;
  results: ReportResult[];
  warnings: ScheduleWarning[];
}

function iso(date: CalendarDate | null): string | null {
  return date === null ? null : toIsoDate(date);
}

export function reportResult(result: ScheduleResult): ReportResult {
  const out: ReportResult = {
    subject: result.subject,
    id: result.id,
    requirement: result.requirement,
    status: result.status,
    due: toIsoDate(result.due),
    latest: toIsoDate(result.latest),
    lastEvent: iso(result.lastEvent),
    rules: [...result.rules],
    setBy: { kind: result.setBy.kind, date: toIsoDate(result.setBy.date) },
    reason: result.reason,
  };
  if (result.periodStart !== undefined) {
    out.periodStart = toIsoDate(result.periodStart);
    out.met = iso(result.met ?? null);
    out.onTime = result.onTime ?? null;
  }
  return out;
}

export function toReport(schedule: Schedule): Report {
  return {
    asOf: toIsoDate(schedule.asOf),
    policy: schedule.policy,
    results: schedule.results.map(reportResult),
    warnings: schedule.warnings.map((w) => ({ subject: w.subject, id: w.id, message: w.message })),
  };
}
