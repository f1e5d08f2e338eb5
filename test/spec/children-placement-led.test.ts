// Child case-supervision rules of the `placement-led` preset (spec/scheduling.md §8). Every
// expected date is derived by hand from the spec text (§2 arithmetic and phases, §3 clock), never
// from the engine's output. A placement's "first 3 months" from its start A cover
// [A, A ⊕ 3 months): the boundary date already belongs to placement-stable / -not-permanent.
import { describe, expect, it } from 'vitest';
import {
  checkClock,
  checkCovered,
  checkOnlyWarning,
  clk,
  cs,
  event,
  inv as rec,
  reportFor,
  start,
  type ClockCase,
  type Placement,
} from './builders.js';

const POLICY = 'placement-led';
const report = reportFor(POLICY);
// No ranges in this preset: every expected result is a `clk` (latest = due).

const placed = (
  type: string,
  start: string,
  end: string | null = null,
  stableFrom?: string,
): Placement =>
  stableFrom === undefined ? { type, start, end } : { type, start, end, stableFrom };

const statusRows: ClockCase[] = [
  {
    name: 'early-help first: 31 Jan ⊕ 2 months = 31 Mar',
    asOf: '2026-02-05',
    child: { involvements: [rec('early-help', '2026-01-31')] },
    expected: clk('on-track', '2026-03-31', ['early-help'], start('2026-01-31')),
  },
  {
    name: 'early-help every: 10 Feb ⊕ 2 months = 10 Apr',
    asOf: '2026-04-10',
    child: { involvements: [rec('early-help', '2026-01-31')], events: [cs('2026-02-10')] },
    expected: clk('due', '2026-04-10', ['early-help'], event('2026-02-10'), '2026-02-10'),
  },
  {
    name: 'cin first: 31 Jan ⊕ 2 months = 31 Mar',
    asOf: '2026-04-01',
    child: { involvements: [rec('cin', '2026-01-31')] },
    expected: clk('overdue', '2026-03-31', ['cin'], start('2026-01-31')),
  },
  {
    name: 'cin every: 31 Dec 2026 ⊕ 2 months = 28 Feb 2027',
    asOf: '2027-01-10',
    child: { involvements: [rec('cin', '2026-11-02')], events: [cs('2026-12-31')] },
    expected: clk('on-track', '2027-02-28', ['cin'], event('2026-12-31'), '2026-12-31'),
  },
  {
    name: 'cp first: 5 Jan ⊕ 2 months = 5 Mar',
    asOf: '2026-01-10',
    child: { involvements: [rec('cp', '2026-01-05')] },
    expected: clk('on-track', '2026-03-05', ['cp'], start('2026-01-05')),
  },
  {
    name: 'cp every: 20 Jan ⊕ 2 months = 20 Mar',
    asOf: '2026-02-10',
    child: { involvements: [rec('cp', '2026-01-05')], events: [cs('2026-01-20')] },
    expected: clk('on-track', '2026-03-20', ['cp'], event('2026-01-20'), '2026-01-20'),
  },
  {
    name: 'with-parents first (cp open): 5 Jan ⊕ 1 month = 5 Feb beats cp 5 Mar',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cp', '2026-01-05')],
      placements: [placed('with-parents', '2026-01-05')],
    },
    expected: clk('on-track', '2026-02-05', ['with-parents'], start('2026-01-05')),
  },
  {
    name: 'with-parents every (cp open): 31 Jan ⊕ 1 month = 28 Feb beats cp 31 Mar',
    asOf: '2026-02-10',
    child: {
      involvements: [rec('cp', '2026-01-05')],
      placements: [placed('with-parents', '2026-01-05')],
      events: [cs('2026-01-31')],
    },
    expected: clk('on-track', '2026-02-28', ['with-parents'], event('2026-01-31'), '2026-01-31'),
  },
  {
    name: 'with-parents (cla open): only with-parents holds (not cla-no-placement), 5 Feb',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('with-parents', '2026-01-05')],
    },
    expected: clk('on-track', '2026-02-05', ['with-parents'], start('2026-01-05')),
  },
  {
    name: 'with-parents every (cla open): 10 Feb ⊕ 1 month = 10 Mar',
    asOf: '2026-02-15',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('with-parents', '2026-01-05')],
      events: [cs('2026-02-10')],
    },
    expected: clk('on-track', '2026-03-10', ['with-parents'], event('2026-02-10'), '2026-02-10'),
  },
  {
    name: 'a with-parents placement with only cin open: cin only, 5 Mar',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cin', '2026-01-05')],
      placements: [placed('with-parents', '2026-01-05')],
    },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
  {
    name: 'pre-proceedings first (cp open, from 1 Feb): 1 Mar brings cp 5 Mar forward',
    asOf: '2026-02-10',
    child: {
      involvements: [rec('cp', '2026-01-05')],
      legal: [rec('pre-proceedings', '2026-02-01')],
    },
    expected: clk('on-track', '2026-03-01', ['pre-proceedings'], start('2026-02-01')),
  },
  {
    name: 'pre-proceedings every: 10 Feb ⊕ 1 month = 10 Mar beats cp 10 Apr',
    asOf: '2026-02-15',
    child: {
      involvements: [rec('cp', '2026-01-05')],
      legal: [rec('pre-proceedings', '2026-02-01')],
      events: [cs('2026-02-10')],
    },
    expected: clk('on-track', '2026-03-10', ['pre-proceedings'], event('2026-02-10'), '2026-02-10'),
  },
  {
    name: 'pre-proceedings with only cin open: cin only',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cin', '2026-01-05')],
      legal: [rec('pre-proceedings', '2026-01-05')],
    },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
  {
    name: 'care-proceedings without any involvement: 31 Jan ⊕ 1 month = 28 Feb',
    asOf: '2026-02-01',
    child: { legal: [rec('care-proceedings', '2026-01-31')] },
    expected: clk('on-track', '2026-02-28', ['care-proceedings'], start('2026-01-31')),
  },
  {
    name: 'care-proceedings every: 31 Mar ⊕ 1 month = 30 Apr',
    asOf: '2026-04-05',
    child: { legal: [rec('care-proceedings', '2026-01-31')], events: [cs('2026-03-31')] },
    expected: clk(
      'on-track',
      '2026-04-30',
      ['care-proceedings'],
      event('2026-03-31'),
      '2026-03-31',
    ),
  },
  {
    name: 'care-proceedings with cin: 5 Feb beats cin 5 Mar',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cin', '2026-01-05')],
      legal: [rec('care-proceedings', '2026-01-05')],
    },
    expected: clk('on-track', '2026-02-05', ['care-proceedings'], start('2026-01-05')),
  },
  {
    name: 'care-proceedings ended, nothing else open: no result',
    asOf: '2026-04-01',
    child: {
      legal: [rec('care-proceedings', '2026-01-05', '2026-03-31')],
      events: [cs('2026-02-01')],
    },
    expected: null,
  },
  {
    name: 'adoption first (cla open): 5 Jan ⊕ 1 month = 5 Feb',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('adoption', '2026-01-05')],
    },
    expected: clk('on-track', '2026-02-05', ['adoption'], start('2026-01-05')),
  },
  {
    name: 'adoption every: 28 Feb ⊕ 1 month = 28 Mar',
    asOf: '2026-03-01',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('adoption', '2026-01-05')],
      events: [cs('2026-02-28')],
    },
    expected: clk('on-track', '2026-03-28', ['adoption'], event('2026-02-28'), '2026-02-28'),
  },
  {
    name: 'an adoption placement with only cin open: cin only',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cin', '2026-01-05')],
      placements: [placed('adoption', '2026-01-05')],
    },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
  {
    name: 'cla-no-placement first: 31 Jan ⊕ 1 month = 28 Feb',
    asOf: '2026-02-28',
    child: { involvements: [rec('cla', '2026-01-31')] },
    expected: clk('due', '2026-02-28', ['cla-no-placement'], start('2026-01-31')),
  },
  {
    name: 'cla-no-placement every: 31 Mar ⊕ 1 month = 30 Apr',
    asOf: '2026-04-01',
    child: { involvements: [rec('cla', '2026-01-31')], events: [cs('2026-03-31')] },
    expected: clk(
      'on-track',
      '2026-04-30',
      ['cla-no-placement'],
      event('2026-03-31'),
      '2026-03-31',
    ),
  },
];

