/**
 * A deterministic generator of council-scale extracts (spec/scheduling.md §6) for the benchmark.
 *
 * The same options always give a byte-identical file. Each subject draws from its own random
 * stream, keyed by (seed, kind, index), so a subject does not change when the counts of other
 * subjects do. The document is streamed: one subject is generated, serialised and written before
 * the next is made, so memory stays flat however large the extract.
 *
 * Dates are held as day numbers (days since 1970-01-01, UTC) and written as YYYY-MM-DD only when
 * a subject is serialised. Every emitted date is real, every `end` is on or after its `start`,
 * no record starts after `asOf`, every event is on or before `asOf`, and an `end` after `asOf`
 * is written as null (still open).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export interface GenerateOptions {
  seed: number;
  asOf: string /* YYYY-MM-DD */;
  children: number;
  workers: number;
  fosterCarers: number;
  teams: number;
  years: number;
}

export interface GenerateSummary {
  children: number;
  workers: number;
  fosterCarers: number;
  teams: number;
  events: number;
  openChildren: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// The extract's vocabulary (§6). Kept here so the generator depends on nothing but node.

type InvolvementType =
  'early-help' | 'assessment' | 'cin' | 'cp' | 'cla' | 'care-leaver' | 'cwd-review';
type PlacementType = 'foster' | 'residential' | 'with-parents' | 'adoption' | 'other';
type LegalType = 'pre-proceedings' | 'care-proceedings';
type RiskLevel = 'high' | 'low';
type WorkerRole =
  | 'social-worker'
  | 'advanced-practitioner'
  | 'team-manager'
  | 'service-manager'
  | 'head-of-service'
  | 'assistant-director'
  | 'director'
  | 'family-support-worker'
  | 'residential-worker'
  | 'iro'
  | 'school-staff'
  | 'other';

const CHILD_EVENT_KINDS = [
  'case-supervision',
  'group-supervision',
  'management-oversight',
] as const;
const WORKER_EVENT_KINDS = ['individual', 'group', 'contract'] as const;

// Output shapes, with keys declared (and assigned) in the order §6 gives them.
interface EventOut<K extends string> {
  date: string;
  kind: K;
}
interface PeriodOut<T extends string> {
  type: T;
  start: string;
  end: string | null;
}
interface PlacementOut extends PeriodOut<PlacementType> {
  stableFrom: string | null;
}
interface ChildOut {
  id: string;
  dateOfBirth: string | null;
  involvements: PeriodOut<InvolvementType>[];
  placements: PlacementOut[];
  legal: PeriodOut<LegalType>[];
  risk: { level: RiskLevel; from: string }[];
  events: EventOut<(typeof CHILD_EVENT_KINDS)[number]>[];
}
interface WorkerOut {
  id: string;
  role: WorkerRole;
  start: string;
  end: string | null;
  probationEnd: string | null;
  earlyCareer: { start: string; end: string | null } | null;
  events: EventOut<(typeof WORKER_EVENT_KINDS)[number]>[];
}
interface FosterCarerOut {
  id: string;
  start: string;
  end: string | null;
  placements: { start: string; end: string | null }[];
  events: EventOut<'supervision'>[];
}
interface TeamOut {
  id: string;
  groupSupervision: boolean;
  start: string;
  end: string | null;
  events: EventOut<'group'>[];
}

// ---------------------------------------------------------------------------------------------
// Random numbers: sfc32, seeded through splitmix32 from (seed, stream, index).

/** murmur3's 32-bit finaliser: a cheap, well-mixed hash of one 32-bit word. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

type Weighted<T> = readonly (readonly [T, number])[];

class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number, index: number) {
    // Fold the (possibly wider than 32-bit) seed and the keys into one state, then expand it
    // with splitmix32 into sfc32's four words.
    let state = fmix32(seed >>> 0);
    state = fmix32(state ^ (Math.floor(seed / 0x1_0000_0000) >>> 0));
    state = fmix32(state ^ Math.imul(stream + 1, 0x9e3779b1));
    state = fmix32(state ^ (index >>> 0));
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      return fmix32(state);
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A float in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponentially distributed, with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  pick<T>(choices: Weighted<T>): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let r = this.next() * total;
    for (const [value, weight] of choices) {
      r -= weight;
      if (r < 0) return value;
    }
    const last = choices[choices.length - 1];
    if (last === undefined) throw new Error('pick from an empty list');
    return last[0];
  }
}

// Independent random streams, one per subject kind.
const STREAM = { child: 1, worker: 2, fosterCarer: 3, team: 4 } as const;

// ---------------------------------------------------------------------------------------------
// Dates as day numbers.

type Day = number;
const MS_PER_DAY = 86_400_000;

function parseDay(text: string): Day | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return Math.round(date.getTime() / MS_PER_DAY);
}

// A few thousand distinct days cover a whole extract, and millions of events reuse them.
const isoCache = new Map<Day, string>();

function iso(day: Day): string {
  let text = isoCache.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, text);
  }
  return text;
}

/** The same month and day `years` later; 29 February becomes 1 March in a common year (§2). */
function addYears(day: Day, years: number): Day {
  const date = new Date(day * MS_PER_DAY);
  date.setUTCFullYear(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate());
  return Math.round(date.getTime() / MS_PER_DAY);
}

/** An end past `asOf` is not known yet: it is written as null (open). */
function isoEnd(end: Day, asOf: Day): string | null {
  return end > asOf ? null : iso(end);
}

// ---------------------------------------------------------------------------------------------
// Streaming output.

/**
 * Collects serialised text and hands it to the file stream in chunks of about `chunkSize`
 * characters, waiting for 'drain' whenever the stream's buffer is full, so the process never
 * holds more than a chunk or two of the document.
 */
class ChunkedWriter {
  private parts: string[] = [];
  private pending = 0;
  private failure: Error | undefined;
  bytes = 0;

