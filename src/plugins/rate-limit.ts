import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';

/**
 * A limit on guessing at sign-in, per client address (request.ip: behind https, trustProxy gives
 * the address the proxy saw): at most `signInPerMinute` refused attempts (answers of 400–499) a
 * minute at sign-in and its steps (POST /sign-in, /sign-in/two-factor…, /sign-in/sso…,
 * /reset-password/…). The API (/api/v1/…) has its own limits, which record their refusals with
 * the calls (src/features/api/rate-limit.ts: per token, and by address for calls without a
 * valid token).
 *
 * Every attempt is counted when it arrives and given back when it succeeds, so a burst sent all
 * at once cannot outrun the count, and people who sign in are never held up. Counts are kept in
 * fixed one-minute windows in the memory of each instance: with two instances, twice as many.
 * The per-account lockout (5 failed sign-ins, in the database) holds across instances.
 */

export interface RateLimitOptions {
  clock: Clock;
  signInPerMinute: number;
}

export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Forget windows once this many are held, keeping those still open. */
const PRUNE_AT = 10_000;

type Taken = { allowed: true; windowStart: number } | { allowed: false; retryAfterSeconds: number };

/** Fixed windows of counts per key; what is taken can be given back while its window lasts. */
export class AttemptCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number = RATE_LIMIT_WINDOW_MS,
  ) {}

  take(key: string, nowMs: number): Taken {
    let window = this.windows.get(key);
    if (window === undefined || nowMs >= window.start + this.windowMs || nowMs < window.start) {
      if (window === undefined && this.windows.size >= PRUNE_AT) this.prune(nowMs);
      window = { start: nowMs, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit)
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - nowMs) / 1000)),
      };
    window.count++;
    return { allowed: true, windowStart: window.start };
  }

  giveBack(key: string, windowStart: number): void {
    const window = this.windows.get(key);
    if (window !== undefined && window.start === windowStart && window.count > 0) window.count--;
  }

  private prune(nowMs: number): void {
    for (const [key, window] of this.windows)
      if (nowMs >= window.start + this.windowMs) this.windows.delete(key);
  }
}

/** Whether a request is a step of signing in, and so limited. */
export function isSignInStep(method: string, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (path.startsWith('/sign-in/sso')) return true;
  if (path.startsWith('/reset-password/')) return true;
  return method === 'POST' && (path === '/sign-in' || path.startsWith('/sign-in/'));
}

/** Whether an answer counts against the address: a refusal, not a success. */
function refused(status: number): boolean {
  return status >= 400 && status < 500;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The attempt this request took from its address's allowance, to give back on success. */
    rateLimitTaken: { key: string; windowStart: number } | null;
  }
}

export const rateLimitPlugin = fp(
  (app: FastifyInstance, options: RateLimitOptions, done: () => void) => {
    const counter = new AttemptCounter(options.signInPerMinute);
    app.decorateRequest('rateLimitTaken', null);

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isSignInStep(request.method, request.url)) return;
      const key = request.ip;
      const taken = counter.take(key, options.clock.now().getTime());
      if (taken.allowed) {
        request.rateLimitTaken = { key, windowStart: taken.windowStart };
        return;
      }
      const seconds = taken.retryAfterSeconds;
      return reply
        .code(429)
        .header('retry-after', String(seconds))
        .header('cache-control', 'no-store')
        .view('errors/429', { seconds });
    });

    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const taken = request.rateLimitTaken;
      if (taken !== null && !refused(reply.statusCode))
        counter.giveBack(taken.key, taken.windowStart);
    });

    done();
  },
  { name: 'oversight-rate-limit' },
);
