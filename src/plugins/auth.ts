import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Viewer } from '../domain/access/viewer.js';
import type { Db } from '../db/database.js';
import { KEEP_ENDED_SESSION_HOURS, lookUpSession } from '../services/auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in, or null. */
    viewer: Viewer | null;
    /** When the viewer's session will end if nothing more is asked of it (ISO UTC), or null. */
    sessionEndsAt: string | null;
    /**
     * The viewer's session had ended, and this request (a draft's save, posted with its form's
     * CSRF token) is being saved for them all the same: app.ts sends them to sign in afterwards.
     */
    keptAfterTimeout: boolean;
  }
}

export const SESSION_COOKIE = 'oversight_session';

/**
 * The header on every answer to a signed-in request that tells the page's scripts how many
 * seconds the session has left (the timeout warning counts down from it).
 */
export const SESSION_ENDS_IN_HEADER = 'x-session-ends-in';

/** Seconds from now until `endsAt`, never negative. */
export function secondsUntil(endsAt: string, now: Date): number {
  return Math.max(0, Math.floor((Date.parse(endsAt) - now.getTime()) / 1000));
}

export function sessionCookieOptions(secure: boolean, hours: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    // The browser keeps the cookie as long as the server keeps an ended session, so that a draft
    // posted just after the session's absolute end still reaches its owner's session.
    maxAge: (hours + KEEP_ENDED_SESSION_HOURS) * 3600,
  };
}

/**
 * Reads the session cookie on every request and sets request.viewer, and for pages the seconds
 * the session has left (reply.locals.sessionEndsIn, which the layout puts on the body for the
 * timeout warning).
 */
export const authPlugin = fp(
  (
    app: FastifyInstance,
    options: { db: Db; clock: Clock; secure: boolean; idleMinutes: number },
    done: () => void,
  ) => {
    app.decorateRequest('viewer', null);
    app.decorateRequest('sessionEndsAt', null);
    app.decorateRequest('keptAfterTimeout', false);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // Assets and the health check need no session (and should not touch the database).
      if (request.url.startsWith('/assets/') || request.url === '/health') return;
      const token = request.cookies[SESSION_COOKIE];
      if (token === undefined || token === '') return;
      const found = await lookUpSession(options.db, options.clock, token, options.idleMinutes);
      // An ended session's cookie stays while the session is kept: a draft posted from another
      // tab is still saved (app.ts). A session that is gone takes its cookie with it.
      if (found.state === 'gone') reply.clearCookie(SESSION_COOKIE, { path: '/' });
      if (found.state !== 'live') return;
      request.viewer = found.viewer;
      request.sessionEndsAt = found.endsAt;
      reply.locals.viewer = found.viewer;
      reply.locals.sessionEndsIn = secondsUntil(found.endsAt, options.clock.now());
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.viewer === null || request.keptAfterTimeout || request.sessionEndsAt === null)
        return payload;
      const left = secondsUntil(request.sessionEndsAt, options.clock.now());
      reply.header(SESSION_ENDS_IN_HEADER, String(left));
      return payload;
    });
    done();
  },
  { name: 'auth', dependencies: ['views'] },
);