  constructor(
    private readonly stream: WriteStream,
    private readonly chunkSize = 256 * 1024,
  ) {
    // Keep an error that arrives between writes, so the next write reports it.
    stream.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= this.chunkSize) await this.flush();
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

// ---------------------------------------------------------------------------------------------
// Children.

interface Draft<T extends string> {
  type: T;
  start: Day;
  end: Day; // inclusive; may lie past asOf, which means still open
}
interface PlacementDraft extends Draft<PlacementType> {
  stableFrom: Day | null;
}
interface Episode {
  involvements: Draft<InvolvementType>[];
  placements: PlacementDraft[];
  legal: Draft<LegalType>[];
  risk: { level: RiskLevel; from: Day }[];
}

interface ChildContext {
  dob: Day;
  adult: Day; // 18th birthday: the end of children's involvements other than leaving care
  birthday21: Day;
  birthday25: Day;
}

type EpisodeKind = 'early-help' | 'assessment' | 'cin' | 'cp' | 'cla' | 'cwd-review';

const EPISODE_KINDS: Weighted<EpisodeKind> = [
  ['early-help', 24],
  ['assessment', 20],
  ['cin', 24],
  ['cp', 13],
  ['cla', 15],
  ['cwd-review', 4],
];

// What is open on asOf leans towards the long-running kinds.
const OPEN_EPISODE_KINDS: Weighted<EpisodeKind> = [
  ['early-help', 22],
  ['assessment', 6],
  ['cin', 27],
  ['cp', 16],
  ['cla', 23],
  ['cwd-review', 6],
];

const EPISODE_COUNTS: Weighted<number> = [
  [1, 42],
  [2, 32],
  [3, 17],
  [4, 9],
];

// Age at asOf: children 0-17, and young people up to 24 who may be care leavers.
const AGE_BANDS: Weighted<readonly [number, number]> = [
  [[0, 5], 24],
  [[5, 11], 30],
  [[11, 18], 34],
  [[18, 24.95], 12], // under 25 on asOf, so a care leaver's 25th birthday is still to come
];

const PLACEMENT_TYPES: Weighted<PlacementType> = [
  ['foster', 72],
  ['residential', 14],
  ['with-parents', 8],
  ['other', 6],
];

const PLACEMENT_COUNTS: Weighted<number> = [
  [1, 55],
  [2, 30],
  [3, 15],
];

/** Typical days between case supervisions, by the involvement in force. */
const SUPERVISION_INTERVAL: Record<InvolvementType, number> = {
  'early-help': 29,
  assessment: 11,
  cin: 23,
  cp: 19,
  cla: 25,
  'care-leaver': 42,
  'cwd-review': 85,
};

/** How well a child's case is kept up: a multiplier on the supervision interval. */
const DILIGENCE: Weighted<number> = [
  [0.8, 40],
  [1, 35],
  [1.4, 19],
  [2.2, 6],
];

const MIN_EPISODE_GAP = 120;

/** An episode under construction: a contiguous chain of involvements plus what hangs off it. */
class EpisodeBuilder {
  readonly episode: Episode = { involvements: [], placements: [], legal: [], risk: [] };
  private cursor: Day;

