import ExcelJS from 'exceljs';
import { addMonths, type CalendarDate } from '../dates/index.js';
import {
  ANNEX_A_LISTS,
  COMMON_FIELDS,
  type AnnexAField,
  type AnnexAList,
} from './annex-a-lists.js';
import {
  BAD_DATE,
  dayOfExcelSerial,
  dayOfSpreadsheetDate,
  describeBadDate,
  isoOf,
  NO_DATE,
  readDate,
} from './dates.js';
import { HeadingIndex, normaliseHeading, normaliseName, type HeadingMatch } from './headings.js';
import { Problems, quote, rowList } from './problems.js';
import { placeMapping, legalStatusMapping } from './ssda903-codes.js';
import {
  emptyBatch,
  type ImportBatch,
  type ImportedChild,
  type ImportedInvolvement,
  type ImportedLegal,
  type ImportedPlacement,
  type ImportResult,
  type PersonRef,
} from './types.js';

/**
 * Ofsted Annex A (ILACS child-level lists), one sheet per list. Lists are known by their
 * headings (the sheet name, `List 6`, `List_6`, decides only a tie), and the heading row may be
 * any of the first ten (the Ofsted template has a title above it). Imported, in docs/imports.md
 * terms: List 2 early help, 4 assessments, 6 children in need, 7 child protection, 8 children in
 * care (with the current placement and legal status) and 9 care leavers, with each child's
 * allocated worker and team. Lists 1, 3, 5, 10 and 11 are recognised and left alone.
 *
 * Annex A is a snapshot on the day the lists were produced (`asOf`) looking back six months, so
 * the records it gives replace a child's records of the same kinds from six months before that
 * day; earlier history is kept. Allocated workers are names: they are matched to people already
 * known by name when the batch is merged.
 */

export interface AnnexAOptions {
  /** The date the lists were produced (YYYY-MM-DD). */
  asOf: string;
}

/** A cell as a spreadsheet reader gives it. */
export type SheetCell = unknown;

export interface AnnexASheet {
  name: string;
  /** rows[0] is spreadsheet row 1; missing rows are empty. */
  rows: readonly (readonly SheetCell[] | undefined)[];
}

const LOOK_BACK_MONTHS = 6;
const HEADING_ROWS = 10;

/** Parses an Annex A workbook (.xlsx bytes). */
export async function parseAnnexA(
  file: { name: string; content: Uint8Array | ArrayBuffer },
  options: AnnexAOptions,
): Promise<ImportResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    const data = file.content instanceof ArrayBuffer ? new Uint8Array(file.content) : file.content;
    await workbook.xlsx.load(data as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    const problems = new Problems(file.name);
    problems.error(
      'The file could not be read as an Excel workbook: save it as an Excel Workbook (.xlsx) and upload that.',
    );
    return { batch: emptyBatch('annex-a'), problems: problems.list };
  }
  const sheets: AnnexASheet[] = workbook.worksheets.map((sheet) => {
    const rows: (SheetCell[] | undefined)[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const values = row.values;
      rows[number - 1] = Array.isArray(values) ? values.slice(1) : [];
    });
    return { name: sheet.name, rows };
  });
  return parseAnnexASheets(file.name, sheets, options);
}

interface ChildBuild {
  id: string;
  dob?: { day: number; where: string };
  involvements: ImportedInvolvement[];
  placements: ImportedPlacement[] | null;
  legal: ImportedLegal[] | null;
  legalFrom: number;
  careLeaver: boolean;
  allocation: { rank: number; start: number; worker: string; team: string } | null;
}

