/** The single-sign-on routes; test/single-sign-on.test.ts checks them against every role. */
export const covered: string[] = ['GET /sign-in/sso', 'GET /sign-in/sso/callback'];