  constructor(
    readonly start: Day,
    private readonly child: ChildContext,
  ) {
    this.cursor = start;
  }

  /** The last day of the chain so far. */
  get end(): Day {
    return this.cursor - 1;
  }

  /**
   * Appends an involvement of `length` days right after the previous one. Involvements stop at
   * the 18th birthday (leaving care at the 25th); returns undefined once past that.
   */
  chain(type: InvolvementType, length: number): Draft<InvolvementType> | undefined {
    const cap = type === 'care-leaver' ? this.child.birthday25 - 1 : this.child.adult - 1;
    if (this.cursor > cap) return undefined;
    const end = Math.min(this.cursor + Math.max(1, length) - 1, cap);
    const record = { type, start: this.cursor, end };
    this.episode.involvements.push(record);
    this.cursor = record.end + 1;
    return record;
  }
}

function assessmentLength(rng: Random): number {
  return rng.int(14, 56); // 2-8 weeks
}

function buildEpisode(
  rng: Random,
  child: ChildContext,
  start: Day,
  kind: EpisodeKind,
  toLeavingCare = false,
): Episode {
  const builder = new EpisodeBuilder(start, child);
  switch (kind) {
    case 'early-help':
      builder.chain('early-help', rng.int(60, 365));
      // Stepped up to statutory services.
      if (rng.chance(0.2) && builder.chain('assessment', assessmentLength(rng))) {
        if (rng.chance(0.6)) builder.chain('cin', rng.int(90, 450));
      }
      break;
    case 'assessment':
      builder.chain('assessment', assessmentLength(rng));
      // Sometimes stepped down to early help after the assessment.
      if (rng.chance(0.15)) builder.chain('early-help', rng.int(60, 240));
      break;
    case 'cin':
      if (builder.chain('assessment', assessmentLength(rng))) {
        builder.chain('cin', rng.int(90, 720));
      }
      break;
    case 'cp':
      buildProtection(rng, builder);
      break;
    case 'cla':
      buildLookedAfter(rng, builder, child, toLeavingCare);
      break;
    case 'cwd-review':
      builder.chain('cwd-review', rng.int(365, 2200));
      break;
  }
  return builder.episode;
}

function buildProtection(rng: Random, builder: EpisodeBuilder): void {
  if (!builder.chain('assessment', assessmentLength(rng))) return;
  if (rng.chance(0.5) && !builder.chain('cin', rng.int(30, 120))) return;
  const cp = builder.chain('cp', rng.int(120, 760));
  if (cp === undefined) return;
  if (rng.chance(0.25)) {
    const start = cp.start + rng.int(30, 120);
    if (start <= cp.end) {
      builder.episode.legal.push({
        type: 'pre-proceedings',
        start,
        end: start + rng.int(60, 180),
      });
    }
  }
  if (rng.chance(0.7)) builder.chain('cin', rng.int(90, 365)); // stepped down
}

function buildLookedAfter(
  rng: Random,
  builder: EpisodeBuilder,
  child: ChildContext,
  toLeavingCare: boolean,
): void {
  const { episode } = builder;
  // Most come in after an assessment, some via a protection plan; the rest in an emergency.
  // (A young person who must reach leaving care skips the protection plan, which could run
  // past 18 and leave no room for care.)
  if (rng.chance(0.7) && !builder.chain('assessment', assessmentLength(rng))) return;
  if (!toLeavingCare && rng.chance(0.35) && !builder.chain('cp', rng.int(60, 365))) return;

  const claStart = builder.end + 1;
  const adoption = !toLeavingCare && claStart - child.dob < 5 * 365 && rng.chance(0.3);
  let length: number;
  if (toLeavingCare) length = child.adult - claStart;
  else if (adoption) length = rng.int(365, 900);
  else {
    const band = rng.pick<readonly [number, number]>([
      [[60, 365], 40],
      [[365, 1200], 40],
      [[1200, 3300], 20],
    ]);
    length = rng.int(band[0], band[1]);
  }
  const cla = builder.chain('cla', length);
  if (cla === undefined) return;

  // Placements partition the period of care.
  const count = cla.end - cla.start >= 60 ? rng.pick(PLACEMENT_COUNTS) : 1;
  const cuts: Day[] = [];
  for (let i = 1; i < count; i++) cuts.push(rng.int(cla.start + 1, cla.end));
  if (adoption) cuts.push(Math.max(cla.start + 1, cla.end - rng.int(180, 540)));
  const bounds = [...new Set(cuts)].filter((day) => day > cla.start).sort((x, y) => x - y);
  let from = cla.start;
  for (let i = 0; i <= bounds.length; i++) {
    const to = (bounds[i] ?? cla.end + 1) - 1;
    const last = i === bounds.length;
    const type = adoption && last ? 'adoption' : rng.pick(PLACEMENT_TYPES);
    let stableFrom: Day | null = null;
    if (to - from > 120 && rng.chance(0.4)) {
      const stable = from + rng.int(60, 240);
      if (stable <= to) stableFrom = stable;
    }
    episode.placements.push({ type, start: from, end: to, stableFrom });
    from = to + 1;
  }

  // Court proceedings around the start of care, often after pre-proceedings.
  if (rng.chance(0.55)) {
    const courtStart = Math.max(builder.start, cla.start + rng.int(-30, 14));
    if (rng.chance(0.5)) {
      const preStart = Math.max(builder.start, courtStart - rng.int(60, 150));
      if (preStart < courtStart) {
        episode.legal.push({ type: 'pre-proceedings', start: preStart, end: courtStart - 1 });
      }
    }
    episode.legal.push({
      type: 'care-proceedings',
      start: courtStart,
      end: courtStart + rng.int(150, 400),
    });
  }

  if (rng.chance(0.6)) {
    let level: RiskLevel = rng.chance(0.7) ? 'high' : 'low';
    let riskFrom = cla.start + rng.int(0, 14);
    for (let i = 0; i < 3 && riskFrom <= cla.end; i++) {
      episode.risk.push({ level, from: riskFrom });
      riskFrom += rng.int(60, 365);
      level = level === 'high' ? 'low' : 'high';
    }
  }

  if (cla.end === child.adult - 1) {
    // Reached 18 in care: a care leaver, usually to 21 or 25.
    if (toLeavingCare || rng.chance(0.85)) {
      const until = toLeavingCare
        ? child.birthday25 - 1
        : rng.pick<Day>([
            [child.birthday21 - 1, 50],
            [child.birthday25 - 1, 30],
            [child.adult + rng.int(365, 1095), 20],
          ]);
      builder.chain('care-leaver', until - child.adult + 1);
    }
  } else if (!adoption && rng.chance(0.35)) {
    builder.chain('cin', rng.int(90, 270)); // home, on a child in need plan
  }
}

/** The last day covered by an episode's involvements. */
function episodeEnd(episode: Episode): Day {
  const last = episode.involvements[episode.involvements.length - 1];
  return last === undefined ? -Infinity : last.end;
}

function shiftEpisode(episode: Episode, by: number): void {
  for (const list of [episode.involvements, episode.placements, episode.legal]) {
    for (const record of list) {
      record.start += by;
      record.end += by;
    }
  }
  for (const placement of episode.placements) {
    if (placement.stableFrom !== null) placement.stableFrom += by;
  }
  for (const entry of episode.risk) entry.from += by;
}

/**
 * Drops what starts after `dropAfter` and ends everything by `endCap` at the latest; also keeps
 * side records (legal periods) within the episode's own involvements.
 */
function clipEpisode(episode: Episode, dropAfter: Day, endCap: Day): Episode {
  const involvements = episode.involvements
    .filter((record) => record.start <= dropAfter)
    .map((record) => ({ ...record, end: Math.min(record.end, endCap) }));
  const last = involvements[involvements.length - 1];
  if (last === undefined) return { involvements, placements: [], legal: [], risk: [] };
  const limit = Math.min(dropAfter, last.end);
  const cap = Math.min(endCap, last.end);
  return {
    involvements,
    placements: episode.placements
      .filter((record) => record.start <= limit)
      .map((record) => {
        const end = Math.min(record.end, cap);
        const stable = record.stableFrom;
        return { ...record, end, stableFrom: stable !== null && stable <= end ? stable : null };
      }),
    legal: episode.legal
      .filter((record) => record.start <= limit)
      .map((record) => ({ ...record, end: Math.min(record.end, cap) })),
    risk: episode.risk.filter((entry) => entry.from <= limit),
  };
}

/** Up to `count` sorted days in [lo, hi], at least MIN_EPISODE_GAP apart. */
function episodeStarts(rng: Random, count: number, lo: Day, hi: Day): Day[] {
  if (count <= 0 || hi < lo) return [];
  const drawn: Day[] = [];
  for (let i = 0; i < count; i++) drawn.push(rng.int(lo, hi));
  drawn.sort((x, y) => x - y);
  const starts: Day[] = [];
  for (const day of drawn) {
    const previous = starts[starts.length - 1];
    if (previous === undefined || day - previous >= MIN_EPISODE_GAP) starts.push(day);
  }
  return starts;
}

/** Events are packed as day * 4 + kind index, so a numeric sort orders them by date. */
function childEvents(
  rng: Random,
  episodes: readonly Episode[],
  asOf: Day,
  open: boolean,
): number[] {
  const packed: number[] = [];
  const add = (day: Day, kind: number): void => {
    if (day <= asOf) packed.push(day * 4 + kind);
  };
  const diligence = rng.pick(DILIGENCE);
  episodes.forEach((episode, index) => {
    const chain = episode.involvements;
    const first = chain[0];
    if (first === undefined) return;
    const isOpen = open && index === episodes.length - 1;
    let stop = Math.min(episodeEnd(episode), asOf);
    // Some open cases drift: nothing recorded for months before asOf.
    if (isOpen && rng.chance(0.15)) stop = Math.min(stop, asOf - rng.int(30, 240));

    let current = 0;
    const intervalAt = (day: Day): number => {
      while (current < chain.length - 1 && (chain[current]?.end ?? Infinity) < day) current++;
      const type = chain[current]?.type ?? 'cin';
      const gap = SUPERVISION_INTERVAL[type] * diligence * rng.between(0.7, 1.3);
      // Now and then a long gap: the case slips.
      return Math.max(1, Math.round(gap + (rng.chance(0.03) ? rng.int(45, 150) : 0)));
    };
    for (let day = first.start + Math.round(intervalAt(first.start) * rng.between(0.2, 1)); ;) {
      if (day > stop) break;
      // Some case discussions happen in group supervision.
      add(day, rng.chance(0.06) ? 1 : 0);
      if (rng.chance(0.04)) {
        const note = day + rng.int(1, 10);
        if (note <= stop) add(note, 2);
      }
      day += intervalAt(day);
    }

    // Management oversight a few working days into each assessment (sometimes missing), and
    // often at the start of a plan or of care.
    for (const record of chain) {
      const p =
        record.type === 'assessment'
          ? 0.85
          : record.type === 'cp' || record.type === 'cla'
            ? 0.4
            : 0;
      if (p > 0 && rng.chance(p)) {
        const note = record.start + rng.int(1, 14);
        if (note <= Math.min(record.end, asOf)) add(note, 2);
      }
    }
    // A supervision recorded just after the case closed, which counts for nothing.
    if (!isOpen && rng.chance(0.04)) add(episodeEnd(episode) + rng.int(1, 20), 0);
  });
  return packed.sort((x, y) => x - y);
}

interface ChildResult {
  child: ChildOut;
  open: boolean;
}

function generateChild(
  seed: number,
  index: number,
  asOf: Day,
  windowStart: Day,
  openShare: number,
): ChildResult {
  const rng = new Random(seed, STREAM.child, index);
  const band = rng.pick(AGE_BANDS);
  const dob = Math.min(asOf, asOf - Math.floor(rng.between(band[0], band[1]) * 365.25));
  const child: ChildContext = {
    dob,
    adult: addYears(dob, 18),
    birthday21: addYears(dob, 21),
    birthday25: addYears(dob, 25),
  };
  const earliest = Math.max(windowStart, dob);
  const latestStart = Math.min(asOf, child.adult - 30); // children's services end at 18
  let open = rng.chance(openShare);
  const count = rng.pick(EPISODE_COUNTS);
  const episodes: Episode[] = [];

  // A child too young to have a closed case behind them is open.
  if (!open && Math.min(asOf - 14, latestStart) < earliest && asOf < child.adult) open = true;

  if (open) {
    let last: Episode;
    if (asOf >= child.adult) {
      // An adult now can only be open as a care leaver: in care from before 18 if the window
      // reaches back that far, else known only as a care leaver.
      const lo = Math.max(earliest, addYears(dob, 13));
      const hi = child.adult - 60;
      if (lo <= hi) {
        last = buildEpisode(rng, child, rng.int(lo, hi), 'cla', true);
      } else {
        const builder = new EpisodeBuilder(Math.max(earliest, child.adult), child);
        builder.chain('care-leaver', child.birthday25 - builder.start);
        last = builder.episode;
      }
    } else {
      const start = Math.max(earliest, asOf - Math.min(2000, Math.round(rng.exponential(400))));
      last = buildEpisode(rng, child, start, rng.pick(OPEN_EPISODE_KINDS));
      // If it would have closed already, move it later so that asOf falls in its last
      // involvement: the case is still open, in whatever stage it reached.
      const final = last.involvements[last.involvements.length - 1];
      if (final !== undefined && final.end < asOf) {
        shiftEpisode(last, rng.int(asOf - final.end, asOf - final.start));
      }
    }
    last = clipEpisode(last, asOf, Infinity);
    const lastStart = last.involvements[0]?.start ?? asOf;
    const starts = episodeStarts(
      rng,
      count - 1,
      earliest,
      Math.min(lastStart, latestStart) - MIN_EPISODE_GAP,
    );
    starts.forEach((start, i) => {
      const next = starts[i + 1] ?? lastStart;
      const limit = Math.max(start, next - rng.int(14, 90));
      episodes.push(
        clipEpisode(buildEpisode(rng, child, start, rng.pick(EPISODE_KINDS)), limit, limit),
      );
    });
    episodes.push(last);
  } else {
    const starts = episodeStarts(rng, count, earliest, Math.min(asOf - 14, latestStart));
    if (starts.length === 0 && earliest <= asOf - 30) {
      // An adult whose whole window lies after their 18th birthday: a closed care-leaver case.
      const builder = new EpisodeBuilder(earliest, child);
      builder.chain('care-leaver', rng.int(180, 1095));
      const limit = Math.max(earliest, asOf - rng.int(1, 29));
      episodes.push(clipEpisode(builder.episode, limit, limit));
    }
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      // The last closed episode ends a little before asOf at the latest.
      const limit = Math.max(
        start,
        next === undefined ? asOf - 1 - rng.int(0, 90) : next - rng.int(14, 90),
      );
      episodes.push(
        clipEpisode(buildEpisode(rng, child, start, rng.pick(EPISODE_KINDS)), limit, limit),
      );
    });
  }

