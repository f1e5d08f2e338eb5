import {
  INVOLVEMENT_TYPES,
  LEGAL_TYPES,
  PLACEMENT_TYPES,
  type InvolvementType,
  type LegalType,
  type PlacementType,
} from '../scheduling/vocabulary.js';
import { csvRecords, isBlankRecord } from './csv.js';
import { BAD_DATE, describeBadDate, isoOf, NO_DATE, readDate } from './dates.js';
import { normaliseHeading, normaliseName } from './headings.js';
import { Problems, quote } from './problems.js';
import { legalStatusMapping, placeMapping } from './ssda903-codes.js';
import type { NamedSource } from './text-source.js';
import {
  emptyBatch,
  type ImportedAllocation,
  type ImportedChild,
  type ImportedInvolvement,
  type ImportedLegal,
  type ImportedPlacement,
  type ImportResult,
  type PersonRef,
} from './types.js';

/**
 * Any CSV, with a mapping an administrator chose and saved: which column holds each of the
 * fields Oversight needs. One file gives one kind of record (`target`): involvements,
 * placements, legal periods or allocations, one row each, for children matched by id.
 */

export const MAPPING_TARGETS = ['involvements', 'placements', 'legal', 'allocations'] as const;
export type MappingTarget = (typeof MAPPING_TARGETS)[number];

export type MappedField =
  | 'childId'
  | 'dateOfBirth'
  | 'type'
  | 'start'
  | 'end'
  | 'stableFrom'
  | 'workerId'
  | 'workerEmail'
  | 'workerName'
  | 'teamId'
  | 'teamName';

export interface ColumnMapping {
  target: MappingTarget;
  /** Target field → the heading of the source column that holds it. */
  columns: Partial<Record<MappedField, string>>;
  /**
   * Values of the type column → Oversight's words (e.g. `"Child Protection Plan": "cp"`),
   * compared ignoring case and punctuation; tried before the built-in synonyms.
   */
  values?: Record<string, string>;
  /** The type of every row, for a file without a type column (a list of CP plans). */
  fixedType?: string;
  /**
   * Types this file is the whole record of for its children, beyond those in it: a child's
   * records of these types not in the file are removed (say, `["cp"]` for a list of CP plans in
   * which some children now have none). Defaults to the types that occur in the file.
   */
  replaces?: string[];
}

export interface MappingFieldSpec {
  field: MappedField;
  label: string;
  required: boolean;
}

/** The fields each target has, for the screen on which an administrator builds a mapping. */
export const MAPPING_FIELDS: Readonly<Record<MappingTarget, readonly MappingFieldSpec[]>> = {
  involvements: [
    { field: 'childId', label: 'Child id', required: true },
    { field: 'type', label: 'Involvement type', required: true },
    { field: 'start', label: 'Start date', required: true },
    { field: 'end', label: 'End date', required: false },
    { field: 'dateOfBirth', label: 'Date of birth', required: false },
  ],
  placements: [
    { field: 'childId', label: 'Child id', required: true },
    { field: 'type', label: 'Placement type', required: true },
    { field: 'start', label: 'Start date', required: true },
    { field: 'end', label: 'End date', required: false },
    { field: 'stableFrom', label: 'Stable from', required: false },
    { field: 'dateOfBirth', label: 'Date of birth', required: false },
  ],
  legal: [
    { field: 'childId', label: 'Child id', required: true },
    { field: 'type', label: 'Legal type', required: true },
    { field: 'start', label: 'Start date', required: true },
    { field: 'end', label: 'End date', required: false },
    { field: 'dateOfBirth', label: 'Date of birth', required: false },
  ],
  allocations: [
    { field: 'childId', label: 'Child id', required: true },
    { field: 'start', label: 'Start date', required: true },
    { field: 'end', label: 'End date', required: false },
    { field: 'workerId', label: 'Worker id', required: false },
    { field: 'workerEmail', label: 'Worker email', required: false },
    { field: 'workerName', label: 'Worker name', required: false },
    { field: 'teamId', label: 'Team id', required: false },
    { field: 'teamName', label: 'Team name', required: false },
    { field: 'dateOfBirth', label: 'Date of birth', required: false },
  ],
};

