/** The audit routes; test/audit.test.ts checks them against every role. */
export const covered: string[] = ['GET /audit', 'GET /audit.csv'];