  const packed = childEvents(rng, episodes, asOf, open);
  const riskSeen = new Set<Day>();
  const out: ChildOut = {
    id: `C${index + 1}`,
    dateOfBirth: rng.chance(0.06) ? null : iso(dob),
    involvements: [],
    placements: [],
    legal: [],
    risk: [],
    events: packed.map((code) => ({
      date: iso(Math.floor(code / 4)),
      kind: CHILD_EVENT_KINDS[code % 4] ?? 'case-supervision',
    })),
  };
  for (const episode of episodes) {
    for (const r of episode.involvements) {
      out.involvements.push({ type: r.type, start: iso(r.start), end: isoEnd(r.end, asOf) });
    }
    for (const r of episode.placements) {
      out.placements.push({
        type: r.type,
        start: iso(r.start),
        end: isoEnd(r.end, asOf),
        stableFrom: r.stableFrom === null || r.stableFrom > asOf ? null : iso(r.stableFrom),
      });
    }
    for (const r of episode.legal) {
      out.legal.push({ type: r.type, start: iso(r.start), end: isoEnd(r.end, asOf) });
    }
    for (const entry of episode.risk) {
      // Two entries of one child never share a date (§6).
      if (riskSeen.has(entry.from)) continue;
      riskSeen.add(entry.from);
      out.risk.push({ level: entry.level, from: iso(entry.from) });
    }
  }
  return { child: out, open: episodes.some((e) => episodeEnd(e) >= asOf) };
}

