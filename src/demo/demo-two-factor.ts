import { base32Encode, DEMO_SECRET_PREFIX, totp } from '../domain/access/totp.js';

/**
 * The demo administrator's two-factor secret: MADE-UP DEMO DATA, published on purpose (here and
 * in docs/accounts.md) so that anyone trying the demo can sign in as the administrator. It is
 * stored unsealed with a `demo.` mark, which only a demo accepts (src/domain/access/totp.ts);
 * production has no demo.
 */
export const DEMO_ADMIN_SECRET = Buffer.from('oversight-demo-admin', 'utf8');

/** As an authenticator app takes it: N53GK4TTNFTWQ5BNMRSW23ZNMFSG22LO. */
export const DEMO_ADMIN_SECRET_BASE32 = base32Encode(DEMO_ADMIN_SECRET);

/** The value stored in accounts.two_factor_secret for the demo administrator. */
export const DEMO_ADMIN_STORED_SECRET = DEMO_SECRET_PREFIX + DEMO_ADMIN_SECRET_BASE32;

/** The demo administrator's code at an instant, for the demo's sign-in page. */
export function demoAdminCode(at: Date): string {
  return totp(DEMO_ADMIN_SECRET, at);
}
