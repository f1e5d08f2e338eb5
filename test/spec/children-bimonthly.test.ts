// Child case-supervision rules of the `bimonthly` preset (spec/scheduling.md §8). Every expected
// date is derived by hand from the spec text (§2 arithmetic, §3 clock), never from the engine's
// output. Bank holidays used (GOV.UK, England and Wales): 2026-12-25, 2026-12-28 (Boxing Day
// substitute), 2027-01-01, 2027-03-26 (Good Friday), 2027-03-29 (Easter Monday).
import { describe, expect, it } from 'vitest';
import {
  checkClock,
  checkCovered,
  checkOnlyWarning,
  clk,
  cs,
  event,
  inv,
  reportFor,
  start,
  type ClockCase,
} from './builders.js';

const POLICY = 'bimonthly';
const report = reportFor(POLICY);
// No ranges in this preset: every expected result is a `clk` (latest = due).

const ruleRows: ClockCase[] = [
  {
    name: 'early-help first: 31 Jan 2026 ⊕ 2 months = 31 Mar',
    asOf: '2026-02-10',
    child: { involvements: [inv('early-help', '2026-01-31')] },
    expected: clk('on-track', '2026-03-31', ['early-help'], start('2026-01-31')),
  },
  {
    name: 'early-help every: 31 Dec 2026 ⊕ 2 months = 28 Feb 2027',
    asOf: '2027-01-05',
    child: { involvements: [inv('early-help', '2026-11-02')], events: [cs('2026-12-31')] },
    expected: clk('on-track', '2027-02-28', ['early-help'], event('2026-12-31'), '2026-12-31'),
  },
  {
    name: 'early-help every: 31 Dec 2027 ⊕ 2 months = 29 Feb 2028 (leap year)',
    asOf: '2028-02-29',
    child: { involvements: [inv('early-help', '2027-11-01')], events: [cs('2027-12-31')] },
    expected: clk('due', '2028-02-29', ['early-help'], event('2027-12-31'), '2027-12-31'),
  },
  {
    name: 'assessment first: Mon 5 Jan 2026 + 20 working days = Mon 2 Feb',
    asOf: '2026-01-20',
    child: { involvements: [inv('assessment', '2026-01-05')] },
    expected: clk('on-track', '2026-02-02', ['assessment'], start('2026-01-05')),
  },
  {
    name: 'assessment first, start on a Friday: Fri 9 Jan 2026 + 20 working days = Fri 6 Feb',
    asOf: '2026-02-06',
    child: { involvements: [inv('assessment', '2026-01-09')] },
    expected: clk('due', '2026-02-06', ['assessment'], start('2026-01-09')),
  },
  {
    name: 'assessment first across Christmas 2026: Mon 14 Dec + 20 working days = Thu 14 Jan 2027',
    asOf: '2027-01-13',
    child: { involvements: [inv('assessment', '2026-12-14')] },
    expected: clk('on-track', '2027-01-14', ['assessment'], start('2026-12-14')),
  },
  {
    name: 'assessment first, start on Christmas Day 2026 (bank holiday): + 20 working days = 26 Jan 2027',
    asOf: '2027-01-27',
    child: { involvements: [inv('assessment', '2026-12-25')] },
    expected: clk('overdue', '2027-01-26', ['assessment'], start('2026-12-25')),
  },
  {
    name: 'assessment first across Easter 2027: Mon 15 Mar + 20 working days = Wed 14 Apr',
    asOf: '2027-04-14',
    child: { involvements: [inv('assessment', '2027-03-15')] },
    expected: clk('due', '2027-04-14', ['assessment'], start('2027-03-15')),
  },
  {
    name: 'assessment first, start on Good Friday 2027: + 20 working days = Mon 26 Apr',
    asOf: '2027-04-01',
    child: { involvements: [inv('assessment', '2027-03-26')] },
    expected: clk('on-track', '2027-04-26', ['assessment'], start('2027-03-26')),
  },
  {
    name: 'assessment every: 31 Jan 2026 ⊕ 1 month = 28 Feb (the event resets, even past the 20-day date)',
    asOf: '2026-02-10',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [cs('2026-01-31')] },
    expected: clk('on-track', '2026-02-28', ['assessment'], event('2026-01-31'), '2026-01-31'),
  },
  {
    name: 'cin first: 31 Mar 2026 ⊕ 2 months = 31 May',
    asOf: '2026-04-01',
    child: { involvements: [inv('cin', '2026-03-31')] },
    expected: clk('on-track', '2026-05-31', ['cin'], start('2026-03-31')),
  },
  {
    name: 'cin every: 30 Apr 2026 ⊕ 2 months = 30 Jun',
    asOf: '2026-05-01',
    child: { involvements: [inv('cin', '2026-03-31')], events: [cs('2026-04-30')] },
    expected: clk('on-track', '2026-06-30', ['cin'], event('2026-04-30'), '2026-04-30'),
  },
  {
    name: 'cp first: 31 Jan 2026 ⊕ 1 month = 28 Feb',
    asOf: '2026-03-01',
    child: { involvements: [inv('cp', '2026-01-31')] },
    expected: clk('overdue', '2026-02-28', ['cp'], start('2026-01-31')),
  },
  {
    name: 'cp first: 31 Jan 2028 ⊕ 1 month = 29 Feb 2028',
    asOf: '2028-02-28',
    child: { involvements: [inv('cp', '2028-01-31')] },
    expected: clk('on-track', '2028-02-29', ['cp'], start('2028-01-31')),
  },
  {
    name: 'cp every: 31 Mar 2026 ⊕ 1 month = 30 Apr',
    asOf: '2026-04-30',
    child: { involvements: [inv('cp', '2026-01-31')], events: [cs('2026-03-31')] },
    expected: clk('due', '2026-04-30', ['cp'], event('2026-03-31'), '2026-03-31'),
  },
  {
    name: 'cla-high-risk first, no risk recorded (treated as high): 10 Jan ⊕ 1 month = 10 Feb',
    asOf: '2026-01-20',
    child: { involvements: [inv('cla', '2026-01-10')] },
    expected: clk('on-track', '2026-02-10', ['cla-high-risk'], start('2026-01-10')),
  },
  {
    name: 'cla-high-risk every, risk high: 20 Feb ⊕ 1 month = 20 Mar',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [{ level: 'high', from: '2026-01-01' }],
      events: [cs('2026-02-20')],
    },
    expected: clk('on-track', '2026-03-20', ['cla-high-risk'], event('2026-02-20'), '2026-02-20'),
  },
  {
    name: 'cla-low-risk first: 10 Jan ⊕ 2 months = 10 Mar',
    asOf: '2026-01-20',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [{ level: 'low', from: '2026-01-01' }],
    },
    expected: clk('on-track', '2026-03-10', ['cla-low-risk'], start('2026-01-10')),
  },
  {
    name: 'cla-low-risk every: 15 Feb ⊕ 2 months = 15 Apr',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [{ level: 'low', from: '2026-01-01' }],
      events: [cs('2026-02-15')],
    },
    expected: clk('on-track', '2026-04-15', ['cla-low-risk'], event('2026-02-15'), '2026-02-15'),
  },
  {
    name: 'risk entries out of order: the latest from ≤ d (low from 5 Jan) applies',
    asOf: '2026-01-20',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [
        { level: 'low', from: '2026-01-05' },
        { level: 'high', from: '2026-01-01' },
      ],
    },
    expected: clk('on-track', '2026-03-10', ['cla-low-risk'], start('2026-01-10')),
  },
  {
    name: 'care-leaver-18-20 first (age 19): 10 Jan ⊕ 2 months = 10 Mar',
    asOf: '2026-01-20',
    child: { dateOfBirth: '2006-05-15', involvements: [inv('care-leaver', '2026-01-10')] },
    expected: clk('on-track', '2026-03-10', ['care-leaver-18-20'], start('2026-01-10')),
  },
  {
    name: 'care-leaver-18-20 every: 28 Feb ⊕ 2 months = 28 Apr',
    asOf: '2026-03-01',
    child: {
      dateOfBirth: '2006-05-15',
      involvements: [inv('care-leaver', '2026-01-10')],
      events: [cs('2026-02-28')],
    },
    expected: clk(
      'on-track',
      '2026-04-28',
      ['care-leaver-18-20'],
      event('2026-02-28'),
      '2026-02-28',
    ),
  },
  {
    name: 'care-leaver with no date of birth: care-leaver-18-20',
    asOf: '2026-01-20',
    child: { involvements: [inv('care-leaver', '2026-01-10')] },
    expected: clk('on-track', '2026-03-10', ['care-leaver-18-20'], start('2026-01-10')),
  },
  {
    name: 'care leaver aged 16: "age < 21" holds, care-leaver-18-20 applies',
    asOf: '2026-01-20',
    child: { dateOfBirth: '2009-06-01', involvements: [inv('care-leaver', '2026-01-10')] },
    expected: clk('on-track', '2026-03-10', ['care-leaver-18-20'], start('2026-01-10')),
  },
  {
    name: 'care-leaver-21-plus first (age 26): 31 Jan ⊕ 3 months = 30 Apr',
    asOf: '2026-02-01',
    child: { dateOfBirth: '2000-01-01', involvements: [inv('care-leaver', '2026-01-31')] },
    expected: clk('on-track', '2026-04-30', ['care-leaver-21-plus'], start('2026-01-31')),
  },
  {
    name: 'care-leaver-21-plus every: 31 May ⊕ 3 months = 31 Aug',
    asOf: '2026-06-01',
    child: {
      dateOfBirth: '2000-01-01',
      involvements: [inv('care-leaver', '2026-01-31')],
      events: [cs('2026-05-31')],
    },
    expected: clk(
      'on-track',
      '2026-08-31',
      ['care-leaver-21-plus'],
      event('2026-05-31'),
      '2026-05-31',
    ),
  },
];

