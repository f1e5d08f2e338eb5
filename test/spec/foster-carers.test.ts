/**
 * Foster carer requirements (`foster-carer-supervision`) checked against spec/scheduling.md.
 * Every expected date below was derived by hand from the spec text (§2, §3, §4, §8
 * `four-weekly`), never copied from the engine's output.
 *
 * four-weekly: `children-placed` 28 d while at least one child is placed; `no-children-placed`
 * 2 months while none is placed. No other preset has foster-carer rules.
 */
import { describe, it } from 'vitest';
import { due } from '../support/due.js';
import {
  checkRuled,
  checkWarned,
  event as byEvent,
  start as byStart,
  type Clock,
  type WarningCase,
} from './builders.js';

interface Placement {
  start: string;
  end?: string | null;
}

interface CarerInput {
  start: string;
  end?: string | null;
  placements?: Placement[];
  events?: { date: string; kind: 'supervision' }[];
}

interface Case {
  name: string;
  asOf: string;
  carer: CarerInput;
  /** null: the spec says there is no result. */
  expected: Clock | null;
}

const supervision = (date: string) => ({ date, kind: 'supervision' as const });

function report(policy: string, asOf: string, carer: CarerInput) {
  return due(policy, asOf, { fosterCarers: [{ id: 'F1', ...carer }] });
}

