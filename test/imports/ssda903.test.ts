import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LEGAL_STATUS_CODES,
  legalStatusMapping,
  parseSsda903Csv,
  parseSsda903Xml,
  PLACE_CODE_LIST,
  placeMapping,
  type ImportResult,
} from '../../src/domain/imports/index.js';
import { LEGAL_TYPES, PLACEMENT_TYPES } from '../../src/domain/scheduling/vocabulary.js';
import {
  chunked,
  csv,
  errors,
  expectLocatedErrors,
  samples,
  SAMPLES_DIR,
  warnings,
} from './support.js';

const EPISODES_HEADING =
  'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const HEADER_HEADING = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';

/** An episodes row from its few fields that matter. */
function ep(
  child: string,
  decom: string,
  rne: string,
  ls: string,
  place: string,
  dec = '',
  rec = '',
  plPost = 'CD2 2BB',
): string {
  return `${child},${decom},${rne},${ls},N1,${place},PR1,${dec},${rec},,AB1 1AA,${plPost},SC123456`;
}

async function episodes(...rows: string[]): Promise<ImportResult> {
  return parseSsda903Csv([{ name: 'episodes.csv', content: csv(EPISODES_HEADING, ...rows) }]);
}

function child(result: ImportResult, id: string) {
  const found = result.batch.children.get(id);
  if (found === undefined) throw new Error(`no child ${id}`);
  return {
    cla: found.involvements?.records,
    placements: found.placements?.records,
    legal: found.legal?.records,
    allocations: found.allocations?.records,
    dateOfBirth: found.dateOfBirth,
    from: found.involvements?.from,
  };
}

// Every PLACE code the DfE accepted in any collection year from 2022-23 to 2026-27
// (shared/data-standards/README.md §2.4, V903 rule 146 per year), written out here rather
// than taken from the table under test.
const PLACE_CODES_BY_YEAR: Record<string, string[]> = {
  '2022-23':
    'A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1'.split(' '),
  '2023-24':
    'A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1'.split(' '),
  '2024-25':
    'A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1'.split(
      ' ',
    ),
  '2025-26':
    'A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14'.split(
      ' ',
    ),
  '2026-27':
    'A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14'.split(
      ' ',
    ),
};
const ALL_PLACE_CODES = [...new Set(Object.values(PLACE_CODES_BY_YEAR).flat())];

describe('SSDA903 code tables', () => {
  it.each(ALL_PLACE_CODES)('maps PLACE %s to a placement type', (code) => {
    const mapping = placeMapping(code);
    expect(mapping, code).toBeDefined();
    expect(PLACEMENT_TYPES).toContain(mapping?.type);
  });

  it('holds no code beyond those of the collection years, and every one of them', () => {
    expect([...PLACE_CODE_LIST].sort()).toEqual([...ALL_PLACE_CODES].sort());
  });

  it('maps the codes as docs/imports.md says', () => {
    const byType = (type: string) => PLACE_CODE_LIST.filter((c) => placeMapping(c)?.type === type);
    expect(byType('foster')).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6']);
    expect(byType('adoption')).toEqual(['A3', 'A4', 'A5', 'A6']);
    expect(byType('with-parents')).toEqual(['P1']);
    expect(byType('residential').sort()).toEqual(['K1', 'K2', 'R1', 'R2', 'R3', 'S1']);
    expect(byType('other').sort()).toEqual(
      [
        'H5',
        'K3',
        'P2',
        'P3',
        'R5',
        'T0',
        'T1',
        'T2',
        'T3',
        'T4',
        'Z1',
        'Z11',
        'Z12',
        'Z13',
        'Z14',
      ].sort(),
    );
    expect(PLACE_CODE_LIST.filter((c) => placeMapping(c)?.temporary === true)).toEqual([
      'T0',
      'T1',
      'T2',
      'T3',
      'T4',
    ]);
  });

  it('maps every legal status, and only an interim care order to care proceedings', () => {
    const codes = 'C1 C2 D1 E1 V2 V3 V4 L1 L2 L3 J1 J2 J3'.split(' ');
    expect(Object.keys(LEGAL_STATUS_CODES).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const type = legalStatusMapping(code)?.type;
      expect(type === null || LEGAL_TYPES.includes(type as never), code).toBe(true);
    }
    expect(codes.filter((c) => legalStatusMapping(c)?.type === 'care-proceedings')).toEqual(['C1']);
  });

  it('knows nothing of names that happen to be object properties', () => {
    expect(placeMapping('constructor')).toBeUndefined();
    expect(legalStatusMapping('__proto__')).toBeUndefined();
  });

  it('reads a file with every PLACE code of every year without a warning about PLACE', async () => {
    const rows = ALL_PLACE_CODES.map((code, i) =>
      ep(`K${i}`, '01/04/2025', 'S', 'C2', code, '', ''),
    );
    const result = await episodes(...rows);
    expect(errors(result)).toEqual([]);
    expect(warnings(result).filter((w) => w.column === 'PLACE')).toEqual([]);
    expect(child(result, 'K0').placements).toEqual([
      { type: 'adoption', start: '2025-04-01', end: null, stableFrom: null },
    ]);
  });
});

