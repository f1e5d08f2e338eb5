import { describe, expect, it } from 'vitest';
import {
  emptyBatch,
  mergeBatch,
  parseSsda903Csv,
  type ImportBatch,
  type ImportedChild,
  type ImportSourceKind,
} from '../../src/domain/imports/index.js';
import {
  EMPTY_SNAPSHOT,
  type ChildRecord,
  type OrganisationSnapshot,
  type PersonRecord,
  type TeamRecord,
} from '../../src/domain/organisation/snapshot.js';
import { csv } from './support.js';

const team = (id: string, name: string): TeamRecord => ({
  id,
  name,
  serviceId: null,
  groupSupervision: false,
  start: '2020-01-01',
  end: null,
  events: [],
});

const person = (id: string, name: string, more: Partial<PersonRecord> = {}): PersonRecord => ({
  id,
  name,
  email: null,
  role: 'social-worker',
  teamId: 'T1',
  serviceId: null,
  lineManagerId: null,
  start: '2020-01-01',
  end: null,
  probationEnd: null,
  earlyCareer: null,
  events: [],
  ...more,
});

const childRecord = (id: string, more: Partial<ChildRecord> = {}): ChildRecord => ({
  id,
  name: null,
  dateOfBirth: null,
  involvements: [],
  placements: [],
  legal: [],
  risk: [],
  allocations: [],
  events: [],
  ...more,
});

function snapshot(part: Partial<OrganisationSnapshot>): OrganisationSnapshot {
  return { ...EMPTY_SNAPSHOT, teams: [team('T1', 'Locality 1')], ...part };
}

function batch(
  source: ImportSourceKind,
  children: ImportedChild[],
  more: Partial<ImportBatch> = {},
): ImportBatch {
  const b = emptyBatch(source);
  for (const c of children) b.children.set(c.id, c);
  return { ...b, ...more };
}

const child = (s: OrganisationSnapshot, id: string) => s.children.find((c) => c.id === id);

