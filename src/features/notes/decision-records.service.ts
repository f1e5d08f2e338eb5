import type { Clock } from '../../clock.js';
import { mayTighten, type Viewer } from '../../domain/access/viewer.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { SessionType } from '../../domain/supervision/record.js';
import type { Db } from '../../db/database.js';
import { getOrganisation, readChildren } from '../../db/organisation.repository.js';
import { actionsOfDiscussions } from '../../db/oversight-notes.repository.js';
import { maySee } from '../../db/scope.js';
import { namesOf } from '../../db/structure.repository.js';
import {
  getDiscussion,
  getSession,
  markCopied,
  signedDiscussionsOfChild,
  type DiscussionRow,
  type SessionRow,
} from '../../db/supervision.repository.js';
import { ensureCurrent } from '../../services/due.service.js';
import { SupervisionService } from '../supervision/supervision.service.js';

/**
 * The decision record of each child discussed in a signed supervision record (policy 004,
 * Appendix 1): what goes on the child's file. It is built from the case discussion, its actions
 * and the signatures, never from the personal section, which is in a table no function here
 * reads.
 *
 * Who may read one: anyone who may see the session (SupervisionService.visible) or the child.
 * Anyone else, and any record still in draft, is "not found", the same as a made-up address.
 */

export interface Signature {
  readonly personId: string;
  readonly name: string | null;
  /** When they signed (an instant), or null. */
  readonly signedAt: string | null;
}

export interface DecisionRecordData {
  readonly organisation: string;
  readonly child: { id: string; name: string | null; dateOfBirth: string | null };
  readonly session: {
    id: string;
    date: string;
    type: SessionType;
    state: SessionRow['state'];
  };
  readonly discussion: DiscussionRow;
  readonly supervisor: Signature;
  readonly supervisees: readonly Signature[];
  readonly coWorkers: readonly { personId: string; name: string | null }[];
  readonly actions: readonly {
    description: string;
    ownerId: string;
    ownerName: string | null;
    dueDate: string | null;
    state: 'open' | 'done' | 'dropped';
  }[];
  readonly copied: { at: string; byId: string; byName: string | null } | null;
  /** Whether the viewer may see the child's page (else they reached it through the session). */
  readonly maySeeChild: boolean;
  /** Whether the viewer may record that it was copied to the child's file (and it is not yet). */
  readonly mayMarkCopied: boolean;
}

/** Dates given for the child's decision records as one document. */
export interface Period {
  from?: string | undefined;
  to?: string | undefined;
}

