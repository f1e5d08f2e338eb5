/** The tables of migration 20261124T0012-single-sign-on. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SingleSignOnTables {}
