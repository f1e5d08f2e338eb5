import type { Clock } from '../../clock.js';
import { londonDate } from '../../clock.js';
import type { Viewer } from '../../domain/access/viewer.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import {
  daysToSign,
  eventsForSession,
  hasDrifted,
  mayAddAddendum,
  mayEdit,
  mayPrepare,
  mayReadPersonal,
  maySignAsSupervisee,
  relationTo,
  supervisees,
  type ParticipantRole,
  type SessionType,
} from '../../domain/supervision/record.js';
import type { Db, Queryable } from '../../db/database.js';
import { addEvent, readChildren } from '../../db/organisation.repository.js';
import { maySee } from '../../db/scope.js';
import { findPerson, findTeam, listPeople, namesOf } from '../../db/structure.repository.js';
import {
  actionsById,
  actionsOfSession,
  addAddendum,
  addAgendaItem,
  addDiscussions,
  addendaOf,
  agendaItemsFor,
  applyReviews,
  claimSection,
  createSession,
  deleteDraft,
  discussionsOf,
  getDiscussion,
  getPersonal,
  getSession,
  markRead,
  markSupervisorSigned,
  markSuperviseeSigned,
  openActionsFor,
  removeAgendaItem,
  removeDiscussion,
  replaceDraftActions,
  reviewsOf,
  saveDiscussion,
  savePersonal,
  saveReviews,
  sectionRevisions,
  sessionsOf,
  setParticipants,
  takeUpAgendaItems,
  updateSession,
  type DiscussionRow,
  type DiscussionText,
  type ReviewRow,
  type SessionFields,
  type SessionRow,
} from '../../db/supervision.repository.js';
import {
  dueAfterSession,
  ensureCurrent,
  loadDueContext,
  recomputeSubjects,
} from '../../services/due.service.js';
import { INVOLVEMENT_LABELS, label } from '../oversight/labels.js';

/**
 * Recording supervision: starting a session, saving each part of its draft (every save is a
 * transaction of its own, so nothing saved is lost), the agenda the service prepares, signing
 * by the supervisor (which locks the record and counts it for the engine in the same
 * transaction) and by the supervisee, and addenda after that.
 *
 * Who may do what is decided in domain/supervision/record.ts. A record is "not found" to anyone
 * who may not see it, so a guessed address says nothing; its personal section is loaded only for
 * its supervisee and the supervisor who wrote it.
 */

export type Section = 'details' | 'personal' | 'review' | 'cases' | 'general' | `case:${string}`;

export type SaveResult =
  | { ok: true; revision: number }
  | { ok: false; reason: 'conflict'; byName: string; at: string; revision: number }
  | { ok: false; reason: 'locked' };

export interface Conflict {
  byName: string;
  at: string;
}

export interface NewSessionInput {
  type: SessionType;
  superviseeIds: string[];
  coWorkerIds: string[];
  teamId: string | null;
  date: string;
  startTime: string | null;
  endTime: string | null;
  place: string | null;
  confidentiality: string | null;
}

export interface ActionInput {
  description: string;
  ownerId: string;
  dueDate: string | null;
}

export interface SignProblem {
  text: string;
  href: string;
}

const PART_A: readonly (keyof DiscussionText)[] = [
  'status',
  'sinceLast',
  'changes',
  'workingWell',
  'worries',
  'strengths',
  'childVoice',
];

function personOf(viewer: Viewer): string {
  if (viewer.personId === null) throw new ForbiddenError('no place in the structure');
  return viewer.personId;
}