export class DecisionRecordsService {
  private readonly supervision: SupervisionService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.supervision = new SupervisionService(db, clock);
  }

  /** Whether the viewer may see the session, as the supervision pages decide it. */
  private async maySeeSession(viewer: Viewer, sessionId: string): Promise<boolean> {
    try {
      await this.supervision.visible(viewer, sessionId);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** The decision record of one case discussion, for someone who may read it. */
  async one(viewer: Viewer, sessionId: string, discussionId: string): Promise<DecisionRecordData> {
    await ensureCurrent(this.db, this.clock);
    const discussion = await getDiscussion(this.db, discussionId);
    if (discussion?.sessionId !== sessionId) throw new NotFoundError('decision record');
    const session = await getSession(this.db, sessionId);
    if (session === undefined || session.state === 'draft')
      throw new NotFoundError('decision record');
    const seeChild = await maySee(this.db, viewer.scope, 'child', discussion.childId);
    if (!seeChild && !(await this.maySeeSession(viewer, sessionId)))
      throw new NotFoundError('decision record');
    const [record] = await this.build(viewer, [{ discussion, session }], seeChild);
    if (record === undefined) throw new NotFoundError('decision record');
    return record;
  }

  /**
   * All of a child's decision records (oldest first, as a file reads), optionally those of
   * sessions from and to given dates. Someone who may see the child gets every one; someone who
   * may not gets those of the sessions they may see, and "not found" when there are none.
   */
  async ofChild(
    viewer: Viewer,
    childId: string,
    period: Period = {},
  ): Promise<{
    child: { id: string; name: string | null; dateOfBirth: string | null };
    organisation: string;
    records: DecisionRecordData[];
  }> {
    await ensureCurrent(this.db, this.clock);
    const [child] = await readChildren(this.db, [childId]);
    if (child === undefined) throw new NotFoundError('child');
    const seeChild = await maySee(this.db, viewer.scope, 'child', childId);
    let discussions = await signedDiscussionsOfChild(this.db, childId);
    if (!seeChild) {
      const visible = new Set<string>();
      for (const id of new Set(discussions.map((d) => d.sessionId)))
        if (await this.maySeeSession(viewer, id)) visible.add(id);
      if (visible.size === 0) throw new NotFoundError('child');
      discussions = discussions.filter((d) => visible.has(d.sessionId));
    }
    const inPeriod = discussions
      .filter(
        (d) =>
          (period.from === undefined || d.session.date >= period.from) &&
          (period.to === undefined || d.session.date <= period.to),
      )
      .reverse();
    const sessions = new Map<string, SessionRow>();
    for (const id of new Set(inPeriod.map((d) => d.sessionId))) {
      const session = await getSession(this.db, id);
      if (session !== undefined) sessions.set(id, session);
    }
    const records = await this.build(
      viewer,
      inPeriod.flatMap((discussion) => {
        const session = sessions.get(discussion.sessionId);
        return session === undefined ? [] : [{ discussion, session }];
      }),
      seeChild,
    );
    return {
      child: { id: child.id, name: child.name, dateOfBirth: child.dateOfBirth },
      organisation: await this.organisationName(),
      records,
    };
  }

  /**
   * The case decisions the child's page lists, newest first: for someone who may see the child
   * (the caller has checked), every signed discussion of the child.
   */
  async forChildPage(viewer: Viewer, childId: string): Promise<DecisionRecordData[]> {
    if (!(await maySee(this.db, viewer.scope, 'child', childId))) throw new NotFoundError('child');
    const discussions = await signedDiscussionsOfChild(this.db, childId);
    const sessions = new Map<string, SessionRow>();
    for (const id of new Set(discussions.map((d) => d.sessionId))) {
      const session = await getSession(this.db, id);
      if (session !== undefined) sessions.set(id, session);
    }
    return this.build(
      viewer,
      discussions.flatMap((discussion) => {
        const session = sessions.get(discussion.sessionId);
        return session === undefined ? [] : [{ discussion, session }];
      }),
      true,
    );
  }

  /**
   * A manager who may see the child records that the decision record has been copied to the
   * child's file (who and when). Done once: a second time changes nothing.
   */
  async markCopied(
    viewer: Viewer,
    sessionId: string,
    discussionId: string,
  ): Promise<DecisionRecordData> {
    const record = await this.one(viewer, sessionId, discussionId);
    if (!mayCopy(viewer, record.maySeeChild)) throw new ForbiddenError('copied to the file');
    const personId = viewer.personId ?? '';
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute((trx) => markCopied(trx, discussionId, personId, now));
    return record;
  }

  private async organisationName(): Promise<string> {
    return (await getOrganisation(this.db))?.name ?? '';
  }

  private async build(
    viewer: Viewer,
    items: readonly { discussion: DiscussionRow; session: SessionRow }[],
    seeChild: boolean,
  ): Promise<DecisionRecordData[]> {
    if (items.length === 0) return [];
    const actions = await actionsOfDiscussions(
      this.db,
      items.map((i) => i.discussion.id),
    );
    const children = new Map(
      (await readChildren(this.db, [...new Set(items.map((i) => i.discussion.childId))])).map(
        (c) => [c.id, c],
      ),
    );
    const names = await namesOf(this.db, 'people', [
      ...items.flatMap((i) => [
        i.session.supervisorId,
        ...i.session.participants.map((p) => p.personId),
        ...(i.discussion.copiedBy === null ? [] : [i.discussion.copiedBy]),
      ]),
      ...actions.map((a) => a.ownerId),
    ]);
    const organisation = await this.organisationName();
    const name = (id: string) => names.get(id) ?? null;
    return items.map(({ discussion, session }) => {
      const child = children.get(discussion.childId);
      const copied =
        discussion.copiedAt === null
          ? null
          : {
              at: discussion.copiedAt,
              byId: discussion.copiedBy ?? '',
              byName: discussion.copiedBy === null ? null : name(discussion.copiedBy),
            };
      return {
        organisation,
        child: {
          id: discussion.childId,
          name: child?.name ?? null,
          dateOfBirth: child?.dateOfBirth ?? null,
        },
        session: { id: session.id, date: session.date, type: session.type, state: session.state },
        discussion,
        supervisor: {
          personId: session.supervisorId,
          name: name(session.supervisorId),
          signedAt: session.supervisorSignedAt,
        },
        supervisees: session.participants
          .filter((p) => p.role === 'supervisee')
          .map((p) => ({ personId: p.personId, name: name(p.personId), signedAt: p.signedAt })),
        coWorkers: session.participants
          .filter((p) => p.role === 'co-worker')
          .map((p) => ({ personId: p.personId, name: name(p.personId) })),
        actions: actions
          .filter((a) => a.discussionId === discussion.id)
          .map((a) => ({
            description: a.description,
            ownerId: a.ownerId,
            ownerName: name(a.ownerId),
            dueDate: a.dueDate,
            state: a.state,
          })),
        copied,
        maySeeChild: seeChild,
        mayMarkCopied: copied === null && mayCopy(viewer, seeChild),
      };
    });
  }
}

/** Recording a copy on the child's file: a manager who may see the child. */
function mayCopy(viewer: Viewer, seeChild: boolean): boolean {
  return seeChild && mayTighten(viewer) && viewer.personId !== null;
}
