import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { formatDate as formatCalendarDate, tryParseIsoDate } from '../domain/dates/index.js';
// Only for the types of reply.cspNonce; helmet itself is registered elsewhere.
import type {} from '@fastify/helmet';

export interface ViewsOptions {
  councilName: string;
  demo: boolean;
  /** Where the built assets are (default `<project root>/dist/public`). */
  publicDir?: string;
  /** Re-read templates on every render, for editing them with the server running. */
  reloadTemplates?: boolean;
  /** Folders searched before src/views, e.g. a test's own pages/ beside the real ones. */
  extraTemplateDirs?: string[];
}

declare module 'fastify' {
  interface FastifyReply {
    /** Per-request values every page sees (viewer, csrfToken, navigation…), set by other plugins. */
    locals: Record<string, unknown>;
    /** Renders `pages/<template>.njk` as the response, e.g. `reply.view('errors/404')`. */
    view(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

// This file runs as src/plugins/views.ts under Vitest and as dist/src/plugins/views.js in
// production, so the templates are found from the project root rather than relative to here.
function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * `2026-03-15` → `15 Mar 2026`, the GOV.UK style for dates in tables and the engine's own
 * wording of dates in its reasons; empty stays empty.
 */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  const date = tryParseIsoDate(value);
  // Any other text is shown as it came rather than guessed at.
  return date === undefined ? value : formatCalendarDate(date);
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/**
 * An instant (ISO UTC text) as the time in London: `24 Nov 2026 at 14:32`, for when something
 * was saved or signed; empty stays empty.
 */
export function formatInstant(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const parts = Object.fromEntries(
    LONDON_TIME.formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return `${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''} at ${parts.hour ?? ''}:${parts.minute ?? ''}`;
}

const numberFormat = new Intl.NumberFormat('en-GB');

/** `3 | plural('child', 'children')` → `3 children`; the plural defaults to singular + "s". */
export function plural(count: unknown, singular: string, pluralForm?: string): string {
  const n = Number(count);
  const word = n === 1 ? singular : (pluralForm ?? `${singular}s`);
  return `${numberFormat.format(n)} ${word}`;
}

/**
 * The query string for a link that changes some parameters and keeps the rest:
 * `query | withQuery({ sort: 'due', dir: 'asc', page: none })` → `?team=4&sort=due&dir=asc`.
 * A null, undefined or empty value removes the parameter; an array repeats it.
 */
export function withQuery(query: unknown, changes: unknown): string {
  const merged: Record<string, unknown> = {
    ...(typeof query === 'object' ? query : {}),
    ...(typeof changes === 'object' ? changes : {}),
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === '') continue;
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        params.append(key, String(item));
      }
    }
  }
  const text = params.toString();
  return text === '' ? '?' : `?${text}`;
}

export function createViewEnvironment(
  searchPaths: string[],
  reloadTemplates = false,
): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(searchPaths, { noCache: reloadTemplates }),
    { autoescape: true },
  );
  env.addFilter('date', formatDate);
  env.addFilter('instant', formatInstant);
  env.addFilter('plural', plural);
  env.addFilter('withQuery', withQuery);
  // GOV.UK Frontend's macros trim every block they are given; nunjucks' own trim filter does it
  // with a regular expression that is slow on long runs of whitespace (milliseconds per page).
  // Like the original, it keeps markup marked safe as safe.
  env.addFilter('trim', (value: string | nunjucks.runtime.SafeString | null | undefined) => {
    const trimmed = (value ?? '').toString().trim();
    return value instanceof nunjucks.runtime.SafeString
      ? new nunjucks.runtime.SafeString(trimmed)
      : trimmed;
  });
  return env;
}

// Page names are constants in route code; refusing anything else keeps a mistaken caller from
// rendering an arbitrary file.
const TEMPLATE_NAME = /^[a-z0-9-]+(\/[a-z0-9-]+)*$/;

function scriptNonce(reply: FastifyReply): string | undefined {
  // Helmet decorates every reply with cspNonce but fills it only with enableCSPNonces on.
  const nonces = reply.cspNonce as FastifyReply['cspNonce'] | null | undefined;
  return nonces?.script;
}

const views: FastifyPluginAsync<ViewsOptions> = async (fastify, options) => {
  const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  const env = createViewEnvironment(
    [
      ...(options.extraTemplateDirs ?? []),
      join(root, 'src', 'views'),
      join(root, 'node_modules', 'govuk-frontend', 'dist'),
    ],
    options.reloadTemplates ?? false,
  );

  // Fastify 5 forbids a shared object as a decorator's default: each request gets its own below.
  // The type says "always an object" because after onRequest it always is.
  fastify.decorateReply('locals', null as unknown as Record<string, unknown>);
  fastify.addHook('onRequest', async (_request, reply) => {
    reply.locals = {};
  });

  fastify.decorateReply(
    'view',
    function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      if (!TEMPLATE_NAME.test(template)) throw new Error(`Invalid template name: ${template}`);
      // locals is still null if an onRequest hook that runs before ours failed.
      const locals = this.locals as Record<string, unknown> | null;
      const html = env.render(`pages/${template}.njk`, {
        councilName: options.councilName,
        demo: options.demo,
        cspNonce: scriptNonce(this),
        ...locals,
        ...context,
      });
      return this.type('text/html; charset=utf-8').send(html);
    },
  );

  await fastify.register(fastifyStatic, {
    root: resolve(options.publicDir ?? join(root, 'dist', 'public')),
    prefix: '/assets/',
    decorateReply: false,
    // Asset names carry no hash, so a day is the longest a stale file can linger after a release.
    maxAge: 86_400_000,
  });
};

export const viewsPlugin = fp(views, { name: 'views', fastify: '5.x' });
