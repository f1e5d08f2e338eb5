/** The tables of migration 20261124T0013-data-protection. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DataProtectionTables {}
