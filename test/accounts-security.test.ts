import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { demoAdminCode, DEMO_ADMIN_SECRET_BASE32 } from '../src/demo/demo-two-factor.js';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordMessage,
  passwordProblem,
} from '../src/domain/access/password-rules.js';
import {
  base32Decode,
  base32Encode,
  hotp,
  openSecret,
  sealSecret,
  secretKeyFrom,
  totp,
  verifyTotp,
} from '../src/domain/access/totp.js';
import { browserSummary } from '../src/features/account/account.presenter.js';
import { hashPassword } from '../src/services/auth.service.js';
import { demoApp, DEMO_PASSWORD, Session, signedIn } from './support/app.js';
import { TestClock } from './support/clock.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * Local accounts done properly: the password rules, TOTP two-factor (required for
 * administrators), one-time reset links from an administrator, and people's own sessions.
 */

const ADMIN = 'admin@demo.example';
const SW = 'sw@demo.example';
const ROLES = [
  ADMIN,
  'director@demo.example',
  'hos@demo.example',
  'tm@demo.example',
  SW,
  'qa@demo.example',
];
const NEW_PASSWORD = 'kettle lantern orbit meadow';

describe('password rules', () => {
  it('takes 12 to 256 characters, counted as people count them, with no composition rules', () => {
    expect(passwordProblem('')).toBe('missing');
    expect(passwordProblem('a'.repeat(11))).toBe('too-short');
    expect(passwordProblem('kettle orbit')).toBeNull();
    expect(passwordProblem('ééééééééééé')).toBe('too-short');
    expect(passwordProblem('🙂'.repeat(12))).toBeNull();
    expect(passwordProblem('x'.repeat(MAX_PASSWORD_LENGTH + 1))).toBe('too-long');
    // Only lower-case letters and spaces: no rule asks for a digit, a capital or a symbol.
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });

  it('refuses the common passwords whatever their case, and with digits stuck on', () => {
    expect(passwordProblem('1qaz2wsx3edc')).toBe('common');
    expect(passwordProblem('1QAZ2WSX3EDC')).toBe('common');
    expect(passwordProblem('Password1234!')).toBe('common');
    expect(passwordProblem('qwertyuiop12')).toBe('common');
  });

  it('refuses passwords built from the service, the council, or the person', () => {
    const context = {
      councilName: 'Demo Borough Council',
      email: 'pia.rookwell@demo.example',
      name: 'Pia Rookwell',
    };
    expect(passwordProblem('Oversight2026!', context)).toBe('context');
    expect(passwordProblem('DemoBorough99', context)).toBe('context');
    expect(passwordProblem('pia.rookwell12', context)).toBe('context');
    expect(passwordProblem('Rookwell-1234', context)).toBe('context');
    // A passphrase that happens to hold a context word is long enough without it.
    expect(passwordProblem('oversight of the garden shed', context)).toBeNull();
    expect(passwordMessage('context')).toMatch(/^Choose a password that is harder to guess/);
    expect(passwordMessage('common')).toBe(
      'Choose a password that is harder to guess: this one is on a list of common passwords',
    );
    expect(passwordMessage('too-short')).toBe('Password must be 12 characters or more');
  });

  it('property: anything shorter than 12 characters is refused, for length', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: MIN_PASSWORD_LENGTH - 1 }), (p) => {
        fc.pre(Array.from(p).length < MIN_PASSWORD_LENGTH);
        expect(passwordProblem(p)).toBe('too-short');
      }),
    );
  });

  it('property: a long random password of any characters is accepted', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 16, maxLength: 64 }),
        fc.uuid(),
        (p, salt) => {
          // Letters and digits of a UUID make it unguessable; nothing about its make-up matters.
          const password = `${salt}${p}`.slice(0, MAX_PASSWORD_LENGTH);
          expect(passwordProblem(password)).toBeNull();
        },
      ),
    );
  });

  it('property: case never changes the verdict', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 40 }), (p) => {
        const lower = passwordProblem(p.toLowerCase());
        const upper = passwordProblem(p.toUpperCase());
        fc.pre(Array.from(p.toLowerCase()).length === Array.from(p.toUpperCase()).length);
        expect(lower).toBe(upper);
      }),
    );
  });

  it('property: every common password long enough is refused, in any case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('1qaz2wsx3edc', 'qwerty123456', '123456qwerty', 'q1w2e3r4t5y6'),
        fc.boolean(),
        (p, upper) => {
          expect(passwordProblem(upper ? p.toUpperCase() : p)).toBe('common');
        },
      ),
    );
  });
});

