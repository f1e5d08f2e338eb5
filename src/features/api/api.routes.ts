import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { RouteDefinition } from '../route-table.js';
import {
  parseDueQuery,
  parseEventBody,
  parseId,
  type EventSubject,
  type InputProblem,
  type Parsed,
} from './api.form.js';
import { ApiService, type ApiToken } from './api.service.js';
import { integrationsRoutes } from './integrations.routes.js';
import { API_BASE, openApiDocument, type ErrorCode } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import { bearerToken, SCOPE_LABELS, type Scope } from './tokens.js';

/**
 * The JSON API (docs/api.md) and its administration pages. API routes are 'public' in the
 * route table: they never use the cookie session (nor its CSRF check, which app.ts skips under
 * /api/v1/); each call is authenticated here by its bearer token, counted against the token's
 * rate limit, checked for the scope it needs and recorded, whatever its answer.
 */

const REALM = 'Bearer realm="Oversight API"';

interface Answer {
  status: number;
  body: unknown;
  errorCode?: ErrorCode;
  headers?: Record<string, string>;
}

function failure(
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Answer {
  return { status, errorCode: code, body: { error: { code, message, ...extra } }, headers };
}

function invalid(problems: readonly InputProblem[]): Answer {
  const list = problems.map((p) => p.message).join('; ');
  return failure(400, 'invalid_request', `The request is not valid: ${list}`, {
    details: problems,
  });
}

const SCOPE_WORDS: Record<Scope, string> = {
  'due:read': 'read due dates',
  'events:write': 'post events',
};

interface Call {
  request: FastifyRequest;
  token: ApiToken;
  /** The id in the path, or what is wrong with it. */
  id: Parsed<string>;
}

export function apiRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const api = new ApiService(deps.db, deps.clock);
  const limiter = new RateLimiter();
  const document = openApiDocument(deps.config.publicUrl);

  interface Endpoint {
    method: 'GET' | 'POST';
    url: string;
    scope: Scope;
    /** What the path's id names. */
    subject: 'child' | 'worker' | 'team';
    handle: (call: Call) => Promise<Answer>;
  }

  /**
   * A call's answer: refused without a token Oversight knows, over the rate limit or outside
   * the token's scopes; otherwise the endpoint's. `seen` takes the token's id, for the record.
   */
  const answerFor = async (
    route: Endpoint,
    request: FastifyRequest,
    id: Parsed<string>,
    seen: { tokenId: string | null },
  ): Promise<Answer> => {
    const now = deps.clock.now().getTime();
    const sent = bearerToken(request.headers.authorization);
    const known =
      sent === null || sent === '' ? { kind: 'unknown' as const } : await api.authenticate(sent);
    if (known.kind === 'revoked') seen.tokenId = known.tokenId;
    if (known.kind !== 'ok') {
      const allowance = limiter.take(`address:${request.ip}`, now);
      if (!allowance.allowed) return tooMany(allowance.retryAfterSeconds, 'from this address');
      if (sent === null)
        return failure(
          401,
          'missing_token',
          'This call needs a token: send it in the Authorization header, as “Bearer ovs_…”. An administrator creates one in Oversight, under Administration, API integrations.',
          {},
          { 'www-authenticate': REALM },
        );
      return failure(
        401,
        'invalid_token',
        'The token is not one Oversight knows: it may be mistyped, or it has been revoked. Ask an administrator for a new one.',
        {},
        { 'www-authenticate': `${REALM}, error="invalid_token"` },
      );
    }
    const token = known.token;
    seen.tokenId = token.id;
    const allowance = limiter.take(`token:${token.id}`, now);
    if (!allowance.allowed) return tooMany(allowance.retryAfterSeconds, 'with this token');
    if (!token.scopes.includes(route.scope))
      return failure(
        403,
        'insufficient_scope',
        `This token may not ${SCOPE_WORDS[route.scope]}: that needs the scope ${route.scope} (“${SCOPE_LABELS[route.scope].text}”), which an administrator gives when creating a token.`,
        {},
        { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${route.scope}"` },
      );
    return route.handle({ request, token, id });
  };

  const endpoint = (route: Endpoint): RouteDefinition => ({
    method: route.method,
    url: route.url,
    need: 'public',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const id = randomUUID();
      const seen: { tokenId: string | null } = { tokenId: null };
      // Recorded whatever the answer, refusals too, whenever the path's id can be read.
      const pathId = parseId(request.params, route.subject);
      const subject = pathId.ok ? { kind: route.subject, id: pathId.value } : null;
      let answer: Answer;
      try {
        answer = await answerFor(route, request, pathId, seen);
      } catch (caught) {
        const error = caught as Error;
        // As app.ts does: where it failed, never what (a database error can quote values).
        request.log.error(
          {
            err: {
              type: error.name,
              code: (error as { code?: unknown }).code,
              stack: (error.stack ?? '')
                .split('\n')
                .filter((line) => line.trimStart().startsWith('at '))
                .join('\n'),
            },
          },
          'api call failed',
        );
        answer = failure(
          500,
          'server_error',
          `Something went wrong in Oversight and the call did not complete. Try again later; if it keeps happening, tell the council’s Oversight administrators, quoting the request id ${id}.`,
        );
      }
      try {
        await api.record({
          id,
          tokenId: seen.tokenId,
          method: route.method,
          route: route.url,
          status: answer.status,
          errorCode: answer.errorCode ?? null,
          subjectKind: subject?.kind ?? null,
          subjectId: subject?.id ?? null,
          requestId: request.id,
        });
      } catch (caught) {
        request.log.error({ err: { type: (caught as Error).name } }, 'api call not recorded');
      }
      return reply
        .code(answer.status)
        .headers({ 'cache-control': 'no-store', 'x-request-id': id, ...(answer.headers ?? {}) })
        .send(answer.body);
    },
  });

  const tooMany = (seconds: number, how: string): Answer =>
    failure(
      429,
      'rate_limited',
      `Too many calls ${how}: at most ${String(limiter.limit)} a minute. Try again in ${String(seconds)} seconds.`,
      {},
      { 'retry-after': String(seconds) },
    );

  const due = (kind: 'child' | 'worker' | 'team', path: string, subjectFilter: boolean) =>
    endpoint({
      method: 'GET',
      url: `${API_BASE}/${path}/:id/due`,
      scope: 'due:read',
      subject: kind,
      handle: async ({ request, id }) => {
        const query = parseDueQuery(request.query, { subjectFilter });
        if (!id.ok || !query.ok)
          return invalid([...(id.ok ? [] : id.problems), ...(query.ok ? [] : query.problems)]);
        const found = await api.due(kind, id.value, query.value.subject);
        if (found === null) return notFound(kind, id.value);
        return { status: 200, body: found };
      },
    });

  const events = (kind: EventSubject, path: string) =>
    endpoint({
      method: 'POST',
      url: `${API_BASE}/${path}/:id/events`,
      scope: 'events:write',
      subject: kind,
      handle: async ({ request, token, id }) => {
        const body = parseEventBody(request.body, kind, deps.clock.today());
        if (!id.ok || !body.ok)
          return invalid([...(id.ok ? [] : id.problems), ...(body.ok ? [] : body.problems)]);
        const outcome = await api.postEvent(token, { kind, id: id.value }, body.value);
        switch (outcome.kind) {
          case 'not-found':
            return notFound(kind, id.value);
          case 'conflict':
            return failure(
              409,
              'conflict',
              `externalId "${body.value.externalId ?? ''}" was used already, for a different event (${outcome.existing.subject} ${outcome.existing.subjectId}, ${outcome.existing.kind} on ${outcome.existing.date}): nothing was written. Use a new externalId for a new event.`,
              { existing: outcome.existing },
            );
          case 'created':
          case 'existing':
            return {
              status: outcome.kind === 'created' ? 201 : 200,
              body: { event: outcome.event, due: outcome.due },
            };
        }
      },
    });

  return [
    {
      method: 'GET',
      url: `${API_BASE}/openapi.json`,
      need: 'public',
      handler: async (_request, reply) =>
        reply.header('cache-control', 'no-cache').type('application/json').send(document),
    },
    due('child', 'children', false),
    due('worker', 'workers', true),
    due('team', 'teams', true),
    events('child', 'children'),
    events('worker', 'workers'),
    ...integrationsRoutes(deps),
  ];
}

function notFound(kind: string, id: string): Answer {
  return failure(404, 'not_found', `There is no ${kind} with the id "${id}".`);
}