// ---------------------------------------------------------------------------------------------
// Workers, foster carers, teams.

const WORKER_ROLES: Weighted<WorkerRole> = [
  ['social-worker', 50],
  ['advanced-practitioner', 8],
  ['team-manager', 8],
  ['service-manager', 2],
  ['head-of-service', 1],
  ['assistant-director', 0.3],
  ['director', 0.1],
  ['family-support-worker', 12],
  ['residential-worker', 8],
  ['iro', 4],
  ['school-staff', 4],
  ['other', 3],
];

/** Adds one event every `interval()` days from `from` to `to`, the first partway in. */
function recurring(
  rng: Random,
  from: Day,
  to: Day,
  interval: (day: Day) => number,
  add: (day: Day) => void,
): void {
  for (let day = from + Math.round(interval(from) * rng.between(0, 1)); day <= to;) {
    add(day);
    day += Math.max(1, interval(day));
  }
}

function generateWorker(seed: number, index: number, asOf: Day, windowStart: Day): WorkerOut {
  const rng = new Random(seed, STREAM.worker, index);
  const role = rng.pick(WORKER_ROLES);
  const start = rng.int(windowStart, asOf - 7);
  const end = rng.chance(0.15) && start + 30 <= asOf - 1 ? rng.int(start + 30, asOf - 1) : null;
  const last = Math.min(end ?? asOf, asOf); // last day employed, as far as asOf
  const probationEnd = rng.chance(0.5) ? start + (rng.chance(0.3) ? 91 : 182) : null;

  // About a fifth of social workers (a tenth of everyone) are on the NQSW / ASYE programme.
  let earlyCareer: { start: Day; end: Day | null } | null = null;
  if (role === 'social-worker' && rng.chance(0.2)) {
    const ecStart = Math.min(start + rng.int(0, 14), last);
    let ecEnd: Day | null = ecStart + rng.int(350, 380);
    if (end !== null && end < ecEnd) ecEnd = end; // left during the programme
    if (ecEnd > asOf || rng.chance(0.1)) ecEnd = null; // still on it, or never closed off
    earlyCareer = { start: ecStart, end: ecEnd };
  }

  const packed: number[] = [];
  const diligence = rng.pick(DILIGENCE);
  const ec = earlyCareer;
  // Weekly for the first six weeks of the programme, then fortnightly; every 3-6 weeks after.
  const individualInterval = (day: Day): number => {
    if (ec !== null && day >= ec.start && day <= (ec.end ?? asOf)) {
      return day < ec.start + 42 ? rng.int(6, 9) : rng.int(12, 18);
    }
    const slip = rng.chance(0.03) ? rng.int(30, 120) : 0;
    return Math.round(rng.int(21, 42) * diligence) + slip;
  };
  recurring(rng, start, last, individualInterval, (day) => packed.push(day * 4));

  // A contract at the start, reviewed on most anniversaries.
  if (rng.chance(0.9)) {
    const day = start + rng.int(0, 21);
    if (day <= last) packed.push(day * 4 + 2);
  }
  for (let year = 1; ; year++) {
    const anniversary = addYears(start, year);
    if (anniversary > last) break;
    if (rng.chance(0.6)) {
      const day = Math.max(start, anniversary + rng.int(-30, 30));
      if (day <= last) packed.push(day * 4 + 2);
    }
  }
  if (rng.chance(0.3)) {
    recurring(
      rng,
      start,
      last,
      () => rng.int(60, 120),
      (day) => packed.push(day * 4 + 1),
    );
  }
  packed.sort((x, y) => x - y);

  return {
    id: `W${index + 1}`,
    role,
    start: iso(start),
    end: end === null ? null : iso(end),
    probationEnd: probationEnd === null ? null : iso(probationEnd),
    earlyCareer:
      earlyCareer === null
        ? null
        : {
            start: iso(earlyCareer.start),
            end: earlyCareer.end === null ? null : iso(earlyCareer.end),
          },
    events: packed.map((code) => ({
      date: iso(Math.floor(code / 4)),
      kind: WORKER_EVENT_KINDS[code % 4] ?? 'individual',
    })),
  };
}

