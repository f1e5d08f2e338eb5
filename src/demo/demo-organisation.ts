import {
  addMonths,
  birthday,
  fromYmd,
  isoWeekday,
  parseIsoDate,
  toIsoDate,
  yearOf,
  type CalendarDate,
} from '../domain/dates/index.js';
import type {
  ChildRecord,
  DatedEvent,
  FosterCarerRecord,
  OrganisationSnapshot,
  PersonRecord,
  ServiceRecord,
  TeamRecord,
} from '../domain/organisation/snapshot.js';
import type {
  InvolvementType,
  LegalType,
  PlacementType,
  RiskLevel,
  WorkerRole,
} from '../domain/scheduling/vocabulary.js';

/**
 * The demo organisation: a made-up council with four services, a dozen teams, about 150 staff,
 * 2,500 children with three years of history, and foster carers, generated from `today` and a
 * seed alone (no clock, no Math.random), so that the same options always give the same council.
 *
 * The supervision history is drawn so that, under the `four-weekly` preset on `today`, most
 * cases and workers are on track and a realistic minority is overdue, in every team. Where
 * a case or worker should end up is chosen first (its "target"), and its events are laid
 * backwards from the last one, so the mix is controlled rather than hoped for.
 */

export const DEMO_PASSWORD = 'oversight-demo';

export interface DemoAccount {
  email: string;
  personId: string | null;
  access: 'staff' | 'quality-assurance' | 'administrator';
  description: string;
}

export interface DemoOrganisation {
  snapshot: OrganisationSnapshot;
  accounts: DemoAccount[];
  policyId: 'four-weekly';
}

export const DEMO_ACCOUNT_EMAILS = {
  admin: 'admin@demo.example',
  director: 'director@demo.example',
  headOfService: 'hos@demo.example',
  teamManager: 'tm@demo.example',
  socialWorker: 'sw@demo.example',
  qualityAssurance: 'qa@demo.example',
} as const;

const DEFAULT_SEED = 20_240_401;
const CHILDREN = 2_500;
const FOSTER_CARERS = 30;
const YEAR = 365;

export function generateDemoOrganisation(options: {
  today: string /* YYYY-MM-DD */;
  seed?: number;
}): DemoOrganisation {
  return new DemoGenerator(parseIsoDate(options.today), options.seed ?? DEFAULT_SEED).generate();
}

// ---------------------------------------------------------------------------------------------
// Randomness: mulberry32, one stream for the whole organisation.

