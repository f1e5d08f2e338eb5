import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import type { Db } from '../src/db/database.js';
import { emailOfClaims } from '../src/services/single-sign-on.service.js';
import { ensureCurrent } from '../src/services/due.service.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { covered } from './matrix/single-sign-on.js';
import { demoApp, Session, TEST_TODAY } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';
import {
  startTestIssuer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  TEST_PUBLIC_CLIENT_ID,
  type TestIssuer,
} from './support/oidc-issuer.js';

/**
 * Single sign-on with OpenID Connect against a real issuer (oidc-provider) started here: the
 * authorisation code flow with PKCE signs people in by email, on both databases, and every way
 * it can go wrong is refused with a clear page and an audit entry. Routes against every role at
 * the end.
 */

const PUBLIC_URL = 'http://oversight.test';
const CALLBACK = `${PUBLIC_URL}/sign-in/sso/callback`;
const UNKNOWN_TEXT =
  'Your council account signed you in, but Oversight has no one with the email address';

function config(issuer: TestIssuer, extra: Record<string, string | undefined> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL,
    OIDC_ISSUER: issuer.url,
    OIDC_CLIENT_ID: TEST_CLIENT_ID,
    OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
    // Every refusal here comes from one address, on a clock that stands still.
    RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000',
    ...extra,
  });
}

/** Page text without markup or runs of white space. */
function text(response: LightMyRequestResponse): string {
  return response.body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function sha256Base64url(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface AuditRow {
  action: string;
  actor: string;
  account_id: string | null;
  detail: Record<string, unknown>;
}

async function auditAfter(db: Db, seq: number): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'account_id', 'detail'])
    .where('seq', '>', seq)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

async function lastSeq(db: Db): Promise<number> {
  const head = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
  return Number(head.seq);
}

/** The app's start of a sign-in: its redirect to the issuer, and the request kept for it. */
async function start(session: Session, returnTo?: string) {
  const response = await session.get(
    `/sign-in/sso${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`,
  );
  expect(response.statusCode).toBe(303);
  return { response, authorizationUrl: String(response.headers.location) };
}

/** The callback as the app sees it (path and query), from the issuer's redirect URI. */
function local(callbackUrl: string): string {
  expect(callbackUrl.startsWith(CALLBACK)).toBe(true);
  const url = new URL(callbackUrl);
  return `${url.pathname}${url.search}`;
}

describe('the email a sign-in is matched by', () => {
  it('is the email claim, else an email-shaped preferred_username or upn (Entra ID)', () => {
    expect(emailOfClaims({ email: ' Pia.Rookwell@Demo.Example ', email_verified: true })).toEqual({
      email: 'pia.rookwell@demo.example',
      verified: true,
    });
    expect(emailOfClaims({ preferred_username: 'SW@demo.example' })).toEqual({
      email: 'sw@demo.example',
      verified: null,
    });
    expect(emailOfClaims({ upn: 'sw@demo.example', preferred_username: 'Pia' })).toEqual({
      email: 'sw@demo.example',
      verified: null,
    });
    expect(emailOfClaims({ preferred_username: 'pia rookwell' }).email).toBeNull();
    expect(emailOfClaims({}).email).toBeNull();
  });
});

describe('single sign-on when it is not set up', () => {
  it('has no single sign-on addresses', async () => {
    const { freshDatabase } = await import('./support/databases.js');
    const database = await freshDatabase('sqlite');
    try {
      const app = await demoApp(database);
      expect((await app.inject('/sign-in/sso')).statusCode).toBe(404);
      expect((await app.inject('/sign-in/sso/callback?code=x&state=y')).statusCode).toBe(404);
      await app.close();
    } finally {
      await database.close();
    }
  });
});