export class SupervisionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  // -------------------------------------------------------------------------------------------
  // Finding a session, for the people who may see it

  /**
   * The session if the viewer may see it: its supervisor and participants always; a draft no
   * one else; a signed record, anyone whose place covers one of its supervisees (or a group
   * session's team).
   */
  async visible(viewer: Viewer, id: string): Promise<SessionRow> {
    const session = await getSession(this.db, id);
    if (session === undefined) throw new NotFoundError('session');
    if (relationTo(session, viewer.personId) !== null) return session;
    if (session.state !== 'draft') {
      for (const person of supervisees(session))
        if (await maySee(this.db, viewer.scope, 'worker', person)) return session;
      if (session.teamId !== null && (await maySee(this.db, viewer.scope, 'team', session.teamId)))
        return session;
    }
    throw new NotFoundError('session');
  }

  /** A draft its supervisor may edit; anyone else is told it is not found or not theirs. */
  async editable(viewer: Viewer, id: string): Promise<SessionRow> {
    const session = await this.visible(viewer, id);
    if (!mayEdit(session, viewer.personId)) throw new ForbiddenError('not your draft');
    return session;
  }

  // -------------------------------------------------------------------------------------------
  // Starting

  /** Whom the viewer may supervise: their supervisees, and the teams they can run groups for. */
  async startOptions(viewer: Viewer) {
    const me = personOf(viewer);
    const today = this.clock.today();
    const active = (p: { end: string | null; start: string }) =>
      p.start <= today && (p.end === null || p.end >= today);
    const mine = (await listPeople(this.db, { lineManagerId: me })).filter(active);
    const teamIds = new Set<string>();
    if (viewer.levels.teamId !== null) teamIds.add(viewer.levels.teamId);
    for (const p of mine) if (p.teamId !== null) teamIds.add(p.teamId);
    const teams = [];
    for (const id of teamIds) {
      const team = await findTeam(this.db, id);
      if (team === undefined) continue;
      const members = (await listPeople(this.db, { teamId: id })).filter(
        (p) => active(p) && p.id !== me,
      );
      teams.push({ ...team, members });
    }
    const everyone = (await listPeople(this.db)).filter((p) => active(p) && p.id !== me);
    return { supervisees: mine, teams, everyone };
  }

  async start(viewer: Viewer, input: NewSessionInput): Promise<string> {
    const me = personOf(viewer);
    const options = await this.startOptions(viewer);
    const mine = new Set(options.supervisees.map((p) => p.id));
    let teamId: string | null = null;
    if (input.type === 'group') {
      const team = options.teams.find((t) => t.id === input.teamId);
      if (team === undefined) throw new ForbiddenError('not a team you supervise');
      const members = new Set(team.members.map((p) => p.id));
      if (!input.superviseeIds.every((id) => members.has(id)))
        throw new ForbiddenError('not in the team');
      teamId = team.id;
    } else if (!input.superviseeIds.every((id) => mine.has(id))) {
      throw new ForbiddenError('not your supervisee');
    }
    const everyone = new Set(options.everyone.map((p) => p.id));
    if (!input.coWorkerIds.every((id) => everyone.has(id)))
      throw new ForbiddenError('unknown co-worker');
    const participants: { personId: string; role: ParticipantRole }[] = [
      ...input.superviseeIds.map((personId) => ({ personId, role: 'supervisee' as const })),
      ...input.coWorkerIds
        .filter((id) => !input.superviseeIds.includes(id))
        .map((personId) => ({ personId, role: 'co-worker' as const })),
    ];
    return this.db.transaction().execute((trx) =>
      createSession(
        trx,
        {
          type: input.type,
          supervisorId: me,
          teamId,
          date: input.date,
          startTime: input.startTime,
          endTime: input.endTime,
          place: input.place,
          confidentiality: input.type === 'group' ? input.confidentiality : null,
          participants,
        },
        this.now(),
      ),
    );
  }

  async discard(viewer: Viewer, id: string): Promise<void> {
    await this.editable(viewer, id);
    await this.db.transaction().execute((trx) => deleteDraft(trx, id));
  }

  // -------------------------------------------------------------------------------------------
  // Reading a draft or a record

  /** Everything the pages of one session show, with the personal section only for its two. */
  async load(viewer: Viewer, id: string) {
    const session = await this.visible(viewer, id);
    const people = supervisees(session);
    const [discussions, actions, reviews, addenda, revisions, personal] = await Promise.all([
      discussionsOf(this.db, id),
      actionsOfSession(this.db, id),
      reviewsOf(this.db, id),
      addendaOf(this.db, id),
      sectionRevisions(this.db, id),
      getPersonal(this.db, id),
    ]);
    const mayPersonal =
      personal === undefined
        ? relationTo(session, viewer.personId) === 'supervisor' ||
          people.includes(viewer.personId ?? '')
        : mayReadPersonal(personal, viewer.personId);
    const reviewed =
      session.state === 'draft'
        ? await openActionsFor(this.db, people, id)
        : await actionsById(
            this.db,
            reviews.map((r) => r.actionId),
          );
    const childIds = discussions.map((d) => d.childId);
    const children = await readChildren(this.db, childIds);
    const personIds = [
      session.supervisorId,
      ...session.participants.map((p) => p.personId),
      ...actions.map((a) => a.ownerId),
      ...reviewed.map((a) => a.ownerId),
      ...addenda.map((a) => a.authorId),
      ...[...revisions.values()].flatMap((r) => (r.updatedBy === null ? [] : [r.updatedBy])),
    ];
    const [names, teamNames] = await Promise.all([
      namesOf(this.db, 'people', personIds),
      namesOf(this.db, 'teams', session.teamId === null ? [] : [session.teamId]),
    ]);
    const signedDate =
      session.supervisorSignedAt === null ? null : londonDate(new Date(session.supervisorSignedAt));
    return {
      session,
      relation: relationTo(session, viewer.personId),
      mayEdit: mayEdit(session, viewer.personId),
      mayPrepare: mayPrepare(session, viewer.personId),
      maySign: maySignAsSupervisee(session, viewer.personId),
      mayAddAddendum: mayAddAddendum(session, viewer.personId),
      // Only its two people ever receive the personal section, even as "absent".
      personal: mayPersonal ? (personal ?? null) : null,
      mayReadPersonal: mayPersonal,
      discussions,
      children: new Map(children.map((c) => [c.id, c])),
      actions,
      reviewed,
      reviews,
      addenda,
      revisions,
      names,
      teamName: session.teamId === null ? null : (teamNames.get(session.teamId) ?? null),
      daysToSign: daysToSign(session.date, signedDate),
    };
  }

  /** What the service prepares before a session: see docs/recording.md. */
  async agenda(viewer: Viewer, id: string) {
    const session = await this.visible(viewer, id);
    const people = supervisees(session);
    await ensureCurrent(this.db, this.clock);
    const [items, actions, due, contracts] = await Promise.all([
      agendaItemsFor(this.db, people, id),
      openActionsFor(this.db, people, id),
      people.length === 0
        ? Promise.resolve([])
        : this.db
            .selectFrom('due_results as d')
            .innerJoin('children as c', 'c.id', 'd.subject_id')
            .select([
              'd.subject_id',
              'c.name',
              'd.worker_id',
              'd.effective_status',
              'd.effective_due',
              'd.effective_latest',
              'd.reason',
              'd.involvements',
            ])
            .where('d.subject_kind', '=', 'child')
            .where('d.requirement', '=', 'case-supervision')
            .where('d.period_start', '=', '')
            .where('d.worker_id', 'in', people)
            .where('d.effective_status', 'in', ['overdue', 'due'])
            .orderBy('d.status_rank')
            .orderBy('d.effective_latest')
            .execute(),
      people.length === 0
        ? Promise.resolve([])
        : this.db
            .selectFrom('due_results')
            .select(['subject_id', 'effective_status', 'effective_due', 'reason'])
            .where('subject_kind', '=', 'worker')
            .where('requirement', '=', 'contract-review')
            .where('period_start', '=', '')
            .where('subject_id', 'in', people)
            .where('effective_status', 'in', ['overdue', 'due'])
            .execute(),
    ]);
    const names = await namesOf(this.db, 'people', [
      session.supervisorId,
      ...session.participants.map((p) => p.personId),
      ...items.map((i) => i.addedBy),
      ...actions.map((a) => a.ownerId),
    ]);
    return {
      session,
      names,
      items,
      actions: actions.map((a) => ({ ...a, drifted: hasDrifted(a) })),
      dueChildren: due.map((d) => ({
        childId: d.subject_id,
        name: d.name,
        workerId: d.worker_id,
        status: d.effective_status,
        due: d.effective_due,
        latest: d.effective_latest,
        reason: d.reason,
      })),
      contractReviews: contracts.map((c) => ({
        personId: c.subject_id,
        status: c.effective_status,
        due: c.effective_due,
        reason: c.reason,
      })),
    };
  }

  /** Children that may be added to the discussions: the supervisees' allocated children. */
  async childrenToDiscuss(viewer: Viewer, id: string) {
    const session = await this.editable(viewer, id);
    const people = supervisees(session);
    if (people.length === 0) return [];
    const rows = await this.db
      .selectFrom('due_results as d')
      .innerJoin('children as c', 'c.id', 'd.subject_id')
      .select([
        'd.subject_id',
        'c.name',
        'd.worker_id',
        'd.effective_status',
        'd.effective_latest',
        'd.reason',
      ])
      .where('d.subject_kind', '=', 'child')
      .where('d.requirement', '=', 'case-supervision')
      .where('d.period_start', '=', '')
      .where('d.worker_id', 'in', people)
      .orderBy('d.status_rank')
      .orderBy('d.effective_latest')
      .orderBy('c.name')
      .execute();
    const already = new Set((await discussionsOf(this.db, id)).map((d) => d.childId));
    return rows
      .filter((r) => !already.has(r.subject_id))
      .map((r) => ({
        childId: r.subject_id,
        name: r.name,
        workerId: r.worker_id,
        status: r.effective_status,
        latest: r.effective_latest,
        reason: r.reason,
      }));
  }

  // -------------------------------------------------------------------------------------------
  // Saving the parts of a draft

  /**
   * Runs one save of one part of a draft in a transaction: claims the part's next revision
   * (refusing when someone else saved it since `expected`), writes, and stamps the session.
   */
  private async save(
    viewer: Viewer,
    id: string,
    section: Section,
    expected: number,
    write: (trx: Queryable, session: SessionRow) => Promise<void>,
    who: 'supervisor' | 'preparer' = 'supervisor',
  ): Promise<SaveResult> {
    const me = personOf(viewer);
    const session = await this.visible(viewer, id);
    const allowed =
      who === 'supervisor' ? mayEdit(session, me) : mayEdit(session, me) || mayPrepare(session, me);
    if (!allowed) {
      if (session.state !== 'draft') return { ok: false, reason: 'locked' };
      throw new ForbiddenError('not your draft');
    }
    const now = this.now();
    const result = await this.db.transaction().execute(async (trx) => {
      // Signed in between? Then this save is refused, whatever it says.
      const current = await trx
        .selectFrom('supervision_sessions')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirst();
      if (current?.state !== 'draft') return { ok: false as const, reason: 'locked' as const };
      const claim = await claimSection(trx, id, section, expected, me, now);
      if (!claim.ok) return { ok: false as const, reason: 'conflict' as const, claim };
      await write(trx, session);
      await updateSession(trx, id, {}, me, now);
      return { ok: true as const, revision: claim.revision };
    });
    if (result.ok) return result;
    if (result.reason === 'locked') return result;
    const by = result.claim.current.updatedBy;
    const names = await namesOf(this.db, 'people', by === null ? [] : [by]);
    return {
      ok: false,
      reason: 'conflict',
      byName: (by === null ? null : names.get(by)) ?? 'Someone',
      at: result.claim.current.updatedAt ?? now,
      revision: result.claim.current.revision,
    };
  }

  saveDetails(
    viewer: Viewer,
    id: string,
    expected: number,
    fields: Pick<SessionFields, 'date' | 'startTime' | 'endTime' | 'place' | 'confidentiality'> & {
      attendeeIds?: string[];
    },
  ): Promise<SaveResult> {
    return this.save(viewer, id, 'details', expected, async (trx, session) => {
      const { attendeeIds, ...rest } = fields;
      await updateSession(
        trx,
        id,
        {
          ...rest,
          confidentiality: session.type === 'group' ? (rest.confidentiality ?? null) : null,
        },
        personOf(viewer),
        this.now(),
      );
      if (attendeeIds !== undefined && session.type === 'group' && session.teamId !== null) {
        const members = new Set(
          (await listPeople(trx, { teamId: session.teamId })).map((p) => p.id),
        );
        if (!attendeeIds.every((a) => members.has(a))) throw new ForbiddenError('not in the team');
        await setParticipants(
          trx,
          id,
          attendeeIds.map((personId) => ({ personId, role: 'supervisee' as const })),
        );
      }
    });
  }

  savePersonal(
    viewer: Viewer,
    id: string,
    expected: number,
    text: { absence: string | null; wellbeing: string | null; learning: string | null },
  ): Promise<SaveResult> {
    return this.save(viewer, id, 'personal', expected, async (trx, session) => {
      const [person] = supervisees(session);
      if (session.type !== 'individual' || person === undefined)
        throw new ForbiddenError('only an individual session has a personal section');
      await savePersonal(
        trx,
        { sessionId: id, personId: person, authorId: personOf(viewer), ...text },
        this.now(),
      );
    });
  }

  saveReview(
    viewer: Viewer,
    id: string,
    expected: number,
    reviews: readonly ReviewRow[],
  ): Promise<SaveResult> {
    return this.save(viewer, id, 'review', expected, async (trx, session) => {
      const open = new Set((await openActionsFor(trx, supervisees(session), id)).map((a) => a.id));
      await saveReviews(
        trx,
        id,
        reviews.filter((r) => open.has(r.actionId)),
      );
    });
  }

  saveCases(
    viewer: Viewer,
    id: string,
    expected: number,
    allCases: 'all' | 'sample' | null,
  ): Promise<SaveResult> {
    return this.save(viewer, id, 'cases', expected, async (trx) => {
      await updateSession(trx, id, { allCases }, personOf(viewer), this.now());
    });
  }

  async addChildren(viewer: Viewer, id: string, childIds: readonly string[]): Promise<string[]> {
    const candidates = new Map(
      (await this.childrenToDiscuss(viewer, id)).map((c) => [c.childId, c]),
    );
    const chosen = [...new Set(childIds)].map((c) => candidates.get(c));
    if (chosen.some((c) => c === undefined)) throw new NotFoundError('child');
    const children = await readChildren(
      this.db,
      chosen.map((c) => c?.childId ?? ''),
    );
    const today = this.clock.today();
    const statusOf = (childId: string) => {
      const child = children.find((c) => c.id === childId);
      const open = (child?.involvements ?? [])
        .filter((i) => i.start <= today && (i.end === null || i.end >= today))
        .map((i) => label(INVOLVEMENT_LABELS, i.type));
      return open.length === 0 ? null : [...new Set(open)].join('; ');
    };
    return this.db.transaction().execute(async (trx) => {
      const current = await getSession(trx, id);
      if (current?.state !== 'draft') throw new ForbiddenError('locked');
      const ids = await addDiscussions(
        trx,
        id,
        chosen.map((c) => ({
          childId: c?.childId ?? '',
          workerId: c?.workerId ?? null,
          status: statusOf(c?.childId ?? ''),
        })),
      );
      await updateSession(trx, id, {}, personOf(viewer), this.now());
      return ids;
    });
  }

  async removeChild(viewer: Viewer, id: string, discussionId: string): Promise<void> {
    await this.editable(viewer, id);
    const discussion = await getDiscussion(this.db, discussionId);
    if (discussion?.sessionId !== id) throw new NotFoundError('discussion');
    await this.db.transaction().execute(async (trx) => {
      const current = await getSession(trx, id);
      if (current?.state !== 'draft') throw new ForbiddenError('locked');
      await removeDiscussion(trx, discussionId);
    });
  }

  async discussion(viewer: Viewer, id: string, discussionId: string): Promise<DiscussionRow> {
    await this.visible(viewer, id);
    const discussion = await getDiscussion(this.db, discussionId);
    if (discussion?.sessionId !== id) throw new NotFoundError('discussion');
    return discussion;
  }

  /**
   * Saves one case discussion. The supervisor writes all of it with its actions; a supervisee
   * preparing the session writes only the worker's part (Part A of the policy's record).
   */
  saveDiscussion(
    viewer: Viewer,
    id: string,
    discussionId: string,
    expected: number,
    text: Partial<DiscussionText>,
    actions: readonly ActionInput[] | null,
  ): Promise<SaveResult> {
    return this.save(
      viewer,
      id,
      `case:${discussionId}`,
      expected,
      async (trx, session) => {
        const discussion = await getDiscussion(trx, discussionId);
        if (discussion?.sessionId !== id) throw new NotFoundError('discussion');
        const supervisor = mayEdit(session, viewer.personId);
        const allowed: Partial<DiscussionText> = supervisor
          ? text
          : Object.fromEntries(
              Object.entries(text).filter(([k]) => PART_A.includes(k as keyof DiscussionText)),
            );
        await saveDiscussion(trx, discussionId, allowed);
        if (supervisor && actions !== null) {
          const owners = new Set([
            session.supervisorId,
            ...session.participants.map((p) => p.personId),
          ]);
          if (!actions.every((a) => owners.has(a.ownerId)))
            throw new ForbiddenError('an action owner must take part in the session');
          await replaceDraftActions(trx, id, discussionId, discussion.childId, actions, this.now());
        }
      },
      'preparer',
    );
  }

  saveGeneral(
    viewer: Viewer,
    id: string,
    expected: number,
    fields: { teamIssues: string | null; otherBusiness: string | null; nextDate: string | null },
  ): Promise<SaveResult> {
    return this.save(viewer, id, 'general', expected, async (trx) => {
      await updateSession(trx, id, fields, personOf(viewer), this.now());
    });
  }

  /**
   * Whether the date set for the next session falls after the date the policy says the next
   * supervision is due, counting this one: for an individual session the supervisee's professional
   * supervision, for a group session the team's group supervision.
   */
  async nextSessionCheck(session: SessionRow) {
    if (session.nextDate === null) return null;
    const { asOf } = await ensureCurrent(this.db, this.clock);
    const ctx = await loadDueContext(this.db, asOf);
    if (ctx === null) return null;
    const subject =
      session.type === 'individual'
        ? { kind: 'worker' as const, id: supervisees(session)[0] ?? '' }
        : session.type === 'group' && session.teamId !== null
          ? { kind: 'team' as const, id: session.teamId }
          : null;
    if (subject === null || subject.id === '') return null;
    const due = await dueAfterSession(this.db, ctx, subject, session.date);
    if (due === null) return null;
    return { ...due, late: session.nextDate > due.due };
  }

  // -------------------------------------------------------------------------------------------
  // Signing

  /** What stops the supervisor signing: each with the page to fix it on. */
  async signProblems(viewer: Viewer, id: string): Promise<SignProblem[]> {
    const data = await this.load(viewer, id);
    const problems: SignProblem[] = [];
    const today = this.clock.today();
    const base = `/supervision/${encodeURIComponent(id)}`;
    if (data.session.date > today)
      problems.push({
        text: 'The session date is in the future: a record can be signed once the session has happened',
        href: `${base}/details`,
      });
    if (supervisees(data.session).length === 0)
      problems.push({ text: 'Add at least one person who attended', href: `${base}/details` });
    if (data.session.type === 'group' && (data.session.confidentiality ?? '') === '')
      problems.push({
        text: 'Record what the group agreed about confidentiality',
        href: `${base}/details`,
      });
    if (data.session.type !== 'individual' && data.discussions.length === 0)
      problems.push({ text: 'Add the children discussed', href: `${base}/cases` });
    for (const d of data.discussions) {
      if ((d.decision ?? '') === '') {
        const child = data.children.get(d.childId);
        problems.push({
          text: `Record the decision for ${child?.name ?? d.childId}`,
          href: `${base}/cases/${encodeURIComponent(d.id)}`,
        });
      }
    }
    for (const r of data.reviews)
      if (r.outcome === 'dropped' && (r.reason ?? '') === '')
        problems.push({
          text: 'Give a reason for each action dropped',
          href: `${base}/review`,
        });
    return problems;
  }

  /**
   * The supervisor signs: the record is locked, the actions reviewed are closed or carried
   * forward (any not reviewed are carried forward), the supervisee's agenda items are taken up,
   * and the session counts for the engine, whose due dates move in the same transaction.
   */
  async signAsSupervisor(
    viewer: Viewer,
    id: string,
  ): Promise<{ ok: true } | { ok: false; problems: SignProblem[] }> {
    const session = await this.editable(viewer, id);
    const problems = await this.signProblems(viewer, id);
    if (problems.length > 0) return { ok: false, problems };
    const people = supervisees(session);
    const now = this.now();
    const { asOf } = await ensureCurrent(this.db, this.clock);
    await this.db.transaction().execute(async (trx) => {
      if (!(await markSupervisorSigned(trx, id, now))) throw new ForbiddenError('already signed');
      const reviews = await reviewsOf(trx, id);
      const reviewed = new Set(reviews.map((r) => r.actionId));
      // Not reviewed: an action its owner marked done is confirmed as done; any other is
      // carried forward.
      const carried: ReviewRow[] = (await openActionsFor(trx, people, id))
        .filter((a) => !reviewed.has(a.id))
        .map((a) => ({
          actionId: a.id,
          outcome: a.state === 'done' ? 'done' : 'carried',
          reason: null,
        }));
      if (carried.length > 0) await saveReviews(trx, id, [...reviews, ...carried]);
      await applyReviews(trx, id, [...reviews, ...carried], now);
      await takeUpAgendaItems(trx, people, id);
      const discussions = await discussionsOf(trx, id);
      const events = eventsForSession(
        session,
        discussions.map((d) => d.childId),
      );
      for (const event of events)
        await addEvent(trx, event, viewer.accountId, now, { kind: 'session', id });
      const ctx = await loadDueContext(trx, asOf);
      for (const kind of ['child', 'worker', 'team'] as const)
        await recomputeSubjects(trx, ctx, kind, [
          ...new Set(events.filter((e) => e.subjectKind === kind).map((e) => e.subjectId)),
        ]);
    });
    return { ok: true };
  }

  async open(viewer: Viewer, id: string): Promise<void> {
    const session = await this.visible(viewer, id);
    if (session.state === 'awaiting-supervisee' && viewer.personId !== null)
      await markRead(this.db, id, viewer.personId, this.now());
  }

  /** The supervisee signs, with a comment or a disagreement if they have one. */
  async signAsSupervisee(
    viewer: Viewer,
    id: string,
    response: { comment: string | null; disagreement: string | null },
  ): Promise<void> {
    const session = await this.visible(viewer, id);
    if (!maySignAsSupervisee(session, viewer.personId))
      throw new ForbiddenError('not yours to sign');
    const signed = await this.db
      .transaction()
      .execute((trx) => markSuperviseeSigned(trx, id, personOf(viewer), response, this.now()));
    if (!signed) throw new ForbiddenError('already signed');
  }

  async addAddendum(viewer: Viewer, id: string, text: string): Promise<void> {
    const session = await this.visible(viewer, id);
    if (!mayAddAddendum(session, viewer.personId)) throw new ForbiddenError('no addendum');
    await this.db
      .transaction()
      .execute((trx) =>
        addAddendum(trx, { sessionId: id, authorId: personOf(viewer), text }, this.now()),
      );
  }

  // -------------------------------------------------------------------------------------------
  // A person's supervision

  /** The supervision page: my drafts, records to sign, past records and my agenda items. */
  async mine(viewer: Viewer) {
    const me = personOf(viewer);
    const sessions = await sessionsOf(this.db, me);
    const items = await agendaItemsFor(this.db, [me], null);
    const person = await findPerson(this.db, me);
    const supervisor =
      person?.lineManagerId == null ? undefined : await findPerson(this.db, person.lineManagerId);
    const names = await namesOf(
      this.db,
      'people',
      sessions.flatMap((s) => [s.supervisorId, ...s.participants.map((p) => p.personId)]),
    );
    const teamNames = await namesOf(
      this.db,
      'teams',
      sessions.flatMap((s) => (s.teamId === null ? [] : [s.teamId])),
    );
    const options = await this.startOptions(viewer);
    return {
      me,
      sessions,
      items,
      supervisor: supervisor ?? null,
      names,
      teamNames,
      mayStart: options.supervisees.length > 0 || options.teams.length > 0,
    };
  }

  async addAgendaItem(viewer: Viewer, text: string): Promise<void> {
    const me = personOf(viewer);
    await addAgendaItem(this.db, { superviseeId: me, text, addedBy: me }, this.now());
  }

  async removeAgendaItem(viewer: Viewer, itemId: string): Promise<void> {
    await removeAgendaItem(this.db, itemId, personOf(viewer));
  }
}
