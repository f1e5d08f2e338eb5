/** The list exports; test/exports.test.ts checks them against every role. */
export const covered: string[] = [
  'GET /teams/:id/due.csv',
  'GET /teams/:id/due.xlsx',
  'GET /services/:id/due.csv',
  'GET /services/:id/due.xlsx',
  'GET /directorate/due.csv',
  'GET /directorate/due.xlsx',
  'GET /workers/:id/caseload.csv',
  'GET /workers/:id/caseload.xlsx',
  'GET /actions.csv',
  'GET /actions.xlsx',
  'GET /actions/overdue.csv',
  'GET /actions/overdue.xlsx',
];
