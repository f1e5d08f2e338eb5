import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  isoWeekday,
  parseIsoDate,
  toIsoDate,
  type CalendarDate,
} from './calendar-date.js';
import { bankHolidays, ENGLAND_AND_WALES, WorkingDayCalendar } from './working-days.js';

const d = parseIsoDate;

// Bank holidays in England and Wales as GOV.UK publishes them.
const PUBLISHED: Record<number, string[]> = {
  2012: [
    '2012-01-02',
    '2012-04-06',
    '2012-04-09',
    '2012-05-07',
    '2012-06-04',
    '2012-06-05',
    '2012-08-27',
    '2012-12-25',
    '2012-12-26',
  ],
  2013: [
    '2013-01-01',
    '2013-03-29',
    '2013-04-01',
    '2013-05-06',
    '2013-05-27',
    '2013-08-26',
    '2013-12-25',
    '2013-12-26',
  ],
  2014: [
    '2014-01-01',
    '2014-04-18',
    '2014-04-21',
    '2014-05-05',
    '2014-05-26',
    '2014-08-25',
    '2014-12-25',
    '2014-12-26',
  ],
  2015: [
    '2015-01-01',
    '2015-04-03',
    '2015-04-06',
    '2015-05-04',
    '2015-05-25',
    '2015-08-31',
    '2015-12-25',
    '2015-12-28',
  ],
  2016: [
    '2016-01-01',
    '2016-03-25',
    '2016-03-28',
    '2016-05-02',
    '2016-05-30',
    '2016-08-29',
    '2016-12-26',
    '2016-12-27',
  ],
  2017: [
    '2017-01-02',
    '2017-04-14',
    '2017-04-17',
    '2017-05-01',
    '2017-05-29',
    '2017-08-28',
    '2017-12-25',
    '2017-12-26',
  ],
  2018: [
    '2018-01-01',
    '2018-03-30',
    '2018-04-02',
    '2018-05-07',
    '2018-05-28',
    '2018-08-27',
    '2018-12-25',
    '2018-12-26',
  ],
  2019: [
    '2019-01-01',
    '2019-04-19',
    '2019-04-22',
    '2019-05-06',
    '2019-05-27',
    '2019-08-26',
    '2019-12-25',
    '2019-12-26',
  ],
  2020: [
    '2020-01-01',
    '2020-04-10',
    '2020-04-13',
    '2020-05-08',
    '2020-05-25',
    '2020-08-31',
    '2020-12-25',
    '2020-12-28',
  ],
  2021: [
    '2021-01-01',
    '2021-04-02',
    '2021-04-05',
    '2021-05-03',
    '2021-05-31',
    '2021-08-30',
    '2021-12-27',
    '2021-12-28',
  ],
  2022: [
    '2022-01-03',
    '2022-04-15',
    '2022-04-18',
    '2022-05-02',
    '2022-06-02',
    '2022-06-03',
    '2022-08-29',
    '2022-09-19',
    '2022-12-26',
    '2022-12-27',
  ],
  2023: [
    '2023-01-02',
    '2023-04-07',
    '2023-04-10',
    '2023-05-01',
    '2023-05-08',
    '2023-05-29',
    '2023-08-28',
    '2023-12-25',
    '2023-12-26',
  ],
  2024: [
    '2024-01-01',
    '2024-03-29',
    '2024-04-01',
    '2024-05-06',
    '2024-05-27',
    '2024-08-26',
    '2024-12-25',
    '2024-12-26',
  ],
  2025: [
    '2025-01-01',
    '2025-04-18',
    '2025-04-21',
    '2025-05-05',
    '2025-05-26',
    '2025-08-25',
    '2025-12-25',
    '2025-12-26',
  ],
  2026: [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
  ],
  2027: [
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ],
  2028: [
    '2028-01-03',
    '2028-04-14',
    '2028-04-17',
    '2028-05-01',
    '2028-05-29',
    '2028-08-28',
    '2028-12-25',
    '2028-12-26',
  ],
};