describe('mergeBatch', () => {
  const before = snapshot({
    people: [person('SW1', 'Ann Lee'), person('SW2', 'Bo Ray')],
    children: [
      childRecord('C1', {
        name: 'Kept name',
        involvements: [
          { type: 'cin', start: '2023-01-01', end: null },
          { type: 'cla', start: '2018-01-01', end: '2019-01-01' },
          { type: 'cla', start: '2023-06-01', end: null },
        ],
        placements: [{ type: 'foster', start: '2023-06-01', end: null, stableFrom: '2023-12-01' }],
        legal: [
          { type: 'pre-proceedings', start: '2023-03-01', end: '2023-05-01' },
          { type: 'care-proceedings', start: '2023-05-01', end: null },
        ],
        risk: [{ level: 'low', from: '2023-07-01' }],
        events: [{ date: '2023-07-01', kind: 'case-supervision' }],
      }),
      childRecord('C9'),
    ],
  });

  it('replaces the records of the batch’s kinds from the time the source covers, and nothing else', async () => {
    // This year's return: the child was already looked after, with the same carers, when the
    // year began; no interim care order any more; a social worker since April.
    const parsed = await parseSsda903Csv([
      {
        name: 'episodes.csv',
        content: csv(
          'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
          'C1,01/04/2024,L,C2,N1,U4,PR1,,,,,,',
          'C2,01/05/2024,S,V2,N1,K2,PR4,,,,,,',
        ),
      },
      {
        name: 'sw.csv',
        content: csv(
          'CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON',
          'C1,,SW2,01/04/2024,,FCONTA',
          'C2,,SW7,01/05/2024,,FCONTA',
        ),
      },
    ]);
    const { snapshot: after, summary } = mergeBatch(before, parsed.batch);
    expect(child(after, 'C1')).toEqual({
      ...child(before, 'C1'),
      involvements: [
        { type: 'cin', start: '2023-01-01', end: null },
        { type: 'cla', start: '2018-01-01', end: '2019-01-01' },
        // Continued from before the file: the start is kept.
        { type: 'cla', start: '2023-06-01', end: null },
      ],
      // The same placement, with the stableFrom a manager set.
      placements: [{ type: 'foster', start: '2023-06-01', end: null, stableFrom: '2023-12-01' }],
      legal: [
        { type: 'pre-proceedings', start: '2023-03-01', end: '2023-05-01' },
        // Ended some time before the file begins: kept up to the day it begins.
        { type: 'care-proceedings', start: '2023-05-01', end: '2024-04-01' },
      ],
      allocations: [{ start: '2024-04-01', end: null, workerId: 'SW2', teamId: null }],
    });
    expect(child(after, 'C2')).toEqual(
      childRecord('C2', {
        involvements: [{ type: 'cla', start: '2024-05-01', end: null }],
        placements: [{ type: 'residential', start: '2024-05-01', end: null, stableFrom: null }],
        // SW7 is nobody the organisation knows: no dangling reference.
        allocations: [{ start: '2024-05-01', end: null, workerId: null, teamId: null }],
      }),
    );
    expect(summary).toEqual({
      source: 'ssda903',
      children: { added: 1, changed: 1, closed: 0, unchanged: 0, notInFile: 1 },
      workers: { added: 0, changed: 0, closed: 0, unchanged: 0, notInFile: 2 },
      teams: { added: 0, changed: 0, closed: 0, unchanged: 0, notInFile: 1 },
      unmatched: { workers: ['SW7'], teams: [] },
      conflicts: [],
    });

    const again = mergeBatch(after, parsed.batch);
    expect(again.snapshot).toEqual(after);
    expect(again.summary.children).toEqual({
      added: 0,
      changed: 0,
      closed: 0,
      unchanged: 2,
      notInFile: 1,
    });
  });

  it('counts a child whose open involvement the batch ends as closed', () => {
    const result = mergeBatch(
      before,
      batch(
        'cin-census',
        [
          {
            id: 'C1',
            involvements: {
              from: '2023-01-01',
              records: [{ type: 'cin', start: '2023-01-01', end: '2024-02-01' }],
            },
          },
        ],
        {
          covers: {
            involvementTypes: ['cin', 'assessment', 'cp'],
            legalTypes: ['pre-proceedings'],
          },
        },
      ),
    );
    expect(result.summary.children).toEqual({
      added: 0,
      changed: 0,
      closed: 1,
      unchanged: 0,
      notInFile: 1,
    });
    expect(child(result.snapshot, 'C1')?.involvements).toEqual([
      { type: 'cla', start: '2018-01-01', end: '2019-01-01' },
      { type: 'cla', start: '2023-06-01', end: null },
      { type: 'cin', start: '2023-01-01', end: '2024-02-01' },
    ]);
  });

  it('applies what a point-in-time list says: open involvements and the current allocation', () => {
    const start = snapshot({
      people: [person('SW1', 'Ann Lee'), person('SW2', 'Bo  RAY')],
      children: [
        childRecord('L1', {
          involvements: [{ type: 'care-leaver', start: '2024-01-01', end: null }],
          allocations: [{ start: '2024-01-01', end: null, workerId: 'SW1', teamId: 'T1' }],
        }),
      ],
    });
    const list = batch(
      'annex-a',
      [
        {
          id: 'L1',
          openOn: {
            date: '2025-03-31',
            involvements: ['care-leaver'],
            allocation: { worker: { name: 'Bo Ray' }, teamKey: 'name:leaving care' },
          },
        },
        {
          id: 'L2',
          openOn: {
            date: '2025-03-31',
            involvements: ['care-leaver'],
            allocation: { worker: { name: 'Nobody Known' }, teamKey: 'name:locality 1' },
          },
        },
      ],
      {
        teams: new Map([
          [
            'name:leaving care',
            { key: 'name:leaving care', id: null, name: 'Leaving Care', start: '2025-03-31' },
          ],
          [
            'name:locality 1',
            { key: 'name:locality 1', id: null, name: 'LOCALITY 1', start: '2025-03-31' },
          ],
        ]),
      },
    );
    const { snapshot: after, summary } = mergeBatch(start, list);
    expect(child(after, 'L1')?.involvements).toEqual([
      { type: 'care-leaver', start: '2024-01-01', end: null },
    ]);
    expect(child(after, 'L1')?.allocations).toEqual([
      { start: '2024-01-01', end: '2025-03-31', workerId: 'SW1', teamId: 'T1' },
      { start: '2025-03-31', end: null, workerId: 'SW2', teamId: 'leaving-care' },
    ]);
    expect(child(after, 'L2')).toMatchObject({
      involvements: [{ type: 'care-leaver', start: '2025-03-31', end: null }],
      allocations: [{ start: '2025-03-31', end: null, workerId: null, teamId: 'T1' }],
    });
    expect(after.teams.map((t) => [t.id, t.name, t.start])).toEqual([
      ['T1', 'Locality 1', '2020-01-01'],
      ['leaving-care', 'Leaving Care', '2025-03-31'],
    ]);
    expect(summary.teams).toEqual({ added: 1, changed: 0, closed: 0, unchanged: 1, notInFile: 0 });
    expect(summary.unmatched).toEqual({ workers: ['Nobody Known'], teams: [] });
    expect(mergeBatch(after, list).snapshot).toEqual(after);
  });

  it('merges a staff list: people matched by id, fields the file gives, line managers by name', () => {
    const start = snapshot({
      people: [
        person('P1', 'Hal Hill', { role: 'team-manager', email: 'hal@x.uk' }),
        person('P2', 'Ivy Ives', { email: 'ivy@x.uk' }),
      ],
    });
    const staff = batch('staff-list', [], {
      people: new Map([
        [
          'P2',
          {
            id: 'P2',
            role: 'advanced-practitioner',
            end: '2025-01-31',
            lineManager: { id: 'Hal Hill', name: 'Hal Hill' },
          },
        ],
        [
          'P3',
          {
            id: 'P3',
            name: 'Jo Jay',
            email: 'hal@x.uk',
            role: 'social-worker',
            teamKey: 'name:new team',
            start: '2025-02-01',
            earlyCareer: { start: '2025-02-01', end: null },
            lineManager: { id: 'P1' },
          },
        ],
      ]),
      teams: new Map([
        [
          'name:new team',
          { key: 'name:new team', id: null, name: 'New Team', start: '2025-02-01' },
        ],
      ]),
    });
    const { snapshot: after, summary } = mergeBatch(start, staff);
    expect(after.people.find((p) => p.id === 'P2')).toEqual(
      person('P2', 'Ivy Ives', {
        email: 'ivy@x.uk',
        role: 'advanced-practitioner',
        end: '2025-01-31',
        lineManagerId: 'P1',
      }),
    );
    expect(after.people.find((p) => p.id === 'P3')).toEqual(
      person('P3', 'Jo Jay', {
        email: null,
        teamId: 'new-team',
        start: '2025-02-01',
        earlyCareer: { start: '2025-02-01', end: null },
        lineManagerId: 'P1',
      }),
    );
    expect(summary.workers).toEqual({
      added: 1,
      changed: 0,
      closed: 1,
      unchanged: 0,
      notInFile: 1,
    });
    expect(summary.conflicts).toEqual(["Email hal@x.uk is already P1's: left blank for P3."]);
    expect(mergeBatch(after, staff).summary.workers).toEqual({
      added: 0,
      changed: 0,
      closed: 0,
      unchanged: 2,
      notInFile: 1,
    });
  });

  it('leaves the snapshot given to it untouched', () => {
    const frozen = structuredClone(before);
    mergeBatch(before, batch('ssda903', [{ id: 'C1', involvements: { from: null, records: [] } }]));
    expect(before).toEqual(frozen);
  });
});
