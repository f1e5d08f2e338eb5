/**
 * The API's routes and its administration pages; test/api.test.ts checks them against every
 * role (the API with and without tokens: a session cookie never opens it).
 */
export const covered: string[] = [
  'GET /api/v1/openapi.json',
  'GET /api/v1/children/:id/due',
  'GET /api/v1/workers/:id/due',
  'GET /api/v1/teams/:id/due',
  'POST /api/v1/children/:id/events',
  'POST /api/v1/workers/:id/events',
  'GET /admin/integrations',
  'GET /admin/integrations/new',
  'POST /admin/integrations',
  'GET /admin/integrations/:id',
  'GET /admin/integrations/:id/revoke',
  'POST /admin/integrations/:id/revoke',
];
