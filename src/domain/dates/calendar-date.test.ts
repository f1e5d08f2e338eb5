import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  ageOn,
  birthday,
  formatDate,
  fromYmd,
  isoWeekday,
  parseIsoDate,
  parseValidIsoDate,
  toIsoDate,
  tryParseIsoDate,
  type CalendarDate,
} from './calendar-date.js';

const d = parseIsoDate;

describe('parsing', () => {
  it.each(['2026-02-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-12-31'])(
    'accepts the real date %s and writes it back unchanged',
    (text) => {
      expect(toIsoDate(d(text))).toBe(text);
    },
  );

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-05',
    '26-01-05',
    '2026/01/05',
    '2026-01-05T00:00:00Z',
    ' 2026-01-05',
    '',
    '2026-0a-05',
  ])('rejects %j', (text) => {
    expect(tryParseIsoDate(text)).toBeUndefined();
    expect(() => d(text)).toThrow(/not a real date/);
  });

  it('round-trips every day of four centuries, through both parsers', () => {
    let date = d('1850-12-25');
    for (let i = 0; i < 146_097; i++) {
      const text = toIsoDate(date);
      expect(d(text)).toBe(date);
      expect(parseValidIsoDate(text)).toBe(date);
      date = addDays(date, 1);
    }
  });
});

describe('⊕ months (spec §2)', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 48, '2032-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-05-31', -3, '2026-02-28'],
  ] as const)('%s ⊕ %i months = %s', (start, months, expected) => {
    expect(toIsoDate(addMonths(d(start), months))).toBe(expected);
  });

  it('adds months in one step from the original date, never month by month', () => {
    // Month by month, 31 Jan → 28 Feb → 28 Mar; in one step it is 31 Mar.
    expect(toIsoDate(addMonths(d('2026-01-31'), 2))).toBe('2026-03-31');
    expect(toIsoDate(addMonths(addMonths(d('2026-01-31'), 1), 1))).toBe('2026-03-28');
  });
});

describe('age (spec §2)', () => {
  it.each([
    ['2008-11-24', '2026-11-23', 17],
    ['2008-11-24', '2026-11-24', 18],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-29', 20],
    ['2008-02-29', '2028-02-28', 19],
  ] as const)('born %s is %i on %s', (born, on, age) => {
    expect(ageOn(d(born), d(on))).toBe(age);
  });

  it('a 29 February birthday is reached on 1 March in a year that is not a leap year', () => {
    expect(toIsoDate(birthday(d('2008-02-29'), 18))).toBe('2026-03-01');
    expect(toIsoDate(birthday(d('2008-02-29'), 20))).toBe('2028-02-29');
    expect(toIsoDate(birthday(d('2001-06-30'), 25))).toBe('2026-06-30');
  });
});

describe('people-facing dates', () => {
  it('writes "15 Mar 2026"', () => {
    expect(formatDate(d('2026-03-15'))).toBe('15 Mar 2026');
    expect(formatDate(d('2026-12-01'))).toBe('1 Dec 2026');
  });

  it('knows the day of the week', () => {
    expect(isoWeekday(d('2026-11-24'))).toBe(2); // a Tuesday
    expect(isoWeekday(d('1970-01-01'))).toBe(4);
    expect(isoWeekday(d('1969-12-28'))).toBe(7);
  });

  it('cannot be built from a date that does not exist', () => {
    expect(() => fromYmd(2026, 2, 30)).toThrow(/not a real date/);
  });
});

const dates = fc
  .integer({ min: d('1900-01-01'), max: d('2200-12-31') })
  .map((n) => n as CalendarDate);

describe('invariants', () => {
  it('⊕ days and ⊕ months are monotone', () => {
    fc.assert(
      fc.property(dates, dates, fc.integer({ min: 0, max: 600 }), (a, b, n) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addDays(lo, n)).toBeLessThanOrEqual(addDays(hi, n));
        expect(addMonths(lo, n % 40)).toBeLessThanOrEqual(addMonths(hi, n % 40));
      }),
    );
  });

  it('⊕ N months lands in the right month, on the same day or the month end', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 240 }), (date, n) => {
        const [y, m, day] = toIsoDate(date).split('-').map(Number) as [number, number, number];
        const [y2, m2, day2] = toIsoDate(addMonths(date, n)).split('-').map(Number) as [
          number,
          number,
          number,
        ];
        expect(y2 * 12 + m2).toBe(y * 12 + m + n);
        if (day2 !== day) {
          expect(day2).toBeLessThan(day);
          expect(toIsoDate(addDays(addMonths(date, n), 1)).endsWith('-01')).toBe(true);
        }
      }),
    );
  });
});
