import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * A real OpenID Connect issuer for the tests (oidc-provider, the certified implementation),
 * started on a free port of 127.0.0.1 by the tests themselves. Its login page asks only for an
 * email address: the directory below says which subject and claims that email signs in as.
 * Consent is granted at once, as a council's identity provider does for its own applications.
 *
 * `logIn` drives the login over HTTP (fetch, with the issuer's cookies) and returns the address
 * the issuer sends the browser back to, for the app under test to answer; a browser test fills
 * the same page in Chromium.
 */

export const TEST_CLIENT_ID = 'oversight';
export const TEST_CLIENT_SECRET = 'test-client-secret-not-used-anywhere-else';
/** Registered as a public client (no secret: PKCE alone). */
export const TEST_PUBLIC_CLIENT_ID = 'oversight-public';

export interface DirectoryEntry {
  /** What the issuer's `sub` claim says. */
  subject: string;
  /** The claims besides `sub` (email, email_verified, name, preferred_username, upn…). */
  claims: Record<string, unknown>;
  /** How the person proved who they are (RFC 8176), e.g. ['pwd', 'mfa']. */
  amr?: string[];
}

export interface TokenRequest {
  clientId: string;
  /** The PKCE verifier the client sent, or null. */
  codeVerifier: string | null;
  ok: boolean;
  /** The issuer's error code when it refused (invalid_grant, say). */
  error: string | null;
}

export interface TestIssuer {
  /** The issuer identifier, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Every person the login page knows, by email (lower case). */
  readonly directory: Map<string, DirectoryEntry>;
  /** Every code exchange at the token endpoint, in order. */
  readonly tokenRequests: TokenRequest[];
  /** Adds or replaces a person: `email` signs in as `subject` with these claims. */
  setPerson(email: string, entry: Partial<DirectoryEntry> & { subject: string }): void;
  /**
   * Follows an authorisation request through the login page as `email` (or cancels it, with
   * `email` null) and returns the redirect URI with the issuer's answer.
   */
  logIn(authorizationUrl: string, email: string | null): Promise<string>;
  close(): Promise<void>;
}

/** The little of oidc-provider's interface used here (it ships no type declarations). */
interface ProviderLike {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  on(event: string, listener: (ctx: ProviderContext, error?: { error?: string }) => void): void;
  Grant: new (init: { clientId: string; accountId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
}

interface ProviderContext {
  oidc: {
    params?: Record<string, unknown>;
    client?: { clientId: string };
    result?: { consent?: { grantId?: string } };
    session?: { accountId: string; grantIdFor(clientId: string): string | undefined };
    provider: ProviderLike & { Grant: { find(id: string): Promise<unknown> } };
  };
}

type ProviderConstructor = new (issuer: string, configuration: object) => ProviderLike;

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid: string, problem: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test council sign-in</title></head>
<body><main>
<h1>Test council sign-in</h1>
${problem === null ? '' : `<p role="alert">${escapeHtml(problem)}</p>`}
<form method="post" action="/interaction/${uid}">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username">
  <button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${uid}/abort">
  <button type="submit">Cancel</button>
</form>
</main></body></html>`;
}

export async function startTestIssuer(options: {
  /** The app's callback addresses (for both clients). */
  redirectUris: string[];
  people?: Record<string, Partial<DirectoryEntry> & { subject: string }>;
}): Promise<TestIssuer> {
  // No declaration file: imported by a name TypeScript does not resolve, and typed above.
  const moduleName: string = 'oidc-provider';
  const { default: Provider } = (await import(moduleName)) as { default: ProviderConstructor };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

  const directory = new Map<string, DirectoryEntry>();
  const setPerson = (email: string, entry: Partial<DirectoryEntry> & { subject: string }) => {
    directory.set(email.toLowerCase(), {
      subject: entry.subject,
      claims: entry.claims ?? { email, email_verified: true, name: email.split('@')[0] },
      ...(entry.amr === undefined ? {} : { amr: entry.amr }),
    });
  };
  for (const [email, entry] of Object.entries(options.people ?? {})) setPerson(email, entry);
  const bySubject = (subject: string) =>
    [...directory.values()].find((entry) => entry.subject === subject);

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-issuer', use: 'sig', alg: 'RS256' };

  const provider = new Provider(url, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: options.redirectUris,
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: TEST_PUBLIC_CLIENT_ID,
        redirect_uris: options.redirectUris,
        token_endpoint_auth_method: 'none',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-issuer-cookie-key'] },
    // Short lives, as a real issuer's (and said, so oidc-provider does not warn of its defaults).
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    // PKCE for every client, S256 only.
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username', 'upn'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    // A council's own application: consent is given at once, as Entra ID does with admin consent.
    loadExistingGrant: async (ctx: ProviderContext) => {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId ?? '';
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      if (grantId !== undefined) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session?.accountId ?? '' });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    findAccount: (_ctx: unknown, subject: string) => {
      const entry = bySubject(subject);
      if (entry === undefined) return undefined;
      return { accountId: subject, claims: () => ({ ...entry.claims, sub: subject }) };
    },
    // Keeps the issuer's own error pages short and free of stack traces.
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><p>${escapeHtml(out.error ?? 'error')}</p>`;
    },
  });

  const tokenRequests: TokenRequest[] = [];
  const recordToken = (ctx: ProviderContext, error?: { error?: string }) => {
    const params = ctx.oidc.params ?? {};
    if (params.grant_type !== 'authorization_code') return;
    tokenRequests.push({
      clientId: ctx.oidc.client?.clientId ?? '',
      codeVerifier: typeof params.code_verifier === 'string' ? params.code_verifier : null,
      ok: error === undefined,
      error: error?.error ?? null,
    });
  };
  provider.on('grant.success', (ctx) => {
    recordToken(ctx);
  });
  provider.on('grant.error', (ctx, error) => {
    recordToken(ctx, error ?? { error: 'unknown' });
  });

  const oidcCallback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', url).pathname;
    const match = /^\/interaction\/([^/]+)(\/abort)?$/.exec(path);
    if (match === null) {
      oidcCallback(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.uid !== match[1]) throw new Error('not this interaction');
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(details.uid, null));
          return;
        }
        if (match[2] === '/abort') {
          await provider.interactionFinished(
            req,
            res,
            { error: 'access_denied', error_description: 'The person cancelled' },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        const form = await readForm(req);
        const entry = directory.get((form.get('email') ?? '').trim().toLowerCase());
        if (entry === undefined) {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(details.uid, 'No council account has that email address'));
          return;
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: entry.subject, ...(entry.amr ? { amr: entry.amr } : {}) } },
          { mergeWithLastSubmission: false },
        );
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('This sign-in has expired');
      }
    })();
  });

  /** A tiny cookie jar for one login: the issuer's session and interaction cookies. */
  const logIn = async (authorizationUrl: string, email: string | null): Promise<string> => {
    const jar = new Map<string, string>();
    const keep = (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair?.indexOf('=') ?? -1;
        if (pair === undefined || at < 0) continue;
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
    };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let next = authorizationUrl;
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    for (let hop = 0; hop < 12; hop += 1) {
      // Off the issuer: the redirect back to the app, with the issuer's answer.
      if (!next.startsWith(`${url}/`)) return next;
      const response = await fetch(next, {
        method,
        redirect: 'manual',
        headers: {
          cookie: cookie(),
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      keep(response);
      const location = response.headers.get('location');
      if (location !== null) {
        next = new URL(location, next).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await response.text();
      const form = /<form method="post" action="(\/interaction\/[^"]+)">/.exec(html);
      if (response.status !== 200 || form?.[1] === undefined)
        throw new Error(
          `the test issuer answered ${String(response.status)}: ${html.slice(0, 200)}`,
        );
      next = `${url}${form[1]}${email === null ? '/abort' : ''}`;
      method = 'POST';
      body = email === null ? '' : new URLSearchParams({ email }).toString();
    }
    throw new Error('the test issuer redirected too many times');
  };

  return {
    url,
    directory,
    tokenRequests,
    setPerson,
    logIn,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
}