const changes: ClockCase[] = [
  {
    name: 'cla risk high → low (20 Jan): 20 Jan ⊕ 2 months does not push 10 Feb back',
    asOf: '2026-01-25',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [{ level: 'low', from: '2026-01-20' }],
    },
    expected: clk('on-track', '2026-02-10', ['cla-high-risk'], start('2026-01-10')),
  },
  {
    name: 'cla risk high → low, then a supervision 5 Feb: low risk, 5 Apr',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [{ level: 'low', from: '2026-01-20' }],
      events: [cs('2026-02-05')],
    },
    expected: clk('on-track', '2026-04-05', ['cla-low-risk'], event('2026-02-05'), '2026-02-05'),
  },
  {
    name: 'cla risk low → high (1 Feb): 1 Feb ⊕ 1 month = 1 Mar brings 10 Mar forward',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('cla', '2026-01-10')],
      risk: [
        { level: 'low', from: '2026-01-01' },
        { level: 'high', from: '2026-02-01' },
      ],
    },
    expected: clk('on-track', '2026-03-01', ['cla-high-risk'], start('2026-02-01')),
  },
  {
    name: 'cp then cin (20 Jan ⊕ 2 months = 20 Mar): cp due 5 Feb stays',
    asOf: '2026-01-25',
    child: { involvements: [inv('cp', '2026-01-05'), inv('cin', '2026-01-20')] },
    expected: clk('on-track', '2026-02-05', ['cp'], start('2026-01-05')),
  },
  {
    name: 'cp and cin, supervision 25 Jan: cp wins, 25 Feb',
    asOf: '2026-01-30',
    child: {
      involvements: [inv('cp', '2026-01-05'), inv('cin', '2026-01-20')],
      events: [cs('2026-01-25')],
    },
    expected: clk('on-track', '2026-02-25', ['cp'], event('2026-01-25'), '2026-01-25'),
  },
  {
    name: 'cp ends 1 Feb, cin continues: due 25 Feb from cp stays; rules still cp',
    asOf: '2026-02-05',
    child: {
      involvements: [inv('cp', '2026-01-05', '2026-02-01'), inv('cin', '2026-01-20')],
      events: [cs('2026-01-25')],
    },
    expected: clk('on-track', '2026-02-25', ['cp'], event('2026-01-25'), '2026-01-25'),
  },
  {
    name: 'cp ended, supervision 10 Feb under cin only: 10 Apr',
    asOf: '2026-02-15',
    child: {
      involvements: [inv('cp', '2026-01-05', '2026-02-01'), inv('cin', '2026-01-20')],
      events: [cs('2026-01-25'), cs('2026-02-10')],
    },
    expected: clk('on-track', '2026-04-10', ['cin'], event('2026-02-10'), '2026-02-10'),
  },
  {
    name: 'cin (supervised 20 Jan, due 20 Mar) then cp starts 10 Feb: brought forward to 10 Mar',
    asOf: '2026-02-15',
    child: {
      involvements: [inv('cin', '2026-01-05'), inv('cp', '2026-02-10')],
      events: [cs('2026-01-20')],
    },
    expected: clk('on-track', '2026-03-10', ['cp'], start('2026-02-10'), '2026-01-20'),
  },
];