/** Built-in names for each type, beyond Oversight's own words (normalised like headings). */
const SYNONYMS: Readonly<Record<'involvements' | 'placements' | 'legal', Record<string, string>>> =
  {
    involvements: {
      eh: 'early-help',
      'early help': 'early-help',
      'early help assessment': 'early-help',
      'family help': 'early-help',
      assessment: 'assessment',
      'single assessment': 'assessment',
      'child and family assessment': 'assessment',
      'c and f assessment': 'assessment',
      's17 assessment': 'assessment',
      's47 assessment': 'assessment',
      cin: 'cin',
      'child in need': 'cin',
      'children in need': 'cin',
      'child in need plan': 'cin',
      'cin plan': 'cin',
      cp: 'cp',
      cpp: 'cp',
      'child protection': 'cp',
      'child protection plan': 'cp',
      'cp plan': 'cp',
      cla: 'cla',
      lac: 'cla',
      'looked after': 'cla',
      'looked after child': 'cla',
      'child looked after': 'cla',
      'children looked after': 'cla',
      'in care': 'cla',
      'child in care': 'cla',
      'children in care': 'cla',
      'care leaver': 'care-leaver',
      'care leavers': 'care-leaver',
      'leaving care': 'care-leaver',
      cwd: 'cwd-review',
      'cwd review': 'cwd-review',
      'short breaks': 'cwd-review',
      'disabled children': 'cwd-review',
      'children with disabilities': 'cwd-review',
    },
    placements: {
      fostering: 'foster',
      'foster care': 'foster',
      'foster placement': 'foster',
      'kinship foster care': 'foster',
      'connected person': 'foster',
      'childrens home': 'residential',
      'residential care': 'residential',
      'residential school': 'residential',
      'secure childrens home': 'residential',
      'placed with parents': 'with-parents',
      'home with parents': 'with-parents',
      'with parents': 'with-parents',
      'placed for adoption': 'adoption',
      adoption: 'adoption',
    },
    legal: {
      plo: 'pre-proceedings',
      'public law outline': 'pre-proceedings',
      'pre proceedings': 'pre-proceedings',
      'care proceedings': 'care-proceedings',
      proceedings: 'care-proceedings',
      ico: 'care-proceedings',
      'interim care order': 'care-proceedings',
    },
  };

/** Oversight's words for each target's type (what `values`, `fixedType` and `replaces` hold). */
export const VOCABULARY: Readonly<
  Record<'involvements' | 'placements' | 'legal', readonly string[]>
> = {
  involvements: INVOLVEMENT_TYPES,
  placements: PLACEMENT_TYPES,
  legal: LEGAL_TYPES,
};

/** What is wrong with a mapping itself, before any file is read (empty: nothing). */
export function validateMapping(mapping: ColumnMapping): string[] {
  const errors: string[] = [];
  // A saved mapping comes back from storage: check even what the types promise.
  const target: unknown = mapping.target;
  if (typeof target !== 'string' || !(MAPPING_TARGETS as readonly string[]).includes(target)) {
    errors.push(
      typeof target === 'string'
        ? `${quote(target)} is not a kind of record a file can give: use one of ${MAPPING_TARGETS.join(', ')}.`
        : `Choose the kind of record the file gives: one of ${MAPPING_TARGETS.join(', ')}.`,
    );
    return errors;
  }
  const specs = MAPPING_FIELDS[mapping.target];
  const allowed = new Set(specs.map((s) => s.field));
  for (const [field, heading] of Object.entries(mapping.columns)) {
    if (!allowed.has(field as MappedField))
      errors.push(`${quote(field)} is not a field of ${mapping.target}.`);
    else if (typeof heading !== 'string' || heading.trim() === '')
      errors.push(`The column for ${quote(field)} is blank.`);
  }
  for (const spec of specs) {
    if (!spec.required || mapping.columns[spec.field] !== undefined) continue;
    if (spec.field === 'type' && mapping.fixedType !== undefined) continue;
    errors.push(`Choose the column that holds the ${spec.label.toLowerCase()}.`);
  }
  if (mapping.target === 'allocations') {
    const { workerId, workerEmail, workerName, teamId, teamName } = mapping.columns;
    if ([workerId, workerEmail, workerName, teamId, teamName].every((c) => c === undefined))
      errors.push('Choose a column for the worker (id, email or name) or the team (id or name).');
  } else {
    const words = VOCABULARY[mapping.target];
    const check = (value: string, where: string) => {
      if (!words.includes(value))
        errors.push(`${where}: ${quote(value)} is not one of ${words.join(', ')}.`);
    };
    if (mapping.fixedType !== undefined) check(mapping.fixedType, 'The fixed type');
    for (const [from, to] of Object.entries(mapping.values ?? {}))
      check(to, `The value ${quote(from)}`);
    for (const type of mapping.replaces ?? []) check(type, 'A replaced type');
  }
  return errors;
}

type TypeResult = { ok: true; type: string } | { ok: false; skip?: string; fallback?: string };

