/**
 * Team requirements (`group-supervision`) checked against spec/scheduling.md. Every expected
 * date below was derived by hand from the spec text (§2, §3, §6, §8), never copied from the
 * engine's output.
 *
 * four-weekly: `group-supervision` due 21 d, latest 28 d. camden: `group-supervision` 1 month.
 * A team's family applies from `start` to `end` while `groupSupervision` is true (§6).
 */
import { describe, it } from 'vitest';
import { due } from '../support/due.js';
import {
  checkRuled,
  checkWarned,
  event as byEvent,
  start as byStart,
  type Clock,
  type ClockStatus,
  type WarningCase,
} from './builders.js';

interface TeamInput {
  start: string;
  end?: string | null;
  groupSupervision?: boolean | null;
  events?: { date: string; kind: 'group' }[];
}

interface Case {
  name: string;
  policy: 'four-weekly' | 'camden';
  asOf: string;
  team: TeamInput;
  /** null: the spec says there is no result (and, these policies having team rules, no warning). */
  expected: Clock | null;
}

const session = (date: string) => ({ date, kind: 'group' as const });

function report(policy: string, asOf: string, team: TeamInput) {
  return due(policy, asOf, { teams: [{ id: 'T1', ...team }] });
}

// four-weekly, no session: team start 5 Jan: due 5 Jan + 21 d = 26 Jan, latest + 28 d = 2 Feb.
const fromStart = (status: ClockStatus): Clock => ({
  status,
  due: '2026-01-26',
  latest: '2026-02-02',
  lastEvent: null,
  rules: ['group-supervision'],
  setBy: byStart('2026-01-05'),
});

// four-weekly, session on 20 Jan: due 20 Jan + 21 d = 10 Feb, latest 20 Jan + 28 d = 17 Feb.
const fromSession = (status: ClockStatus): Clock => ({
  status,
  due: '2026-02-10',
  latest: '2026-02-17',
  lastEvent: '2026-01-20',
  rules: ['group-supervision'],
  setBy: byEvent('2026-01-20'),
});

const cases: Case[] = [
  {
    name: 'four-weekly, no session yet: on-track before day 21',
    policy: 'four-weekly',
    asOf: '2026-01-25',
    team: { start: '2026-01-05', groupSupervision: true },
    expected: fromStart('on-track'),
  },
  {
    name: 'four-weekly, no session yet: due on day 21',
    policy: 'four-weekly',
    asOf: '2026-01-26',
    team: { start: '2026-01-05', groupSupervision: true },
    expected: fromStart('due'),
  },
  {
    name: 'four-weekly, no session yet: still due on day 28',
    policy: 'four-weekly',
    asOf: '2026-02-02',
    team: { start: '2026-01-05', groupSupervision: true },
    expected: fromStart('due'),
  },
  {
    name: 'four-weekly, no session yet: overdue on day 29',
    policy: 'four-weekly',
    asOf: '2026-02-03',
    team: { start: '2026-01-05', groupSupervision: true },
    expected: fromStart('overdue'),
  },
  {
    name: 'four-weekly, after a session: on-track on day 20',
    policy: 'four-weekly',
    asOf: '2026-02-09',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-20')] },
    expected: fromSession('on-track'),
  },
  {
    name: 'four-weekly, after a session: due on day 21',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-20')] },
    expected: fromSession('due'),
  },
  {
    name: 'four-weekly, after a session: still due on day 28',
    policy: 'four-weekly',
    asOf: '2026-02-17',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-20')] },
    expected: fromSession('due'),
  },
  {
    name: 'four-weekly, after a session: overdue on day 29',
    policy: 'four-weekly',
    asOf: '2026-02-18',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-20')] },
    expected: fromSession('overdue'),
  },
  {
    name: 'four-weekly, two sessions on one date count once',
    policy: 'four-weekly',
    asOf: '2026-02-09',
    team: {
      start: '2026-01-05',
      groupSupervision: true,
      events: [session('2026-01-20'), session('2026-01-20')],
    },
    expected: fromSession('on-track'),
  },
  {
    // The later session resets the clock: 20 Mar + 21 d = 10 Apr, + 28 d = 17 Apr.
    name: 'four-weekly, the latest session sets the date (events listed out of order)',
    policy: 'four-weekly',
    asOf: '2026-03-25',
    team: {
      start: '2026-01-05',
      groupSupervision: true,
      events: [session('2026-03-20'), session('2026-01-20')],
    },
    expected: {
      status: 'on-track',
      due: '2026-04-10',
      latest: '2026-04-17',
      lastEvent: '2026-03-20',
      rules: ['group-supervision'],
      setBy: byEvent('2026-03-20'),
    },
  },
  {
    name: 'four-weekly, a session before the team started counts for nothing',
    policy: 'four-weekly',
    asOf: '2026-01-25',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2025-12-30')] },
    expected: fromStart('on-track'),
  },
  {
    name: 'four-weekly, a session after asOf counts for nothing',
    policy: 'four-weekly',
    asOf: '2026-01-25',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-30')] },
    expected: fromStart('on-track'),
  },
  {
    // §2: end inclusive: the team still has a result on its end date. 20 Mar → 10 Apr / 17 Apr.
    name: 'four-weekly, team ending on asOf: still a result',
    policy: 'four-weekly',
    asOf: '2026-03-31',
    team: {
      start: '2026-01-05',
      end: '2026-03-31',
      groupSupervision: true,
      events: [session('2026-03-20')],
    },
    expected: {
      status: 'on-track',
      due: '2026-04-10',
      latest: '2026-04-17',
      lastEvent: '2026-03-20',
      rules: ['group-supervision'],
      setBy: byEvent('2026-03-20'),
    },
  },
  {
    name: 'four-weekly, team ended before asOf: no result',
    policy: 'four-weekly',
    asOf: '2026-04-01',
    team: {
      start: '2026-01-05',
      end: '2026-03-31',
      groupSupervision: true,
      events: [session('2026-03-20')],
    },
    expected: null,
  },
  {
    name: 'four-weekly, team starting after asOf: no result',
    policy: 'four-weekly',
    asOf: '2026-01-04',
    team: { start: '2026-01-05', groupSupervision: true },
    expected: null,
  },
  {
    // §6: the family applies only "while groupSupervision is true".
    name: 'four-weekly, groupSupervision false: no result',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: false, events: [session('2026-01-20')] },
    expected: null,
  },
  {
    // §6: "groupSupervision defaults to false".
    name: 'four-weekly, groupSupervision absent: no result',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', events: [session('2026-01-20')] },
    expected: null,
  },
  {
    // §6: "null means the same as absent".
    name: 'four-weekly, groupSupervision null: no result',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: null },
    expected: null,
  },
  {
    // 5 Jan ⊕ 1 month = 5 Feb.
    name: 'camden, no session yet: 1 month after start',
    policy: 'camden',
    asOf: '2026-01-20',
    team: { start: '2026-01-05', groupSupervision: true },
    expected: {
      status: 'on-track',
      due: '2026-02-05',
      latest: '2026-02-05',
      lastEvent: null,
      rules: ['group-supervision'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 31 Jan ⊕ 1 month = 28 Feb.
    name: 'camden, session on 31 Jan: due 28 Feb (status due that day)',
    policy: 'camden',
    asOf: '2026-02-28',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-31')] },
    expected: {
      status: 'due',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: '2026-01-31',
      rules: ['group-supervision'],
      setBy: byEvent('2026-01-31'),
    },
  },
  {
    name: 'camden, session on 31 Jan: overdue on 1 Mar',
    policy: 'camden',
    asOf: '2026-03-01',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-31')] },
    expected: {
      status: 'overdue',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: '2026-01-31',
      rules: ['group-supervision'],
      setBy: byEvent('2026-01-31'),
    },
  },
  {
    // 31 Jan 2028 ⊕ 1 month = 29 Feb 2028.
    name: 'camden, session on 31 Jan 2028: due 29 Feb',
    policy: 'camden',
    asOf: '2028-02-10',
    team: { start: '2027-01-04', groupSupervision: true, events: [session('2028-01-31')] },
    expected: {
      status: 'on-track',
      due: '2028-02-29',
      latest: '2028-02-29',
      lastEvent: '2028-01-31',
      rules: ['group-supervision'],
      setBy: byEvent('2028-01-31'),
    },
  },
  {
    name: 'camden, groupSupervision false: no result',
    policy: 'camden',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: false, events: [session('2026-01-20')] },
    expected: null,
  },
  {
    name: 'camden, team ended before asOf: no result',
    policy: 'camden',
    asOf: '2026-04-01',
    team: { start: '2026-01-05', end: '2026-03-31', groupSupervision: true },
    expected: null,
  },
];