describe('SSDA903 episodes to periods', () => {
  it('makes one looked-after period of contiguous episodes, with placements and care proceedings', async () => {
    const result = await episodes(
      ep('C1', '01/04/2024', 'S', 'V2', 'U6', '10/05/2024', 'X1'),
      // Legal status changes (interim care order), placement the same.
      ep('C1', '10/05/2024', 'L', 'C1', 'U6', '01/06/2024', 'X1'),
      // A week in hospital, then back to the same carers.
      ep('C1', '01/06/2024', 'P', 'C1', 'T1', '05/06/2024', 'X1', ''),
      ep('C1', '05/06/2024', 'P', 'C1', 'U6', '01/09/2024', 'X1'),
      // Full care order and a move to a children's home; then the child goes home.
      ep('C1', '01/09/2024', 'B', 'C2', 'K2', '20/12/2024', 'E4A', 'EF3 3CC'),
      // Back into care the same day: a new period of care.
      ep('C1', '20/12/2024', 'S', 'V2', 'P1', '', '', ''),
    );
    expect(result.problems).toEqual([]);
    expect(child(result, 'C1')).toEqual({
      cla: [
        { type: 'cla', start: '2024-04-01', end: '2024-12-20' },
        { type: 'cla', start: '2024-12-20', end: null },
      ],
      placements: [
        { type: 'foster', start: '2024-04-01', end: '2024-09-01', stableFrom: null },
        { type: 'residential', start: '2024-09-01', end: '2024-12-20', stableFrom: null },
        { type: 'with-parents', start: '2024-12-20', end: null, stableFrom: null },
      ],
      legal: [{ type: 'care-proceedings', start: '2024-05-10', end: '2024-09-01' }],
      allocations: undefined,
      dateOfBirth: undefined,
      from: '2024-04-01',
    });
  });

  it('reads rows in any order', async () => {
    const result = await episodes(
      ep('C1', '10/05/2024', 'P', 'V2', 'U4'),
      ep('C2', '01/01/2024', 'S', 'V2', 'U4'),
      ep('C1', '01/04/2024', 'S', 'V2', 'U6', '10/05/2024', 'X1'),
    );
    expect(child(result, 'C1').cla).toEqual([{ type: 'cla', start: '2024-04-01', end: null }]);
    expect(child(result, 'C1').placements?.map((p) => p.start)).toEqual([
      '2024-04-01',
      '2024-05-10',
    ]);
  });

  it('marks what the first episode shows was already under way (RNE other than S)', async () => {
    const result = await episodes(
      ep('P', '15/01/2024', 'P', 'C1', 'U4'),
      ep('L', '15/01/2024', 'L', 'C1', 'U4'),
      ep('S', '15/01/2024', 'S', 'C1', 'U4'),
    );
    // A new carer: the period and the legal status were already under way.
    expect(child(result, 'P').cla).toEqual([
      { type: 'cla', start: '2024-01-15', end: null, continues: true },
    ]);
    expect(child(result, 'P').placements?.[0]?.continues).toBeUndefined();
    expect(child(result, 'P').legal?.[0]?.continues).toBe(true);
    // A change of legal status only: the placement was under way, the order is new.
    expect(child(result, 'L').placements?.[0]?.continues).toBe(true);
    expect(child(result, 'L').legal?.[0]?.continues).toBeUndefined();
    // Started to be looked after: nothing before.
    expect(child(result, 'S').cla?.[0]?.continues).toBeUndefined();
  });

  it('ends a period at a gap, warning when REC X1 promised a next episode that day', async () => {
    const result = await episodes(
      ep('C3', '01/01/2024', 'S', 'V2', 'U1', '01/02/2024', 'X1'),
      ep('C3', '10/02/2024', 'S', 'V2', 'U1'),
    );
    expect(child(result, 'C3').cla).toEqual([
      { type: 'cla', start: '2024-01-01', end: '2024-02-01' },
      { type: 'cla', start: '2024-02-10', end: null },
    ]);
    expect(warnings(result).map((w) => [w.row, w.column, w.message.slice(0, 6)])).toEqual([
      [3, 'DECOM', 'REC X1'],
    ]);
  });

  it('keeps a period going when an episode follows a REC that left care without RNE S, saying so', async () => {
    const result = await episodes(
      ep('C5', '01/01/2024', 'S', 'V2', 'U6', '01/02/2024', 'E8'),
      ep('C5', '01/02/2024', 'P', 'V2', 'U4'),
    );
    expect(child(result, 'C5').cla).toEqual([{ type: 'cla', start: '2024-01-01', end: null }]);
    expect(warnings(result).map((w) => [w.row, w.column])).toEqual([[3, 'RNE']]);
    expect(warnings(result)[0]?.message).toContain("REC 'E8'");
  });

  it('leaves out short breaks (V3, V4), with one warning for the file', async () => {
    const result = await episodes(
      ep('C4', '01/03/2024', 'S', 'V3', 'R1', '03/03/2024', 'E8'),
      ep('C4', '10/03/2024', 'S', 'V4', 'R1', '12/03/2024', 'E8'),
      ep('C6', '10/03/2024', 'S', 'V2', 'U4'),
    );
    expect(child(result, 'C4')).toMatchObject({ cla: [], placements: [], legal: [] });
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        row: 2,
        message:
          "2 short-break episodes (legal status V3 or V4) of 1 child were not imported as looked-after periods: short breaks are not supervised as looked-after children (record them as 'cwd-review').",
      }),
    ]);
  });

  it('keeps the same placement when only the carers’ arrangement changes (RNE T, U)', async () => {
    const result = await episodes(
      ep('C7', '01/01/2024', 'S', 'V2', 'U6', '01/03/2024', 'X1'),
      // Same carers, now long-term: the same placement.
      ep('C7', '01/03/2024', 'T', 'V2', 'U4', '01/05/2024', 'X1'),
      // Same carers adopt: a new kind of placement.
      ep('C7', '01/05/2024', 'T', 'E1', 'A3'),
    );
    expect(child(result, 'C7').placements).toEqual([
      { type: 'foster', start: '2024-01-01', end: '2024-05-01', stableFrom: null },
      { type: 'adoption', start: '2024-05-01', end: null, stableFrom: null },
    ]);
  });

  it('warns about unknown codes and says what it assumed', async () => {
    const result = await episodes(ep('C8', '01/01/2024', 'Z', 'Q1', 'Q9', '02/02/2024', 'E99'));
    expect(errors(result)).toEqual([]);
    expect(warnings(result).map((w) => [w.row, w.column, w.message])).toEqual([
      [2, 'LS', "Unknown LS code 'Q1': no legal period was recorded for this episode."],
      [2, 'PLACE', "Unknown PLACE code 'Q9': treated as 'other'."],
      [2, 'RNE', "Unknown RNE code 'Z': treated as P (a change of placement and carer)."],
      [2, 'REC', "Unknown REC code 'E99': treated as the child leaving care."],
    ]);
    expect(child(result, 'C8').placements).toEqual([
      { type: 'other', start: '2024-01-01', end: '2024-02-02', stableFrom: null },
    ]);
  });

  it('rejects overlapping episodes of a child, naming both rows', async () => {
    const result = await episodes(
      ep('C9', '01/01/2024', 'S', 'V2', 'U6', '01/03/2024', 'X1'),
      ep('C9', '15/02/2024', 'P', 'V2', 'U4'),
      ep('C9', '01/04/2024', 'P', 'V2', 'U4'),
      ep('C10', '01/01/2024', 'S', 'V2', 'U6'),
      ep('C10', '01/04/2024', 'P', 'V2', 'U4'),
    );
    expect(errors(result).map((e) => [e.row, e.column, e.message])).toEqual([
      [
        3,
        'DECOM',
        "Child 'C9': this episode starts on 15/02/2024, before the episode starting 01/01/2024 (row 2) ended on 01/03/2024. A child's episodes must not overlap.",
      ],
      [
        6,
        'DECOM',
        "Child 'C10': this episode starts on 01/04/2024 while the episode starting 01/01/2024 (row 5) has no end date (DEC). A child's episodes must not overlap.",
      ],
    ]);
  });
});

