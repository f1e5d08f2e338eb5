import {
  applyOffset,
  formatDate,
  frequencyWords,
  type CalendarDate,
  type Offset,
  type WorkingDayCalendar,
} from '../dates/index.js';
import type { Status } from './engine.js';
import type { Rule } from './policy.js';

/**
 * A manager's override of one child's case-supervision schedule: "every 2 weeks until
 * 31 Jan 2027, because …". It runs its own clock beside the policy's, in the policy's way
 * (spec/scheduling.md §3): due `starts ⊕ every`, then `E ⊕ every` after each case supervision E
 * on or after `starts`. A tightening override can only bring the policy's dates forward (the
 * earlier of the two wins); a loosening one, which needs a service manager or above, replaces
 * them while it lasts.
 */
export interface ScheduleOverride {
  readonly every: Offset;
  readonly starts: CalendarDate;
  readonly until: CalendarDate;
  readonly direction: 'tighten' | 'loosen';
  readonly reason: string;
}

export interface Dates {
  readonly status: Status;
  readonly due: CalendarDate;
  readonly latest: CalendarDate;
}

export function statusOn(asOf: CalendarDate, due: CalendarDate, latest: CalendarDate): Status {
  if (asOf < due) return 'on-track';
  return asOf <= latest ? 'due' : 'overdue';
}

export function overrideActive(override: ScheduleOverride, asOf: CalendarDate): boolean {
  return override.starts <= asOf && asOf <= override.until;
}

/**
 * The dates with the override applied on asOf, or the policy's own where the override is not
 * in force. `events` are the dates of the child's case-supervision-family events.
 */
export function applyOverride(
  policy: Dates,
  override: ScheduleOverride,
  events: readonly CalendarDate[],
  asOf: CalendarDate,
  calendar: WorkingDayCalendar,
): Dates {
  if (!overrideActive(override, asOf)) return policy;
  let anchor = override.starts;
  for (const date of events) if (date >= anchor && date <= asOf) anchor = date;
  const own = applyOffset(anchor, override.every, calendar);
  const due = override.direction === 'loosen' ? own : (Math.min(policy.due, own) as CalendarDate);
  const latest =
    override.direction === 'loosen' ? own : (Math.min(policy.latest, own) as CalendarDate);
  return { status: statusOn(asOf, due, latest), due, latest };
}

/**
 * Whether a proposed frequency tightens the schedule of the rules now in force: it does when,
 * counted from the same day, it never comes later than any of them.
 */
export function classifyOverride(
  every: Offset,
  rulesInForce: readonly Rule[],
  from: CalendarDate,
  calendar: WorkingDayCalendar,
): 'tighten' | 'loosen' {
  const proposed = applyOffset(from, every, calendar);
  const policy = Math.min(...rulesInForce.map((rule) => applyOffset(from, rule.every, calendar)));
  return rulesInForce.length > 0 && proposed > policy ? 'loosen' : 'tighten';
}

export function overrideWords(override: ScheduleOverride): string {
  return `${frequencyWords(override.every)} until ${formatDate(override.until)}`;
}