const cases: Case[] = [
  {
    // §3.1: approved 5 Jan, none placed: no-children-placed, 5 Jan ⊕ 2 months = 5 Mar.
    name: 'approved, no child placed: 2 months after approval',
    asOf: '2026-01-20',
    carer: { start: '2026-01-05' },
    expected: {
      status: 'on-track',
      due: '2026-03-05',
      latest: '2026-03-05',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'approved, no child placed: status due on the due date',
    asOf: '2026-03-05',
    carer: { start: '2026-01-05' },
    expected: {
      status: 'due',
      due: '2026-03-05',
      latest: '2026-03-05',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'approved, no child placed: overdue the day after',
    asOf: '2026-03-06',
    carer: { start: '2026-01-05' },
    expected: {
      status: 'overdue',
      due: '2026-03-05',
      latest: '2026-03-05',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §2: 31 Dec 2025 ⊕ 2 months = 28 Feb 2026 (February is shorter).
    name: 'approved on 31 Dec, no child placed: due 28 Feb',
    asOf: '2026-01-10',
    carer: { start: '2025-12-31' },
    expected: {
      status: 'on-track',
      due: '2026-02-28',
      latest: '2026-02-28',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2025-12-31'),
    },
  },
  {
    // No child placed: 10 Jan ⊕ 2 months = 10 Mar.
    name: 'no child placed, after a supervision: 2 months',
    asOf: '2026-01-20',
    carer: { start: '2026-01-05', events: [supervision('2026-01-10')] },
    expected: {
      status: 'on-track',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: '2026-01-10',
      rules: ['no-children-placed'],
      setBy: byEvent('2026-01-10'),
    },
  },
  {
    // Placement from the approval date: children-placed only: 5 Jan + 28 d = 2 Feb.
    name: 'a child placed from approval: 28 d',
    asOf: '2026-01-20',
    carer: { start: '2026-01-05', placements: [{ start: '2026-01-05' }] },
    expected: {
      status: 'on-track',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 10 Feb + 28 d = 10 Mar.
    name: 'a child placed, after a supervision: 28 d',
    asOf: '2026-02-20',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05' }],
      events: [supervision('2026-02-10')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: '2026-02-10',
      rules: ['children-placed'],
      setBy: byEvent('2026-02-10'),
    },
  },
  {
    name: 'a child placed: overdue on day 29',
    asOf: '2026-03-11',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05' }],
      events: [supervision('2026-02-10')],
    },
    expected: {
      status: 'overdue',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: '2026-02-10',
      rules: ['children-placed'],
      setBy: byEvent('2026-02-10'),
    },
  },
  {
    // §3.2: due 5 Mar (no-children-placed); first placement on 1 Feb: children-placed starts,
    // due = min(5 Mar, 1 Feb + 28 d = 1 Mar) = 1 Mar, set by that start.
    name: 'first placement brings the date forward',
    asOf: '2026-02-10',
    carer: { start: '2026-01-05', placements: [{ start: '2026-02-01' }] },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: null,
      rules: ['children-placed'],
      setBy: byStart('2026-02-01'),
    },
  },
  {
    // 10 Jan → 10 Mar (no-children-placed). Placement 15 Feb: min(10 Mar, 15 Mar) = 10 Mar: the
    // new placement does not push the date back.
    name: 'first placement does not push the date back',
    asOf: '2026-02-20',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-02-15' }],
      events: [supervision('2026-01-10')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: '2026-01-10',
      rules: ['no-children-placed'],
      setBy: byEvent('2026-01-10'),
    },
  },
  {
    // Placement 1 Feb gives 1 Mar; the supervision on 1 Feb (same date, after the rule change):
    // 1 Feb + 28 d = 1 Mar, set by the event.
    name: 'a supervision on the day of the first placement: children-placed from that event',
    asOf: '2026-02-10',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-02-01' }],
      events: [supervision('2026-02-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-01',
      latest: '2026-03-01',
      lastEvent: '2026-02-01',
      rules: ['children-placed'],
      setBy: byEvent('2026-02-01'),
    },
  },
  {
    // 15 Feb → 15 Mar. A second placement begins on 20 Feb while the first is open: the rule
    // starts again (§3.2) but min(15 Mar, 20 Feb + 28 d = 20 Mar) = 15 Mar.
    name: 'a new placement while another is open: restarts but cannot push the date back',
    asOf: '2026-02-25',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05' }, { start: '2026-02-20' }],
      events: [supervision('2026-02-15')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-15',
      latest: '2026-03-15',
      lastEvent: '2026-02-15',
      rules: ['children-placed'],
      setBy: byEvent('2026-02-15'),
    },
  },
  {
    // First placement 5 Jan → 2 Feb; second 20 Jan → min(2 Feb, 17 Feb) = 2 Feb, still set by
    // the first start.
    name: 'a new placement while another is open, no supervision: first start still sets it',
    asOf: '2026-02-03',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05' }, { start: '2026-01-20' }],
    },
    expected: {
      status: 'overdue',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // Back-to-back placements: a child is placed every day, no-children-placed never starts.
    name: 'back-to-back placements: children-placed throughout',
    asOf: '2026-02-25',
    carer: {
      start: '2026-01-05',
      placements: [
        { start: '2026-01-05', end: '2026-02-19' },
        { start: '2026-02-20', end: null },
      ],
      events: [supervision('2026-02-15')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-15',
      latest: '2026-03-15',
      lastEvent: '2026-02-15',
      rules: ['children-placed'],
      setBy: byEvent('2026-02-15'),
    },
  },
  {
    // Placement ends 31 Mar. 20 Mar → 17 Apr. On 1 Apr no-children-placed starts:
    // min(17 Apr, 1 Apr ⊕ 2 months = 1 Jun) = 17 Apr; rules still name children-placed (§4).
    name: 'placement ended: due = min(existing, T ⊕ 2 months), rules name the stopped rule',
    asOf: '2026-04-10',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05', end: '2026-03-31' }],
      events: [supervision('2026-03-20')],
    },
    expected: {
      status: 'on-track',
      due: '2026-04-17',
      latest: '2026-04-17',
      lastEvent: '2026-03-20',
      rules: ['children-placed'],
      setBy: byEvent('2026-03-20'),
    },
  },
  {
    // 20 Apr, none placed: 20 Apr ⊕ 2 months = 20 Jun.
    name: 'placement ended: the next supervision is on no-children-placed',
    asOf: '2026-04-25',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05', end: '2026-03-31' }],
      events: [supervision('2026-03-20'), supervision('2026-04-20')],
    },
    expected: {
      status: 'on-track',
      due: '2026-06-20',
      latest: '2026-06-20',
      lastEvent: '2026-04-20',
      rules: ['no-children-placed'],
      setBy: byEvent('2026-04-20'),
    },
  },
  {
    // The end date is inside the placement (§2): 31 Mar + 28 d = 28 Apr; 1 Apr: min(28 Apr,
    // 1 Jun) = 28 Apr.
    name: 'a supervision on the placement end date is children-placed',
    asOf: '2026-04-01',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05', end: '2026-03-31' }],
      events: [supervision('2026-03-31')],
    },
    expected: {
      status: 'on-track',
      due: '2026-04-28',
      latest: '2026-04-28',
      lastEvent: '2026-03-31',
      rules: ['children-placed'],
      setBy: byEvent('2026-03-31'),
    },
  },
  {
    // 1 Apr ⊕ 2 months = 1 Jun.
    name: 'a supervision the day after the placement ends is no-children-placed',
    asOf: '2026-04-02',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05', end: '2026-03-31' }],
      events: [supervision('2026-04-01')],
    },
    expected: {
      status: 'on-track',
      due: '2026-06-01',
      latest: '2026-06-01',
      lastEvent: '2026-04-01',
      rules: ['no-children-placed'],
      setBy: byEvent('2026-04-01'),
    },
  },
  {
    // Placement 5-20 Jan, no supervision: due 2 Feb from the start; 21 Jan no-children-placed:
    // min(2 Feb, 21 Mar) = 2 Feb.
    name: 'short placement, no supervision: the children-placed date stands and is missed',
    asOf: '2026-02-03',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05', end: '2026-01-20' }],
    },
    expected: {
      status: 'overdue',
      due: '2026-02-02',
      latest: '2026-02-02',
      lastEvent: null,
      rules: ['children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // §2: a placement starting after asOf is ignored: still no-children-placed, 5 Mar.
    name: 'a placement starting after asOf is ignored',
    asOf: '2026-02-15',
    carer: { start: '2026-01-05', placements: [{ start: '2026-03-01' }] },
    expected: {
      status: 'on-track',
      due: '2026-03-05',
      latest: '2026-03-05',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'a supervision before approval counts for nothing',
    asOf: '2026-01-20',
    carer: { start: '2026-01-05', events: [supervision('2025-12-20')] },
    expected: {
      status: 'on-track',
      due: '2026-03-05',
      latest: '2026-03-05',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    name: 'a supervision after asOf counts for nothing',
    asOf: '2026-01-20',
    carer: { start: '2026-01-05', events: [supervision('2026-01-25')] },
    expected: {
      status: 'on-track',
      due: '2026-03-05',
      latest: '2026-03-05',
      lastEvent: null,
      rules: ['no-children-placed'],
      setBy: byStart('2026-01-05'),
    },
  },
  {
    // 10 Feb + 28 d = 10 Mar, counted once.
    name: 'two supervisions on one date count once',
    asOf: '2026-02-20',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05' }],
      events: [supervision('2026-02-10'), supervision('2026-02-10')],
    },
    expected: {
      status: 'on-track',
      due: '2026-03-10',
      latest: '2026-03-10',
      lastEvent: '2026-02-10',
      rules: ['children-placed'],
      setBy: byEvent('2026-02-10'),
    },
  },
  {
    // Approval ends 31 Mar (inclusive): still a result on 31 Mar. 20 Mar + 28 d = 17 Apr.
    name: 'approval ending: still a result on the end date',
    asOf: '2026-03-31',
    carer: {
      start: '2026-01-05',
      end: '2026-03-31',
      placements: [{ start: '2026-01-05' }],
      events: [supervision('2026-03-20')],
    },
    expected: {
      status: 'on-track',
      due: '2026-04-17',
      latest: '2026-04-17',
      lastEvent: '2026-03-20',
      rules: ['children-placed'],
      setBy: byEvent('2026-03-20'),
    },
  },
  {
    name: 'approval ended: no result the day after',
    asOf: '2026-04-01',
    carer: {
      start: '2026-01-05',
      end: '2026-03-31',
      placements: [{ start: '2026-01-05' }],
      events: [supervision('2026-03-20'), supervision('2026-04-01')],
    },
    expected: null,
  },
  {
    name: 'not yet approved: no result',
    asOf: '2026-01-04',
    carer: { start: '2026-01-05' },
    expected: null,
  },
];

describe('foster carers: four-weekly (spec §8 four-weekly, §3, §4)', () => {
  it.each(cases)('$name', ({ asOf, carer, expected }) => {
    // four-weekly has foster-carer rules: never a foster-carer warning.
    const doc = report('four-weekly', asOf, carer);
    checkRuled(doc, 'fosterCarer', 'F1', 'foster-carer-supervision', expected);
  });
});

// ---------------------------------------------------------------------------------------------
// A policy without foster-carer rules: no result, and a warning for an approved carer (§7).
// ---------------------------------------------------------------------------------------------
const warningCases: WarningCase<'carer', CarerInput>[] = [
  {
    name: 'camden, an approved carer with a child placed: a warning',
    policy: 'camden',
    asOf: '2026-02-10',
    carer: {
      start: '2026-01-05',
      placements: [{ start: '2026-01-05' }],
      events: [supervision('2026-01-20')],
    },
    warned: true,
  },
  {
    name: 'camden, an approved carer with no child placed: a warning',
    policy: 'camden',
    asOf: '2026-02-10',
    carer: { start: '2026-01-05' },
    warned: true,
  },
  {
    name: 'bimonthly, an approved carer: a warning',
    policy: 'bimonthly',
    asOf: '2026-02-10',
    carer: { start: '2026-01-05' },
    warned: true,
  },
  {
    name: 'placement-led, an approved carer: a warning',
    policy: 'placement-led',
    asOf: '2026-02-10',
    carer: { start: '2026-01-05' },
    warned: true,
  },
  {
    name: 'leeds-schools, an approved carer: a warning',
    policy: 'leeds-schools',
    asOf: '2026-02-10',
    carer: { start: '2026-01-05' },
    warned: true,
  },
  {
    name: 'camden, approval ending on asOf (still approved): a warning',
    policy: 'camden',
    asOf: '2026-03-31',
    carer: { start: '2026-01-05', end: '2026-03-31' },
    warned: true,
  },
  {
    name: 'camden, approval ended before asOf: no warning',
    policy: 'camden',
    asOf: '2026-04-01',
    carer: { start: '2026-01-05', end: '2026-03-31' },
    warned: false,
  },
  {
    name: 'camden, approval starting after asOf: no warning',
    policy: 'camden',
    asOf: '2026-01-04',
    carer: { start: '2026-01-05' },
    warned: false,
  },
];

describe('foster carers: a policy without foster-carer rules (spec §7 warnings)', () => {
  it.each(warningCases)('$name', ({ policy, asOf, carer, warned }) => {
    checkWarned(report(policy, asOf, carer), 'fosterCarer', 'F1', policy, warned);
  });
});
