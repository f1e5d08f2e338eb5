import type { Clock } from '../../clock.js';
import type { Scope, Viewer } from '../../domain/access/viewer.js';
import type { Db } from '../../db/database.js';
import type { DueFilter } from '../../db/due.repository.js';
import { dueKeysInOrder, dueRowsOf, type DueExportRow } from '../../db/export.repository.js';
import { ActionsService, type OverdueQuery, type Reach } from '../actions/actions.service.js';
import type { ActionListRow, AttentionRow } from '../../db/actions.repository.js';
import { displayName } from '../oversight/labels.js';
import { OversightService, type ListQuery } from '../oversight/oversight.service.js';

/**
 * The lists of the oversight and actions pages as whole files: every row the page would show
 * across all its pages, in the page's order, read through the viewer's scope exactly as the page
 * reads it. Whether the viewer may have the list at all is the page's own decision: each export
 * first asks the page's service (which refuses, or says "not found", as the page does), then
 * reads the rows in batches. Nothing from inside a supervision record is read here beyond what
 * the actions pages themselves list.
 */

export const EXPORT_BATCH = 1000;

export type { DueExportRow };

export interface DueExport {
  /** Who or what the list is of, for the file's name: a team's, a service's or a worker's name. */
  readonly of: string;
  readonly asOf: string;
  readonly batches: AsyncIterable<readonly DueExportRow[]>;
}

export interface ActionExportRow {
  readonly list: 'open' | 'marked-done' | 'agreed' | 'attention';
  readonly action: ActionListRow & { ownerTeamName?: string | null };
  readonly reach: Reach;
}

export interface ActionsExport {
  readonly today: string;
  readonly batches:
    AsyncIterable<readonly ActionExportRow[]> | Iterable<readonly ActionExportRow[]>;
}

/** The page's narrowing of its list (OversightService's list): the page's own unit, then the filters. */
function dueFilterOf(base: DueFilter, query: ListQuery): DueFilter {
  return {
    ...base,
    ...(query.status ? { status: query.status } : {}),
    ...(query.kind ? { subjectKind: query.kind } : {}),
    ...(query.worker ? { workerId: query.worker } : {}),
    ...(query.team && base.teamId === undefined ? { teamId: query.team } : {}),
    ...(query.service && base.serviceId === undefined ? { serviceId: query.service } : {}),
    ...(query.involvement ? { involvement: query.involvement } : {}),
  };
}

export class ExportsService {
  private readonly oversight: OversightService;
  private readonly actions: ActionsService;

  constructor(
    private readonly db: Db,
    clock: Clock,
    private readonly batch = EXPORT_BATCH,
  ) {
    this.oversight = new OversightService(db, clock);
    this.actions = new ActionsService(db, clock);
  }

  /**
   * Every row of a list, `batch` at a time, in the order of its sort and direction: the keys in
   * order once, then the rows of each batch of keys (export.repository.ts says why).
   */
  private async *dueBatches(
    scope: Scope,
    filter: DueFilter,
    order: { sort: ListQuery['sort']; dir: ListQuery['dir'] },
  ): AsyncGenerator<DueExportRow[]> {
    const keys = await dueKeysInOrder(this.db, scope, filter, {
      sort: order.sort,
      direction: order.dir,
    });
    for (let i = 0; i < keys.length; i += this.batch)
      yield await dueRowsOf(this.db, keys.slice(i, i + this.batch));
  }

  /** A team page's list (GET /teams/:id with the same query). */
  async team(viewer: Viewer, teamId: string, query: ListQuery): Promise<DueExport> {
    const page = await this.oversight.team(viewer, teamId, { ...query, page: 1 });
    return {
      of: displayName(page.team.name, 'team', page.team.id),
      asOf: page.list.asOf,
      batches: this.dueBatches(viewer.scope, dueFilterOf({ teamId }, query), query),
    };
  }

  /** A service page's list. */
  async service(viewer: Viewer, serviceId: string, query: ListQuery): Promise<DueExport> {
    const page = await this.oversight.service(viewer, serviceId, { ...query, page: 1 });
    return {
      of: displayName(page.service.name, 'service', page.service.id),
      asOf: page.list.asOf,
      batches: this.dueBatches(viewer.scope, dueFilterOf({ serviceId }, query), query),
    };
  }

  /** The directorate page's list. */
  async directorate(viewer: Viewer, query: ListQuery): Promise<DueExport> {
    const page = await this.oversight.directorate(viewer, { ...query, page: 1 });
    return {
      of: 'directorate',
      asOf: page.list.asOf,
      batches: this.dueBatches(viewer.scope, dueFilterOf({}, query), query),
    };
  }

  /** A worker's caseload: the children allocated to them, as their page lists them (all of them). */
  async caseload(viewer: Viewer, workerId: string): Promise<DueExport> {
    const page = await this.oversight.worker(viewer, workerId);
    return {
      of: displayName(page.person.name, 'worker', page.person.id),
      asOf: page.asOf,
      batches: this.dueBatches(
        viewer.scope,
        { workerId, subjectKind: 'child' },
        { sort: 'status', dir: 'asc' },
      ),
    };
  }

  /** My actions: the three lists of GET /actions, one after the other. */
  async myActions(viewer: Viewer): Promise<ActionsExport> {
    const mine = await this.actions.mine(viewer);
    const rows: ActionExportRow[] = [
      ...mine.open.map((r) => ({ list: 'open' as const, ...r })),
      ...mine.markedDone.map((r) => ({ list: 'marked-done' as const, ...r })),
      ...mine.agreed.map((r) => ({ list: 'agreed' as const, ...r })),
    ];
    return {
      today: mine.today,
      batches: [rows],
    };
  }

  /**
   * The overdue and drifting actions list (GET /actions/overdue with the same query), page by
   * page through the page's own service, so that each row links and names a child exactly as the
   * page does.
   */
  async overdueActions(viewer: Viewer, query: OverdueQuery): Promise<ActionsExport> {
    const first = await this.actions.overdue(viewer, { ...query, page: 1 });
    const actions = this.actions;
    const toRows = (rows: typeof first.rows): ActionExportRow[] =>
      rows.map((r: { action: AttentionRow; reach: Reach }) => ({ list: 'attention', ...r }));
    async function* batches() {
      yield toRows(first.rows);
      for (let page = 2; page <= first.pages; page++)
        yield toRows((await actions.overdue(viewer, { ...first.query, page })).rows);
    }
    return { today: first.today, batches: batches() };
  }
}
