/**
 * Worker requirements (`professional-supervision`, `contract-review`) checked against
 * spec/scheduling.md. Every expected date below was derived by hand from the spec text
 * (§2 date arithmetic, §3 one clock per family, §4 explanations, §8 presets), never copied
 * from the engine's output. The derivation is in each case's comment.
 */
import { describe, expect, it } from 'vitest';
import { due, resultFor } from '../support/due.js';
import {
  checkWarned,
  describeTables,
  event as byEvent,
  expectClock,
  start as byStart,
  type Clock,
  type WarningCase,
} from './builders.js';

interface WorkerEvent {
  date: string;
  kind: 'individual' | 'group' | 'contract';
}

interface WorkerInput {
  start: string;
  end?: string | null;
  probationEnd?: string | null;
  earlyCareer?: { start: string; end?: string | null };
  events?: WorkerEvent[];
}

interface Case {
  name: string;
  policy: string;
  asOf: string;
  worker: WorkerInput;
  /** Defaults to `professional-supervision`. */
  requirement?: 'professional-supervision' | 'contract-review';
  /** null: the spec says there is no result for this family. */
  expected: Clock | null;
}

const individual = (date: string): WorkerEvent => ({ date, kind: 'individual' });
const group = (date: string): WorkerEvent => ({ date, kind: 'group' });
const contract = (date: string): WorkerEvent => ({ date, kind: 'contract' });

function report(policy: string, asOf: string, worker: WorkerInput) {
  return due(policy, asOf, { workers: [{ id: 'W1', role: 'social-worker', ...worker }] });
}

