import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { parseIsoDate } from '../../domain/dates/index.js';
import { mayLoosen, mayTighten, type Scope, type Viewer } from '../../domain/access/viewer.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { Db, SubjectKindColumn } from '../../db/database.js';
import {
  dueForSubject,
  figuresBy,
  figuresByKind,
  listDue,
  percentOnTrack,
  warningsFor,
  type DueFilter,
  type DueRow,
  type Figures,
} from '../../db/due.repository.js';
import { readChildren, readFosterCarers } from '../../db/organisation.repository.js';
import { overridesFor, type OverrideRow } from '../../db/policy.repository.js';
import { overdueActionCounts } from '../../db/actions.repository.js';
import { maySee } from '../../db/scope.js';
import {
  eventHistory,
  findPerson,
  findService,
  findTeam,
  listPeople,
  listTeams,
  namesOf,
  type PersonSummary,
  type TeamSummary,
} from '../../db/structure.repository.js';
import { ensureCurrent } from '../../services/due.service.js';
import { loadPolicyVersion } from '../../services/policy.service.js';
import { DecisionRecordsService } from '../notes/decision-records.service.js';
import { NotesService } from '../notes/notes.service.js';

/**
 * What the oversight pages show: my work, a team, a service, the directorate, a child and a
 * worker. Every read goes through the viewer's scope; a record outside it is "not found", so a
 * guessed address tells nothing about whether it exists.
 */

export const PAGE_SIZE = 50;