/** Parses the sheets of an Annex A workbook, already read into cells. */
export function parseAnnexASheets(
  fileName: string,
  sheets: readonly AnnexASheet[],
  options: AnnexAOptions,
): ImportResult {
  const problems = new Problems(fileName);
  const batch = emptyBatch('annex-a');
  const asOf = readDate(options.asOf);
  if (asOf === NO_DATE || asOf === BAD_DATE) {
    problems.error(
      `The date the lists were produced ${describeBadDate(options.asOf, 'YYYY-MM-DD')}.`,
    );
    return { batch, problems: problems.list };
  }
  const windowStart = addMonths(asOf as CalendarDate, -LOOK_BACK_MONTHS);
  const built = new Map<string, ChildBuild>();
  const seenLists = new Map<number, string>();

  for (const sheet of sheets) {
    const own = problems.forSheet(sheet.name);
    const found = identify(sheet);
    if (found === undefined) {
      if (/^\s*list\s*[_-]?\s*\d+/i.test(sheet.name))
        own.error(
          `This sheet is named like an Annex A list, but none of its first ${HEADING_ROWS} rows has the headings of one (such as 'Child Unique ID').`,
        );
      continue;
    }
    const { list, headingRow, match } = found;
    const earlier = seenLists.get(list.number);
    if (earlier !== undefined) {
      own.error(
        `This sheet is another List ${list.number} (${list.name}); the first is sheet ${quote(earlier)}. Give each list once.`,
      );
      continue;
    }
    seenLists.set(list.number, sheet.name);
    if (!list.imports) continue;
    const missing = list.needs.filter((f) => match.columns[f] === undefined);
    if (missing.length > 0) {
      own.error(
        `List ${list.number} (${list.name}) has no ${missing.map(headingName).join(' or ')} column, so it was not read.`,
        { row: headingRow + 1 },
      );
      continue;
    }
    if (match.unknown.length > 0)
      own.warning(
        `${match.unknown.length === 1 ? 'Heading' : 'Headings'} ${match.unknown.map(quote).join(', ')} ${match.unknown.length === 1 ? 'is' : 'are'} not one Oversight knows in List ${list.number}: ignored.`,
        { row: headingRow + 1 },
      );
    readList(sheet, list, headingRow, match, own, built, {
      asOf,
      windowStart,
    });
    if (list.number === 2 && match.columns.earlyHelpEnd === undefined)
      own.warning(
        'List 2 has no column for the date early help ended, so every early help period in it was taken as still open on the date of the lists.',
        { row: headingRow + 1 },
      );
  }
  if (seenLists.size === 0)
    problems.error(
      'No sheet of this workbook is an Annex A list: each list needs a heading row with a Child Unique ID column and the headings of the list.',
    );

  const covered = [...seenLists.keys()];
  const types = batch.covers.involvementTypes;
  if (covered.includes(2)) types.push('early-help');
  if (covered.includes(4)) types.push('assessment');
  if (covered.includes(6)) types.push('cin');
  if (covered.includes(7)) types.push('cp');
  if (covered.includes(8)) {
    types.push('cla');
    batch.covers.legalTypes.push('care-proceedings');
  }
  for (const child of built.values())
    batch.children.set(child.id, finish(child, batch, asOf, windowStart));
  return { batch, problems: problems.list };
}

function headingName(field: AnnexAField): string {
  const all = [...COMMON_FIELDS, ...ANNEX_A_LISTS.flatMap((l) => l.fields)];
  const heading = all.find((f) => f.field === field)?.headings[0] ?? field;
  return quote(heading);
}

const LIST_INDEX = new Map(
  ANNEX_A_LISTS.map((list) => [list.number, new HeadingIndex([...COMMON_FIELDS, ...list.fields])]),
);
const OWN_HEADINGS = new Map(
  ANNEX_A_LISTS.map((list) => [
    list.number,
    new Set(list.fields.flatMap((f) => f.headings.map(normaliseHeading))),
  ]),
);
const CHILD_ID = new HeadingIndex(COMMON_FIELDS.filter((f) => f.field === 'childId'));
const ADOPTER_ID = normaliseHeading('Individual adopter identifier');
const LIST_NUMBER = /list\s*[_-]?\s*(\d{1,2})\b/i;

