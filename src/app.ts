import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/create-db.js';
import { ForbiddenError, NotFoundError } from './domain/errors.js';
import { allows, homeOf, navigationFor, type RouteDefinition } from './features/route-table.js';
import { registerUploads } from './features/admin/imports.uploads.js';
import { routes } from './features/routes.js';
import { signInHref } from './features/sign-in/sign-in.form.js';
import { auditPlugin } from './plugins/audit.js';
import { authPlugin, SESSION_COOKIE } from './plugins/auth.js';
import { isAutosave, replySignedOut, signedOutBody } from './plugins/autosave.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { registerSecurity } from './plugins/security.js';
import { viewsPlugin } from './plugins/views.js';
import { viewerForEndedSession } from './services/auth.service.js';

export interface AppDeps {
  config: Config;
  database: OpenDatabase;
  clock: Clock;
  /** A pino logger's options, or false for none (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Routes added to the route table, for tests of what the table does (keepsDraft, say). */
  extraRoutes?: readonly RouteDefinition[];
}

/** The largest form or API body taken (uploads have their own limit: config.uploadLimitMegabytes). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Personal data never reaches a log line: requests are logged by method, route and status. */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'body',
        'password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string }; id: string }) => ({
        method: req.method,
        route: req.routeOptions?.url,
        id: req.id,
      }),
    },
  };
}

