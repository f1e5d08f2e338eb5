import type { Clock } from '../../clock.js';
import {
  insertService,
  insertTeam,
  listServicesWithTeams,
  renameService,
  serviceExists,
  serviceNameTaken,
  subjectsOfTeam,
  teamExists,
  updateTeam,
  type ServiceListRow,
  type TeamValues,
} from '../../db/admin.repository.js';
import type { Db } from '../../db/database.js';
import { listServices } from '../../db/organisation.repository.js';
import {
  findService,
  findTeam,
  listTeams,
  type TeamSummary,
} from '../../db/structure.repository.js';
import { NotFoundError } from '../../domain/errors.js';
import { done, refuse, type Outcome } from './form-fields.js';
import { recomputeTouched } from './keep-current.js';

/** Services and teams: the top of the structure that due dates are filed under. */

/** "Children in Care" → "svc-children-in-care": a service's id, made from its first name. */
export function serviceCode(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  return `svc-${slug || 'service'}`;
}

export class StructureService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  listServices(): Promise<ServiceListRow[]> {
    return listServicesWithTeams(this.db);
  }

  async service(id: string): Promise<{ id: string; name: string | null }> {
    const service = await findService(this.db, id);
    if (service === undefined) throw new NotFoundError('service');
    return service;
  }

  async addService(change: { name: string }): Promise<Outcome<string>> {
    if (await serviceNameTaken(this.db, change.name, null))
      return refuse('name', `There is already a service called ${change.name}`);
    const base = serviceCode(change.name);
    let id = base;
    for (let n = 2; await serviceExists(this.db, id); n++) id = `${base}-${String(n)}`;
    await insertService(this.db, { id, name: change.name });
    return done(id);
  }

  async renameService(id: string, change: { name: string }): Promise<Outcome> {
    await this.service(id);
    if (await serviceNameTaken(this.db, change.name, id))
      return refuse('name', `There is already a service called ${change.name}`);
    await renameService(this.db, id, change.name);
    return done();
  }

  listTeams(): Promise<TeamSummary[]> {
    return listTeams(this.db);
  }

  serviceOptions(): Promise<{ id: string; name: string | null }[]> {
    return listServices(this.db);
  }

  async team(id: string): Promise<TeamSummary> {
    const team = await findTeam(this.db, id);
    if (team === undefined) throw new NotFoundError('team');
    return team;
  }

  async addTeam(id: string, team: TeamValues): Promise<Outcome<string>> {
    if (await teamExists(this.db, id))
      return refuse('id', `There is already a team with the code ${id}`);
    if (team.serviceId === null || !(await serviceExists(this.db, team.serviceId)))
      return refuse('serviceId', 'Select the service the team is in');
    const today = this.clock.today();
    await this.db.transaction().execute(async (trx) => {
      await insertTeam(trx, id, team);
      await recomputeTouched(trx, today, { team: [id] });
    });
    return done(id);
  }

  async updateTeam(id: string, team: TeamValues): Promise<Outcome> {
    const before = await this.team(id);
    if (team.serviceId === null || !(await serviceExists(this.db, team.serviceId)))
      return refuse('serviceId', 'Select the service the team is in');
    const today = this.clock.today();
    await this.db.transaction().execute(async (trx) => {
      await updateTeam(trx, id, team);
      // Everyone filed under the team moves with it to its new service.
      const moved = before.serviceId !== team.serviceId ? await subjectsOfTeam(trx, id) : null;
      await recomputeTouched(trx, today, {
        team: [id],
        ...(moved && {
          worker: moved.workers,
          child: moved.children,
          fosterCarer: moved.fosterCarers,
        }),
      });
    });
    return done();
  }
}
