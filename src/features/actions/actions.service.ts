import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Viewer } from '../../domain/access/viewer.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { Db } from '../../db/database.js';
import {
  actionsAgreedBy,
  actionsOwnedBy,
  listAttentionActions,
  markActionDone,
  overdueActionCounts,
  ownActionOf,
  ownersNeedingAttention,
  reopenAction,
  teamsInScope,
  visibleSubjects,
  type ActionListRow,
  type AttentionRow,
} from '../../db/actions.repository.js';
import { ensureCurrent } from '../../services/due.service.js';
import { SupervisionService } from '../supervision/supervision.service.js';

/**
 * Actions agreed in supervision, outside the sessions that agree and review them: a person's own
 * (which they may mark done before their next session, for it to confirm), those a supervisor
 * agreed with the people they supervise, and the overdue or drifting actions in a manager's
 * place. Which owners a manager sees is decided by their scope, in the query.
 */

export const PAGE_SIZE = 50;

export const overdueQuerySchema = z.object({
  show: z.enum(['either', 'overdue', 'drifting']).default('either').catch('either'),
  team: z.string().min(1).max(100).optional().catch(undefined),
  worker: z.string().min(1).max(100).optional().catch(undefined),
  sort: z.enum(['due', 'worker', 'carried']).default('due').catch('due'),
  dir: z.enum(['asc', 'desc']).default('asc').catch('asc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type OverdueQuery = z.infer<typeof overdueQuerySchema>;

/** Where a row may link: a child or a record only when the viewer may open it. */
export interface Reach {
  childLink: boolean;
  sessionLink: boolean;
  ownerLink: boolean;
}

function personOf(viewer: Viewer): string {
  if (viewer.personId === null) throw new ForbiddenError('no place in the structure');
  return viewer.personId;
}

/** Team managers and above: the people the overdue list is for. */
export function mayListOverdue(viewer: Viewer): boolean {
  const kind = viewer.scope.kind;
  return kind === 'team' || kind === 'service' || kind === 'everything';
}

export class ActionsService {
  private readonly supervision: SupervisionService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.supervision = new SupervisionService(db, clock);
  }

  /**
   * My actions: the open ones I own, those I have marked done since my last supervision, and
   * those I agreed as a supervisor with the people I supervise.
   */
  async mine(viewer: Viewer) {
    const me = personOf(viewer);
    await ensureCurrent(this.db, this.clock);
    const [own, agreed] = await Promise.all([
      actionsOwnedBy(this.db, me),
      actionsAgreedBy(this.db, me),
    ]);
    const children = await visibleSubjects(
      this.db,
      viewer.scope,
      'child',
      [...own, ...agreed].flatMap((a) => (a.childId === null ? [] : [a.childId])),
    );
    const owners = await visibleSubjects(
      this.db,
      viewer.scope,
      'worker',
      agreed.map((a) => a.ownerId),
    );
    // Every one of these records is mine to open: I owned an action in it or ran it.
    const reach = (a: ActionListRow): Reach => ({
      childLink: a.childId !== null && children.has(a.childId),
      sessionLink: true,
      ownerLink: owners.has(a.ownerId),
    });
    return {
      today: this.clock.today(),
      open: own.filter((a) => a.state === 'open').map((a) => ({ action: a, reach: reach(a) })),
      markedDone: own
        .filter((a) => a.state === 'done')
        .map((a) => ({ action: a, reach: reach(a) })),
      agreed: agreed.map((a) => ({ action: a, reach: reach(a) })),
      mayListOverdue: mayListOverdue(viewer),
    };
  }

  /** Marks my own open action done; nothing changes if it is done already. */
  async markDone(viewer: Viewer, id: string): Promise<ActionListRow> {
    const me = personOf(viewer);
    const action = await ownActionOf(this.db, id, me);
    if (action === undefined) throw new NotFoundError('action');
    if (action.state === 'open')
      await this.db
        .transaction()
        .execute((trx) => markActionDone(trx, id, me, this.clock.now().toISOString()));
    return action;
  }

  /** Takes back my own "done" while no session has confirmed it yet. */
  async reopen(viewer: Viewer, id: string): Promise<ActionListRow> {
    const me = personOf(viewer);
    const action = await ownActionOf(this.db, id, me);
    if (action === undefined) throw new NotFoundError('action');
    if (action.state === 'done' && action.closedIn === null)
      await this.db.transaction().execute((trx) => reopenAction(trx, id, me));
    return action;
  }

  /**
   * The overdue and drifting actions of the workers in a manager's place: a page of them, the
   * counts for the team or worker chosen, and the choices for the filters.
   */
  async overdue(viewer: Viewer, asked: OverdueQuery) {
    if (!mayListOverdue(viewer)) throw new ForbiddenError('overdue actions');
    // Who is where (subject_scope) is kept by the due service: current for today first.
    await ensureCurrent(this.db, this.clock);
    const today = this.clock.today();
    const scope = viewer.scope;
    // A team or worker the viewer cannot choose (outside their place, or with nothing overdue
    // or drifting) would only empty the list: it is left out, and the page says what it shows.
    const teams = await teamsInScope(this.db, scope);
    const team = teams.some((t) => t.id === asked.team) ? asked.team : undefined;
    const workers = await ownersNeedingAttention(this.db, scope, today, team);
    const worker = workers.some((w) => w.id === asked.worker) ? asked.worker : undefined;
    const query: OverdueQuery = { ...asked, team, worker };
    const narrowing = {
      ...(team === undefined ? {} : { teamId: team }),
      ...(worker === undefined ? {} : { ownerId: worker }),
    };
    const [list, counts] = await Promise.all([
      listAttentionActions(
        this.db,
        scope,
        { today, show: query.show, ...narrowing },
        {
          sort: query.sort,
          direction: query.dir,
          offset: (query.page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        },
      ),
      overdueActionCounts(this.db, scope, today, narrowing),
    ]);
    const children = await visibleSubjects(
      this.db,
      scope,
      'child',
      list.rows.flatMap((a) => (a.childId === null ? [] : [a.childId])),
    );
    const sessions = await this.visibleSessions(
      viewer,
      list.rows.map((a) => a.sessionId),
    );
    // Every owner listed is in the viewer's scope (the query says so), so their page opens.
    const rows = list.rows.map((a: AttentionRow) => ({
      action: a,
      reach: {
        childLink: a.childId !== null && children.has(a.childId),
        sessionLink: sessions.has(a.sessionId),
        ownerLink: true,
      } satisfies Reach,
    }));
    return {
      today,
      rows,
      total: list.total,
      page: query.page,
      pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
      query,
      counts,
      teams,
      workers,
    };
  }

  /**
   * The records among these that the viewer may open, decided by the supervision service's own
   * rule: a manager whose place covers an action's owner need not cover the record it came from
   * (a joint session with someone from another team).
   */
  private async visibleSessions(viewer: Viewer, ids: readonly string[]): Promise<Set<string>> {
    const visible = new Set<string>();
    for (const id of new Set(ids)) {
      try {
        await this.supervision.visible(viewer, id);
        visible.add(id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return visible;
  }
}