describe('teams: group-supervision (spec §8 four-weekly and camden, §3, §6)', () => {
  it.each(cases)('$name', ({ policy, asOf, team, expected }) => {
    // Both policies have team rules: a team never gets a warning here.
    checkRuled(report(policy, asOf, team), 'team', 'T1', 'group-supervision', expected);
  });
});

// ---------------------------------------------------------------------------------------------
// A policy without team rules: a team with group supervision gets no result and a warning (§7).
// ---------------------------------------------------------------------------------------------
const warningCases: WarningCase<'team', TeamInput>[] = [
  {
    name: 'bimonthly, a team with group supervision: a warning',
    policy: 'bimonthly',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: true, events: [session('2026-01-20')] },
    warned: true,
  },
  {
    name: 'placement-led, a team with group supervision: a warning',
    policy: 'placement-led',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: true },
    warned: true,
  },
  {
    name: 'leeds-schools, a team with group supervision: a warning',
    policy: 'leeds-schools',
    asOf: '2026-02-10',
    team: { start: '2026-01-05', groupSupervision: true },
    warned: true,
  },
  {
    name: 'placement-led, a team with group supervision ending on asOf: a warning',
    policy: 'placement-led',
    asOf: '2026-03-31',
    team: { start: '2026-01-05', end: '2026-03-31', groupSupervision: true },
    warned: true,
  },
  {
    name: 'placement-led, a team with group supervision that ended before asOf: no warning',
    policy: 'placement-led',
    asOf: '2026-04-01',
    team: { start: '2026-01-05', end: '2026-03-31', groupSupervision: true },
    warned: false,
  },
  {
    name: 'placement-led, a team starting after asOf: no warning',
    policy: 'placement-led',
    asOf: '2026-01-04',
    team: { start: '2026-01-05', groupSupervision: true },
    warned: false,
  },
];

describe('teams: a policy without team rules (spec §7 warnings)', () => {
  it.each(warningCases)('$name', ({ policy, asOf, team, warned }) => {
    checkWarned(report(policy, asOf, team), 'team', 'T1', policy, warned);
  });
});