const placementRows: ClockCase[] = [
  {
    name: 'new-placement first (foster): 5 Jan ⊕ 1 month = 5 Feb',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05')],
    },
    expected: clk('on-track', '2026-02-05', ['new-placement'], start('2026-01-05')),
  },
  {
    name: 'new-placement first (residential)',
    asOf: '2026-02-06',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('residential', '2026-01-05')],
    },
    expected: clk('overdue', '2026-02-05', ['new-placement'], start('2026-01-05')),
  },
  {
    name: 'new-placement first (other)',
    asOf: '2026-02-05',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('other', '2026-01-05')],
    },
    expected: clk('due', '2026-02-05', ['new-placement'], start('2026-01-05')),
  },
  {
    name: 'new-placement every: supervision 4 Apr (last day of the first 3 months) → 4 May',
    asOf: '2026-04-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05')],
      events: [cs('2026-04-04')],
    },
    expected: clk('on-track', '2026-05-04', ['new-placement'], event('2026-04-04'), '2026-04-04'),
  },
  {
    name: 'placement-not-permanent every: supervision 5 Apr (3 months in, no stableFrom) → 5 Jun',
    asOf: '2026-04-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05')],
      events: [cs('2026-04-05')],
    },
    expected: clk(
      'on-track',
      '2026-06-05',
      ['placement-not-permanent'],
      event('2026-04-05'),
      '2026-04-05',
    ),
  },
  {
    name: 'placement-not-permanent first: starting on 5 Apr does not push back a 4 May due',
    asOf: '2026-04-05',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('residential', '2026-01-05')],
      events: [cs('2026-04-04')],
    },
    expected: clk('on-track', '2026-05-04', ['new-placement'], event('2026-04-04'), '2026-04-04'),
  },
  {
    name: 'placement-not-permanent first after a long gap: 5 Apr ⊕ 2 months would be 5 Jun, earlier 5 Feb stays',
    asOf: '2026-04-06',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('other', '2026-01-05')],
    },
    expected: clk('overdue', '2026-02-05', ['new-placement'], start('2026-01-05')),
  },
  {
    name: 'placement from 30 Nov 2025: first 3 months end before 28 Feb; supervision 27 Feb → 27 Mar',
    asOf: '2026-03-01',
    child: {
      involvements: [rec('cla', '2025-11-30')],
      placements: [placed('foster', '2025-11-30')],
      events: [cs('2026-02-27')],
    },
    expected: clk('on-track', '2026-03-27', ['new-placement'], event('2026-02-27'), '2026-02-27'),
  },
  {
    name: 'placement from 30 Nov 2025: 28 Feb 2026 (= 30 Nov ⊕ 3 months) is the next phase → 28 Apr',
    asOf: '2026-03-01',
    child: {
      involvements: [rec('cla', '2025-11-30')],
      placements: [placed('foster', '2025-11-30')],
      events: [cs('2026-02-28')],
    },
    expected: clk(
      'on-track',
      '2026-04-28',
      ['placement-not-permanent'],
      event('2026-02-28'),
      '2026-02-28',
    ),
  },
  {
    name: 'placement-stable every: stableFrom 1 Mar, supervision 5 Apr → 5 Jul',
    asOf: '2026-04-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', null, '2026-03-01')],
      events: [cs('2026-04-05')],
    },
    expected: clk(
      'on-track',
      '2026-07-05',
      ['placement-stable'],
      event('2026-04-05'),
      '2026-04-05',
    ),
  },
  {
    name: 'stableFrom inside the first 3 months: still new-placement on 4 Apr → 4 May',
    asOf: '2026-04-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('residential', '2026-01-05', null, '2026-03-01')],
      events: [cs('2026-04-04')],
    },
    expected: clk('on-track', '2026-05-04', ['new-placement'], event('2026-04-04'), '2026-04-04'),
  },
  {
    name: 'stableFrom 1 Jun (after 3 months): supervision 10 May is not-permanent → 10 Jul; stable from 1 Jun does not push it back',
    asOf: '2026-06-05',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', null, '2026-06-01')],
      events: [cs('2026-05-10')],
    },
    expected: clk(
      'on-track',
      '2026-07-10',
      ['placement-not-permanent'],
      event('2026-05-10'),
      '2026-05-10',
    ),
  },
  {
    name: 'stableFrom 1 Jun: a supervision on 1 Jun is judged stable → 1 Sep',
    asOf: '2026-06-05',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', null, '2026-06-01')],
      events: [cs('2026-05-10'), cs('2026-06-01')],
    },
    expected: clk(
      'on-track',
      '2026-09-01',
      ['placement-stable'],
      event('2026-06-01'),
      '2026-06-01',
    ),
  },
  {
    name: 'stableFrom 1 Jun: supervision 10 Jun → 10 Sep',
    asOf: '2026-06-15',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('other', '2026-01-05', null, '2026-06-01')],
      events: [cs('2026-05-10'), cs('2026-06-10')],
    },
    expected: clk(
      'on-track',
      '2026-09-10',
      ['placement-stable'],
      event('2026-06-10'),
      '2026-06-10',
    ),
  },
  {
    name: 'the 3 months run from the placement, not from cla: placed 5 Jan, cla 1 Feb → new-placement 1 Mar',
    asOf: '2026-02-10',
    child: {
      involvements: [rec('cla', '2026-02-01')],
      placements: [placed('foster', '2026-01-05')],
    },
    expected: clk('on-track', '2026-03-01', ['new-placement'], start('2026-02-01')),
  },
  {
    name: 'placed 5 Jan, cla 1 Feb: a supervision on 5 Apr is already not-permanent → 5 Jun',
    asOf: '2026-04-10',
    child: {
      involvements: [rec('cla', '2026-02-01')],
      placements: [placed('foster', '2026-01-05')],
      events: [cs('2026-04-05')],
    },
    expected: clk(
      'on-track',
      '2026-06-05',
      ['placement-not-permanent'],
      event('2026-04-05'),
      '2026-04-05',
    ),
  },
  {
    name: 'a foster placement with only cin open: cin only',
    asOf: '2026-01-10',
    child: {
      involvements: [rec('cin', '2026-01-05')],
      placements: [placed('foster', '2026-01-05')],
    },
    expected: clk('on-track', '2026-03-05', ['cin'], start('2026-01-05')),
  },
];