const FOSTER_PLACEMENT_COUNTS: Weighted<number> = [
  [0, 10],
  [1, 25],
  [2, 25],
  [3, 20],
  [4, 12],
  [5, 8],
];

function generateFosterCarer(
  seed: number,
  index: number,
  asOf: Day,
  windowStart: Day,
): FosterCarerOut {
  const rng = new Random(seed, STREAM.fosterCarer, index);
  const start = rng.int(windowStart, asOf - 30);
  const end = rng.chance(0.2) && start + 180 <= asOf - 1 ? rng.int(start + 180, asOf - 1) : null;
  const last = end ?? asOf;

  const placements: { start: string; end: string | null }[] = [];
  let cursor = start + rng.int(14, 120);
  const count = rng.pick(FOSTER_PLACEMENT_COUNTS);
  for (let i = 0; i < count && cursor <= last; i++) {
    const placementEnd = Math.min(cursor + rng.int(14, 900), last);
    placements.push({
      start: iso(cursor),
      end: end === null ? isoEnd(placementEnd, asOf) : iso(placementEnd),
    });
    // The next child may arrive while this one is still there (siblings, a short overlap).
    cursor = Math.max(cursor + 1, placementEnd + rng.int(-60, 120));
  }

  const diligence = rng.pick(DILIGENCE);
  const events: EventOut<'supervision'>[] = [];
  recurring(
    rng,
    start,
    last,
    () => Math.round(rng.int(25, 45) * diligence),
    (day) => events.push({ date: iso(day), kind: 'supervision' }),
  );
  return {
    id: `F${index + 1}`,
    start: iso(start),
    end: end === null ? null : iso(end),
    placements,
    events,
  };
}

