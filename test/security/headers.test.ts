import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { OpenDatabase } from '../../src/db/create-db.js';
import { demoApp, Session, signedIn, TEST_TODAY } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { crawl } from './support/crawl.js';

/**
 * The headers every answer carries (src/plugins/security.ts), on a page, an asset, an error page,
 * a signed-in page and a download; the nonce of every script on every page a role can reach; HSTS
 * only behind https; and the limits on what a request may send (src/app.ts).
 */

const ROLES = ['sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;

/** The Content Security Policy, with the nonces taken out. */
const CSP =
  "default-src 'self';script-src 'self' 'nonce-N';style-src 'self' 'nonce-N';img-src 'self' data:;" +
  "font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';" +
  "object-src 'none'";

/** GOV.UK Frontend's page template marks the body as able to run scripts: the only inline script. */
const GOVUK_BODY_CLASS_SCRIPT =
  "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

function scriptNonce(response: LightMyRequestResponse): string {
  const csp = response.headers['content-security-policy'] ?? '';
  const nonce = /script-src 'self' 'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
  if (nonce === undefined) throw new Error(`no script nonce in ${csp}`);
  return nonce;
}

function expectSecurityHeaders(what: string, response: LightMyRequestResponse) {
  const h = response.headers;
  expect({
    what,
    csp: String(h['content-security-policy']).replace(/'nonce-[0-9a-f]+'/g, "'nonce-N'"),
    frame: h['x-frame-options'],
    referrer: h['referrer-policy'],
    sniff: h['x-content-type-options'],
    poweredBy: h['x-powered-by'],
    hsts: h['strict-transport-security'],
  }).toEqual({
    what,
    csp: CSP,
    frame: 'DENY',
    referrer: 'same-origin',
    sniff: 'nosniff',
    poweredBy: undefined,
    hsts: undefined,
  });
}

describeEachDatabase('security headers', (use) => {
  let database: OpenDatabase;
  let app: FastifyInstance;
  const sessions = new Map<string, Session>();

  beforeAll(async () => {
    database = use();
    app = await demoApp(database);
    for (const role of ROLES) sessions.set(role, await signedIn(app, `${role}@demo.example`));
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  const as = (role: string) => {
    const session = sessions.get(role);
    if (session === undefined) throw new Error(role);
    return session;
  };

  it('sends the same strict headers on a page, an asset, an error page, a signed-in page and a download', async () => {
    const anonymous = new Session(app);
    const page = await anonymous.get('/sign-in');
    expect(page.statusCode).toBe(200);
    expectSecurityHeaders('sign-in page', page);
    const asset = await anonymous.get('/assets/init.js');
    expect(asset.statusCode).toBe(200);
    expectSecurityHeaders('asset', asset);
    const missing = await anonymous.get('/no-such-page');
    expect(missing.statusCode).toBe(404);
    expectSecurityHeaders('error page', missing);
    const mine = await as('tm').get('/my-work');
    expect(mine.statusCode).toBe(200);
    expectSecurityHeaders('signed-in page', mine);
    const download = await as('tm').get('/actions.csv');
    expect(download.statusCode).toBe(200);
    expectSecurityHeaders('download', download);
    const forbidden = await as('sw').get('/admin');
    expect(forbidden.statusCode).toBe(403);
    expectSecurityHeaders('refusal', forbidden);
  });

  it('keeps pages, refusals and downloads out of every cache; assets may be cached', async () => {
    const anonymous = new Session(app);
    expect((await anonymous.get('/sign-in')).headers['cache-control']).toBe('no-store');
    expect((await anonymous.get('/no-such-page')).headers['cache-control']).toBe('no-store');
    expect((await as('sw').get('/my-work')).headers['cache-control']).toBe('no-store');
    expect((await as('sw').get('/admin')).headers['cache-control']).toBe('no-store');
    expect((await as('tm').get('/actions.csv')).headers['cache-control']).toBe('no-store');
    expect((await anonymous.get('/assets/init.js')).headers['cache-control']).not.toContain(
      'no-store',
    );
  });

  it('gives each answer its own nonce', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) nonces.add(scriptNonce(await as('sw').get('/my-work')));
    expect(nonces.size).toBe(5);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
  });

  it('every script on every page each role can reach carries the page’s nonce, and none is inline but GOV.UK’s one line', async () => {
    let pages = 0;
    for (const role of ROLES) {
      const found = await crawl(as(role), ['/'], { limit: 60, perShape: 1 });
      for (const { url, response } of found) {
        if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue;
        pages++;
        const nonce = scriptNonce(response);
        const scripts = [...response.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        expect(scripts.length, `${role} ${url}: scripts`).toBeGreaterThan(0);
        for (const [, attributes = '', content = ''] of scripts) {
          expect({ role, url, nonce: / nonce="([^"]*)"/.exec(attributes)?.[1] }).toEqual({
            role,
            url,
            nonce,
          });
          if (!/\ssrc="\/assets\//.test(attributes))
            expect({ role, url, inline: content }).toEqual({
              role,
              url,
              inline: GOVUK_BODY_CLASS_SCRIPT,
            });
        }
        // No inline event handlers (CSP would block them; a page must not need them).
        expect({ role, url, handlers: response.body.match(/<[^>]+\son[a-z]+="/g) }).toEqual({
          role,
          url,
          handlers: null,
        });
      }
    }
    expect(pages).toBeGreaterThan(ROLES.length * 5);
  }, 120_000);

  it('refuses a form of more than 1 MB with a page saying so, and saves nothing', async () => {
    const session = as('sw');
    const before = await database.db
      .selectFrom('agenda_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await session.get('/supervision');
    const response = await session.post('/supervision/agenda-items', {
      item: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('What you sent is too large');
    expect(response.body).toContain('A form can send at most 1 MB');
    const after = await database.db
      .selectFrom('agenda_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // Just under the limit is read (and refused or taken by the form's own rules, not the limit).
    const under = await session.post('/supervision/agenda-items', { item: 'x'.repeat(500_000) });
    expect(under.statusCode).not.toBe(413);
  });

  it('refuses an API body of more than 1 MB in the API’s JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/children/C000001/events',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ovs_whatever' },
      payload: JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }),
    });
    expect(response.statusCode).toBe(413);
    const answer: { error: { code: string; message: string } } = response.json();
    expect(answer.error.code).toBe('invalid_request');
    expect(answer.error.message).toContain('at most 1 MB');
  });
});

it('sends HSTS, upgrades requests and marks cookies Secure only behind https', async () => {
  const { freshDatabase } = await import('../support/databases.js');
  const database = await freshDatabase('sqlite');
  try {
    const build = (publicUrl: string) =>
      buildApp({
        config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl }),
        database,
        clock: fixedClock(TEST_TODAY),
      });
    const secure = await build('https://oversight.example.gov.uk');
    const overTls = await secure.inject({ method: 'GET', url: '/sign-in' });
    expect(overTls.headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(String(overTls.headers['content-security-policy'])).toContain(
      'upgrade-insecure-requests',
    );
    expect(String(overTls.headers['set-cookie'])).toContain('Secure');
    await secure.close();
    const plain = await build('http://localhost:3000');
    const overHttp = await plain.inject({ method: 'GET', url: '/sign-in' });
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
    expect(String(overHttp.headers['content-security-policy'])).not.toContain(
      'upgrade-insecure-requests',
    );
    expect(String(overHttp.headers['set-cookie'])).not.toContain('Secure');
    await plain.close();
  } finally {
    await database.close();
  }
});
