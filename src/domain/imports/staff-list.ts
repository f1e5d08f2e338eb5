import { csvRecords, isBlankRecord } from './csv.js';
import { BAD_DATE, describeBadDate, isoOf, NO_DATE, readDate } from './dates.js';
import { HeadingIndex, normaliseName, type FieldHeadings } from './headings.js';
import { Problems, quote } from './problems.js';
import { roleOfJobTitle } from './staff-roles.js';
import type { NamedSource } from './text-source.js';
import { emptyBatch, type ImportedPerson, type ImportResult, type PersonRef } from './types.js';

/**
 * A staff list: one row per person, as an HR or workforce system exports it. There is no
 * standard, so columns are known by the headings below (normalised: case, punctuation and
 * spacing ignored), in any order. A person's id is the first of: a staff id column, the Social
 * Work England registration number (what an SSDA903 SW_ID holds, so that looked-after children's
 * social worker episodes find their worker), the email address.
 */

export type StaffField =
  | 'id'
  | 'sweNumber'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'jobTitle'
  | 'team'
  | 'teamId'
  | 'lineManager'
  | 'lineManagerId'
  | 'lineManagerEmail'
  | 'start'
  | 'end'
  | 'probationEnd'
  | 'earlyCareer'
  | 'earlyCareerStart'
  | 'earlyCareerEnd';

export const STAFF_HEADINGS: readonly FieldHeadings<StaffField>[] = [
  {
    field: 'id',
    headings: [
      'Staff ID',
      'Staff Number',
      'Staff No',
      'Employee ID',
      'Employee Number',
      'Employee No',
      'Payroll Number',
      'Payroll ID',
      'Person ID',
      'Worker ID',
      'User ID',
      'ID',
    ],
  },
  {
    field: 'sweNumber',
    headings: [
      'Social Work England Number',
      'Social Work England Registration Number',
      'SWE Number',
      'SWE Registration Number',
      'SWE ID',
      'SW ID',
      'SW_ID',
      'Registration Number',
    ],
    also: /\b(social work england|swe)\b/,
  },
  { field: 'name', headings: ['Name', 'Full Name', 'Staff Name', 'Employee Name', 'Worker Name'] },
  { field: 'firstName', headings: ['First Name', 'Forename', 'Forenames', 'Given Name'] },
  { field: 'lastName', headings: ['Last Name', 'Surname', 'Family Name'] },
  {
    field: 'email',
    headings: ['Email', 'Email Address', 'Work Email', 'E-mail'],
    also: /\be ?mail\b/,
  },
  {
    field: 'jobTitle',
    headings: ['Job Title', 'Role', 'Position', 'Post', 'Post Title', 'Job Role', 'Designation'],
    also: /\b(job|post|position)\b/,
  },
  { field: 'team', headings: ['Team', 'Team Name'] },
  { field: 'teamId', headings: ['Team ID', 'Team Code'] },
  {
    field: 'lineManager',
    headings: [
      'Line Manager',
      'Line Manager Name',
      'Manager',
      'Manager Name',
      'Supervisor',
      'Reports To',
    ],
  },
  {
    field: 'lineManagerId',
    headings: [
      'Line Manager ID',
      'Line Manager Staff ID',
      'Line Manager Number',
      'Manager ID',
      'Manager Staff Number',
      'Supervisor ID',
    ],
  },
  {
    field: 'lineManagerEmail',
    headings: ['Line Manager Email', 'Manager Email', 'Supervisor Email'],
  },
  {
    field: 'start',
    headings: [
      'Start Date',
      'Start',
      'Date Started',
      'Employment Start Date',
      'Date Joined',
      'Joined',
      'Date of Appointment',
      'Appointment Date',
    ],
    also: /\bstart/,
  },
  {
    field: 'end',
    headings: [
      'End Date',
      'End',
      'Leaving Date',
      'Leave Date',
      'Date Left',
      'Termination Date',
      'Left',
    ],
    also: /\b(leav|left|termination)/,
  },
  {
    field: 'probationEnd',
    headings: ['Probation End', 'Probation End Date', 'Probation Ends', 'End of Probation'],
    also: /\bprobation\b/,
  },
  {
    field: 'earlyCareer',
    headings: [
      'ASYE',
      'NQSW',
      'Early Career',
      'Early Career Programme',
      'Early Career Framework',
      'ASYE/NQSW',
      'On ASYE',
    ],
  },
  {
    field: 'earlyCareerStart',
    headings: [
      'ASYE Start',
      'ASYE Start Date',
      'NQSW Start',
      'NQSW Start Date',
      'Early Career Start',
      'Early Career Start Date',
      'Early Career Programme Start',
    ],
    also: /\b(asye|nqsw|early career)\b.*\bstart/,
  },
  {
    field: 'earlyCareerEnd',
    headings: [
      'ASYE End',
      'ASYE End Date',
      'ASYE Completed',
      'ASYE Completion Date',
      'NQSW End',
      'NQSW End Date',
      'Early Career End',
      'Early Career End Date',
      'Early Career Programme End',
    ],
    also: /\b(asye|nqsw|early career)\b.*\b(end|complet)/,
  },
];

