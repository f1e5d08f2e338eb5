import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  annexACode,
  parseAnnexA,
  parseAnnexASheets,
  type AnnexASheet,
  type ImportResult,
} from '../../src/domain/imports/index.js';
import { errors, expectLocatedErrors, samples, SAMPLES_DIR, warnings } from './support.js';

const AS_OF = '2025-03-31';
const utc = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

function sheets(...list: AnnexASheet[]): ImportResult {
  return parseAnnexASheets('annex-a.xlsx', list, { asOf: AS_OF });
}

function child(result: ImportResult, id: string) {
  const c = result.batch.children.get(id);
  if (c === undefined) throw new Error(`no child ${id}`);
  return c;
}

const COMMON = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'];

describe('Annex A lists', () => {
  it('reads each imported list, with its allocated worker and team', () => {
    const result = sheets(
      {
        name: 'List 2',
        rows: [
          [
            ...COMMON,
            'Assessment start date',
            'Assessment completion date',
            'Organisation completing assessment',
          ],
          [
            'E1',
            'a) Male',
            'a) WBRI',
            utc('2015-01-01'),
            10,
            utc('2025-01-10'),
            utc('2025-02-01'),
            'Early Help Hub',
          ],
        ],
      },
      {
        name: 'List 4',
        rows: [
          [
            ...COMMON,
            'Does the Child have a Disability',
            'Continuous Assessment Start Date',
            'Child Seen During Continuous Assessment',
            'Continuous Assessment Date of Authorisation',
            'Was the child assessed as requiring LA children’s social care support',
            'Allocated Team',
            'Allocated Worker',
          ],
          [
            'A1',
            'b) Female',
            'a) WBRI',
            utc('2016-01-01'),
            9,
            'b) No',
            utc('2025-03-01'),
            'a) Yes',
            null,
            '',
            'Duty Team',
            'Sam Smith',
          ],
        ],
      },
      {
        name: 'List 6',
        rows: [
          [
            ...COMMON,
            'CIN Start Date',
            'Primary Need Code',
            'CIN Closure Date',
            'Case Status',
            'Allocated Team',
            'Allocated Worker',
          ],
          [
            'K1',
            'a) Male',
            'a) WBRI',
            utc('2012-01-01'),
            13,
            utc('2024-06-01'),
            'N1 - Abuse or neglect',
            null,
            'c) Child in need plan',
            'Locality 1',
            'Ann\u00a0Lee',
          ],
          [
            'K1',
            'a) Male',
            'a) WBRI',
            utc('2012-01-01'),
            13,
            utc('2023-01-01'),
            'N1',
            utc('2023-06-01'),
            'e) Closed episode',
            'Locality 2',
            'Bo Old',
          ],
        ],
      },
      {
        name: 'List 7',
        rows: [
          [
            ...COMMON,
            'Child Protection Plan Start Date',
            'Initial Category of Abuse',
            'Child Protection Plan End Date',
            'Allocated Team',
            'Allocated Worker',
          ],
          [
            'K1',
            'a) Male',
            'a) WBRI',
            utc('2012-01-01'),
            13,
            utc('2024-09-01'),
            'a) Neglect',
            null,
            'Locality 1',
            'Cy Cole',
          ],
        ],
      },
      {
        name: 'List 8',
        rows: [
          [
            ...COMMON,
            'Date Started to be Looked After',
            'Start date of current legal status',
            'Child’s Legal Status',
            'Date Ceased to be Looked After',
            'Start Date of Most Recent Placement',
            'Placement Type',
            'Allocated Team',
            'Allocated Worker',
          ],
          [
            'L1',
            'b) Female',
            'a) WBRI',
            utc('2014-01-01'),
            11,
            utc('2024-01-10'),
            utc('2024-02-01'),
            'C1: ICO',
            null,
            utc('2024-05-01'),
            'f) U6: Foster placement - not FFA',
            'Children in Care 1',
            'Di Dent',
          ],
          [
            'L2',
            'b) Female',
            'a) WBRI',
            utc('2010-01-01'),
            15,
            utc('2020-01-10'),
            utc('2021-01-01'),
            'C2: FCO',
            utc('2025-01-31'),
            utc('2022-05-01'),
            'o) K2: Children’s home',
            'Children in Care 2',
            'Ed Eve',
          ],
        ],
      },
      {
        name: 'List 9',
        rows: [
          [
            ...COMMON,
            'Allocated Team',
            'Allocated Worker',
            'Allocated Personal Advisor',
            'Eligibility Category',
            'LA in Touch',
          ],
          [
            'M1',
            'a) Male',
            'a) WBRI',
            utc('2005-01-01'),
            20,
            'Care Leavers',
            '',
            'Flo Fox',
            'b) Former relevant child',
            'a) Yes',
          ],
          [
            'M2',
            'a) Male',
            'a) WBRI',
            utc('2008-06-01'),
            16,
            'Care Leavers',
            'Gil Gray',
            '',
            'd) Eligible child',
            'a) Yes',
          ],
        ],
      },
    );
    expect(errors(result)).toEqual([]);
    expect(result.batch.covers).toEqual({
      involvementTypes: ['early-help', 'assessment', 'cin', 'cp', 'cla'],
      legalTypes: ['care-proceedings'],
    });
    expect(child(result, 'E1')).toEqual({
      id: 'E1',
      dateOfBirth: '2015-01-01',
      involvements: {
        from: '2024-09-30',
        records: [{ type: 'early-help', start: '2025-01-10', end: null }],
      },
    });
    expect(child(result, 'A1').involvements?.records).toEqual([
      { type: 'assessment', start: '2025-03-01', end: null },
    ]);
    // On lists 6 and 7: the current child protection worker, over the child in need one.
    expect(child(result, 'K1')).toMatchObject({
      involvements: {
        from: '2023-01-01',
        records: [
          { type: 'cin', start: '2024-06-01', end: null },
          { type: 'cin', start: '2023-01-01', end: '2023-06-01' },
          { type: 'cp', start: '2024-09-01', end: null },
        ],
      },
      openOn: {
        date: AS_OF,
        involvements: [],
        allocation: { worker: { name: 'Cy Cole' }, teamKey: 'name:locality 1' },
      },
    });
    expect(child(result, 'L1')).toMatchObject({
      involvements: { records: [{ type: 'cla', start: '2024-01-10', end: null }] },
      placements: {
        from: '2024-05-01',
        records: [{ type: 'foster', start: '2024-05-01', end: null, stableFrom: null }],
      },
      legal: {
        from: '2024-02-01',
        records: [{ type: 'care-proceedings', start: '2024-02-01', end: null }],
      },
      openOn: { allocation: { worker: { name: 'Di Dent' }, teamKey: 'name:children in care 1' } },
    });
    // Ceased to be looked after before the lists' date: no current allocation from List 8.
    expect(child(result, 'L2')).toMatchObject({
      placements: { records: [{ type: 'residential', start: '2022-05-01', end: '2025-01-31' }] },
      legal: { from: '2021-01-01', records: [] },
    });
    expect(child(result, 'L2').openOn).toBeUndefined();
    // A care leaver with a personal adviser only; an eligible child (still in care) is not one.
    expect(child(result, 'M1').openOn).toEqual({
      date: AS_OF,
      involvements: ['care-leaver'],
      allocation: { worker: { name: 'Flo Fox' }, teamKey: 'name:care leavers' },
    });
    expect(child(result, 'M2').openOn).toBeUndefined();
    expect([...result.batch.teams.keys()].sort()).toEqual([
      'name:care leavers',
      'name:children in care 1',
      'name:duty team',
      'name:locality 1',
    ]);
    expect(warnings(result).map((w) => w.message)).toEqual([
      'List 2 has no column for the date early help ended, so every early help period in it was taken as still open on the date of the lists.',
    ]);
  });

  it('reads the Ofsted template layout: a title above the headings, List_N sheet names, other sheets', () => {
    const result = sheets(
      { name: 'Front_Sheet', rows: [['Local authority'], ['Sometown']] },
      { name: 'Guidance', rows: [['How to fill in the lists']] },
      {
        name: 'List_6',
        rows: [
          ['List 6: Children in Need'],
          [
            'CHILD UNIQUE ID ',
            'date of birth',
            'C.I.N. start date',
            'Cin Closure Date',
            'Allocated  Team',
            'Allocated Social Worker',
          ],
          ['C1', '14/03/2012', '01/02/2025', '', 'Team A', 'Jo Bloggs'],
          ['C2', 40000, 45658, 45700, '#N/A', 'Unallocated'],
        ],
      },
    );
    expect(errors(result)).toEqual([]);
    expect(child(result, 'C1')).toMatchObject({
      dateOfBirth: '2012-03-14',
      involvements: { records: [{ type: 'cin', start: '2025-02-01', end: null }] },
      openOn: { allocation: { worker: { name: 'Jo Bloggs' }, teamKey: 'name:team a' } },
    });
    // Excel serial dates; #N/A and "Unallocated" are nobody.
    expect(child(result, 'C2')).toMatchObject({
      dateOfBirth: '2009-07-06',
      involvements: { records: [{ type: 'cin', start: '2025-01-01', end: '2025-02-12' }] },
    });
    expect(child(result, 'C2').openOn).toBeUndefined();
  });

  it.each([
    ['List 2', ['Child ID', 'Early Help Start Date', 'Early Help End Date'], 'early-help'],
    [
      'EH',
      [
        'Unique Child ID',
        'EHA start date',
        'Date early help closed',
        'Organisation completing the assessment',
      ],
      'early-help',
    ],
    [
      'List 4',
      [
        'LA Child ID',
        'Assessment Start Date',
        'Assessment Authorisation Date',
        'Child seen during assessment',
      ],
      'assessment',
    ],
    [
      'Assessments',
      ['Child Ref', 'Single Assessment Start Date', 'Date assessment authorised'],
      'assessment',
    ],
    [
      'List 6',
      ['Child Unique ID', 'Child in Need Start Date', 'Child in need closure date', 'Primary need'],
      'cin',
    ],
    [
      'List 7',
      ['Child Unique ID', 'CP Plan Start Date', 'CP Plan End Date', 'Latest category of abuse'],
      'cp',
    ],
    ['Sheet1', ['child id', 'CPP start date', 'CPP end date', 'Initial Category of Abuse'], 'cp'],
    [
      'List 8',
      [
        'Child Unique ID',
        'Date started to be looked after',
        'Date ceased to be looked after',
        'Childs legal status',
      ],
      'cla',
    ],
    [
      'CLA',
      ['Child Unique ID', 'CLA Start Date', 'CLA End Date', 'Legal Status', 'Placement Type'],
      'cla',
    ],
  ])('knows %s with headings %j', (name, headings, type) => {
    const result = sheets({ name, rows: [headings, ['X1', '01/01/2025', '02/02/2025', '']] });
    expect(errors(result)).toEqual([]);
    expect(child(result, 'X1').involvements?.records).toEqual([
      { type, start: '2025-01-01', end: '2025-02-02' },
    ]);
  });

  it.each([
    [
      "Child's Legal Status",
      'C1: ICO',
      [{ type: 'care-proceedings', start: '2024-03-01', end: null }],
    ],
    ['Legal status', 'C1', [{ type: 'care-proceedings', start: '2024-03-01', end: null }]],
    ['Current Legal Status', 'c2: FCO', []],
  ])('reads the legal status column %s', (heading, value, legal) => {
    const result = sheets({
      name: 'List 8',
      rows: [
        ['Child Unique ID', 'Date Started to be Looked After', 'Legal status start date', heading],
        ['X1', '01/01/2024', '01/03/2024', value],
      ],
    });
    expect(child(result, 'X1').legal).toEqual({ from: '2024-03-01', records: legal });
  });

  it('reports every bad row, the last one too, with its sheet, row and column', () => {
    const result = sheets(
      {
        name: 'List 7',
        rows: [
          ['Child Unique ID', 'Child Protection Plan Start Date', 'Child Protection Plan End Date'],
          ['', '01/01/2025', ''],
          ['P2', '01/02/2025', '01/01/2025'],
          [],
          ['P3', '31/06/2024', ''],
        ],
      },
      {
        name: 'List 8',
        rows: [
          [
            'Child Unique ID',
            'Date Started to be Looked After',
            'Placement Type',
            'Start Date of Most Recent Placement',
          ],
          ['Q1', '01/01/2025', 'zz) Q9: Somewhere new', '01/02/2025'],
          ['Q2', '', 'U4', ''],
        ],
      },
    );
    expect(result.problems.map((p) => [p.severity, p.sheet, p.row, p.column, p.message])).toEqual([
      [
        'error',
        'List 7',
        2,
        'Child Unique ID',
        "'Child Unique ID' is blank: every row must name its child.",
      ],
      [
        'error',
        'List 7',
        3,
        'Child Protection Plan End Date',
        "'Child Protection Plan End Date' (01/01/2025) is before 'Child Protection Plan Start Date' (01/02/2025).",
      ],
      [
        'error',
        'List 7',
        5,
        'Child Protection Plan Start Date',
        "'Child Protection Plan Start Date': '31/06/2024' is not a real date (June 2024 has 30 days).",
      ],
      [
        'warning',
        'List 8',
        2,
        'Placement Type',
        "Unknown placement type 'zz) Q9: Somewhere new': treated as 'other'.",
      ],
      [
        'error',
        'List 8',
        3,
        'Date Started to be Looked After',
        "'Date Started to be Looked After' is blank.",
      ],
    ]);
    expectLocatedErrors(result);
  });

  it('rejects a sheet named as a list without its headings, a list given twice, and a workbook with no list', () => {
    const result = sheets(
      { name: 'List 6', rows: [['Name', 'Address']] },
      {
        name: 'CIN',
        rows: [
          ['Child Unique ID', 'CIN Start Date'],
          ['A', '01/01/2025'],
        ],
      },
      {
        name: 'CIN (2)',
        rows: [
          ['Child Unique ID', 'CIN Start Date'],
          ['B', '01/01/2025'],
        ],
      },
    );
    expect(errors(result).map((e) => [e.sheet, e.message.slice(0, 50)])).toEqual([
      ['List 6', 'This sheet is named like an Annex A list, but none'],
      ['CIN (2)', 'This sheet is another List 6 (Children in need); t'],
    ]);
    expect(errors(sheets({ name: 'Sheet1', rows: [['Hello']] }))[0]?.message).toMatch(
      /^No sheet of this workbook is an Annex A list/,
    );
    expect(errors(parseAnnexASheets('a.xlsx', [], { asOf: '2025-02-30' }))[0]?.message).toBe(
      "The date the lists were produced '2025-02-30' is not a real date (February 2025 has 28 days).",
    );
  });

  it('takes codes out of their labels', () => {
    expect(annexACode('f) U6: Foster placement - not FFA')).toBe('U6');
    expect(annexACode('C2: FCO')).toBe('C2');
    expect(annexACode('e) PR4 - Private provision')).toBe('PR4');
    expect(annexACode('zz) T4: Temporary')).toBe('T4');
    expect(annexACode('u4')).toBe('U4');
    expect(annexACode('Z11')).toBe('Z11');
  });
});