describe('SSDA903 CSV files', () => {
  it('reads the header, episodes and social worker episodes together, in any column order', async () => {
    const result = await parseSsda903Csv([
      {
        name: 'header.csv',
        content: csv(
          HEADER_HEADING,
          'A1,1,14/03/2012,WBRI,A123456789012,,',
          'B2,2,01/01/2010,WBRI,,,',
        ),
      },
      {
        name: 'sw.csv',
        content: `\uFEFF${csv('SW_REASON,SW_DEC,SW_DECOM,SW_ID,DOB,CHILD', 'FCONTA,01/06/2024,01/04/2024,sw111,14/03/2012,A1', 'LEFTRL,,01/06/2024,SW222,14/03/2012,A1')}`,
      },
      {
        name: 'episodes.csv',
        content: chunked(csv(EPISODES_HEADING, ep('A1', '01/04/2024', 'S', 'C1', 'U4'))),
      },
    ]);
    expect(errors(result)).toEqual([]);
    expect(child(result, 'A1')).toMatchObject({
      dateOfBirth: '2012-03-14',
      allocations: [
        { start: '2024-04-01', end: '2024-06-01', worker: { id: 'SW111' }, teamKey: null },
        { start: '2024-06-01', end: null, worker: { id: 'SW222' }, teamKey: null },
      ],
    });
    expect(result.batch.children.has('B2')).toBe(false);
    expect(warnings(result)).toEqual([
      expect.objectContaining({
        file: 'header.csv',
        message:
          '1 child has a header but no episodes or social worker episodes, so nothing was imported for that child.',
      }),
    ]);
    expect(result.batch.covers).toEqual({
      involvementTypes: ['cla'],
      legalTypes: ['care-proceedings'],
    });
  });

  it('reports an impossible date in the last row with its row and column', async () => {
    const result = await episodes(
      ep('C1', '01/04/2024', 'S', 'V2', 'U6'),
      ep('C2', '31/02/2024', 'S', 'V2', 'U6'),
    );
    expect(errors(result)).toEqual([
      {
        severity: 'error',
        file: 'episodes.csv',
        row: 3,
        column: 'DECOM',
        message: "DECOM '31/02/2024' is not a real date (February 2024 has 29 days).",
      },
    ]);
  });

  it('reports every bad row, not just the first', async () => {
    const result = await episodes(
      ep('', '01/04/2024', 'S', 'V2', 'U6'),
      ep('C2', '01/04/24', 'S', 'V2', 'U6'),
      ep('C3', '01/04/2024', 'S', 'V2', 'U6', '01/03/2024', 'E8'),
      ep('C4', '', 'S', 'V2', 'U6'),
      ep('C5', '2024-13-01', 'S', 'V2', 'U6'),
    );
    expect(errors(result).map((e) => [e.row, e.column, e.message])).toEqual([
      [2, 'CHILD', 'CHILD is blank: every episode must name its child.'],
      [3, 'DECOM', "DECOM '01/04/24' has a two-digit year: write the date as DD/MM/YYYY."],
      [4, 'DEC', "DEC (the episode's end, 01/03/2024) is before DECOM (its start, 01/04/2024)."],
      [5, 'DECOM', 'DECOM (the date the episode started) is blank.'],
      [6, 'DECOM', "DECOM '2024-13-01' is not a real date (there is no month 13)."],
    ]);
    expectLocatedErrors(result);
  });

  it('knows tables by their columns, and rejects a file that is none of them', async () => {
    const result = await parseSsda903Csv([
      { name: 'mystery.csv', content: csv('ID,START,END', '1,01/01/2024,') },
      {
        name: 'reviews.csv',
        content: csv('CHILD,DOB,REVIEW,REVIEW_CODE', 'A1,01/01/2010,nonsense,PN1'),
      },
      {
        name: 'episodes.csv',
        content: csv(EPISODES_HEADING, ep('A1', '01/04/2024', 'S', 'V2', 'U6')),
      },
      {
        name: 'episodes-again.csv',
        content: csv(EPISODES_HEADING, ep('A1', '01/04/2024', 'S', 'V2', 'U6')),
      },
    ]);
    expect(errors(result).map((e) => [e.file, e.row, e.message.slice(0, 40)])).toEqual([
      ['mystery.csv', 1, 'The columns of this file (ID, START, END'],
      ['episodes-again.csv', 1, 'This is a second Episodes file (the firs'],
    ]);
    expect(result.batch.children.size).toBe(1);
  });

  it('says which columns Oversight needs when an episodes file lacks them', async () => {
    const result = await parseSsda903Csv([
      { name: 'episodes.csv', content: csv('CHILD,DECOM,LS,PLACE', 'A1,01/04/2024,V2,U6') },
    ]);
    expect(errors(result)[0]?.message).toBe(
      'This Episodes file has no RNE, DEC, REC columns, which Oversight needs.',
    );
  });

  it('warns about columns that are not part of the table', async () => {
    const result = await parseSsda903Csv([
      {
        name: 'episodes.csv',
        content: csv(
          `${EPISODES_HEADING},LA,YEAR`,
          `${ep('A1', '01/04/2024', 'S', 'V2', 'U6')},201,2025`,
        ),
      },
    ]);
    expect(warnings(result).map((w) => w.message)).toEqual([
      "Columns 'LA', 'YEAR' are not part of the SSDA903 Episodes table: ignored.",
    ]);
  });

  it('refuses UTF-16 text and reads Windows-1252 with a warning', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x43, 0x00]);
    const result = await parseSsda903Csv([{ name: 'episodes.csv', content: utf16 }]);
    expect(errors(result)[0]?.message).toContain('UTF-16');

    const latin = new Uint8Array([
      ...new TextEncoder().encode(`${EPISODES_HEADING}\n`),
      ...new TextEncoder().encode(
        ep('Zo', '01/04/2024', 'S', 'V2', 'U6').replace('Zo', 'Zo\u0000'),
      ),
    ]).map((b) => (b === 0 ? 0xeb : b)); // "Zoë" in Windows-1252
    const read = await parseSsda903Csv([{ name: 'episodes.csv', content: latin }]);
    expect(errors(read)).toEqual([]);
    expect(warnings(read)[0]?.message).toContain('Windows-1252');
    expect(read.batch.children.has('Zoë')).toBe(true);
  });

  it('reports a quote that is never closed, in the last row', async () => {
    const result = await episodes(
      ep('A1', '01/04/2024', 'S', 'V2', 'U6'),
      '"A2,01/04/2024,S,V2,N1,U6,PR1,,,,,,',
    );
    expect(errors(result).map((e) => e.row)).toEqual([3]);
    expect(errors(result)[0]?.message).toContain('never closed');
  });

  it('reads ISO dates too', async () => {
    const result = await episodes(ep('A1', '2024-04-01', 'S', 'V2', 'U6', '2024-05-01', 'E8'));
    expect(child(result, 'A1').cla).toEqual([
      { type: 'cla', start: '2024-04-01', end: '2024-05-01' },
    ]);
  });
});