function check(c: Case): void {
  const doc = report(c.policy, c.asOf, c.worker);
  const result = resultFor(doc, 'worker', 'W1', c.requirement ?? 'professional-supervision');
  if (c.expected === null) expect(result).toBeUndefined();
  else expectClock(result, c.expected);
  // Every policy in these tables has worker rules: no worker warning.
  expect(doc.warnings.filter((w) => w.subject === 'worker')).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// four-weekly: `all-staff` 28 d for every worker.
// ---------------------------------------------------------------------------------------------
const fourWeeklyAllStaff: Case[] = [
  {
    // §3.1: the family starts on S = 5 Jan; due = S + 28 d = 2 Feb.
    name: 'no event yet: due 28 d after start',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05' },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'no event yet, asOf on the due date: status due',
    policy: 'four-weekly',
    asOf: '2026-02-02',
    worker: { start: '2026-01-05' },
    expected: {
      status: 'due',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'no event yet, asOf the day after the due date: overdue',
    policy: 'four-weekly',
    asOf: '2026-02-03',
    worker: { start: '2026-01-05' },
    expected: {
      status: 'overdue',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §3.4: event 1 Feb → 1 Feb + 28 d = 1 Mar.
    name: 'an individual supervision: due 28 d later (asOf the day before)',
    policy: 'four-weekly',
    asOf: '2026-02-28',
    worker: { start: '2026-01-05', events: [individual('2026-02-01')] },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['all-staff'],
      setBy: byEvent('2026-02-01'),
    },
  },
  {
    name: 'an individual supervision: status due on day 28',
    policy: 'four-weekly',
    asOf: '2026-03-01',
    worker: { start: '2026-01-05', events: [individual('2026-02-01')] },
    expected: {
      status: 'due',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['all-staff'],
      setBy: byEvent('2026-02-01'),
    },
  },
  {
    name: 'an individual supervision: overdue on day 29',
    policy: 'four-weekly',
    asOf: '2026-03-02',
    worker: { start: '2026-01-05', events: [individual('2026-02-01')] },
    expected: {
      status: 'overdue',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['all-staff'],
      setBy: byEvent('2026-02-01'),
    },
  },
  {
    // §3: on S, rule changes first (due S + 28 d), then the event (due E + 28 d, E = S).
    name: 'a supervision on the start date itself counts',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-05')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: '2026-01-05',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-05'),
    },
  },
  {
    // §3: "Events before a subject's first record ... count for nothing".
    name: 'an event before the start counts for nothing',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-01')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §3.4: "events after asOf, are ignored".
    name: 'an event after asOf counts for nothing',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-25')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §6: "A worker's group events ... satisfy no family in the five presets".
    name: 'a group event does not satisfy professional-supervision',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [group('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §1: professional-supervision is satisfied by `individual` only.
    name: 'a contract event does not satisfy professional-supervision',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [contract('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'four-weekly has no contract-review rule: no contract-review result',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [contract('2026-01-10')] },
    requirement: 'contract-review',
    expected: null,
  },
  {
    // §3.4: "Several events on one date count once": 10 Jan + 28 d = 7 Feb.
    name: 'two supervisions on one date count once',
    policy: 'four-weekly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-10'), individual('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-02-07',
      latest: '2026-02-07',
      lastEvent: '2026-01-10',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-10'),
    },
  },
  {
    // Dates are walked in order whatever the order of the extract: the last event is 1 Feb.
    name: 'events listed out of order: the latest one sets the date',
    policy: 'four-weekly',
    asOf: '2026-02-10',
    worker: { start: '2026-01-05', events: [individual('2026-02-01'), individual('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['all-staff'],
      setBy: byEvent('2026-02-01'),
    },
  },
  {
    // §2: a period covers start..end inclusive: on 31 Mar the worker is still in post.
    // 10 Mar + 28 d = 7 Apr.
    name: 'a worker who leaves: still a result on the end date',
    policy: 'four-weekly',
    asOf: '2026-03-31',
    worker: { start: '2026-01-05', end: '2026-03-31', events: [individual('2026-03-10')] },
    expected: {
      status: 'on-track',
      due: '2026-04-07',
      latest: '2026-04-07',
      lastEvent: '2026-03-10',
      rules: ['all-staff'],
      setBy: byEvent('2026-03-10'),
    },
  },
  {
    // §3: "A subject with no rule in force on asOf has no result for that family."
    name: 'a worker who has left: no result the day after the end',
    policy: 'four-weekly',
    asOf: '2026-04-01',
    worker: {
      start: '2026-01-05',
      end: '2026-03-31',
      events: [individual('2026-03-10'), individual('2026-04-01')],
    },
    expected: null,
  },
  {
    name: 'a worker not yet started: no result',
    policy: 'four-weekly',
    asOf: '2026-01-04',
    worker: { start: '2026-01-05', events: [individual('2026-01-02')] },
    expected: null,
  },
];

// ---------------------------------------------------------------------------------------------
// four-weekly early career, S = earlyCareer.start:
//   early-career-weekly [S, S+42 d) 7 d; early-career-fortnightly [S+42 d, S ⊕ 6 months) 14 d;
//   all-staff 28 d holds throughout.
// With S = Mon 5 Jan 2026: S+42 d = 16 Feb 2026; S ⊕ 6 months = 5 Jul 2026.
// ---------------------------------------------------------------------------------------------
const ec = { start: '2026-01-05' };
const fourWeeklyEarlyCareer: Case[] = [
  {
    // §3.1: all-staff and early-career-weekly start on S: min(S+28, S+7) = S+7 = 12 Jan.
    name: 'early career, no event: weekly from the start',
    policy: 'four-weekly',
    asOf: '2026-01-10',
    worker: { start: '2026-01-05', earlyCareer: ec },
    expected: {
      status: 'on-track',
      due: '2026-01-12',
      latest: '2026-01-12',
      lastEvent: null,
      rules: ['early-career-weekly'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 12 Jan: min(12 Jan + 7 d, 12 Jan + 28 d) = 19 Jan.
    name: 'early career, weekly phase: due 7 d after the supervision',
    policy: 'four-weekly',
    asOf: '2026-01-15',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-01-12')] },
    expected: {
      status: 'on-track',
      due: '2026-01-19',
      latest: '2026-01-19',
      lastEvent: '2026-01-12',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-01-12'),
    },
  },
  {
    // 15 Feb = S+41 d, the last day of the weekly phase: 15 Feb + 7 d = 22 Feb.
    name: 'early career, last day of the weekly phase: still weekly',
    policy: 'four-weekly',
    asOf: '2026-02-20',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-02-15')] },
    expected: {
      status: 'on-track',
      due: '2026-02-22',
      latest: '2026-02-22',
      lastEvent: '2026-02-15',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-02-15'),
    },
  },
  {
    // Event 9 Feb → due 16 Feb (weekly). On 16 Feb fortnightly starts: min(16 Feb, 16 Feb + 14 d
    // = 2 Mar) = 16 Feb: the new phase does not push the date back; rules stay weekly (§4).
    name: 'early career, start of the fortnightly phase does not push the due date back',
    policy: 'four-weekly',
    asOf: '2026-02-16',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-02-09')] },
    expected: {
      status: 'due',
      due: '2026-02-16',
      latest: '2026-02-16',
      lastEvent: '2026-02-09',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-02-09'),
    },
  },
  {
    name: 'early career, weekly due date missed across the phase change: overdue',
    policy: 'four-weekly',
    asOf: '2026-02-17',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-02-09')] },
    expected: {
      status: 'overdue',
      due: '2026-02-16',
      latest: '2026-02-16',
      lastEvent: '2026-02-09',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-02-09'),
    },
  },
  {
    // 16 Feb = S+42 d belongs to the fortnightly phase (§2 phases): 16 Feb + 14 d = 2 Mar.
    name: 'early career, first day of the fortnightly phase: 14 d',
    policy: 'four-weekly',
    asOf: '2026-02-20',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-02-16')] },
    expected: {
      status: 'on-track',
      due: '2026-03-02',
      latest: '2026-03-02',
      lastEvent: '2026-02-16',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-02-16'),
    },
  },
  {
    // 4 Jul is the last day before S ⊕ 6 months = 5 Jul: 4 Jul + 14 d = 18 Jul. On 5 Jul the
    // fortnightly rule stops (changes nothing); `rules` still names it (§4, "even if that rule
    // has stopped applying since").
    name: 'early career, last fortnightly supervision: rules still name the stopped rule',
    policy: 'four-weekly',
    asOf: '2026-07-10',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-07-04')] },
    expected: {
      status: 'on-track',
      due: '2026-07-18',
      latest: '2026-07-18',
      lastEvent: '2026-07-04',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-07-04'),
    },
  },
  {
    // On S ⊕ 6 months = 5 Jul only all-staff holds: 5 Jul + 28 d = 2 Aug.
    name: 'early career, from S ⊕ 6 months all-staff binds',
    policy: 'four-weekly',
    asOf: '2026-07-10',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-07-05')] },
    expected: {
      status: 'on-track',
      due: '2026-08-02',
      latest: '2026-08-02',
      lastEvent: '2026-07-05',
      rules: ['all-staff'],
      setBy: byEvent('2026-07-05'),
    },
  },
  {
    // earlyCareer ends 20 Jan (inclusive). 19 Jan → 26 Jan (weekly). The weekly rule stopping
    // on 21 Jan changes nothing (§3.2).
    name: 'early career ended early: the weekly due date stands after the programme ends',
    policy: 'four-weekly',
    asOf: '2026-01-22',
    worker: {
      start: '2026-01-05',
      earlyCareer: { start: '2026-01-05', end: '2026-01-20' },
      events: [individual('2026-01-19')],
    },
    expected: {
      status: 'on-track',
      due: '2026-01-26',
      latest: '2026-01-26',
      lastEvent: '2026-01-19',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-01-19'),
    },
  },
  {
    // After the programme's end only all-staff: 23 Jan + 28 d = 20 Feb.
    name: 'early career ended early: next supervision is on all-staff 28 d',
    policy: 'four-weekly',
    asOf: '2026-01-25',
    worker: {
      start: '2026-01-05',
      earlyCareer: { start: '2026-01-05', end: '2026-01-20' },
      events: [individual('2026-01-19'), individual('2026-01-23')],
    },
    expected: {
      status: 'on-track',
      due: '2026-02-20',
      latest: '2026-02-20',
      lastEvent: '2026-01-23',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-23'),
    },
  },
  {
    // Programme ends 1 Mar, inside the fortnightly phase. 27 Feb → 13 Mar (fortnightly);
    // 2 Mar (after the end) → 2 Mar + 28 d = 30 Mar (all-staff).
    name: 'early career ended during the fortnightly phase: all-staff afterwards',
    policy: 'four-weekly',
    asOf: '2026-03-05',
    worker: {
      start: '2026-01-05',
      earlyCareer: { start: '2026-01-05', end: '2026-03-01' },
      events: [individual('2026-02-27'), individual('2026-03-02')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-30',
      latest: '2026-03-30',
      lastEvent: '2026-03-02',
      rules: ['all-staff'],
      setBy: byEvent('2026-03-02'),
    },
  },
  {
    name: 'early career ended during the fortnightly phase: the last fortnightly date stands',
    policy: 'four-weekly',
    asOf: '2026-03-01',
    worker: {
      start: '2026-01-05',
      earlyCareer: { start: '2026-01-05', end: '2026-03-01' },
      events: [individual('2026-02-27')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-13',
      latest: '2026-03-13',
      lastEvent: '2026-02-27',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-02-27'),
    },
  },
  {
    // Worker since 2 Jun 2025; 29 Dec → 26 Jan (all-staff). The programme record begins on
    // 5 Jan: weekly starts, due = min(26 Jan, 5 Jan + 7 d = 12 Jan) = 12 Jan, set by the start.
    name: 'early career beginning after employment: its start brings the date forward',
    policy: 'four-weekly',
    asOf: '2026-01-06',
    worker: {
      start: '2025-06-02',
      earlyCareer: { start: '2026-01-05' },
      events: [individual('2025-12-29')],
    },
    expected: {
      status: 'on-track',
      due: '2026-01-12',
      latest: '2026-01-12',
      lastEvent: '2025-12-29',
      rules: ['early-career-weekly'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §2: "A period starting after asOf is ignored": 29 Dec + 28 d = 26 Jan.
    name: 'early career starting after asOf is ignored',
    policy: 'four-weekly',
    asOf: '2026-01-04',
    worker: {
      start: '2025-06-02',
      earlyCareer: { start: '2026-01-05' },
      events: [individual('2025-12-29')],
    },
    expected: {
      status: 'on-track',
      due: '2026-01-26',
      latest: '2026-01-26',
      lastEvent: '2025-12-29',
      rules: ['all-staff'],
      setBy: byEvent('2025-12-29'),
    },
  },
  {
    // S = 31 Aug 2025: S ⊕ 6 months = 28 Feb 2026 (Feb is shorter). 27 Feb is still
    // fortnightly: 27 Feb + 14 d = 13 Mar.
    name: 'month-end start (31 Aug): 27 Feb is still fortnightly',
    policy: 'four-weekly',
    asOf: '2026-03-01',
    worker: {
      start: '2025-08-31',
      earlyCareer: { start: '2025-08-31' },
      events: [individual('2026-02-27')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-13',
      latest: '2026-03-13',
      lastEvent: '2026-02-27',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-02-27'),
    },
  },
  {
    // 28 Feb 2026 = S ⊕ 6 months: all-staff only: 28 Feb + 28 d = 28 Mar.
    name: 'month-end start (31 Aug): 28 Feb is all-staff',
    policy: 'four-weekly',
    asOf: '2026-03-01',
    worker: {
      start: '2025-08-31',
      earlyCareer: { start: '2025-08-31' },
      events: [individual('2026-02-28')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-28',
      latest: '2026-03-28',
      lastEvent: '2026-02-28',
      rules: ['all-staff'],
      setBy: byEvent('2026-02-28'),
    },
  },
  {
    // S = 31 Aug 2027: S ⊕ 6 months = 29 Feb 2028 (leap year). 28 Feb → 13 Mar (fortnightly).
    name: 'month-end start, leap year: 28 Feb 2028 is still fortnightly',
    policy: 'four-weekly',
    asOf: '2028-03-01',
    worker: {
      start: '2027-08-31',
      earlyCareer: { start: '2027-08-31' },
      events: [individual('2028-02-28')],
    },
    expected: {
      status: 'on-track',
      due: '2028-03-13',
      latest: '2028-03-13',
      lastEvent: '2028-02-28',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2028-02-28'),
    },
  },
  {
    // 29 Feb 2028 = S ⊕ 6 months: all-staff: 29 Feb + 28 d = 28 Mar.
    name: 'month-end start, leap year: 29 Feb 2028 is all-staff',
    policy: 'four-weekly',
    asOf: '2028-03-01',
    worker: {
      start: '2027-08-31',
      earlyCareer: { start: '2027-08-31' },
      events: [individual('2028-02-29')],
    },
    expected: {
      status: 'on-track',
      due: '2028-03-28',
      latest: '2028-03-28',
      lastEvent: '2028-02-29',
      rules: ['all-staff'],
      setBy: byEvent('2028-02-29'),
    },
  },
];

// ---------------------------------------------------------------------------------------------
// bimonthly: `all-staff` 28 d; no early-career rule.
// ---------------------------------------------------------------------------------------------
const bimonthly: Case[] = [
  {
    name: 'bimonthly, no event: 28 d after start',
    policy: 'bimonthly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05' },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 1 Feb + 28 d = 1 Mar; asOf 2 Mar is past it.
    name: 'bimonthly, supervision 28 d ago yesterday: overdue',
    policy: 'bimonthly',
    asOf: '2026-03-02',
    worker: { start: '2026-01-05', events: [individual('2026-02-01')] },
    expected: {
      status: 'overdue',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['all-staff'],
      setBy: byEvent('2026-02-01'),
    },
  },
  {
    // The policy has no early-career rule: 12 Jan + 28 d = 9 Feb.
    name: 'bimonthly, early career changes nothing',
    policy: 'bimonthly',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-01-12')] },
    expected: {
      status: 'on-track',
      due: '2026-02-09',
      latest: '2026-02-09',
      lastEvent: '2026-01-12',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-12'),
    },
  },
];

// ---------------------------------------------------------------------------------------------
// leeds-schools: `all-staff` 28 d; `contract-review` first 28 d after start, then 12 months after
// each `contract` event.
// ---------------------------------------------------------------------------------------------
const leeds: Case[] = [
  {
    name: 'leeds-schools, all-staff 28 d',
    policy: 'leeds-schools',
    asOf: '2026-02-03',
    worker: { start: '2026-01-05', events: [individual('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-02-07',
      latest: '2026-02-07',
      lastEvent: '2026-01-10',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-10'),
    },
  },
  {
    name: 'leeds-schools, early career changes nothing',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', earlyCareer: ec, events: [individual('2026-01-12')] },
    expected: {
      status: 'on-track',
      due: '2026-02-09',
      latest: '2026-02-09',
      lastEvent: '2026-01-12',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-12'),
    },
  },
  {
    // first = 28 d: 5 Jan + 28 d = 2 Feb.
    name: 'contract-review, no contract yet: due 28 d after start',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05' },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['contract-review'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'contract-review, no contract 29 d after start: overdue',
    policy: 'leeds-schools',
    asOf: '2026-02-03',
    worker: { start: '2026-01-05' },
    requirement: 'contract-review',
    expected: {
      status: 'overdue',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['contract-review'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // Rule change first (due 2 Feb), then the contract on the same date: 5 Jan ⊕ 12 months.
    name: 'contract-review, contract signed on the start date',
    policy: 'leeds-schools',
    asOf: '2026-06-01',
    worker: { start: '2026-01-05', events: [contract('2026-01-05')] },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2027-01-05',
      latest: '2027-01-05',
      lastEvent: '2026-01-05',
      rules: ['contract-review'],
      setBy: byEvent('2026-01-05'),
    },
  },
  {
    name: 'contract-review, annual review missed: overdue the day after',
    policy: 'leeds-schools',
    asOf: '2027-01-06',
    worker: { start: '2026-01-05', events: [contract('2026-01-05')] },
    requirement: 'contract-review',
    expected: {
      status: 'overdue',
      due: '2027-01-05',
      latest: '2027-01-05',
      lastEvent: '2026-01-05',
      rules: ['contract-review'],
      setBy: byEvent('2026-01-05'),
    },
  },
  {
    // The review on 4 Jan 2027 restarts the clock: 4 Jan 2027 ⊕ 12 months = 4 Jan 2028.
    name: 'contract-review, an annual review: 12 months after the latest contract',
    policy: 'leeds-schools',
    asOf: '2027-06-01',
    worker: { start: '2026-01-05', events: [contract('2026-01-05'), contract('2027-01-04')] },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2028-01-04',
      latest: '2028-01-04',
      lastEvent: '2027-01-04',
      rules: ['contract-review'],
      setBy: byEvent('2027-01-04'),
    },
  },
  {
    // §2: 29 Feb 2028 ⊕ 12 months = 28 Feb 2029 (no 29 Feb in 2029).
    name: 'contract-review, contract on 29 Feb: due 28 Feb next year (status due that day)',
    policy: 'leeds-schools',
    asOf: '2029-02-28',
    worker: { start: '2027-09-01', events: [contract('2028-02-29')] },
    requirement: 'contract-review',
    expected: {
      status: 'due',
      due: '2029-02-28',
      latest: '2029-02-28',
      lastEvent: '2028-02-29',
      rules: ['contract-review'],
      setBy: byEvent('2028-02-29'),
    },
  },
  {
    name: 'contract-review, contract on 29 Feb: overdue on 1 Mar next year',
    policy: 'leeds-schools',
    asOf: '2029-03-01',
    worker: { start: '2027-09-01', events: [contract('2028-02-29')] },
    requirement: 'contract-review',
    expected: {
      status: 'overdue',
      due: '2029-02-28',
      latest: '2029-02-28',
      lastEvent: '2028-02-29',
      rules: ['contract-review'],
      setBy: byEvent('2028-02-29'),
    },
  },
  {
    // §1: contract-review is satisfied by `contract` only; individual goes to its own family.
    name: 'individual and contract events: contract goes to contract-review',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-10'), contract('2026-01-12')] },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2027-01-12',
      latest: '2027-01-12',
      lastEvent: '2026-01-12',
      rules: ['contract-review'],
      setBy: byEvent('2026-01-12'),
    },
  },
  {
    name: 'individual and contract events: individual goes to professional-supervision',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-10'), contract('2026-01-12')] },
    expected: {
      status: 'on-track',
      due: '2026-02-07',
      latest: '2026-02-07',
      lastEvent: '2026-01-10',
      rules: ['all-staff'],
      setBy: byEvent('2026-01-10'),
    },
  },
  {
    name: 'an individual supervision does not satisfy contract-review',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [individual('2026-01-10')] },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['contract-review'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'a group event satisfies neither family (contract-review)',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [group('2026-01-10')] },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['contract-review'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'a group event satisfies neither family (professional-supervision)',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [group('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['all-staff'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'a contract signed before the start counts for nothing',
    policy: 'leeds-schools',
    asOf: '2026-01-20',
    worker: { start: '2026-01-05', events: [contract('2025-12-15')] },
    requirement: 'contract-review',
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['contract-review'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'contract-review, a worker who has left: no result',
    policy: 'leeds-schools',
    asOf: '2026-04-01',
    worker: { start: '2026-01-05', end: '2026-03-31', events: [contract('2026-01-05')] },
    requirement: 'contract-review',
    expected: null,
  },
  {
    name: 'contract-review, a worker not yet started: no result',
    policy: 'leeds-schools',
    asOf: '2026-01-04',
    worker: { start: '2026-01-05' },
    requirement: 'contract-review',
    expected: null,
  },
];

// ---------------------------------------------------------------------------------------------
// camden: exactly one rule at a time:
//   early-career-weekly [S, S+42 d) 7 d; early-career-fortnightly [S+42 d, (S+42 d) ⊕ 6 months)
//   14 d; else probation (on or before probationEnd) 28 d, latest 42 d; else monthly 1 month.
// ---------------------------------------------------------------------------------------------
const camden: Case[] = [
  // --- probation, worker start 5 Jan 2026, probationEnd 30 Jun 2026: due S+28 d = 2 Feb,
  //     latest S+42 d = 16 Feb.
  {
    name: 'camden probation, no event: on-track the day before day 28',
    policy: 'camden',
    asOf: '2026-02-01',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30' },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-16',
      lastEvent: null,
      rules: ['probation'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'camden probation, no event: status due on day 28',
    policy: 'camden',
    asOf: '2026-02-02',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30' },
    expected: {
      status: 'due',
      due: '2026-02-02',
      latest: '2026-02-16',
      lastEvent: null,
      rules: ['probation'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'camden probation, no event: still due on day 42',
    policy: 'camden',
    asOf: '2026-02-16',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30' },
    expected: {
      status: 'due',
      due: '2026-02-02',
      latest: '2026-02-16',
      lastEvent: null,
      rules: ['probation'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'camden probation, no event: overdue on day 43',
    policy: 'camden',
    asOf: '2026-02-17',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30' },
    expected: {
      status: 'overdue',
      due: '2026-02-02',
      latest: '2026-02-16',
      lastEvent: null,
      rules: ['probation'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 2 Mar + 28 d = 30 Mar; + 42 d = 13 Apr.
    name: 'camden probation, after a supervision: due on day 28',
    policy: 'camden',
    asOf: '2026-03-30',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30', events: [individual('2026-03-02')] },
    expected: {
      status: 'due',
      due: '2026-03-30',
      latest: '2026-04-13',
      lastEvent: '2026-03-02',
      rules: ['probation'],
      setBy: byEvent('2026-03-02'),
    },
  },
  {
    name: 'camden probation, after a supervision: still due on day 42',
    policy: 'camden',
    asOf: '2026-04-13',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30', events: [individual('2026-03-02')] },
    expected: {
      status: 'due',
      due: '2026-03-30',
      latest: '2026-04-13',
      lastEvent: '2026-03-02',
      rules: ['probation'],
      setBy: byEvent('2026-03-02'),
    },
  },
  {
    name: 'camden probation, after a supervision: overdue on day 43',
    policy: 'camden',
    asOf: '2026-04-14',
    worker: { start: '2026-01-05', probationEnd: '2026-06-30', events: [individual('2026-03-02')] },
    expected: {
      status: 'overdue',
      due: '2026-03-30',
      latest: '2026-04-13',
      lastEvent: '2026-03-02',
      rules: ['probation'],
      setBy: byEvent('2026-03-02'),
    },
  },
  // --- probation → monthly, probationEnd 31 Mar 2026: monthly starts on 1 Apr, and
  //     1 Apr ⊕ 1 month = 1 May.
  {
    // Event on probationEnd (probation holds "on or before"): due 31 Mar + 28 d = 28 Apr, latest
    // 31 Mar + 42 d = 12 May. On 1 Apr monthly starts (§3.2): due = min(28 Apr, 1 May) = 28 Apr
    // (unchanged, still set by the probation supervision); latest = min(12 May, 1 May) = 1 May.
    name: 'camden probation → monthly: a supervision on probationEnd still counts as probation',
    policy: 'camden',
    asOf: '2026-04-02',
    worker: { start: '2026-01-05', probationEnd: '2026-03-31', events: [individual('2026-03-31')] },
    expected: {
      status: 'on-track',
      due: '2026-04-28',
      latest: '2026-05-01',
      lastEvent: '2026-03-31',
      rules: ['probation'],
      setBy: byEvent('2026-03-31'),
    },
  },
  {
    // 26 Mar: due 23 Apr, latest 7 May. 1 Apr: monthly starts: due min(23 Apr, 1 May) = 23 Apr
    // (not pushed back), latest min(7 May, 1 May) = 1 May (brought forward).
    name: 'camden probation → monthly: due date not pushed back, latest brought forward',
    policy: 'camden',
    asOf: '2026-04-23',
    worker: { start: '2026-01-05', probationEnd: '2026-03-31', events: [individual('2026-03-26')] },
    expected: {
      status: 'due',
      due: '2026-04-23',
      latest: '2026-05-01',
      lastEvent: '2026-03-26',
      rules: ['probation'],
      setBy: byEvent('2026-03-26'),
    },
  },
  {
    name: 'camden probation → monthly: still due on the brought-forward latest date',
    policy: 'camden',
    asOf: '2026-05-01',
    worker: { start: '2026-01-05', probationEnd: '2026-03-31', events: [individual('2026-03-26')] },
    expected: {
      status: 'due',
      due: '2026-04-23',
      latest: '2026-05-01',
      lastEvent: '2026-03-26',
      rules: ['probation'],
      setBy: byEvent('2026-03-26'),
    },
  },
  {
    name: 'camden probation → monthly: overdue the day after the brought-forward latest',
    policy: 'camden',
    asOf: '2026-05-02',
    worker: { start: '2026-01-05', probationEnd: '2026-03-31', events: [individual('2026-03-26')] },
    expected: {
      status: 'overdue',
      due: '2026-04-23',
      latest: '2026-05-01',
      lastEvent: '2026-03-26',
      rules: ['probation'],
      setBy: byEvent('2026-03-26'),
    },
  },
  {
    // The day after probationEnd only monthly holds: 1 Apr ⊕ 1 month = 1 May, latest = due.
    name: 'camden probation → monthly: a supervision the day after probationEnd is monthly',
    policy: 'camden',
    asOf: '2026-04-10',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-03-31',
      events: [individual('2026-03-26'), individual('2026-04-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-05-01',
      latest: '2026-05-01',
      lastEvent: '2026-04-01',
      rules: ['monthly'],
      setBy: byEvent('2026-04-01'),
    },
  },
  // --- monthly (no probation, no early career)
  {
    // 31 Jan ⊕ 1 month = 28 Feb 2026.
    name: 'camden monthly, start on 31 Jan: due 28 Feb',
    policy: 'camden',
    asOf: '2026-02-10',
    worker: { start: '2026-01-31' },
    expected: {
      status: 'on-track',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: null,
      rules: ['monthly'],
      setBy: byStart('2026-01-31'),
    },
  },
  {
    // 31 Mar ⊕ 1 month = 30 Apr.
    name: 'camden monthly, supervision on 31 Mar: due 30 Apr',
    policy: 'camden',
    asOf: '2026-04-30',
    worker: { start: '2026-01-05', probationEnd: null, events: [individual('2026-03-31')] },
    expected: {
      status: 'due',
      due: '2026-04-30',
      latest: '2026-04-30',
      lastEvent: '2026-03-31',
      rules: ['monthly'],
      setBy: byEvent('2026-03-31'),
    },
  },
  {
    name: 'camden monthly, supervision on 31 Mar: overdue on 1 May',
    policy: 'camden',
    asOf: '2026-05-01',
    worker: { start: '2026-01-05', events: [individual('2026-03-31')] },
    expected: {
      status: 'overdue',
      due: '2026-04-30',
      latest: '2026-04-30',
      lastEvent: '2026-03-31',
      rules: ['monthly'],
      setBy: byEvent('2026-03-31'),
    },
  },
  {
    // 31 Jan 2028 ⊕ 1 month = 29 Feb 2028 (leap year).
    name: 'camden monthly, supervision on 31 Jan 2028: due 29 Feb',
    policy: 'camden',
    asOf: '2028-02-10',
    worker: { start: '2027-06-01', events: [individual('2028-01-31')] },
    expected: {
      status: 'on-track',
      due: '2028-02-29',
      latest: '2028-02-29',
      lastEvent: '2028-01-31',
      rules: ['monthly'],
      setBy: byEvent('2028-01-31'),
    },
  },
  {
    name: 'camden has no contract-review rule: no contract-review result',
    policy: 'camden',
    asOf: '2026-02-10',
    worker: { start: '2026-01-05', events: [contract('2026-01-05')] },
    requirement: 'contract-review',
    expected: null,
  },
  {
    name: 'camden, a group event is not a supervision',
    policy: 'camden',
    asOf: '2026-02-10',
    worker: { start: '2026-01-31', events: [group('2026-02-05')] },
    expected: {
      status: 'on-track',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: null,
      rules: ['monthly'],
      setBy: byStart('2026-01-31'),
    },
  },
  // --- early career, S = 5 Jan 2026, probationEnd 31 Dec 2026: weekly [5 Jan, 16 Feb),
  //     fortnightly [16 Feb, 16 Aug) (16 Feb ⊕ 6 months = 16 Aug), probation [16 Aug, 31 Dec].
  {
    // Only early-career-weekly holds on S (probation only where no earlier rule does):
    // due = latest = S + 7 d = 12 Jan.
    name: 'camden early career, no event: weekly only (probation does not apply)',
    policy: 'camden',
    asOf: '2026-01-10',
    worker: { start: '2026-01-05', probationEnd: '2026-12-31', earlyCareer: ec },
    expected: {
      status: 'on-track',
      due: '2026-01-12',
      latest: '2026-01-12',
      lastEvent: null,
      rules: ['early-career-weekly'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 9 Feb → 16 Feb; fortnightly starting on 16 Feb gives 2 Mar, later: 16 Feb stands.
    name: 'camden early career, fortnightly start does not push the date back',
    policy: 'camden',
    asOf: '2026-02-16',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-12-31',
      earlyCareer: ec,
      events: [individual('2026-02-09')],
    },
    expected: {
      status: 'due',
      due: '2026-02-16',
      latest: '2026-02-16',
      lastEvent: '2026-02-09',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-02-09'),
    },
  },
  {
    name: 'camden early career, first day of fortnightly: 14 d',
    policy: 'camden',
    asOf: '2026-02-20',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-12-31',
      earlyCareer: ec,
      events: [individual('2026-02-16')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-02',
      latest: '2026-03-02',
      lastEvent: '2026-02-16',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-02-16'),
    },
  },
  {
    // Camden's fortnightly phase runs to (S+42 d) ⊕ 6 months = 16 Aug, not S ⊕ 6 months
    // (5 Jul, four-weekly's bound): 10 Jul + 14 d = 24 Jul.
    name: 'camden early career, 10 Jul is still fortnightly (window anchored on S+42 d)',
    policy: 'camden',
    asOf: '2026-07-12',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-12-31',
      earlyCareer: ec,
      events: [individual('2026-07-10')],
    },
    expected: {
      status: 'on-track',
      due: '2026-07-24',
      latest: '2026-07-24',
      lastEvent: '2026-07-10',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-07-10'),
    },
  },
  {
    // 15 Aug → due = latest = 29 Aug. 16 Aug probation starts: due min(29 Aug, 16 Aug + 28 d =
    // 13 Sep) = 29 Aug; latest min(29 Aug, 16 Aug + 42 d = 27 Sep) = 29 Aug.
    name: 'camden early career → probation: the last fortnightly dates stand',
    policy: 'camden',
    asOf: '2026-08-20',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-12-31',
      earlyCareer: ec,
      events: [individual('2026-08-15')],
    },
    expected: {
      status: 'on-track',
      due: '2026-08-29',
      latest: '2026-08-29',
      lastEvent: '2026-08-15',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-08-15'),
    },
  },
  {
    name: 'camden early career → probation: overdue the day after the fortnightly date',
    policy: 'camden',
    asOf: '2026-08-30',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-12-31',
      earlyCareer: ec,
      events: [individual('2026-08-15')],
    },
    expected: {
      status: 'overdue',
      due: '2026-08-29',
      latest: '2026-08-29',
      lastEvent: '2026-08-15',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2026-08-15'),
    },
  },
  {
    // 16 Aug: probation only: 16 Aug + 28 d = 13 Sep, + 42 d = 27 Sep.
    name: 'camden early career → probation: first supervision in probation',
    policy: 'camden',
    asOf: '2026-08-20',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-12-31',
      earlyCareer: ec,
      events: [individual('2026-08-16')],
    },
    expected: {
      status: 'on-track',
      due: '2026-09-13',
      latest: '2026-09-27',
      lastEvent: '2026-08-16',
      rules: ['probation'],
      setBy: byEvent('2026-08-16'),
    },
  },
  {
    // S = 20 Jul 2026: S+42 d = 31 Aug 2026; ⊕ 6 months = 28 Feb 2027. 27 Feb: fortnightly,
    // 27 Feb + 14 d = 13 Mar.
    name: 'camden early career, month-end window end: 27 Feb is still fortnightly',
    policy: 'camden',
    asOf: '2027-03-01',
    worker: {
      start: '2026-07-20',
      earlyCareer: { start: '2026-07-20' },
      events: [individual('2027-02-27')],
    },
    expected: {
      status: 'on-track',
      due: '2027-03-13',
      latest: '2027-03-13',
      lastEvent: '2027-02-27',
      rules: ['early-career-fortnightly'],
      setBy: byEvent('2027-02-27'),
    },
  },
  {
    // 28 Feb 2027: monthly (no probation): 28 Feb ⊕ 1 month = 28 Mar.
    name: 'camden early career, month-end window end: 28 Feb is monthly',
    policy: 'camden',
    asOf: '2027-03-01',
    worker: {
      start: '2026-07-20',
      earlyCareer: { start: '2026-07-20' },
      events: [individual('2027-02-28')],
    },
    expected: {
      status: 'on-track',
      due: '2027-03-28',
      latest: '2027-03-28',
      lastEvent: '2027-02-28',
      rules: ['monthly'],
      setBy: byEvent('2027-02-28'),
    },
  },
  {
    // Programme ends 20 Jan. 19 Jan → 26 Jan (weekly). 21 Jan monthly starts: min(26 Jan,
    // 21 Feb) = 26 Jan.
    name: 'camden early career ended early: the weekly date stands',
    policy: 'camden',
    asOf: '2026-01-22',
    worker: {
      start: '2026-01-05',
      earlyCareer: { start: '2026-01-05', end: '2026-01-20' },
      events: [individual('2026-01-19')],
    },
    expected: {
      status: 'on-track',
      due: '2026-01-26',
      latest: '2026-01-26',
      lastEvent: '2026-01-19',
      rules: ['early-career-weekly'],
      setBy: byEvent('2026-01-19'),
    },
  },
  {
    // 23 Jan ⊕ 1 month = 23 Feb.
    name: 'camden early career ended early: monthly afterwards',
    policy: 'camden',
    asOf: '2026-01-25',
    worker: {
      start: '2026-01-05',
      earlyCareer: { start: '2026-01-05', end: '2026-01-20' },
      events: [individual('2026-01-19'), individual('2026-01-23')],
    },
    expected: {
      status: 'on-track',
      due: '2026-02-23',
      latest: '2026-02-23',
      lastEvent: '2026-01-23',
      rules: ['monthly'],
      setBy: byEvent('2026-01-23'),
    },
  },
  {
    name: 'camden, a worker who has left: no result',
    policy: 'camden',
    asOf: '2026-04-01',
    worker: { start: '2026-01-05', end: '2026-03-31', events: [individual('2026-03-20')] },
    expected: null,
  },
];

describeTables(
  [
    ['workers: four-weekly all-staff (spec §8 four-weekly, §3)', fourWeeklyAllStaff],
    [
      'workers: four-weekly early career (spec §8 four-weekly, §2 phases, §3, §4)',
      fourWeeklyEarlyCareer,
    ],
    ['workers: bimonthly (spec §8 bimonthly)', bimonthly],
    ['workers: leeds-schools all-staff and contract-review (spec §8 leeds-schools)', leeds],
    ['workers: camden, one rule at a time (spec §8 camden, §3.2)', camden],
  ],
  check,
);

// ---------------------------------------------------------------------------------------------
// A policy without worker rules: no result, and a warning for each worker in post on asOf
// (§7: "so that 'no result' is never mistaken for 'nothing due'").
// ---------------------------------------------------------------------------------------------
const warningCases: WarningCase<'worker', WorkerInput>[] = [
  {
    name: 'placement-led, a worker in post: a warning',
    policy: 'placement-led',
    asOf: '2026-02-10',
    worker: { start: '2026-01-05', events: [individual('2026-01-10')] },
    warned: true,
  },
  {
    name: 'placement-led, an early-career worker with a contract: a warning, still no result',
    policy: 'placement-led',
    asOf: '2026-02-10',
    worker: {
      start: '2026-01-05',
      probationEnd: '2026-06-30',
      earlyCareer: ec,
      events: [contract('2026-01-05')],
    },
    warned: true,
  },
  {
    name: 'placement-led, a worker whose end is asOf (still in post): a warning',
    policy: 'placement-led',
    asOf: '2026-03-31',
    worker: { start: '2026-01-05', end: '2026-03-31' },
    warned: true,
  },
  {
    name: 'placement-led, a worker whose end is before asOf: no warning',
    policy: 'placement-led',
    asOf: '2026-04-01',
    worker: { start: '2026-01-05', end: '2026-03-31' },
    warned: false,
  },
  {
    name: 'placement-led, a worker starting after asOf: no warning',
    policy: 'placement-led',
    asOf: '2026-01-04',
    worker: { start: '2026-01-05' },
    warned: false,
  },
];

describe('workers: a policy without worker rules (spec §8 placement-led, §7 warnings)', () => {
  it.each(warningCases)('$name', ({ policy, asOf, worker, warned }) => {
    checkWarned(report(policy, asOf, worker), 'worker', 'W1', policy, warned);
  });

  it('placement-led, several workers: one warning each for those in post, none for a leaver', () => {
    const doc = due('placement-led', '2026-04-01', {
      workers: [
        { id: 'W1', role: 'social-worker', start: '2026-01-05' },
        { id: 'W2', role: 'team-manager', start: '2025-01-05', end: '2026-03-31' },
        { id: 'W3', role: 'iro', start: '2024-06-01', end: '2026-04-01' },
      ],
    });
    expect(doc.results).toEqual([]);
    expect(
      doc.warnings
        .filter((w) => w.subject === 'worker')
        .map((w) => w.id)
        .sort(),
    ).toEqual(['W1', 'W3']);
  });
});

describe('workers: no result where no rule is in force (spec §3)', () => {
  it('four-weekly, a worker before start: no worker result of any family', () => {
    const doc = report('four-weekly', '2026-01-04', { start: '2026-01-05' });
    expect(doc.results.filter((r) => r.subject === 'worker')).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('leeds-schools, a worker after end: no worker result of any family', () => {
    const doc = report('leeds-schools', '2026-04-01', {
      start: '2026-01-05',
      end: '2026-03-31',
      events: [individual('2026-03-30'), contract('2026-03-30')],
    });
    expect(doc.results.filter((r) => r.subject === 'worker')).toEqual([]);
  });

  it('leeds-schools, a worker in post: exactly the two worker families', () => {
    const doc = report('leeds-schools', '2026-01-20', { start: '2026-01-05' });
    expect(doc.results.filter((r) => r.subject === 'worker').map((r) => r.requirement)).toEqual([
      'contract-review',
      'professional-supervision',
    ]);
  });
});
