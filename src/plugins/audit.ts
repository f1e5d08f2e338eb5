import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { allows, type AuditSpec, type Need } from '../features/route-table.js';
import { apiCallActor, recordAudit, type AuditEntry } from '../services/audit.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * What a handler adds to its request's audit entry (the filters of a search, an outcome):
     * ids and codes, never personal content.
     */
    auditDetail: Record<string, unknown> | null;
  }
}

/**
 * What a route is about, from its address: the first pattern that the route's address is, or
 * starts with (followed by `/` or `.`), names the kind of object, and the pattern's parameter
 * holds its id (null: the route names no existing object, e.g. a new record's type). The more
 * particular patterns come first. test/audit-routes.test.ts fails when a GET route with a path
 * parameter matches none, so a new page cannot escape the audit trail unclassified.
 */
export const OBJECT_ROUTES: readonly {
  readonly pattern: string;
  readonly kind: string;
  readonly param?: null;
}[] = [
  { pattern: '/admin/children/:id', kind: 'child' },
  { pattern: '/admin/people/:id', kind: 'person' },
  { pattern: '/admin/accounts/:id', kind: 'account' },
  { pattern: '/admin/services/:id', kind: 'service' },
  { pattern: '/admin/teams/:id', kind: 'team' },
  { pattern: '/admin/integrations/:id', kind: 'api-token' },
  { pattern: '/admin/closure-days/:date', kind: 'closure-day' },
  { pattern: '/admin/imports/history/:id', kind: 'import-history' },
  { pattern: '/admin/imports/mappings/:id', kind: 'column-mapping' },
  { pattern: '/admin/imports/:id', kind: 'import' },
  { pattern: '/api/v1/children/:id', kind: 'child' },
  { pattern: '/api/v1/workers/:id', kind: 'worker' },
  { pattern: '/api/v1/teams/:id', kind: 'team' },
  { pattern: '/children/:id', kind: 'child' },
  { pattern: '/workers/:id', kind: 'worker' },
  { pattern: '/foster-carers/:id', kind: 'foster-carer' },
  { pattern: '/supervision/agenda-items/:itemId', kind: 'agenda-item' },
  // A record not yet made: the type is in the entry's detail, there is no id.
  { pattern: '/supervision/new/:type', kind: 'supervision-record', param: null },
  { pattern: '/supervision/:id', kind: 'supervision-record' },
  { pattern: '/contracts/:id', kind: 'contract' },
  { pattern: '/handovers/:id', kind: 'handover' },
  { pattern: '/actions/:id', kind: 'action' },
  { pattern: '/teams/:id', kind: 'team' },
  { pattern: '/services/:id', kind: 'service' },
];