describe('SSDA903 XML', () => {
  it('reads children, episodes (PL), dates in either form and social worker episodes', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER><CHILDID>X1</CHILDID><DOB>01/05/2012</DOB><UASC /></HEADER>
    <EPISODE><DECOM>2024-04-01</DECOM><RNE>S</RNE><LS>C1</LS><CIN>N1</CIN><PL>U4</PL><DEC /><REC /></EPISODE>
    <SWEPISODES><SWEPISODE><SW_ID>SW123</SW_ID><SW_DECOM>01/04/2024</SW_DECOM><SW_DEC /><SW_REASON>FCONTA</SW_REASON></SWEPISODE></SWEPISODES>
  </CHILD>
  <CHILD>
    <HEADER><CHILDID>X2</CHILDID><DOB>30/02/2012</DOB></HEADER>
    <EPISODE><DECOM>01/04/2024</DECOM><RNE>S</RNE><LS>V2</LS><PL>Q7</PL><DEC>01/03/2024</DEC><REC>E8</REC></EPISODE>
  </CHILD>
</EXPSSDA903>`;
    const result = await parseSsda903Xml({ name: '903.xml', content: chunked(xml, 13) });
    expect(child(result, 'X1')).toMatchObject({
      dateOfBirth: '2012-05-01',
      cla: [{ type: 'cla', start: '2024-04-01', end: null }],
      placements: [{ type: 'foster', start: '2024-04-01', end: null, stableFrom: null }],
      legal: [{ type: 'care-proceedings', start: '2024-04-01', end: null }],
      allocations: [{ start: '2024-04-01', end: null, worker: { id: 'SW123' }, teamKey: null }],
    });
    expect(result.problems.map((p) => [p.severity, p.row, p.column, p.message])).toEqual([
      [
        'error',
        9,
        'DOB',
        "Child 'X2': DOB '30/02/2012' is not a real date (February 2012 has 29 days).",
      ],
      [
        'error',
        10,
        'DEC',
        "Child 'X2': DEC (the episode's end, 01/03/2024) is before DECOM (its start, 01/04/2024).",
      ],
      ['warning', 10, 'PL', "Child 'X2': Unknown PLACE code 'Q7': treated as 'other'."],
    ]);
  });

  it('reports XML that is not well formed, with its line', async () => {
    const result = await parseSsda903Xml({
      name: '903.xml',
      content: '<EXPSSDA903>\n<CHILD>\n<HEADER><CHILDID>X1</CHILDID></HEADER>\n</EXPSSDA903>',
    });
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 4,
        message:
          'The file is not well-formed XML, so it cannot be read past this line: unexpected close tag.',
      }),
    ]);
  });

  it('says when the file has no children', async () => {
    const result = await parseSsda903Xml({
      name: 'cin.xml',
      content: '<Message><Header/></Message>',
    });
    expect(errors(result)[0]?.message).toBe(
      'The file has no CHILD elements (its root element is <message>): is it an SSDA903 XML file?',
    );
  });
});

describe('SSDA903 sample files', () => {
  it('reads the CSV set: 2124 children, errors only for overlapping episodes, each with its row', async () => {
    const files = samples('ssda903_csv__');
    expect(files.length).toBe(12);
    const result = await parseSsda903Csv(
      files.map((f) => ({ name: f, content: createReadStream(join(SAMPLES_DIR, f)) })),
    );
    // 2123 children with episodes, and CHILD10 with only a social worker episode.
    expect(result.batch.children.size).toBe(2124);
    expectLocatedErrors(result);
    for (const e of errors(result)) {
      expect(e.file).toMatch(/episodes\.csv$/);
      expect(e.column).toBe('DECOM');
      expect(e.message).toMatch(/episodes must not overlap/);
    }
    // The first child of the file: a temporary placement (T2), then placed for adoption.
    expect(child(result, '566910')).toMatchObject({
      dateOfBirth: '2008-03-27',
      cla: [{ type: 'cla', start: '2016-02-15', end: null, continues: true }],
      placements: [
        { type: 'other', start: '2016-02-15', end: '2017-08-14' },
        { type: 'adoption', start: '2017-08-14', end: null },
      ],
    });
    // The social worker episode file: a byte-order mark and CRLF line ends.
    expect(child(result, 'CHILD10').allocations).toEqual([
      { start: '2020-01-01', end: '2020-01-03', worker: { id: 'SW999' }, teamKey: null },
    ]);
  });

  it('reads the XML sample: errors only for overlapping episodes', async () => {
    const [file] = samples('ssda903_xml__');
    const result = await parseSsda903Xml({
      name: file ?? '',
      content: createReadStream(join(SAMPLES_DIR, file ?? '')),
    });
    expect(result.batch.children.size).toBe(198);
    expectLocatedErrors(result);
    for (const e of errors(result)) expect(e.message).toMatch(/episodes must not overlap/);
    expect(child(result, '907440')).toEqual({
      cla: [{ type: 'cla', start: '2017-01-06', end: '2018-03-07', continues: true }],
      // A young offender institution (R5), then independent living (P2) with the same carer
      // (RNE T): both 'other', so one placement, already under way (RNE T) at the first episode.
      placements: [
        {
          type: 'other',
          start: '2017-01-06',
          end: '2018-03-07',
          stableFrom: null,
          continues: true,
        },
      ],
      legal: [],
      allocations: undefined,
      dateOfBirth: '2010-07-28',
      from: '2017-01-06',
    });
  });
});