function identify(
  sheet: AnnexASheet,
): { list: AnnexAList; headingRow: number; match: HeadingMatch<AnnexAField> } | undefined {
  for (let r = 0; r < Math.min(HEADING_ROWS, sheet.rows.length); r++) {
    const headings = (sheet.rows[r] ?? []).map(textOf);
    const normalised = headings.map(normaliseHeading);
    const hasId =
      normalised.includes(ADOPTER_ID) || CHILD_ID.match(headings).columns.childId !== undefined;
    if (!hasId) continue;
    // The list whose own headings the row has most of; the sheet's name, or a title above the
    // headings, breaks a tie.
    const named =
      Number(LIST_NUMBER.exec(sheet.name)?.[1] ?? NaN) ||
      Number(LIST_NUMBER.exec(sheet.rows.slice(0, r).flat().map(textOf).join(' '))?.[1] ?? NaN);
    let best: AnnexAList | undefined;
    let bestScore = 0;
    for (const list of ANNEX_A_LISTS) {
      const own = OWN_HEADINGS.get(list.number) ?? new Set<string>();
      const score = normalised.filter((h) => own.has(h)).length + (list.number === named ? 0.5 : 0);
      if (score > bestScore) [best, bestScore] = [list, score];
    }
    if (best === undefined || bestScore < 1) {
      const byName = ANNEX_A_LISTS.find((l) => l.number === named);
      if (byName === undefined) continue;
      best = byName;
    }
    const index = LIST_INDEX.get(best.number);
    if (index === undefined) continue;
    return { list: best, headingRow: r, match: index.match(headings) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cells.
// ---------------------------------------------------------------------------------------------

interface CellError {
  error: string;
}

function plain(cell: SheetCell): string | number | Date | CellError | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string' || typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 'Yes' : 'No';
  if (cell instanceof Date) return cell;
  if (typeof cell === 'object') {
    const record = cell as Record<string, unknown>;
    if ('error' in record) return { error: String(record.error) };
    if ('result' in record) return plain(record.result);
    if ('richText' in record && Array.isArray(record.richText))
      return (record.richText as { text?: unknown }[])
        .map((part) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
    if ('text' in record) return plain(record.text);
  }
  return null;
}

const SPACES = /[\s\u00a0\u2007\u202f]+/g;

/** A cell's text: spaces (non-breaking ones too) collapsed and trimmed; errors read as blank. */
function textOf(cell: SheetCell): string {
  const value = plain(cell);
  if (value === null) return '';
  if (typeof value === 'string') return value.replace(SPACES, ' ').trim();
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) {
    const day = dayOfSpreadsheetDate(value);
    return day === BAD_DATE ? '' : isoOf(day);
  }
  return '';
}

function errorOf(cell: SheetCell): string | null {
  const value = plain(cell);
  return value !== null && typeof value === 'object' && !(value instanceof Date)
    ? value.error
    : null;
}

/** A date cell: an Excel date, an Excel serial number or day-first text. */
function dateOf(cell: SheetCell): { day: number; text: string } {
  const value = plain(cell);
  if (value === null) return { day: NO_DATE, text: '' };
  if (value instanceof Date) return { day: dayOfSpreadsheetDate(value), text: String(value) };
  if (typeof value === 'number') return { day: dayOfExcelSerial(value), text: String(value) };
  if (typeof value === 'string') {
    const text = value.replace(SPACES, ' ').trim();
    return { day: readDate(text), text };
  }
  return { day: BAD_DATE, text: value.error };
}

/** Values meaning "nobody" in an allocation column. */
const NOBODY = new Set([
  '',
  'n a',
  'na',
  'none',
  'unallocated',
  'not allocated',
  'no worker',
  'nil',
  'tbc',
  'tba',
]);

// ---------------------------------------------------------------------------------------------
// Rows.
// ---------------------------------------------------------------------------------------------

const LIST_INVOLVEMENT: Readonly<
  Record<number, { type: ImportedInvolvement['type']; start: AnnexAField; end: AnnexAField }>
> = {
  2: { type: 'early-help', start: 'earlyHelpStart', end: 'earlyHelpEnd' },
  4: { type: 'assessment', start: 'assessmentStart', end: 'assessmentEnd' },
  6: { type: 'cin', start: 'cinStart', end: 'cinEnd' },
  7: { type: 'cp', start: 'cpStart', end: 'cpEnd' },
  8: { type: 'cla', start: 'claStart', end: 'claEnd' },
};

const CODE_PREFIX = /^[a-z]{1,2}\d?\)\s*/i;
const CODE = /^([A-Za-z]{1,2}\d{1,2}[A-Za-z]?)\b/;

/** `f) U6: Foster placement - not FFA` → `U6`; `C2: FCO` → `C2`. */
export function annexACode(text: string): string {
  const rest = text.replace(CODE_PREFIX, '').trim();
  return (CODE.exec(rest)?.[1] ?? rest).toUpperCase();
}

function readList(
  sheet: AnnexASheet,
  list: AnnexAList,
  headingRow: number,
  match: HeadingMatch<AnnexAField>,
  problems: Problems,
  built: Map<string, ChildBuild>,
  dates: { asOf: number; windowStart: number },
): void {
  const col = match.columns;
  const heading = (field: AnnexAField) => match.written[field] ?? field;
  const errorCells = new Map<string, number[]>();
  const involvement = LIST_INVOLVEMENT[list.number];

  const date = (
    cells: readonly SheetCell[],
    field: AnnexAField,
    row: number,
    required: boolean,
  ) => {
    const index = col[field];
    if (index === undefined) return NO_DATE;
    const { day, text } = dateOf(cells[index]);
    if (day === NO_DATE && required)
      problems.error(`${quote(heading(field))} is blank.`, { row, column: heading(field) });
    else if (day === BAD_DATE)
      problems.error(`${quote(heading(field))}: ${describeBadDate(text)}.`, {
        row,
        column: heading(field),
      });
    return day;
  };
  const allocationText = (cells: readonly SheetCell[], field: AnnexAField, row: number) => {
    const index = col[field];
    if (index === undefined) return '';
    const error = errorOf(cells[index]);
    if (error !== null) {
      const key = `${heading(field)}\u0000${error}`;
      errorCells.set(key, [...(errorCells.get(key) ?? []), row]);
      return '';
    }
    const text = textOf(cells[index]);
    return NOBODY.has(normaliseName(text)) ? '' : text;
  };

  for (let r = headingRow + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r];
    if (cells === undefined || cells.every((c) => textOf(c) === '' && errorOf(c) === null))
      continue;
    const row = r + 1;
    const idIndex = col.childId ?? -1;
    const id = textOf(cells[idIndex]);
    if (id === '') {
      problems.error(`${quote(heading('childId'))} is blank: every row must name its child.`, {
        row,
        column: heading('childId'),
      });
      continue;
    }
    let child = built.get(id);
    if (child === undefined) {
      child = {
        id,
        involvements: [],
        placements: null,
        legal: null,
        legalFrom: Number.POSITIVE_INFINITY,
        careLeaver: false,
        allocation: null,
      };
      built.set(id, child);
    }
    const dob = date(cells, 'dateOfBirth', row, false);
    if (dob !== NO_DATE && dob !== BAD_DATE) {
      if (child.dob === undefined) child.dob = { day: dob, where: `${sheet.name} row ${row}` };
      else if (child.dob.day !== dob)
        problems.warning(
          `Child ${quote(id)} has a different date of birth here than in ${child.dob.where}: the first was kept.`,
          { row, column: heading('dateOfBirth') },
        );
    }
    const worker = allocationText(cells, 'worker', row);
    const adviser = allocationText(cells, 'personalAdviser', row);
    const team = allocationText(cells, 'team', row);

    let start = NO_DATE;
    let end = NO_DATE;
    if (involvement !== undefined) {
      start = date(cells, involvement.start, row, true);
      end = date(cells, involvement.end, row, false);
      if (start === NO_DATE || start === BAD_DATE || end === BAD_DATE) continue;
      if (end !== NO_DATE && end < start) {
        problems.error(
          `${quote(heading(involvement.end))} (${isoShown(end)}) is before ${quote(heading(involvement.start))} (${isoShown(start)}).`,
          { row, column: heading(involvement.end) },
        );
        continue;
      }
      child.involvements.push({
        type: involvement.type,
        start: isoOf(start),
        end: end === NO_DATE ? null : isoOf(end),
      });
    }

    if (list.number === 8)
      readCare(cells, row, child, start, end, { col, heading, problems, date });
    if (list.number === 9) {
      const eligibility = textOf(cells[col.eligibility ?? -1]).toLowerCase();
      // An "eligible child" (16 or 17 and still looked after) is on List 8; not yet a care leaver.
      if (/\beligible\b/.test(eligibility) && !/relevant|qualifying/.test(eligibility)) continue;
      child.careLeaver = true;
      start = dates.asOf;
    }

    const open = list.number === 9 || end === NO_DATE || end >= dates.asOf;
    const who = worker !== '' ? worker : adviser;
    const rank = list.allocationRank ?? 99;
    if (open && (who !== '' || team !== '')) {
      const current = child.allocation;
      if (
        current === null ||
        rank < current.rank ||
        (rank === current.rank && start > current.start)
      )
        child.allocation = { rank, start, worker: who, team };
    }
  }

  for (const [key, rows] of errorCells) {
    const [column = '', error = ''] = key.split('\u0000');
    problems.warning(
      `${quote(column)} holds ${error} in ${rowList(rows)}: treated as blank (no allocated ${column.toLowerCase().includes('team') ? 'team' : 'worker'}).`,
      { row: rows[0] ?? 0, column },
    );
  }
}

