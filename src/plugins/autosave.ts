import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The server's half of the autosave protocol (the browser's is src/views/assets/autosave.js;
 * both are described in docs/recording.md, "Drafts and autosave"). Every 30 seconds, a draft's
 * form that has changed is posted as it would be by its Save button, with the header
 * `x-autosave: 1`; the route saves it as usual and, instead of redirecting or re-rendering,
 * answers with JSON:
 *
 *   200 { saved: true, revision, savedAt: "14:32" }   saved; the form's revision is now `revision`
 *   409 { conflict: true, byName, at: "14:31" }      someone else saved this part since
 *   423 { locked: true }                             the record has been signed
 *   401 { signedOut: true, saved: true | false }     the session had ended (app.ts); whether
 *                                                    this save was kept all the same
 *
 * Times are the time of day in London (HH:MM). A form that fails its checks gets the page with
 * its errors (400), as without JavaScript; the script says it was not saved.
 */

/** What a draft's save came to: `SaveResult` of the supervision service. */
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

/** An instant as the time of day in London, `14:32`. */
export function londonTime(instant: string | Date): string {
  return LONDON_TIME.format(typeof instant === 'string' ? new Date(instant) : instant);
}

export function isAutosave(request: FastifyRequest): boolean {
  return request.headers['x-autosave'] === '1';
}

/**
 * Answers an autosave. `now` is when the save was made (the request's clock); the time shown is
 * what the person's own clock on the wall says, so the real time is the default.
 */
export function replyAutosave(
  reply: FastifyReply,
  result: AutosaveResult,
  now: Date = new Date(),
): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (result.ok)
    return reply
      .code(200)
      .send({ saved: true, revision: result.revision, savedAt: londonTime(now) });
  if (result.reason === 'locked') return reply.code(423).send({ locked: true });
  return reply.code(409).send({ conflict: true, byName: result.byName, at: londonTime(result.at) });
}

/** The answer to an autosave posted after the session ended: whether it was kept all the same. */
export function signedOutBody(saved: boolean): string {
  return JSON.stringify({ signedOut: true, saved });
}

export function replySignedOut(reply: FastifyReply, saved: boolean): FastifyReply {
  return reply
    .code(401)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(signedOutBody(saved));
}
