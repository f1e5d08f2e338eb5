import Holidays from 'date-holidays';
import {
  addDays,
  fromYmd,
  isoWeekday,
  toIsoDate,
  yearOf,
  type CalendarDate,
} from './calendar-date.js';

/**
 * Bank holidays in England and Wales that fall on a weekday, as GOV.UK publishes them: the
 * regular ones by rule for any year (substitute days included) and the one-off days. They come
 * from date-holidays' GB-ENG calendar, keeping only its `public` days that fall Monday-Friday
 * (its list also carries observances such as Mother's Day, and the weekend day itself beside
 * each substitute), corrected below where it departs from the published dates. Tests check the
 * result against GOV.UK's lists for 2012-2028.
 */
const englandAndWales = new Holidays('GB', 'ENG');
const bankHolidaysByYear = new Map<number, ReadonlySet<number>>();

/**
 * Where date-holidays departs from the bank holidays actually proclaimed: the one-off days it
 * lacks and the regular days that were moved that year.
 */
const CORRECTIONS: Record<
  number,
  { readonly add: readonly string[]; readonly remove: readonly string[] }
> = {
  1977: { add: ['1977-06-07'], remove: ['1977-05-02'] }, // Silver Jubilee; May Day began in 1978
  1981: { add: ['1981-07-29'], remove: [] }, // royal wedding
  1995: { add: ['1995-05-08'], remove: ['1995-05-01'] }, // early May moved for VE Day's 50th
  1999: { add: ['1999-12-31'], remove: [] }, // millennium
  2002: { add: ['2002-06-03', '2002-06-04'], remove: ['2002-05-27'] }, // Golden Jubilee
  2011: { add: ['2011-04-29'], remove: [] }, // royal wedding
  2012: { add: ['2012-06-04'], remove: ['2012-05-28'] }, // spring moved for the Diamond Jubilee
};

function dayOf(iso: string): CalendarDate {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return fromYmd(y, m, d);
}

function bankHolidaysOf(year: number): ReadonlySet<number> {
  let days = bankHolidaysByYear.get(year);
  if (days === undefined) {
    const found = new Set<number>();
    for (const holiday of englandAndWales.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const iso = holiday.date.slice(0, 10);
      const date = dayOf(iso);
      if (isoWeekday(date) <= 5) found.add(date);
    }
    const correction = CORRECTIONS[year];
    for (const iso of correction?.remove ?? []) found.delete(dayOf(iso));
    for (const iso of correction?.add ?? []) found.add(dayOf(iso));
    days = found;
    bankHolidaysByYear.set(year, days);
  }
  return days;
}

export function isBankHoliday(date: CalendarDate): boolean {
  return bankHolidaysOf(yearOf(date)).has(date);
}

/** Every weekday bank holiday in England and Wales in a year, in order, as YYYY-MM-DD. */
export function bankHolidays(year: number): string[] {
  return [...bankHolidaysOf(year)].sort((a, b) => a - b).map((d) => toIsoDate(d as CalendarDate));
}

/**
 * Working days: Monday to Friday, not a bank holiday in England and Wales, and not one of the
 * organisation's own closure days.
 */
export class WorkingDayCalendar {
  private readonly closures: ReadonlySet<number>;
  // The same sums come up again and again (every assessment that started on a date): remember them.
  private readonly sums = new Map<number, CalendarDate>();

  constructor(closureDays: Iterable<CalendarDate> = []) {
    this.closures = new Set<number>(closureDays);
  }

  isWorkingDay(date: CalendarDate): boolean {
    return isoWeekday(date) <= 5 && !isBankHoliday(date) && !this.closures.has(date);
  }

  /** `date ⊕ N working days`: the start date itself is never counted. */
  addWorkingDays(date: CalendarDate, count: number): CalendarDate {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError('working days must be a whole number of 0 or more');
    const key = date * 1024 + count;
    const known = count < 1024 ? this.sums.get(key) : undefined;
    if (known !== undefined) return known;
    let current = date;
    let counted = 0;
    while (counted < count) {
      current = addDays(current, 1);
      if (this.isWorkingDay(current)) counted += 1;
    }
    if (count < 1024 && this.sums.size < 100_000) this.sums.set(key, current);
    return current;
  }
}

export const ENGLAND_AND_WALES = new WorkingDayCalendar();