class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [lo, hi]; lo when the range is empty. */
  int(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let x = this.next() * total;
    for (const [value, weight] of entries) {
      x -= weight;
      if (x < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// The council's shape.

const SERVICES = {
  earlyHelp: { id: 'svc-early-help', name: 'Early Help' },
  assessment: {
    id: 'svc-assessment-child-protection',
    name: 'Assessment and Child Protection',
  },
  inCare: { id: 'svc-children-in-care', name: 'Children in Care and Care Leavers' },
  fostering: { id: 'svc-fostering', name: 'Fostering' },
} as const satisfies Record<string, ServiceRecord>;

interface TeamSpec {
  id: string;
  name: string;
  serviceId: string;
  groupSupervision: boolean;
  advanced: number;
  social: number;
  familySupport?: number;
  /** Personal advisers (role `other`), who hold care leavers' cases. */
  advisers?: number;
  residential?: number;
}

const TEAM = {
  ehNorth: 'team-early-help-north',
  ehCentral: 'team-early-help-central',
  ehSouth: 'team-early-help-south',
  assessment1: 'team-assessment-1',
  assessment2: 'team-assessment-2',
  safeguardingEast: 'team-safeguarding-east',
  safeguardingWest: 'team-safeguarding-west',
  inCare1: 'team-children-in-care-1',
  inCare2: 'team-children-in-care-2',
  careLeavers: 'team-care-leavers',
  fosteringSupport: 'team-fostering-support',
  permanence: 'team-adoption-permanence',
} as const;

const TEAMS: readonly TeamSpec[] = [
  {
    id: TEAM.ehNorth,
    name: 'Early Help North',
    serviceId: SERVICES.earlyHelp.id,
    groupSupervision: false,
    advanced: 1,
    social: 3,
    familySupport: 6,
  },
  {
    id: TEAM.ehCentral,
    name: 'Early Help Central',
    serviceId: SERVICES.earlyHelp.id,
    groupSupervision: true,
    advanced: 1,
    social: 3,
    familySupport: 6,
  },
  {
    id: TEAM.ehSouth,
    name: 'Early Help South',
    serviceId: SERVICES.earlyHelp.id,
    groupSupervision: false,
    advanced: 1,
    social: 3,
    familySupport: 6,
  },
  {
    id: TEAM.assessment1,
    name: 'Assessment Team 1',
    serviceId: SERVICES.assessment.id,
    groupSupervision: true,
    advanced: 1,
    social: 6,
  },
  {
    id: TEAM.assessment2,
    name: 'Assessment Team 2',
    serviceId: SERVICES.assessment.id,
    groupSupervision: false,
    advanced: 1,
    social: 6,
  },
  {
    id: TEAM.safeguardingEast,
    name: 'Safeguarding East',
    serviceId: SERVICES.assessment.id,
    groupSupervision: true,
    advanced: 2,
    social: 12,
  },
  {
    id: TEAM.safeguardingWest,
    name: 'Safeguarding West',
    serviceId: SERVICES.assessment.id,
    groupSupervision: true,
    advanced: 2,
    social: 12,
  },
  {
    id: TEAM.inCare1,
    name: 'Children in Care 1',
    serviceId: SERVICES.inCare.id,
    groupSupervision: true,
    advanced: 1,
    social: 9,
    residential: 2,
  },
  {
    id: TEAM.inCare2,
    name: 'Children in Care 2',
    serviceId: SERVICES.inCare.id,
    groupSupervision: false,
    advanced: 1,
    social: 9,
    residential: 1,
  },
  {
    id: TEAM.careLeavers,
    name: 'Care Leavers',
    serviceId: SERVICES.inCare.id,
    groupSupervision: false,
    advanced: 1,
    social: 3,
    advisers: 6,
  },
  {
    id: TEAM.fosteringSupport,
    name: 'Fostering Support',
    serviceId: SERVICES.fostering.id,
    groupSupervision: true,
    advanced: 1,
    social: 6,
  },
  {
    id: TEAM.permanence,
    name: 'Adoption and Permanence',
    serviceId: SERVICES.fostering.id,
    groupSupervision: false,
    advanced: 1,
    social: 4,
  },
];

const EARLY_HELP_TEAMS = [TEAM.ehNorth, TEAM.ehCentral, TEAM.ehSouth] as const;
const ASSESSMENT_TEAMS = [TEAM.assessment1, TEAM.assessment2] as const;
const SAFEGUARDING_TEAMS = [TEAM.safeguardingEast, TEAM.safeguardingWest] as const;
const IN_CARE_TEAMS = [TEAM.inCare1, TEAM.inCare2] as const;

/** Made-up names: plausible, but no one should mistake them for a real person's. */
// prettier-ignore
const FIRST_NAMES = [
  'Ada', 'Alex', 'Amani', 'Ari', 'Bea', 'Bram', 'Callum', 'Cara', 'Cleo', 'Dara', 'Dev', 'Devi',
  'Eden', 'Elif', 'Elsie', 'Ezra', 'Farah', 'Femi', 'Finn', 'Gus', 'Gwen', 'Hana', 'Idris',
  'Imogen', 'Ivy', 'Jago', 'Jess', 'Jude', 'Kai', 'Kezia', 'Kit', 'Lark', 'Lena', 'Leon', 'Mabli',
  'Malik', 'Maya', 'Milo', 'Nell', 'Nia', 'Niko', 'Noor', 'Orla', 'Otto', 'Owen', 'Pia', 'Priya',
  'Quinn', 'Rafi', 'Remy', 'Rhea', 'Rory', 'Sami', 'Sana', 'Tamsin', 'Theo', 'Tova', 'Uma', 'Vik',
  'Wren', 'Yara', 'Zain', 'Zoe', 'Zara',
] as const;

// prettier-ignore
const SURNAMES = [
  'Amberley', 'Ashdown', 'Bellhaven', 'Birchcombe', 'Brackenbury', 'Bramblewick', 'Candlewood',
  'Cobbleworth', 'Dapplemere', 'Dovecote', 'Dunmorrow', 'Elderbrook', 'Emberton', 'Fairbairn',
  'Fernsby', 'Foxmoor', 'Gildermoor', 'Glimmerdale', 'Greystone', 'Harrowfield', 'Heathcote',
  'Hollowell', 'Inglewood', 'Ivesdale', 'Jessamy', 'Juniper', 'Kestrelton', 'Kingsmere',
  'Larkhill', 'Lindenshaw', 'Mapleford', 'Mossbank', 'Nettlefold', 'Northbrook', 'Oakhollow',
  'Orchardson', 'Pebbleton', 'Primrose', 'Quarrington', 'Quillby', 'Ravensworth', 'Rookwell',
  'Saltmarsh', 'Silverdale', 'Thistledown', 'Tumbleton', 'Umberfield', 'Underwood', 'Valemont',
  'Vellacott', 'Willowmere', 'Wrenfield', 'Yarrowby', 'Yewbank', 'Zephyrton', 'Ashgrove',
] as const;

// ---------------------------------------------------------------------------------------------
// Working records: dates as day numbers until the snapshot is written.

type Day = number;
type Target = 'on-track' | 'due' | 'overdue';
type Lean = 'earlier' | 'later' | 'exact';

interface Ev<K extends string> {
  date: Day;
  kind: K;
}

interface Span {
  start: Day;
  end: Day | null;
}

interface Involvement extends Span {
  type: InvolvementType;
}

interface Placement extends Span {
  type: PlacementType;
  stableFrom: Day | null;
}

interface Legal extends Span {
  type: LegalType;
}

interface Allocation extends Span {
  workerId: string | null;
  teamId: string;
}

type ChildKind = 'case-supervision' | 'group-supervision' | 'management-oversight';
type WorkerKind = 'individual' | 'group' | 'contract';

interface Worker extends Span {
  id: string;
  name: string;
  email: string;
  role: WorkerRole;
  teamId: string | null;
  serviceId: string | null;
  lineManagerId: string | null;
  probationEnd: Day | null;
  earlyCareer: Span | null;
  /** How much of a caseload the person carries (0: none). */
  caseWeight: number;
  target: Target;
  events: Ev<WorkerKind>[];
}

interface Team extends Span {
  spec: TeamSpec;
  events: Ev<'group'>[];
  /** The team's group session dates, ascending. */
  sessions: Day[];
}

interface Child {
  id: string;
  name: string;
  dob: Day | null;
  involvements: Involvement[];
  placements: Placement[];
  legal: Legal[];
  risk: { level: RiskLevel; from: Day }[];
  allocations: Allocation[];
  events: Ev<ChildKind>[];
  locality: number;
  area: number;
  privateFostering: boolean;
  /** Where the open case's supervision should stand on `today` (null: closed). */
  target: Target | null;
}

interface Carer extends Span {
  id: string;
  name: string;
  supervisingWorkerId: string | null;
  placements: Span[];
  events: Ev<'supervision'>[];
}

type ChildState =
  | 'early-help'
  | 'assessment'
  | 'cin'
  | 'cp'
  | 'cwd'
  | 'private-fostering'
  | 'cla'
  | 'care-leaver'
  | 'closed';

/** The children open on `today`, by where they are, and the closed ones (per 1,000). */
const CHILD_STATES: readonly (readonly [ChildState, number])[] = [
  ['early-help', 150],
  ['assessment', 60],
  ['cin', 80],
  ['cp', 60],
  ['cwd', 12],
  ['private-fostering', 6],
  ['cla', 130],
  ['care-leaver', 70],
  ['closed', 432],
];

type ClosedPath =
  | 'early-help'
  | 'no-further-action'
  | 'assessment-cin'
  | 'assessment-cp-cin'
  | 'assessment-early-help'
  | 'early-help-assessment'
  | 'cla-home'
  | 'cla-adopted'
  | 'care-leaver'
  | 'cwd'
  | 'private-fostering';

const CLOSED_PATHS: readonly (readonly [ClosedPath, number])[] = [
  ['early-help', 34],
  ['no-further-action', 25],
  ['assessment-cin', 15],
  ['assessment-cp-cin', 8],
  ['assessment-early-help', 5],
  ['early-help-assessment', 2],
  ['cla-home', 4],
  ['cla-adopted', 2],
  ['care-leaver', 3],
  ['cwd', 1],
  ['private-fostering', 1],
];

/** Typical days between case supervisions, by involvement, under a four-weekly practice. */
const CASE_RHYTHM: Record<InvolvementType, number> = {
  'early-help': 32,
  assessment: 30,
  cin: 28,
  cp: 28,
  cla: 28,
  'care-leaver': 56,
  'cwd-review': 91,
};

/** The longest a last supervision can be ago while the case is still on track (four-weekly). */
const ON_TRACK_WITHIN: Record<InvolvementType, number> = {
  'early-help': 27,
  assessment: 27,
  cin: 27,
  cp: 27,
  cla: 27,
  'care-leaver': 55,
  'cwd-review': 88,
};

/** Days after the last supervision from which the case is surely overdue (four-weekly). */
const OVERDUE_AFTER: Record<InvolvementType, number> = {
  'early-help': 42,
  assessment: 31,
  cin: 31,
  cp: 31,
  cla: 31,
  'care-leaver': 56,
  'cwd-review': 92,
};

function lastOf<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

// ---------------------------------------------------------------------------------------------

class DemoGenerator {
  private readonly r: Random;
  /** The start of the three years of history. */
  private readonly historyStart: Day;
  /** Events are laid from shortly before the history starts. */
  private readonly eventsFrom: Day;
  private readonly teamsStart: Day;

  private readonly people: Worker[] = [];
  private readonly teams = new Map<string, Team>();
  private readonly children: Child[] = [];
  private readonly carers: Carer[] = [];
  private readonly holders = new Map<string, Worker[]>();
  private readonly usedNames = new Set<string>();
  private readonly isoCache = new Map<Day, string>();

  private director!: Worker;
  private assistantDirector!: Worker;
  private readonly heads = new Map<string, Worker>();
  private readonly managers = new Map<string, Worker>();
  private socialWorker!: Worker;
  private qualityOfficer!: Worker;

  constructor(
    private readonly today: Day,
    seed: number,
  ) {
    this.r = new Random(seed);
    this.historyStart = this.months(today, -36);
    this.eventsFrom = this.historyStart - 60;
    this.teamsStart = fromYmd(yearOf(today as CalendarDate) - 9, 4, 1);
  }

  generate(): DemoOrganisation {
    this.buildTeams();
    this.buildPeople();
    this.buildChildren();
    this.allocateChildren();
    this.balanceSocialWorker();
    this.chooseChildTargets();
    this.teamEvents();
    this.workerEvents();
    for (const child of this.children) this.childEvents(child);
    this.buildCarers();
    return {
      snapshot: this.snapshot(),
      accounts: this.accounts(),
      policyId: 'four-weekly',
    };
  }

  // -- dates ------------------------------------------------------------------------------------

  private months(date: Day, n: number): Day {
    return addMonths(date as CalendarDate, n);
  }

  private yearsAgo(lo: number, hi: number): Day {
    return this.today - this.r.int(Math.round(lo * YEAR), Math.round(hi * YEAR));
  }

  private iso(date: Day): string {
    let text = this.isoCache.get(date);
    if (text === undefined) {
      text = toIsoDate(date as CalendarDate);
      this.isoCache.set(date, text);
    }
    return text;
  }

  private isoOrNull(date: Day | null): string | null {
    return date === null ? null : this.iso(date);
  }

  /** A typical gap between sessions held about every `base` days: mostly a little early. */
  private step(base: number): number {
    const spread = Math.max(1, Math.round(base * 0.3));
    return this.r.chance(0.88) ? base - this.r.int(0, spread) : base + this.r.int(1, spread * 2);
  }

  /**
   * A weekday near `date`: a weekend moves to the Friday before or, leaning later, the Monday
   * after (never before `from` nor after today). The lean is chosen so that moving the last
   * session cannot change the status it was chosen for; `exact` keeps the date.
   */
  private weekday(date: Day, lean: Lean, from: Day): Day {
    const w = isoWeekday(date as CalendarDate);
    if (lean === 'exact' || w < 6) return date;
    const friday = date - (w - 5);
    const monday = date + (8 - w);
    for (const d of lean === 'later' ? [monday, friday] : [friday, monday]) {
      if (d >= from && d <= this.today) return d;
    }
    return date;
  }

  /**
   * Session dates (weekdays) from `last` back to `from`, each gap set by the rhythm on its date;
   * `lean` says which way the last one may move off a weekend.
   */
  private backfill(from: Day, last: Day, rhythm: (date: Day) => number, lean: Lean): Day[] {
    const dates: Day[] = [];
    if (last < from) return dates;
    dates.push(this.weekday(last, lean, from));
    for (let d = last - this.step(rhythm(last)); d >= from; d -= this.step(rhythm(d))) {
      dates.push(this.weekday(d, 'earlier', from));
    }
    return dates.reverse();
  }

  // -- structure --------------------------------------------------------------------------------

  private buildTeams(): void {
    for (const spec of TEAMS) {
      this.teams.set(spec.id, {
        spec,
        start: this.teamsStart,
        end: null,
        events: [],
        sessions: [],
      });
      this.holders.set(spec.id, []);
    }
  }

  private newName(): { first: string; last: string } {
    for (;;) {
      const first = this.r.pick(FIRST_NAMES);
      const last = this.r.pick(SURNAMES);
      const key = `${first} ${last}`;
      if (!this.usedNames.has(key)) {
        this.usedNames.add(key);
        return { first, last };
      }
    }
  }

  private person(
    role: WorkerRole,
    where: { teamId?: string; serviceId?: string },
    lineManagerId: string | null,
    start: Day,
    extra: { email?: string; caseWeight?: number; end?: Day } = {},
  ): Worker {
    const { first, last } = this.newName();
    const worker: Worker = {
      id: `W${String(this.people.length + 1).padStart(4, '0')}`,
      name: `${first} ${last}`,
      email: extra.email ?? `${first}.${last}@demo.example`.toLowerCase(),
      role,
      teamId: where.teamId ?? null,
      serviceId: where.serviceId ?? null,
      lineManagerId,
      start,
      end: extra.end ?? null,
      probationEnd: null,
      earlyCareer: null,
      caseWeight: extra.caseWeight ?? 0,
      target: 'on-track',
      events: [],
    };
    this.people.push(worker);
    if (worker.teamId !== null && worker.caseWeight > 0) {
      this.holders.get(worker.teamId)?.push(worker);
    }
    return worker;
  }

  /** Start dates spread over years: some new, most settled, some long-serving. */
  private practitionerStart(): Day {
    const [lo, hi] = this.r.weighted<readonly [number, number]>([
      [[0.5, 2], 30],
      [[2, 6], 40],
      [[6, 14], 30],
    ]);
    return this.yearsAgo(lo, hi);
  }

  private buildPeople(): void {
    const e = DEMO_ACCOUNT_EMAILS;
    this.director = this.person('director', {}, null, this.yearsAgo(3, 7));
    this.assistantDirector = this.person(
      'assistant-director',
      {},
      this.director.id,
      this.yearsAgo(4, 9),
      { email: e.director },
    );
    for (const service of Object.values(SERVICES)) {
      const head = this.person(
        'head-of-service',
        { serviceId: service.id },
        this.assistantDirector.id,
        this.yearsAgo(3, 10),
        service.id === SERVICES.assessment.id ? { email: e.headOfService } : {},
      );
      this.heads.set(service.id, head);
    }

    const socialWorkers: Worker[] = [];
    const newStarterPool: Worker[] = [];
    for (const spec of TEAMS) {
      const head = this.heads.get(spec.serviceId);
      const isTmTeam = spec.id === TEAM.safeguardingEast;
      const manager = this.person(
        'team-manager',
        { teamId: spec.id },
        head?.id ?? null,
        isTmTeam ? this.yearsAgo(4, 6) : this.yearsAgo(2, 9),
        isTmTeam ? { email: e.teamManager } : {},
      );
      this.managers.set(spec.id, manager);
      const team = { teamId: spec.id };
      const advanced: Worker[] = [];
      for (let i = 0; i < spec.advanced; i++) {
        advanced.push(
          this.person('advanced-practitioner', team, manager.id, this.yearsAgo(3, 12), {
            caseWeight: 0.5,
          }),
        );
      }
      const practitioners: Worker[] = [];
      for (let i = 0; i < spec.social; i++) {
        const isSw = isTmTeam && i === 0;
        const worker = this.person(
          'social-worker',
          team,
          manager.id,
          isSw ? this.yearsAgo(4, 7) : this.practitionerStart(),
          isSw ? { email: e.socialWorker, caseWeight: 1 } : { caseWeight: 1 },
        );
        if (isSw) {
          this.socialWorker = worker;
        } else {
          practitioners.push(worker);
          socialWorkers.push(worker);
        }
      }
      for (let i = 0; i < (spec.familySupport ?? 0); i++) {
        const worker = this.person(
          'family-support-worker',
          team,
          manager.id,
          this.practitionerStart(),
          {
            caseWeight: 1,
          },
        );
        practitioners.push(worker);
        newStarterPool.push(worker);
      }
      for (let i = 0; i < (spec.advisers ?? 0); i++) {
        const worker = this.person('other', team, manager.id, this.practitionerStart(), {
          caseWeight: 1,
        });
        practitioners.push(worker);
        newStarterPool.push(worker);
      }
      for (let i = 0; i < (spec.residential ?? 0); i++) {
        this.person('residential-worker', team, manager.id, this.practitionerStart());
      }
      // Advanced practitioners supervise two or three practitioners each; the rest, the manager.
      const supervisees = this.r.shuffle([...practitioners]);
      for (const ap of advanced) {
        for (let k = this.r.int(2, 3); k > 0; k--) {
          const worker = supervisees.pop();
          if (worker !== undefined) worker.lineManagerId = ap.id;
        }
      }
    }

    // Early career: about 17% of social workers in their first year (a few in their first six
    // weeks), and some who finished the programme in the last few years.
    const pool = this.r.shuffle([...socialWorkers]);
    const current = Math.round((socialWorkers.length + 1) * 0.17);
    pool.slice(0, current).forEach((worker, index) => {
      const start = this.today - (index < 3 ? this.r.int(3, 38) : this.r.int(45, 350));
      worker.start = start;
      worker.earlyCareer = { start, end: null };
      worker.caseWeight = 0.5;
    });
    for (const worker of pool.slice(current, current + 6)) {
      const start = this.today - this.r.int(400, 1000);
      worker.start = start;
      worker.earlyCareer = { start, end: this.months(start, 12) };
    }
    // A few experienced new starters, still on probation.
    for (const worker of this.r.shuffle(newStarterPool).slice(0, 3)) {
      worker.start = this.today - this.r.int(20, 150);
    }

    // Leavers: their cases were reallocated when they left.
    const leaverTeams = [
      TEAM.ehNorth,
      TEAM.ehSouth,
      TEAM.assessment1,
      TEAM.assessment2,
      TEAM.safeguardingEast,
      TEAM.safeguardingWest,
      TEAM.safeguardingWest,
      TEAM.inCare1,
      TEAM.inCare2,
      TEAM.careLeavers,
    ];
    for (const teamId of leaverTeams) {
      const end = this.today - this.r.int(20, 900);
      const start = end - this.r.int(400, 3000);
      const role: WorkerRole = EARLY_HELP_TEAMS.includes(
        teamId as (typeof EARLY_HELP_TEAMS)[number],
      )
        ? 'family-support-worker'
        : 'social-worker';
      this.person(role, { teamId }, this.managers.get(teamId)?.id ?? null, start, {
        caseWeight: 1,
        end,
      });
    }

    this.qualityOfficer = this.person('other', {}, this.assistantDirector.id, this.yearsAgo(1, 6), {
      email: e.qualityAssurance,
    });

    for (const worker of this.people) {
      if (worker.start >= this.historyStart) worker.probationEnd = this.months(worker.start, 6);
    }

    // About one in nine in post is overdue for supervision, including two in the demo team
    // manager's team, and a few are due today; the demo social worker is on track.
    const inPost = this.people.filter((w) => w.end === null && w !== this.socialWorker);
    const overdue = Math.round(inPost.length * 0.11);
    const due = Math.round(inPost.length * 0.03);
    const tmTeam = inPost.filter(
      (w) =>
        w.teamId === TEAM.safeguardingEast && w.role === 'social-worker' && w.earlyCareer === null,
    );
    const chosen = tmTeam.slice(0, 2);
    for (const worker of this.r.shuffle(inPost.filter((w) => !chosen.includes(w)))) {
      chosen.push(worker);
    }
    chosen.forEach((worker, index) => {
      worker.target = index < overdue ? 'overdue' : index < overdue + due ? 'due' : 'on-track';
    });
  }

  // -- children ---------------------------------------------------------------------------------

  private buildChildren(): void {
    const states: ChildState[] = [];
    for (const [state, share] of CHILD_STATES) {
      for (let i = Math.round((share * CHILDREN) / 1000); i > 0; i--) states.push(state);
    }
    while (states.length < CHILDREN) states.push('closed');
    states.length = CHILDREN;
    this.r.shuffle(states);
    states.forEach((state, index) => {
      const child: Child = {
        id: `C${String(index + 1).padStart(6, '0')}`,
        name: `${this.r.pick(FIRST_NAMES)} ${this.r.pick(SURNAMES)}`,
        dob: null,
        involvements: [],
        placements: [],
        legal: [],
        risk: [],
        allocations: [],
        events: [],
        locality: this.r.int(0, 2),
        area: this.r.int(0, 1),
        privateFostering: false,
        target: null,
      };
      this.buildHistory(child, state);
      child.involvements.sort((a, b) => a.start - b.start);
      this.children.push(child);
    });
  }

  /**
   * Involvements one after another, the last starting on `lastStart` (open, or lasting its own
   * days); each earlier one ends on the day the next starts.
   */
  private chain(
    steps: readonly (readonly [InvolvementType, number])[],
    lastStart: Day,
    open: boolean,
  ): Involvement[] {
    const out: Involvement[] = [];
    let next = lastStart;
    const last = lastOf(steps);
    if (last === undefined) return out;
    out.push({ type: last[0], start: lastStart, end: open ? null : lastStart + last[1] });
    for (let i = steps.length - 2; i >= 0; i--) {
      const step = steps[i];
      if (step === undefined) continue;
      out.unshift({ type: step[0], start: next - step[1], end: next });
      next -= step[1];
    }
    return out;
  }

  /** A closed chain ending somewhere in the three years, starting no earlier than they do. */
  private closedChain(steps: readonly (readonly [InvolvementType, number])[]): Involvement[] {
    const total = steps.reduce((sum, [, days]) => sum + days, 0);
    const latestEnd = this.today - 1;
    const earliestEnd = this.historyStart + total;
    const end = earliestEnd > latestEnd ? latestEnd : this.r.int(earliestEnd, latestEnd);
    const lastDays = lastOf(steps)?.[1] ?? 0;
    return this.chain(steps, end - lastDays, false);
  }

  /** Sometimes an earlier, closed episode (Early Help, or an assessment with no further action). */
  private priorEpisode(child: Child, p: number): void {
    if (!this.r.chance(p)) return;
    const first = child.involvements[0]?.start ?? this.today;
    const steps: [InvolvementType, number][] = this.r.chance(0.5)
      ? [['early-help', this.r.int(60, 300)]]
      : [['assessment', this.r.int(10, 45)]];
    const days = steps[0]?.[1] ?? 0;
    const end = first - this.r.int(60, 400);
    if (end - days < this.historyStart) return;
    child.involvements.unshift(...this.chain(steps, end - days, false));
  }

  /** A date of birth that fits the records: born by the first, under 18 at the last. */
  private fittingBirth(child: Child, nullChance = 0): Day | null {
    if (this.r.chance(nullChance)) return null;
    let first = this.today;
    let last = 0;
    for (const i of child.involvements) {
      first = Math.min(first, i.start);
      last = Math.max(last, i.end ?? this.today);
    }
    const lo = this.today - first + 14;
    const hi = this.today - last + 18 * YEAR - 40;
    return this.today - this.r.int(lo, Math.max(lo, hi));
  }

  private ageDaysBetween(lo: number, hi: number): number {
    return this.r.int(Math.round(lo * YEAR), Math.round(hi * YEAR));
  }

  private buildHistory(child: Child, state: ChildState): void {
    const t = this.today;
    const r = this.r;
    switch (state) {
      case 'early-help': {
        const start = t - r.int(0, 330);
        child.involvements = r.chance(0.15)
          ? this.chain(
              [
                ['assessment', r.int(20, 50)],
                ['early-help', 0],
              ],
              start,
              true,
            )
          : this.chain([['early-help', 0]], start, true);
        this.priorEpisode(child, 0.1);
        child.dob = this.fittingBirth(child, 0.02);
        break;
      }
      case 'assessment': {
        const start = t - (r.chance(0.9) ? r.int(0, 60) : r.int(61, 95));
        child.involvements = this.chain([['assessment', 0]], start, true);
        this.priorEpisode(child, 0.2);
        child.dob = this.fittingBirth(child, 0.03);
        break;
      }
      case 'cin': {
        const start = t - (r.chance(0.6) ? r.int(0, 180) : r.int(181, 540));
        child.involvements = r.chance(0.75)
          ? this.chain(
              [
                ['assessment', r.int(20, 60)],
                ['cin', 0],
              ],
              start,
              true,
            )
          : this.chain(
              [
                ['assessment', r.int(20, 50)],
                ['cp', r.int(120, 450)],
                ['cin', 0],
              ],
              start,
              true,
            );
        this.priorEpisode(child, 0.1);
        child.dob = this.fittingBirth(child);
        this.riskFor(child);
        break;
      }
      case 'cp': {
        const start = t - (r.chance(0.65) ? r.int(0, 180) : r.int(181, 450));
        child.involvements = r.chance(0.8)
          ? this.chain(
              [
                ['assessment', r.int(15, 50)],
                ['cp', 0],
              ],
              start,
              true,
            )
          : this.chain(
              [
                ['assessment', r.int(20, 50)],
                ['cin', r.int(60, 300)],
                ['cp', 0],
              ],
              start,
              true,
            );
        this.priorEpisode(child, 0.1);
        child.dob = this.fittingBirth(child);
        if (r.chance(0.12)) {
          const from = start + r.int(20, 200);
          if (from <= t) {
            const end = r.chance(0.5) ? null : from + r.int(30, 150);
            child.legal.push({
              type: 'pre-proceedings',
              start: from,
              end: end !== null && end <= t ? end : null,
            });
          }
        }
        this.riskFor(child);
        break;
      }
      case 'cwd': {
        const age = this.ageDaysBetween(5, 17.8);
        child.dob = t - age;
        child.involvements = this.chain(
          [['cwd-review', 0]],
          t - r.int(60, Math.min(5 * YEAR, age - YEAR)),
          true,
        );
        this.riskFor(child);
        break;
      }
      case 'private-fostering': {
        child.dob = t - this.ageDaysBetween(10, 16.9);
        child.involvements = this.chain([['cin', 0]], t - r.int(20, 400), true);
        child.privateFostering = true;
        break;
      }
      case 'cla':
        this.openCla(child);
        break;
      case 'care-leaver':
        this.careLeaver(child, true);
        break;
      case 'closed':
        this.closedCase(child, r.weighted(CLOSED_PATHS));
        break;
    }
  }

  private openCla(child: Child): void {
    const t = this.today;
    const r = this.r;
    const ageYears = r.weighted<readonly [number, number]>([
      [[0, 5], 18],
      [[5, 10], 18],
      [[10, 16], 39],
      [[16, 17.9], 25],
    ]);
    const age = Math.max(10, this.ageDaysBetween(ageYears[0], ageYears[1]));
    const dob = t - age;
    child.dob = dob;
    const length = r.weighted<readonly [number, number]>([
      [[20, 365], 40],
      [[366, 3 * YEAR], 35],
      [[3 * YEAR + 1, 8 * YEAR], 25],
    ]);
    let claDays = r.int(length[0], length[1]);
    claDays = Math.min(claDays, age - 3);
    const claStart = t - claDays;
    const before = r.weighted<'cp' | 'assessment' | 'none'>([
      ['cp', 50],
      ['assessment', 25],
      ['none', 25],
    ]);
    const steps: [InvolvementType, number][] = [];
    if (before === 'cp') steps.push(['assessment', r.int(20, 50)], ['cp', r.int(90, 365)]);
    if (before === 'assessment') steps.push(['assessment', r.int(10, 40)]);
    const predecessorDays = steps.reduce((sum, [, days]) => sum + days, 0);
    if (claStart - predecessorDays < dob) steps.length = 0;
    steps.push(['cla', 0]);
    child.involvements = this.chain(steps, claStart, true);

    // Young children long enough in care may be placed for adoption, held by Permanence.
    let adoptionStart: Day | null = null;
    if (age < 6 * YEAR && claDays >= 240 && r.chance(0.55)) {
      const start = t - r.int(14, Math.min(300, claDays - 180));
      if (start - dob < 5 * YEAR) adoptionStart = start;
    }
    child.placements = this.fillPlacements(claStart, adoptionStart, dob);
    if (adoptionStart !== null) {
      child.placements.push({
        type: 'adoption',
        start: adoptionStart,
        end: null,
        stableFrom: null,
      });
    }
    this.claLegal(child);
    this.riskFor(child);
  }

  private careLeaver(child: Child, open: boolean): void {
    const t = this.today;
    const r = this.r;
    const age = open
      ? this.ageDaysBetween(
          ...r.weighted<readonly [number, number]>([
            [[18.02, 19], 20],
            [[19, 20], 20],
            [[20, 21], 18],
            [[21, 22], 14],
            [[22, 23], 12],
            [[23, 24], 9],
            [[24, 24.9], 7],
          ]),
        )
      : this.ageDaysBetween(21.1, 25);
    const dob = t - age;
    child.dob = dob;
    const eighteen = birthday(dob as CalendarDate, 18) as Day;
    const claStart = Math.max(eighteen - r.int(YEAR, 8 * YEAR), this.teamsStart, dob + YEAR);
    let end: Day | null = null;
    if (!open) {
      end = (birthday(dob as CalendarDate, 21) as Day) + r.int(0, 1000);
      if (end > t - 1) end = t - 1 - r.int(0, Math.min(200, t - 1 - eighteen));
    }
    child.involvements = [
      { type: 'cla', start: claStart, end: eighteen },
      { type: 'care-leaver', start: eighteen, end },
    ];
    child.placements = this.fillPlacements(claStart, eighteen, dob);
  }

  private closedCase(child: Child, path: ClosedPath): void {
    const r = this.r;
    switch (path) {
      case 'early-help':
        child.involvements = this.closedChain([['early-help', r.int(60, 400)]]);
        child.dob = this.fittingBirth(child, 0.02);
        break;
      case 'no-further-action':
        child.involvements = this.closedChain([['assessment', r.int(10, 60)]]);
        this.priorEpisode(child, 0.1);
        child.dob = this.fittingBirth(child, 0.02);
        break;
      case 'assessment-cin':
        child.involvements = this.closedChain([
          ['assessment', r.int(20, 60)],
          ['cin', r.int(90, 540)],
        ]);
        child.dob = this.fittingBirth(child);
        this.riskFor(child);
        break;
      case 'assessment-cp-cin': {
        child.involvements = this.closedChain([
          ['assessment', r.int(15, 50)],
          ['cp', r.int(120, 450)],
          ['cin', r.int(60, 300)],
        ]);
        child.dob = this.fittingBirth(child);
        const cp = child.involvements.find((i) => i.type === 'cp');
        if (cp !== undefined && cp.end !== null && r.chance(0.15)) {
          const start = cp.start + r.int(20, 60);
          if (start < cp.end) {
            child.legal.push({
              type: 'pre-proceedings',
              start,
              end: Math.min(cp.end, start + r.int(40, 120)),
            });
          }
        }
        this.riskFor(child);
        break;
      }
      case 'assessment-early-help':
        child.involvements = this.closedChain([
          ['assessment', r.int(20, 50)],
          ['early-help', r.int(60, 300)],
        ]);
        child.dob = this.fittingBirth(child);
        break;
      case 'early-help-assessment':
        child.involvements = this.closedChain([
          ['early-help', r.int(60, 300)],
          ['assessment', r.int(15, 45)],
        ]);
        child.dob = this.fittingBirth(child);
        break;
      case 'cla-home': {
        const steps: [InvolvementType, number][] = r.chance(0.5)
          ? [['assessment', r.int(10, 40)]]
          : [];
        steps.push(['cla', r.int(60, 700)]);
        child.involvements = this.closedChain(steps);
        child.dob = this.fittingBirth(child);
        const cla = child.involvements.find((i) => i.type === 'cla');
        if (cla !== undefined) {
          child.placements = this.fillPlacements(cla.start, cla.end, child.dob);
          const last = lastOf(child.placements);
          if (last !== undefined && child.placements.length > 1 && r.chance(0.4)) {
            last.type = 'with-parents';
            last.stableFrom = null;
          }
        }
        this.claLegal(child);
        this.riskFor(child);
        break;
      }
      case 'cla-adopted': {
        child.involvements = this.closedChain([['cla', r.int(450, 800)]]);
        const cla = child.involvements[0];
        if (cla === undefined || cla.end === null) break;
        const dob = cla.start - r.int(0, 3 * YEAR);
        child.dob = dob;
        const adoptionStart = cla.end - r.int(120, 300);
        child.placements = this.fillPlacements(cla.start, adoptionStart, dob);
        child.placements.push({
          type: 'adoption',
          start: adoptionStart,
          end: cla.end,
          stableFrom: null,
        });
        this.claLegal(child);
        this.riskFor(child);
        break;
      }
      case 'care-leaver':
        this.careLeaver(child, false);
        break;
      case 'cwd':
        child.involvements = this.closedChain([['cwd-review', r.int(365, 1000)]]);
        child.dob = this.fittingBirth(child);
        break;
      case 'private-fostering':
        child.involvements = this.closedChain([['cin', r.int(60, 400)]]);
        child.privateFostering = true;
        child.dob = this.fittingBirth(child);
        break;
    }
  }

  /**
   * Placements from `from` to `end` (the last one ending on `end`, or still open when it is
   * null): a short first placement, then longer ones, of types that suit the child's age.
   */
  private fillPlacements(from: Day, end: Day | null, dob: Day | null): Placement[] {
    const r = this.r;
    const limit = end ?? this.today;
    const out: Placement[] = [];
    let cursor = from;
    for (let first = true; ; first = false) {
      const age = dob === null ? 10 : (cursor - dob) / YEAR;
      const type = r.weighted<PlacementType>(
        age < 5
          ? [
              ['foster', 80],
              ['with-parents', 12],
              ['other', 5],
            ]
          : age < 13
            ? [
                ['foster', 78],
                ['residential', 8],
                ['with-parents', 7],
                ['other', 7],
              ]
            : [
                ['foster', 58],
                ['residential', 22],
                ['other', 13],
                ['with-parents', 7],
              ],
      );
      const next = cursor + (first ? r.int(14, 240) : r.int(60, 1000));
      const placement: Placement = {
        type,
        start: cursor,
        end: next >= limit ? end : next,
        stableFrom: null,
      };
      const lasted = Math.min(placement.end ?? this.today, this.today) - cursor;
      if (type !== 'with-parents' && lasted >= 200 && r.chance(0.5)) {
        placement.stableFrom = cursor + r.int(90, Math.min(365, lasted));
      }
      out.push(placement);
      if (next >= limit) return out;
      cursor = next;
    }
  }

  /** Legal periods of a looked-after child: the public law outline, then proceedings. */
  private claLegal(child: Child): void {
    const r = this.r;
    const index = child.involvements.findIndex((i) => i.type === 'cla');
    const cla = child.involvements[index];
    if (cla === undefined) return;
    const before = child.involvements[index - 1];
    const cp = before?.type === 'cp' && before.end === cla.start ? before : undefined;
    let proceedings = false;
    if (cp !== undefined) {
      if (r.chance(0.7)) {
        child.legal.push({
          type: 'pre-proceedings',
          start: Math.max(cp.start + 14, cla.start - r.int(40, 150)),
          end: cla.start,
        });
      }
      proceedings = r.chance(0.9);
    } else {
      proceedings = r.chance(before?.type === 'assessment' ? 0.7 : 0.3);
    }
    if (proceedings) {
      let end: Day | null = cla.start + r.int(180, 380);
      if (cla.end !== null && end > cla.end) end = cla.end;
      if (end > this.today) end = null;
      child.legal.push({ type: 'care-proceedings', start: cla.start, end });
    }
  }

  private riskFor(child: Child): void {
    const r = this.r;
    const serious = child.involvements.find((i) => i.type === 'cp' || i.type === 'cla');
    if (serious !== undefined) {
      if (!r.chance(0.65)) return;
      child.risk.push({ level: 'high', from: serious.start });
      const lower = serious.start + r.int(90, 700);
      if (r.chance(0.4) && lower <= this.today) child.risk.push({ level: 'low', from: lower });
      return;
    }
    const cin = child.involvements.find((i) => i.type === 'cin' || i.type === 'cwd-review');
    if (cin !== undefined && r.chance(0.3)) child.risk.push({ level: 'low', from: cin.start });
  }

  // -- allocation -------------------------------------------------------------------------------

  private teamFor(child: Child, type: InvolvementType): string {
    switch (type) {
      case 'early-help':
        return EARLY_HELP_TEAMS[child.locality] ?? TEAM.ehCentral;
      case 'assessment':
        return ASSESSMENT_TEAMS[child.area] ?? TEAM.assessment1;
      case 'cin':
      case 'cp':
      case 'cwd-review':
        return child.privateFostering
          ? TEAM.fosteringSupport
          : (SAFEGUARDING_TEAMS[child.area] ?? TEAM.safeguardingEast);
      case 'cla':
        return IN_CARE_TEAMS[child.area] ?? TEAM.inCare1;
      case 'care-leaver':
        return TEAM.careLeavers;
    }
  }

  /** Which team held the case when: one stretch per team, handed over on the day of a move. */
  private teamStretches(child: Child): { teamId: string; start: Day; end: Day | null }[] {
    const out: { teamId: string; start: Day; end: Day | null }[] = [];
    for (const involvement of child.involvements) {
      const pieces = [
        {
          teamId: this.teamFor(child, involvement.type),
          start: involvement.start,
          end: involvement.end,
        },
      ];
      if (involvement.type === 'cla') {
        const adoption = child.placements.find(
          (p) =>
            p.type === 'adoption' &&
            p.start > involvement.start &&
            (involvement.end === null || p.start <= involvement.end),
        );
        if (adoption !== undefined) {
          pieces[0] = {
            teamId: pieces[0]?.teamId ?? TEAM.inCare1,
            start: involvement.start,
            end: adoption.start,
          };
          pieces.push({ teamId: TEAM.permanence, start: adoption.start, end: involvement.end });
        }
      }
      for (const piece of pieces) {
        const previous = lastOf(out);
        if (previous !== undefined && previous.end !== null && piece.start <= previous.end + 1) {
          if (previous.teamId === piece.teamId) {
            previous.end = piece.end;
            continue;
          }
          previous.end = piece.start - 1;
        }
        out.push({ ...piece });
      }
    }
    return out;
  }

  private pickWorker(teamId: string, date: Day, except?: Worker): Worker | undefined {
    const candidates: (readonly [Worker, number])[] = [];
    for (const worker of this.holders.get(teamId) ?? []) {
      if (worker === except) continue;
      if (worker.start > date) continue;
      if (worker.end !== null && worker.end < date + 30) continue;
      const learning =
        worker.earlyCareer !== null &&
        worker.earlyCareer.start <= date &&
        (worker.earlyCareer.end === null || worker.earlyCareer.end >= date);
      candidates.push([worker, worker.caseWeight * (learning ? 0.5 : 1)]);
    }
    return candidates.length === 0 ? undefined : this.r.weighted(candidates);
  }

  private allocateChildren(): void {
    for (const child of this.children) {
      for (const stretch of this.teamStretches(child)) {
        this.allocate(child, stretch.teamId, stretch.start, stretch.end);
      }
    }
  }

  private allocate(child: Child, teamId: string, start: Day, end: Day | null): void {
    let cursor = start;
    let reassigned: Worker | undefined;
    for (;;) {
      const worker = this.pickWorker(teamId, cursor, reassigned);
      if (worker === undefined) {
        // Nobody in the team then: held by the team, unallocated, until someone starts.
        const starts = (this.holders.get(teamId) ?? [])
          .map((w) => w.start)
          .filter((s) => s > cursor && (end === null || s <= end));
        const next = starts.length === 0 ? null : Math.min(...starts);
        if (next === null) {
          child.allocations.push({ workerId: null, teamId, start: cursor, end });
          return;
        }
        child.allocations.push({ workerId: null, teamId, start: cursor, end: next - 1 });
        cursor = next;
        continue;
      }
      let stretchEnd = end;
      const until = end ?? this.today;
      if (worker.end !== null && (end === null || worker.end < end)) {
        stretchEnd = worker.end;
      } else if (reassigned === undefined && until - cursor > 400 && this.r.chance(0.2)) {
        reassigned = worker;
        stretchEnd = cursor + this.r.int(120, until - cursor - 30) - 1;
      }
      child.allocations.push({ workerId: worker.id, teamId, start: cursor, end: stretchEnd });
      if (stretchEnd === end || stretchEnd === null) return;
      cursor = stretchEnd + 1;
    }
  }

  private isOpen(child: Child): boolean {
    return child.involvements.some((i) => i.end === null);
  }

  private currentAllocation(child: Child): Allocation | undefined {
    const last = lastOf(child.allocations);
    return last !== undefined && last.end === null ? last : undefined;
  }

  /** The demo social worker holds a full but fair caseload: 12 to 18 open children. */
  private balanceSocialWorker(): void {
    const sw = this.socialWorker;
    const team = sw.teamId ?? TEAM.safeguardingEast;
    const mine: Allocation[] = [];
    const others: Allocation[] = [];
    for (const child of this.children) {
      const current = this.currentAllocation(child);
      if (current === undefined || current.teamId !== team) continue;
      if (current.workerId === sw.id) mine.push(current);
      else if (current.start >= sw.start) others.push(current);
    }
    // Hand the most recent of any excess to colleagues who were there when the case came in.
    for (let i = mine.length - 1; i >= 0 && mine.length > 18; i--) {
      const allocation = mine[i];
      if (allocation === undefined) continue;
      const colleagues = (this.holders.get(team) ?? []).filter(
        (w) => w !== sw && w.end === null && w.start <= allocation.start,
      );
      if (colleagues.length === 0) continue;
      allocation.workerId = this.r.pick(colleagues).id;
      mine.splice(i, 1);
    }
    this.r.shuffle(others);
    while (mine.length < 12) {
      const allocation = others.pop();
      if (allocation === undefined) break;
      allocation.workerId = sw.id;
      mine.push(allocation);
    }
  }

  // -- targets ----------------------------------------------------------------------------------

  private currentInvolvement(child: Child): Involvement | undefined {
    let current: Involvement | undefined;
    for (const i of child.involvements) {
      if (i.end === null && (current === undefined || i.start > current.start)) current = i;
    }
    return current;
  }

  /** Whether the case has been open long enough to be overdue. */
  private canBeOverdue(child: Child): boolean {
    const current = this.currentInvolvement(child);
    return current !== undefined && current.start <= this.today - 100;
  }

  private chooseChildTargets(): void {
    const byTeam = new Map<string, Child[]>();
    const bySocialWorker: Child[] = [];
    for (const child of this.children) {
      const current = this.currentInvolvement(child);
      if (current === undefined) continue;
      child.target =
        current.type === 'early-help'
          ? this.r.weighted<Target>([
              ['on-track', 72],
              ['due', 12],
              ['overdue', 16],
            ])
          : this.r.weighted<Target>([
              ['on-track', 80],
              ['overdue', 20],
            ]);
      const allocation = this.currentAllocation(child);
      if (allocation === undefined) continue;
      const list = byTeam.get(allocation.teamId) ?? [];
      list.push(child);
      byTeam.set(allocation.teamId, list);
      if (allocation.workerId === this.socialWorker.id) bySocialWorker.push(child);
    }
    // Every team, and the demo social worker, has some of each.
    for (const list of byTeam.values()) this.ensureMix(list, 1, 1);
    this.ensureMix(bySocialWorker, 3, 3);
  }

  private ensureMix(children: Child[], overdue: number, onTrack: number): void {
    const overdueNow = children.filter((c) => c.target === 'overdue' && this.canBeOverdue(c));
    for (const child of children) {
      if (overdueNow.length >= overdue) break;
      if (child.target !== 'overdue' && this.canBeOverdue(child)) {
        child.target = 'overdue';
        overdueNow.push(child);
      }
    }
    let onTrackNow = children.filter((c) => c.target === 'on-track').length;
    for (const child of children) {
      if (onTrackNow >= onTrack) break;
      if (child.target !== 'on-track' && !overdueNow.includes(child)) {
        child.target = 'on-track';
        onTrackNow++;
      }
    }
  }

  // -- events -----------------------------------------------------------------------------------

  private teamEvents(): void {
    const groups = [...this.teams.values()].filter((team) => team.spec.groupSupervision);
    // Half on track, a third due, one overdue: the mix a head of service would recognise.
    const targets = this.r.shuffle(
      groups.map((_, i): Target => (i === 0 ? 'overdue' : i % 3 === 0 ? 'due' : 'on-track')),
    );
    groups.forEach((team, index) => {
      const target = targets[index] ?? 'on-track';
      const ago =
        target === 'on-track'
          ? this.r.int(0, 20)
          : target === 'due'
            ? this.r.int(21, 28)
            : this.r.int(29, 45);
      const lean: Lean =
        target === 'on-track' || (target === 'due' && ago >= 25) ? 'later' : 'earlier';
      const from = Math.max(team.start, this.eventsFrom);
      team.sessions = this.backfill(from, this.today - ago, () => 21, lean);
      team.events = team.sessions.map((date) => ({ date, kind: 'group' }));
    });
  }

  private workerRhythm(worker: Worker, date: Day): number {
    const ec = worker.earlyCareer;
    if (ec !== null && ec.start <= date && (ec.end === null || ec.end >= date)) {
      if (date < ec.start + 42) return 7;
      if (date < this.months(ec.start, 6)) return 14;
    }
    return 28;
  }

  private workerEvents(): void {
    const t = this.today;
    for (const worker of this.people) {
      const from = Math.max(worker.start, this.eventsFrom);
      const to = worker.end ?? t;
      let last: Day;
      let lean: Lean = 'earlier';
      if (worker.end !== null) {
        last = worker.end - this.r.int(0, 10);
      } else if (worker.target === 'on-track') {
        lean = 'later';
        last = t - this.r.int(0, this.workerRhythm(worker, t) - 1);
        const rhythm = this.workerRhythm(worker, last);
        if (t - last >= rhythm) last = t - this.r.int(0, rhythm - 1);
      } else if (worker.target === 'due') {
        lean = 'exact';
        last = t - this.workerRhythm(worker, t);
        if (this.workerRhythm(worker, last) !== t - last) last = t - this.r.int(0, 5);
      } else {
        last = t - this.workerRhythm(worker, t) - this.r.int(1, 30);
      }
      const dates = this.backfill(from, last, (d) => this.workerRhythm(worker, d), lean);
      for (const date of dates) worker.events.push({ date, kind: 'individual' });

      // A supervision agreement when they start (or within the history), renewed each year.
      let contract =
        worker.start >= this.eventsFrom
          ? worker.start + this.r.int(0, 14)
          : this.months(
              worker.start,
              12 * Math.ceil((this.eventsFrom - worker.start) / (12 * 30.44)),
            ) + this.r.int(0, 20);
      for (;;) {
        const date = this.weekday(contract, 'earlier', worker.start);
        if (date > to) break;
        worker.events.push({ date, kind: 'contract' });
        contract = this.months(contract, 12) + this.r.int(-20, 20);
      }

      // Attendance at the team's group sessions.
      const team = worker.teamId === null ? undefined : this.teams.get(worker.teamId);
      for (const session of team?.sessions ?? []) {
        if (session >= worker.start && session <= to && this.r.chance(0.8)) {
          worker.events.push({ date: session, kind: 'group' });
        }
      }
      worker.events.sort(byDateThenKind);
    }
  }

  /** The four-weekly rhythm of a case on a date: the most frequent involvement open then. */
  private caseRhythm(child: Child, date: Day): number {
    let rhythm = 0;
    for (const i of child.involvements) {
      if (i.start <= date && (i.end === null || i.end >= date)) {
        const r = CASE_RHYTHM[i.type];
        if (rhythm === 0 || r < rhythm) rhythm = r;
      }
    }
    return rhythm === 0 ? 28 : rhythm;
  }

  private involvementAt(child: Child, date: Day): Involvement | undefined {
    let found: Involvement | undefined;
    for (const i of child.involvements) {
      if (i.start <= date && (i.end === null || i.end >= date)) found = i;
    }
    return found;
  }

  /** Episodes: runs of involvements with no day between them. */
  private episodes(child: Child): Span[] {
    const out: Span[] = [];
    for (const i of child.involvements) {
      const previous = lastOf(out);
      if (previous !== undefined && (previous.end === null || i.start <= previous.end + 1)) {
        if (previous.end !== null && (i.end === null || i.end > previous.end)) previous.end = i.end;
        continue;
      }
      out.push({ start: i.start, end: i.end });
    }
    return out;
  }

  private lastCaseSupervision(
    child: Child,
    episode: Span,
    target: Target,
  ): { last: Day; lean: Lean } | null {
    const t = this.today;
    const current = this.currentInvolvement(child);
    const type = current?.type ?? 'cin';
    let last: Day;
    if (target === 'on-track') {
      last = t - this.r.int(0, ON_TRACK_WITHIN[type] - 1);
      const then = this.involvementAt(child, last);
      if (then !== undefined && ON_TRACK_WITHIN[then.type] < t - last + 1) {
        last = t - this.r.int(0, ON_TRACK_WITHIN[then.type] - 1);
      }
    } else if (target === 'due') {
      last = t - this.r.int(28, 42);
    } else {
      last =
        t - OVERDUE_AFTER[type] - (this.r.chance(0.15) ? this.r.int(30, 120) : this.r.int(1, 40));
    }
    const lean: Lean =
      target === 'on-track' || (target === 'due' && last <= t - 35) ? 'later' : 'earlier';
    return last < episode.start ? null : { last, lean };
  }

  private childEvents(child: Child): void {
    const t = this.today;
    const r = this.r;
    const caseDates: Day[] = [];
    /** The last supervision of the open case, which must stay where it is. */
    let anchor: Day | null = null;
    const episodes = this.episodes(child);
    const openSince = lastOf(episodes)?.end === null ? (lastOf(episodes)?.start ?? null) : null;
    for (const episode of episodes) {
      const last =
        episode.end === null
          ? this.lastCaseSupervision(child, episode, child.target ?? 'on-track')
          : { last: episode.end - r.int(0, 14), lean: 'earlier' as const };
      if (last === null) continue;
      const from = Math.max(episode.start, this.eventsFrom);
      const dates = this.backfill(from, last.last, (d) => this.caseRhythm(child, d), last.lean);
      if (episode.end === null) anchor = lastOf(dates) ?? null;
      caseDates.push(...dates);
    }

    // Most finished assessments had a supervision before the case moved on.
    for (const assessment of child.involvements) {
      if (assessment.type !== 'assessment' || assessment.end === null) continue;
      if (assessment.end < this.eventsFrom) continue;
      if (caseDates.some((d) => d >= assessment.start && d <= (assessment.end ?? t))) continue;
      if (!r.chance(0.85)) continue;
      const date = this.weekday(
        assessment.end - r.int(0, Math.min(7, assessment.end - assessment.start)),
        'earlier',
        assessment.start,
      );
      // Never one that would move the open case's last supervision off its target.
      const inOpenCase = openSince !== null && date >= openSince;
      if (inOpenCase && child.target !== 'on-track' && (anchor === null || date > anchor)) continue;
      caseDates.push(date);
    }

    for (const date of caseDates) {
      let kind: ChildKind = 'case-supervision';
      let on = date;
      // Sometimes the case was discussed at the team's group supervision instead.
      if (date !== anchor && r.chance(0.12)) {
        const team = this.teamAt(child, date);
        const session = team === undefined ? undefined : latestOnOrBefore(team.sessions, date);
        if (session !== undefined && date - session <= 6 && this.involvementAt(child, session)) {
          kind = 'group-supervision';
          on = session;
        }
      }
      child.events.push({ date: on, kind });
    }

    // Management oversight: the 10-day review of each assessment, decisions at the start of a
    // plan or of care, and the odd note in between.
    for (const i of child.involvements) {
      const until = Math.min(i.end ?? t, t);
      const note = (date: Day | null): void => {
        const on = date === null ? null : this.weekday(date, 'earlier', i.start);
        if (on !== null && on <= until)
          child.events.push({ date: on, kind: 'management-oversight' });
      };
      if (i.type === 'assessment') {
        // Calendar days 1 to 12 after the start are always within 10 working days.
        const roll = r.next();
        note(roll < 0.8 ? i.start + r.int(1, 12) : roll < 0.88 ? i.start + r.int(16, 30) : null);
      } else if ((i.type === 'cp' || i.type === 'cla') && r.chance(0.5)) {
        note(i.start + r.int(0, 5));
      }
      if (until - i.start > 180 && until >= this.eventsFrom && r.chance(0.3)) {
        note(r.int(Math.max(i.start, this.eventsFrom), until));
      }
    }

    child.events.sort(byDateThenKind);
    child.events = child.events.filter(
      (e, index, all) =>
        index === 0 || all[index - 1]?.date !== e.date || all[index - 1]?.kind !== e.kind,
    );
  }

  private teamAt(child: Child, date: Day): Team | undefined {
    for (const a of child.allocations) {
      if (a.start <= date && (a.end === null || a.end >= date)) return this.teams.get(a.teamId);
    }
    return undefined;
  }

  // -- foster carers ----------------------------------------------------------------------------

  private buildCarers(): void {
    const t = this.today;
    const r = this.r;
    const supervisors = (this.holders.get(TEAM.fosteringSupport) ?? []).filter(
      (w) => w.role === 'social-worker' || w.role === 'advanced-practitioner',
    );
    const ended = new Set([7, 16, 25]);
    for (let i = 1; i <= FOSTER_CARERS; i++) {
      let start = t - r.int(200, 12 * YEAR);
      let end: Day | null = null;
      if (ended.has(i)) {
        end = t - r.int(30, 700);
        if (end - start < YEAR) start = end - r.int(400, 3000);
      }
      const surname = r.pick(SURNAMES);
      const name = r.chance(0.6)
        ? `${r.pick(FIRST_NAMES)} and ${r.pick(FIRST_NAMES)} ${surname}`
        : `${r.pick(FIRST_NAMES)} ${surname}`;
      const limit = end ?? t;
      const placements: Span[] = [];
      let cursor = Math.max(start + r.int(30, 150), this.historyStart - r.int(0, 400));
      while (cursor <= limit) {
        const next = cursor + r.int(30, 700);
        if (next >= limit) {
          placements.push({ start: cursor, end });
          break;
        }
        placements.push({ start: cursor, end: next });
        cursor = next + r.int(7, 120);
      }
      const on = limit;
      const inPost = supervisors.filter((w) => w.start <= on && (w.end === null || w.end >= on));
      const supervisor = inPost.length > 0 ? r.pick(inPost) : supervisors[0];
      const carer: Carer = {
        id: `F${String(i).padStart(3, '0')}`,
        name,
        start,
        end,
        supervisingWorkerId: supervisor?.id ?? null,
        placements,
        events: [],
      };
      const placed = (d: Day): boolean =>
        placements.some((p) => p.start <= d && (p.end === null || p.end >= d));
      const rhythm = (d: Day): number => (placed(d) ? 28 : 61);
      const onTrack = end === null && r.chance(0.85);
      const last =
        end !== null
          ? end - r.int(0, 14)
          : onTrack
            ? t - r.int(0, 27)
            : t - rhythm(t) - r.int(1, 40);
      const from = Math.max(start, this.eventsFrom);
      for (const date of this.backfill(from, last, rhythm, onTrack ? 'later' : 'earlier')) {
        carer.events.push({ date, kind: 'supervision' });
      }
      this.carers.push(carer);
    }
  }

  // -- output -----------------------------------------------------------------------------------

  private events<K extends string>(list: readonly Ev<K>[]): DatedEvent<K>[] {
    return list.map((e) => ({ date: this.iso(e.date), kind: e.kind }));
  }

  private span(s: Span): { start: string; end: string | null } {
    return { start: this.iso(s.start), end: this.isoOrNull(s.end) };
  }

  private snapshot(): OrganisationSnapshot {
    const teams: TeamRecord[] = [...this.teams.values()].map((team) => ({
      id: team.spec.id,
      name: team.spec.name,
      serviceId: team.spec.serviceId,
      groupSupervision: team.spec.groupSupervision,
      ...this.span(team),
      events: this.events(team.events),
    }));
    const people: PersonRecord[] = this.people.map((w) => ({
      id: w.id,
      name: w.name,
      email: w.email,
      role: w.role,
      teamId: w.teamId,
      serviceId: w.serviceId,
      lineManagerId: w.lineManagerId,
      ...this.span(w),
      probationEnd: this.isoOrNull(w.probationEnd),
      earlyCareer: w.earlyCareer === null ? null : this.span(w.earlyCareer),
      events: this.events(w.events),
    }));
    const children: ChildRecord[] = this.children.map((c) => ({
      id: c.id,
      name: c.name,
      dateOfBirth: this.isoOrNull(c.dob),
      involvements: c.involvements.map((i) => ({ type: i.type, ...this.span(i) })),
      placements: c.placements.map((p) => ({
        type: p.type,
        ...this.span(p),
        stableFrom: this.isoOrNull(p.stableFrom),
      })),
      legal: c.legal.map((l) => ({ type: l.type, ...this.span(l) })),
      risk: c.risk.map((x) => ({ level: x.level, from: this.iso(x.from) })),
      allocations: c.allocations.map((a) => ({
        workerId: a.workerId,
        teamId: a.teamId,
        ...this.span(a),
      })),
      events: this.events(c.events),
    }));
    const fosterCarers: FosterCarerRecord[] = this.carers.map((f) => ({
      id: f.id,
      name: f.name,
      ...this.span(f),
      supervisingWorkerId: f.supervisingWorkerId,
      placements: f.placements.map((p) => this.span(p)),
      events: this.events(f.events),
    }));
    return {
      organisation: { name: 'Demo Borough Council', directorate: "Children's Services" },
      services: Object.values(SERVICES).map((s) => ({ id: s.id, name: s.name })),
      teams,
      people,
      children,
      fosterCarers,
    };
  }

  private accounts(): DemoAccount[] {
    const e = DEMO_ACCOUNT_EMAILS;
    const hos = this.heads.get(SERVICES.assessment.id);
    const tm = this.managers.get(TEAM.safeguardingEast);
    return [
      {
        email: e.admin,
        personId: null,
        access: 'administrator',
        description: 'Administrator: structure, people, policy, imports and users.',
      },
      {
        email: e.director,
        personId: this.assistantDirector.id,
        access: 'staff',
        description: `${this.assistantDirector.name}, assistant director: the whole directorate.`,
      },
      {
        email: e.headOfService,
        personId: hos?.id ?? null,
        access: 'staff',
        description: `${hos?.name ?? ''}, head of ${SERVICES.assessment.name}: every team in the service.`,
      },
      {
        email: e.teamManager,
        personId: tm?.id ?? null,
        access: 'staff',
        description: `${tm?.name ?? ''}, team manager of Safeguarding East: the team's workers and children.`,
      },
      {
        email: e.socialWorker,
        personId: this.socialWorker.id,
        access: 'staff',
        description: `${this.socialWorker.name}, social worker in Safeguarding East: their own children and supervision.`,
      },
      {
        email: e.qualityAssurance,
        personId: this.qualityOfficer.id,
        access: 'quality-assurance',
        description: `${this.qualityOfficer.name}, quality assurance officer: compliance figures and audits.`,
      },
    ];
  }
}

function byDateThenKind(a: { date: Day; kind: string }, b: { date: Day; kind: string }): number {
  return a.date - b.date || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
}

/** The latest of ascending `dates` on or before `date`. */
function latestOnOrBefore(dates: readonly Day[], date: Day): Day | undefined {
  let lo = 0;
  let hi = dates.length - 1;
  let found: Day | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = dates[mid] as Day;
    if (d <= date) {
      found = d;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
