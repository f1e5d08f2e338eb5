import type { Clock } from '../../clock.js';
import {
  carersSupervisedBy,
  childrenAllocatedTo,
  insertPerson,
  pageOfPeople,
  peopleDirectory,
  personEmailTaken,
  personExists,
  serviceExists,
  updatePerson,
  type PersonListRow,
  type PersonValues,
} from '../../db/admin.repository.js';
import type { Db } from '../../db/database.js';
import { recordHandover } from '../../db/handovers.repository.js';
import { listServices, readPeople } from '../../db/organisation.repository.js';
import { findTeam, listTeams, type TeamSummary } from '../../db/structure.repository.js';
import type { PersonRecord } from '../../domain/organisation/snapshot.js';
import { NotFoundError } from '../../domain/errors.js';
import { displayName } from '../oversight/labels.js';
import { done, type Outcome, type Problem } from './form-fields.js';
import { recomputeTouched } from './keep-current.js';

/** People: their place in the structure, line management, and the dates the policy reads. */

export const PEOPLE_PAGE_SIZE = 50;

export interface PeoplePage {
  rows: PersonListRow[];
  total: number;
  page: number;
  pages: number;
}

export class PeopleService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async page(filter: { teamId?: string }, page: number): Promise<PeoplePage> {
    const at = (n: number) =>
      pageOfPeople(this.db, filter, (n - 1) * PEOPLE_PAGE_SIZE, PEOPLE_PAGE_SIZE);
    let result = await at(page);
    const pages = Math.max(1, Math.ceil(result.total / PEOPLE_PAGE_SIZE));
    // A page beyond the last (a stale link after people left): show the last one.
    const current = Math.min(page, pages);
    if (current !== page) result = await at(current);
    return { rows: result.rows, total: result.total, page: current, pages };
  }

  teams(): Promise<TeamSummary[]> {
    return listTeams(this.db);
  }

  async options(exceptId: string | null) {
    return {
      teams: await listTeams(this.db),
      services: await listServices(this.db),
      managers: (await peopleDirectory(this.db)).filter((p) => p.id !== exceptId),
    };
  }

  async person(id: string): Promise<PersonRecord> {
    const [person] = await readPeople(this.db, [id]);
    if (person === undefined) throw new NotFoundError('person');
    return person;
  }

  async addPerson(id: string, person: PersonValues): Promise<Outcome<string>> {
    const problems = await this.check(id, person, true);
    if (problems.length > 0) return { ok: false, problems };
    const today = this.clock.today();
    await this.db.transaction().execute(async (trx) => {
      await insertPerson(trx, id, person);
      await recomputeTouched(trx, today, { worker: [id] });
    });
    return done(id);
  }

  async updatePerson(id: string, person: PersonValues): Promise<Outcome> {
    const before = await this.person(id);
    const problems = await this.check(id, person, false);
    if (problems.length > 0) return { ok: false, problems };
    const today = this.clock.today();
    await this.db.transaction().execute(async (trx) => {
      await updatePerson(trx, id, person);
      // Their children and foster carers are filed under their team: they move with them.
      const moved = before.teamId !== person.teamId || before.serviceId !== person.serviceId;
      await recomputeTouched(trx, today, {
        worker: [id],
        ...(moved && {
          child: await childrenAllocatedTo(trx, id),
          fosterCarer: await carersSupervisedBy(trx, id),
        }),
      });
      // A new supervisor gets a handover of what is open (docs/recording.md, Handovers), in the
      // same transaction as the change, so that no change of line manager goes without one.
      if (person.lineManagerId !== null && person.lineManagerId !== before.lineManagerId)
        await recordHandover(
          trx,
          {
            superviseeId: id,
            fromSupervisorId: before.lineManagerId,
            toSupervisorId: person.lineManagerId,
          },
          today,
          this.clock.now().toISOString(),
        );
    });
    return done();
  }

  private async check(id: string, person: PersonValues, isNew: boolean): Promise<Problem[]> {
    const problems: Problem[] = [];
    if (isNew && (await personExists(this.db, id)))
      problems.push({ field: 'id', message: `There is already a person with the code ${id}` });
    if (person.email !== null && (await personEmailTaken(this.db, person.email, id)))
      problems.push({
        field: 'email',
        message: 'Someone else already has this email address',
      });
    const team = person.teamId === null ? undefined : await findTeam(this.db, person.teamId);
    if (person.teamId !== null && team === undefined)
      problems.push({ field: 'teamId', message: 'Select a team from the list' });
    if (person.serviceId !== null) {
      if (!(await serviceExists(this.db, person.serviceId)))
        problems.push({ field: 'serviceId', message: 'Select a service from the list' });
      else if (team !== undefined && team.serviceId !== person.serviceId)
        problems.push({
          field: 'serviceId',
          message: `Leave the service empty for someone in a team: they are in their team’s service${team.serviceName ? ` (${team.serviceName})` : ''}`,
        });
    }
    if (person.lineManagerId !== null) {
      const problem = await this.managementProblem(id, person);
      if (problem !== null) problems.push({ field: 'lineManagerId', message: problem });
    }
    return problems;
  }

  /** A line manager must exist, not be the person, and not be managed by them (no cycles). */
  private async managementProblem(id: string, person: PersonValues): Promise<string | null> {
    const directory = await peopleDirectory(this.db);
    const byId = new Map(directory.map((p) => [p.id, p]));
    const managerId = person.lineManagerId;
    if (managerId === null) return null;
    const manager = byId.get(managerId);
    if (manager === undefined) return 'Select a line manager from the list';
    if (managerId === id) return 'A person cannot be their own line manager';
    const seen = new Set<string>();
    let step: string | null = manager.lineManagerId;
    let direct = true;
    while (step !== null && !seen.has(step)) {
      if (step === id) {
        const managerName = displayName(manager.name, 'worker', manager.id);
        const personName = person.name;
        return `${managerName} is line managed by ${personName}${direct ? '' : ' (through others)'}, so cannot also be their line manager`;
      }
      seen.add(step);
      direct = false;
      step = byId.get(step)?.lineManagerId ?? null;
    }
    return null;
  }
}
