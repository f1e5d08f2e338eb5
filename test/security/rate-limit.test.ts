import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenDatabase } from '../../src/db/create-db.js';
import { AttemptCounter, isSignInStep } from '../../src/plugins/rate-limit.js';
import { demoApp, Session } from '../support/app.js';
import { TestClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';

/**
 * Guessing at sign-in is limited per address: 20 refused attempts a minute at sign-in and its
 * steps (the default of RATE_LIMIT_SIGN_IN_PER_MINUTE). The clock is moved by hand: nothing
 * waits. (The API's limits, per token and by address, are tested in test/api.test.ts.)
 */

const SIGN_IN_LIMIT = 20;

async function failedSignIn(app: FastifyInstance, address: string, n: number) {
  // A made-up account each time: the per-account lockout never comes into it.
  const session = new Session(app);
  await session.get('/sign-in');
  return app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress: address,
    headers: { cookie: session.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      email: `guess-${String(n)}@elsewhere.example`,
      password: 'not the password',
      returnTo: '/',
      _csrf: session.csrf,
    }).toString(),
  });
}

describeEachDatabase('rate limits', (use) => {
  let database: OpenDatabase;
  let app: FastifyInstance;
  const clock = new TestClock('2026-11-24T12:00:00Z');

  beforeAll(async () => {
    database = use();
    app = await demoApp(database, clock);
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  it('refuses sign-in from an address after 20 refused attempts in a minute, with a page saying how long to wait', async () => {
    const address = '203.0.113.10';
    for (let n = 0; n < SIGN_IN_LIMIT; n++) {
      const refused = await failedSignIn(app, address, n);
      expect({ n, status: refused.statusCode }).toEqual({ n, status: 400 });
    }
    const limited = await failedSignIn(app, address, 99);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(limited.body).toContain('<title>Too many attempts');
    expect(limited.body).toContain('Wait 60 seconds, then try again.');

    // Even the right password is not tried while the address is refused.
    const right = await app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress: address,
      payload: { email: 'sw@demo.example', password: 'oversight-demo' },
    });
    expect(right.statusCode).toBe(429);

    // Another address is not affected.
    expect((await failedSignIn(app, '203.0.113.11', 0)).statusCode).toBe(400);

    // Retry-After counts down, and once the minute is over the address may try again.
    clock.advance({ seconds: 45 });
    expect((await failedSignIn(app, address, 100)).headers['retry-after']).toBe('15');
    clock.advance({ seconds: 15 });
    expect((await failedSignIn(app, address, 101)).statusCode).toBe(400);
  });

  it('does not count sign-ins that succeed', async () => {
    const address = '203.0.113.20';
    for (let n = 0; n < SIGN_IN_LIMIT + 5; n++) {
      const session = new Session(app);
      await session.get('/sign-in');
      const response = await app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: address,
        headers: {
          cookie: session.cookieHeader,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          email: 'sw@demo.example',
          password: 'oversight-demo',
          returnTo: '/',
          _csrf: session.csrf,
        }).toString(),
      });
      expect({ n, status: response.statusCode }).toEqual({ n, status: 303 });
    }
  });

  it('counts guessed password-reset links against the address', async () => {
    const address = '203.0.113.30';
    for (let n = 0; n < SIGN_IN_LIMIT; n++) {
      const response = await app.inject({
        method: 'GET',
        url: `/reset-password/guess-${String(n)}`,
        remoteAddress: address,
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    const limited = await app.inject({
      method: 'GET',
      url: '/reset-password/guess-x',
      remoteAddress: address,
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many attempts');
  });

  it('leaves the API to its own limits, which record their refusals with the calls', async () => {
    // More refused calls than sign-in allows: the API's own limit by address (600 a minute,
    // test/api.test.ts) is the one that applies, and every call reaches the API's record.
    const address = '198.51.100.7';
    for (let n = 0; n < SIGN_IN_LIMIT * 3; n++) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/children/C1/due',
        remoteAddress: address,
        headers: { authorization: `Bearer ovs_guess${String(n)}` },
      });
      expect({ n, status: response.statusCode }).toEqual({ n, status: 401 });
    }
  });

  it('leaves other pages alone', async () => {
    for (let n = 0; n < SIGN_IN_LIMIT + 5; n++) {
      const response = await app.inject({
        method: 'GET',
        url: '/no-such-page',
        remoteAddress: '203.0.113.40',
      });
      expect(response.statusCode).toBe(404);
    }
  });
});

it('limits sign-in and its steps, and nothing else', () => {
  expect(isSignInStep('POST', '/sign-in')).toBe(true);
  expect(isSignInStep('POST', '/sign-in/two-factor')).toBe(true);
  expect(isSignInStep('POST', '/sign-in/two-factor/set-up')).toBe(true);
  expect(isSignInStep('GET', '/sign-in/sso/callback?code=x')).toBe(true);
  expect(isSignInStep('GET', '/reset-password/abc')).toBe(true);
  expect(isSignInStep('POST', '/reset-password/abc')).toBe(true);
  expect(isSignInStep('GET', '/sign-in')).toBe(false);
  expect(isSignInStep('GET', '/api/v1/teams/T1/due')).toBe(false);
  expect(isSignInStep('GET', '/my-work')).toBe(false);
  expect(isSignInStep('POST', '/supervision/new')).toBe(false);
});

it('gives back an attempt only within its own window', () => {
  const counter = new AttemptCounter(2, 60_000);
  const first = counter.take('a', 0);
  counter.take('a', 1);
  expect(counter.take('a', 2)).toEqual({ allowed: false, retryAfterSeconds: 60 });
  if (!first.allowed) throw new Error('first attempt refused');
  counter.giveBack('a', first.windowStart);
  expect(counter.take('a', 3).allowed).toBe(true);
  // A new window: an old attempt given back does not make room beyond the limit.
  counter.take('a', 60_000);
  counter.giveBack('a', first.windowStart);
  counter.take('a', 60_001);
  expect(counter.take('a', 60_002).allowed).toBe(false);
});

it('behind https counts the address the proxy saw, not one a client writes in X-Forwarded-For', async () => {
  const { freshDatabase } = await import('../support/databases.js');
  const database = await freshDatabase('sqlite');
  const { buildApp } = await import('../../src/app.js');
  const { loadConfig } = await import('../../src/config.js');
  const app = await buildApp({
    config: loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://oversight.example.gov.uk',
    }),
    database,
    clock: new TestClock('2026-11-24T12:00:00Z'),
  });
  try {
    const attempt = (n: number) =>
      app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: '10.0.0.1',
        headers: {
          // The client's own claim first, then the address the proxy appended.
          'x-forwarded-for': `192.0.2.${String(n)}, 203.0.113.99`,
          'x-forwarded-proto': 'https',
        },
        payload: { email: `guess-${String(n)}@elsewhere.example`, password: 'not it' },
      });
    for (let n = 0; n < SIGN_IN_LIMIT; n++) {
      const refused = await attempt(n);
      expect({ n, status: refused.statusCode }).toEqual({ n, status: 403 });
    }
    expect((await attempt(99)).statusCode).toBe(429);
  } finally {
    await app.close();
    await database.close();
  }
});