describeEachDatabase('single sign-on', (use) => {
  let issuer: TestIssuer;
  let app: FastifyInstance;
  let db: Db;
  /** People in the structure with an email, no account and no end date. */
  let noAccount: { id: string; email: string }[];
  const clock = fixedClock(TEST_TODAY);

  beforeAll(async () => {
    const database: OpenDatabase = use();
    db = database.db;
    await setUpOrganisation(db, clock, { demo: true, councilName: 'Demo Borough Council' });
    await ensureCurrent(db, clock);
    noAccount = (
      await db
        .selectFrom('people')
        .leftJoin('accounts', 'accounts.person_id', 'people.id')
        .select(['people.id', 'people.email'])
        .where('accounts.id', 'is', null)
        .where('people.email', 'is not', null)
        .where('people.end', 'is', null)
        .orderBy('people.id')
        .limit(7)
        .execute()
    ).map((p) => ({ id: p.id, email: p.email ?? '' }));
    expect(noAccount).toHaveLength(7);
    issuer = await startTestIssuer({
      redirectUris: [CALLBACK],
      people: {
        'sw@demo.example': { subject: 'subject-sw' },
        'tm@demo.example': { subject: 'subject-tm' },
        'director@demo.example': { subject: 'subject-director' },
        'hos@demo.example': { subject: 'subject-hos' },
        'qa@demo.example': { subject: 'subject-qa' },
        'admin@demo.example': { subject: 'subject-admin', amr: ['pwd', 'mfa'] },
        'nobody@elsewhere.example': { subject: 'subject-nobody' },
      },
    });
    app = await buildApp({ config: config(issuer), database, clock });
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('every single sign-on route against every role', async () => {
    // Signed in through single sign-on itself (the administrator included: the council's
    // identity provider asks for the second factor).
    const roles = ['sw', 'tm', 'hos', 'director', 'qa', 'admin'] as const;
    const sessions = new Map<string, Session>([['anonymous', new Session(app)]]);
    for (const role of roles) {
      const session = new Session(app);
      const { authorizationUrl } = await start(session);
      const back = await session.get(
        local(await issuer.logIn(authorizationUrl, `${role}@demo.example`)),
      );
      expect({ role, status: back.statusCode }).toEqual({ role, status: 303 });
      expect((await session.get('/')).statusCode).not.toBe(500);
      sessions.set(role, session);
    }
    for (const [role, session] of sessions) {
      // Starting a sign-in is open to everyone, signed in or not (to change who is signed in).
      const begun = await session.get('/sign-in/sso');
      expect({ role, status: begun.statusCode }).toEqual({ role, status: 303 });
      expect(String(begun.headers.location).startsWith(`${issuer.url}/`)).toBe(true);
      // A callback with nothing in it is refused, whoever asks, and signs no one out.
      const callback = await session.get('/sign-in/sso/callback');
      expect({ role, status: callback.statusCode }).toEqual({ role, status: 400 });
    }
    expect(covered).toEqual(['GET /sign-in/sso', 'GET /sign-in/sso/callback']);
  });

  it('signs the social worker in through the whole code flow, to where they were going', async () => {
    const before = await lastSeq(db);
    const session = new Session(app);
    const { response, authorizationUrl } = await start(session, '/actions');
    expect(response.headers['cache-control']).toBe('no-store');
    const callbackUrl = await issuer.logIn(authorizationUrl, 'SW@demo.example');
    const back = await session.get(local(callbackUrl));
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/actions');
    const cookies = back.cookies as { name: string; value: string; httpOnly?: boolean }[];
    expect(cookies.find((c) => c.name === 'oversight_session')?.httpOnly).toBe(true);
    const myWork = await session.get('/my-work');
    expect(myWork.statusCode).toBe(200);
    expect(myWork.body).toContain('Pia Rookwell');

    const account = await db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'sw@demo.example')
      .executeTakeFirstOrThrow();
    const audit = await auditAfter(db, before);
    expect(audit).toContainEqual({
      action: 'sign-in',
      actor: 'sw@demo.example',
      account_id: account.id,
      detail: expect.objectContaining({ method: 'sso', issuer: issuer.url }) as unknown,
    });
    const identity = await db
      .selectFrom('single_sign_on_identities')
      .select(['subject', 'account_id'])
      .where('issuer', '=', issuer.url)
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(identity.subject).toBe('subject-sw');
    // The request was used up.
    expect(await db.selectFrom('single_sign_on_requests').selectAll().execute()).not.toContainEqual(
      expect.objectContaining({ return_to: '/actions' }),
    );
  });

  it('asks for the code with PKCE (S256), a state bound to this browser and a nonce', async () => {
    const session = new Session(app);
    const { response, authorizationUrl } = await start(session);
    const url = new URL(authorizationUrl);
    const q = url.searchParams;
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer.url}/auth`);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toBe('openid email profile');
    expect(q.get('client_id')).toBe(TEST_CLIENT_ID);
    expect(q.get('redirect_uri')).toBe(CALLBACK);
    expect(q.get('code_challenge_method')).toBe('S256');
    const state = q.get('state') ?? '';
    const kept = await db
      .selectFrom('single_sign_on_requests')
      .selectAll()
      .where('id', '=', createHash('sha256').update(state).digest('hex'))
      .executeTakeFirstOrThrow();
    expect(q.get('code_challenge')).toBe(sha256Base64url(kept.code_verifier));
    expect(q.get('nonce')).toBe(kept.nonce);
    expect(kept.expires_at).toBe(new Date(Date.parse(kept.created_at) + 600_000).toISOString());
    // The state is in a signed, HttpOnly, SameSite=Lax cookie seen only by the sign-in's addresses.
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = setCookie.find((c) => c.startsWith('oversight_sso='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/sign-in\/sso/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).not.toMatch(/Secure/);
    expect(decodeURIComponent(cookie ?? '')).toContain(`oversight_sso=${state}.`);

    // The issuer received that verifier at the token endpoint.
    const callback = await issuer.logIn(authorizationUrl, 'tm@demo.example');
    expect((await session.get(local(callback))).statusCode).toBe(303);
    expect(issuer.tokenRequests.at(-1)).toEqual({
      clientId: TEST_CLIENT_ID,
      codeVerifier: kept.code_verifier,
      ok: true,
      error: null,
    });
  });

  it('comes back only to a path on this site', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const session = new Session(app);
      const { authorizationUrl } = await start(session, returnTo);
      const back = await session.get(
        local(await issuer.logIn(authorizationUrl, 'tm@demo.example')),
      );
      expect({ returnTo, location: back.headers.location }).toEqual({ returnTo, location: '/' });
    }
  });

  it('is refused at the issuer when the PKCE verifier is not the one the challenge was made from', async () => {
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    await db
      .updateTable('single_sign_on_requests')
      .set({ code_verifier: 'a'.repeat(43) })
      .execute();
    const back = await session.get(local(await issuer.logIn(authorizationUrl, 'sw@demo.example')));
    expect(back.statusCode).toBe(400);
    expect(back.body).toContain('data-problem="failed"');
    expect(back.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
    expect(issuer.tokenRequests.at(-1)).toMatchObject({
      codeVerifier: 'a'.repeat(43),
      ok: false,
      error: 'invalid_grant',
    });
    expect(await auditAfter(db, before)).toEqual([
      expect.objectContaining({
        action: 'sign-in-failed',
        detail: expect.objectContaining({
          reason: 'token-failed',
          code: 'invalid_grant',
        }) as unknown,
      }),
    ]);
  });

  it('the issuer itself refuses an authorisation request without PKCE', async () => {
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const url = new URL(authorizationUrl);
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const answer = new URL(await issuer.logIn(url.href, 'sw@demo.example'));
    expect(answer.searchParams.get('error')).toBe('invalid_request');
    expect(answer.searchParams.get('code')).toBeNull();
  });

  it('refuses a callback whose state is wrong, missing, or from another browser', async () => {
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const callback = new URL(await issuer.logIn(authorizationUrl, 'sw@demo.example'));
    const good = callback.searchParams.get('state') ?? '';

    const wrong = new URL(callback);
    wrong.searchParams.set('state', `${good.slice(0, -2)}xx`);
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    for (const attempt of [wrong, missing]) {
      const answer = await app.inject({
        url: local(attempt.href),
        headers: { cookie: session.cookieHeader },
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('data-problem="expired"');
    }
    // Another browser (no cookie), and a cookie whose signature is not the app's.
    const elsewhere = await new Session(app).get(local(callback.href));
    expect(elsewhere.statusCode).toBe(400);
    const forged = await app.inject({
      url: local(callback.href),
      headers: { cookie: `oversight_sso=${good}` },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
    const audit = await auditAfter(db, before);
    expect(audit).toHaveLength(4);
    expect(audit.every((a) => a.action === 'sign-in-failed')).toBe(true);
    expect(audit.map((a) => a.detail.reason)).toEqual([
      'state-mismatch',
      'state-mismatch',
      'state-mismatch',
      'state-mismatch',
    ]);
  });

  it('refuses a replayed callback, even with the same cookie', async () => {
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const cookie = session.cookieHeader;
    const path = local(await issuer.logIn(authorizationUrl, 'sw@demo.example'));
    const first = await app.inject({ url: path, headers: { cookie } });
    expect(first.statusCode).toBe(303);
    const before = await lastSeq(db);
    const again = await app.inject({ url: path, headers: { cookie } });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('data-problem="expired"');
    expect(again.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
    expect((await auditAfter(db, before)).map((a) => a.detail.reason)).toEqual(['request-unknown']);
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    await db.updateTable('single_sign_on_requests').set({ nonce: 'another-nonce' }).execute();
    const back = await session.get(local(await issuer.logIn(authorizationUrl, 'sw@demo.example')));
    expect(back.statusCode).toBe(400);
    expect(back.body).toContain('data-problem="failed"');
    expect(back.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
    expect(await auditAfter(db, before)).toEqual([
      expect.objectContaining({
        action: 'sign-in-failed',
        detail: expect.objectContaining({
          reason: 'token-failed',
          code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
        }) as unknown,
      }),
    ]);
  });

  it('refuses a sign-in that is not finished within ten minutes', async () => {
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    await db
      .updateTable('single_sign_on_requests')
      .set({ expires_at: clock.now().toISOString() })
      .execute();
    const back = await session.get(local(await issuer.logIn(authorizationUrl, 'sw@demo.example')));
    expect(back.statusCode).toBe(400);
    expect(back.body).toContain('data-problem="expired"');
  });

  it('refuses an unknown email with a clear page, and audits it', async () => {
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const back = await session.get(
      local(await issuer.logIn(authorizationUrl, 'nobody@elsewhere.example')),
    );
    expect(back.statusCode).toBe(403);
    expect(text(back)).toContain(
      `${UNKNOWN_TEXT} nobody@elsewhere.example in its staff list. Ask your Oversight administrator to add you, or to check the email address on your record.`,
    );
    expect(back.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
    expect(await auditAfter(db, before)).toEqual([
      {
        action: 'sign-in-failed',
        actor: 'nobody@elsewhere.example',
        account_id: null,
        detail: { method: 'sso', reason: 'unknown-email', issuer: issuer.url },
      },
    ]);
    expect(
      await db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'nobody@elsewhere.example')
        .execute(),
    ).toEqual([]);
  });

  it('refuses a disabled account', async () => {
    const email = noAccount[0]?.email ?? '';
    issuer.setPerson(email, { subject: 'subject-disabled' });
    const person = noAccount[0]?.id ?? '';
    await db
      .insertInto('accounts')
      .values({
        id: 'disabled-account',
        email,
        password_hash: null,
        person_id: person,
        access: 'staff',
        locked_until: null,
        disabled: 1,
        created_at: clock.now().toISOString(),
        last_sign_in_at: null,
      })
      .execute();
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const back = await session.get(local(await issuer.logIn(authorizationUrl, email)));
    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('data-refusal="account-disabled"');
    expect(text(back)).toContain(`the Oversight account for ${email} has been switched off`);
    expect(await auditAfter(db, before)).toEqual([
      expect.objectContaining({
        action: 'sign-in-failed',
        account_id: 'disabled-account',
        detail: expect.objectContaining({ reason: 'account-disabled' }) as unknown,
      }),
    ]);
  });

  it('refuses people who have left, with an account or without', async () => {
    const withoutAccount = noAccount[1];
    if (withoutAccount === undefined) throw new Error('no person');
    await db
      .updateTable('people')
      .set({ end: '2026-11-23' })
      .where('id', '=', withoutAccount.id)
      .execute();
    issuer.setPerson(withoutAccount.email, { subject: 'subject-leaver-1' });
    const hos = await db
      .selectFrom('accounts')
      .select(['id', 'person_id'])
      .where('email', '=', 'hos@demo.example')
      .executeTakeFirstOrThrow();
    // Left yesterday, in the middle of a session that started before: refused from today.
    await db
      .updateTable('people')
      .set({ end: '2026-11-23' })
      .where('id', '=', hos.person_id ?? '')
      .execute();
    const before = await lastSeq(db);
    for (const email of [withoutAccount.email, 'hos@demo.example']) {
      const session = new Session(app);
      const { authorizationUrl } = await start(session);
      const back = await session.get(local(await issuer.logIn(authorizationUrl, email)));
      expect({ email, status: back.statusCode }).toEqual({ email, status: 403 });
      expect(back.body).toContain('data-refusal="left"');
    }
    expect((await auditAfter(db, before)).map((a) => [a.account_id, a.detail.reason])).toEqual([
      [null, 'left'],
      [hos.id, 'left'],
    ]);
    // Someone working their last day is still here.
    await db
      .updateTable('people')
      .set({ end: TEST_TODAY })
      .where('id', '=', withoutAccount.id)
      .execute();
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    expect(
      (await session.get(local(await issuer.logIn(authorizationUrl, withoutAccount.email))))
        .statusCode,
    ).toBe(303);
  });

  it('makes an account for a person in the structure who has none', async () => {
    const person = noAccount[2];
    if (person === undefined) throw new Error('no person');
    const email = person.email.toUpperCase();
    issuer.setPerson(email, { subject: 'subject-new' });
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const back = await session.get(local(await issuer.logIn(authorizationUrl, email)));
    expect(back.statusCode).toBe(303);
    const account = await db
      .selectFrom('accounts')
      .selectAll()
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      email: person.email.toLowerCase(),
      password_hash: null,
      access: 'staff',
      disabled: 0,
    });
    const audit = await auditAfter(db, before);
    expect(audit.map((a) => a.action)).toEqual(['account-created', 'sign-in']);
    expect((await session.get('/my-work')).statusCode).toBe(200);
    expect(audit[0]).toMatchObject({
      account_id: account.id,
      detail: { by: 'single-sign-on', access: 'staff', personId: person.id },
    });
    expect(audit[1]?.detail).toMatchObject({ firstUse: true, accountCreated: true });
    // A password sign-in is still impossible for it: it has no password.
    const local_ = new Session(app);
    expect((await local_.signIn(person.email, 'anything at all')).statusCode).toBe(400);
  });

  it('keeps the subject: an email given to someone else at the issuer cannot take the account', async () => {
    // The social worker signed in above as subject-sw. The issuer gives the email to someone new.
    issuer.setPerson('sw@demo.example', { subject: 'subject-someone-new' });
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const back = await session.get(local(await issuer.logIn(authorizationUrl, 'sw@demo.example')));
    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('data-refusal="subject-mismatch"');
    expect(back.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
    const audit = await auditAfter(db, before);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'sign-in-failed',
        actor: 'sw@demo.example',
        detail: expect.objectContaining({ reason: 'subject-mismatch' }) as unknown,
      }),
    ]);
    // And a subject already linked to one account cannot come with another's email.
    issuer.setPerson('sw@demo.example', {
      subject: 'subject-sw',
      claims: { email: 'tm@demo.example', email_verified: true },
    });
    const other = new Session(app);
    const started = await start(other);
    const denied = await other.get(
      local(await issuer.logIn(started.authorizationUrl, 'sw@demo.example')),
    );
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('data-refusal="subject-mismatch"');
    issuer.setPerson('sw@demo.example', { subject: 'subject-sw' });
    // The social worker, with their own subject, still gets in.
    const sw = new Session(app);
    const again = await start(sw);
    expect(
      (await sw.get(local(await issuer.logIn(again.authorizationUrl, 'sw@demo.example'))))
        .statusCode,
    ).toBe(303);
  });

  it('takes preferred_username when there is no email claim (Entra ID), and refuses an unverified email', async () => {
    const entra = noAccount[3];
    const unverified = noAccount[4];
    if (entra === undefined || unverified === undefined) throw new Error('no person');
    issuer.setPerson(entra.email, {
      subject: 'subject-entra',
      claims: { preferred_username: entra.email.toUpperCase(), name: 'From Entra' },
    });
    issuer.setPerson(unverified.email, {
      subject: 'subject-unverified',
      claims: { email: unverified.email, email_verified: false },
    });
    const session = new Session(app);
    const first = await start(session);
    expect(
      (await session.get(local(await issuer.logIn(first.authorizationUrl, entra.email))))
        .statusCode,
    ).toBe(303);
    expect((await session.get('/my-work')).statusCode).toBe(200);

    const other = new Session(app);
    const second = await start(other);
    const refused = await other.get(
      local(await issuer.logIn(second.authorizationUrl, unverified.email)),
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('data-refusal="email-not-verified"');
  });

  it('refuses an email that more than one current person in the staff list has', async () => {
    const [a, b] = [noAccount[5], noAccount[6]];
    if (a === undefined || b === undefined) throw new Error('no person');
    // Emails are unique as written; written in different cases, they are the same address.
    await db
      .updateTable('people')
      .set({ email: 'Shared.Inbox@demo.example' })
      .where('id', '=', a.id)
      .execute();
    await db
      .updateTable('people')
      .set({ email: 'shared.inbox@demo.example' })
      .where('id', '=', b.id)
      .execute();
    issuer.setPerson('shared.inbox@demo.example', { subject: 'subject-shared' });
    const session = new Session(app);
    const { authorizationUrl } = await start(session);
    const back = await session.get(
      local(await issuer.logIn(authorizationUrl, 'shared.inbox@demo.example')),
    );
    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('data-refusal="ambiguous-email"');
    expect(
      await db.selectFrom('accounts').select('id').where('person_id', 'in', [a.id, b.id]).execute(),
    ).toEqual([]);
  });

  it('signs out whoever was signed in in this browser before', async () => {
    const session = new Session(app);
    const first = await start(session);
    await session.get(local(await issuer.logIn(first.authorizationUrl, 'tm@demo.example')));
    const tmCookie = session.cookieHeader;
    expect((await app.inject({ url: '/my-work', headers: { cookie: tmCookie } })).statusCode).toBe(
      200,
    );
    const second = await start(session);
    await session.get(local(await issuer.logIn(second.authorizationUrl, 'sw@demo.example')));
    expect((await session.get('/my-work')).body).toContain('Pia Rookwell');
    // The team manager's session token no longer opens anything.
    expect((await app.inject({ url: '/my-work', headers: { cookie: tmCookie } })).statusCode).toBe(
      302,
    );
  });

  it('in production, refuses an issuer that is not https', async () => {
    const production = await buildApp({
      config: loadConfig({
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        COUNCIL_NAME: 'Test Council',
        COOKIE_SECRET: 'a-test-cookie-secret-of-more-than-32-characters',
        PUBLIC_URL: 'https://oversight.test',
        OIDC_ISSUER: issuer.url,
        OIDC_CLIENT_ID: TEST_CLIENT_ID,
        OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      }),
      database: use(),
      clock,
    });
    try {
      const answer = await production.inject('/sign-in/sso');
      expect(answer.statusCode).toBe(503);
      expect(answer.body).toContain('data-problem="unavailable"');
    } finally {
      await production.close();
    }
  });

  it('says so when the person cancels at the issuer', async () => {
    const before = await lastSeq(db);
    const session = new Session(app);
    const { authorizationUrl } = await start(session, '/actions');
    const back = await session.get(local(await issuer.logIn(authorizationUrl, null)));
    expect(back.statusCode).toBe(403);
    expect(back.body).toContain('data-problem="cancelled"');
    expect(back.body).toContain('href="/sign-in?returnTo=%2Factions"');
    expect((await auditAfter(db, before)).map((a) => a.detail)).toEqual([
      { method: 'sso', reason: 'issuer-error', issuer: issuer.url, issuerError: 'access_denied' },
    ]);
  });

  it('says so when the issuer cannot be reached', async () => {
    const closed = `http://127.0.0.1:${String(await freePort())}`;
    const unreachable = await buildApp({
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PUBLIC_URL,
        OIDC_ISSUER: closed,
        OIDC_CLIENT_ID: TEST_CLIENT_ID,
      }),
      database: use(),
      clock,
    });
    const answer = await unreachable.inject('/sign-in/sso');
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toContain('data-problem="unavailable"');
    await unreachable.close();
  });

  it('works as a public client (PKCE alone) with no client secret', async () => {
    const publicApp = await buildApp({
      config: config(issuer, {
        OIDC_CLIENT_ID: TEST_PUBLIC_CLIENT_ID,
        OIDC_CLIENT_SECRET: undefined,
      }),
      database: use(),
      clock,
    });
    try {
      const session = new Session(publicApp);
      const { authorizationUrl } = await start(session);
      const back = await session.get(
        local(await issuer.logIn(authorizationUrl, 'tm@demo.example')),
      );
      expect(back.statusCode).toBe(303);
      expect(issuer.tokenRequests.at(-1)).toMatchObject({
        clientId: TEST_PUBLIC_CLIENT_ID,
        ok: true,
      });
    } finally {
      await publicApp.close();
    }
  });

  it('with local accounts off, single sign-on is the only way in', async () => {
    const ssoOnly = await buildApp({
      config: config(issuer, { LOCAL_ACCOUNTS: 'false' }),
      database: use(),
      clock,
    });
    try {
      const session = new Session(ssoOnly);
      const page = await session.get('/sign-in');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('href="/sign-in/sso?returnTo=%2F"');
      expect(page.body).not.toContain('name="password"');
      // The page has no form to take a CSRF token from: one from a page with a form (the same
      // secret signs both), so that what refuses the post is the route, not the CSRF check.
      const withForm = new Session(app);
      await withForm.get('/sign-in');
      const posted = await ssoOnly.inject({
        method: 'POST',
        url: '/sign-in',
        headers: {
          cookie: withForm.cookieHeader,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          email: 'tm@demo.example',
          password: 'oversight-demo',
          returnTo: '/',
          _csrf: withForm.csrf,
        }).toString(),
      });
      expect(posted.statusCode).toBe(404);
      expect(posted.cookies.find((c) => c.name === 'oversight_session')).toBeUndefined();
      const { authorizationUrl } = await start(session);
      const back = await session.get(
        local(await issuer.logIn(authorizationUrl, 'tm@demo.example')),
      );
      expect(back.statusCode).toBe(303);
      expect((await session.get('/my-work')).statusCode).toBe(200);
    } finally {
      await ssoOnly.close();
    }
  });

  it('sets the state cookie Secure behind https', async () => {
    const https = await buildApp({
      config: config(issuer, { PUBLIC_URL: 'https://oversight.test' }),
      database: use(),
      clock,
    });
    try {
      const answer = await https.inject('/sign-in/sso');
      expect(answer.statusCode).toBe(303);
      const setCookie = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
      expect(setCookie.find((c) => c.startsWith('oversight_sso='))).toMatch(/; Secure/);
      expect(new URL(String(answer.headers.location)).searchParams.get('redirect_uri')).toBe(
        'https://oversight.test/sign-in/sso/callback',
      );
    } finally {
      await https.close();
    }
  });
});
