/** The tables of migration 20261124T0014-imports-in-the-service. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ImportsInTheServiceTables {}
