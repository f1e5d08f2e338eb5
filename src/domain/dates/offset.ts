import { addDays, addMonths, type CalendarDate } from './calendar-date.js';
import type { WorkingDayCalendar } from './working-days.js';

export type OffsetUnit = 'days' | 'months' | 'workingDays';

export interface OffsetStep {
  readonly unit: OffsetUnit;
  readonly count: number;
}

/**
 * A distance in time as a policy writes it: one step ("28 days", "1 month", "20 working days")
 * or several applied in order ("42 days + 6 months" is (date ⊕ 42 days) ⊕ 6 months).
 */
export type Offset = readonly OffsetStep[];

export function applyOffset(
  date: CalendarDate,
  offset: Offset,
  calendar: WorkingDayCalendar,
): CalendarDate {
  let result = date;
  for (const step of offset) {
    if (step.unit === 'days') result = addDays(result, step.count);
    else if (step.unit === 'months') result = addMonths(result, step.count);
    else result = calendar.addWorkingDays(result, step.count);
  }
  return result;
}

const STEP_PATTERN =
  /^(\d{1,4})\s*(day|days|d|week|weeks|w|month|months|working day|working days|year|years)$/;

/**
 * Reads an offset written as in a policy file: "28 days", "4 weeks", "1 month", "12 months",
 * "1 year", "20 working days", or steps joined by "+". Weeks become 7 days and years 12 months,
 * the spec's own conversions. Returns an error message instead of throwing.
 */
export function parseOffset(text: string): Offset | string {
  const parts = text.split('+').map((part) => part.trim().toLowerCase().replace(/\s+/g, ' '));
  const steps: OffsetStep[] = [];
  for (const part of parts) {
    const match = STEP_PATTERN.exec(part);
    if (!match) {
      return `"${text}" is not a period of time: write e.g. "28 days", "4 weeks", "1 month", "20 working days" or "42 days + 6 months"`;
    }
    const count = Number(match[1]);
    const unit = match[2] ?? '';
    if (unit.startsWith('working')) steps.push({ unit: 'workingDays', count });
    else if (unit.startsWith('d')) steps.push({ unit: 'days', count });
    else if (unit.startsWith('w')) steps.push({ unit: 'days', count: count * 7 });
    else if (unit.startsWith('m')) steps.push({ unit: 'months', count });
    else steps.push({ unit: 'months', count: count * 12 });
  }
  return steps;
}

function stepWords(step: OffsetStep): string {
  const plural = step.count === 1 ? '' : 's';
  if (step.unit === 'workingDays') return `${step.count} working day${plural}`;
  if (step.unit === 'months') return `${step.count} month${plural}`;
  if (step.count % 7 === 0 && step.count > 0) {
    const weeks = step.count / 7;
    return `${weeks} week${weeks === 1 ? '' : 's'}`;
  }
  return `${step.count} day${plural}`;
}

/** "28 days" → "4 weeks"; "42 days + 6 months" → "6 weeks and 6 months". */
export function offsetWords(offset: Offset): string {
  return offset.map(stepWords).join(' and ');
}

/** How often, in the words a policy uses: "weekly", "fortnightly", "monthly", "every 2 months". */
export function frequencyWords(offset: Offset): string {
  const [only, ...rest] = offset;
  if (only === undefined) return 'at once';
  if (rest.length === 0) {
    if (only.unit === 'days' && only.count === 7) return 'weekly';
    if (only.unit === 'days' && only.count === 14) return 'fortnightly';
    if (only.unit === 'months' && only.count === 1) return 'monthly';
    if (only.unit === 'months' && only.count === 12) return 'annually';
  }
  return `every ${offsetWords(offset)}`;
}

export function sameOffset(a: Offset, b: Offset): boolean {
  return (
    a.length === b.length &&
    a.every((step, i) => step.unit === b[i]?.unit && step.count === b[i].count)
  );
}