describe('Annex A workbooks', () => {
  it('reads an .xlsx workbook written by Excel tooling, formulas and rich text included', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('List 7');
    sheet.addRow([
      'Child Unique ID',
      'Child Protection Plan Start Date',
      'Child Protection Plan End Date',
      'Allocated Team',
      'Allocated Worker',
    ]);
    sheet.addRow([
      12345,
      utc('2025-01-06'),
      null,
      { richText: [{ text: 'Team ' }, { text: 'B' }] },
      'Hal Hill',
    ]);
    sheet.addRow([
      67890,
      utc('2025-01-06'),
      { formula: 'B3+30', result: utc('2025-02-05') },
      'Team B',
      'Ivy Ives',
    ]);
    const content = new Uint8Array(await workbook.xlsx.writeBuffer());
    const result = await parseAnnexA({ name: 'annex-a.xlsx', content }, { asOf: AS_OF });
    expect(result.problems).toEqual([]);
    expect(child(result, '12345')).toMatchObject({
      involvements: { records: [{ type: 'cp', start: '2025-01-06', end: null }] },
      openOn: { allocation: { worker: { name: 'Hal Hill' }, teamKey: 'name:team b' } },
    });
    expect(child(result, '67890').involvements?.records).toEqual([
      { type: 'cp', start: '2025-01-06', end: '2025-02-05' },
    ]);
  });

  it('says when the file is not a workbook', async () => {
    const result = await parseAnnexA(
      { name: 'annex-a.csv', content: new TextEncoder().encode('Child Unique ID\n1\n') },
      { asOf: AS_OF },
    );
    expect(errors(result)[0]?.message).toMatch(/could not be read as an Excel workbook/);
  });
});

