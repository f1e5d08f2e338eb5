import type { ApiCall, ApiTokenRow } from '../../db/api.repository.js';
import { formatInstant } from '../../plugins/views.js';
import { path } from '../admin/render.js';
import { API_BASE } from './openapi.js';
import { isScope, SCOPE_LABELS } from './tokens.js';

/** The administration pages' words for integrations, their tokens and their calls. */

export interface IntegrationView {
  id: string;
  name: string;
  href: string;
  revokeHref: string;
  prefix: string;
  scopes: string[];
  created: string;
  createdBy: string;
  lastUsed: string;
  revoked: boolean;
  revokedText: string;
}

export function presentIntegration(token: ApiTokenRow): IntegrationView {
  const href = path('/admin/integrations', token.id);
  return {
    id: token.id,
    name: token.name,
    href,
    revokeHref: `${href}/revoke`,
    prefix: `${token.prefix}…`,
    scopes: token.scopes.map((s) => (isScope(s) ? SCOPE_LABELS[s].text : s)),
    created: formatInstant(token.createdAt),
    createdBy: token.createdByEmail ?? 'an account since removed',
    lastUsed: token.lastUsedAt === null ? 'Never' : formatInstant(token.lastUsedAt),
    revoked: token.revokedAt !== null,
    revokedText:
      token.revokedAt === null
        ? ''
        : `Revoked on ${formatInstant(token.revokedAt)} by ${token.revokedByEmail ?? 'an account since removed'}`,
  };
}

const CALLS: Record<string, string> = {
  [`GET ${API_BASE}/children/:id/due`]: 'Read a child’s due dates',
  [`GET ${API_BASE}/workers/:id/due`]: 'Read a worker’s due dates',
  [`GET ${API_BASE}/teams/:id/due`]: 'Read a team’s due dates',
  [`POST ${API_BASE}/children/:id/events`]: 'Posted a child’s event',
  [`POST ${API_BASE}/workers/:id/events`]: 'Posted a worker’s event',
};

const OUTCOMES: Record<number, string> = {
  200: 'Answered',
  201: 'Event recorded',
  400: 'Refused: not valid',
  401: 'Refused: the token is revoked',
  403: 'Refused: not in the token’s scopes',
  404: 'Not found',
  409: 'Refused: externalId used for another event',
  429: 'Refused: too many calls',
  500: 'Failed in the service',
};

const SUBJECTS: Record<string, string> = {
  child: 'Child',
  worker: 'Worker',
  team: 'Team',
  fosterCarer: 'Foster carer',
};

export interface CallView {
  at: string;
  what: string;
  subject: string;
  status: number;
  outcome: string;
  failed: boolean;
  requestId: string;
}

export function presentCall(call: ApiCall): CallView {
  return {
    at: formatInstant(call.at),
    what: CALLS[`${call.method} ${call.route}`] ?? `${call.method} ${call.route}`,
    subject:
      call.subjectKind === null
        ? ''
        : `${SUBJECTS[call.subjectKind] ?? call.subjectKind} ${call.subjectId ?? ''}`,
    status: call.status,
    outcome: OUTCOMES[call.status] ?? 'Refused',
    failed: call.status >= 400,
    requestId: call.id,
  };
}