describe('TOTP (RFC 6238, SHA-1)', () => {
  // RFC 6238 appendix B: the 20-byte ASCII secret "12345678901234567890", 8 digits.
  const rfcSecret = Buffer.from('12345678901234567890', 'ascii');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totp(rfcSecret, new Date(seconds * 1000), 8)).toBe(code);
  });

  it('matches RFC 4226 HOTP for 6 digits', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => hotp(rfcSecret, c))).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ]);
  });

  it('accepts the step either side, never one outside, and never the same step twice', () => {
    const at = new Date('2026-11-24T12:00:00Z');
    const step = Math.floor(at.getTime() / 30_000);
    const code = (offset: number) => hotp(rfcSecret, step + offset);
    expect(verifyTotp(rfcSecret, code(0), at, null)).toBe(step);
    expect(verifyTotp(rfcSecret, code(-1), at, null)).toBe(step - 1);
    expect(verifyTotp(rfcSecret, code(1), at, null)).toBe(step + 1);
    expect(verifyTotp(rfcSecret, code(2), at, null)).toBeNull();
    expect(verifyTotp(rfcSecret, code(-2), at, null)).toBeNull();
    // Replay: the code for a step already used, or an earlier one, is refused.
    expect(verifyTotp(rfcSecret, code(0), at, step)).toBeNull();
    expect(verifyTotp(rfcSecret, code(-1), at, step)).toBeNull();
    expect(verifyTotp(rfcSecret, code(1), at, step)).toBe(step + 1);
    expect(verifyTotp(rfcSecret, ` ${code(0).slice(0, 3)} ${code(0).slice(3)} `, at, null)).toBe(
      step,
    );
    expect(verifyTotp(rfcSecret, 'abcdef', at, null)).toBeNull();
  });

  it('base32 round-trips (RFC 4648 vectors) and the demo key is the published one', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw 6ytb oi======')?.toString()).toBe('foobar');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (bytes) => {
        expect(base32Decode(base32Encode(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
    expect(DEMO_ADMIN_SECRET_BASE32).toBe('N53GK4TTNFTWQ5BNMRSW23ZNMFSG22LO');
  });

  it('seals secrets with AES-256-GCM under a key from the cookie secret', () => {
    const key = secretKeyFrom('a'.repeat(40), false);
    const secret = Buffer.from('12345678901234567890');
    const sealed = sealSecret(secret, key);
    expect(sealed).not.toContain(base32Encode(secret));
    expect(openSecret(sealed, key)).toEqual(secret);
    expect(openSecret(sealed, secretKeyFrom('b'.repeat(40), false))).toBeNull();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(openSecret(tampered, key)).toBeNull();
    // The demo's published secret is accepted only in a demo.
    expect(openSecret(`demo.${DEMO_ADMIN_SECRET_BASE32}`, key)).toBeNull();
    expect(openSecret(`demo.${DEMO_ADMIN_SECRET_BASE32}`, { ...key, demo: true })).not.toBeNull();
  });

  it('names browsers shortly', () => {
    expect(
      browserSummary(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 131 on Windows');
    expect(
      browserSummary('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'),
    ).toBe('Firefox 133 on Linux');
    expect(
      browserSummary(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17 on iPhone');
    expect(browserSummary(null)).toBe('Unknown browser');
  });
});

/** The code for a sealed secret from the set-up page's key. */
function codeFromPage(body: string, at: Date): string {
  const key = /data-secret-key>([A-Z2-7 ]+)</.exec(body)?.[1];
  if (key === undefined) throw new Error('no key on the set-up page');
  const secret = base32Decode(key);
  if (secret === null) throw new Error('the key is not base32');
  return totp(secret, at);
}

function cookieOf(response: { cookies: unknown }, name: string) {
  return (response.cookies as { name: string; value: string; [k: string]: unknown }[]).find(
    (c) => c.name === name,
  );
}

async function accountId(db: Db, email: string): Promise<string> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function auditActions(db: Db, email: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'seq'])
    .where('actor', '=', email)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describeEachDatabase('accounts and sessions', (use) => {
  let app: FastifyInstance;
  let db: Db;
  const clock = new TestClock('2026-11-24T09:00:00Z');

  beforeAll(async () => {
    db = use().db;
    app = await demoApp(use(), clock);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Moves the clock on a step, so a new code can be used. */
  const nextStep = () => clock.advance({ seconds: 31 });

  it('signs the demo administrator in in two steps, with no session between them', async () => {
    nextStep();
    const s = new Session(app);
    const first = await s.signIn(ADMIN, DEMO_PASSWORD, { twoFactor: false });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/sign-in/two-factor');
    expect(cookieOf(first, 'oversight_session')).toBeUndefined();
    const pending = cookieOf(first, 'oversight_sign_in');
    expect(pending).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/sign-in' });
    expect(pending?.maxAge).toBe(300);
    // The pending step opens nothing.
    expect((await s.get('/admin')).statusCode).toBe(302);
    const page = await s.get('/sign-in/two-factor');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Enter the code from your authenticator app');
    expect(page.body).toContain(demoAdminCode(clock.now()));

    const wrong = await s.post('/sign-in/two-factor', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<title>Error: Enter the code');
    expect(wrong.body).toContain('The code is not right, or has been used already');
    const code = demoAdminCode(clock.now());
    const done = await s.post('/sign-in/two-factor', { code });
    expect(done.statusCode).toBe(303);
    expect(cookieOf(done, 'oversight_session')).toBeDefined();
    expect((await s.get('/admin')).statusCode).toBe(200);

    // The demo's published secret is the one exception to "each code once" (its code is on
    // the page for anyone); a real secret's code is refused a second time (the next test).
    const other = new Session(app);
    await other.signIn(ADMIN, DEMO_PASSWORD, { twoFactor: false });
    await other.get('/sign-in/two-factor');
    // The pending step lasts five minutes.
    clock.advance({ minutes: 6 });
    const late = await other.post('/sign-in/two-factor', { code: demoAdminCode(clock.now()) });
    expect(late.statusCode).toBe(303);
    expect(late.headers.location).toContain('/sign-in?');
    expect(late.headers.location).toContain('expired=1');
    expect((await other.get('/admin')).statusCode).toBe(302);

    const actions = await auditActions(db, ADMIN);
    expect(actions).toContain('sign-in');
    expect(actions).toContain('sign-in-failed');
    const failed = await db
      .selectFrom('audit_log')
      .select(['detail', 'ip', 'request_id'])
      .where('action', '=', 'sign-in-failed')
      .where('actor', '=', ADMIN)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(failed.detail)).toEqual({ reason: 'two-factor' });
    expect(failed.ip).toBe('127.0.0.1');
    expect(failed.request_id).not.toBeNull();
  });

  it('counts wrong codes towards the lockout', async () => {
    nextStep();
    // Counting from none (the test before left one wrong code).
    await db
      .updateTable('accounts')
      .set({ failed_attempts: 0 })
      .where('email', '=', ADMIN)
      .execute();
    const s = new Session(app);
    await s.signIn(ADMIN, DEMO_PASSWORD, { twoFactor: false });
    await s.get('/sign-in/two-factor');
    for (let i = 0; i < 4; i++)
      expect((await s.post('/sign-in/two-factor', { code: '111111' })).statusCode).toBe(400);
    const fifth = await s.post('/sign-in/two-factor', { code: '111111' });
    expect(fifth.statusCode).toBe(400);
    expect(fifth.body).toContain('This account is locked');
    // Locked: even the right password and code do nothing now.
    const again = new Session(app);
    const refused = await again.signIn(ADMIN);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This account is locked');
    clock.advance({ minutes: 16 });
    expect((await new Session(app).signIn(ADMIN)).statusCode).toBe(303);
  });

  it('sends an administrator without two-factor to set it up first, with nothing else open', async () => {
    const admin = await signedIn(app, ADMIN);
    await admin.get('/admin/accounts/new');
    const created = await admin.post('/admin/accounts', {
      email: 'second.admin@demo.example',
      access: 'administrator',
      personId: '',
      password: 'tall ships sail north',
    });
    expect(created.statusCode).toBe(303);
    nextStep();
    const s = new Session(app);
    const first = await s.signIn('second.admin@demo.example', 'tall ships sail north');
    expect(first.headers.location).toBe('/sign-in/two-factor/set-up');
    expect((await s.get('/admin')).statusCode).toBe(302);
    expect((await s.get('/account')).statusCode).toBe(302);
    const page = await s.get('/sign-in/two-factor/set-up');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('src="data:image/png;base64,');
    // The same secret while it is being set up: a reload shows the same QR code.
    const again = await s.get('/sign-in/two-factor/set-up');
    expect(/data-secret-key>([^<]+)</.exec(again.body)?.[1]).toBe(
      /data-secret-key>([^<]+)</.exec(page.body)?.[1],
    );
    const stored = await db
      .selectFrom('accounts')
      .select(['two_factor_pending_secret', 'two_factor_secret'])
      .where('email', '=', 'second.admin@demo.example')
      .executeTakeFirstOrThrow();
    const key = /data-secret-key>([^<]+)</.exec(page.body)?.[1]?.replace(/ /g, '') ?? '';
    // Sealed at rest: the key shown is not in the database.
    expect(stored.two_factor_pending_secret).toMatch(/^v1\./);
    expect(stored.two_factor_pending_secret).not.toContain(key);
    expect(stored.two_factor_secret).toBeNull();

    expect((await s.post('/sign-in/two-factor/set-up', { code: '123' })).statusCode).toBe(400);
    const done = await s.post('/sign-in/two-factor/set-up', {
      code: codeFromPage(page.body, clock.now()),
    });
    expect(done.statusCode).toBe(303);
    expect((await s.get('/admin')).statusCode).toBe(200);
    expect(await auditActions(db, 'second.admin@demo.example')).toEqual(
      expect.arrayContaining(['two-factor-enabled', 'sign-in']),
    );

    // Next time: the code from the same key.
    nextStep();
    const later = new Session(app);
    const step1 = await later.signIn('second.admin@demo.example', 'tall ships sail north', {
      twoFactor: false,
    });
    expect(step1.headers.location).toBe('/sign-in/two-factor');
    await later.get('/sign-in/two-factor');
    const secret = base32Decode(key);
    if (secret === null) throw new Error('bad key');
    const code = totp(secret, clock.now());
    expect((await later.post('/sign-in/two-factor', { code })).statusCode).toBe(303);
    // The same code again, in another browser: refused (replay), and nothing opened.
    const replayer = new Session(app);
    await replayer.signIn('second.admin@demo.example', 'tall ships sail north', {
      twoFactor: false,
    });
    await replayer.get('/sign-in/two-factor');
    const replay = await replayer.post('/sign-in/two-factor', { code });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('has been used already');
    expect((await replayer.get('/admin')).statusCode).toBe(302);

    // An administrator cannot turn their own off; another administrator can remove it.
    const refused = await later.post('/account/two-factor/turn-off', {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Administrators must use two-factor authentication');
    const id = await accountId(db, 'second.admin@demo.example');
    await admin.get(`/admin/accounts/${id}`);
    const removed = await admin.post(`/admin/accounts/${id}/remove-two-factor`, {});
    expect(removed.statusCode).toBe(303);
    // Their sessions ended with it.
    expect((await later.get('/admin')).statusCode).toBe(302);
    expect(await auditActions(db, ADMIN)).toContain('two-factor-removed');
    // And the administrator's own cannot be removed from their own page.
    const me = await accountId(db, ADMIN);
    await admin.get(`/admin/accounts/${me}`);
    expect((await admin.post(`/admin/accounts/${me}/remove-two-factor`, {})).statusCode).toBe(400);
  });

  it('lets anyone else turn two-factor on and off in their account', async () => {
    const sw = await signedIn(app, 'qa@demo.example');
    const page = await sw.get('/account/two-factor');
    expect(page.statusCode).toBe(200);
    const wrong = await sw.post('/account/two-factor', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    const on = await sw.post('/account/two-factor', {
      code: codeFromPage(page.body, clock.now()),
    });
    expect(on.headers.location).toBe('/account?done=two-factor-on');
    nextStep();
    const next = await new Session(app).signIn('qa@demo.example');
    expect(next.headers.location).toBe('/sign-in/two-factor');
    await sw.get('/account/two-factor/turn-off');
    const off = await sw.post('/account/two-factor/turn-off', {});
    expect(off.headers.location).toBe('/account?done=two-factor-off');
    expect((await sw.get('/account')).statusCode).toBe(200);
    expect((await new Session(app).signIn('qa@demo.example')).headers.location).toBe('/');
  });

  it('gives a new session id at sign-in: a cookie from before is never the one after', async () => {
    const s = new Session(app);
    // An attacker's planted cookie, whether made up or a real session of theirs.
    const planted = await signedIn(app, 'tm@demo.example');
    const plantedToken = /oversight_session=([^;]+)/.exec(planted.cookieHeader)?.[1] ?? '';
    const response = await app.inject({
      method: 'GET',
      url: '/sign-in',
      headers: { cookie: `oversight_session=${plantedToken}` },
    });
    expect(response.statusCode).toBe(302);
    await s.get('/sign-in');
    const signedInResponse = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: {
        cookie: `${s.cookieHeader}; oversight_session=fixed-by-an-attacker`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        email: SW,
        password: DEMO_PASSWORD,
        returnTo: '/',
        _csrf: s.csrf,
      }).toString(),
    });
    const issued = cookieOf(signedInResponse, 'oversight_session');
    expect(issued?.value).toBeDefined();
    expect(issued?.value).not.toBe('fixed-by-an-attacker');
    expect(issued?.value).not.toBe(plantedToken);
    expect(issued).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Not Secure over plain http (the test's PUBLIC_URL).
    expect(issued?.secure).toBeUndefined();
    const fixed = await app.inject({
      method: 'GET',
      url: '/my-work',
      headers: { cookie: 'oversight_session=fixed-by-an-attacker' },
    });
    expect(fixed.statusCode).toBe(302);
  });

  it('ends a session at its absolute end however busy, and when idle', async () => {
    const s = await signedIn(app, SW);
    for (let i = 0; i < 11; i++) {
      clock.advance({ minutes: 55 });
      const page = await s.get('/my-work');
      if (i < 10) expect(page.statusCode, `hour ${String(i)}`).toBe(200);
      else expect(page.statusCode).toBe(302);
    }
    const idle = await signedIn(app, SW);
    clock.advance({ minutes: 61 });
    expect((await idle.get('/my-work')).statusCode).toBe(302);
  });

  it('changes a password under the rules, ending every other session and renewing this one', async () => {
    const phone = await signedIn(app, 'tm@demo.example');
    const laptop = await signedIn(app, 'tm@demo.example');
    const before = laptop.cookieHeader;
    await laptop.get('/account/password');
    const wrong = await laptop.post('/account/password', {
      currentPassword: 'not it at all',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Your current password is not right');
    const common = await laptop.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'Password1234',
    });
    expect(common.statusCode).toBe(400);
    expect(common.body).toContain('this one is on a list of common passwords');
    const short = await laptop.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'short one',
    });
    expect(short.body).toContain('Password must be 12 characters or more');
    const done = await laptop.post('/account/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account?done=password');
    expect(laptop.cookieHeader).not.toBe(before);
    expect((await laptop.get('/account?done=password')).body).toContain(
      'Your password has been changed',
    );
    // The other session, and the old cookie of this one, are signed out.
    expect((await phone.get('/my-work')).statusCode).toBe(302);
    const old = await app.inject({ method: 'GET', url: '/my-work', headers: { cookie: before } });
    expect(old.statusCode).toBe(302);
    expect((await new Session(app).signIn('tm@demo.example', NEW_PASSWORD)).statusCode).toBe(303);
    expect(await auditActions(db, 'tm@demo.example')).toEqual(
      expect.arrayContaining(['password-changed', 'sessions-ended']),
    );
  });

  it('lists my sessions, and signs out one, every other, and everywhere', async () => {
    const a = await signedIn(app, SW);
    const b = await signedIn(app, SW);
    const c = await signedIn(app, SW);
    const list = await a.get('/account/sessions');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('This session');
    expect(list.body).toContain('127.0.0.1');
    expect(list.body).toContain('Unknown browser');
    // No session's database id or token reaches the page.
    const token = /oversight_session=([^;]+)/.exec(a.cookieHeader)?.[1] ?? '';
    expect(list.body).not.toContain(token);
    const handles = [...list.body.matchAll(/\/account\/sessions\/([0-9a-f]{32})\/sign-out/g)].map(
      (m) => m[1] ?? '',
    );
    expect(handles.length).toBeGreaterThanOrEqual(3);
    const currentRow = /data-current-session[\s\S]*?\/account\/sessions\/([0-9a-f]{32})\//.exec(
      list.body,
    )?.[1];
    const other = handles.find((h) => h !== currentRow) ?? '';
    // Someone else cannot end my sessions with my handles.
    const qa = await signedIn(app, 'qa@demo.example');
    await qa.get('/account/sessions');
    expect((await qa.post(`/account/sessions/${other}/sign-out`, {})).headers.location).toBe(
      '/account/sessions',
    );
    const stillThree = [b, c].map((s) => s.get('/my-work'));
    expect((await Promise.all(stillThree)).map((r) => r.statusCode)).toEqual([200, 200]);

    const one = await a.post(`/account/sessions/${other}/sign-out`, {});
    expect(one.headers.location).toBe('/account/sessions?done=signed-out-one');
    const statuses = (await Promise.all([b.get('/my-work'), c.get('/my-work')])).map(
      (r) => r.statusCode,
    );
    expect(statuses.sort()).toEqual([200, 302]);
    await a.get('/account/sessions');
    expect((await a.post('/account/sessions/sign-out-others', {})).statusCode).toBe(303);
    expect((await b.get('/my-work')).statusCode).toBe(302);
    expect((await c.get('/my-work')).statusCode).toBe(302);
    expect((await a.get('/my-work')).statusCode).toBe(200);
    const d = await signedIn(app, SW);
    await a.get('/account/sessions');
    const everywhere = await a.post('/account/sessions/sign-out-everywhere', {});
    expect(everywhere.headers.location).toBe('/signed-out');
    expect((await a.get('/my-work')).statusCode).toBe(302);
    expect((await d.get('/my-work')).statusCode).toBe(302);
    expect(await auditActions(db, SW)).toContain('sessions-ended');
  });

  it('resets a password with a one-time link that lasts a day, ending every session', async () => {
    const admin = await signedIn(app, ADMIN);
    const hos = await signedIn(app, 'hos@demo.example');
    const id = await accountId(db, 'hos@demo.example');
    expect((await admin.get(`/admin/accounts/${id}`)).statusCode).toBe(200);
    const first = await admin.post(`/admin/accounts/${id}/reset-link`, {});
    expect(first.statusCode).toBe(200);
    const firstLink = /data-reset-link>http:\/\/[^/]+(\/reset-password\/[\w-]+)</.exec(
      first.body,
    )?.[1];
    expect(firstLink).toBeDefined();
    const second = await admin.post(`/admin/accounts/${id}/reset-link`, {});
    const link = /data-reset-link>http:\/\/[^/]+(\/reset-password\/[\w-]+)</.exec(second.body)?.[1];
    if (firstLink === undefined || link === undefined) throw new Error('no link');
    // Only the hash is kept.
    const stored = await db.selectFrom('password_reset_links').select('id').execute();
    expect(stored.map((r) => r.id)).not.toContain(link.split('/').pop());
    // A new link voids the old.
    expect((await new Session(app).get(firstLink)).statusCode).toBe(404);
    const person = new Session(app);
    const page = await person.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const weak = await person.post(link, { password: 'oversight2026' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('Choose a password that is harder to guess');
    const done = await person.post(link, { password: NEW_PASSWORD });
    expect(done.headers.location).toBe('/sign-in?passwordReset=1');
    expect((await hos.get('/my-work')).statusCode).toBe(302);
    // Used once.
    expect((await new Session(app).get(link)).statusCode).toBe(404);
    expect((await person.post(link, { password: 'another long phrase' })).statusCode).toBe(404);
    expect((await new Session(app).signIn('hos@demo.example', NEW_PASSWORD)).statusCode).toBe(303);
    expect(await auditActions(db, ADMIN)).toContain('reset-link-created');
    expect(await auditActions(db, 'hos@demo.example')).toEqual(
      expect.arrayContaining(['password-reset', 'sessions-ended']),
    );

    // Expiry: 24 hours.
    await admin.get(`/admin/accounts/${id}`);
    const third = await admin.post(`/admin/accounts/${id}/reset-link`, {});
    const late = /data-reset-link>http:\/\/[^/]+(\/reset-password\/[\w-]+)</.exec(third.body)?.[1];
    clock.advance({ hours: 24, seconds: 1 });
    expect((await new Session(app).get(late ?? '')).statusCode).toBe(404);
  });

  it('a reset link can also remove two-factor, for a lost phone', async () => {
    const admin = await signedIn(app, ADMIN);
    const qa = await signedIn(app, 'qa@demo.example');
    const page = await qa.get('/account/two-factor');
    await qa.post('/account/two-factor', { code: codeFromPage(page.body, clock.now()) });
    const id = await accountId(db, 'qa@demo.example');
    await admin.get(`/admin/accounts/${id}`);
    const made = await admin.post(`/admin/accounts/${id}/reset-link`, { removeTwoFactor: 'yes' });
    const link = /data-reset-link>http:\/\/[^/]+(\/reset-password\/[\w-]+)</.exec(made.body)?.[1];
    const person = new Session(app);
    const form = await person.get(link ?? '');
    expect(form.body).toContain('Two-factor authentication will be removed');
    await person.post(link ?? '', { password: NEW_PASSWORD });
    nextStep();
    expect((await new Session(app).signIn('qa@demo.example', NEW_PASSWORD)).headers.location).toBe(
      '/',
    );
    expect(await auditActions(db, 'qa@demo.example')).toContain('two-factor-removed');
  });

  it('records sign-in, a failed sign-in with its reason, and sign-out', async () => {
    const s = new Session(app);
    await s.signIn('director@demo.example', 'not the password');
    await s.signIn('nobody@demo.example', 'not the password');
    await s.signIn('director@demo.example');
    await s.get('/my-work');
    await s.post('/sign-out', {});
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'account_id', 'detail'])
      .where('actor', 'in', ['director@demo.example', 'nobody@demo.example'])
      .where('action', 'in', ['sign-in', 'sign-in-failed', 'sign-out'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => [r.action, r.actor, JSON.parse(r.detail) as unknown])).toEqual([
      ['sign-in-failed', 'director@demo.example', { reason: 'invalid' }],
      ['sign-in-failed', 'nobody@demo.example', { reason: 'invalid' }],
      ['sign-in', 'director@demo.example', { method: 'password', twoFactor: false }],
      ['sign-out', 'director@demo.example', {}],
    ]);
    expect(rows[1]?.account_id).toBeNull();
    expect(rows[0]?.account_id).not.toBeNull();
  });

  it('every account route against every demo role, and signed out', async () => {
    // The tests before changed some passwords: every demo account has the demo's again.
    await db
      .updateTable('accounts')
      .set({
        password_hash: await hashPassword(DEMO_PASSWORD),
        failed_attempts: 0,
        locked_until: null,
      })
      .execute();
    for (const email of ROLES) {
      nextStep();
      const s = await signedIn(app, email);
      for (const url of ['/account', '/account/password', '/account/sessions']) {
        const page = await s.get(url);
        expect(page.statusCode, `${email} ${url}`).toBe(200);
        expect(page.body).toContain('href="/account"');
      }
      const setUp = await s.get('/account/two-factor');
      // Administrators have it on already: back to the account page.
      expect(setUp.statusCode, email).toBe(email === ADMIN ? 303 : 200);
      const off = await s.get('/account/two-factor/turn-off');
      expect(off.statusCode, email).toBe(email === ADMIN ? 200 : 303);
      if (email === ADMIN) expect(off.body).toContain('cannot be turned off');
      // The sign-in steps are for the browser signing in, not for someone signed in.
      expect((await s.get('/sign-in/two-factor')).statusCode).toBe(303);
      expect((await s.get('/sign-in/two-factor/set-up')).statusCode).toBe(303);
      expect((await s.get('/reset-password/not-a-real-token')).statusCode).toBe(404);
      expect((await s.post('/account/sessions/0123/sign-out', {})).statusCode).toBe(303);
      expect((await s.post('/sign-in/two-factor', { code: '123456' })).statusCode).toBe(303);
      expect((await s.post('/sign-in/two-factor/set-up', { code: '123456' })).statusCode).toBe(303);
      expect(
        (await s.post('/reset-password/not-a-real-token', { password: NEW_PASSWORD })).statusCode,
      ).toBe(404);
      await s.get('/account/sessions');
      expect((await s.post('/account/sessions/sign-out-others', {})).statusCode).toBe(303);
      await s.get('/account/password');
      expect(
        (await s.post('/account/password', { currentPassword: '', newPassword: '' })).statusCode,
      ).toBe(400);
      if (email !== ADMIN) {
        await s.get('/account/two-factor');
        expect((await s.post('/account/two-factor', { code: '1' })).statusCode).toBe(400);
        expect((await s.post('/account/two-factor/turn-off', {})).statusCode).toBe(303);
      }
      await s.get('/account/sessions');
      expect((await s.post('/account/sessions/sign-out-everywhere', {})).statusCode).toBe(303);
    }
    const nobody = new Session(app);
    for (const url of ['/account', '/account/password', '/account/two-factor', '/account/sessions'])
      expect((await nobody.get(url)).headers.location).toBe(
        `/sign-in?returnTo=${encodeURIComponent(url)}`,
      );
    expect((await nobody.get('/sign-in/two-factor')).headers.location).toBe('/sign-in');
    await nobody.get('/sign-in');
    for (const url of [
      '/account/password',
      '/account/two-factor',
      '/account/two-factor/turn-off',
      '/account/sessions/sign-out-others',
      '/account/sessions/sign-out-everywhere',
      '/account/sessions/abc/sign-out',
    ])
      expect((await nobody.post(url, {})).statusCode, url).toBe(403);
    // Without the form's CSRF token, nothing is done.
    const sw = await signedIn(app, SW);
    expect(
      (await sw.post('/account/sessions/sign-out-everywhere', {}, { csrf: null })).statusCode,
    ).toBe(403);
    expect((await sw.get('/my-work')).statusCode).toBe(200);
  });
});

describeEachDatabase('sign-in configuration', (use) => {
  it('sets a Secure session cookie behind an https address', async () => {
    const clock = new TestClock('2026-11-24T09:00:00Z');
    const plain = await demoApp(use(), clock);
    await plain.close();
    const app = await buildApp({
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PUBLIC_URL: 'https://oversight.example.gov.uk',
      }),
      database: use(),
      clock,
    });
    const s = new Session(app);
    const response = await s.signIn(SW);
    expect(response.statusCode).toBe(303);
    const cookie = cookieOf(response, 'oversight_session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    const pending = cookieOf(
      await new Session(app).signIn(ADMIN, DEMO_PASSWORD, { twoFactor: false }),
      'oversight_sign_in',
    );
    expect(pending).toMatchObject({ secure: true, httpOnly: true });
    await app.close();
  });

  it('shows the single sign-on button, and only it when local accounts are off', async () => {
    const clock = new TestClock('2026-11-24T09:00:00Z');
    const sso = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      OIDC_ISSUER: 'https://login.example.com/tenant/v2.0',
      OIDC_CLIENT_ID: 'oversight',
      OIDC_LABEL: 'Sign in with your council account',
    } as const;
    const both = await buildApp({ config: loadConfig(sso), database: use(), clock });
    const page = await both.inject({ method: 'GET', url: '/sign-in?returnTo=%2Fmy-work' });
    expect(page.body).toContain('Sign in with your council account');
    expect(page.body).toContain('href="/sign-in/sso?returnTo=%2Fmy-work"');
    expect(page.body).toContain('action="/sign-in"');
    await both.close();
    const only = await buildApp({
      config: loadConfig({ ...sso, LOCAL_ACCOUNTS: 'false' }),
      database: use(),
      clock,
    });
    const onlyPage = await only.inject({ method: 'GET', url: '/sign-in' });
    expect(onlyPage.body).toContain('href="/sign-in/sso?returnTo=%2F"');
    expect(onlyPage.body).not.toContain('action="/sign-in"');
    // A form token from a page with the form (the same cookie secret), so the CSRF check passes.
    const withForm = await buildApp({ config: loadConfig(sso), database: use(), clock });
    const s = new Session(withForm);
    await s.get('/sign-in');
    const post = await only.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: s.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        email: SW,
        password: DEMO_PASSWORD,
        returnTo: '/',
        _csrf: s.csrf,
      }).toString(),
    });
    expect(post.statusCode).toBe(404);
    expect(cookieOf(post, 'oversight_session')).toBeUndefined();
    await withForm.close();
    await only.close();
  });
});