describe('Annex A sample file', () => {
  it('reads the LIIA sample: 33 children, no errors, #N/A allocations reported', async () => {
    const [file] = samples('annex_a_xlsx__');
    const result = await parseAnnexA(
      { name: file ?? '', content: readFileSync(join(SAMPLES_DIR, file ?? '')) },
      { asOf: '2021-03-31' },
    );
    expect(errors(result)).toEqual([]);
    expect(result.batch.children.size).toBe(33);
    expect(warnings(result).map((w) => [w.sheet, w.message])).toEqual([
      ['List 2', expect.stringMatching(/^List 2 has no column for the date early help ended/)],
      [
        'List 6',
        "'Allocated Worker' holds #N/A in rows 2, 3, 4, 5 and 6: treated as blank (no allocated worker).",
      ],
      [
        'List 6',
        "'Allocated Team' holds #N/A in rows 2, 3, 4, 5 and 6: treated as blank (no allocated team).",
      ],
    ]);
    expect(child(result, '1761444')).toMatchObject({
      dateOfBirth: '2002-02-13',
      involvements: { records: [{ type: 'cla', start: '2009-08-06', end: null }] },
      placements: {
        records: [{ type: 'foster', start: '2009-11-02', end: null, stableFrom: null }],
      },
      legal: { from: '2010-07-12', records: [] },
      openOn: {
        allocation: { worker: { name: 'Eugene Swift' }, teamKey: 'name:children in care team 1' },
      },
    });
    expect(child(result, '7961370').openOn).toEqual({
      date: '2021-03-31',
      involvements: ['care-leaver'],
      allocation: { worker: { name: 'Jae Vang' }, teamKey: 'name:care leavers team' },
    });
  });
});