function resolveType(
  target: 'involvements' | 'placements' | 'legal',
  raw: string,
  values: Map<string, string>,
): TypeResult {
  const key = normaliseName(raw);
  const mapped = values.get(key);
  if (mapped !== undefined) return { ok: true, type: mapped };
  const words = VOCABULARY[target];
  const own = words.find((w) => normaliseName(w) === key);
  if (own !== undefined) return { ok: true, type: own };
  const synonym = SYNONYMS[target][key];
  if (synonym !== undefined && Object.hasOwn(SYNONYMS[target], key))
    return { ok: true, type: synonym };
  const code = raw.trim().toUpperCase();
  if (target === 'placements') {
    const place = placeMapping(code);
    if (place !== undefined) return { ok: true, type: place.type };
    return { ok: false, fallback: 'other' };
  }
  if (target === 'legal') {
    const status = legalStatusMapping(code);
    if (status !== undefined)
      return status.type !== null
        ? { ok: true, type: status.type }
        : { ok: false, skip: `legal status ${quote(code)} is not a legal period Oversight tracks` };
  }
  return { ok: false };
}

/** Applies a column mapping to a CSV file: the file's rows as records of the mapping's target. */
export async function applyMapping(
  file: NamedSource,
  mapping: ColumnMapping,
): Promise<ImportResult> {
  const problems = new Problems(file.name);
  const batch = emptyBatch('mapped-csv');
  const mappingErrors = validateMapping(mapping);
  if (mappingErrors.length > 0) {
    for (const message of mappingErrors) problems.error(`The column mapping: ${message}`);
    return { batch, problems: problems.list };
  }
  const target = mapping.target;
  const values = new Map(
    Object.entries(mapping.values ?? {}).map(([from, to]) => [normaliseName(from), to] as const),
  );
  const index: Partial<Record<MappedField, number>> = {};
  const heading = (field: MappedField) => mapping.columns[field] ?? field;
  const built = new Map<
    string,
    {
      child: ImportedChild;
      records: (ImportedInvolvement | ImportedPlacement | ImportedLegal | ImportedAllocation)[];
      keys: Set<string>;
    }
  >();
  const typesSeen = new Set<string>();
  let rowNumber = 0;

  const cell = (cells: readonly string[], field: MappedField) => {
    const i = index[field];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const date = (cells: readonly string[], field: MappedField, row: number) => {
    const text = cell(cells, field);
    const day = readDate(text);
    if (day === BAD_DATE)
      problems.error(`${quote(heading(field))}: ${describeBadDate(text)}.`, {
        row,
        column: heading(field),
      });
    return day;
  };

  for await (const cells of csvRecords(file.content, problems, { guessDelimiter: true })) {
    rowNumber++;
    if (rowNumber === 1) {
      const positions = new Map<string, number>();
      cells.forEach((h, i) => {
        const key = normaliseHeading(h);
        if (key !== '' && !positions.has(key)) positions.set(key, i);
      });
      const missing: string[] = [];
      for (const [field, source] of Object.entries(mapping.columns) as [MappedField, string][]) {
        const position = positions.get(normaliseHeading(source));
        if (position === undefined) missing.push(source);
        else index[field] = position;
      }
      if (missing.length > 0) {
        problems.error(
          `The file has no ${missing.map(quote).join(', no ')} ${missing.length === 1 ? 'column' : 'columns'}, which the mapping uses. Check the mapping or the file's heading row.`,
          { row: 1 },
        );
        break;
      }
      continue;
    }
    if (isBlankRecord(cells)) continue;
    const row = rowNumber;
    const childId = cell(cells, 'childId');
    if (childId === '') {
      problems.error(`${quote(heading('childId'))} is blank: every row must name its child.`, {
        row,
        column: heading('childId'),
      });
      continue;
    }
    const start = date(cells, 'start', row);
    const end = date(cells, 'end', row);
    const dob = date(cells, 'dateOfBirth', row);
    if (start === NO_DATE)
      problems.error(`${quote(heading('start'))} is blank.`, { row, column: heading('start') });
    if (start === NO_DATE || start === BAD_DATE || end === BAD_DATE || dob === BAD_DATE) continue;
    if (end !== NO_DATE && end < start) {
      problems.error(`${quote(heading('end'))} is before ${quote(heading('start'))}.`, {
        row,
        column: heading('end'),
      });
      continue;
    }
    const period = { start: isoOf(start), end: end === NO_DATE ? null : isoOf(end) };

    let record: ImportedInvolvement | ImportedPlacement | ImportedLegal | ImportedAllocation;
    if (target === 'allocations') {
      const worker = personRef(
        cell(cells, 'workerId'),
        cell(cells, 'workerEmail'),
        cell(cells, 'workerName'),
      );
      const teamId = cell(cells, 'teamId');
      const teamName = cell(cells, 'teamName');
      let teamKey: string | null = null;
      if (teamId !== '' || teamName !== '') {
        teamKey = teamId !== '' ? `id:${teamId}` : `name:${normaliseName(teamName)}`;
        const team = batch.teams.get(teamKey);
        if (team === undefined)
          batch.teams.set(teamKey, {
            key: teamKey,
            id: teamId || null,
            name: teamName || null,
            start: period.start,
          });
        else if (team.start === null || period.start < team.start) team.start = period.start;
      }
      if (worker === null && teamKey === null)
        problems.warning('No worker or team on this row: recorded as an allocation to nobody.', {
          row,
        });
      record = { ...period, worker, teamKey };
    } else {
      const raw = mapping.fixedType ?? cell(cells, 'type');
      const resolved = resolveType(target, raw, values);
      let type: string;
      if (resolved.ok) type = resolved.type;
      else if (resolved.skip !== undefined) {
        problems.warning(`This row was skipped: ${resolved.skip}.`, {
          row,
          column: heading('type'),
        });
        continue;
      } else if (resolved.fallback !== undefined) {
        problems.warning(
          raw === ''
            ? `The placement type is blank: treated as '${resolved.fallback}'.`
            : `Unknown placement type ${quote(raw)}: treated as '${resolved.fallback}'.`,
          { row, column: heading('type') },
        );
        type = resolved.fallback;
      } else {
        problems.error(
          raw === ''
            ? `${quote(heading('type'))} is blank.`
            : `${quote(raw)} is not ${target === 'legal' ? 'a legal' : 'an involvement'} type Oversight knows (${VOCABULARY[target].join(', ')}): add it to the mapping's values.`,
          { row, column: heading('type') },
        );
        continue;
      }
      typesSeen.add(type);
      if (target === 'placements') {
        const stable = date(cells, 'stableFrom', row);
        if (stable === BAD_DATE) continue;
        record = {
          type: type as PlacementType,
          ...period,
          stableFrom: stable === NO_DATE ? null : isoOf(stable),
        };
      } else if (target === 'legal') record = { type: type as LegalType, ...period };
      else record = { type: type as InvolvementType, ...period };
    }

    let entry = built.get(childId);
    if (entry === undefined) {
      entry = { child: { id: childId }, records: [], keys: new Set() };
      built.set(childId, entry);
    }
    if (dob !== NO_DATE) {
      const iso = isoOf(dob);
      if (entry.child.dateOfBirth !== undefined && entry.child.dateOfBirth !== iso)
        problems.warning(
          `Child ${quote(childId)} has a different date of birth on an earlier row: the first was kept.`,
          { row, column: heading('dateOfBirth') },
        );
      else entry.child.dateOfBirth = iso;
    }
    const key = JSON.stringify(record);
    if (!entry.keys.has(key)) {
      entry.keys.add(key);
      entry.records.push(record);
    }
  }
  if (rowNumber === 0 && !problems.hasErrors) problems.error('The file is empty.');

  if (target === 'involvements' || target === 'legal') {
    const types = new Set([...typesSeen, ...(mapping.replaces ?? [])]);
    if (mapping.fixedType !== undefined) types.add(mapping.fixedType);
    if (target === 'involvements')
      batch.covers.involvementTypes.push(...([...types] as InvolvementType[]));
    else batch.covers.legalTypes.push(...([...types] as LegalType[]));
  }
  for (const { child, records } of built.values()) {
    const from = records.reduce<string | null>(
      (min, r) => (min === null || r.start < min ? r.start : min),
      null,
    );
    if (target === 'involvements')
      child.involvements = { from, records: records as ImportedInvolvement[] };
    else if (target === 'placements')
      child.placements = { from, records: records as ImportedPlacement[] };
    else if (target === 'legal') child.legal = { from, records: records as ImportedLegal[] };
    else child.allocations = { from, records: records as ImportedAllocation[] };
    batch.children.set(child.id, child);
  }
  return { batch, problems: problems.list };
}

function personRef(id: string, email: string, name: string): PersonRef | null {
  if (id !== '') return { id };
  if (email !== '') return { email: email.toLowerCase() };
  if (name !== '') return { name };
  return null;
}

/**
 * The headings of a sample of a source's files (its first row), to build a mapping from: the
 * same reading as `applyMapping` (encoding, delimiter guessed), blank and repeated headings left
 * out. An unreadable file, or one with no heading row, gives problems and no headings.
 */
export async function sampleHeadings(
  file: NamedSource,
): Promise<{ headings: string[]; problems: ImportResult['problems'] }> {
  const problems = new Problems(file.name);
  const headings: string[] = [];
  const seen = new Set<string>();
  for await (const cells of csvRecords(file.content, problems, { guessDelimiter: true })) {
    for (const cell of cells) {
      const heading = cell.trim();
      const key = normaliseHeading(heading);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      headings.push(heading);
    }
    break;
  }
  if (headings.length === 0 && !problems.hasErrors)
    problems.error('The file has no heading row: its first row should name each column.', {
      row: 1,
    });
  return { headings, problems: problems.list };
}