/**
 * The whole web application as a Fastify instance; it never listens (server.ts does), so tests
 * drive it with `inject`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, clock } = deps;
  const https = config.publicUrl.startsWith('https://');
  const app = Fastify({
    logger: deps.logger ?? false,
    // Behind https, one proxy (the TLS terminator) in front: request.ip is the address it saw,
    // not whatever a client writes at the start of X-Forwarded-For (the rate limits count by it).
    // Over plain http, no hop is trusted.
    trustProxy: https ? (_address: string, hop: number) => hop < 1 : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // The audit trail quotes request ids: the service makes them, a client cannot choose one.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });

  await registerSecurity(app, { https });
  await app.register(cookie, { secret: config.cookieSecret });
  await app.register(formbody);
  // Multipart bodies only (the administrators' imports); their fields reach the CSRF check below.
  await registerUploads(app, { limitMegabytes: config.uploadLimitMegabytes });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'oversight_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: https, signed: true },
    getToken: (request) => (request.body as { _csrf?: string } | undefined)?._csrf,
  });
  await app.register(viewsPlugin, {
    councilName: config.councilName,
    demo: config.demo,
    reloadTemplates: config.mode === 'development',
  });
  // Before the session is looked up: a refused address costs no database work.
  await app.register(rateLimitPlugin, { clock, ...config.rateLimits });
  await app.register(authPlugin, {
    db: database.db,
    clock,
    secure: https,
    idleMinutes: config.sessionIdleMinutes,
  });
  await app.register(auditPlugin, { db: database.db, clock });

  // Every form is protected: a POST without the token from the page it came from is refused.
  // The API (/api/v1/) never uses the cookie: each call carries its own bearer token instead.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST' && !request.url.startsWith('/api/v1/')) {
      app.csrfProtection(request, reply, done);
      return;
    }
    done();
  });

  app.setErrorHandler(async (caught, request, reply) => {
    const error = caught as Error;
    const code = (error as { code?: string }).code;
    // The API answers in JSON, whatever went wrong (a body that is not JSON, a content type it
    // does not take); its own handlers record the calls they answer.
    if (request.url.startsWith('/api/v1/')) {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status >= 500)
        request.log.error({ err: { type: error.name, code } }, 'API request failed');
      return reply
        .code(status)
        .header('cache-control', 'no-store')
        .send({
          error:
            status >= 500
              ? { code: 'internal_error', message: 'Something went wrong; the call was not made' }
              : status === 415
                ? { code: 'invalid_request', message: 'Send the body as application/json' }
                : status === 413
                  ? { code: 'invalid_request', message: 'The body is too large: at most 1 MB' }
                  : {
                      code: 'invalid_request',
                      message:
                        'The request could not be read: send a JSON body as the API describes',
                    },
        });
    }
    if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
      return reply.code(403).view('errors/csrf', { pageTitle: 'This form has expired' });
    }
    if (error instanceof NotFoundError) return reply.code(404).view('errors/404');
    if (error instanceof ForbiddenError) return reply.code(403).view('errors/403');
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      if (status === 404) return reply.code(404).view('errors/404');
      if (status === 413) return reply.code(413).view('errors/413', { limit: '1 MB' });
      return reply.code(status).view('errors/400', { status });
    }
    // A database error's message can quote the values it refused: log where it failed, not what.
    const frames = (error.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '));
    request.log.error(
      {
        err: {
          type: error.name,
          code: (error as { code?: unknown }).code,
          stack: frames.join('\n'),
        },
      },
      'request failed',
    );
    return reply.code(500).view('errors/500');
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/v1/'))
      return reply.code(404).send({
        error: {
          code: 'not_found',
          message: 'There is no such address in the API: see /api/v1/openapi.json',
        },
      });
    return reply.code(404).view('errors/404');
  });

  app.get('/health', async (_request, reply) => {
    try {
      await database.db.selectFrom('organisation').select('id').limit(1).execute();
      return await reply
        .header('cache-control', 'no-store')
        .send({ status: 'ok', database: database.kind });
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  /**
   * A draft's save posted after its session ended (keepsDraft routes only, POST only, the CSRF
   * check passed): saved all the same for the person whose session it was, as long as the
   * session ended no more than KEEP_ENDED_SESSION_HOURS ago, was not signed out and the account
   * is not disabled; the handler runs as them, under the same access rules. Otherwise nothing is
   * saved, and nothing of what was posted is kept anywhere.
   */
  const keepDraft = async (
    route: RouteDefinition,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    const token = request.cookies[SESSION_COOKIE];
    const owner =
      token === undefined || token === ''
        ? null
        : await viewerForEndedSession(database.db, clock, token, config.sessionIdleMinutes);
    if (owner !== null && allows(route.need, owner)) {
      request.viewer = owner;
      request.keptAfterTimeout = true;
      // Not reply.locals.viewer: a page shown in answer (a form's errors) is not signed in.
      reply.locals.keptAfterTimeout = true;
      return undefined;
    }
    if (isAutosave(request)) return replySignedOut(reply, false);
    return reply.redirect(signInHref(request.url, 'notKept'), 303);
  };

  /**
   * After a kept save, the person signs in again: the handler's redirect becomes one to the
   * sign-in page, coming back to where it was going; an autosave's answer says it was kept. A
   * page shown instead (the form's errors, a clash of saves) goes out as it is, with what they
   * wrote in it, saying that it has not been saved yet.
   */
  const afterKeptDraft = async (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ): Promise<unknown> => {
    if (!request.keptAfterTimeout) return payload;
    const status = reply.statusCode;
    if (isAutosave(request)) {
      reply
        .code(401)
        .header('cache-control', 'no-store')
        .header('content-type', 'application/json; charset=utf-8');
      return signedOutBody(status === 200);
    }
    if (status >= 300 && status < 400) {
      const location = reply.getHeader('location');
      reply.code(303).header('location', signInHref(String(location ?? '/'), 'kept'));
      return '';
    }
    return payload;
  };

  for (const route of [
    ...routes({ db: database.db, clock, config }),
    ...(deps.extraRoutes ?? []),
  ]) {
    app.route({
      method: route.method,
      url: route.url,
      // Read back by the plugins (the audit trail) as request.routeOptions.config.
      config: { need: route.need, audit: route.audit },
      preHandler: async (request, reply) => {
        const viewer = request.viewer;
        if (viewer === null && route.keepsDraft === true && route.method === 'POST')
          return keepDraft(route, request, reply);
        if (viewer !== null)
          reply.locals.navigation = navigationFor(viewer, request.url.split('?')[0] ?? '');
        // Forms need a token; the API has no forms and sets no cookie.
        if (route.method === 'GET' && !request.url.startsWith('/api/v1/'))
          reply.locals.csrfToken = reply.generateCsrf();
        if (allows(route.need, viewer)) return;
        if (viewer === null) {
          if (route.method === 'GET') {
            const returnTo = encodeURIComponent(request.url);
            return reply.redirect(`/sign-in?returnTo=${returnTo}`);
          }
          return reply.code(403).view('errors/403');
        }
        return reply.code(403).view('errors/403', { home: homeOf(viewer) });
      },
      ...(route.keepsDraft === true ? { onSend: afterKeptDraft } : {}),
      handler: route.handler,
    });
  }
  return app;
}