function isoShown(day: number): string {
  const text = isoOf(day);
  return `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}`;
}

function readCare(
  cells: readonly SheetCell[],
  row: number,
  child: ChildBuild,
  start: number,
  end: number,
  ctx: {
    col: Partial<Record<AnnexAField, number>>;
    heading: (field: AnnexAField) => string;
    problems: Problems;
    date: (
      cells: readonly SheetCell[],
      field: AnnexAField,
      row: number,
      required: boolean,
    ) => number;
  },
): void {
  const { col, heading, problems, date } = ctx;
  const endIso = end === NO_DATE ? null : isoOf(end);
  const typeText = textOf(cells[col.placementType ?? -1]);
  if (typeText !== '') {
    const code = annexACode(typeText);
    const mapping = placeMapping(code);
    if (mapping === undefined)
      problems.warning(`Unknown placement type ${quote(typeText)}: treated as 'other'.`, {
        row,
        column: heading('placementType'),
      });
    let placementStart = date(cells, 'placementStart', row, false);
    if (placementStart === BAD_DATE) return;
    if (placementStart === NO_DATE) {
      placementStart = start;
      problems.warning(
        `${quote(heading('placementStart'))} is blank: the placement was taken to start when the child started to be looked after.`,
        { row, column: heading('placementStart') },
      );
    }
    if (end !== NO_DATE && placementStart > end) {
      problems.error(
        `The placement starts (${isoShown(placementStart)}) after the child ceased to be looked after (${isoShown(end)}).`,
        { row, column: heading('placementStart') },
      );
      return;
    }
    child.placements ??= [];
    child.placements.push({
      type: mapping?.type ?? 'other',
      start: isoOf(placementStart),
      end: endIso,
      stableFrom: null,
    });
  }
  const statusText = textOf(cells[col.legalStatus ?? -1]);
  if (statusText !== '') {
    const code = annexACode(statusText);
    const status = legalStatusMapping(code);
    if (status === undefined)
      problems.warning(
        `Unknown legal status ${quote(statusText)}: no legal period was recorded for this child.`,
        { row, column: heading('legalStatus') },
      );
    let legalStart = date(cells, 'legalStart', row, false);
    if (legalStart === BAD_DATE) return;
    if (legalStart === NO_DATE) legalStart = start;
    child.legal ??= [];
    child.legalFrom = Math.min(child.legalFrom, legalStart);
    if (status?.type === 'care-proceedings')
      child.legal.push({ type: 'care-proceedings', start: isoOf(legalStart), end: endIso });
  }
}

