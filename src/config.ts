import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The service's configuration, read from the environment once at start-up. This is the only
 * module that reads process.env; everything else is given a Config.
 */
export interface Config {
  readonly mode: 'production' | 'development' | 'test';
  readonly host: string;
  readonly port: number;
  /** A `postgres://` URL, or the path of the SQLite database file. */
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
      };
  readonly councilName: string;
  /** The address people use, e.g. https://oversight.example.gov.uk; decides Secure cookies. */
  readonly publicUrl: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Create the demo organisation on an empty database (never in production). */
  readonly demo: boolean;
  /** The longest a session lasts, however busy. */
  readonly sessionHours: number;
  /** A session ends after this many minutes without a request (the timeout warning comes first). */
  readonly sessionIdleMinutes: number;
  /** Signs the CSRF cookie; the same on every instance. */
  readonly cookieSecret: string;
  /**
   * Single sign-on with OpenID Connect (Microsoft Entra ID and similar): authorisation code with
   * PKCE; people are matched by email. Null when not set up.
   */
  readonly singleSignOn: {
    /** The issuer's URL; its discovery document is at /.well-known/openid-configuration. */
    readonly issuer: string;
    readonly clientId: string;
    /** Null for a public client (PKCE alone). */
    readonly clientSecret: string | null;
    /** The button's words, e.g. "Sign in with your council account". */
    readonly label: string;
  } | null;
  /** Email-and-password sign-in; a council using single sign-on alone switches it off. */
  readonly localAccounts: boolean;
  /**
   * Refused attempts at sign-in and its steps allowed from one address in a minute, in each
   * instance's memory (src/plugins/rate-limit.ts).
   */
  readonly rateLimits: { readonly signInPerMinute: number };
  /** The largest file an upload (imports) takes, in megabytes; forms take 1 MB. */
  readonly uploadLimitMegabytes: number;
}

/** The largest upload in bytes, for multipart's fileSize limit. */
export function uploadLimitBytes(config: Pick<Config, 'uploadLimitMegabytes'>): number {
  return config.uploadLimitMegabytes * 1024 * 1024;
}

/** Outside production only: a production start refuses it. */
export const DEVELOPMENT_COOKIE_SECRET = 'oversight-development-only-secret-do-not-use';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).default('data/oversight.sqlite'),
  COUNCIL_NAME: z.string().min(1).max(100).optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: z.enum(['true', 'false']).optional(),
  SESSION_HOURS: z.coerce.number().min(1).max(24).default(10),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int('must be a whole number of minutes')
    .min(5, 'must be at least 5 minutes')
    .max(480, 'must be at most 480 minutes (8 hours)')
    .default(60),
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_LABEL: z.string().min(1).max(60).default('Sign in with your council account'),
  LOCAL_ACCOUNTS: z.enum(['true', 'false']).default('true'),
  RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000)
    .default(20),
  UPLOAD_LIMIT_MB: z.coerce
    .number()
    .int('must be a whole number of megabytes')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
});

export function loadConfig(env: Record<string, string | undefined>, cwd = '.'): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const mode = e.NODE_ENV;
  const postgres = /^postgres(ql)?:\/\//.test(e.DATABASE_URL);
  const demo = mode !== 'production' && e.DEMO !== 'false';
  const problems: string[] = [];
  if (mode === 'production' && e.DEMO === 'true')
    problems.push('DEMO: the demo organisation is never created in production');
  if (mode === 'production' && e.COUNCIL_NAME === undefined)
    problems.push('COUNCIL_NAME: required in production (the name shown in the header)');
  if (
    mode === 'production' &&
    (e.COOKIE_SECRET === undefined || e.COOKIE_SECRET === DEVELOPMENT_COOKIE_SECRET)
  )
    problems.push(
      'COOKIE_SECRET: required in production (a random string of 32 or more characters)',
    );
  if (mode === 'production' && e.PUBLIC_URL === undefined)
    problems.push('PUBLIC_URL: required in production (the https:// address people use)');
  if (mode === 'production' && e.PUBLIC_URL !== undefined && !e.PUBLIC_URL.startsWith('https://'))
    problems.push(
      'PUBLIC_URL: must be an https:// address in production (sessions and records never cross plain http)',
    );
  if ((e.OIDC_ISSUER === undefined) !== (e.OIDC_CLIENT_ID === undefined))
    problems.push('OIDC_ISSUER and OIDC_CLIENT_ID: set both for single sign-on, or neither');
  if (e.LOCAL_ACCOUNTS === 'false' && e.OIDC_ISSUER === undefined)
    problems.push(
      'LOCAL_ACCOUNTS: can only be switched off when single sign-on is set up (OIDC_ISSUER), or no one could sign in',
    );
  if (problems.length > 0) throw new ConfigError(problems);
  const host = e.HOST;
  return Object.freeze({
    mode,
    host,
    port: e.PORT,
    database: postgres
      ? { kind: 'postgres' as const, url: e.DATABASE_URL }
      : {
          kind: 'sqlite' as const,
          file: isAbsolute(e.DATABASE_URL) ? e.DATABASE_URL : resolve(cwd, e.DATABASE_URL),
        },
    councilName: e.COUNCIL_NAME ?? (demo ? 'Demo Borough Council' : 'Oversight'),
    publicUrl: e.PUBLIC_URL ?? `http://${host}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    demo,
    sessionHours: e.SESSION_HOURS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    cookieSecret: e.COOKIE_SECRET ?? DEVELOPMENT_COOKIE_SECRET,
    singleSignOn:
      e.OIDC_ISSUER === undefined || e.OIDC_CLIENT_ID === undefined
        ? null
        : {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET ?? null,
            label: e.OIDC_LABEL,
          },
    localAccounts: e.LOCAL_ACCOUNTS === 'true',
    rateLimits: { signInPerMinute: e.RATE_LIMIT_SIGN_IN_PER_MINUTE },
    uploadLimitMegabytes: e.UPLOAD_LIMIT_MB,
  });
}
