import { describe, expect, it } from 'vitest';
import {
  parseStaffList,
  roleOfJobTitle,
  type ImportResult,
} from '../../src/domain/imports/index.js';
import { csv, errors, expectLocatedErrors, warnings } from './support.js';

const parse = (...lines: string[]): Promise<ImportResult> =>
  parseStaffList({ name: 'staff.csv', content: csv(...lines) });

describe('job titles to roles', () => {
  it.each([
    ['Social Worker', 'social-worker', true],
    ['Senior Social Worker', 'social-worker', true],
    ['Social Worker (ASYE)', 'social-worker', true],
    ['NQSW', 'social-worker', true],
    ['Supervising Social Worker - Fostering', 'social-worker', true],
    ['Advanced Practitioner', 'advanced-practitioner', true],
    ['Senior Practitioner', 'advanced-practitioner', true],
    ['Consultant Social Worker', 'advanced-practitioner', true],
    ['Principal Social Worker', 'advanced-practitioner', true],
    ['Team Manager', 'team-manager', true],
    ['Social Work Team Manager', 'team-manager', true],
    ['Deputy Team Manager', 'team-manager', true],
    ['Practice Supervisor', 'team-manager', true],
    ['Registered Manager (Children’s Home)', 'team-manager', true],
    ['Service Manager', 'service-manager', true],
    ['Group Manager, Safeguarding', 'service-manager', true],
    ['Head of Service - Children in Care', 'head-of-service', true],
    ['Head of Year 9', 'school-staff', true],
    ['Designated Safeguarding Lead', 'school-staff', true],
    ['Assistant Director', 'assistant-director', true],
    ['Deputy Director, Children’s Social Care', 'assistant-director', true],
    ['Director of Children’s Services', 'director', true],
    ['Family Support Worker', 'family-support-worker', true],
    ['Early Help Practitioner', 'family-support-worker', true],
    ['Social Work Assistant', 'family-support-worker', true],
    ['Contact Supervisor', 'family-support-worker', true],
    ['Residential Support Worker', 'residential-worker', true],
    ['Residential Care Worker', 'residential-worker', true],
    ['Independent Reviewing Officer', 'iro', true],
    ['IRO', 'iro', true],
    ['Child Protection Chair', 'iro', true],
    ['Personal Adviser', 'other', true],
    ['Business Support Officer', 'other', true],
    ['team-manager', 'team-manager', true],
    ['Chief Cook', 'other', false],
    ['', 'other', false],
  ])('%s → %s', (title, role, known) => {
    expect(roleOfJobTitle(title)).toEqual({ role, known });
  });
});

