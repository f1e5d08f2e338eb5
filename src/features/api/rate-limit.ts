/**
 * How many calls a token may make: counted in windows of a minute, from the first call of each
 * window, in the memory of each instance of the service (with two instances, a token may make
 * twice as many). Calls without a recognised token are counted by the caller's address.
 */

export const RATE_LIMIT = { calls: 600, windowMs: 60_000 } as const;

/** Forget windows once this many are held, keeping those still open. */
const PRUNE_AT = 10_000;

export type Allowance = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number = RATE_LIMIT.calls,
    readonly windowMs: number = RATE_LIMIT.windowMs,
  ) {}

  /** Counts a call for `key` at `nowMs`, unless the key has used its allowance. */
  take(key: string, nowMs: number): Allowance {
    let window = this.windows.get(key);
    if (window === undefined || nowMs >= window.start + this.windowMs || nowMs < window.start) {
      if (window === undefined && this.windows.size >= PRUNE_AT) this.prune(nowMs);
      window = { start: nowMs, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - nowMs) / 1000)),
      };
    }
    window.count++;
    return { allowed: true };
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows)
      if (nowMs >= window.start + this.windowMs) this.windows.delete(key);
  }
}
