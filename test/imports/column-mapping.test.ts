import { describe, expect, it } from 'vitest';
import {
  applyMapping,
  MAPPING_FIELDS,
  validateMapping,
  type ColumnMapping,
} from '../../src/domain/imports/index.js';
import { csv, errors, expectLocatedErrors, warnings } from './support.js';

const apply = (mapping: ColumnMapping, ...lines: string[]) =>
  applyMapping({ name: 'cases.csv', content: csv(...lines) }, mapping);

describe('validateMapping', () => {
  it('accepts a complete mapping', () => {
    expect(
      validateMapping({
        target: 'involvements',
        columns: { childId: 'Person ID', type: 'Case Type', start: 'Opened' },
      }),
    ).toEqual([]);
  });

  it('says what is missing or wrong, all at once', () => {
    expect(
      validateMapping({
        target: 'involvements',
        columns: { childId: ' ', workerName: 'Worker' },
        values: { LAC: 'looked-after' },
      }),
    ).toEqual([
      "The column for 'childId' is blank.",
      "'workerName' is not a field of involvements.",
      'Choose the column that holds the involvement type.',
      'Choose the column that holds the start date.',
      "The value 'LAC': 'looked-after' is not one of early-help, assessment, cin, cp, cla, care-leaver, cwd-review.",
    ]);
    expect(
      validateMapping({ target: 'allocations', columns: { childId: 'ID', start: 'From' } }),
    ).toEqual(['Choose a column for the worker (id, email or name) or the team (id or name).']);
    expect(validateMapping({ target: 'events' as never, columns: {} })[0]).toMatch(
      /^'events' is not a kind of record/,
    );
  });

  it('lists the fields of each target for the mapping screen', () => {
    expect(MAPPING_FIELDS.involvements.filter((f) => f.required).map((f) => f.field)).toEqual([
      'childId',
      'type',
      'start',
    ]);
  });
});

