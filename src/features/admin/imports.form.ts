import { z } from 'zod';
import {
  MAPPING_FIELDS,
  MAPPING_TARGETS,
  VOCABULARY,
  type ColumnMapping,
  type MappedField,
  type MappingTarget,
} from '../../domain/imports/column-mapping.js';
import { DATA_IMPORT_KINDS, type DataImportKind } from '../../services/data-import.service.js';
import {
  bodyOf,
  Problems,
  readDate,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

/** The forms of the import pages: the upload, and a column mapping. */

export interface UploadForm {
  kind: DataImportKind;
  mappingId: string | null;
  asOf: string | null;
}

/** The upload form's fields (the files come separately, see imports.uploads.ts). */
export function parseUploadForm(raw: unknown): FormResult<UploadForm> {
  const body = bodyOf(raw);
  const input: FormInput = {
    kind: text(body, 'kind'),
    mappingId: text(body, 'mappingId'),
    'asOf-day': text(body, 'asOf-day'),
    'asOf-month': text(body, 'asOf-month'),
    'asOf-year': text(body, 'asOf-year'),
  };
  const problems = new Problems();
  const kind = (DATA_IMPORT_KINDS as readonly string[]).includes(input.kind ?? '')
    ? (input.kind as DataImportKind)
    : null;
  if (kind === null) problems.add('kind', 'Choose the kind of file to import');
  if (kind === 'mapped-csv' && input.mappingId === '')
    problems.add('mappingId', 'Choose the column mapping to read the file with');
  const asOf =
    kind === 'annex-a'
      ? readDate(input, 'asOf', 'The date the workbook was produced', problems, {
          required: false,
        })
      : null;
  return problems.result(input, () => ({
    kind: kind ?? 'ssda903',
    mappingId: kind === 'mapped-csv' ? (input.mappingId ?? null) : null,
    asOf: asOf ?? null,
  }));
}

export interface SampleForm {
  name: string;
  target: MappingTarget;
}

/** The first step of a new mapping: the source's name and the kind of record its file gives. */
export function parseSampleForm(raw: unknown): FormResult<SampleForm> {
  const body = bodyOf(raw);
  const input: FormInput = { name: text(body, 'name'), target: text(body, 'target') };
  const problems = new Problems();
  const name = input.name ?? '';
  if (name === '')
    problems.add('name', 'Enter the name of the source, such as the system and extract');
  else if (name.length > 100) problems.add('name', 'The name must be 100 characters or fewer');
  const target = (MAPPING_TARGETS as readonly string[]).includes(input.target ?? '')
    ? (input.target as MappingTarget)
    : null;
  if (target === null) problems.add('target', 'Choose the kind of record the file gives');
  return problems.result(input, () => ({ name, target: target ?? 'involvements' }));
}

export interface MappingForm {
  name: string;
  headings: string[];
  mapping: ColumnMapping;
}

const headingsSchema = z.array(z.string().max(500)).max(500);

/** Reads "their word = Oversight's word" lines. */
function valuesOf(
  textarea: string,
  words: readonly string[],
  problems: Problems,
): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = textarea.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const at = line.lastIndexOf('=');
    const from = at < 0 ? '' : line.slice(0, at).trim();
    const to = at < 0 ? '' : line.slice(at + 1).trim();
    if (from === '' || to === '') {
      problems.add(
        'values',
        `Line ${String(i + 1)} of the values: write the file's word, an equals sign and Oversight's word, such as "Section 17 = cin"`,
      );
      return;
    }
    if (!words.includes(to)) {
      problems.add(
        'values',
        `Line ${String(i + 1)} of the values: "${to}" is not one of ${words.join(', ')}`,
      );
      return;
    }
    values[from] = to;
  });
  return values;
}

/** The mapping itself: a column for each field, and for types, the words and what it replaces. */
export function parseMappingForm(raw: unknown): FormResult<MappingForm> {
  const body = bodyOf(raw);
  const problems = new Problems();
  const input: FormInput = {
    name: text(body, 'name'),
    target: text(body, 'target'),
    headings: text(body, 'headings'),
    fixedType: text(body, 'fixedType'),
    values: typeof body.values === 'string' ? body.values : '',
  };
  const name = input.name ?? '';
  if (name === '')
    problems.add('name', 'Enter the name of the source, such as the system and extract');
  else if (name.length > 100) problems.add('name', 'The name must be 100 characters or fewer');
  const target = (MAPPING_TARGETS as readonly string[]).includes(input.target ?? '')
    ? (input.target as MappingTarget)
    : 'involvements';
  let headings: string[] = [];
  try {
    headings = headingsSchema.parse(JSON.parse(input.headings ?? '[]'));
  } catch {
    problems.add('name', 'The sample file’s headings were lost: upload the sample again');
  }
  const columns: Partial<Record<MappedField, string>> = {};
  for (const spec of MAPPING_FIELDS[target]) {
    const key = `column-${spec.field}`;
    const chosen = text(body, key);
    input[key] = chosen;
    if (chosen === '') continue;
    if (!headings.includes(chosen))
      problems.add(key, `Choose a column of the sample file for ${spec.label.toLowerCase()}`);
    else columns[spec.field] = chosen;
  }
  const mapping: ColumnMapping = { target, columns };
  if (target !== 'allocations') {
    const words = VOCABULARY[target];
    const fixedType = input.fixedType ?? '';
    if (fixedType !== '') {
      if (words.includes(fixedType)) mapping.fixedType = fixedType;
      else problems.add('fixedType', 'Choose the type of every row from the list');
    }
    if (columns.type === undefined && mapping.fixedType === undefined)
      problems.add(
        'column-type',
        'Choose the column that holds the type, or the one type every row has',
      );
    const values = valuesOf(input.values ?? '', words, problems);
    if (Object.keys(values).length > 0) mapping.values = values;
    const replaces = body.replaces;
    const replaced = (Array.isArray(replaces) ? replaces : replaces === undefined ? [] : [replaces])
      .filter((r): r is string => typeof r === 'string')
      .filter((r) => words.includes(r));
    for (const r of words) input[`replaces-${r}`] = replaced.includes(r) ? 'yes' : '';
    if (replaced.length > 0) mapping.replaces = replaced;
  } else {
    const { workerId, workerEmail, workerName, teamId, teamName } = columns;
    if ([workerId, workerEmail, workerName, teamId, teamName].every((c) => c === undefined))
      problems.add(
        'column-workerId',
        'Choose a column for the worker (id, email or name) or the team (id or name)',
      );
  }
  for (const spec of MAPPING_FIELDS[target])
    if (spec.required && spec.field !== 'type' && columns[spec.field] === undefined)
      problems.add(
        `column-${spec.field}`,
        `Choose the column that holds the ${spec.label.toLowerCase()}`,
      );
  return problems.result(input, () => ({ name, headings, mapping }));
}
