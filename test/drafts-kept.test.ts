import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { OpenDatabase } from '../src/db/create-db.js';
import type { RouteDefinition } from '../src/features/route-table.js';
import { isAutosave, replyAutosave } from '../src/plugins/autosave.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { ensureCurrent } from '../src/services/due.service.js';
import { Session, signedIn } from './support/app.js';
import { TestClock } from './support/clock.js';
import { databaseKinds, freshDatabase } from './support/databases.js';

/**
 * Sessions end when idle (SESSION_IDLE_MINUTES, 60 here) as well as after SESSION_HOURS (10);
 * "Stay signed in" keeps one going; and a draft's save posted after the session ended is still
 * saved for its owner (keepsDraft routes only, with the form's CSRF token, within 12 hours, not
 * after signing out or for a disabled account), after which they are asked to sign in again.
 *
 * The drafts here are a test route added to the route table, so that these tests say what the
 * route table does whatever the supervision pages become; one test uses a real draft page too.
 */

const START = '2026-11-24T01:00:00Z';

/** The browser scripts are plain JavaScript (no types): what these tests use of them. */
interface Answer {
  outcome: string;
  saved: boolean;
  stop: boolean;
  warning: boolean;
  text: string;
  revision?: number;
}
interface AutosaveScript {
  describeAnswer: (status: number | null, body: unknown) => Answer;
  formSnapshot: (entries: Iterable<[string, unknown]>) => string;
}
interface TimeoutScript {
  timeLeftText: (seconds: number) => string;
  shouldAnnounce: (previous: number, seconds: number) => boolean;
  signInAfterTimeout: (path: string, draftSaved: boolean) => string;
}
const script = <T>(name: string): Promise<T> =>
  import(new URL(`../src/views/assets/${name}`, import.meta.url).href) as Promise<T>;

describe('the autosave script', () => {
  it('says what each answer to an autosave means, and whether to stop', async () => {
    const { describeAnswer } = await script<AutosaveScript>('autosave.js');
    expect(describeAnswer(200, { saved: true, revision: 4, savedAt: '14:32' })).toEqual({
      outcome: 'saved',
      saved: true,
      stop: false,
      warning: false,
      text: 'Draft saved at 14:32',
      revision: 4,
    });
    const conflict = describeAnswer(409, { conflict: true, byName: 'Sam Patel', at: '14:31' });
    expect(conflict).toMatchObject({
      outcome: 'conflict',
      saved: false,
      stop: true,
      warning: true,
    });
    expect(conflict.text).toContain('Sam Patel saved this part at 14:31');
    expect(conflict.text).toContain('What you wrote is still on this page');
    expect(describeAnswer(423, { locked: true })).toMatchObject({
      outcome: 'locked',
      stop: true,
      warning: true,
    });
    expect(describeAnswer(423, { locked: true }).text).toContain('this record has been signed');
    const kept = describeAnswer(401, { signedOut: true, saved: true });
    expect(kept).toMatchObject({ outcome: 'signed-out', saved: true, stop: true, warning: false });
    expect(kept.text).toBe(
      'You were signed out. Your last changes were kept in the draft: sign in again to carry on.',
    );
    const lost = describeAnswer(401, { signedOut: true, saved: false });
    expect(lost).toMatchObject({ outcome: 'signed-out', saved: false, stop: true, warning: true });
    expect(lost.text).toContain('your last changes were not saved');
    expect(describeAnswer(null, null)).toEqual({
      outcome: 'offline',
      saved: false,
      stop: false,
      warning: false,
      text: 'Not saved: you may be offline. We’ll try again.',
    });
    // The page with the form's errors, a refused token, a server error: not saved, carry on.
    for (const status of [400, 403, 500])
      expect(describeAnswer(status, null)).toMatchObject({
        outcome: 'refused',
        saved: false,
        stop: false,
      });
    // A 200 that is not the protocol's (a page, say) is not taken for a save.
    expect(describeAnswer(200, null).outcome).toBe('refused');
  });

  it('compares forms by what was typed, not by the token or the revision', async () => {
    const { formSnapshot } = await script<AutosaveScript>('autosave.js');
    const a = formSnapshot([
      ['_csrf', 'one'],
      ['revision', '3'],
      ['wellbeing', 'Fine'],
    ]);
    const b = formSnapshot([
      ['_csrf', 'two'],
      ['revision', '4'],
      ['wellbeing', 'Fine'],
    ]);
    expect(a).toBe(b);
    expect(formSnapshot([['wellbeing', 'Fine, mostly']])).not.toBe(a);
  });
});

