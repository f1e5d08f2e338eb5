// Child case-supervision rules of the `camden` preset (spec/scheduling.md §8): cp 1 month, cin 2
// months, cla 2 months, care-leaver (18 and over, or no date of birth) 3 months. Every expected
// date is derived by hand from the spec text, never from the engine's output.
import { describe, expect, it } from 'vitest';
import { resultFor } from '../support/due.js';
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
  type ChildIn,
  type ClockCase,
} from './builders.js';

const POLICY = 'camden';
const report = reportFor(POLICY);
// No ranges in this preset: every expected result is a `clk` (latest = due).

const ruleRows: ClockCase[] = [
  {
    name: 'cp first: 31 Jan 2026 ⊕ 1 month = 28 Feb',
    asOf: '2026-02-28',
    child: { involvements: [inv('cp', '2026-01-31')] },
    expected: clk('due', '2026-02-28', ['cp'], start('2026-01-31')),
  },
  {
    name: 'cp first: 31 Jan 2028 ⊕ 1 month = 29 Feb 2028',
    asOf: '2028-03-01',
    child: { involvements: [inv('cp', '2028-01-31')] },
    expected: clk('overdue', '2028-02-29', ['cp'], start('2028-01-31')),
  },
  {
    name: 'cp every: 31 Mar ⊕ 1 month = 30 Apr',
    asOf: '2026-04-29',
    child: { involvements: [inv('cp', '2026-01-31')], events: [cs('2026-03-31')] },
    expected: clk('on-track', '2026-04-30', ['cp'], event('2026-03-31'), '2026-03-31'),
  },
  {
    name: 'cin first: 5 Jan ⊕ 2 months = 5 Mar',
    asOf: '2026-01-10',
    child: { involvements: [inv('cin', '2026-01-05')] },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
  {
    name: 'cin every (the §7 example): 20 Jan ⊕ 2 months = 20 Mar, overdue on 24 Nov',
    asOf: '2026-11-24',
    child: { involvements: [inv('cin', '2026-01-05')], events: [cs('2026-01-20')] },
    expected: clk('overdue', '2026-03-20', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'cla first: 31 Dec 2026 ⊕ 2 months = 28 Feb 2027',
    asOf: '2027-01-01',
    child: { involvements: [inv('cla', '2026-12-31')] },
    expected: clk('on-track', '2027-02-28', ['cla'], start('2026-12-31')),
  },
  {
    name: 'cla every: 31 Dec 2027 ⊕ 2 months = 29 Feb 2028',
    asOf: '2028-01-15',
    child: { involvements: [inv('cla', '2027-11-01')], events: [cs('2027-12-31')] },
    expected: clk('on-track', '2028-02-29', ['cla'], event('2027-12-31'), '2027-12-31'),
  },
  {
    name: 'care-leaver first (age 18): 31 Jan ⊕ 3 months = 30 Apr',
    asOf: '2026-02-01',
    child: { dateOfBirth: '2007-12-31', involvements: [inv('care-leaver', '2026-01-31')] },
    expected: clk('on-track', '2026-04-30', ['care-leaver'], start('2026-01-31')),
  },
  {
    name: 'care-leaver every: 31 May ⊕ 3 months = 31 Aug',
    asOf: '2026-06-01',
    child: {
      dateOfBirth: '2007-12-31',
      involvements: [inv('care-leaver', '2026-01-31')],
      events: [cs('2026-05-31')],
    },
    expected: clk('on-track', '2026-08-31', ['care-leaver'], event('2026-05-31'), '2026-05-31'),
  },
  {
    name: 'care-leaver every: 29 Feb 2028 ⊕ 3 months = 29 May 2028',
    asOf: '2028-03-01',
    child: {
      dateOfBirth: '2000-05-05',
      involvements: [inv('care-leaver', '2028-01-10')],
      events: [cs('2028-02-29')],
    },
    expected: clk('on-track', '2028-05-29', ['care-leaver'], event('2028-02-29'), '2028-02-29'),
  },
  {
    name: 'care-leaver with no date of birth: applies',
    asOf: '2026-02-01',
    child: { involvements: [inv('care-leaver', '2026-01-31')] },
    expected: clk('on-track', '2026-04-30', ['care-leaver'], start('2026-01-31')),
  },
  {
    name: 'care leaver under 18: no result',
    asOf: '2026-06-01',
    child: {
      dateOfBirth: '2009-03-14',
      involvements: [inv('care-leaver', '2026-01-05')],
      events: [cs('2026-02-01')],
    },
    expected: null,
  },
  {
    name: 'care leaver turns 18 on 14 Mar 2027: rule starts then (→ 14 Jun); earlier supervision ignored',
    asOf: '2027-03-14',
    child: {
      dateOfBirth: '2009-03-14',
      involvements: [inv('care-leaver', '2026-01-05')],
      events: [cs('2026-02-01')],
    },
    expected: clk('on-track', '2027-06-14', ['care-leaver'], start('2027-03-14')),
  },
  {
    name: 'care leaver born 29 Feb 2008: still 17 on 28 Feb 2026, no result',
    asOf: '2026-02-28',
    child: { dateOfBirth: '2008-02-29', involvements: [inv('care-leaver', '2025-06-01')] },
    expected: null,
  },
  {
    name: 'care leaver born 29 Feb 2008: 18 on 1 Mar 2026 → 1 Jun',
    asOf: '2026-03-01',
    child: { dateOfBirth: '2008-02-29', involvements: [inv('care-leaver', '2025-06-01')] },
    expected: clk('on-track', '2026-06-01', ['care-leaver'], start('2026-03-01')),
  },
];

const changes: ClockCase[] = [
  {
    name: 'cp then cin: cin (20 Jan ⊕ 2 months = 20 Mar) does not push cp 5 Feb back',
    asOf: '2026-01-25',
    child: { involvements: [inv('cp', '2026-01-05'), inv('cin', '2026-01-20')] },
    expected: clk('on-track', '2026-02-05', ['cp'], start('2026-01-05')),
  },
  {
    name: 'cin supervised 20 Jan (due 20 Mar), cp starts 10 Feb: brought forward to 10 Mar',
    asOf: '2026-02-15',
    child: {
      involvements: [inv('cin', '2026-01-05'), inv('cp', '2026-02-10')],
      events: [cs('2026-01-20')],
    },
    expected: clk('on-track', '2026-03-10', ['cp'], start('2026-02-10'), '2026-01-20'),
  },
  {
    name: 'cin and cla start together: both 2 months, both named',
    asOf: '2026-01-10',
    child: { involvements: [inv('cin', '2026-01-05'), inv('cla', '2026-01-05')] },
    expected: clk('on-track', '2026-03-05', ['cin', 'cla'], start('2026-01-05')),
  },
  {
    name: 'a second cin opening while one is open (10 Feb → 10 Apr) does not push 5 Mar back',
    asOf: '2026-02-15',
    child: { involvements: [inv('cin', '2026-01-05'), inv('cin', '2026-02-10')] },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
  {
    name: 'overlapping cins, the first closes: the clock runs on, supervision 20 Jan still counts',
    asOf: '2026-03-01',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-02-15'), inv('cin', '2026-02-10')],
      events: [cs('2026-01-20')],
    },
    expected: clk('on-track', '2026-03-20', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
];

describe('camden: child case-supervision', () => {
  it.each([...ruleRows, ...changes])('$name', (c) => {
    checkClock(POLICY, c);
  });

  it('the §7 example reason names the supervision it runs from', () => {
    const r = resultFor(
      report('2026-11-24', {
        involvements: [inv('cin', '2026-01-05')],
        events: [cs('2026-01-20')],
      }),
      'child',
      'C1',
      'case-supervision',
    );
    expect(r?.reason).toContain('from the supervision on 20 Jan 2026');
  });
});

describe('camden: warnings', () => {
  it.each([
    { type: 'cwd-review', dateOfBirth: undefined },
    { type: 'early-help', dateOfBirth: undefined },
    { type: 'assessment', dateOfBirth: undefined },
    { type: 'care-leaver', dateOfBirth: '2009-03-14' },
  ])(
    '$type open with no rule holding: no result and the exact warning',
    ({ type, dateOfBirth }) => {
      const child: ChildIn = { involvements: [inv(type, '2026-01-05')] };
      if (dateOfBirth !== undefined) child.dateOfBirth = dateOfBirth;
      const rep = report('2026-06-01', child);
      checkOnlyWarning(rep, `${type} is open but policy camden has no rule for it`);
    },
  );

  it('a cwd-review that has closed gives no warning', () => {
    const rep = report('2026-06-01', {
      involvements: [inv('cwd-review', '2026-01-05', '2026-03-31')],
    });
    expect(rep.results).toEqual([]);
    expect(rep.warnings).toEqual([]);
  });

  it.each(['cp', 'cin', 'cla'])('no warning when a rule covers %s', (type) => {
    checkCovered(POLICY, type);
  });

  it('no warning for an adult care leaver (rule holds)', () => {
    const rep = report('2026-02-01', {
      dateOfBirth: '2000-01-01',
      involvements: [inv('care-leaver', '2026-01-05')],
    });
    expect(rep.warnings).toEqual([]);
  });
});
