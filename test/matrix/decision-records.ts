/**
 * Decision records across children (a range of dates, one PDF); test/decision-records-range.test.ts
 * checks them against every role.
 */
export const covered: string[] = ['GET /decision-records', 'GET /decision-records.pdf'];
