import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Viewer } from '../domain/access/viewer.js';
import type { Db } from '../db/database.js';
import { viewerForToken } from '../services/auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in, or null. */
    viewer: Viewer | null;
  }
}

export const SESSION_COOKIE = 'oversight_session';

export function sessionCookieOptions(secure: boolean, hours: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    maxAge: hours * 3600,
  };
}

/** Reads the session cookie on every request and sets request.viewer. */
export const authPlugin = fp(
  (app: FastifyInstance, options: { db: Db; clock: Clock; secure: boolean }, done: () => void) => {
    app.decorateRequest('viewer', null);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // Assets and the health check need no session (and should not touch the database).
      if (request.url.startsWith('/assets/') || request.url === '/health') return;
      const token = request.cookies[SESSION_COOKIE];
      if (token === undefined || token === '') return;
      const viewer = await viewerForToken(options.db, options.clock, token);
      if (viewer === null) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      request.viewer = viewer;
      reply.locals.viewer = viewer;
    });
    done();
  },
  { name: 'auth', dependencies: ['views'] },
);