/** The kind of object a route is about and the parameter holding its id, or null. */
export function objectOf(
  url: string,
  spec: AuditSpec | undefined,
): { kind: string; param: string | null } | null {
  if (spec !== undefined && spec !== false && spec.object !== undefined)
    return { kind: spec.object.kind, param: spec.object.param ?? null };
  for (const entry of OBJECT_ROUTES) {
    const p = entry.pattern;
    if (url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}.`))
      return {
        kind: entry.kind,
        param: entry.param === null ? null : p.slice(p.lastIndexOf(':') + 1) || null,
      };
  }
  return null;
}

/**
 * What a request did: a POST is a change (a refused one too: its status says so); a GET
 * answered with an attachment is an export (a list, .csv or .xlsx) or a download (a PDF);
 * any other GET is a view. The route's own audit.action overrides.
 */
export function actionOf(
  method: string,
  url: string,
  disposition: unknown,
  spec: AuditSpec | undefined,
): string {
  if (spec !== undefined && spec !== false && spec.action !== undefined) return spec.action;
  if (method !== 'GET' && method !== 'HEAD') return 'change';
  if (typeof disposition === 'string' && disposition.trimStart().startsWith('attachment'))
    return /\.(csv|xlsx)$/.test(url) ? 'export' : 'download';
  return 'view';
}

interface RouteConfig {
  need?: Need;
  audit?: AuditSpec;
}

const API = '/api/v1/';

/** The write failed: the answer is replaced by the error page, and nothing of it is sent. */
class AuditNotWritten extends Error {
  constructor() {
    super('the audit entry could not be written');
    this.name = 'AuditNotWritten';
  }
}

const failed = new WeakSet<FastifyRequest>();

/**
 * The audit trail of the web service (docs/audit.md): every request that reaches a route of the
 * route table and has someone behind it (a signed-in person, or an API token) is written as one
 * entry before its answer leaves. If the entry cannot be written, the answer does not leave
 * either: the person sees the error page instead, so that nothing is seen unrecorded.
 */
export const auditPlugin = fp(
  (app: FastifyInstance, options: { db: Db; clock: Clock }, done: () => void) => {
    app.decorateRequest('auditDetail', null);

    // Auditors see, on a record's page, a link to who has opened it.
    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const viewer = request.viewer;
      if (viewer === null || request.method !== 'GET' || !allows('audit', viewer)) return;
      const url = request.routeOptions.url;
      const config = request.routeOptions.config as RouteConfig;
      if (url === undefined || config.need === undefined) return;
      const object = objectOf(url, config.audit);
      const id = object?.param == null ? undefined : paramsOf(request)[object.param];
      if (object === null || id === undefined) return;
      reply.locals.auditTrailHref = `/audit?object=${encodeURIComponent(`${object.kind}:${id}`)}`;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      if (failed.has(request)) return payload;
      try {
        const entry = await entryFor(options.db, request, reply);
        if (entry === null) return payload;
        await recordAudit(options.db, options.clock, entry);
      } catch (caught) {
        // Where it failed, never what: a database error can quote the values it refused.
        const error = caught as { name?: unknown; code?: unknown };
        request.log.error(
          {
            err: {
              type: typeof error.name === 'string' ? error.name : typeof caught,
              code: typeof error.code === 'string' ? error.code : undefined,
            },
          },
          'audit entry not written: answer withheld',
        );
        failed.add(request);
        reply.removeHeader('content-disposition');
        reply.removeHeader('content-length');
        if (isStream(payload)) payload.destroy();
        // The error handler answers 500 with the error page instead of this answer.
        throw new AuditNotWritten();
      }
      return payload;
    });
    done();
  },
  { name: 'audit', dependencies: ['auth'] },
);

function paramsOf(request: FastifyRequest): Record<string, string | undefined> {
  return (request.params ?? {}) as Record<string, string | undefined>;
}

function isStream(payload: unknown): payload is Readable {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { pipe?: unknown }).pipe === 'function' &&
    typeof (payload as { destroy?: unknown }).destroy === 'function'
  );
}

/** The entry for a request, or null when there is nothing to record. */
async function entryFor(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<AuditEntry | null> {
  const url = request.routeOptions.url;
  const config = request.routeOptions.config as RouteConfig | undefined;
  // Not a route of the table (assets, the health check, an address that does not exist).
  if (url === undefined || config?.need === undefined) return null;
  // The route records its own entries (signing in and out), or has nothing worth recording.
  if (config.audit === false) return null;

  let who: { accountId: string | null; actor: string; detail: Record<string, unknown> };
  if (request.viewer !== null) {
    who = { accountId: request.viewer.accountId, actor: request.viewer.email, detail: {} };
  } else if (url.startsWith(API)) {
    // The API's handler records each call in api_calls under this id (its x-request-id).
    const callId = reply.getHeader('x-request-id');
    if (typeof callId !== 'string') return null;
    // Not in api_calls (its write failed): recorded all the same, under the call's id.
    const call = (await apiCallActor(db, callId)) ?? {
      actor: 'API call without a known token',
      tokenId: null,
    };
    who = {
      accountId: null,
      actor: call.actor,
      detail: { apiCall: callId, tokenId: call.tokenId },
    };
  } else {
    // No one behind it: a public page, or a refusal that sends them to sign in.
    return null;
  }

  const params = paramsOf(request);
  const object = objectOf(url, config.audit);
  const objectId = object?.param == null ? null : (params[object.param] ?? null);
  const others = Object.fromEntries(
    Object.entries(params).filter(([name]) => name !== object?.param),
  );
  return {
    accountId: who.accountId,
    actor: who.actor,
    action: actionOf(request.method, url, reply.getHeader('content-disposition'), config.audit),
    objectKind: object?.kind ?? null,
    objectId,
    method: request.method,
    route: url,
    status: reply.statusCode,
    ip: request.ip,
    requestId: request.id,
    detail: {
      ...who.detail,
      ...(Object.keys(others).length > 0 ? { params: others } : {}),
      ...(request.keptAfterTimeout ? { keptAfterTimeout: true } : {}),
      ...(request.auditDetail ?? {}),
    },
  };
}
