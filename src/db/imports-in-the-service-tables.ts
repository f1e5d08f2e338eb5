/** The tables of migration 20261124T0014-imports-in-the-service. */
export interface ImportsInTheServiceTables {
  column_mappings: ColumnMappingsTable;
  import_jobs: ImportJobsTable;
}

export interface ColumnMappingsTable {
  id: string;
  name: string;
  name_key: string;
  /** JSON: a ColumnMapping. */
  mapping: string;
  /** JSON: the sample file's headings. */
  headings: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

export type ImportJobState =
  | 'uploaded'
  | 'reading'
  | 'writing'
  | 'applied'
  | 'refused'
  | 'failed'
  | 'stopped'
  | 'cancelled'
  | 'expired';

export interface ImportJobsTable {
  id: string;
  kind: string;
  mapping_id: string | null;
  mapping_name: string | null;
  as_of: string | null;
  /** JSON: [{ name, sha256, bytes }]. */
  files: string;
  state: ImportJobState;
  done: number;
  total: number;
  preview: string | null;
  result: string | null;
  history_id: string | null;
  runner: string | null;
  heartbeat_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}
