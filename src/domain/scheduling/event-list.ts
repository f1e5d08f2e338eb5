import { parseValidIsoDate } from '../dates/index.js';
import { EVENT_KINDS } from './vocabulary.js';

/** Each event kind as one bit, so a family's kinds are a mask. */
const KIND_BITS = new Map<string, number>(
  [...new Set(Object.values(EVENT_KINDS).flat())].map((kind, index) => [kind, 1 << index]),
);

const CASE_SUPERVISION = KIND_BITS.get('case-supervision') ?? 0;
const INDIVIDUAL = KIND_BITS.get('individual') ?? 0;

/** The bit of a kind; the two commonest kinds first, without a map look-up (millions of calls). */
function kindBit(kind: string): number {
  if (kind === 'case-supervision') return CASE_SUPERVISION;
  if (kind === 'individual') return INDIVIDUAL;
  return KIND_BITS.get(kind) ?? 0;
}

export function kindMask(kinds: readonly string[]): number {
  let mask = 0;
  for (const kind of kinds) mask |= KIND_BITS.get(kind) ?? 0;
  return mask;
}

export interface EventInput {
  readonly date: string;
  readonly kind: string;
}

/**
 * One subject's events, dates parsed once and put in order, held in typed arrays that one run
 * of the engine reuses from subject to subject: a council's extract has millions of events, and
 * building arrays of them per subject was most of the engine's garbage.
 */
export class EventList {
  private dates = new Int32Array(256);
  private kinds = new Int32Array(256);
  private count = 0;
  private source: readonly EventInput[] | null | undefined = null;
  private loaded = true;

  /** The subject whose events are asked about next; they are parsed only if they are. */
  use(events: readonly EventInput[] | null | undefined): void {
    this.source = events;
    this.loaded = false;
  }

  private load(): void {
    this.loaded = true;
    const events = this.source;
    const n = events?.length ?? 0;
    if (n > this.dates.length) {
      const size = Math.max(n, this.dates.length * 2);
      this.dates = new Int32Array(size);
      this.kinds = new Int32Array(size);
    }
    this.count = n;
    if (!events || n === 0) return;
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const event = events[i] as EventInput;
      const date = parseValidIsoDate(event.date);
      if (i > 0 && date < (this.dates[i - 1] as number)) sorted = false;
      this.dates[i] = date;
      this.kinds[i] = kindBit(event.kind);
    }
    if (!sorted) {
      const order = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => (this.dates[a] as number) - (this.dates[b] as number) || a - b,
      );
      const dates = order.map((i) => this.dates[i] as number);
      const kinds = order.map((i) => this.kinds[i] as number);
      this.dates.set(dates);
      this.kinds.set(kinds);
    }
  }

  /** The last date of an event of `mask` from `from` to `to`, or null. */
  last(mask: number, from: number, to: number): number | null {
    if (!this.loaded) this.load();
    for (let i = this.count - 1; i >= 0; i--) {
      const date = this.dates[i] as number;
      if (date < from) return null;
      if (date <= to && ((this.kinds[i] as number) & mask) !== 0) return date;
    }
    return null;
  }

  /** The first date of an event of `mask` from `from` to `to`, or null. */
  first(mask: number, from: number, to: number): number | null {
    if (!this.loaded) this.load();
    for (let i = 0; i < this.count; i++) {
      const date = this.dates[i] as number;
      if (date > to) return null;
      if (date >= from && ((this.kinds[i] as number) & mask) !== 0) return date;
    }
    return null;
  }
}
