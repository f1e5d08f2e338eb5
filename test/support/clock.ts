import { londonDate, type Clock } from '../../src/clock.js';

/** A clock a test moves on by hand: sessions time out without anyone waiting. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: string | Date) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`TestClock: not an instant: ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  today(): string {
    return londonDate(new Date(this.current));
  }

  advance(by: { hours?: number; minutes?: number; seconds?: number }): this {
    this.current +=
      (by.hours ?? 0) * 3_600_000 + (by.minutes ?? 0) * 60_000 + (by.seconds ?? 0) * 1000;
    return this;
  }
}