const INDEX = new HeadingIndex(STAFF_HEADINGS);
const SPACES = /[\s\u00a0]+/g;
const YES = new Set(['yes', 'y', 'true', '1', 'asye', 'nqsw']);
const NO = new Set(['no', 'n', 'false', '0', '']);

interface Row {
  row: number;
  person: ImportedPerson;
  managerId: string;
  managerEmail: string;
  managerName: string;
}

export async function parseStaffList(file: NamedSource): Promise<ImportResult> {
  const problems = new Problems(file.name);
  const batch = emptyBatch('staff-list');
  const rows: Row[] = [];
  let columns: Partial<Record<StaffField, number>> = {};
  let written: Partial<Record<StaffField, string>> = {};
  let idField: StaffField = 'id';
  let rowNumber = 0;
  const byId = new Map<string, number>();
  const byEmail = new Map<string, number>();

  const text = (cells: readonly string[], field: StaffField) => {
    const index = columns[field];
    return index === undefined ? '' : (cells[index] ?? '').replace(SPACES, ' ').trim();
  };
  const column = (field: StaffField) => written[field] ?? field;
  const date = (cells: readonly string[], field: StaffField, row: number) => {
    const value = text(cells, field);
    const day = readDate(value);
    if (day === BAD_DATE)
      problems.error(`${quote(column(field))}: ${describeBadDate(value)}.`, {
        row,
        column: column(field),
      });
    return day;
  };

  for await (const cells of csvRecords(file.content, problems, { guessDelimiter: true })) {
    rowNumber++;
    if (rowNumber === 1) {
      const match = INDEX.match(cells);
      columns = match.columns;
      written = match.written;
      const fatal: string[] = [];
      if (columns.id !== undefined) idField = 'id';
      else if (columns.sweNumber !== undefined) idField = 'sweNumber';
      else if (columns.email !== undefined) idField = 'email';
      else fatal.push('a staff id (or Social Work England number, or email) column');
      if (columns.jobTitle === undefined) fatal.push('a job title column');
      if (columns.start === undefined) fatal.push('a start date column');
      if (fatal.length > 0) {
        problems.error(
          `The staff list has no ${fatal.join(', no ')}. Oversight needs each person's id, job title (for their role) and start date (when their supervision began).`,
          { row: 1 },
        );
        break;
      }
      if (match.unknown.length > 0)
        problems.warning(
          `${match.unknown.length === 1 ? 'Column' : 'Columns'} ${match.unknown.map(quote).join(', ')} ${match.unknown.length === 1 ? 'is' : 'are'} not one Oversight reads: ignored.`,
          { row: 1 },
        );
      continue;
    }
    if (isBlankRecord(cells)) continue;
    const row = rowNumber;
    const id = text(cells, idField);
    if (id === '') {
      problems.error(`${quote(column(idField))} is blank: every person needs an id.`, {
        row,
        column: column(idField),
      });
      continue;
    }
    const earlier = byId.get(id);
    if (earlier !== undefined) {
      problems.error(`Id ${quote(id)} is also on row ${earlier}: each person must appear once.`, {
        row,
        column: column(idField),
      });
      continue;
    }
    byId.set(id, row);

    const person: ImportedPerson = { id };
    let ok = true;
    // Name.
    if (columns.name !== undefined) person.name = text(cells, 'name') || null;
    else if (columns.firstName !== undefined || columns.lastName !== undefined)
      person.name =
        [text(cells, 'firstName'), text(cells, 'lastName')].filter((s) => s !== '').join(' ') ||
        null;
    // Email.
    if (columns.email !== undefined) {
      const email = text(cells, 'email').toLowerCase();
      person.email = email || null;
      if (email !== '') {
        const other = byEmail.get(email);
        if (other !== undefined) {
          problems.error(
            `Email ${quote(email)} is also on row ${other}: each person needs their own.`,
            {
              row,
              column: column('email'),
            },
          );
          ok = false;
        } else byEmail.set(email, row);
      }
    }
    // Role.
    const title = text(cells, 'jobTitle');
    const { role, known } = roleOfJobTitle(title);
    person.role = role;
    if (!known)
      problems.warning(
        title === ''
          ? "The job title is blank: role recorded as 'other'."
          : `Job title ${quote(title)} is not one Oversight recognises: role recorded as 'other'.`,
        { row, column: column('jobTitle') },
      );
    // Team.
    if (columns.teamId !== undefined || columns.team !== undefined) {
      const teamId = text(cells, 'teamId');
      const teamName = text(cells, 'team');
      if (teamId === '' && teamName === '') person.teamKey = null;
      else {
        const key = teamId !== '' ? `id:${teamId}` : `name:${normaliseName(teamName)}`;
        person.teamKey = key;
        if (!batch.teams.has(key))
          batch.teams.set(key, { key, id: teamId || null, name: teamName || null, start: null });
      }
    }
    // Dates.
    const start = date(cells, 'start', row);
    if (start === NO_DATE) {
      problems.error(
        `${quote(column('start'))} is blank: Oversight needs the date each person started.`,
        {
          row,
          column: column('start'),
        },
      );
      ok = false;
    }
    const end = date(cells, 'end', row);
    const probationEnd = date(cells, 'probationEnd', row);
    const ecStart = date(cells, 'earlyCareerStart', row);
    const ecEnd = date(cells, 'earlyCareerEnd', row);
    if ([start, end, probationEnd, ecStart, ecEnd].includes(BAD_DATE)) ok = false;
    if (ok && end !== NO_DATE && end < start) {
      problems.error(`${quote(column('end'))} is before ${quote(column('start'))}.`, {
        row,
        column: column('end'),
      });
      ok = false;
    }
    if (!ok) continue;
    person.start = isoOf(start);
    if (columns.end !== undefined) person.end = end === NO_DATE ? null : isoOf(end);
    if (columns.probationEnd !== undefined)
      person.probationEnd = probationEnd === NO_DATE ? null : isoOf(probationEnd);

    // Early career programme (NQSW / ASYE).
    if (
      columns.earlyCareer !== undefined ||
      columns.earlyCareerStart !== undefined ||
      columns.earlyCareerEnd !== undefined
    ) {
      const flag = normaliseName(text(cells, 'earlyCareer'));
      const onProgramme =
        ecStart !== NO_DATE || ecEnd !== NO_DATE || (flag !== '' && !NO.has(flag));
      if (flag !== '' && !YES.has(flag) && !NO.has(flag))
        problems.warning(
          `${quote(column('earlyCareer'))} holds ${quote(text(cells, 'earlyCareer'))}, not yes or no: taken as yes.`,
          { row, column: column('earlyCareer') },
        );
      if (!onProgramme) person.earlyCareer = null;
      else {
        let programmeStart = ecStart;
        if (programmeStart === NO_DATE) {
          programmeStart = start;
          problems.warning(
            'On the early career programme with no start date for it: taken to start on the start date.',
            {
              row,
              column: column(
                columns.earlyCareerStart !== undefined ? 'earlyCareerStart' : 'earlyCareer',
              ),
            },
          );
        }
        if (ecEnd !== NO_DATE && ecEnd < programmeStart) {
          problems.error('The early career programme ends before it starts.', {
            row,
            column: column('earlyCareerEnd'),
          });
          continue;
        }
        person.earlyCareer = {
          start: isoOf(programmeStart),
          end: ecEnd === NO_DATE ? null : isoOf(ecEnd),
        };
      }
    }

    rows.push({
      row,
      person,
      managerId: text(cells, 'lineManagerId'),
      managerEmail: text(cells, 'lineManagerEmail').toLowerCase(),
      managerName: text(cells, 'lineManager'),
    });
  }
  if (rowNumber === 0 && !problems.hasErrors) problems.error('The file is empty.');

  // Line managers: people in this file first (by id, email, then name); anyone else is looked
  // for among the organisation's people when the batch is merged.
  const names = new Map<string, string[]>();
  for (const { person } of rows) {
    if (person.name === undefined || person.name === null) continue;
    const key = normaliseName(person.name);
    names.set(key, [...(names.get(key) ?? []), person.id]);
  }
  const emails = new Map(
    rows.flatMap(({ person }) => (person.email ? [[person.email, person.id] as const] : [])),
  );
  const hasManagerColumn =
    columns.lineManager !== undefined ||
    columns.lineManagerId !== undefined ||
    columns.lineManagerEmail !== undefined;
  for (const { row, person, managerId, managerEmail, managerName } of rows) {
    if (hasManagerColumn) {
      let ref: PersonRef | null = null;
      if (managerId !== '') ref = { id: managerId };
      else if (managerEmail !== '') {
        const id = emails.get(managerEmail);
        ref = id !== undefined ? { id } : { email: managerEmail };
      } else if (managerName !== '') {
        // A manager column may hold a name, a staff id or an email address.
        const ids = names.get(normaliseName(managerName)) ?? [];
        const byEmailToo = emails.get(managerName.toLowerCase());
        if (byId.has(managerName)) ref = { id: managerName };
        else if (byEmailToo !== undefined) ref = { id: byEmailToo };
        else if (ids.length === 1 && ids[0] !== undefined) ref = { id: ids[0] };
        else if (ids.length > 1) {
          problems.warning(
            `Line manager ${quote(managerName)} could be any of ${ids.length} people with that name in the file: left blank. Give line managers by id to avoid this.`,
            { row, column: written.lineManager ?? 'lineManager' },
          );
        } else
          ref = managerName.includes('@')
            ? { email: managerName.toLowerCase() }
            : { id: managerName, name: managerName };
      }
      if (ref?.id === person.id) {
        problems.warning('A person cannot be their own line manager: left blank.', {
          row,
          column: written.lineManager ?? written.lineManagerId ?? 'lineManager',
        });
        ref = null;
      }
      person.lineManager = ref;
    }
    batch.people.set(person.id, person);
    // A team named only here starts with its first member.
    if (person.teamKey !== undefined && person.teamKey !== null && person.start !== undefined) {
      const team = batch.teams.get(person.teamKey);
      if (team !== undefined && (team.start === null || person.start < team.start))
        team.start = person.start;
    }
  }
  return { batch, problems: problems.list };
}
