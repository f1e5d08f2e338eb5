import type { ImportProblem } from '../../domain/imports/index.js';
import {
  MAPPING_FIELDS,
  MAPPING_TARGETS,
  VOCABULARY,
  type MappingTarget,
} from '../../domain/imports/column-mapping.js';
import type { DataImportSummary, DueDateMoves } from '../../services/data-import.service.js';
import {
  JOB_KIND_LABELS,
  type JobView,
  type StoredProblems,
} from '../../services/import-jobs.service.js';
import { label, REQUIREMENT_LABELS } from '../oversight/labels.js';
import type { FormInput } from './form-fields.js';
import { instantText, type SelectItem } from './admin.presenter.js';

/** Tables, lists and words for the import pages. */

/** The problems shown on a page; the rest are counted (all are in the command's output). */
export const PROBLEMS_SHOWN = 100;

const KIND_WORDS: Record<string, string> = {
  ssda903: 'SSDA903 return',
  'cin-census': 'CIN census',
  'annex-a': 'Annex A workbook',
  'staff-list': 'Staff list',
  'mapped-csv': 'CSV with a column mapping',
  extract: 'Oversight extract',
};

export function kindText(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}

export function kindItems(
  selected: string | undefined,
): { value: string; text: string; checked: boolean }[] {
  return Object.entries(JOB_KIND_LABELS).map(([value, text]) => ({
    value,
    text,
    checked: value === selected,
  }));
}

export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface FileRow {
  name: string;
  size: string;
  shortSha: string;
  sha256: string;
}

export function fileRows(
  files: readonly { name: string; sha256: string; bytes: number }[],
): FileRow[] {
  return files.map((f) => ({
    name: f.name,
    size: bytesText(f.bytes),
    shortSha: f.sha256.slice(0, 12),
    sha256: f.sha256,
  }));
}

export interface ProblemsView {
  rows: {
    severity: string;
    isError: boolean;
    file: string;
    row: string;
    column: string;
    message: string;
  }[];
  errors: number;
  warnings: number;
  /** How many are not shown. */
  more: number;
}

export function problemsView(problems: StoredProblems | null): ProblemsView | null {
  if (problems === null || problems.errors + problems.warnings === 0) return null;
  const rows = problems.list.slice(0, PROBLEMS_SHOWN).map((p: ImportProblem) => ({
    severity: p.severity === 'error' ? 'Error' : 'Warning',
    isError: p.severity === 'error',
    file: p.sheet === undefined ? p.file : `${p.file} (${p.sheet})`,
    row: p.row === undefined ? '' : String(p.row),
    column: p.column ?? '',
    message: p.message,
  }));
  return {
    rows,
    errors: problems.errors,
    warnings: problems.warnings,
    more: problems.errors + problems.warnings - rows.length,
  };
}

export interface SummaryView {
  rows: {
    subjects: string;
    added: number;
    changed: number;
    closed: number;
    unchanged: number;
    notInFile: number;
  }[];
  written: number;
  handovers: number;
  unmatchedWorkers: string[];
  unmatchedTeams: string[];
  conflicts: string[];
}

export function summaryView(summary: DataImportSummary | null): SummaryView | null {
  if (summary === null) return null;
  const row = (subjects: string, k: DataImportSummary['children']) => ({ subjects, ...k });
  return {
    rows: [
      row('Children', summary.children),
      row('Workers', summary.workers),
      row('Teams', summary.teams),
    ],
    written: summary.written.children + summary.written.workers + summary.written.teams,
    handovers: summary.handovers,
    unmatchedWorkers: summary.unmatched.workers,
    unmatchedTeams: summary.unmatched.teams,
    conflicts: summary.conflicts,
  };
}

const SUBJECT_WORDS: Record<string, string> = {
  child: 'Child',
  worker: 'Worker',
  team: 'Team',
  fosterCarer: 'Foster carer',
};

export function dueDatesView(due: DueDateMoves | null) {
  if (due === null) return null;
  return {
    subjects: due.subjects,
    moved: due.moved,
    added: due.added,
    removed: due.removed,
    sample: due.sample.map((m) => ({
      subject: `${SUBJECT_WORDS[m.subjectKind] ?? m.subjectKind} ${m.subjectId}`,
      requirement: label(REQUIREMENT_LABELS, m.requirement),
      before: m.before,
      after: m.after,
    })),
  };
}

