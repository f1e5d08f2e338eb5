import { daysInMonth, toIsoDate, tryFromYmd, type CalendarDate } from '../dates/index.js';
import { quote } from './problems.js';

/**
 * Dates as the standards write them: `DD/MM/YYYY` (SSDA903, Annex A, most spreadsheets; one-digit
 * day and month and `-` or `.` separators are read too) and `YYYY-MM-DD` (XML `xs:date`, the
 * CIN census). Day first always: England writes 03/04/2025 for the 3rd of April. A time of day
 * after the date (`01/09/2025 00:00`, `2025-09-01T00:00:00Z`) is ignored. Years are four digits
 * and between 1900 and 2199, so that `01/01/19` or a typed `0201` is an error, not a date.
 *
 * The readers return day numbers (CalendarDate) or one of two sentinels, so that the hot loop of
 * a 100,000-row file allocates nothing per date.
 */

/** The cell is empty. */
export const NO_DATE = -1_000_000_000;
/** The cell holds something that is not a real date; `describeBadDate` says why. */
export const BAD_DATE = -2_000_000_000;

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -100_000;
}

function dayOf(year: number, month: number, day: number): number {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 0 || day < 0) return BAD_DATE;
  return tryFromYmd(year, month, day) ?? BAD_DATE;
}

const TIME_SUFFIX = /[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/;
const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const YEAR_FIRST = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
// An xs:date may carry a time zone (`2024-04-01Z`, `2024-04-01+01:00`); the date is the date.
const ISO_ZONE = /^(\d{4}-\d{1,2}-\d{1,2})(?:Z|[+-]\d{2}:\d{2})$/;
const TWO_DIGIT_YEAR = /^\d{1,2}([/.-])\d{1,2}\1\d{2}$/;

/** A date in either form, NO_DATE for blank, BAD_DATE otherwise. */
export function readDate(text: string): number {
  const length = text.length;
  if (length === 0) return NO_DATE;
  if (length === 10) {
    // The two shapes of nearly every date in these files, read without a regular expression.
    if (text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47) {
      const day = digit(text, 0) * 10 + digit(text, 1);
      const month = digit(text, 3) * 10 + digit(text, 4);
      const year =
        digit(text, 6) * 1000 + digit(text, 7) * 100 + digit(text, 8) * 10 + digit(text, 9);
      return dayOf(year, month, day);
    }
    if (text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
      const year =
        digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
      const month = digit(text, 5) * 10 + digit(text, 6);
      const day = digit(text, 8) * 10 + digit(text, 9);
      return dayOf(year, month, day);
    }
  }
  const trimmed = text.trim().replace(TIME_SUFFIX, '').replace(ISO_ZONE, '$1');
  if (trimmed === '') return NO_DATE;
  let match = DAY_FIRST.exec(trimmed);
  if (match !== null) return dayOf(Number(match[4]), Number(match[3]), Number(match[1]));
  match = YEAR_FIRST.exec(trimmed);
  if (match !== null) return dayOf(Number(match[1]), Number(match[3]), Number(match[4]));
  return BAD_DATE;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Why `text` is not a date, for a data officer: "'31/02/2025' is not a real date (February 2025
 * has 28 days)". `expected` names the form the file should use.
 */
export function describeBadDate(text: string, expected = 'DD/MM/YYYY'): string {
  const trimmed = text.trim().replace(TIME_SUFFIX, '').replace(ISO_ZONE, '$1');
  if (TWO_DIGIT_YEAR.test(trimmed))
    return `${quote(text)} has a two-digit year: write the date as ${expected}`;
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  const dayFirst = DAY_FIRST.exec(trimmed);
  const yearFirst = YEAR_FIRST.exec(trimmed);
  if (dayFirst !== null) {
    [day, month, year] = [Number(dayFirst[1]), Number(dayFirst[3]), Number(dayFirst[4])];
  } else if (yearFirst !== null) {
    [year, month, day] = [Number(yearFirst[1]), Number(yearFirst[3]), Number(yearFirst[4])];
  }
  if (year === undefined || month === undefined || day === undefined)
    return `${quote(text)} is not a date in the form ${expected}`;
  if (year < MIN_YEAR || year > MAX_YEAR)
    return `${quote(text)} is not a plausible date (the year is ${year})`;
  if (month < 1 || month > 12) {
    const hint = dayFirst !== null && day <= 12 ? ': dates are written day first' : '';
    return `${quote(text)} is not a real date (there is no month ${month}${hint})`;
  }
  const length = daysInMonth(year, month);
  return `${quote(text)} is not a real date (${MONTH_NAMES[month - 1] ?? ''} ${year} has ${length} days)`;
}

const isoCache = new Map<number, string>();

/** The ISO text of a day number (memoised: a council's files repeat the same few thousand dates). */
export function isoOf(day: number): string {
  let text = isoCache.get(day);
  if (text === undefined) {
    text = toIsoDate(day as CalendarDate);
    if (isoCache.size < 200_000) isoCache.set(day, text);
  }
  return text;
}

// Excel counts days from 1899-12-30 (serial 1 = 1900-01-01, and its invented 29 Feb 1900 is of
// no concern to dates in these files); the day numbers count from 1970-01-01.
const EXCEL_EPOCH_OFFSET = 25_569;
const EXCEL_MIN = 1; // 1900-01-01
const EXCEL_MAX = 109_574; // 2199-12-31

/** The day of an Excel serial date number (the time of day, if any, is ignored). */
export function dayOfExcelSerial(serial: number): number {
  if (!Number.isFinite(serial) || serial < EXCEL_MIN || serial >= EXCEL_MAX + 1) return BAD_DATE;
  return Math.floor(serial) - EXCEL_EPOCH_OFFSET;
}

/**
 * The day of a JavaScript Date read from a spreadsheet cell. Spreadsheet readers give a date
 * cell as midnight UTC of that day, so its UTC calendar fields are the date the sheet shows.
 */
export function dayOfSpreadsheetDate(date: Date): number {
  const time = date.getTime();
  if (Number.isNaN(time)) return BAD_DATE;
  return dayOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}
