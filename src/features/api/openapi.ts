import {
  CHILD_EVENT_KINDS,
  EXTERNAL_ID_MAX,
  ID_MAX,
  SUBJECT_KINDS,
  WORKER_EVENT_KINDS,
} from './api.form.js';
import { RATE_LIMIT } from './rate-limit.js';
import { TOKEN_PREFIX } from './tokens.js';

/**
 * The API's OpenAPI 3.1 description, served at /api/v1/openapi.json. The tests check every
 * answer the API gives against it (test/api.test.ts), so it is the API's contract, not a sketch
 * of it. It uses only the JSON Schema words test/support/openapi-check.ts understands.
 */

export const API_BASE = '/api/v1';

export const ERROR_CODES = [
  'missing_token',
  'invalid_token',
  'insufficient_scope',
  'invalid_request',
  'not_found',
  'conflict',
  'rate_limited',
  'server_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUSES = ['on-track', 'due', 'overdue', 'met', 'missed', 'breached'];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const date = (description: string) => ({ type: 'string', format: 'date', description });
const nullableDate = (description: string) => ({
  type: ['string', 'null'],
  format: 'date',
  description,
});

function errorSchema(codes: readonly ErrorCode[], extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', enum: codes, description: 'What went wrong, for programs.' },
          message: {
            type: 'string',
            description: 'What went wrong and what to do about it, for people.',
          },
          ...extra,
        },
      },
    },
  };
}

const requestIdHeader = { $ref: '#/components/headers/RequestId' };

function errorResponse(
  description: string,
  codes: readonly ErrorCode[],
  options: { extra?: Record<string, unknown>; headers?: Record<string, unknown> } = {},
) {
  return {
    description,
    headers: { 'X-Request-Id': requestIdHeader, ...(options.headers ?? {}) },
    content: { 'application/json': { schema: errorSchema(codes, options.extra) } },
  };
}

const idParameter = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what}’s id, as the council’s records have it (the id imported with them).`,
  schema: { type: 'string', minLength: 1, maxLength: ID_MAX },
});

const subjectParameter = (whose: string) => ({
  name: 'subject',
  in: 'query',
  required: false,
  description: `Only the results of this kind of subject among ${whose}.`,
  schema: { type: 'string', enum: SUBJECT_KINDS },
});

const dueResponse = (description: string) => ({
  description,
  headers: { 'X-Request-Id': requestIdHeader },
  content: { 'application/json': { schema: ref('Due') } },
});

function refused(codes: ('400' | '404' | '409')[]) {
  const responses: Record<string, unknown> = {};
  for (const code of codes) {
    const name = { '400': 'InvalidRequest', '404': 'NotFound', '409': 'Conflict' }[code];
    responses[code] = { $ref: `#/components/responses/${name}` };
  }
  responses['401'] = { $ref: '#/components/responses/Unauthorised' };
  responses['403'] = { $ref: '#/components/responses/Forbidden' };
  responses['429'] = { $ref: '#/components/responses/TooManyRequests' };
  responses['500'] = { $ref: '#/components/responses/ServerError' };
  return responses;
}

function dueOperation(options: {
  operationId: string;
  what: string;
  summary: string;
  description: string;
  subjectFilter?: string;
}) {
  return {
    get: {
      operationId: options.operationId,
      tags: ['Due dates'],
      summary: options.summary,
      description: options.description,
      security: [{ bearer: ['due:read'] }],
      parameters: [
        idParameter(options.what),
        ...(options.subjectFilter === undefined ? [] : [subjectParameter(options.subjectFilter)]),
      ],
      responses: {
        '200': dueResponse('The due dates, worked out for today.'),
        ...refused(['400', '404']),
      },
    },
  };
}

function eventOperation(options: {
  operationId: string;
  what: 'child' | 'worker';
  summary: string;
  description: string;
  input: string;
  example: Record<string, unknown>;
}) {
  const result = (description: string) => ({
    description,
    headers: { 'X-Request-Id': requestIdHeader },
    content: { 'application/json': { schema: ref('EventResult') } },
  });
  return {
    post: {
      operationId: options.operationId,
      tags: ['Events'],
      summary: options.summary,
      description: options.description,
      security: [{ bearer: ['events:write'] }],
      parameters: [idParameter(options.what)],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref(options.input),
            examples: { event: { summary: 'An event', value: options.example } },
          },
        },
      },
      responses: {
        '200': result(
          'An event with this externalId was posted already: nothing new is written, and this is the event it posted, with the due dates as they are now.',
        ),
        '201': result(
          'The event is recorded, and the due dates it moves are worked out again at once.',
        ),
        ...refused(['400', '404', '409']),
      },
    },
  };
}

