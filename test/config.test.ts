import { describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import {
  ConfigError,
  DEVELOPMENT_COOKIE_SECRET,
  loadConfig,
  uploadLimitBytes,
} from '../src/config.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { freshDatabase } from './support/databases.js';

describe('configuration', () => {
  it('defaults to the demo on SQLite under data/, listening on localhost:3000', () => {
    const config = loadConfig({}, '/srv/oversight');
    expect(config).toMatchObject({
      mode: 'development',
      host: 'localhost',
      port: 3000,
      database: { kind: 'sqlite', file: '/srv/oversight/data/oversight.sqlite' },
      demo: true,
      councilName: 'Demo Borough Council',
      publicUrl: 'http://localhost:3000',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes PostgreSQL from a postgres:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/oversight' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/oversight',
    });
  });

  it('refuses to start in production without a secret and a council name, or with demo data', () => {
    const attempt = () => loadConfig({ NODE_ENV: 'production', DEMO: 'true' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('DEMO: the demo organisation is never created in production');
      expect(problems).toContain('COUNCIL_NAME: required in production');
      expect(problems).toContain('COOKIE_SECRET: required in production');
    }
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        COUNCIL_NAME: 'X',
        COOKIE_SECRET: DEVELOPMENT_COOKIE_SECRET,
      }),
    ).toThrow(/COOKIE_SECRET/);
    const production = loadConfig({
      NODE_ENV: 'production',
      COUNCIL_NAME: 'Anytown Council',
      COOKIE_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://oversight.anytown.example',
    });
    expect(production.demo).toBe(false);
  });

  it('refuses to start in production without an https public address', () => {
    const base = {
      NODE_ENV: 'production',
      COUNCIL_NAME: 'Anytown Council',
      COOKIE_SECRET: 'x'.repeat(40),
    };
    expect(() => loadConfig(base)).toThrow(/PUBLIC_URL: required in production/);
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'http://oversight.anytown.example' })).toThrow(
      /PUBLIC_URL: must be an https:\/\/ address in production/,
    );
  });

  it('single sign-on needs its issuer and client together; local accounts go only with it', () => {
    expect(loadConfig({}).singleSignOn).toBeNull();
    expect(loadConfig({}).localAccounts).toBe(true);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConfig({ LOCAL_ACCOUNTS: 'false' })).toThrow(/LOCAL_ACCOUNTS/);
    const sso = loadConfig({
      OIDC_ISSUER: 'https://login.example/tenant',
      OIDC_CLIENT_ID: 'oversight',
      LOCAL_ACCOUNTS: 'false',
    });
    expect(sso.singleSignOn).toEqual({
      issuer: 'https://login.example/tenant',
      clientId: 'oversight',
      clientSecret: null,
      label: 'Sign in with your council account',
    });
    expect(sso.localAccounts).toBe(false);
  });

  it('names the variable and the problem for a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('ends idle sessions after SESSION_IDLE_MINUTES: 60 unless set, from 5 to 480', () => {
    expect(loadConfig({}).sessionIdleMinutes).toBe(60);
    expect(loadConfig({ SESSION_IDLE_MINUTES: '5' }).sessionIdleMinutes).toBe(5);
    expect(loadConfig({ SESSION_IDLE_MINUTES: '480' }).sessionIdleMinutes).toBe(480);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        COUNCIL_NAME: 'Anytown Council',
        COOKIE_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://oversight.anytown.example',
        SESSION_IDLE_MINUTES: '30',
      }).sessionIdleMinutes,
    ).toBe(30);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '4' })).toThrow(
      /SESSION_IDLE_MINUTES: must be at least 5 minutes/,
    );
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '481' })).toThrow(
      /SESSION_IDLE_MINUTES: must be at most 480 minutes/,
    );
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '7.5' })).toThrow(
      /SESSION_IDLE_MINUTES: must be a whole number/,
    );
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: 'an hour' })).toThrow(/SESSION_IDLE_MINUTES/);
  });

  it('limits refused sign-in attempts to 20 a minute per address unless set', () => {
    expect(loadConfig({}).rateLimits).toEqual({ signInPerMinute: 20 });
    expect(
      loadConfig({
        NODE_ENV: 'production',
        COUNCIL_NAME: 'Anytown Council',
        COOKIE_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://oversight.anytown.example',
      }).rateLimits,
    ).toEqual({ signInPerMinute: 20 });
    expect(loadConfig({ RATE_LIMIT_SIGN_IN_PER_MINUTE: '5' }).rateLimits).toEqual({
      signInPerMinute: 5,
    });
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN_PER_MINUTE: '0' })).toThrow(
      /RATE_LIMIT_SIGN_IN_PER_MINUTE: must be at least 1/,
    );
    expect(() => loadConfig({ RATE_LIMIT_SIGN_IN_PER_MINUTE: 'lots' })).toThrow(
      /RATE_LIMIT_SIGN_IN_PER_MINUTE/,
    );
  });

  it('takes uploads of up to UPLOAD_LIMIT_MB megabytes: 50 unless set, from 1 to 500', () => {
    expect(loadConfig({}).uploadLimitMegabytes).toBe(50);
    expect(uploadLimitBytes(loadConfig({}))).toBe(50 * 1024 * 1024);
    expect(loadConfig({ UPLOAD_LIMIT_MB: '10' }).uploadLimitMegabytes).toBe(10);
    expect(() => loadConfig({ UPLOAD_LIMIT_MB: '0' })).toThrow(
      /UPLOAD_LIMIT_MB: must be at least 1/,
    );
    expect(() => loadConfig({ UPLOAD_LIMIT_MB: '501' })).toThrow(
      /UPLOAD_LIMIT_MB: must be at most 500/,
    );
    expect(() => loadConfig({ UPLOAD_LIMIT_MB: '2.5' })).toThrow(
      /UPLOAD_LIMIT_MB: must be a whole/,
    );
  });
});

describe('setting up an empty database', () => {
  it('in production mode creates the organisation and nothing else: no demo data, no account', async () => {
    const open = await freshDatabase('sqlite');
    try {
      const result = await setUpOrganisation(open.db, fixedClock('2026-11-24'), {
        demo: false,
        councilName: 'Anytown Council',
      });
      expect(result).toEqual({ kind: 'empty' });
      const count = async (table: 'accounts' | 'children' | 'people') =>
        Number(
          (
            await open.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('accounts')).toBe(0);
      expect(await count('children')).toBe(0);
      expect(await count('people')).toBe(0);
      // Starting again finds the organisation and creates nothing.
      expect(
        await setUpOrganisation(open.db, fixedClock('2026-11-24'), {
          demo: true,
          councilName: 'X',
        }),
      ).toEqual({
        kind: 'existing',
        demo: false,
      });
    } finally {
      await open.close();
    }
  });
});
