/** The data-protection routes; test/data-protection.test.ts checks them against every role. */
export const covered: string[] = [
  'GET /supervision/:id/break-glass',
  'POST /supervision/:id/break-glass',
  'GET /supervision/:id/break-glass/personal',
  'POST /supervision/notices/:grantId/dismiss',
  'GET /admin/break-glass',
  'GET /admin/retention',
  'POST /admin/retention',
  'GET /admin/retention/holds/new',
  'POST /admin/retention/holds',
  'GET /admin/retention/holds/:holdId/lift',
  'POST /admin/retention/holds/:holdId/lift',
  'GET /admin/people/:id/subject-access',
];
