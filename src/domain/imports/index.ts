/** Importers of councils' files: the public face of this folder (docs/imports.md). */
export * from './types.js';
export type { NamedSource, TextSource } from './text-source.js';
export { parseSsda903Csv, identifySsda903Table, SSDA903_TABLES } from './ssda903-csv.js';
export { parseSsda903Xml } from './ssda903-xml.js';
export {
  PLACE_CODES,
  PLACE_CODE_LIST,
  LEGAL_STATUS_CODES,
  placeMapping,
  legalStatusMapping,
} from './ssda903-codes.js';
export { parseCinCensusXml } from './cin-census.js';
export {
  parseAnnexA,
  parseAnnexASheets,
  annexACode,
  type AnnexAOptions,
  type AnnexASheet,
} from './annex-a.js';
export { ANNEX_A_LISTS } from './annex-a-lists.js';
export { parseStaffList, STAFF_HEADINGS } from './staff-list.js';
export { roleOfJobTitle, ROLE_RULES } from './staff-roles.js';
export {
  applyMapping,
  validateMapping,
  MAPPING_FIELDS,
  MAPPING_TARGETS,
  type ColumnMapping,
  type MappedField,
  type MappingTarget,
} from './column-mapping.js';
export { mergeBatch, type MergeKindSummary, type MergeResult, type MergeSummary } from './merge.js';
export { normaliseHeading } from './headings.js';