export const STATE_TEXT: Record<JobView['state'], string> = {
  uploaded: 'Waiting to be applied',
  reading: 'Reading the files',
  writing: 'Writing to the database',
  applied: 'Applied',
  refused: 'Refused: nothing was written',
  failed: 'Stopped by an error: nothing was written',
  stopped: 'Stopped: nothing was written',
  cancelled: 'Cancelled: nothing was written',
  expired: 'Expired: nothing was written',
};

/** "Read 3.2 MB of 7.6 MB of the files (42%)". */
export function progressText(job: JobView): { text: string; percent: number } {
  const percent = job.total === 0 ? 0 : Math.min(100, Math.floor((job.done / job.total) * 100));
  if (job.state === 'writing')
    return {
      text: 'The files have been read and checked. Writing the records and due dates to the database.',
      percent: 100,
    };
  return {
    text: `Read ${bytesText(job.done)} of ${bytesText(job.total)} of the files (${String(percent)}%).`,
    percent,
  };
}

export function jobHeading(job: JobView): { kind: string; when: string; mapping: string | null } {
  return {
    kind: kindText(job.kind),
    when: instantText(job.createdAt),
    mapping: job.mappingName,
  };
}

// ---------------------------------------------------------------------------------------------
// Column mappings

export const TARGET_LABELS: Record<MappingTarget, string> = {
  involvements:
    'Involvements (early help, assessments, child in need, child protection, looked after, care leavers)',
  placements: 'Placements',
  legal: 'Legal periods (pre-proceedings, care proceedings)',
  allocations: 'Allocations (the child’s worker or team)',
};

export function targetItems(selected: string | undefined) {
  return MAPPING_TARGETS.map((t) => ({
    value: t,
    text: TARGET_LABELS[t],
    checked: t === selected,
  }));
}

export interface MappingFieldView {
  field: string;
  id: string;
  label: string;
  required: boolean;
  items: SelectItem[];
}

export function mappingFields(
  target: MappingTarget,
  headings: readonly string[],
  values: FormInput,
): MappingFieldView[] {
  return MAPPING_FIELDS[target].map((spec) => {
    const id = `column-${spec.field}`;
    const chosen = values[id] ?? '';
    return {
      field: spec.field,
      id,
      label: spec.label,
      required: spec.required,
      items: [
        {
          value: '',
          text: spec.required ? 'Choose a column' : 'Not in the file',
          selected: chosen === '',
        },
        ...headings.map((h) => ({ value: h, text: h, selected: h === chosen })),
      ],
    };
  });
}

export function typeWords(target: MappingTarget): readonly string[] {
  return target === 'allocations' ? [] : VOCABULARY[target];
}

export function fixedTypeItems(target: MappingTarget, chosen: string | undefined): SelectItem[] {
  return [
    { value: '', text: 'No: the file has a type column', selected: !chosen },
    ...typeWords(target).map((w) => ({ value: w, text: w, selected: w === chosen })),
  ];
}

export function replacesItems(target: MappingTarget, values: FormInput) {
  return typeWords(target).map((w) => ({
    value: w,
    text: w,
    checked: values[`replaces-${w}`] === 'yes',
  }));
}

/** A saved mapping's form values. */
export function mappingValues(mapping: {
  name: string;
  mapping: {
    columns: Partial<Record<string, string>>;
    values?: Record<string, string>;
    fixedType?: string;
    replaces?: string[];
  };
}): FormInput {
  const values: FormInput = {
    name: mapping.name,
    fixedType: mapping.mapping.fixedType ?? '',
    values: Object.entries(mapping.mapping.values ?? {})
      .map(([from, to]) => `${from} = ${to}`)
      .join('\n'),
  };
  for (const [field, heading] of Object.entries(mapping.mapping.columns))
    values[`column-${field}`] = heading ?? '';
  for (const r of mapping.mapping.replaces ?? []) values[`replaces-${r}`] = 'yes';
  return values;
}
