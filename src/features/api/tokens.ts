import { createHash, randomBytes } from 'node:crypto';

/**
 * Integration tokens: `ovs_` and 32 random bytes in base64url. Only a SHA-256 hash is kept (a
 * token has 256 bits of chance, so a fast hash is enough: nobody can guess one to match a
 * stolen hash), with the first characters to recognise it by.
 */

export const TOKEN_PREFIX = 'ovs_';

/** What a token may do. */
export const SCOPES = ['due:read', 'events:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_LABELS: Record<Scope, { text: string; hint: string }> = {
  'due:read': {
    text: 'Read due dates',
    hint: 'The due dates of any child, worker or team, with the reason for each',
  },
  'events:write': {
    text: 'Post supervision and oversight events',
    hint: 'Case supervision, group supervision and management oversight of a child; a worker’s supervision and contract. These move their due dates',
  },
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token, its hash and its recognisable start (`ovs_` and six characters). */
export function newToken(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) };
}

/** The token of an `Authorization: Bearer …` header: null when absent, '' when malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i.exec(header);
  return match?.[1] ?? '';
}
