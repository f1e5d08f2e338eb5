// Child case-supervision rules, the ten-day-review milestone and the supervised-before-transfer
// gate of the `four-weekly` preset (spec/scheduling.md §8). Every expected date below is derived by
// hand from the spec text (§2 arithmetic, §3 clock, §5 milestones and gates), never from the
// engine's output. Bank holidays used (GOV.UK, England and Wales): 2026-05-04, 2026-12-25,
// 2026-12-28 (Boxing Day substitute), 2027-01-01, 2027-03-26 (Good Friday), 2027-03-29 (Easter
// Monday).
import { describe, expect, it } from 'vitest';
import { resultFor } from '../support/due.js';
import {
  checkClock,
  checkCovered,
  checkOnlyWarning,
  checkOnce,
  cs,
  event,
  group,
  inv,
  oversight,
  reportFor,
  start,
  type Clock,
  type ClockCase,
  type ClockStatus,
  type Once,
  type OnceCase,
} from './builders.js';

const POLICY = 'four-weekly';
const report = reportFor(POLICY);

const ruleRows: ClockCase[] = [
  {
    name: 'early-help first: start 5 Jan 2026 + 28 d = 2 Feb, latest + 42 d = 16 Feb',
    asOf: '2026-01-20',
    child: { involvements: [inv('early-help', '2026-01-05')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-16',
      lastEvent: null,
      rules: ['early-help'],
      setBy: start('2026-01-05'),
    },
  },
  {
    name: 'early-help every: supervision 20 Jan + 28 d = 17 Feb, latest + 42 d = 3 Mar',
    asOf: '2026-02-01',
    child: { involvements: [inv('early-help', '2026-01-05')], events: [cs('2026-01-20')] },
    expected: {
      status: 'on-track',
      due: '2026-02-17',
      latest: '2026-03-03',
      lastEvent: '2026-01-20',
      rules: ['early-help'],
      setBy: event('2026-01-20'),
    },
  },
  {
    name: 'assessment first: start 5 Jan 2026 + 28 d = 2 Feb',
    asOf: '2026-01-20',
    child: { involvements: [inv('assessment', '2026-01-05')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['assessment'],
      setBy: start('2026-01-05'),
    },
  },
  {
    name: 'assessment every: 31 Jan 2026 ⊕ 1 month = 28 Feb 2026',
    asOf: '2026-02-10',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [cs('2026-01-31')] },
    expected: {
      status: 'on-track',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: '2026-01-31',
      rules: ['assessment'],
      setBy: event('2026-01-31'),
    },
  },
  {
    name: 'assessment every: 31 Jan 2028 ⊕ 1 month = 29 Feb 2028 (leap year)',
    asOf: '2028-02-10',
    child: { involvements: [inv('assessment', '2028-01-05')], events: [cs('2028-01-31')] },
    expected: {
      status: 'on-track',
      due: '2028-02-29',
      latest: '2028-02-29',
      lastEvent: '2028-01-31',
      rules: ['assessment'],
      setBy: event('2028-01-31'),
    },
  },
  {
    name: 'assessment every: 31 Mar 2026 ⊕ 1 month = 30 Apr 2026',
    asOf: '2026-04-10',
    child: { involvements: [inv('assessment', '2026-03-02')], events: [cs('2026-03-31')] },
    expected: {
      status: 'on-track',
      due: '2026-04-30',
      latest: '2026-04-30',
      lastEvent: '2026-03-31',
      rules: ['assessment'],
      setBy: event('2026-03-31'),
    },
  },
  {
    name: 'cin first: start 2 Mar 2026 + 28 d = 30 Mar',
    asOf: '2026-03-10',
    child: { involvements: [inv('cin', '2026-03-02')] },
    expected: {
      status: 'on-track',
      due: '2026-03-30',
      latest: '2026-03-30',
      lastEvent: null,
      rules: ['cin'],
      setBy: start('2026-03-02'),
    },
  },
  {
    name: 'cin every: supervision 10 Mar + 28 d = 7 Apr',
    asOf: '2026-03-20',
    child: { involvements: [inv('cin', '2026-03-02')], events: [cs('2026-03-10')] },
    expected: {
      status: 'on-track',
      due: '2026-04-07',
      latest: '2026-04-07',
      lastEvent: '2026-03-10',
      rules: ['cin'],
      setBy: event('2026-03-10'),
    },
  },
  {
    name: 'cp first: start 1 Feb 2026 + 28 d = 1 Mar',
    asOf: '2026-02-10',
    child: { involvements: [inv('cp', '2026-02-01')] },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: null,
      rules: ['cp'],
      setBy: start('2026-02-01'),
    },
  },
  {
    name: 'cp every: supervision 20 Feb + 28 d = 20 Mar',
    asOf: '2026-03-01',
    child: { involvements: [inv('cp', '2026-02-01')], events: [cs('2026-02-20')] },
    expected: {
      status: 'on-track',
      due: '2026-03-20',
      latest: '2026-03-20',
      lastEvent: '2026-02-20',
      rules: ['cp'],
      setBy: event('2026-02-20'),
    },
  },
  {
    name: 'cla first: start 20 Dec 2026 + 28 d = 17 Jan 2027',
    asOf: '2027-01-17',
    child: { involvements: [inv('cla', '2026-12-20')] },
    expected: {
      status: 'due',
      due: '2027-01-17',
      latest: '2027-01-17',
      lastEvent: null,
      rules: ['cla'],
      setBy: start('2026-12-20'),
    },
  },
  {
    name: 'cla every: supervision 10 Jan 2027 + 28 d = 7 Feb 2027',
    asOf: '2027-02-08',
    child: { involvements: [inv('cla', '2026-12-20')], events: [cs('2027-01-10')] },
    expected: {
      status: 'overdue',
      due: '2027-02-07',
      latest: '2027-02-07',
      lastEvent: '2027-01-10',
      rules: ['cla'],
      setBy: event('2027-01-10'),
    },
  },
  {
    name: 'cwd-review first: 31 Jan 2026 ⊕ 3 months = 30 Apr 2026',
    asOf: '2026-02-01',
    child: { involvements: [inv('cwd-review', '2026-01-31')] },
    expected: {
      status: 'on-track',
      due: '2026-04-30',
      latest: '2026-04-30',
      lastEvent: null,
      rules: ['cwd-review'],
      setBy: start('2026-01-31'),
    },
  },
  {
    name: 'cwd-review every: 29 Nov 2027 ⊕ 3 months = 29 Feb 2028, status due on that day',
    asOf: '2028-02-29',
    child: { involvements: [inv('cwd-review', '2027-11-01')], events: [cs('2027-11-29')] },
    expected: {
      status: 'due',
      due: '2028-02-29',
      latest: '2028-02-29',
      lastEvent: '2027-11-29',
      rules: ['cwd-review'],
      setBy: event('2027-11-29'),
    },
  },
  {
    name: 'cwd-review every: 29 Feb 2028 ⊕ 3 months = 29 May 2028',
    asOf: '2028-03-01',
    child: {
      involvements: [inv('cwd-review', '2027-11-01')],
      events: [cs('2027-11-29'), cs('2028-02-29')],
    },
    expected: {
      status: 'on-track',
      due: '2028-05-29',
      latest: '2028-05-29',
      lastEvent: '2028-02-29',
      rules: ['cwd-review'],
      setBy: event('2028-02-29'),
    },
  },
  {
    name: 'care-leaver first (age 20): start 10 Jan 2026 + 56 d = 7 Mar',
    asOf: '2026-01-20',
    child: { dateOfBirth: '2005-06-15', involvements: [inv('care-leaver', '2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-03-07',
      latest: '2026-03-07',
      lastEvent: null,
      rules: ['care-leaver'],
      setBy: start('2026-01-10'),
    },
  },
  {
    name: 'care-leaver every: supervision 1 Feb 2026 + 56 d = 29 Mar',
    asOf: '2026-02-10',
    child: {
      dateOfBirth: '2005-06-15',
      involvements: [inv('care-leaver', '2026-01-10')],
      events: [cs('2026-02-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-29',
      latest: '2026-03-29',
      lastEvent: '2026-02-01',
      rules: ['care-leaver'],
      setBy: event('2026-02-01'),
    },
  },
];

const ehRange = { involvements: [inv('early-help', '2026-01-05')] };
const ehRangeExpected = (status: ClockStatus): Clock => ({
  status,
  due: '2026-02-02',
  latest: '2026-02-16',
  lastEvent: null,
  rules: ['early-help'],
  setBy: start('2026-01-05'),
});
const ehEvery = { involvements: [inv('early-help', '2026-01-05')], events: [cs('2026-01-20')] };
const ehEveryExpected = (status: ClockStatus): Clock => ({
  status,
  due: '2026-02-17',
  latest: '2026-03-03',
  lastEvent: '2026-01-20',
  rules: ['early-help'],
  setBy: event('2026-01-20'),
});

const ranges: ClockCase[] = [
  {
    name: 'early-help range: the day before due (1 Feb) is on-track',
    asOf: '2026-02-01',
    child: ehRange,
    expected: ehRangeExpected('on-track'),
  },
  {
    name: 'early-help range: on the due date (2 Feb) is due',
    asOf: '2026-02-02',
    child: ehRange,
    expected: ehRangeExpected('due'),
  },
  {
    name: 'early-help range: between due and latest (10 Feb) is due',
    asOf: '2026-02-10',
    child: ehRange,
    expected: ehRangeExpected('due'),
  },
  {
    name: 'early-help range: on the latest date (16 Feb) is still due',
    asOf: '2026-02-16',
    child: ehRange,
    expected: ehRangeExpected('due'),
  },
  {
    name: 'early-help range: the day after latest (17 Feb) is overdue',
    asOf: '2026-02-17',
    child: ehRange,
    expected: ehRangeExpected('overdue'),
  },
  {
    name: 'early-help range after a supervision: on latest (3 Mar) still due',
    asOf: '2026-03-03',
    child: ehEvery,
    expected: ehEveryExpected('due'),
  },
  {
    name: 'early-help range after a supervision: 4 Mar is overdue',
    asOf: '2026-03-04',
    child: ehEvery,
    expected: ehEveryExpected('overdue'),
  },
  {
    name: 'early-help then cin 10 Jan: due stays 2 Feb, latest = min(16 Feb, 10 Jan + 28 d = 7 Feb)',
    asOf: '2026-02-03',
    child: { involvements: [inv('early-help', '2026-01-05'), inv('cin', '2026-01-10')] },
    expected: {
      status: 'due',
      due: '2026-02-02',
      latest: '2026-02-07',
      lastEvent: null,
      rules: ['early-help'],
      setBy: start('2026-01-05'),
    },
  },
  {
    name: 'early-help and cin: overdue the day after the cin-set latest (8 Feb)',
    asOf: '2026-02-08',
    child: { involvements: [inv('early-help', '2026-01-05'), inv('cin', '2026-01-10')] },
    expected: {
      status: 'overdue',
      due: '2026-02-02',
      latest: '2026-02-07',
      lastEvent: null,
      rules: ['early-help'],
      setBy: start('2026-01-05'),
    },
  },
  {
    name: 'early-help and cin, supervision 1 Feb: both give 1 Mar; latest = min(15 Mar, 1 Mar)',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('early-help', '2026-01-05'), inv('cin', '2026-01-10')],
      events: [cs('2026-02-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['cin', 'early-help'],
      setBy: event('2026-02-01'),
    },
  },
  {
    name: 'early-help and cwd-review, supervision 1 Feb: early-help wins, 1 Mar / 15 Mar',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('early-help', '2026-01-05'), inv('cwd-review', '2026-01-05')],
      events: [cs('2026-02-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-15',
      lastEvent: '2026-02-01',
      rules: ['early-help'],
      setBy: event('2026-02-01'),
    },
  },
];

const changes: ClockCase[] = [
  {
    name: 'cp then cin: cin (20 Jan + 28 d = 17 Feb) does not push 2 Feb back',
    asOf: '2026-01-25',
    child: { involvements: [inv('cp', '2026-01-05'), inv('cin', '2026-01-20')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['cp'],
      setBy: start('2026-01-05'),
    },
  },
  {
    name: 'cin and cp start together: both 28 d, both named',
    asOf: '2026-01-25',
    child: { involvements: [inv('cp', '2026-01-05'), inv('cin', '2026-01-05')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['cin', 'cp'],
      setBy: start('2026-01-05'),
    },
  },
  {
    name: 'cwd-review (due 5 Apr) then cin on 10 Feb brings it forward to 10 Mar',
    asOf: '2026-02-20',
    child: { involvements: [inv('cwd-review', '2026-01-05'), inv('cin', '2026-02-10')] },
    expected: {
      status: 'on-track',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: null,
      rules: ['cin'],
      setBy: start('2026-02-10'),
    },
  },
  {
    name: 'the cin that brought it forward closes: due and rules stay (cin) while cwd-review runs',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('cwd-review', '2026-01-05'), inv('cin', '2026-02-10', '2026-02-20')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: null,
      rules: ['cin'],
      setBy: start('2026-02-10'),
    },
  },
  {
    name: 'after the cin closed, a supervision 5 Mar is judged by cwd-review only: 5 Jun',
    asOf: '2026-03-10',
    child: {
      involvements: [inv('cwd-review', '2026-01-05'), inv('cin', '2026-02-10', '2026-02-20')],
      events: [cs('2026-03-05')],
    },
    expected: {
      status: 'on-track',
      due: '2026-06-05',
      latest: '2026-06-05',
      lastEvent: '2026-03-05',
      rules: ['cwd-review'],
      setBy: event('2026-03-05'),
    },
  },
  {
    name: 'assessment and cin, supervision 31 Jan 2026: 28 Feb by both (dates compared, not lengths)',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('assessment', '2026-01-05'), inv('cin', '2026-01-05')],
      events: [cs('2026-01-31')],
    },
    expected: {
      status: 'on-track',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: '2026-01-31',
      rules: ['assessment', 'cin'],
      setBy: event('2026-01-31'),
    },
  },
  {
    name: 'assessment and cin, supervision 1 Feb 2026: 1 Mar by both',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('assessment', '2026-01-05'), inv('cin', '2026-01-05')],
      events: [cs('2026-02-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['assessment', 'cin'],
      setBy: event('2026-02-01'),
    },
  },
  {
    name: 'assessment and cin, supervision 1 Feb 2028: cin 29 Feb beats assessment 1 Mar',
    asOf: '2028-02-10',
    child: {
      involvements: [inv('assessment', '2028-01-10'), inv('cin', '2028-01-10')],
      events: [cs('2028-02-01')],
    },
    expected: {
      status: 'on-track',
      due: '2028-02-29',
      latest: '2028-02-29',
      lastEvent: '2028-02-01',
      rules: ['cin'],
      setBy: event('2028-02-01'),
    },
  },
  {
    name: 'second assessment opens while one is open: 12 Jan + 28 d = 9 Feb beats 10 Jan ⊕ 1 month',
    asOf: '2026-01-20',
    child: {
      involvements: [inv('assessment', '2026-01-05'), inv('assessment', '2026-01-12')],
      events: [cs('2026-01-10')],
    },
    expected: {
      status: 'on-track',
      due: '2026-02-09',
      latest: '2026-02-09',
      lastEvent: '2026-01-10',
      rules: ['assessment'],
      setBy: start('2026-01-12'),
    },
  },
  {
    name: 'adjacent assessments (ends 11 Jan, next starts 12 Jan): rule starts again, clock kept',
    asOf: '2026-01-20',
    child: {
      involvements: [
        inv('assessment', '2026-01-05', '2026-01-11'),
        inv('assessment', '2026-01-12'),
      ],
      events: [cs('2026-01-10')],
    },
    expected: {
      status: 'on-track',
      due: '2026-02-09',
      latest: '2026-02-09',
      lastEvent: '2026-01-10',
      rules: ['assessment'],
      setBy: start('2026-01-12'),
    },
  },
];

const careLeavers: ClockCase[] = [
  {
    name: 'care leaver aged 17: no result before the 18th birthday',
    asOf: '2026-05-01',
    child: { dateOfBirth: '2008-09-10', involvements: [inv('care-leaver', '2026-03-01')] },
    expected: null,
  },
  {
    name: 'care leaver: rule starts on the 18th birthday (10 Sep 2026) + 56 d = 5 Nov; earlier event ignored',
    asOf: '2026-10-01',
    child: {
      dateOfBirth: '2008-09-10',
      involvements: [inv('care-leaver', '2026-03-01')],
      events: [cs('2026-06-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-11-05',
      latest: '2026-11-05',
      lastEvent: null,
      rules: ['care-leaver'],
      setBy: start('2026-09-10'),
    },
  },
  {
    name: 'care leaver turning 18 on the start date: applies from the start',
    asOf: '2026-01-20',
    child: { dateOfBirth: '2008-01-10', involvements: [inv('care-leaver', '2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-03-07',
      latest: '2026-03-07',
      lastEvent: null,
      rules: ['care-leaver'],
      setBy: start('2026-01-10'),
    },
  },
  {
    name: 'care leaver: the day before the 25th birthday still applies',
    asOf: '2026-04-19',
    child: {
      dateOfBirth: '2001-04-20',
      involvements: [inv('care-leaver', '2025-01-01')],
      events: [cs('2026-03-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-04-26',
      latest: '2026-04-26',
      lastEvent: '2026-03-01',
      rules: ['care-leaver'],
      setBy: event('2026-03-01'),
    },
  },
  {
    name: 'care leaver: on the 25th birthday no rule holds, no result',
    asOf: '2026-04-20',
    child: {
      dateOfBirth: '2001-04-20',
      involvements: [inv('care-leaver', '2025-01-01')],
      events: [cs('2026-03-01')],
    },
    expected: null,
  },
  {
    name: 'care leaver born 29 Feb 2008: not 18 on 28 Feb 2026',
    asOf: '2026-02-28',
    child: { dateOfBirth: '2008-02-29', involvements: [inv('care-leaver', '2026-01-01')] },
    expected: null,
  },
  {
    name: 'care leaver born 29 Feb 2008: 18 on 1 Mar 2026, + 56 d = 26 Apr',
    asOf: '2026-03-01',
    child: { dateOfBirth: '2008-02-29', involvements: [inv('care-leaver', '2026-01-01')] },
    expected: {
      status: 'on-track',
      due: '2026-04-26',
      latest: '2026-04-26',
      lastEvent: null,
      rules: ['care-leaver'],
      setBy: start('2026-03-01'),
    },
  },
  {
    name: 'care leaver with no date of birth: applies',
    asOf: '2026-01-20',
    child: { involvements: [inv('care-leaver', '2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-03-07',
      latest: '2026-03-07',
      lastEvent: null,
      rules: ['care-leaver'],
      setBy: start('2026-01-10'),
    },
  },
];

describe('four-weekly: child case-supervision', () => {
  it.each([...ruleRows, ...ranges, ...changes, ...careLeavers])('$name', (c) => {
    checkClock(POLICY, c);
  });

  it('a care leaver under 18 gets the §7 warning', () => {
    const rep = report('2026-05-01', {
      dateOfBirth: '2008-09-10',
      involvements: [inv('care-leaver', '2026-03-01')],
    });
    checkOnlyWarning(rep, 'care-leaver is open but policy four-weekly has no rule for it');
  });

  it.each(['early-help', 'assessment', 'cin', 'cp', 'cla', 'cwd-review'])(
    'no warning when a rule covers %s',
    (type) => {
      checkCovered(POLICY, type);
    },
  );
});

const tenDay = (
  periodStart: string,
  dueDate: string,
  status: string,
  met: string | null = null,
  onTime: boolean | null = null,
): Once => ({
  status,
  due: dueDate,
  latest: dueDate,
  lastEvent: met,
  periodStart,
  met,
  onTime,
});

const milestoneCases: OnceCase[] = [
  {
    name: 'Monday 5 Jan 2026 + 10 working days = 19 Jan; oversight 14 Jan: met on time',
    asOf: '2026-02-01',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [oversight('2026-01-14')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'met', '2026-01-14', true),
  },
  {
    name: 'oversight on the due date 19 Jan: met on time',
    asOf: '2026-02-01',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [oversight('2026-01-19')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'met', '2026-01-19', true),
  },
  {
    name: 'oversight on the start date counts',
    asOf: '2026-02-01',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [oversight('2026-01-05')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'met', '2026-01-05', true),
  },
  {
    name: 'oversight 21 Jan: met late; the first oversight is the one that meets it',
    asOf: '2026-02-01',
    child: {
      involvements: [inv('assessment', '2026-01-05')],
      events: [oversight('2026-01-28'), oversight('2026-01-21')],
    },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'met', '2026-01-21', false),
  },
  {
    name: 'open, unmet, the day before due: on-track',
    asOf: '2026-01-18',
    child: { involvements: [inv('assessment', '2026-01-05')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'on-track'),
  },
  {
    name: 'open, unmet, on the due date: due',
    asOf: '2026-01-19',
    child: { involvements: [inv('assessment', '2026-01-05')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'due'),
  },
  {
    name: 'open, unmet, the day after due: overdue (a case supervision does not meet it)',
    asOf: '2026-01-20',
    child: {
      involvements: [inv('assessment', '2026-01-05')],
      events: [cs('2026-01-08'), group('2026-01-09')],
    },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'overdue'),
  },
  {
    name: 'an oversight after asOf does not count yet',
    asOf: '2026-01-12',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [oversight('2026-01-14')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'on-track'),
  },
  {
    name: 'an oversight before the period does not count',
    asOf: '2026-01-20',
    child: {
      involvements: [inv('cin', '2026-01-01'), inv('assessment', '2026-01-05')],
      events: [oversight('2026-01-02')],
    },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'overdue'),
  },
  {
    name: 'ended unmet after its due date: missed',
    asOf: '2026-02-10',
    child: { involvements: [inv('assessment', '2026-01-05', '2026-01-30')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'missed'),
  },
  {
    name: 'ended unmet on its due date: missed',
    asOf: '2026-02-10',
    child: { involvements: [inv('assessment', '2026-01-05', '2026-01-19')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'missed'),
  },
  {
    name: 'ended exactly on asOf, unmet, past due: has ended, so missed (not overdue)',
    asOf: '2026-01-25',
    child: { involvements: [inv('assessment', '2026-01-05', '2026-01-25')] },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'missed'),
  },
  {
    name: 'an oversight after the period ended does not meet it: missed',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-01-20')],
      events: [oversight('2026-01-22')],
    },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'missed'),
  },
  {
    name: 'ended unmet before its due date: lapsed, no result',
    asOf: '2026-01-25',
    child: { involvements: [inv('assessment', '2026-01-05', '2026-01-16')] },
    periodStart: '2026-01-05',
    expected: null,
  },
  {
    name: 'ended before its due date but met: met',
    asOf: '2026-01-25',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-01-16')],
      events: [oversight('2026-01-12')],
    },
    periodStart: '2026-01-05',
    expected: tenDay('2026-01-05', '2026-01-19', 'met', '2026-01-12', true),
  },
  {
    name: 'start on a Friday (9 Jan 2026): + 10 working days = Fri 23 Jan',
    asOf: '2026-01-23',
    child: { involvements: [inv('assessment', '2026-01-09')] },
    periodStart: '2026-01-09',
    expected: tenDay('2026-01-09', '2026-01-23', 'due'),
  },
  {
    name: 'across Christmas 2026: Mon 21 Dec + 10 working days = 7 Jan 2027',
    asOf: '2027-01-06',
    child: { involvements: [inv('assessment', '2026-12-21')] },
    periodStart: '2026-12-21',
    expected: tenDay('2026-12-21', '2027-01-07', 'on-track'),
  },
  {
    name: 'start on a bank holiday (Christmas Day 2026): + 10 working days = 12 Jan 2027',
    asOf: '2027-01-12',
    child: { involvements: [inv('assessment', '2026-12-25')] },
    periodStart: '2026-12-25',
    expected: tenDay('2026-12-25', '2027-01-12', 'due'),
  },
  {
    name: 'across Easter 2027: Mon 22 Mar + 10 working days = 7 Apr',
    asOf: '2027-04-08',
    child: { involvements: [inv('assessment', '2027-03-22')] },
    periodStart: '2027-03-22',
    expected: tenDay('2027-03-22', '2027-04-07', 'overdue'),
  },
  {
    name: 'start on the early May bank holiday (Mon 4 May 2026): + 10 working days = 18 May',
    asOf: '2026-05-18',
    child: { involvements: [inv('assessment', '2026-05-04')] },
    periodStart: '2026-05-04',
    expected: tenDay('2026-05-04', '2026-05-18', 'due'),
  },
  {
    name: 'assessment starting after asOf: no milestone',
    asOf: '2026-01-04',
    child: { involvements: [inv('cin', '2026-01-01'), inv('assessment', '2026-01-05')] },
    periodStart: '2026-01-05',
    expected: null,
  },
  {
    name: 'second of two assessment periods gets its own milestone',
    asOf: '2026-03-10',
    child: {
      involvements: [
        inv('assessment', '2026-01-05', '2026-01-30'),
        inv('assessment', '2026-03-02'),
      ],
      events: [oversight('2026-01-14'), oversight('2026-03-04')],
    },
    periodStart: '2026-03-02',
    expected: tenDay('2026-03-02', '2026-03-16', 'met', '2026-03-04', true),
  },
];

const gate = (
  periodStart: string,
  end: string,
  status: string,
  met: string | null = null,
): Once => ({
  status,
  due: end,
  latest: end,
  lastEvent: met,
  periodStart,
  met,
  onTime: met === null ? null : true,
});

const gateCases: OnceCase[] = [
  {
    name: 'ended assessment with a case supervision inside: met',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [oversight('2026-01-10'), cs('2026-01-30'), cs('2026-02-10')],
    },
    periodStart: '2026-01-05',
    expected: gate('2026-01-05', '2026-02-20', 'met', '2026-01-30'),
  },
  {
    name: 'a group supervision satisfies the gate',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [group('2026-02-03')],
    },
    periodStart: '2026-01-05',
    expected: gate('2026-01-05', '2026-02-20', 'met', '2026-02-03'),
  },
  {
    name: 'a case supervision on the last day of the period counts',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [cs('2026-02-20')],
    },
    periodStart: '2026-01-05',
    expected: gate('2026-01-05', '2026-02-20', 'met', '2026-02-20'),
  },
  {
    name: 'only a management-oversight note: breached',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [oversight('2026-01-10')],
    },
    periodStart: '2026-01-05',
    expected: gate('2026-01-05', '2026-02-20', 'breached'),
  },
  {
    name: 'supervisions only before and after the period: breached',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('cin', '2026-01-01'), inv('assessment', '2026-01-05', '2026-02-20')],
      events: [cs('2026-01-04'), cs('2026-02-21')],
    },
    periodStart: '2026-01-05',
    expected: gate('2026-01-05', '2026-02-20', 'breached'),
  },
  {
    name: 'a period ending exactly on asOf has ended',
    asOf: '2026-02-20',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [cs('2026-01-30')],
    },
    periodStart: '2026-01-05',
    expected: gate('2026-01-05', '2026-02-20', 'met', '2026-01-30'),
  },
  {
    name: 'an open period gives no gate result',
    asOf: '2026-03-01',
    child: { involvements: [inv('assessment', '2026-01-05')], events: [cs('2026-01-30')] },
    periodStart: '2026-01-05',
    expected: null,
  },
  {
    name: 'a period ending after asOf is still open: no gate result',
    asOf: '2026-02-19',
    child: {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [cs('2026-01-30')],
    },
    periodStart: '2026-01-05',
    expected: null,
  },
];

describe('four-weekly: ten-day-review milestone', () => {
  it.each(milestoneCases)('$name', (c) => {
    checkOnce(POLICY, 'ten-day-review', c);
  });
});

describe('four-weekly: supervised-before-transfer gate', () => {
  it.each(gateCases)('$name', (c) => {
    checkOnce(POLICY, 'supervised-before-transfer', c);
  });

  it('after the assessment closes there is no case-supervision result, only gate and milestone', () => {
    const rep = report('2026-03-01', {
      involvements: [inv('assessment', '2026-01-05', '2026-02-20')],
      events: [oversight('2026-01-14'), cs('2026-01-30')],
    });
    expect(resultFor(rep, 'child', 'C1', 'case-supervision')).toBeUndefined();
    expect(rep.results.map((r) => [r.requirement, r.periodStart, r.status])).toEqual([
      ['supervised-before-transfer', '2026-01-05', 'met'],
      ['ten-day-review', '2026-01-05', 'met'],
    ]);
  });
});