describe('the timeout warning script', () => {
  it('counts down in words', async () => {
    const { timeLeftText } = await script<TimeoutScript>('timeout-warning.js');
    expect(timeLeftText(120)).toBe('You will be signed out in 2 minutes.');
    expect(timeLeftText(90)).toBe('You will be signed out in 1 minute 30 seconds.');
    expect(timeLeftText(61)).toBe('You will be signed out in 1 minute 1 second.');
    expect(timeLeftText(59.2)).toBe('You will be signed out in 1 minute.');
    expect(timeLeftText(1)).toBe('You will be signed out in 1 second.');
    expect(timeLeftText(-3)).toBe('You will be signed out in 0 seconds.');
  });

  it('reads the countdown out now and then, not every second', async () => {
    const { shouldAnnounce } = await script<TimeoutScript>('timeout-warning.js');
    const announced: number[] = [];
    for (let s = 120; s > 0; s--) if (shouldAnnounce(s + 1, s)) announced.push(s);
    expect(announced).toEqual([90, 60, 30, 10]);
    // A tick that skips seconds (a busy page) still announces once.
    expect(shouldAnnounce(95, 85)).toBe(true);
    expect(shouldAnnounce(85, 84)).toBe(false);
  });

  it('goes to the sign-in page saying why, and coming back to the page', async () => {
    const { signInAfterTimeout } = await script<TimeoutScript>('timeout-warning.js');
    expect(signInAfterTimeout('/supervision/s1/personal?x=1', true)).toBe(
      '/sign-in?returnTo=%2Fsupervision%2Fs1%2Fpersonal%3Fx%3D1&timedOut=1&saved=1',
    );
    expect(signInAfterTimeout('/my-work', false)).toBe('/sign-in?returnTo=%2Fmy-work&timedOut=1');
  });
});

interface Saved {
  accountId: string;
  text: string;
}

/** A draft's save, as the supervision pages do it: the form, its errors, or on to the next. */
function draftRoutes(saved: Saved[]): RouteDefinition[] {
  const save: RouteDefinition['handler'] = async (request, reply) => {
    const viewer = request.viewer;
    if (viewer === null) throw new Error('no viewer on a signed-in route');
    const text = (request.body as Record<string, string | undefined>).text ?? '';
    if (text === '') {
      reply.locals.csrfToken = reply.generateCsrf();
      return reply.code(400).view('errors/400', { status: 400 });
    }
    saved.push({ accountId: viewer.accountId, text });
    if (isAutosave(request)) return replyAutosave(reply, { ok: true, revision: saved.length });
    return reply.redirect('/test/draft/next', 303);
  };
  return [
    { method: 'POST', url: '/test/draft', need: 'myWork', keepsDraft: true, handler: save },
    // The same save without the flag: a timed-out session gets nothing.
    { method: 'POST', url: '/test/not-a-draft', need: 'myWork', handler: save },
  ];
}

function location(response: LightMyRequestResponse): string {
  return response.headers.location ?? '';
}

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, 'http://localhost').searchParams);
}