function finish(
  child: ChildBuild,
  batch: ImportBatch,
  asOf: number,
  windowStart: number,
): ImportedChild {
  const imported: ImportedChild = { id: child.id };
  if (child.dob !== undefined) imported.dateOfBirth = isoOf(child.dob.day);
  if (child.involvements.length > 0 || batch.covers.involvementTypes.length > 0)
    imported.involvements = {
      from: isoOf(Math.min(windowStart, ...child.involvements.map((i) => dayOf(i.start)))),
      records: child.involvements,
    };
  if (child.placements !== null)
    imported.placements = {
      from: isoOf(Math.min(...child.placements.map((p) => dayOf(p.start)))),
      records: child.placements,
    };
  if (child.legal !== null) imported.legal = { from: isoOf(child.legalFrom), records: child.legal };
  const allocation = child.allocation;
  if (child.careLeaver || allocation !== null) {
    let worker: PersonRef | null = null;
    let teamKey: string | null = null;
    if (allocation !== null) {
      if (allocation.worker !== '') worker = { name: allocation.worker };
      if (allocation.team !== '') {
        teamKey = `name:${normaliseName(allocation.team)}`;
        if (!batch.teams.has(teamKey))
          batch.teams.set(teamKey, {
            key: teamKey,
            id: null,
            name: allocation.team,
            start: isoOf(asOf),
          });
      }
    }
    imported.openOn = {
      date: isoOf(asOf),
      involvements: child.careLeaver ? ['care-leaver'] : [],
      allocation: allocation === null ? null : { worker, teamKey },
    };
  }
  return imported;
}

function dayOf(iso: string): number {
  return readDate(iso);
}
