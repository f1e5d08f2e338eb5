import {
  generateDemoOrganisation,
  type DemoOrganisation,
} from '../../../src/demo/demo-organisation.js';
import {
  parseIsoDate,
  parseOffset,
  toIsoDate,
  WorkingDayCalendar,
} from '../../../src/domain/dates/index.js';
import { toExtract } from '../../../src/domain/organisation/to-extract.js';
import { computeSchedule } from '../../../src/domain/scheduling/engine.js';
import { applyOverride } from '../../../src/domain/scheduling/override.js';
import type { Db } from '../../../src/db/database.js';
import { loadPreset } from '../../../src/policies/index.js';
import { TODAY } from './server.js';

/**
 * What the pages should show, read from the server's database and worked out afresh by the
 * engine from the demo organisation as generated (not from the database), so that a page, the
 * stored row and the engine must all agree.
 */

export async function personIdOf(db: Db, email: string): Promise<string> {
  const account = await db
    .selectFrom('accounts')
    .select('person_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  if (account.person_id === null) throw new Error(`${email} has no place in the structure`);
  return account.person_id;
}

export async function teamOf(db: Db, personId: string): Promise<string> {
  const person = await db
    .selectFrom('people')
    .select('team_id')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  if (person.team_id === null) throw new Error(`${personId} is in no team`);
  return person.team_id;
}

/** A team of another service than the given team's. */
export async function teamInAnotherService(db: Db, teamId: string): Promise<string> {
  const team = await db
    .selectFrom('teams')
    .select('service_id')
    .where('id', '=', teamId)
    .executeTakeFirstOrThrow();
  const other = await db
    .selectFrom('teams')
    .select('id')
    .where('service_id', '!=', team.service_id ?? '')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return other.id;
}

/** A child whose case sits in another team than the given one (so not the worker's own). */
export async function childInAnotherTeam(db: Db, teamId: string): Promise<string> {
  const row = await db
    .selectFrom('subject_scope')
    .select('subject_id')
    .where('subject_kind', '=', 'child')
    .where('team_id', 'is not', null)
    .where('team_id', '!=', teamId)
    .orderBy('subject_id')
    .executeTakeFirstOrThrow();
  return row.subject_id;
}

/** The stored clock of a subject's requirement (not a milestone), as the pages read it. */
export async function storedClock(
  db: Db,
  kind: 'child' | 'worker' | 'fosterCarer',
  id: string,
  requirement: string,
) {
  return db
    .selectFrom('due_results')
    .selectAll()
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .where('requirement', '=', requirement)
    .where('period_start', '=', '')
    .executeTakeFirstOrThrow();
}

/** How many clocks the directorate's list holds for an involvement, across everyone. */
export async function countWithInvolvement(db: Db, involvement: string): Promise<number> {
  const row = await db
    .selectFrom('due_results')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('period_start', '=', '')
    .where('involvements', 'like', `%,${involvement},%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function nameOfTeam(db: Db, teamId: string): Promise<string> {
  const team = await db
    .selectFrom('teams')
    .select('name')
    .where('id', '=', teamId)
    .executeTakeFirstOrThrow();
  return team.name ?? teamId;
}

export async function nameOfPerson(db: Db, personId: string): Promise<string> {
  const person = await db
    .selectFrom('people')
    .select('name')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return person.name ?? personId;
}

let demo: DemoOrganisation | undefined;

function demoOrganisation(): DemoOrganisation {
  demo ??= generateDemoOrganisation({ today: TODAY });
  return demo;
}

/** The engine's case-supervision clock for a child of the demo organisation, on TODAY. */
export function engineCaseSupervision(childId: string) {
  const organisation = demoOrganisation();
  const child = organisation.snapshot.children.find((c) => c.id === childId);
  if (child === undefined) throw new Error(`No child ${childId} in the demo organisation`);
  const policy = loadPreset(organisation.policyId);
  const schedule = computeSchedule(
    policy,
    toExtract({
      ...organisation.snapshot,
      people: [],
      fosterCarers: [],
      teams: [],
      children: [child],
    }),
    parseIsoDate(TODAY),
  );
  const result = schedule.results.find(
    (r) => r.requirement === 'case-supervision' && r.periodStart === undefined,
  );
  if (result === undefined) throw new Error(`The engine gives ${childId} no case supervision`);
  const events = child.events
    .filter((e) => e.kind === 'case-supervision' || e.kind === 'group-supervision')
    .map((e) => parseIsoDate(e.date));
  return {
    status: result.status,
    due: toIsoDate(result.due),
    latest: toIsoDate(result.latest),
    reason: result.reason,
    /** The dates with a tightening override "every `every` from TODAY until `until`". */
    withOverride(every: string, until: string) {
      const offset = parseOffset(every);
      if (typeof offset === 'string') throw new Error(offset);
      const dates = applyOverride(
        result,
        {
          every: offset,
          starts: parseIsoDate(TODAY),
          until: parseIsoDate(until),
          direction: 'tighten',
          reason: '',
        },
        events,
        parseIsoDate(TODAY),
        new WorkingDayCalendar(policy.closureDays),
      );
      return { status: dates.status, due: toIsoDate(dates.due), latest: toIsoDate(dates.latest) };
    },
  };
}
