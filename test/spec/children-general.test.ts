// The general mechanics of spec/scheduling.md §2-§5 and §7 as they apply to children: events,
// the one clock per family (start, change, clear), explanations, status boundaries, warnings and
// the order of results. Every expected date is derived by hand from the spec text, never from the
// engine's output. four-weekly: cin/cp/cla 28 d, assessment 28 d then 1 month, early-help 28 d
// (latest 42 d), cwd-review 3 months. camden: cp 1 month, cin/cla 2 months.
import { describe, expect, it } from 'vitest';
import { due, resultFor } from '../support/due.js';
import {
  checkClock,
  clk,
  clock,
  cs,
  event,
  group,
  inv,
  oversight,
  start,
  type ClockCase,
} from './builders.js';

/** The cases here name their policy. */
interface PolicyCase extends ClockCase {
  policy: 'four-weekly' | 'camden';
}

const cin5Jan = [inv('cin', '2026-01-05')];

const events: PolicyCase[] = [
  {
    name: 'several events on one date count once',
    policy: 'four-weekly',
    asOf: '2026-01-25',
    child: {
      involvements: cin5Jan,
      events: [cs('2026-01-20'), cs('2026-01-20'), group('2026-01-20')],
    },
    expected: clk('on-track', '2026-02-17', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'the latest event counts, whatever the input order',
    policy: 'four-weekly',
    asOf: '2026-02-15',
    child: { involvements: cin5Jan, events: [cs('2026-02-10'), cs('2026-01-20')] },
    expected: clk('on-track', '2026-03-10', ['cin'], event('2026-02-10'), '2026-02-10'),
  },
  {
    name: 'an event after asOf is ignored',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    child: { involvements: cin5Jan, events: [cs('2026-01-25')] },
    expected: clk('on-track', '2026-02-02', ['cin'], start('2026-01-05')),
  },
  {
    name: 'an event on asOf counts',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    child: { involvements: cin5Jan, events: [cs('2026-01-20')] },
    expected: clk('on-track', '2026-02-17', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'an event before the first record is ignored',
    policy: 'four-weekly',
    asOf: '2026-01-10',
    child: { involvements: cin5Jan, events: [cs('2025-12-20')] },
    expected: clk('on-track', '2026-02-02', ['cin'], start('2026-01-05')),
  },
  {
    name: 'an event on the start date: the start applies first, then the event sets due',
    policy: 'four-weekly',
    asOf: '2026-01-10',
    child: { involvements: cin5Jan, events: [cs('2026-01-05')] },
    expected: clk('on-track', '2026-02-02', ['cin'], event('2026-01-05'), '2026-01-05'),
  },
  {
    name: 'management-oversight never satisfies case-supervision',
    policy: 'four-weekly',
    asOf: '2026-02-03',
    child: { involvements: cin5Jan, events: [oversight('2026-01-20')] },
    expected: clk('overdue', '2026-02-02', ['cin'], start('2026-01-05')),
  },
  {
    name: 'group-supervision satisfies case-supervision',
    policy: 'four-weekly',
    asOf: '2026-02-03',
    child: { involvements: cin5Jan, events: [group('2026-01-20')] },
    expected: clk('on-track', '2026-02-17', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'an event on the last day of a record counts under that record’s rule (which then stops)',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-01-31'), inv('cwd-review', '2026-01-05')],
      events: [cs('2026-01-31')],
    },
    expected: clk('on-track', '2026-02-28', ['cin'], event('2026-01-31'), '2026-01-31'),
  },
  {
    name: 'an event the day after the record ended is judged by the remaining rule only',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-01-31'), inv('cwd-review', '2026-01-05')],
      events: [cs('2026-02-01')],
    },
    expected: clk('on-track', '2026-05-01', ['cwd-review'], event('2026-02-01'), '2026-02-01'),
  },
  {
    name: 'a rule starting on the day of an event: the event sets due with the new rule in force',
    policy: 'camden',
    asOf: '2026-02-15',
    child: {
      involvements: [inv('cin', '2026-01-05'), inv('cp', '2026-02-10')],
      events: [cs('2026-02-10')],
    },
    expected: clk('on-track', '2026-03-10', ['cp'], event('2026-02-10'), '2026-02-10'),
  },
  {
    name: 'event with a range and a plain rule: due and latest are componentwise minima',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    child: {
      involvements: [inv('early-help', '2026-01-05'), inv('assessment', '2026-01-05')],
      events: [cs('2026-01-31')],
    },
    expected: {
      status: 'on-track',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: '2026-01-31',
      rules: ['assessment', 'early-help'],
      setBy: event('2026-01-31'),
    },
  },
];

const clockLife: PolicyCase[] = [
  {
    name: 'start: several rules at once, the earliest wins (cin 28 d over cwd-review 3 months)',
    policy: 'four-weekly',
    asOf: '2026-01-05',
    child: { involvements: [inv('cwd-review', '2026-01-05'), inv('cin', '2026-01-05')] },
    expected: clk('on-track', '2026-02-02', ['cin'], start('2026-01-05')),
  },
  {
    name: 'an involvement with no end key is open',
    policy: 'four-weekly',
    asOf: '2026-03-01',
    child: { involvements: [{ type: 'cin', start: '2026-01-05' }] },
    expected: clk('overdue', '2026-02-02', ['cin'], start('2026-01-05')),
  },
  {
    name: 'a record ending on asOf still covers asOf',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    child: { involvements: [inv('cin', '2026-01-05', '2026-01-20')] },
    expected: clk('on-track', '2026-02-02', ['cin'], start('2026-01-05')),
  },
  {
    name: 'the day after the only record ended: no rule in force, no result',
    policy: 'four-weekly',
    asOf: '2026-01-21',
    child: { involvements: [inv('cin', '2026-01-05', '2026-01-20')], events: [cs('2026-01-10')] },
    expected: null,
  },
  {
    name: 'a record starting after asOf is ignored: no result',
    policy: 'four-weekly',
    asOf: '2026-01-31',
    child: { involvements: [inv('cin', '2026-02-01')] },
    expected: null,
  },
  {
    name: 'a record starting after asOf does not change the running clock',
    policy: 'camden',
    asOf: '2026-01-31',
    child: { involvements: [inv('cin', '2026-01-05'), inv('cp', '2026-02-01')] },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
  {
    name: 'closed and reopened: the clock starts afresh, lastEvent null, old and gap events ignored',
    policy: 'four-weekly',
    asOf: '2026-03-10',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-02-15'), inv('cin', '2026-03-02')],
      events: [cs('2026-01-20'), cs('2026-02-25')],
    },
    expected: clk('on-track', '2026-03-30', ['cin'], start('2026-03-02')),
  },
  {
    name: 'closed and reopened: a new event counts on the new clock',
    policy: 'four-weekly',
    asOf: '2026-03-20',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-02-15'), inv('cin', '2026-03-02')],
      events: [cs('2026-01-20'), cs('2026-02-25'), cs('2026-03-15')],
    },
    expected: clk('on-track', '2026-04-12', ['cin'], event('2026-03-15'), '2026-03-15'),
  },
  {
    name: 'closed and reopened as another type: the old event still does not count',
    policy: 'camden',
    asOf: '2026-04-10',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-02-15'), inv('cla', '2026-04-01')],
      events: [cs('2026-02-10')],
    },
    expected: clk('on-track', '2026-06-01', ['cla'], start('2026-04-01')),
  },
  {
    name: 'adjacent records (ends 15 Feb, next starts 16 Feb) are no gap: the clock and its event run on',
    policy: 'four-weekly',
    asOf: '2026-02-20',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-02-15'), inv('cin', '2026-02-16')],
      events: [cs('2026-01-20')],
    },
    expected: clk('overdue', '2026-02-17', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'adjacent records of different types are no gap either',
    policy: 'camden',
    asOf: '2026-02-20',
    child: {
      involvements: [inv('cin', '2026-01-05', '2026-02-15'), inv('cla', '2026-02-16')],
      events: [cs('2026-01-20')],
    },
    expected: clk('on-track', '2026-03-20', ['cin'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'null dateOfBirth means the same as absent (care leaver applies)',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    child: { dateOfBirth: null, involvements: [inv('care-leaver', '2026-01-10')] },
    expected: clk('on-track', '2026-03-07', ['care-leaver'], start('2026-01-10')),
  },
];

const cp31Jan = { involvements: [inv('cp', '2026-01-31')] };
const statuses: PolicyCase[] = [
  {
    name: 'status on the start date: on-track',
    policy: 'camden',
    asOf: '2026-01-31',
    child: cp31Jan,
    expected: clk('on-track', '2026-02-28', ['cp'], start('2026-01-31')),
  },
  {
    name: 'status the day before due: on-track',
    policy: 'camden',
    asOf: '2026-02-27',
    child: cp31Jan,
    expected: clk('on-track', '2026-02-28', ['cp'], start('2026-01-31')),
  },
  {
    name: 'status on due (= latest): due',
    policy: 'camden',
    asOf: '2026-02-28',
    child: cp31Jan,
    expected: clk('due', '2026-02-28', ['cp'], start('2026-01-31')),
  },
  {
    name: 'status the day after latest: overdue',
    policy: 'camden',
    asOf: '2026-03-01',
    child: cp31Jan,
    expected: clk('overdue', '2026-02-28', ['cp'], start('2026-01-31')),
  },
];

describe('§2-§4: the child case-supervision clock', () => {
  it.each([...events, ...clockLife, ...statuses])('$name', (c) => {
    checkClock(c.policy, c);
  });

  it('children are independent: one child’s supervision does not count for another', () => {
    const rep = due('four-weekly', '2026-01-25', {
      children: [
        { id: 'C1', involvements: cin5Jan, events: [cs('2026-01-20')] },
        { id: 'C2', involvements: cin5Jan },
      ],
    });
    expect(clock(resultFor(rep, 'child', 'C2', 'case-supervision'))).toEqual(
      clk('on-track', '2026-02-02', ['cin'], start('2026-01-05')),
    );
  });

  it('every result carries a non-empty reason', () => {
    const rep = due('four-weekly', '2026-01-25', {
      children: [{ id: 'C1', involvements: cin5Jan, events: [cs('2026-01-20')] }],
    });
    const r = resultFor(rep, 'child', 'C1', 'case-supervision');
    expect(typeof r?.reason).toBe('string');
    expect(r?.reason.length).toBeGreaterThan(0);
  });
});

describe('§7: warnings', () => {
  it('only the child with an uncovered open involvement is warned about', () => {
    const rep = due('camden', '2026-03-01', {
      children: [
        { id: 'C1', involvements: [inv('cin', '2026-01-05')] },
        { id: 'C2', involvements: [inv('cwd-review', '2026-01-05')] },
        { id: 'C3', involvements: [inv('early-help', '2025-01-05', '2025-06-30')] },
      ],
    });
    expect(rep.warnings).toEqual([
      {
        subject: 'child',
        id: 'C2',
        message: 'cwd-review is open but policy camden has no rule for it',
      },
    ]);
    expect(rep.results.map((r) => r.id)).toEqual(['C1']);
  });

  it('an uncovered involvement starting after asOf is not open: no warning', () => {
    const rep = due('camden', '2026-03-01', {
      children: [{ id: 'C1', involvements: [inv('early-help', '2026-03-02')] }],
    });
    expect(rep.warnings).toEqual([]);
    expect(rep.results).toEqual([]);
  });

  it('a child with no involvements at all gives neither result nor warning', () => {
    const rep = due('four-weekly', '2026-03-01', {
      children: [{ id: 'C1', events: [cs('2026-02-01')] }],
    });
    expect(rep.results).toEqual([]);
    expect(rep.warnings).toEqual([]);
  });
});

describe('§7: order of results', () => {
  it('sorts by id in code-unit order, then requirement id, then periodStart', () => {
    const rep = due('four-weekly', '2026-02-20', {
      children: [
        { id: 'a', involvements: [inv('early-help', '2026-02-01')] },
        { id: 'C2', involvements: [inv('cp', '2026-02-01')] },
        { id: 'Z', involvements: [inv('cla', '2026-02-01')] },
        { id: 'C10', involvements: [inv('cin', '2026-02-01')] },
        {
          id: 'C1',
          involvements: [
            inv('assessment', '2026-02-10'),
            inv('assessment', '2026-01-05', '2026-01-30'),
          ],
          events: [oversight('2026-01-12'), cs('2026-01-20')],
        },
      ],
    });
    expect(
      rep.results.map((r) => [
        r.subject,
        r.id,
        r.requirement,
        r.periodStart ?? null,
        r.status,
        r.due,
      ]),
    ).toEqual([
      // C1: A1 5-30 Jan (supervised 20 Jan), cleared on 31 Jan; A2 from 10 Feb + 28 d = 10 Mar.
      ['child', 'C1', 'case-supervision', null, 'on-track', '2026-03-10'],
      ['child', 'C1', 'supervised-before-transfer', '2026-01-05', 'met', '2026-01-30'],
      ['child', 'C1', 'ten-day-review', '2026-01-05', 'met', '2026-01-19'],
      // 10 Feb 2026 + 10 working days = 24 Feb.
      ['child', 'C1', 'ten-day-review', '2026-02-10', 'on-track', '2026-02-24'],
      ['child', 'C10', 'case-supervision', null, 'on-track', '2026-03-01'],
      ['child', 'C2', 'case-supervision', null, 'on-track', '2026-03-01'],
      ['child', 'Z', 'case-supervision', null, 'on-track', '2026-03-01'],
      ['child', 'a', 'case-supervision', null, 'on-track', '2026-03-01'],
    ]);
    const c1 = resultFor(rep, 'child', 'C1', 'case-supervision');
    expect(clock(c1)).toEqual(clk('on-track', '2026-03-10', ['assessment'], start('2026-02-10')));
    const a = resultFor(rep, 'child', 'a', 'case-supervision');
    expect(a?.latest).toBe('2026-03-15');
  });

  it('the document names asOf and the policy', () => {
    const rep = due('camden', '2026-02-20', { children: [] });
    expect(rep).toEqual({ asOf: '2026-02-20', policy: 'camden', results: [], warnings: [] });
  });
});

describe('results of periods that start on the same date', () => {
  it('are ordered by what they say, not by their order in the input', () => {
    const involvements = [
      { type: 'assessment', start: '2026-03-02', end: '2026-05-29' },
      { type: 'assessment', start: '2026-03-02', end: '2026-03-06' },
    ];
    const events = [{ date: '2026-03-09', kind: 'management-oversight' }];
    const forward = due('four-weekly', '2026-11-24', {
      children: [{ id: 'C1', involvements, events }],
    });
    const backward = due('four-weekly', '2026-11-24', {
      children: [{ id: 'C1', involvements: [...involvements].reverse(), events }],
    });
    expect(backward).toEqual(forward);
    expect(forward.results.map((r) => [r.requirement, r.due, r.status])).toEqual([
      ['supervised-before-transfer', '2026-03-06', 'breached'],
      ['supervised-before-transfer', '2026-05-29', 'breached'],
      ['ten-day-review', '2026-03-16', 'met'],
    ]);
  });
});