describe('staff list CSV', () => {
  it('reads people, roles, teams, line managers, dates and the early career programme', async () => {
    const result = await parse(
      'Employee Number,First Name,Surname,Email Address,Job Title,Team,Line Manager,Start Date,Leaving Date,Probation End Date,ASYE,ASYE Start Date',
      'E1,Ann,Lee,Ann.Lee@council.gov.uk,Team Manager,Locality 1,Hal Hill,01/01/2020,,,No,',
      'E2,Bo,Ray,bo.ray@council.gov.uk,Social Worker (ASYE),Locality 1,Ann Lee,01/09/2025,,01/03/2026,Yes,08/09/2025',
      'E3,Cy,Cole,,Senior Social Worker,locality 1 ,E1,2019-04-01,2025-01-31,,,',
      'E4,Di,Dent,di@council.gov.uk,Chief Cook,,,15/05/2024,,,,',
    );
    expect(errors(result)).toEqual([]);
    expect(warnings(result).map((w) => [w.row, w.column, w.message])).toEqual([
      [
        5,
        'Job Title',
        "Job title 'Chief Cook' is not one Oversight recognises: role recorded as 'other'.",
      ],
    ]);
    const people = result.batch.people;
    expect(people.get('E1')).toEqual({
      id: 'E1',
      name: 'Ann Lee',
      email: 'ann.lee@council.gov.uk',
      role: 'team-manager',
      teamKey: 'name:locality 1',
      start: '2020-01-01',
      end: null,
      probationEnd: null,
      earlyCareer: null,
      // Not in the file: looked for among the organisation's people on merging.
      lineManager: { id: 'Hal Hill', name: 'Hal Hill' },
    });
    expect(people.get('E2')).toMatchObject({
      role: 'social-worker',
      lineManager: { id: 'E1' },
      probationEnd: '2026-03-01',
      earlyCareer: { start: '2025-09-08', end: null },
    });
    expect(people.get('E3')).toMatchObject({
      lineManager: { id: 'E1' },
      end: '2025-01-31',
      teamKey: 'name:locality 1',
    });
    expect(people.get('E4')).toMatchObject({ role: 'other', teamKey: null, lineManager: null });
    // A team named only in the file starts with its first member.
    expect([...result.batch.teams.values()]).toEqual([
      { key: 'name:locality 1', id: null, name: 'Locality 1', start: '2019-04-01' },
    ]);
  });

  it('uses the Social Work England number as the id when there is no staff id', async () => {
    const result = await parse(
      'SWE Number,Name,Role,Start',
      'SW123456,Eve Ek,Social Worker,01/02/2024',
    );
    expect([...result.batch.people.keys()]).toEqual(['SW123456']);
  });

  it('reports every bad row, the last too, with row and column', async () => {
    const result = await parse(
      'Staff ID,Name,Email,Job Title,Start Date,End Date',
      'S1,One,one@x.uk,Social Worker,01/01/2024,',
      ',Two,two@x.uk,Social Worker,01/01/2024,',
      'S1,Three,three@x.uk,Social Worker,01/01/2024,',
      'S4,Four,one@x.uk,Social Worker,01/01/2024,',
      'S5,Five,five@x.uk,Social Worker,,',
      'S6,Six,six@x.uk,Social Worker,01/01/2024,31/12/2023',
      'S7,Seven,seven@x.uk,Social Worker,30/02/2024,',
    );
    expect(errors(result).map((e) => [e.row, e.column, e.message])).toEqual([
      [3, 'Staff ID', "'Staff ID' is blank: every person needs an id."],
      [4, 'Staff ID', "Id 'S1' is also on row 2: each person must appear once."],
      [5, 'Email', "Email 'one@x.uk' is also on row 2: each person needs their own."],
      [6, 'Start Date', "'Start Date' is blank: Oversight needs the date each person started."],
      [7, 'End Date', "'End Date' is before 'Start Date'."],
      [
        8,
        'Start Date',
        "'Start Date': '30/02/2024' is not a real date (February 2024 has 29 days).",
      ],
    ]);
    expectLocatedErrors(result);
    expect([...result.batch.people.keys()]).toEqual(['S1']);
  });

  it('names the columns a staff list must have', async () => {
    const result = await parse('Name,Team', 'One,A');
    expect(errors(result)).toEqual([
      expect.objectContaining({
        row: 1,
        message:
          "The staff list has no a staff id (or Social Work England number, or email) column, no a job title column, no a start date column. Oversight needs each person's id, job title (for their role) and start date (when their supervision began).",
      }),
    ]);
  });

  it('reads semicolon-separated files, and warns about ambiguous line managers and unknown columns', async () => {
    const result = await parseStaffList({
      name: 'staff.csv',
      content: csv(
        'ID;Name;Post;Start;Manager;Shoe size',
        'A;Sam Smith;Team Manager;01/01/2020;;9',
        'B;Sam Smith;Team Manager;01/01/2020;;8',
        'C;Jo Jones;Social Worker;01/01/2021;Sam Smith;7',
        'D;Kim Kay;Social Worker;01/01/2021;Kim Kay;7',
      ),
    });
    expect(warnings(result).map((w) => [w.row, w.message])).toEqual([
      [1, "Column 'Shoe size' is not one Oversight reads: ignored."],
      [
        4,
        "Line manager 'Sam Smith' could be any of 2 people with that name in the file: left blank. Give line managers by id to avoid this.",
      ],
      [5, 'A person cannot be their own line manager: left blank.'],
    ]);
    expect(result.batch.people.get('C')?.lineManager).toBeNull();
  });
});