function generateTeam(seed: number, index: number, asOf: Day, windowStart: Day): TeamOut {
  const rng = new Random(seed, STREAM.team, index);
  const groupSupervision = rng.chance(0.5);
  // Half the teams existed when the window opens; the rest were set up since.
  const start = rng.chance(0.5)
    ? windowStart + rng.int(0, 60)
    : rng.int(windowStart, Math.max(windowStart, asOf - 30));
  const end = rng.chance(0.1) && start + 365 <= asOf - 1 ? rng.int(start + 365, asOf - 1) : null;
  const last = end ?? asOf;
  const events: EventOut<'group'>[] = [];
  const add = (day: Day): void => {
    events.push({ date: iso(day), kind: 'group' });
  };
  if (groupSupervision) recurring(rng, start, last, () => rng.int(28, 42), add);
  else if (rng.chance(0.2)) recurring(rng, start, last, () => rng.int(60, 120), add);
  return {
    id: `T${index + 1}`,
    groupSupervision,
    start: iso(start),
    end: end === null ? null : iso(end),
    events,
  };
}

// ---------------------------------------------------------------------------------------------
// The document.

/** The share of children given an involvement open on asOf. */
const OPEN_SHARE = 0.2;

function checkOptions(options: GenerateOptions): Day {
  const asOf = parseDay(options.asOf);
  if (asOf === undefined)
    throw new RangeError(`asOf ${JSON.stringify(options.asOf)} is not a real YYYY-MM-DD date`);
  if (!Number.isSafeInteger(options.seed)) throw new RangeError('seed must be an integer');
  for (const key of ['children', 'workers', 'fosterCarers', 'teams', 'years'] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${key} must be a whole number, not ${value}`);
    }
  }
  if (options.years < 1) throw new RangeError('years must be at least 1');
  return asOf;
}

/**
 * Writes an extract to `path` and reports what is in it. Subjects are generated, serialised and
 * written one at a time, so memory use does not grow with the size of the extract.
 */
export async function writeExtract(
  path: string,
  options: GenerateOptions,
): Promise<GenerateSummary> {
  const asOf = checkOptions(options);
  const { seed } = options;
  const windowStart = addYears(asOf, -options.years);
  const stream = createWriteStream(path);
  const writer = new ChunkedWriter(stream);
  let events = 0;
  let openChildren = 0;

  try {
    await writer.write('{"children":[');
    for (let i = 0; i < options.children; i++) {
      const { child, open } = generateChild(seed, i, asOf, windowStart, OPEN_SHARE);
      events += child.events.length;
      if (open) openChildren++;
      await writer.write((i === 0 ? '' : ',') + JSON.stringify(child));
    }
    await writer.write('],"workers":[');
    for (let i = 0; i < options.workers; i++) {
      const worker = generateWorker(seed, i, asOf, windowStart);
      events += worker.events.length;
      await writer.write((i === 0 ? '' : ',') + JSON.stringify(worker));
    }
    await writer.write('],"fosterCarers":[');
    for (let i = 0; i < options.fosterCarers; i++) {
      const carer = generateFosterCarer(seed, i, asOf, windowStart);
      events += carer.events.length;
      await writer.write((i === 0 ? '' : ',') + JSON.stringify(carer));
    }
    await writer.write('],"teams":[');
    for (let i = 0; i < options.teams; i++) {
      const team = generateTeam(seed, i, asOf, windowStart);
      events += team.events.length;
      await writer.write((i === 0 ? '' : ',') + JSON.stringify(team));
    }
    await writer.write(']}');
    await writer.end();
  } catch (error) {
    stream.destroy();
    throw error;
  } finally {
    isoCache.clear();
  }

  return {
    children: options.children,
    workers: options.workers,
    fosterCarers: options.fosterCarers,
    teams: options.teams,
    events,
    openChildren,
    bytes: writer.bytes,
  };
}