export const listQuerySchema = z.object({
  status: z.enum(['overdue', 'due', 'on-track']).optional().catch(undefined),
  kind: z.enum(['child', 'worker', 'fosterCarer', 'team']).optional().catch(undefined),
  worker: z.string().min(1).max(100).optional().catch(undefined),
  team: z.string().min(1).max(100).optional().catch(undefined),
  service: z.string().min(1).max(100).optional().catch(undefined),
  involvement: z
    .enum(['early-help', 'assessment', 'cin', 'cp', 'cla', 'care-leaver', 'cwd-review'])
    .optional()
    .catch(undefined),
  sort: z.enum(['status', 'due', 'name', 'worker']).default('status').catch('status'),
  dir: z.enum(['asc', 'desc']).default('asc').catch('asc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export interface ListResult {
  rows: DueRow[];
  total: number;
  page: number;
  pages: number;
  query: ListQuery;
  asOf: string;
}

export interface Headline {
  children: Figures;
  workers: Figures;
  fosterCarers: Figures;
  teams: Figures;
  all: Figures;
  percentOnTrack: number | null;
}

const NO_FIGURES: Figures = { total: 0, overdue: 0, due: 0, onTrack: 0 };

function add(a: Figures, b: Figures): Figures {
  return {
    total: a.total + b.total,
    overdue: a.overdue + b.overdue,
    due: a.due + b.due,
    onTrack: a.onTrack + b.onTrack,
  };
}

export class OversightService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Due dates are for today: recomputed first if the date or the policy has changed. */
  private async asOf(): Promise<string> {
    return (await ensureCurrent(this.db, this.clock)).asOf;
  }

  private async headline(scope: Scope, filter: DueFilter): Promise<Headline> {
    return this.headlineOf(await figuresByKind(this.db, scope, filter));
  }

  /**
   * The headline from figures already counted by team or service: the sum over every unit (and
   * over none) is the count by kind, so the page reads the clocks once rather than twice.
   */
  private headlineFrom(byUnit: readonly { kind: SubjectKindColumn; figures: Figures }[]): Headline {
    const byKind = new Map<SubjectKindColumn, Figures>();
    for (const { kind, figures } of byUnit)
      byKind.set(kind, add(byKind.get(kind) ?? NO_FIGURES, figures));
    return this.headlineOf(byKind);
  }

  private headlineOf(byKind: ReadonlyMap<SubjectKindColumn, Figures>): Headline {
    const get = (k: SubjectKindColumn) => byKind.get(k) ?? NO_FIGURES;
    const all = [...byKind.values()].reduce(add, NO_FIGURES);
    return {
      children: get('child'),
      workers: get('worker'),
      fosterCarers: get('fosterCarer'),
      teams: get('team'),
      all,
      percentOnTrack: percentOnTrack(all),
    };
  }

  /**
   * A page of the list under the headline. `known` saves reading again what the page has read
   * already: the day (from ensureCurrent) and the headline, whose total is the list's when the
   * list is not filtered further than the page (the same scope, the same conditions).
   */
  private async list(
    scope: Scope,
    base: DueFilter,
    query: ListQuery,
    known: { asOf?: string; headline?: Headline } = {},
  ): Promise<ListResult> {
    const filter: DueFilter = {
      ...base,
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { subjectKind: query.kind } : {}),
      ...(query.worker ? { workerId: query.worker } : {}),
      ...(query.team && base.teamId === undefined ? { teamId: query.team } : {}),
      ...(query.service && base.serviceId === undefined ? { serviceId: query.service } : {}),
      ...(query.involvement ? { involvement: query.involvement } : {}),
    };
    const unfiltered = Object.keys(filter).length === Object.keys(base).length;
    const { rows, total } = await listDue(this.db, scope, filter, {
      sort: query.sort,
      direction: query.dir,
      offset: (query.page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(unfiltered && known.headline ? { total: known.headline.all.total } : {}),
    });
    return {
      rows,
      total,
      page: query.page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      query,
      asOf: known.asOf ?? (await this.asOf()),
    };
  }

  async myWork(viewer: Viewer) {
    const asOf = await this.asOf();
    const personId = viewer.personId;
    if (personId === null) throw new ForbiddenError('my work without a place in the structure');
    const me = await findPerson(this.db, personId);
    if (me === undefined) throw new NotFoundError('person');
    const own: Scope = { kind: 'own', personId };
    const mine = await dueForSubject(this.db, own, 'worker', personId);
    const myChildren = await listDue(
      this.db,
      own,
      { workerId: personId, subjectKind: 'child' },
      { sort: 'status', direction: 'asc', offset: 0, limit: 500 },
    );
    const supervisees = await listPeople(this.db, { lineManagerId: personId });
    const superviseeScope: Scope = { kind: 'supervisor', personId };
    const superviseeIds = supervisees.map((p) => p.id);
    const superviseeResults =
      superviseeIds.length === 0
        ? []
        : (
            await listDue(
              this.db,
              superviseeScope,
              { subjectKind: 'worker' },
              { sort: 'status', direction: 'asc', offset: 0, limit: 500 },
            )
          ).rows.filter((r) => r.subjectId !== personId);
    const superviseeChildren =
      superviseeIds.length === 0
        ? { rows: [], total: 0 }
        : await listDue(
            this.db,
            superviseeScope,
            { subjectKind: 'child' },
            { sort: 'status', direction: 'asc', offset: 0, limit: 100 },
          );
    const childFigures =
      superviseeIds.length === 0
        ? NO_FIGURES
        : ((await figuresByKind(this.db, superviseeScope, { subjectKind: 'child' })).get('child') ??
          NO_FIGURES);
    return {
      asOf,
      me,
      mine: mine.filter((r) => r.periodStart === null),
      myChildren: myChildren.rows,
      supervisees,
      superviseeResults,
      superviseeChildren: superviseeChildren.rows.filter((r) => r.workerId !== personId),
      superviseeChildrenTotal: superviseeChildren.total,
      superviseeChildFigures: childFigures,
    };
  }

  private mayViewTeam(viewer: Viewer, team: TeamSummary): boolean {
    const scope = viewer.scope;
    if (scope.kind === 'everything') return true;
    if (scope.kind === 'service') return team.serviceId === scope.serviceId;
    if (scope.kind === 'team') return team.id === scope.teamId;
    return false;
  }

  async team(viewer: Viewer, teamId: string, query: ListQuery) {
    const team = await findTeam(this.db, teamId);
    if (team === undefined) throw new NotFoundError('team');
    if (!this.mayViewTeam(viewer, team)) throw new ForbiddenError('team');
    const scope = viewer.scope;
    const base: DueFilter = { teamId };
    const [{ headline, list }, workers, warnings] = await Promise.all([
      this.asOf().then(async (asOf) => {
        const headline = await this.headline(scope, base);
        return { headline, list: await this.list(scope, base, query, { asOf, headline }) };
      }),
      listPeople(this.db, { teamId }),
      warningsFor(this.db, scope, { teamId }),
    ]);
    // Actions agreed in supervision that are overdue or drifting, for the team's people.
    const actions = await overdueActionCounts(this.db, scope, this.clock.today(), { teamId });
    return { team, headline, list, workers, warnings, actions };
  }

  async service(viewer: Viewer, serviceId: string, query: ListQuery) {
    const service = await findService(this.db, serviceId);
    if (service === undefined) throw new NotFoundError('service');
    const scope = viewer.scope;
    const allowed =
      scope.kind === 'everything' || (scope.kind === 'service' && scope.serviceId === serviceId);
    if (!allowed) throw new ForbiddenError('service');
    const asOf = await this.asOf();
    const base: DueFilter = { serviceId };
    const [teams, byTeam] = await Promise.all([
      listTeams(this.db, serviceId),
      figuresBy(this.db, scope, 'team_id', base),
    ]);
    const headline = this.headlineFrom(byTeam);
    const list = await this.list(scope, base, query, { asOf, headline });
    return { service, headline, list, teams: this.rollUp(teams, byTeam), teamOptions: teams };
  }

  async directorate(viewer: Viewer, query: ListQuery) {
    if (viewer.scope.kind !== 'everything') throw new ForbiddenError('directorate');
    const asOf = await this.asOf();
    const scope = viewer.scope;
    const db = this.db;
    // The list is filtered by service here (a dozen), not by team (hundreds in a large council).
    const [services, byService] = await Promise.all([
      db.selectFrom('services').select(['id', 'name']).orderBy('name').execute(),
      figuresBy(db, scope, 'service_id', {}),
    ]);
    const headline = this.headlineFrom(byService);
    const list = await this.list(scope, {}, query, { asOf, headline });
    return { headline, list, services: this.rollUp(services, byService) };
  }

  private rollUp<T extends { id: string; name: string | null }>(
    units: readonly T[],
    figures: readonly { key: string | null; kind: SubjectKindColumn; figures: Figures }[],
  ) {
    return units.map((unit) => {
      const mine = figures.filter((f) => f.key === unit.id);
      const children = mine.find((f) => f.kind === 'child')?.figures ?? NO_FIGURES;
      const workers = mine.find((f) => f.kind === 'worker')?.figures ?? NO_FIGURES;
      const all = mine.map((f) => f.figures).reduce(add, NO_FIGURES);
      return { ...unit, children, workers, all, percentOnTrack: percentOnTrack(all) };
    });
  }

  async child(viewer: Viewer, childId: string) {
    const asOf = await this.asOf();
    if (!(await maySee(this.db, viewer.scope, 'child', childId))) throw new NotFoundError('child');
    const [child] = await readChildren(this.db, [childId]);
    if (child === undefined) throw new NotFoundError('child');
    const [results, history, overrides, warnings, policy] = await Promise.all([
      dueForSubject(this.db, viewer.scope, 'child', childId),
      eventHistory(this.db, 'child', childId),
      overridesFor(this.db, [childId]),
      warningsFor(this.db, viewer.scope, { subjectKind: 'child', subjectId: childId }),
      loadPolicyVersion(this.db, asOf),
    ]);
    const workerNames = await namesOf(
      this.db,
      'people',
      child.allocations.flatMap((a) => (a.workerId === null ? [] : [a.workerId])),
    );
    const teamNames = await namesOf(
      this.db,
      'teams',
      child.allocations.flatMap((a) => (a.teamId === null ? [] : [a.teamId])),
    );
    const activeOverride = overrides.find(
      (o) => o.endedAt === null && o.starts <= asOf && asOf <= o.until,
    );
    // Management oversight notes and the case decisions of signed records (features/notes).
    const notes = new NotesService(this.db, this.clock);
    const [oversightNotes, caseDecisions] = await Promise.all([
      notes.ofChild(viewer, childId),
      new DecisionRecordsService(this.db, this.clock).forChildPage(viewer, childId),
    ]);
    return {
      asOf,
      child,
      oversightNotes,
      caseDecisions,
      mayWriteNotes: notes.mayWrite(viewer),
      results,
      history,
      overrides,
      activeOverride,
      warnings,
      policy: policy?.policy ?? null,
      workerNames,
      teamNames,
      mayTighten: mayTighten(viewer),
      mayLoosen: mayLoosen(viewer),
    };
  }

  async worker(viewer: Viewer, workerId: string) {
    const asOf = await this.asOf();
    if (!(await maySee(this.db, viewer.scope, 'worker', workerId)))
      throw new NotFoundError('worker');
    const person = await findPerson(this.db, workerId);
    if (person === undefined) throw new NotFoundError('worker');
    const [results, history, supervisees, caseload] = await Promise.all([
      dueForSubject(this.db, viewer.scope, 'worker', workerId),
      eventHistory(this.db, 'worker', workerId),
      listPeople(this.db, { lineManagerId: workerId }),
      listDue(
        this.db,
        viewer.scope,
        { workerId, subjectKind: 'child' },
        { sort: 'status', direction: 'asc', offset: 0, limit: 500 },
      ),
    ]);
    return { asOf, person, results, history, supervisees, caseload: caseload.rows };
  }

  async fosterCarer(viewer: Viewer, carerId: string) {
    const asOf = await this.asOf();
    if (!(await maySee(this.db, viewer.scope, 'fosterCarer', carerId)))
      throw new NotFoundError('foster carer');
    const [carer] = await readFosterCarers(this.db, [carerId]);
    if (carer === undefined) throw new NotFoundError('foster carer');
    const supervisor: PersonSummary | undefined =
      carer.supervisingWorkerId === null
        ? undefined
        : await findPerson(this.db, carer.supervisingWorkerId);
    const results = await dueForSubject(this.db, viewer.scope, 'fosterCarer', carerId);
    return { asOf, carer, supervisor, results };
  }

  overridesOf(childId: string): Promise<OverrideRow[]> {
    return overridesFor(this.db, [childId]);
  }
}

export function daysOverdue(row: DueRow, asOf: string): number | null {
  if (row.effectiveStatus !== 'overdue') return null;
  return parseIsoDate(asOf) - parseIsoDate(row.effectiveLatest);
}
