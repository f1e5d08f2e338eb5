import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { secretKeyFrom, type SecretKey } from '../../domain/access/totp.js';
import type { SessionMeta } from '../../services/auth.service.js';

/** What the account and sign-in routes take from a request for the audit trail and sessions. */

export interface RequestAudit {
  ip: string | null;
  requestId: string | null;
  method: string;
  route: string | null;
}

export function requestAudit(request: FastifyRequest): RequestAudit {
  return {
    ip: request.ip,
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? null,
  };
}

export function sessionMeta(request: FastifyRequest): SessionMeta {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent : null };
}

const keys = new WeakMap<Config, SecretKey>();

/** The key that seals two-factor secrets, derived once per configuration. */
export function secretKeyOf(config: Config): SecretKey {
  let key = keys.get(config);
  if (key === undefined) {
    key = secretKeyFrom(config.cookieSecret, config.demo);
    keys.set(config, key);
  }
  return key;
}
