import { describe, expect, it } from 'vitest';
import { parseIsoDate, toIsoDate } from './calendar-date.js';
import { applyOffset, frequencyWords, offsetWords, parseOffset, type Offset } from './offset.js';
import { ENGLAND_AND_WALES } from './working-days.js';

describe('periods of time as policies write them', () => {
  it.each([
    ['28 days', [{ unit: 'days', count: 28 }]],
    ['1 day', [{ unit: 'days', count: 1 }]],
    ['4 weeks', [{ unit: 'days', count: 28 }]],
    ['1 week', [{ unit: 'days', count: 7 }]],
    ['1 month', [{ unit: 'months', count: 1 }]],
    ['3 Months', [{ unit: 'months', count: 3 }]],
    ['1 year', [{ unit: 'months', count: 12 }]],
    ['20 working days', [{ unit: 'workingDays', count: 20 }]],
    ['20  working   days', [{ unit: 'workingDays', count: 20 }]],
    [
      '42 days + 6 months',
      [
        { unit: 'days', count: 42 },
        { unit: 'months', count: 6 },
      ],
    ],
  ] as const)('reads %j', (text, expected) => {
    expect(parseOffset(text)).toEqual(expected);
  });

  it.each(['fortnightly', 'monthly', '', '2', 'two weeks', '1.5 months', '-1 days', '3 weeks +'])(
    'explains what is wrong with %j',
    (text) => {
      expect(parseOffset(text)).toBe(
        `"${text}" is not a period of time: write e.g. "28 days", "4 weeks", "1 month", "20 working days" or "42 days + 6 months"`,
      );
    },
  );

  it('applies steps in order: (S ⊕ 42 days) ⊕ 6 months', () => {
    const offset = parseOffset('42 days + 6 months') as Offset;
    // 31 Aug 2026 + 42 days = 12 Oct 2026; ⊕ 6 months = 12 Apr 2027.
    expect(toIsoDate(applyOffset(parseIsoDate('2026-08-31'), offset, ENGLAND_AND_WALES))).toBe(
      '2027-04-12',
    );
    // The other order would clamp first: 31 Aug ⊕ 6 months = 28 Feb 2027, + 42 days = 11 Apr.
    const reversed = parseOffset('6 months + 42 days') as Offset;
    expect(toIsoDate(applyOffset(parseIsoDate('2026-08-31'), reversed, ENGLAND_AND_WALES))).toBe(
      '2027-04-11',
    );
  });

  it.each([
    ['7 days', 'weekly', '1 week'],
    ['14 days', 'fortnightly', '2 weeks'],
    ['28 days', 'every 4 weeks', '4 weeks'],
    ['56 days', 'every 8 weeks', '8 weeks'],
    ['10 days', 'every 10 days', '10 days'],
    ['1 month', 'monthly', '1 month'],
    ['2 months', 'every 2 months', '2 months'],
    ['12 months', 'annually', '12 months'],
    ['20 working days', 'every 20 working days', '20 working days'],
  ])('writes %s as "%s" ("%s")', (text, frequency, words) => {
    const offset = parseOffset(text) as Offset;
    expect(frequencyWords(offset)).toBe(frequency);
    expect(offsetWords(offset)).toBe(words);
  });
});