for (const kind of databaseKinds()) {
  describe(`sessions that time out, and drafts kept after [${kind}]`, () => {
    let database: OpenDatabase;
    let app: FastifyInstance;
    const clock = new TestClock(START);
    const saved: Saved[] = [];

    beforeAll(async () => {
      database = await freshDatabase(kind);
      await setUpOrganisation(database.db, clock, {
        demo: true,
        councilName: 'Demo Borough Council',
      });
      await ensureCurrent(database.db, clock);
      app = await buildApp({
        config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
        database,
        clock,
        extraRoutes: draftRoutes(saved),
      });
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await database.close();
    });

    const accountId = async (email: string) =>
      (
        await database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).id;

    const sessionsOf = async (email: string) =>
      database.db
        .selectFrom('web_sessions')
        .select(['id', 'last_seen_at', 'expires_at'])
        .where('account_id', '=', await accountId(email))
        .execute();

    /** Signed in, with a page's CSRF token in hand. */
    async function onAPage(email: string): Promise<Session> {
      const session = await signedIn(app, email);
      expect((await session.get('/my-work')).statusCode).toBe(200);
      return session;
    }

    const signedOutOf = async (session: Session) => {
      const page = await session.get('/my-work');
      return page.statusCode === 302 && location(page).startsWith('/sign-in');
    };

    const autosave = (session: Session, url: string, form: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: session.cookieHeader,
          'content-type': 'application/x-www-form-urlencoded',
          'x-autosave': '1',
        },
        payload: new URLSearchParams({ ...form, _csrf: session.csrf }).toString(),
      });

    const savedSince = (before: number) => saved.slice(before);

    it('ends a session after 60 minutes without a request, counting from the last one', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 59 });
      expect(await signedOutOf(sw)).toBe(false);
      clock.advance({ minutes: 59 });
      expect(await signedOutOf(sw)).toBe(false);
      clock.advance({ minutes: 60, seconds: 1 });
      expect(await signedOutOf(sw)).toBe(true);
    });

    it('tells the page how long the session has left, writing down activity at most once a minute', async () => {
      const sw = await onAPage('sw@demo.example');
      const [row] = await sessionsOf('sw@demo.example').then((rows) =>
        rows.filter((r) => r.last_seen_at === clock.now().toISOString()),
      );
      expect(row).toBeDefined();
      clock.advance({ seconds: 30 });
      const page = await sw.get('/my-work');
      expect(page.body).toContain('data-session-ends-in="3570"');
      expect(page.headers['x-session-ends-in']).toBe('3570');
      expect(page.body).toContain('data-timeout-dialog');
      expect(page.body).toContain('/assets/timeout-warning.js');
      // Not written again within the minute.
      const again = (await sessionsOf('sw@demo.example')).find((r) => r.id === row?.id);
      expect(again?.last_seen_at).toBe(row?.last_seen_at);
      clock.advance({ seconds: 31 });
      const later = await sw.get('/my-work');
      expect(later.body).toContain('data-session-ends-in="3600"');
      // The sign-in page has no session to count down.
      const anonymous = await new Session(app).get('/sign-in');
      expect(anonymous.body).not.toContain('data-session-ends-in');
      expect(anonymous.body).not.toContain('data-timeout-dialog');
    });

    it('still ends a busy session after SESSION_HOURS (10)', async () => {
      const sw = await onAPage('sw@demo.example');
      for (let minutes = 50; minutes < 600; minutes += 50) {
        clock.advance({ minutes: 50 });
        expect({ minutes, signedOut: await signedOutOf(sw) }).toEqual({
          minutes,
          signedOut: false,
        });
      }
      clock.advance({ minutes: 50 });
      expect(await signedOutOf(sw)).toBe(true);
    });

    it('"Stay signed in" starts the idle clock again, even within the minute', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 58 });
      await sw.get('/my-work');
      clock.advance({ seconds: 40 });
      const kept = await sw.post('/session/keep-alive', {});
      expect(kept.statusCode).toBe(204);
      expect(kept.body).toBe('');
      expect(kept.headers['x-session-ends-in']).toBe('3600');
      const now = clock.now().toISOString();
      expect((await sessionsOf('sw@demo.example')).some((r) => r.last_seen_at === now)).toBe(true);
      clock.advance({ minutes: 59, seconds: 30 });
      expect(await signedOutOf(sw)).toBe(false);
    });

    it('"Stay signed in" needs the CSRF token and a live session, and brings none back', async () => {
      const sw = await onAPage('sw@demo.example');
      expect((await sw.post('/session/keep-alive', {}, { csrf: null })).statusCode).toBe(403);
      expect((await sw.post('/session/keep-alive', {}, { csrf: 'made-up' })).statusCode).toBe(403);
      const anonymous = new Session(app);
      await anonymous.get('/sign-in');
      expect((await anonymous.post('/session/keep-alive', {})).statusCode).toBe(403);
      clock.advance({ minutes: 61 });
      expect((await sw.post('/session/keep-alive', {})).statusCode).toBe(403);
      expect(await signedOutOf(sw)).toBe(true);
    });

    it('saves a draft posted after the session timed out, for its owner, then asks them to sign in', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 75 });
      const before = saved.length;
      const posted = await sw.post('/test/draft', { text: 'Written before lunch, sent after' });
      expect(posted.statusCode).toBe(303);
      expect(query(location(posted))).toEqual({ returnTo: '/test/draft/next', kept: '1' });
      expect(location(posted).startsWith('/sign-in?')).toBe(true);
      expect(savedSince(before)).toEqual([
        { accountId: await accountId('sw@demo.example'), text: 'Written before lunch, sent after' },
      ]);
      const signIn = await sw.get(location(posted));
      expect(signIn.statusCode).toBe(200);
      expect(signIn.body).toContain('We kept what you had written in your draft');
      expect(signIn.body).toContain('value="/test/draft/next"');
      // The save did not bring the session back.
      expect(await signedOutOf(sw)).toBe(true);
      // Signing in again goes on to where the save was going.
      const again = await sw.post('/sign-in', {
        email: 'sw@demo.example',
        password: 'oversight-demo',
        returnTo: '/test/draft/next',
      });
      expect(location(again)).toBe('/test/draft/next');
    });

    it('answers an autosave after the timeout with 401 and whether it was kept', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 61 });
      const before = saved.length;
      const answer = await autosave(sw, '/test/draft', { text: 'Autosaved after the timeout' });
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toEqual({ signedOut: true, saved: true });
      expect(answer.headers['x-session-ends-in']).toBeUndefined();
      expect(String(answer.headers['set-cookie'] ?? '')).not.toContain('oversight_session');
      expect(savedSince(before).map((s) => s.text)).toEqual(['Autosaved after the timeout']);
      // A second tab's last save is kept too: the cookie was not taken away.
      const second = await autosave(sw, '/test/draft', { text: 'From the other tab' });
      expect(second.json()).toEqual({ signedOut: true, saved: true });
      const refused = await autosave(sw, '/test/draft', { text: '' });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ signedOut: true, saved: false });
    });

    it('shows a refused form again after the timeout, not signed in, saying it is not saved yet', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 61 });
      const before = saved.length;
      const page = await sw.post('/test/draft', { text: '' });
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('You have been signed out');
      expect(page.body).toContain('What you wrote has not been saved yet.');
      expect(page.body).not.toContain('Signed in as');
      expect(page.body).not.toContain('data-session-ends-in');
      expect(savedSince(before)).toEqual([]);
    });

    it('keeps a draft posted after the session reached SESSION_HOURS', async () => {
      const sw = await onAPage('sw@demo.example');
      for (let i = 0; i < 12; i++) {
        clock.advance({ minutes: 50 });
        await sw.get('/my-work');
      }
      expect(await signedOutOf(sw)).toBe(true);
      const before = saved.length;
      const posted = await sw.post('/test/draft', { text: 'At the end of a long day' });
      expect(query(location(posted)).kept).toBe('1');
      expect(savedSince(before)).toHaveLength(1);
    });

    it('still needs the CSRF token after the timeout', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 61 });
      const before = saved.length;
      expect((await sw.post('/test/draft', { text: 'No token' }, { csrf: null })).statusCode).toBe(
        403,
      );
      expect((await sw.post('/test/draft', { text: 'Bad token' }, { csrf: 'x' })).statusCode).toBe(
        403,
      );
      expect(savedSince(before)).toEqual([]);
    });

    it('keeps nothing for a route that does not keep drafts', async () => {
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 61 });
      const before = saved.length;
      expect((await sw.post('/test/not-a-draft', { text: 'Not a draft' })).statusCode).toBe(403);
      expect(savedSince(before)).toEqual([]);
      expect(await signedOutOf(sw)).toBe(true);
    });

    it('saves nothing after signing out, and says so on the sign-in page', async () => {
      const sw = await onAPage('sw@demo.example');
      const token = sw.csrf;
      expect((await sw.post('/sign-out', {})).statusCode).toBe(303);
      const before = saved.length;
      const posted = await sw.post('/test/draft', { text: 'After signing out' }, { csrf: token });
      expect(posted.statusCode).toBe(303);
      expect(query(location(posted))).toEqual({ returnTo: '/test/draft', notKept: '1' });
      const answer = await autosave(sw, '/test/draft', { text: 'Autosaved after signing out' });
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toEqual({ signedOut: true, saved: false });
      expect(savedSince(before)).toEqual([]);
      const signIn = await sw.get(location(posted));
      expect(signIn.body).toContain('what you had just written was not saved');
      expect(signIn.body).toContain('value="/test/draft"');
    });

    it('saves nothing with no session at all', async () => {
      const anonymous = new Session(app);
      await anonymous.get('/sign-in');
      const before = saved.length;
      const posted = await anonymous.post('/test/draft', { text: 'Never signed in' });
      expect(query(location(posted)).notKept).toBe('1');
      expect(savedSince(before)).toEqual([]);
    });

    it('saves nothing for a disabled account', async () => {
      const qa = await onAPage('qa@demo.example');
      clock.advance({ minutes: 61 });
      await database.db
        .updateTable('accounts')
        .set({ disabled: 1 })
        .where('email', '=', 'qa@demo.example')
        .execute();
      try {
        const before = saved.length;
        const posted = await qa.post('/test/draft', { text: 'Disabled since' });
        expect(query(location(posted)).notKept).toBe('1');
        expect(savedSince(before)).toEqual([]);
      } finally {
        await database.db
          .updateTable('accounts')
          .set({ disabled: 0 })
          .where('email', '=', 'qa@demo.example')
          .execute();
      }
    });

    it('saves nothing more than 12 hours after the session ended, and clears such sessions at sign-in', async () => {
      const sw = await onAPage('sw@demo.example');
      const ended = await onAPage('tm@demo.example');
      clock.advance({ minutes: 60 });
      clock.advance({ hours: 11, minutes: 59 });
      // Within 12 hours of its end: still kept (and the row is still there).
      const before = saved.length;
      expect(query(location(await ended.post('/test/draft', { text: 'Just in time' }))).kept).toBe(
        '1',
      );
      clock.advance({ minutes: 2 });
      const late = await sw.post('/test/draft', { text: 'Too late' });
      expect(query(location(late)).notKept).toBe('1');
      expect(savedSince(before).map((s) => s.text)).toEqual(['Just in time']);
      // Long-ended sessions go at the next sign-in; live ones stay.
      const live = await onAPage('hos@demo.example');
      const rows = await database.db.selectFrom('web_sessions').select(['last_seen_at']).execute();
      const cutoff = new Date(clock.now().getTime() - 13 * 3_600_000).toISOString();
      expect(rows.filter((r) => r.last_seen_at < cutoff)).toEqual([]);
      expect(await sessionsOf('tm@demo.example')).toEqual([]);
      expect(await signedOutOf(live)).toBe(false);
    });

    it('keeps a real draft section (the personal section of a one-to-one) under the same rules', async () => {
      const tm = await onAPage('tm@demo.example');
      const swPerson =
        (
          await database.db
            .selectFrom('accounts')
            .select('person_id')
            .where('email', '=', 'sw@demo.example')
            .executeTakeFirstOrThrow()
        ).person_id ?? '';
      await tm.get('/supervision/new/individual');
      const created = await tm.post('/supervision/new/individual', {
        supervisee: swPerson,
        'date-day': '20',
        'date-month': '11',
        'date-year': '2026',
        startTime: '14:00',
        endTime: '15:00',
        place: 'Meeting room 2',
      });
      expect(created.statusCode).toBe(303);
      const id = /^\/supervision\/([^/?]+)$/.exec(location(created))?.[1] ?? '';
      expect(id).not.toBe('');
      await tm.get(`/supervision/${id}/personal`);
      // The supervisee, whose session also timed out, may not write in it.
      const sw = await onAPage('sw@demo.example');
      clock.advance({ minutes: 90 });
      const posted = await tm.post(`/supervision/${id}/personal`, {
        revision: '0',
        absence: 'None',
        wellbeing: 'Kept after the timeout',
        learning: 'Court skills',
        next: 'continue',
      });
      expect(posted.statusCode).toBe(303);
      expect(query(location(posted))).toEqual({
        returnTo: `/supervision/${id}/review`,
        kept: '1',
      });
      const personal = await database.db
        .selectFrom('session_personal')
        .select('wellbeing')
        .where('session_id', '=', id)
        .executeTakeFirst();
      expect(personal?.wellbeing).toBe('Kept after the timeout');
      const intruder = await sw.post(`/supervision/${id}/personal`, {
        revision: '1',
        wellbeing: 'Not mine to write',
      });
      expect(intruder.statusCode).not.toBe(303);
      const after = await database.db
        .selectFrom('session_personal')
        .select('wellbeing')
        .where('session_id', '=', id)
        .executeTakeFirst();
      expect(after?.wellbeing).toBe('Kept after the timeout');
    });
  });
}