/** The document, for a service at `publicUrl` (e.g. https://oversight.example.gov.uk). */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Oversight API',
      version: '1.0.0',
      summary: 'Due dates of supervision and oversight, and the events that meet them.',
      description: [
        'For the council’s case management system: read the due dates of a child, a worker or a team as Oversight works them out under the council’s supervision policy, and post the supervision and management oversight recorded there, which moves those dates.',
        '',
        `Every call but this description needs a token (\`Authorization: Bearer ${TOKEN_PREFIX}…\`), created by an administrator in Oversight (Administration → API integrations) for one integration, with the scopes it needs. A token sees the whole organisation. Every call is recorded, refused ones too.`,
        '',
        `Each token may make ${String(RATE_LIMIT.calls)} calls a minute on each instance of the service; calls without a recognised token are counted by address.`,
        '',
        'Errors are JSON: `{"error": {"code": "…", "message": "…"}}`; a response’s `X-Request-Id` identifies the call in the service’s record.',
      ].join('\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: `${publicUrl.replace(/\/$/, '')}${API_BASE}` }],
    security: [{ bearer: [] }],
    tags: [
      { name: 'Due dates', description: 'Read the due dates Oversight keeps current.' },
      { name: 'Events', description: 'Post supervision and oversight that has happened.' },
      { name: 'Description', description: 'This document.' },
    ],
    paths: {
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['Description'],
          summary: 'This description of the API',
          description: 'Needs no token, and is not recorded: it holds no data.',
          security: [],
          responses: {
            '200': {
              description: 'The OpenAPI 3.1 document.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/children/{id}/due': dueOperation({
        operationId: 'getChildDue',
        what: 'child',
        summary: 'A child’s due dates',
        description:
          'Every requirement the policy sets for the child today: case supervision and management oversight clocks, and milestones and gates (with `periodStart`, `met` and `onTime`). A closed child, or one the policy has no rule for, has no results; a warning says which.',
      }),
      '/workers/{id}/due': dueOperation({
        operationId: 'getWorkerDue',
        what: 'worker',
        summary: 'A worker’s due dates, and their caseload’s',
        description:
          'The worker’s own supervision, and the due dates of the children and foster carers allocated to them.',
        subjectFilter: 'the worker and their caseload',
      }),
      '/teams/{id}/due': dueOperation({
        operationId: 'getTeamDue',
        what: 'team',
        summary: 'A team’s due dates',
        description:
          'The team’s group supervision, its workers’ supervision, and the due dates of the children and foster carers allocated to the team.',
        subjectFilter: 'the team, its workers and their caseloads',
      }),
      '/children/{id}/events': eventOperation({
        operationId: 'postChildEvent',
        what: 'child',
        summary: 'Post a child’s case supervision or management oversight',
        description:
          'Records that the child’s case was discussed in supervision (one-to-one or group) or had management oversight on a day, and works the child’s due dates out again. Give your own id for the event as `externalId`: posting it again (a retry) writes nothing more.',
        input: 'ChildEventInput',
        example: { kind: 'case-supervision', date: '2026-11-20', externalId: 'MOSAIC-STEP-88123' },
      }),
      '/workers/{id}/events': eventOperation({
        operationId: 'postWorkerEvent',
        what: 'worker',
        summary: 'Post a worker’s supervision or supervision contract',
        description:
          'Records a worker’s individual supervision, their attendance at group supervision, or the signing of their supervision contract, and works their due dates out again. Give your own id for the event as `externalId`: posting it again (a retry) writes nothing more.',
        input: 'WorkerEventInput',
        example: { kind: 'individual', date: '2026-11-18', externalId: 'HR-SUP-20261118-0042' },
      }),
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `A token created by an administrator: \`${TOKEN_PREFIX}\` and 43 more characters. Scopes: \`due:read\` (read due dates), \`events:write\` (post events).`,
        },
      },
      headers: {
        RequestId: {
          description:
            'The call’s id in the service’s record of calls; quote it when asking about a call.',
          required: true,
          schema: { type: 'string' },
        },
        RetryAfter: {
          description: 'Seconds until calls are allowed again.',
          required: true,
          schema: { type: 'integer', minimum: 1 },
        },
        WwwAuthenticate: {
          description:
            'The `Bearer` challenge (RFC 6750), with the error and, for a missing scope, the scope needed.',
          required: true,
          schema: { type: 'string' },
        },
      },
      responses: {
        InvalidRequest: errorResponse(
          'Something in the path, the query or the body is not right; `details` lists every problem, each with where it is and what is wrong.',
          ['invalid_request'],
          {
            extra: {
              details: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['in', 'field', 'message'],
                  additionalProperties: false,
                  properties: {
                    in: { type: 'string', enum: ['path', 'query', 'body'] },
                    field: {
                      type: 'string',
                      description: 'The field, parameter or path part; empty for the whole body.',
                    },
                    message: { type: 'string' },
                  },
                },
              },
            },
          },
        ),
        Unauthorised: errorResponse(
          'No token was sent (`missing_token`), or it is not one Oversight knows: mistyped, or revoked (`invalid_token`).',
          ['missing_token', 'invalid_token'],
          { headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WwwAuthenticate' } } },
        ),
        Forbidden: errorResponse(
          'The token does not have the scope this call needs (`insufficient_scope`).',
          ['insufficient_scope'],
          { headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WwwAuthenticate' } } },
        ),
        NotFound: errorResponse('There is no child, worker or team with this id.', ['not_found']),
        Conflict: errorResponse(
          'The externalId was used already, for a different event (another subject, kind or date); `existing` is that event. Nothing is written.',
          ['conflict'],
          { extra: { existing: ref('Event') } },
        ),
        TooManyRequests: errorResponse(
          `More than ${String(RATE_LIMIT.calls)} calls in a minute with this token (or from this address without one).`,
          ['rate_limited'],
          { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } },
        ),
        ServerError: errorResponse(
          'Something failed inside Oversight and the call did not complete (`server_error`); the message quotes the request id to give the council’s administrators.',
          ['server_error'],
        ),
      },
      schemas: {
        Due: {
          type: 'object',
          description:
            'The result document of the scheduling contract (spec/scheduling.md §7) for the subjects asked for.',
          required: ['asOf', 'policy', 'results', 'warnings'],
          additionalProperties: false,
          properties: {
            asOf: date('The day the dates are worked out for: today, in England.'),
            policy: {
              type: ['string', 'null'],
              description: 'The id of the policy in force; null when none is, and nothing is due.',
            },
            results: {
              type: 'array',
              description:
                'By subject (child, worker, fosterCarer, team), then id, requirement and periodStart.',
              items: ref('DueResult'),
            },
            warnings: { type: 'array', items: ref('Warning') },
          },
          examples: [
            {
              asOf: '2026-11-24',
              policy: 'camden',
              results: [
                {
                  subject: 'child',
                  id: 'C1',
                  requirement: 'case-supervision',
                  status: 'overdue',
                  due: '2026-03-20',
                  latest: '2026-03-20',
                  lastEvent: '2026-01-20',
                  rules: ['cin'],
                  setBy: { kind: 'event', date: '2026-01-20' },
                  reason: 'Child in Need, every 2 months, from the supervision on 20 Jan 2026',
                  effectiveStatus: 'overdue',
                  effectiveDue: '2026-03-20',
                  effectiveLatest: '2026-03-20',
                  overrideId: null,
                },
              ],
              warnings: [],
            },
          ],
        },
        DueResult: {
          type: 'object',
          description:
            'One requirement of one subject: the engine’s result, and the result with a manager’s override of the child’s case supervision applied (`effective…`, equal to the engine’s where there is none).',
          required: [
            'subject',
            'id',
            'requirement',
            'status',
            'due',
            'latest',
            'lastEvent',
            'rules',
            'setBy',
            'reason',
            'effectiveStatus',
            'effectiveDue',
            'effectiveLatest',
            'overrideId',
          ],
          additionalProperties: false,
          properties: {
            subject: { type: 'string', enum: SUBJECT_KINDS },
            id: { type: 'string' },
            requirement: {
              type: 'string',
              description:
                'The requirement, e.g. case-supervision, management-oversight, professional-supervision, group-supervision, ten-day-review.',
            },
            periodStart: date('A milestone’s or gate’s period: when it started.'),
            status: { type: 'string', enum: STATUSES },
            due: date('When it is next due (a gate: the end of its period).'),
            latest: date('The last day it is on time.'),
            lastEvent: nullableDate('The event that set the clock; null when none counts.'),
            met: nullableDate('A milestone or gate: the date that met it, or null.'),
            onTime: {
              type: ['boolean', 'null'],
              description: 'A milestone or gate: whether it was met on time; null while unmet.',
            },
            rules: {
              type: 'array',
              items: { type: 'string' },
              description: 'The policy’s rules that set it.',
            },
            setBy: {
              type: 'object',
              required: ['kind', 'date'],
              additionalProperties: false,
              properties: {
                kind: { type: 'string', enum: ['event', 'start'] },
                date: date('The event’s date, or the start it counts from.'),
              },
            },
            reason: { type: 'string', description: 'Why, in words a manager can read.' },
            effectiveStatus: { type: 'string', enum: STATUSES },
            effectiveDue: date('When it is due with the override applied.'),
            effectiveLatest: date('The last day it is on time with the override applied.'),
            overrideId: {
              type: ['string', 'null'],
              description: 'The manager’s override that gives the effective dates, if any.',
            },
          },
        },
        Warning: {
          type: 'object',
          description:
            'A subject the policy has no rule for, so that no result is never taken for nothing due.',
          required: ['subject', 'id', 'message'],
          additionalProperties: false,
          properties: {
            subject: { type: 'string', enum: SUBJECT_KINDS },
            id: { type: 'string' },
            message: { type: 'string' },
          },
        },
        ChildEventInput: {
          type: 'object',
          required: ['kind', 'date'],
          additionalProperties: false,
          properties: {
            kind: {
              type: 'string',
              enum: CHILD_EVENT_KINDS,
              description:
                'case-supervision: the case discussed in one-to-one supervision; group-supervision: in group supervision; management-oversight: a manager’s oversight between supervisions.',
            },
            date: date('The day it happened: today or earlier.'),
            externalId: {
              type: ['string', 'null'],
              minLength: 1,
              maxLength: EXTERNAL_ID_MAX,
              description:
                'Your own id for the event, unique across the council’s integrations (prefix it with your system’s name if several post). The same externalId again writes nothing more.',
            },
          },
        },
        WorkerEventInput: {
          type: 'object',
          required: ['kind', 'date'],
          additionalProperties: false,
          properties: {
            kind: {
              type: 'string',
              enum: WORKER_EVENT_KINDS,
              description:
                'individual: one-to-one supervision; group: attended group supervision; contract: signed their supervision contract.',
            },
            date: date('The day it happened: today or earlier.'),
            externalId: {
              type: ['string', 'null'],
              minLength: 1,
              maxLength: EXTERNAL_ID_MAX,
              description:
                'Your own id for the event, unique across the council’s integrations (prefix it with your system’s name if several post). The same externalId again writes nothing more.',
            },
          },
        },
        Event: {
          type: 'object',
          required: ['id', 'subject', 'subjectId', 'kind', 'date', 'externalId', 'recordedAt'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', description: 'Oversight’s id for the event.' },
            subject: { type: 'string', enum: ['child', 'worker'] },
            subjectId: { type: 'string' },
            kind: { type: 'string', enum: [...CHILD_EVENT_KINDS, ...WORKER_EVENT_KINDS] },
            date: date('The day it happened.'),
            externalId: { type: ['string', 'null'] },
            recordedAt: {
              type: 'string',
              format: 'date-time',
              description: 'When it was first posted.',
            },
          },
        },
        EventResult: {
          type: 'object',
          required: ['event', 'due'],
          additionalProperties: false,
          properties: {
            event: ref('Event'),
            due: {
              ...ref('Due'),
              description: 'The subject’s own due dates, with the event counted.',
            },
          },
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
