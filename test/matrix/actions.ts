/** The actions routes; test/actions.test.ts checks them against every role. */
export const covered: string[] = [
  'GET /actions',
  'POST /actions/:id/done',
  'POST /actions/:id/reopen',
  'GET /actions/overdue',
];
