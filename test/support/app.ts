import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { fixedClock, type Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { OpenDatabase } from '../../src/db/create-db.js';
import { setUpOrganisation } from '../../src/services/organisation.service.js';
import { ensureCurrent } from '../../src/services/due.service.js';

/** The app on a fresh database with the demo organisation, driven through `inject`. */

export const TEST_TODAY = '2026-11-24';
export const DEMO_PASSWORD = 'oversight-demo';

export async function demoApp(
  database: OpenDatabase,
  clock: Clock = fixedClock(TEST_TODAY),
  options: { supervisionHistory?: boolean } = {},
): Promise<FastifyInstance> {
  await setUpOrganisation(database.db, clock, {
    demo: true,
    councilName: 'Demo Borough Council',
    ...options,
  });
  await ensureCurrent(database.db, clock);
  return buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    database,
    clock,
  });
}

/** A browser's cookies and the last form's CSRF token, for one person. */
export class Session {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as {
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }[]) {
      const expired =
        cookie.value === '' ||
        cookie.maxAge === 0 ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token?.[1] !== undefined) this.csrf = token[1];
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.cookieHeader },
    });
    this.remember(response);
    return response;
  }

  /** A form post, with the CSRF token from the last page unless `csrf` says otherwise. */
  async post(
    url: string,
    form: Record<string, string>,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    const body = new URLSearchParams({ ...form, ...(token === null ? {} : { _csrf: token }) });
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.remember(response);
    return response;
  }

  /**
   * Signs in; for the demo administrator, who has two-factor, also gives the code the demo's
   * page shows (unless `twoFactor` is false: the answer is then the redirect to the code page).
   */
  async signIn(
    email: string,
    password = DEMO_PASSWORD,
    options: { twoFactor?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password, returnTo: '/' });
    if (response.headers.location !== '/sign-in/two-factor' || options.twoFactor === false)
      return response;
    const page = await this.get('/sign-in/two-factor');
    const code = /data-demo-code>(\d{6})</.exec(page.body)?.[1];
    if (code === undefined) return response;
    return this.post('/sign-in/two-factor', { code });
  }
}

export async function signedIn(app: FastifyInstance, email: string): Promise<Session> {
  const session = new Session(app);
  const response = await session.signIn(email);
  if (response.statusCode !== 303)
    throw new Error(`sign-in as ${email} failed: ${String(response.statusCode)}`);
  return session;
}
