/** The oversight notes and decision records routes; test/notes.test.ts checks them against every role. */
export const covered: string[] = [
  'GET /children/:id/oversight-notes/new',
  'POST /children/:id/oversight-notes/new',
  'GET /supervision/:id/cases/:discussionId/decision-record',
  'GET /supervision/:id/cases/:discussionId/decision-record.pdf',
  'GET /children/:id/decision-records.pdf',
  'POST /supervision/:id/cases/:discussionId/copied',
];
