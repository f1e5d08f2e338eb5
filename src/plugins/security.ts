import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Answered 400 by the error handler: the request could not be understood. */
class UnreadableRequest extends Error {
  readonly statusCode = 400;
  constructor() {
    super('The request holds a NUL character');
    this.name = 'UnreadableRequest';
  }
}

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((item) => holdsNul(item, depth + 1));
}

/**
 * Security headers: a strict Content Security Policy with a nonce for each script (no inline
 * script without one), no framing, no referrer beyond the origin, and HSTS when served over TLS.
 * Every answer but a static asset is `no-store`: pages carry personal data and form tokens, and
 * must not be kept by the browser or a shared proxy (the back button after signing out shows
 * nothing). docs/security.md lists each header with the test that proves it.
 */
export async function registerSecurity(app: FastifyInstance, options: { https: boolean }) {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.https
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    referrerPolicy: { policy: 'same-origin' },
    // The same as frame-ancestors 'none', for browsers that predate it.
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });

  // A NUL character is in no one's typing and no id; PostgreSQL cannot store it in text, and
  // would fail the request late. Refused at the door instead, in the URL or in a form's values.
  app.addHook('onRequest', (request, _reply, done) => {
    done(/%00/i.test(request.url) ? new UnreadableRequest() : undefined);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    done(holdsNul(request.body) ? new UnreadableRequest() : undefined);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // Assets are the same for everyone and cached by their own rules; nothing else is stored.
    if (!request.url.startsWith('/assets/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
}
