/** The contracts, handovers and worker supervision routes; test/contracts.test.ts checks them against every role. */
export const covered: string[] = [
  'GET /workers/:id/contract/new',
  'POST /workers/:id/contract/new',
  'GET /contracts/:id',
  'POST /contracts/:id/sign',
  'GET /workers/:id/supervision',
  'GET /handovers/:id',
  'POST /handovers/:id/notes',
  'POST /handovers/:id/acknowledge',
];