describe('applyMapping', () => {
  it('makes involvements, reading the council’s own words for types', async () => {
    const result = await apply(
      {
        target: 'involvements',
        columns: {
          childId: 'Person ID',
          type: 'Case Type',
          start: 'Opened',
          end: 'Closed',
          dateOfBirth: 'DOB',
        },
        values: { 'Section 17': 'cin' },
      },
      'Person ID,Case Type,Opened,Closed,DOB',
      'P1,Child Protection Plan,01/02/2025,,14/03/2015',
      'P1,LAC,2024-01-01,2024-06-30,14/03/2015',
      'P2,section 17,05/05/2024,,',
      'P2,section 17,05/05/2024,,',
    );
    expect(result.problems).toEqual([]);
    expect(result.batch.source).toBe('mapped-csv');
    expect(result.batch.covers).toEqual({ involvementTypes: ['cp', 'cla', 'cin'], legalTypes: [] });
    expect(result.batch.children.get('P1')).toEqual({
      id: 'P1',
      dateOfBirth: '2015-03-14',
      involvements: {
        from: '2024-01-01',
        records: [
          { type: 'cp', start: '2025-02-01', end: null },
          { type: 'cla', start: '2024-01-01', end: '2024-06-30' },
        ],
      },
    });
    // The same row twice is one record.
    expect(result.batch.children.get('P2')?.involvements?.records).toEqual([
      { type: 'cin', start: '2024-05-05', end: null },
    ]);
  });

  it('makes placements from words or SSDA903 codes, and legal periods from LS codes', async () => {
    const placements = await apply(
      {
        target: 'placements',
        columns: { childId: 'ID', type: 'Placement', start: 'From', stableFrom: 'Stable' },
      },
      'ID,Placement,From,Stable',
      'A,U4,01/01/2025,01/04/2025',
      'A,Children’s home,01/05/2025,',
      'A,Tent,01/06/2025,',
    );
    expect(placements.batch.children.get('A')?.placements?.records).toEqual([
      { type: 'foster', start: '2025-01-01', end: null, stableFrom: '2025-04-01' },
      { type: 'residential', start: '2025-05-01', end: null, stableFrom: null },
      { type: 'other', start: '2025-06-01', end: null, stableFrom: null },
    ]);
    expect(warnings(placements).map((w) => [w.row, w.message])).toEqual([
      [4, "Unknown placement type 'Tent': treated as 'other'."],
    ]);

    const legal = await apply(
      { target: 'legal', columns: { childId: 'ID', type: 'Status', start: 'From', end: 'To' } },
      'ID,Status,From,To',
      'A,C1,01/01/2025,01/03/2025',
      'A,C2,01/03/2025,',
      'A,PLO,01/10/2024,01/01/2025',
    );
    expect(legal.batch.children.get('A')?.legal?.records).toEqual([
      { type: 'care-proceedings', start: '2025-01-01', end: '2025-03-01' },
      { type: 'pre-proceedings', start: '2024-10-01', end: '2025-01-01' },
    ]);
    expect(warnings(legal).map((w) => w.message)).toEqual([
      "This row was skipped: legal status 'C2' is not a legal period Oversight tracks.",
    ]);
    expect(legal.batch.covers.legalTypes).toEqual(['care-proceedings', 'pre-proceedings']);
  });

  it('makes allocations naming workers and teams by id, email or name', async () => {
    const result = await apply(
      {
        target: 'allocations',
        columns: {
          childId: 'Child',
          start: 'From',
          end: 'To',
          workerName: 'Worker',
          teamName: 'Team',
        },
      },
      'Child,From,To,Worker,Team',
      'A,01/01/2025,01/03/2025,Ann Lee,Locality 1',
      'A,01/03/2025,,Bo Ray,Locality 1',
    );
    expect(result.batch.children.get('A')?.allocations).toEqual({
      from: '2025-01-01',
      records: [
        {
          start: '2025-01-01',
          end: '2025-03-01',
          worker: { name: 'Ann Lee' },
          teamKey: 'name:locality 1',
        },
        { start: '2025-03-01', end: null, worker: { name: 'Bo Ray' }, teamKey: 'name:locality 1' },
      ],
    });
    expect([...result.batch.teams.values()]).toEqual([
      { key: 'name:locality 1', id: null, name: 'Locality 1', start: '2025-01-01' },
    ]);
  });

  it('uses a fixed type for a file of one kind, and replaces the types it is told to', async () => {
    const result = await apply(
      {
        target: 'involvements',
        columns: { childId: 'ID', start: 'Start' },
        fixedType: 'cp',
        replaces: ['cin'],
      },
      'ID,Start',
      'A,01/01/2025',
    );
    expect(result.batch.covers.involvementTypes).toEqual(['cp', 'cin']);
    expect(result.batch.children.get('A')?.involvements?.records).toEqual([
      { type: 'cp', start: '2025-01-01', end: null },
    ]);
  });

  it('reports every bad row, the last too, and headings the file lacks', async () => {
    const mapping: ColumnMapping = {
      target: 'involvements',
      columns: { childId: 'ID', type: 'Type', start: 'Start', end: 'End' },
    };
    const result = await apply(
      mapping,
      'ID,Type,Start,End',
      ',cin,01/01/2025,',
      'B,cin,,',
      'C,cin,01/02/2025,01/01/2025',
      'D,team meeting,01/01/2025,',
      'E,cp,2025-02-29,',
    );
    expect(errors(result).map((e) => [e.row, e.column, e.message])).toEqual([
      [2, 'ID', "'ID' is blank: every row must name its child."],
      [3, 'Start', "'Start' is blank."],
      [4, 'End', "'End' is before 'Start'."],
      [
        5,
        'Type',
        "'team meeting' is not an involvement type Oversight knows (early-help, assessment, cin, cp, cla, care-leaver, cwd-review): add it to the mapping's values.",
      ],
      [6, 'Start', "'Start': '2025-02-29' is not a real date (February 2025 has 28 days)."],
    ]);
    expectLocatedErrors(result);

    const missing = await apply(mapping, 'ID,Kind,Start', 'A,cin,01/01/2025');
    expect(errors(missing).map((e) => e.message)).toEqual([
      "The file has no 'Type', no 'End' columns, which the mapping uses. Check the mapping or the file's heading row.",
    ]);
  });

  it('refuses an invalid mapping before reading the file', async () => {
    const result = await apply({ target: 'placements', columns: { childId: 'ID' } }, 'ID', 'A');
    expect(errors(result).map((e) => e.message)).toEqual([
      'The column mapping: Choose the column that holds the placement type.',
      'The column mapping: Choose the column that holds the start date.',
    ]);
  });
});