const careLeaverAges: ClockCase[] = [
  {
    name: '21st birthday (15 May) after a supervision 20 Apr: due 20 Jun stays (not pushed to 15 Aug)',
    asOf: '2026-06-01',
    child: {
      dateOfBirth: '2005-05-15',
      involvements: [inv('care-leaver', '2026-01-10')],
      events: [cs('2026-04-20')],
    },
    expected: clk(
      'on-track',
      '2026-06-20',
      ['care-leaver-18-20'],
      event('2026-04-20'),
      '2026-04-20',
    ),
  },
  {
    name: 'after the 21st birthday a supervision 10 Jun is judged at 21+: 10 Sep',
    asOf: '2026-06-15',
    child: {
      dateOfBirth: '2005-05-15',
      involvements: [inv('care-leaver', '2026-01-10')],
      events: [cs('2026-04-20'), cs('2026-06-10')],
    },
    expected: clk(
      'on-track',
      '2026-09-10',
      ['care-leaver-21-plus'],
      event('2026-06-10'),
      '2026-06-10',
    ),
  },
  {
    name: '21st birthday with no supervision: still due 10 Mar from the 18-20 rule, overdue',
    asOf: '2026-04-01',
    child: { dateOfBirth: '2005-03-15', involvements: [inv('care-leaver', '2026-01-10')] },
    expected: clk('overdue', '2026-03-10', ['care-leaver-18-20'], start('2026-01-10')),
  },
  {
    name: 'born 29 Feb 2004: still 20 on 28 Feb 2025, supervision that day → 28 Apr (18-20)',
    asOf: '2025-03-05',
    child: {
      dateOfBirth: '2004-02-29',
      involvements: [inv('care-leaver', '2025-01-10')],
      events: [cs('2025-02-28')],
    },
    expected: clk(
      'on-track',
      '2025-04-28',
      ['care-leaver-18-20'],
      event('2025-02-28'),
      '2025-02-28',
    ),
  },
  {
    name: 'born 29 Feb 2004: 21 on 1 Mar 2025, supervision that day → 1 Jun (21+)',
    asOf: '2025-03-05',
    child: {
      dateOfBirth: '2004-02-29',
      involvements: [inv('care-leaver', '2025-01-10')],
      events: [cs('2025-03-01')],
    },
    expected: clk(
      'on-track',
      '2025-06-01',
      ['care-leaver-21-plus'],
      event('2025-03-01'),
      '2025-03-01',
    ),
  },
];

describe('bimonthly: child case-supervision', () => {
  it.each([...ruleRows, ...changes, ...careLeaverAges])('$name', (c) => {
    checkClock(POLICY, c);
  });

  it('cwd-review has no rule: no result and the exact §7 warning', () => {
    const rep = report('2026-03-01', { involvements: [inv('cwd-review', '2026-01-05')] });
    checkOnlyWarning(rep, 'cwd-review is open but policy bimonthly has no rule for it');
  });

  it.each(['early-help', 'assessment', 'cin', 'cp', 'cla', 'care-leaver'])(
    'no warning when a rule covers %s',
    (type) => {
      checkCovered(POLICY, type);
    },
  );

  it('has no ten-day-review milestone or transfer gate: an ended assessment gives no result', () => {
    const rep = report('2026-03-01', {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [{ date: '2026-01-14', kind: 'management-oversight' }],
    });
    expect(rep.results).toEqual([]);
  });
});
