import type { Clock } from '../../clock.js';
import type { Viewer } from '../../domain/access/viewer.js';
import type { Db } from '../../db/database.js';
import { scopeWhere } from '../../db/scope.js';
import { ensureCurrent } from '../../services/due.service.js';
import { DecisionRecordsService, type DecisionRecordData } from './decision-records.service.js';

/**
 * Decision records across children (issue 6, Exports): for a manager (team manager and above,
 * within their place) or quality assurance, every child in their place with a decision recorded
 * in a signed supervision between two dates, optionally of one team or service, as one PDF.
 * Which children is decided in the query (the viewer's scope, from subject_scope, as every list
 * is); each child's records then come from DecisionRecordsService, which checks again and never
 * reads the personal section.
 */

/** The most decision records in one PDF: beyond it, the range is to be narrowed. */
export const RANGE_RECORD_LIMIT = 500;

export interface RangeChoice {
  id: string;
  name: string | null;
}

export interface RangeRequest {
  from: string;
  to: string;
  /** A team's id, or a service's, or neither (the whole of the viewer's place). */
  teamId?: string | undefined;
  serviceId?: string | undefined;
}

export interface ChildRecords {
  child: { id: string; name: string | null; dateOfBirth: string | null };
  records: DecisionRecordData[];
}

export type RangeResult =
  | { ok: true; organisation: string; children: ChildRecords[]; records: number }
  | { ok: false; reason: 'too-many'; records: number };

export class DecisionRecordsRangeService {
  private readonly records: DecisionRecordsService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.records = new DecisionRecordsService(db, clock);
  }

  /** The teams and services the viewer may choose from: those in their place. */
  async choices(viewer: Viewer): Promise<{ teams: RangeChoice[]; services: RangeChoice[] }> {
    await ensureCurrent(this.db, this.clock);
    const teams = await this.db
      .selectFrom('subject_scope')
      .innerJoin('teams', 'teams.id', 'subject_scope.subject_id')
      .select(['teams.id', 'teams.name', 'teams.service_id'])
      .where('subject_scope.subject_kind', '=', 'team')
      .where(scopeWhere(viewer.scope, 'subject_scope'))
      .orderBy('teams.name')
      .orderBy('teams.id')
      .execute();
    const serviceIds = [...new Set(teams.map((t) => t.service_id))];
    const services =
      viewer.scope.kind === 'team' || serviceIds.length === 0
        ? []
        : await this.db
            .selectFrom('services')
            .select(['id', 'name'])
            .where('id', 'in', serviceIds)
            .orderBy('name')
            .orderBy('id')
            .execute();
    return {
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
      services: services.map((s) => ({ id: s.id, name: s.name })),
    };
  }

  /** How many decision records the range holds, for the form to say before the download. */
  async count(viewer: Viewer, request: RangeRequest): Promise<number> {
    await ensureCurrent(this.db, this.clock);
    return (await this.childRows(viewer, request)).reduce((n, r) => n + Number(r.n), 0);
  }

  private async childRows(viewer: Viewer, request: RangeRequest) {
    let query = this.db
      .selectFrom('case_discussions as d')
      .innerJoin('supervision_sessions as s', 's.id', 'd.session_id')
      .innerJoin('subject_scope', (join) =>
        join
          .onRef('subject_scope.subject_id', '=', 'd.child_id')
          .on('subject_scope.subject_kind', '=', 'child'),
      )
      .innerJoin('children as c', 'c.id', 'd.child_id')
      .select(['d.child_id', 'c.name'])
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('s.state', '!=', 'draft')
      .where('s.date', '>=', request.from)
      .where('s.date', '<=', request.to)
      .where(scopeWhere(viewer.scope, 'subject_scope'));
    if (request.teamId !== undefined)
      query = query.where('subject_scope.team_id', '=', request.teamId);
    if (request.serviceId !== undefined)
      query = query.where('subject_scope.service_id', '=', request.serviceId);
    return query.groupBy(['d.child_id', 'c.name']).execute();
  }

  /**
   * The children in the viewer's place (and the team or service chosen) with a decision in a
   * signed supervision from `from` to `to`, in name order, each with those decision records.
   * A team or service outside the viewer's place gives no children, as a made-up one does.
   */
  async between(viewer: Viewer, request: RangeRequest): Promise<RangeResult> {
    await ensureCurrent(this.db, this.clock);
    const rows = await this.childRows(viewer, request);
    const total = rows.reduce((n, r) => n + Number(r.n), 0);
    if (total > RANGE_RECORD_LIMIT) return { ok: false, reason: 'too-many', records: total };
    rows.sort(
      (a, b) =>
        (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff', 'en-GB') ||
        a.child_id.localeCompare(b.child_id),
    );
    const children: ChildRecords[] = [];
    let organisation =
      (await this.db.selectFrom('organisation').select('name').executeTakeFirst())?.name ?? '';
    for (const row of rows) {
      const file = await this.records.ofChild(viewer, row.child_id, {
        from: request.from,
        to: request.to,
      });
      organisation = file.organisation;
      if (file.records.length > 0) children.push({ child: file.child, records: file.records });
    }
    return {
      ok: true,
      organisation,
      children,
      records: children.reduce((n, c) => n + c.records.length, 0),
    };
  }
}