describe('bank holidays in England and Wales', () => {
  it.each(Object.entries(PUBLISHED))('%s matches the published list', (year, expected) => {
    expect(bankHolidays(Number(year))).toEqual(expected);
  });

  it('has the one-off and moved days of earlier years', () => {
    expect(bankHolidays(2011)).toContain('2011-04-29');
    expect(bankHolidays(2002)).toEqual(expect.arrayContaining(['2002-06-03', '2002-06-04']));
    expect(bankHolidays(2002)).not.toContain('2002-05-27');
    expect(bankHolidays(1999)).toContain('1999-12-31');
    expect(bankHolidays(1995)).toContain('1995-05-08');
    expect(bankHolidays(1995)).not.toContain('1995-05-01');
  });

  it('follows the rules for years beyond the published lists, every one a weekday', () => {
    for (let year = 1990; year <= 2100; year++) {
      const days = bankHolidays(year);
      expect(days.length).toBeGreaterThanOrEqual(8);
      for (const day of days) expect(isoWeekday(d(day))).toBeLessThanOrEqual(5);
      expect(days.some((day) => day.endsWith('-12-25') || day.endsWith('-12-27'))).toBe(true);
    }
    expect(bankHolidays(2032)).toContain('2032-12-27'); // Boxing Day on a Sunday
  });
});

describe('⊕ working days (spec §2)', () => {
  const cases: [string, number, string, string][] = [
    ['2026-11-20', 1, '2026-11-23', 'Friday ⊕ 1 is the next Monday'],
    ['2026-11-24', 0, '2026-11-24', 'zero working days is the same date'],
    ['2026-11-21', 1, '2026-11-23', 'the start date is never counted, even at a weekend'],
    [
      '2026-12-24',
      1,
      '2026-12-29',
      'across Christmas 2026: 25 Dec and 28 Dec (Boxing Day substitute)',
    ],
    ['2026-12-18', 10, '2027-01-06', 'across Christmas and New Year 2026'],
    ['2026-12-11', 20, '2027-01-13', '20 working days across Christmas 2026'],
    ['2027-03-25', 1, '2027-03-30', 'across Easter 2027: Good Friday and Easter Monday'],
    ['2027-03-15', 10, '2027-03-31', '10 working days across Easter 2027'],
    ['2027-03-12', 20, '2027-04-13', '20 working days across Easter 2027'],
    ['2026-05-01', 1, '2026-05-05', 'Friday before the early May bank holiday'],
    ['2026-12-25', 1, '2026-12-29', 'starting on a bank holiday'],
    ['2027-12-24', 1, '2027-12-29', 'Christmas 2027: both days substituted (27 and 28 Dec)'],
    ['2027-12-31', 1, '2028-01-04', 'New Year 2028 substituted to 3 Jan'],
    ['2012-05-28', 10, '2012-06-13', 'across the Diamond Jubilee, 4 and 5 June 2012'],
  ];
  it.each(cases)('%s ⊕ %i working days = %s (%s)', (start, n, expected) => {
    expect(toIsoDate(ENGLAND_AND_WALES.addWorkingDays(d(start), n))).toBe(expected);
  });

  it("counts an organisation's own closure days as non-working", () => {
    const calendar = new WorkingDayCalendar([
      d('2026-12-24'),
      d('2026-12-29'),
      d('2026-12-30'),
      d('2026-12-31'),
    ]);
    expect(toIsoDate(calendar.addWorkingDays(d('2026-12-23'), 1))).toBe('2027-01-04');
    expect(calendar.isWorkingDay(d('2026-12-23'))).toBe(true);
    expect(calendar.isWorkingDay(d('2026-12-24'))).toBe(false);
  });

  it('lands on a working day, after the start, and is monotone', () => {
    const dates = fc
      .integer({ min: d('2015-01-01'), max: d('2035-12-31') })
      .map((n) => n as CalendarDate);
    fc.assert(
      fc.property(dates, dates, fc.integer({ min: 1, max: 60 }), (a, b, n) => {
        const result = ENGLAND_AND_WALES.addWorkingDays(a, n);
        expect(result).toBeGreaterThan(a);
        expect(ENGLAND_AND_WALES.isWorkingDay(result)).toBe(true);
        let counted = 0;
        for (let day = addDays(a, 1); day <= result; day = addDays(day, 1)) {
          if (ENGLAND_AND_WALES.isWorkingDay(day)) counted++;
        }
        expect(counted).toBe(n);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(ENGLAND_AND_WALES.addWorkingDays(lo, n)).toBeLessThanOrEqual(
          ENGLAND_AND_WALES.addWorkingDays(hi, n),
        );
      }),
    );
  });
});
