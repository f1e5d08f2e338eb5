/**
 * "Today" and "now", injected everywhere they are needed so that tests can set the date.
 * Today is the calendar date in Europe/London (spec/scheduling.md §2).
 */
export interface Clock {
  /** Today's date in Europe/London, as YYYY-MM-DD. */
  today(): string;
  now(): Date;
}

// en-CA writes dates as YYYY-MM-DD. Made once: building a formatter costs more than using it.
const LONDON = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function londonDate(instant: Date): string {
  return LONDON.format(instant);
}

export const systemClock: Clock = {
  today: () => londonDate(new Date()),
  now: () => new Date(),
};

/** A clock stopped at one instant, for tests and for `--as-of`. */
export function fixedClock(today: string, now = new Date(`${today}T12:00:00Z`)): Clock {
  return { today: () => today, now: () => now };
}