const changes: ClockCase[] = [
  {
    name: 'cp supervised 1 Feb (due 1 Apr), with-parents placement 20 Feb brings it forward to 20 Mar',
    asOf: '2026-03-01',
    child: {
      involvements: [rec('cp', '2026-01-05')],
      placements: [placed('with-parents', '2026-02-20')],
      events: [cs('2026-02-01')],
    },
    expected: clk('on-track', '2026-03-20', ['with-parents'], start('2026-02-20'), '2026-02-01'),
  },
  {
    name: 'adjacent placements (A ends 31 May, B starts 1 Jun): new-placement starts again, 1 Jul beats 20 Jul',
    asOf: '2026-06-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', '2026-05-31'), placed('foster', '2026-06-01')],
      events: [cs('2026-05-20')],
    },
    expected: clk('on-track', '2026-07-01', ['new-placement'], start('2026-06-01'), '2026-05-20'),
  },
  {
    name: 'placement ends 31 May, none follows: cla-no-placement from 1 Jun, 1 Jul beats 20 Jul',
    asOf: '2026-06-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', '2026-05-31')],
      events: [cs('2026-05-20')],
    },
    expected: clk(
      'on-track',
      '2026-07-01',
      ['cla-no-placement'],
      start('2026-06-01'),
      '2026-05-20',
    ),
  },
  {
    name: 'adjacent placements: B (from 16 Feb) has its own 3 months, so 10 Apr is new-placement → 10 May',
    asOf: '2026-04-15',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', '2026-02-15'), placed('foster', '2026-02-16')],
      events: [cs('2026-04-10')],
    },
    expected: clk('on-track', '2026-05-10', ['new-placement'], event('2026-04-10'), '2026-04-10'),
  },
  {
    name: 'adjacent placements: B is not-permanent from 16 May (16 Feb ⊕ 3 months) → 16 Jul',
    asOf: '2026-05-20',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [placed('foster', '2026-01-05', '2026-02-15'), placed('foster', '2026-02-16')],
      events: [cs('2026-04-10'), cs('2026-05-16')],
    },
    expected: clk(
      'on-track',
      '2026-07-16',
      ['placement-not-permanent'],
      event('2026-05-16'),
      '2026-05-16',
    ),
  },
  {
    name: 'overlapping placements: stable A (due 10 Jul), residential B opens 1 May → 1 Jun',
    asOf: '2026-05-10',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [
        placed('foster', '2026-01-05', null, '2026-03-01'),
        placed('residential', '2026-05-01'),
      ],
      events: [cs('2026-04-10')],
    },
    expected: clk('on-track', '2026-06-01', ['new-placement'], start('2026-05-01'), '2026-04-10'),
  },
  {
    name: 'overlapping placements, supervision 15 May: B new (15 Jun) beats A stable (15 Aug)',
    asOf: '2026-05-20',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [
        placed('foster', '2026-01-05', null, '2026-03-01'),
        placed('residential', '2026-05-01'),
      ],
      events: [cs('2026-04-10'), cs('2026-05-15')],
    },
    expected: clk('on-track', '2026-06-15', ['new-placement'], event('2026-05-15'), '2026-05-15'),
  },
  {
    name: 'overlapping placements, supervision 10 Aug: B not-permanent (10 Oct) beats A stable (10 Nov)',
    asOf: '2026-08-20',
    child: {
      involvements: [rec('cla', '2026-01-05')],
      placements: [
        placed('foster', '2026-01-05', null, '2026-03-01'),
        placed('residential', '2026-05-01'),
      ],
      events: [cs('2026-04-10'), cs('2026-05-15'), cs('2026-08-10')],
    },
    expected: clk(
      'on-track',
      '2026-10-10',
      ['placement-not-permanent'],
      event('2026-08-10'),
      '2026-08-10',
    ),
  },
];

describe('placement-led: child case-supervision', () => {
  it.each([...statusRows, ...placementRows, ...changes])('$name', (c) => {
    checkClock(POLICY, c);
  });

  it('care-proceedings without any involvement gives no warning', () => {
    const rep = report('2026-02-01', { legal: [rec('care-proceedings', '2026-01-31')] });
    expect(rep.warnings).toEqual([]);
  });

  it.each(['assessment', 'care-leaver', 'cwd-review'])(
    '%s has no rule: no result and the exact §7 warning',
    (type) => {
      const rep = report('2026-03-01', {
        dateOfBirth: '2005-01-01',
        involvements: [rec(type, '2026-01-05')],
      });
      checkOnlyWarning(rep, `${type} is open but policy placement-led has no rule for it`);
    },
  );

  it.each(['early-help', 'cin', 'cp', 'cla'])('no warning when a rule covers %s', (type) => {
    checkCovered(POLICY, type);
  });
});
