import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The autosave protocol between a draft's pages and src/views/assets/autosave.js: the script
 * posts the form with the header `x-autosave: 1` and reads JSON back (docs/recording.md):
 * 200 `{ saved, revision, savedAt }`, 409 `{ conflict, byName, at }`, 423 `{ locked }`.
 */

export type AutosaveResult =
  | { ok: true; revision: number }
  | { ok: false; reason: 'conflict'; byName: string; at: string; revision: number }
  | { ok: false; reason: 'locked' };

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function londonTime(instant: string | Date): string {
  return LONDON_TIME.format(typeof instant === 'string' ? new Date(instant) : instant);
}

export function isAutosave(request: FastifyRequest): boolean {
  return request.headers['x-autosave'] === '1';
}

export function replyAutosave(reply: FastifyReply, result: AutosaveResult): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (result.ok)
    return reply
      .code(200)
      .send({ saved: true, revision: result.revision, savedAt: londonTime(new Date()) });
  if (result.reason === 'locked') return reply.code(423).send({ locked: true });
  return reply.code(409).send({ conflict: true, byName: result.byName, at: londonTime(result.at) });
}
