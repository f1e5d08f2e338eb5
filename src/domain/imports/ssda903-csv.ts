import { csvBatches, isBlankRecord } from './csv.js';
import { Problems, quote } from './problems.js';
import { Ssda903Builder } from './ssda903-episodes.js';
import type { NamedSource } from './text-source.js';
import type { ImportProblem, ImportResult } from './types.js';

/**
 * The SSDA903 return as its CSV tables, one file per table. Tables are known by their columns,
 * not their file names (as the DfE's own validator does); column order does not matter and
 * headings are read in any case. Oversight uses Header (dates of birth), Episodes and, from
 * 2023-24, SWEpisodes; the other tables are recognised and left alone.
 */

interface TableSpec {
  /** The 903 table's columns, as the DfE guidance lists them. */
  columns: readonly string[];
  /** A column only this table has, by which it is known. */
  key: string;
  /** Columns Oversight needs, when it reads the table at all. */
  needs?: readonly string[];
}

export const SSDA903_TABLES = {
  Header: {
    columns: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
    key: 'ETHNIC',
    needs: ['CHILD', 'DOB'],
  },
  Episodes: {
    columns: [
      'CHILD',
      'DECOM',
      'RNE',
      'LS',
      'CIN',
      'PLACE',
      'PLACE_PROVIDER',
      'DEC',
      'REC',
      'REASON_PLACE_CHANGE',
      'HOME_POST',
      'PL_POST',
      'URN',
    ],
    key: 'DECOM',
    needs: ['CHILD', 'DECOM', 'RNE', 'LS', 'PLACE', 'DEC', 'REC'],
  },
  SWEpisodes: {
    columns: ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
    key: 'SW_ID',
    needs: ['CHILD', 'SW_ID', 'SW_DECOM', 'SW_DEC'],
  },
  Reviews: { columns: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'], key: 'REVIEW_CODE' },
  UASC: { columns: ['CHILD', 'SEX', 'DOB', 'DUC'], key: 'DUC' },
  OC2: {
    columns: [
      'CHILD',
      'DOB',
      'SDQ_SCORE',
      'SDQ_REASON',
      'CONVICTED',
      'HEALTH_CHECK',
      'IMMUNISATIONS',
      'TEETH_CHECK',
      'HEALTH_ASSESSMENT',
      'SUBSTANCE_MISUSE',
      'INTERVENTION_RECEIVED',
      'INTERVENTION_OFFERED',
    ],
    key: 'SDQ_SCORE',
  },
  OC3: { columns: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'], key: 'IN_TOUCH' },
  AD1: {
    columns: [
      'CHILD',
      'DOB',
      'DATE_INT',
      'DATE_MATCH',
      'FOSTER_CARE',
      'NB_ADOPTR',
      'SEX_ADOPTR',
      'LS_ADOPTR',
    ],
    key: 'DATE_INT',
  },
  PlacedAdoption: {
    columns: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
    key: 'DATE_PLACED',
  },
  PrevPerm: { columns: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'], key: 'PREV_PERM' },
  Missing: { columns: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'], key: 'MIS_START' },
  DoLo: { columns: ['CHILD', 'DOB', 'DOLO_START', 'DOLO_END'], key: 'DOLO_START' },
} as const satisfies Record<string, TableSpec>;

export type Ssda903Table = keyof typeof SSDA903_TABLES;

/** The table a heading row belongs to, if any. */
export function identifySsda903Table(headings: readonly string[]): Ssda903Table | undefined {
  const set = new Set(headings.map((h) => h.trim().toUpperCase()));
  let best: Ssda903Table | undefined;
  let bestScore = 0;
  for (const [name, spec] of Object.entries(SSDA903_TABLES) as [Ssda903Table, TableSpec][]) {
    if (!set.has(spec.key)) continue;
    const score = spec.columns.filter((c) => set.has(c)).length;
    if (score > bestScore) [best, bestScore] = [name, score];
  }
  return best;
}

const READ: readonly Ssda903Table[] = ['Header', 'Episodes', 'SWEpisodes'];

function cell(record: readonly string[], index: number): string {
  if (index < 0) return '';
  const value = record[index];
  if (value === undefined || value === '') return '';
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first <= 32 || last <= 32 || first === 0xa0 || last === 0xa0 ? value.trim() : value;
}

/** Parses the CSV tables of one SSDA903 return (pass every table's file together). */
export async function parseSsda903Csv(files: readonly NamedSource[]): Promise<ImportResult> {
  const all: ImportProblem[] = [];
  const perFile = new Map<string, Problems>();
  const problemsOf = (name: string) => {
    let p = perFile.get(name);
    if (p === undefined) {
      p = new Problems(name, undefined, all);
      perFile.set(name, p);
    }
    return p;
  };
  const seen = new Map<Ssda903Table, string>();
  // Problems found while building periods name the file their rows are in.
  const sink = { header: problemsOf(''), episodes: problemsOf(''), sw: problemsOf('') };
  const builder = new Ssda903Builder(sink);
  if (files.length === 0) problemsOf('').error('No SSDA903 files were given.');

  for (const file of files) {
    const problems = problemsOf(file.name);
    const before = all.length;
    let table: Ssda903Table | undefined;
    let index: Record<string, number> = {};
    const ix = { child: -1, decom: -1, dec: -1, rne: -1, ls: -1, place: -1, plPost: -1, rec: -1 };
    const sw = { id: -1, start: -1, end: -1, dob: -1 };
    let row = 0;
    const batches = csvBatches(file.content, problems, { fast: true });
    reading: for await (const records of batches)
      for (const record of records) {
        row++;
        if (row === 1) {
          const headings = record.map((h) => h.trim().toUpperCase());
          table = identifySsda903Table(headings);
          if (table === undefined) {
            problems.error(
              `The columns of this file (${headings.filter((h) => h !== '').join(', ') || 'none'}) are not those of any SSDA903 table. Each file must have the heading row the DfE guidance gives for its table, such as CHILD,DECOM,RNE,LS,... for Episodes.`,
              { row: 1 },
            );
            break reading;
          }
          const earlier = seen.get(table);
          if (earlier !== undefined) {
            problems.error(
              `This is a second ${table} file (the first is ${quote(earlier)}): give one file per table.`,
              { row: 1 },
            );
            table = undefined;
            break reading;
          }
          seen.set(table, file.name);
          if (!READ.includes(table)) break reading;
          const spec: TableSpec = SSDA903_TABLES[table];
          index = {};
          headings.forEach((h, i) => {
            if (h !== '' && index[h] === undefined) index[h] = i;
          });
          const missing = (spec.needs ?? []).filter((c) => index[c] === undefined);
          if (missing.length > 0) {
            problems.error(
              `This ${table} file has no ${missing.join(', ')} ${missing.length === 1 ? 'column' : 'columns'}, which Oversight needs.`,
              { row: 1 },
            );
            table = undefined;
            break reading;
          }
          const extra = headings.filter((h) => h !== '' && !spec.columns.includes(h));
          if (extra.length > 0)
            problems.warning(
              `${extra.length === 1 ? 'Column' : 'Columns'} ${extra.map(quote).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not part of the SSDA903 ${table} table: ignored.`,
              { row: 1 },
            );
          const at = (name: string) => index[name] ?? -1;
          [ix.child, ix.decom, ix.dec, ix.rne] = [at('CHILD'), at('DECOM'), at('DEC'), at('RNE')];
          [ix.ls, ix.place, ix.plPost, ix.rec] = [at('LS'), at('PLACE'), at('PL_POST'), at('REC')];
          [sw.id, sw.start, sw.end, sw.dob] = [
            at('SW_ID'),
            at('SW_DECOM'),
            at('SW_DEC'),
            at('DOB'),
          ];
          if (table === 'Header') sink.header = problems;
          if (table === 'Episodes') sink.episodes = problems;
          if (table === 'SWEpisodes') sink.sw = problems;
          continue;
        }
        if (isBlankRecord(record)) continue;
        if (table === 'Episodes') {
          builder.addEpisode(
            {
              child: cell(record, ix.child),
              decom: cell(record, ix.decom),
              dec: cell(record, ix.dec),
              rne: cell(record, ix.rne),
              ls: cell(record, ix.ls),
              place: cell(record, ix.place),
              plPost: cell(record, ix.plPost),
              rec: cell(record, ix.rec),
            },
            row,
            problems,
          );
        } else if (table === 'SWEpisodes') {
          builder.addSwEpisode(
            {
              child: cell(record, ix.child),
              swId: cell(record, sw.id).toUpperCase(),
              start: cell(record, sw.start),
              end: cell(record, sw.end),
            },
            row,
            problems,
          );
        } else if (table === 'Header') {
          builder.addHeader(
            { child: cell(record, ix.child), dob: cell(record, sw.dob) },
            row,
            problems,
          );
        }
      }
    if (row === 0 && !all.slice(before).some((p) => p.severity === 'error'))
      problems.error('The file is empty.');
  }

  const batch = builder.build({
    episodes: seen.has('Episodes'),
    header: seen.has('Header'),
  });
  if (!seen.has('Episodes') && !seen.has('SWEpisodes') && files.length > 0)
    problemsOf(files[0]?.name ?? '').error(
      'None of the files is an SSDA903 Episodes or SWEpisodes table, so there is nothing to import.',
    );
  return { batch, problems: all };
}
