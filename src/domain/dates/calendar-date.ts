/**
 * A calendar date with no time of day and no time zone, held as the number of days since
 * 1970-01-01. The brand means a value can only come from the constructors below, all of which
 * reject dates that do not exist, so a CalendarDate is always a real date. Being a number, it is
 * compared with < and ===, and costs nothing to store: the engine handles millions of them.
 */
export type CalendarDate = number & { readonly __calendarDate: unique symbol };

export interface Ymd {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
}

const MIN_YEAR = 1;
const MAX_YEAR = 9999;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return MONTH_DAYS[month - 1] ?? 0;
}

// Days from civil and back: H. Hinnant's algorithms for the proleptic Gregorian calendar.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function toYmd(date: CalendarDate): Ymd {
  const z = date + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export class InvalidDateError extends Error {
  constructor(readonly input: string) {
    super(`"${input}" is not a real date in the form YYYY-MM-DD`);
    this.name = 'InvalidDateError';
  }
}

/** The date, or undefined when year, month and day do not make a real date. */
// The day number of the first of each month from 1900 to 2199, so that parsing the dates of a
// council's extract (millions of them) and adding months are table look-ups, not arithmetic.
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
const MONTH_STARTS = new Int32Array(TABLE_YEARS * 12);
const MONTH_LENGTHS = new Uint8Array(TABLE_YEARS * 12);
for (let i = 0; i < TABLE_YEARS * 12; i++) {
  const year = TABLE_FIRST_YEAR + Math.floor(i / 12);
  const month = (i % 12) + 1;
  MONTH_STARTS[i] = daysFromCivil(year, month, 1);
  MONTH_LENGTHS[i] = daysInMonth(year, month);
}

export function tryFromYmd(year: number, month: number, day: number): CalendarDate | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day))
    return undefined;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (index >= 0 && index < MONTH_STARTS.length) {
    if (day > (MONTH_LENGTHS[index] as number)) return undefined;
    return ((MONTH_STARTS[index] as number) + day - 1) as CalendarDate;
  }
  if (day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day) as CalendarDate;
}

export function fromYmd(year: number, month: number, day: number): CalendarDate {
  const date = tryFromYmd(year, month, day);
  if (date === undefined) throw new InvalidDateError(`${year}-${month}-${day}`);
  return date;
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1000000;
}

/**
 * Parses exactly `YYYY-MM-DD` (no time, no zone, no other spelling). Written by hand because
 * it runs once per event in a council's extract.
 */
export function tryParseIsoDate(text: string): CalendarDate | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45)
    return undefined;
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  if (year < 0 || month < 0 || day < 0) return undefined;
  return tryFromYmd(year, month, day);
}

/**
 * Parses a `YYYY-MM-DD` date that has already been validated (the engine's extract has): no
 * checks on the fast path, because it runs once for each of millions of events. Text that does
 * not start with four digits, a hyphen and two digits falls back to the checked parser.
 */
export function parseValidIsoDate(text: string): CalendarDate {
  const year =
    text.charCodeAt(0) * 1000 +
    text.charCodeAt(1) * 100 +
    text.charCodeAt(2) * 10 +
    text.charCodeAt(3) -
    53328;
  const month = text.charCodeAt(5) * 10 + text.charCodeAt(6) - 528;
  const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (
    index >= 0 &&
    index < MONTH_STARTS.length &&
    month >= 1 &&
    month <= 12 &&
    text.length === 10
  ) {
    return ((MONTH_STARTS[index] as number) +
      text.charCodeAt(8) * 10 +
      text.charCodeAt(9) -
      529) as CalendarDate;
  }
  return parseIsoDate(text);
}

export function parseIsoDate(text: string): CalendarDate {
  const date = tryParseIsoDate(text);
  if (date === undefined) throw new InvalidDateError(text);
  return date;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function toIsoDate(date: CalendarDate): string {
  const { year, month, day } = toYmd(date);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const MONTH_ABBREVIATIONS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** "15 Mar 2026": how dates are written for people. */
export function formatDate(date: CalendarDate): string {
  let text = formatted.get(date);
  if (text === undefined) {
    const { year, month, day } = toYmd(date);
    text = `${day} ${MONTH_ABBREVIATIONS[month - 1] ?? ''} ${year}`;
    // Explanations repeat the same few thousand dates hundreds of thousands of times.
    if (formatted.size < 100_000) formatted.set(date, text);
  }
  return text;
}

const formatted = new Map<number, string>();

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return (date + days) as CalendarDate;
}

/**
 * `date ⊕ N months`: the same day of the month N months later, or the last day of that month
 * where it is shorter. Always one step from the original date, never month by month.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  // Fast path through the month table: no objects, as the engine calls this for every event.
  const index = monthIndexOf(date);
  if (index >= 0) {
    const target = index + months;
    if (target >= 0 && target < MONTH_STARTS.length) {
      const day = date - (MONTH_STARTS[index] as number) + 1;
      const length = MONTH_LENGTHS[target] as number;
      return ((MONTH_STARTS[target] as number) + (day < length ? day : length) - 1) as CalendarDate;
    }
  }
  return addMonthsSlow(date, months);
}

/** The index into the month table of the month holding `date`, or -1 outside the table. */
function monthIndexOf(date: number): number {
  const first = MONTH_STARTS[0] as number;
  const last = MONTH_STARTS.length - 1;
  if (date < first || date >= (MONTH_STARTS[last] as number) + (MONTH_LENGTHS[last] as number))
    return -1;
  // An average month is 30.436875 days; the estimate is at most one month out.
  let index = Math.min(last, Math.floor((date - first) / 30.436875));
  while ((MONTH_STARTS[index] as number) > date) index--;
  while (index < last && (MONTH_STARTS[index + 1] as number) <= date) index++;
  return index;
}

/** The year of a date, without building a Ymd. */
export function yearOf(date: CalendarDate): number {
  const index = monthIndexOf(date);
  return index >= 0 ? TABLE_FIRST_YEAR + Math.floor(index / 12) : toYmd(date).year;
}

function addMonthsSlow(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = toYmd(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return daysFromCivil(targetYear, targetMonth, targetDay) as CalendarDate;
}

/** Day of the week, 1 = Monday … 7 = Sunday (ISO 8601). */
export function isoWeekday(date: CalendarDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((date + 3) % 7) + 7) % 7) + 1;
}

/**
 * Whole years from `dateOfBirth` to `on`. A birthday on 29 February is reached on 1 March in a
 * year that is not a leap year, which plain (month, day) comparison gives.
 */
export function ageOn(dateOfBirth: CalendarDate, on: CalendarDate): number {
  const birth = toYmd(dateOfBirth);
  const now = toYmd(on);
  let age = now.year - birth.year;
  if (now.month < birth.month || (now.month === birth.month && now.day < birth.day)) age -= 1;
  return age;
}

/** The date on which someone born on `dateOfBirth` turns `years` old. */
export function birthday(dateOfBirth: CalendarDate, years: number): CalendarDate {
  const { year, month, day } = toYmd(dateOfBirth);
  const target = year + years;
  if (month === 2 && day === 29 && !isLeapYear(target))
    return daysFromCivil(target, 3, 1) as CalendarDate;
  return daysFromCivil(target, month, day) as CalendarDate;
}
