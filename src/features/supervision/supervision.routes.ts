import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { supervisees, type SessionType } from '../../domain/supervision/record.js';
import type { Viewer } from '../../domain/access/viewer.js';
import type { Db } from '../../db/database.js';
import { isAutosave, replyAutosave } from '../../plugins/autosave.js';
import {
  bodyOf,
  dateInput,
  type Body,
  type FormInput,
  type FormResult,
  type Problem,
} from '../admin/form-fields.js';
import { show } from '../admin/render.js';
import {
  breakGlassNotices,
  recordBreakGlass,
} from '../data-protection/data-protection.presenter.js';
import { displayName, label, ROLE_LABELS } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import {
  DISCUSSION_FIELDS,
  readAddendum,
  readAgendaItem,
  readAllCases,
  readDetails,
  readDiscussion,
  readGeneral,
  readNewSession,
  readPersonal,
  readResponse,
  readReview,
  readType,
  revisionOf,
  many,
} from './supervision.forms.js';
import {
  discussionTitle,
  OUTCOME_LABELS,
  personName,
  presentAction,
  savedBy,
  sessionSummaryRows,
  SESSION_TYPE_HINTS,
  SESSION_TYPE_LABELS,
  sessionHref,
  stateTag,
  stateWords,
  superviseeNames,
  taskStatus,
  type TaskStatus,
} from './supervision.presenter.js';
import { supervisionPrompts } from '../contracts/contracts.service.js';
import { SupervisionService, type SaveResult, type Section } from './supervision.service.js';
import { param, viewerOf } from '../request.js';

/** Where "Save and continue" goes from each part of a draft. */
const NEXT: Record<string, string> = {
  details: 'personal',
  personal: 'review',
  review: 'cases',
  cases: 'general',
  general: 'sign',
};

/** Whom a session was with, as the pages' headings say it: a group's team, else its people. */
function withWhomOf(data: {
  session: Parameters<typeof superviseeNames>[0];
  names: Parameters<typeof superviseeNames>[1];
  teamName: string | null;
}): string {
  if (data.session.type === 'group' && data.session.teamId !== null)
    return `the ${displayName(data.teamName, 'team', data.session.teamId)} group`;
  return superviseeNames(data.session, data.names);
}

export function supervisionRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const service = new SupervisionService(deps.db, deps.clock);

  /** The page after a save: the next part, or the task list when asked. */
  const after = (request: FastifyRequest, id: string, section: string): string => {
    const next = (bodyOf(request.body).next as string | undefined) ?? '';
    if (next === 'tasks') return sessionHref(id);
    return sessionHref(id, NEXT[section] ?? '');
  };

  /**
   * A save's answer: for an autosave, JSON; otherwise on to the next page, or the same form
   * again telling the person what happened, with everything they typed still in it.
   */
  const answer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    result: SaveResult,
    onward: string,
    input: FormInput,
    again: (notice: Notice) => Promise<unknown>,
  ) => {
    if (isAutosave(request)) return replyAutosave(reply, result, deps.clock.now());
    if (result.ok) return reply.redirect(onward, 303);
    if (result.reason === 'locked') return lockedPage(request, reply, input);
    return again({
      kind: 'conflict',
      byName: result.byName,
      at: result.at,
      revision: result.revision,
    });
  };

  /**
   * A save that arrived after the record was signed: nothing is changed, and what the person
   * wrote is shown back to them so that they can add it as an addendum.
   */
  const lockedPage = async (request: FastifyRequest, reply: FastifyReply, input: FormInput) => {
    const id = param(request, 'id');
    const data = await service.load(viewerOf(request), id);
    const labels: Record<string, string> = Object.fromEntries(DISCUSSION_FIELDS);
    Object.assign(labels, {
      absence: 'Leave, sickness and training',
      wellbeing: 'Wellbeing and support',
      learning: 'Learning and development',
      teamIssues: 'Team and general issues',
      otherBusiness: 'Any other business',
      confidentiality: 'What the group agreed about confidentiality',
    });
    const unsaved = Object.entries(input)
      .filter(([k, v]) => v !== '' && (k in labels || /^action-\d+-description$/.test(k)))
      .map(([k, v]) => ({ label: labels[k] ?? 'An action', text: v }));
    return show(
      reply,
      'supervision/locked',
      {
        pageTitle: 'This record has been signed',
        id,
        signedAt: data.session.supervisorSignedAt,
        supervisorName: personName(data.names, data.session.supervisorId),
        unsaved,
        mayAddAddendum: data.mayAddAddendum,
        recordHref: sessionHref(id),
      },
      undefined,
      409,
    );
  };

  const refused = (problems: readonly Problem[], input: FormInput) => ({ problems, input });

  // ---------------------------------------------------------------------------------------------
  // Pages

  const taskList = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const viewer = viewerOf(request);
    const data = await service.load(viewer, id);
    const agenda = await service.agenda(viewer, id);
    const problems = await service.signProblems(viewer, id);
    const { session } = data;
    const personalStatus: TaskStatus =
      data.personal === null
        ? 'not-started'
        : [data.personal.absence, data.personal.wellbeing, data.personal.learning].every(
              (t) => t !== null,
            )
          ? 'completed'
          : 'in-progress';
    const reviewStatus: TaskStatus =
      agenda.actions.length === 0 || data.reviews.length >= agenda.actions.length
        ? 'completed'
        : data.reviews.length > 0
          ? 'in-progress'
          : 'not-started';
    const decided = data.discussions.filter((d) => (d.decision ?? '') !== '').length;
    const casesStatus: TaskStatus =
      data.discussions.length === 0
        ? 'not-started'
        : decided === data.discussions.length
          ? 'completed'
          : 'in-progress';
    const generalStatus: TaskStatus = data.revisions.has('general') ? 'completed' : 'not-started';
    const tasks: { title: string; hint?: string; href: string; status: object }[] = [
      {
        title: 'When, where and who',
        href: sessionHref(id, 'details'),
        status: taskStatus('completed'),
      },
      ...(session.type === 'individual'
        ? [
            {
              title: 'Personal (confidential)',
              hint: 'Leave, sickness and training; wellbeing and support; learning and development',
              href: sessionHref(id, 'personal'),
              status: taskStatus(personalStatus),
            },
          ]
        : []),
      {
        title: 'Review of actions',
        hint:
          agenda.actions.length === 0
            ? 'No open actions from earlier sessions'
            : `${String(agenda.actions.length)} open from earlier sessions`,
        href: sessionHref(id, 'review'),
        status: taskStatus(reviewStatus),
      },
      {
        title: 'Case discussions',
        hint:
          data.discussions.length === 0
            ? `${String(agenda.dueChildren.length)} due or overdue for discussion`
            : `${String(decided)} of ${String(data.discussions.length)} with a decision`,
        href: sessionHref(id, 'cases'),
        status: taskStatus(casesStatus),
      },
      {
        title: 'Team and general issues, next session',
        href: sessionHref(id, 'general'),
        status: taskStatus(generalStatus),
      },
    ];
    return show(reply, 'supervision/task-list', {
      pageTitle: `${SESSION_TYPE_LABELS[session.type]}: draft`,
      session,
      id,
      typeLabel: SESSION_TYPE_LABELS[session.type],
      withWhom: withWhomOf(data),
      tasksForList: tasks.map((t) => ({
        title: { text: t.title },
        ...(t.hint === undefined ? {} : { hint: { text: t.hint } }),
        href: t.href,
        status: t.status,
      })),
      signForList: {
        title: { text: 'Check and sign' },
        href: sessionHref(id, 'sign'),
        status: taskStatus(problems.length === 0 ? 'not-started' : 'cannot-start'),
      },
      agendaHref: sessionHref(id, 'agenda'),
      agendaCounts: {
        items: agenda.items.length,
        actions: agenda.actions.length,
        children: agenda.dueChildren.length,
        contract: agenda.contractReviews.length,
      },
      lastSaved: session.updatedAt,
    });
  };

  /** What a supervisee sees of a draft they are in: the agenda, and Part A of their cases. */
  const preparation = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const viewer = viewerOf(request);
    const data = await service.load(viewer, id);
    const agenda = await service.agenda(viewer, id);
    return show(reply, 'supervision/prepare', {
      pageTitle: 'Prepare for supervision',
      session: data.session,
      id,
      typeLabel: SESSION_TYPE_LABELS[data.session.type],
      supervisorName: personName(data.names, data.session.supervisorId),
      agenda: presentAgenda(agenda, agenda.names, deps.clock.today()),
      discussions: data.discussions
        .filter((d) => d.workerId === viewer.personId)
        .map((d) => ({
          ...d,
          title: discussionTitle(d, data.children),
          href: sessionHref(id, `cases/${encodeURIComponent(d.id)}`),
        })),
    });
  };

  const presentAgenda = (
    agenda: Awaited<ReturnType<SupervisionService['agenda']>>,
    names: ReadonlyMap<string, string | null>,
    today: string,
  ) => ({
    items: agenda.items.map((i) => ({ ...i, byName: personName(names, i.addedBy) })),
    actions: agenda.actions.map((a) => presentAction(a, names, today)),
    dueChildren: agenda.dueChildren.map((c) => ({
      ...c,
      title: displayName(c.name, 'child', c.childId),
      href: `/children/${encodeURIComponent(c.childId)}`,
    })),
    contractReviews: agenda.contractReviews.map((c) => ({
      ...c,
      name: personName(names, c.personId),
    })),
  });

  const record = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    failure?: { problems: readonly Problem[]; input: FormInput; form: string },
  ) => {
    const viewer = viewerOf(request);
    await service.open(viewer, id);
    const data = await service.load(viewer, id);
    const { session } = data;
    const today = deps.clock.today();
    const names = data.names;
    const next = await service.nextSessionCheck(session);
    return show(
      reply,
      'supervision/record',
      {
        pageTitle: `${SESSION_TYPE_LABELS[session.type]} on ${session.date}`,
        session,
        id,
        typeLabel: SESSION_TYPE_LABELS[session.type],
        stateWords: stateWords(session, names),
        summaryRows: sessionSummaryRows(session, names, {
          teamName: data.teamName,
          daysToSign: data.daysToSign,
        }),
        stateTag: stateTag(session),
        supervisorName: personName(names, session.supervisorId),
        supervisees: session.participants
          .filter((p) => p.role === 'supervisee')
          .map((p) => ({ ...p, name: personName(names, p.personId) })),
        coWorkers: session.participants
          .filter((p) => p.role === 'co-worker')
          .map((p) => ({ ...p, name: personName(names, p.personId) })),
        teamName: data.teamName,
        relation: data.relation,
        mayReadPersonal: data.mayReadPersonal,
        personal: data.personal,
        reviewed: data.reviewed.map((a) => ({
          ...presentAction(a, names, today),
          review: data.reviews.find((r) => r.actionId === a.id),
        })),
        outcomeLabels: OUTCOME_LABELS,
        discussions: data.discussions.map((d) => ({
          ...d,
          title: discussionTitle(d, data.children),
          childHref: `/children/${encodeURIComponent(d.childId)}`,
          dateOfBirth: data.children.get(d.childId)?.dateOfBirth ?? null,
          actions: data.actions
            .filter((a) => a.discussionId === d.id)
            .map((a) => presentAction(a, names, today)),
          decisionRecordHref: sessionHref(id, `cases/${encodeURIComponent(d.id)}/decision-record`),
        })),
        fields: DISCUSSION_FIELDS.filter(([f]) => f !== 'status'),
        addenda: data.addenda.map((a) => ({ ...a, authorName: personName(names, a.authorId) })),
        maySign: data.maySign,
        mayAddAddendum: data.mayAddAddendum,
        daysToSign: data.daysToSign,
        next,
        failedForm: failure?.form ?? null,
        justSigned: (request.query as Record<string, string | undefined>).signed === '1',
        justCountersigned:
          (request.query as Record<string, string | undefined>).countersigned === '1',
        breakGlass: await recordBreakGlass(deps, viewer, session),
      },
      failure,
    );
  };

  type Failure = { problems: readonly Problem[]; input: FormInput };
  type LoadedDraft = Awaited<ReturnType<SupervisionService['load']>>;

  /**
   * A part of a draft, as its supervisor edits it: loads the draft (a signed record goes to the
   * record; someone else's draft is refused), and shows the part's page with its revision, what
   * was typed when a save was refused, and a clash with someone else's save (409).
   */
  function draftPart(part: {
    template: string;
    title: string;
    section: Section;
    build: (
      data: LoadedDraft,
      viewer: Viewer,
    ) => Promise<Record<string, unknown>> | Record<string, unknown>;
  }) {
    return async (
      request: FastifyRequest,
      reply: FastifyReply,
      failure?: Failure,
      notice?: Notice,
    ) => {
      const id = param(request, 'id');
      const viewer = viewerOf(request);
      const data = await service.load(viewer, id);
      if (!data.mayEdit) return lockedOr(reply, data.session.state, id);
      return show(
        reply,
        part.template,
        {
          pageTitle: part.title,
          id,
          session: data.session,
          withWhom: withWhomOf(data),
          ...(await part.build(data, viewer)),
          ...sectionState(data, part.section, notice),
        },
        failure,
        notice === undefined ? undefined : 409,
      );
    };
  }

  const personalPage = draftPart({
    template: 'supervision/personal',
    title: 'Personal (confidential)',
    section: 'personal',
    build: (data) => {
      if (data.session.type !== 'individual') throw new NotFoundError('personal section');
      return {
        values: {
          absence: data.personal?.absence ?? '',
          wellbeing: data.personal?.wellbeing ?? '',
          learning: data.personal?.learning ?? '',
        },
      };
    },
  });

  const generalPage = draftPart({
    template: 'supervision/general',
    title: 'Team and general issues, next session',
    section: 'general',
    build: async (data) => ({
      values: {
        teamIssues: data.session.teamIssues ?? '',
        otherBusiness: data.session.otherBusiness ?? '',
        ...dateInput('nextDate', data.session.nextDate),
      },
      next: await service.nextSessionCheck(data.session),
    }),
  });

  const detailsPage = draftPart({
    template: 'supervision/details',
    title: 'When, where and who',
    section: 'details',
    build: async (data, viewer) => {
      const { session } = data;
      const options = session.type === 'group' ? await service.startOptions(viewer) : null;
      const team = options?.teams.find((t) => t.id === session.teamId);
      const attending = new Set(supervisees(session));
      return {
        typeLabel: SESSION_TYPE_LABELS[session.type],
        coWorkers: session.participants
          .filter((p) => p.role === 'co-worker')
          .map((p) => personName(data.names, p.personId)),
        members: (team?.members ?? []).map((p) => ({
          value: p.id,
          text: displayName(p.name, 'worker', p.id),
          checked: attending.has(p.id),
        })),
        values: {
          ...dateInput('date', session.date),
          startTime: session.startTime ?? '',
          endTime: session.endTime ?? '',
          place: session.place ?? '',
          confidentiality: session.confidentiality ?? '',
        },
      };
    },
  });

  const reviewPage = draftPart({
    template: 'supervision/review',
    title: 'Review of actions',
    section: 'review',
    build: async (data, viewer) => {
      const agenda = await service.agenda(viewer, data.session.id);
      const values: FormInput = {};
      // Marked done by its owner since the last session: "Done" until the supervisor says otherwise.
      for (const a of agenda.actions) if (a.state === 'done') values[`outcome-${a.id}`] = 'done';
      for (const r of data.reviews) {
        values[`outcome-${r.actionId}`] = r.outcome;
        values[`reason-${r.actionId}`] = r.reason ?? '';
      }
      const today = deps.clock.today();
      return { actions: agenda.actions.map((a) => presentAction(a, agenda.names, today)), values };
    },
  });

  const casesPage = draftPart({
    template: 'supervision/cases',
    title: 'Case discussions',
    section: 'cases',
    build: async (data, viewer) => {
      const id = data.session.id;
      const candidates = await service.childrenToDiscuss(viewer, id);
      return {
        discussions: data.discussions.map((d) => ({
          ...d,
          title: discussionTitle(d, data.children),
          href: sessionHref(id, `cases/${encodeURIComponent(d.id)}`),
          removeAction: sessionHref(id, `cases/${encodeURIComponent(d.id)}/remove`),
          actionCount: data.actions.filter((a) => a.discussionId === d.id).length,
          decided: (d.decision ?? '') !== '',
        })),
        candidates: candidates.length,
        addHref: sessionHref(id, 'cases/add'),
        values: { allCases: data.session.allCases ?? '' },
      };
    },
  });

  /**
   * A part of a draft's two routes: its page, and saving it (a refused form shown again, an
   * autosave answered in JSON, a save after the session timed out still kept).
   */
  function partRoutes<T>(
    part: 'details' | 'personal' | 'review' | 'cases' | 'general',
    page: (
      request: FastifyRequest,
      reply: FastifyReply,
      failure?: Failure,
      notice?: Notice,
    ) => Promise<unknown>,
    read: (body: Body, viewer: Viewer, id: string) => Promise<FormResult<T>>,
    save: (
      viewer: Viewer,
      id: string,
      revision: number,
      value: T,
      body: Body,
    ) => Promise<SaveResult>,
  ): RouteDefinition[] {
    const url = `/supervision/:id/${part}`;
    return [
      {
        method: 'GET',
        url,
        need: 'myWork',
        handler: async (request, reply) => page(request, reply),
      },
      {
        method: 'POST',
        url,
        need: 'myWork',
        keepsDraft: true,
        handler: async (request, reply) => {
          const id = param(request, 'id');
          const viewer = viewerOf(request);
          const body = bodyOf(request.body);
          const form = await read(body, viewer, id);
          if (!form.ok) return page(request, reply, refused(form.problems, form.input));
          const result = await save(viewer, id, revisionOf(body), form.value, body);
          return answer(request, reply, result, after(request, id, part), form.input, (notice) =>
            page(request, reply, { problems: [], input: form.input }, notice),
          );
        },
      },
    ];
  }

  // ---------------------------------------------------------------------------------------------
  // The routes

  return [
    {
      method: 'GET',
      url: '/supervision',
      need: 'myWork',
      handler: async (request, reply) => supervisionHome(request, reply),
    },
    {
      method: 'POST',
      url: '/supervision/agenda-items',
      need: 'myWork',
      handler: async (request, reply) => {
        const form = readAgendaItem(bodyOf(request.body));
        if (!form.ok) return supervisionHome(request, reply, refused(form.problems, form.input));
        await service.addAgendaItem(viewerOf(request), form.value);
        return reply.redirect('/supervision#agenda', 303);
      },
    },
    {
      method: 'POST',
      url: '/supervision/agenda-items/:itemId/remove',
      need: 'myWork',
      handler: async (request, reply) => {
        await service.removeAgendaItem(viewerOf(request), param(request, 'itemId'));
        return reply.redirect('/supervision#agenda', 303);
      },
    },
    {
      method: 'GET',
      url: '/supervision/new',
      need: 'myWork',
      handler: async (request, reply) => newTypePage(request, reply),
    },
    {
      method: 'POST',
      url: '/supervision/new',
      need: 'myWork',
      handler: async (request, reply) => {
        const form = readType(bodyOf(request.body));
        if (!form.ok) return newTypePage(request, reply, refused(form.problems, form.input));
        return reply.redirect(`/supervision/new/${form.value}`, 303);
      },
    },
    {
      method: 'GET',
      url: '/supervision/new/:type',
      need: 'myWork',
      handler: async (request, reply) => newDetailsPage(request, reply, typeParam(request)),
    },
    {
      method: 'POST',
      url: '/supervision/new/:type',
      need: 'myWork',
      handler: async (request, reply) => {
        const type = typeParam(request);
        const form = readNewSession(bodyOf(request.body), type);
        if (!form.ok)
          return newDetailsPage(request, reply, type, refused(form.problems, form.input));
        const id = await service.start(viewerOf(request), { type, ...form.value });
        return reply.redirect(sessionHref(id), 303);
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const viewer = viewerOf(request);
        const data = await service.load(viewer, id);
        if (data.mayEdit) return taskList(request, reply, id);
        if (data.mayPrepare) return preparation(request, reply, id);
        return record(request, reply, id);
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id/agenda',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const viewer = viewerOf(request);
        const data = await service.load(viewer, id);
        const agenda = await service.agenda(viewer, id);
        return show(reply, 'supervision/agenda', {
          pageTitle: 'Agenda',
          id,
          session: data.session,
          typeLabel: SESSION_TYPE_LABELS[data.session.type],
          withWhom: withWhomOf(data),
          supervisorName: personName(data.names, data.session.supervisorId),
          agenda: presentAgenda(agenda, agenda.names, deps.clock.today()),
          backHref: sessionHref(id),
        });
      },
    },
    ...partRoutes(
      'details',
      detailsPage,
      // Reading needs only the session; whether it may still be saved is the save's to say.
      async (body, viewer, id) => readDetails(body, (await service.visible(viewer, id)).type),
      async (viewer, id, revision, value, body) => {
        const session = await service.visible(viewer, id);
        const attendeeIds = session.type === 'group' ? many(body, 'attendees') : undefined;
        return service.saveDetails(viewer, id, revision, {
          ...value,
          ...(attendeeIds === undefined ? {} : { attendeeIds }),
        });
      },
    ),
    ...partRoutes(
      'personal',
      personalPage,
      (body) => Promise.resolve(readPersonal(body)),
      (viewer, id, revision, value) => service.savePersonal(viewer, id, revision, value),
    ),
    ...partRoutes(
      'review',
      reviewPage,
      async (body, viewer, id) =>
        readReview(
          body,
          (await service.agenda(viewer, id)).actions.map((a) => a.id),
        ),
      (viewer, id, revision, value) => service.saveReview(viewer, id, revision, value),
    ),
    ...partRoutes(
      'cases',
      casesPage,
      (body) => Promise.resolve(readAllCases(body)),
      (viewer, id, revision, value) => service.saveCases(viewer, id, revision, value),
    ),
    {
      method: 'GET',
      url: '/supervision/:id/cases/add',
      need: 'myWork',
      handler: async (request, reply) => addChildrenPage(request, reply),
    },
    {
      method: 'POST',
      url: '/supervision/:id/cases/add',
      need: 'myWork',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const chosen = many(bodyOf(request.body), 'children');
        if (chosen.length === 0)
          return addChildrenPage(
            request,
            reply,
            refused([{ field: 'children', message: 'Select the children to discuss' }], {}),
          );
        const [first] = await service.addChildren(viewerOf(request), id, chosen);
        return reply.redirect(
          chosen.length === 1 && first !== undefined
            ? sessionHref(id, `cases/${encodeURIComponent(first)}`)
            : sessionHref(id, 'cases'),
          303,
        );
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id/cases/:discussionId',
      need: 'myWork',
      handler: async (request, reply) => discussionPage(request, reply),
    },
    {
      method: 'POST',
      url: '/supervision/:id/cases/:discussionId',
      need: 'myWork',
      keepsDraft: true,
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const discussionId = param(request, 'discussionId');
        const viewer = viewerOf(request);
        const data = await service.load(viewer, id);
        const body = bodyOf(request.body);
        if (!data.mayEdit && !data.mayPrepare) {
          if (data.session.state === 'draft') throw new ForbiddenError('not your draft');
          const locked = { ok: false as const, reason: 'locked' as const };
          if (isAutosave(request)) return replyAutosave(reply, locked, deps.clock.now());
          return lockedPage(request, reply, readDiscussion(body, [], 50).input);
        }
        const rows = Number(bodyOf(request.body).rows ?? 0) || 0;
        const owners = [
          data.session.supervisorId,
          ...data.session.participants.map((p) => p.personId),
        ];
        const form = readDiscussion(body, owners, Math.min(Math.max(rows, 0), 50));
        if (!form.ok) return discussionPage(request, reply, refused(form.problems, form.input));
        const result = await service.saveDiscussion(
          viewer,
          id,
          discussionId,
          revisionOf(body),
          form.value.text,
          data.mayEdit ? form.value.actions : null,
        );
        const next = (body.next as string | undefined) ?? '';
        const onward =
          next === 'another'
            ? `${sessionHref(id, `cases/${encodeURIComponent(discussionId)}`)}?add=1#actions`
            : data.mayEdit
              ? sessionHref(id, 'cases')
              : sessionHref(id);
        return answer(request, reply, result, onward, form.input, (notice) =>
          discussionPage(request, reply, { problems: [], input: form.input }, notice),
        );
      },
    },
    {
      method: 'POST',
      url: '/supervision/:id/cases/:discussionId/remove',
      need: 'myWork',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        await service.removeChild(viewerOf(request), id, param(request, 'discussionId'));
        return reply.redirect(sessionHref(id, 'cases'), 303);
      },
    },
    ...partRoutes(
      'general',
      generalPage,
      async (body, viewer, id) => readGeneral(body, (await service.visible(viewer, id)).date),
      (viewer, id, revision, value) => service.saveGeneral(viewer, id, revision, value),
    ),
    {
      method: 'GET',
      url: '/supervision/:id/sign',
      need: 'myWork',
      handler: async (request, reply) => signPage(request, reply),
    },
    {
      method: 'POST',
      url: '/supervision/:id/sign',
      need: 'myWork',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const result = await service.signAsSupervisor(viewerOf(request), id);
        if (!result.ok)
          return signPage(request, reply, {
            problems: result.problems.map((p, i) => ({
              field: `problem${String(i)}`,
              message: p.text,
              href: p.href,
            })),
            input: {},
          });
        return reply.redirect(`${sessionHref(id)}?signed=1`, 303);
      },
    },
    {
      method: 'POST',
      url: '/supervision/:id/countersign',
      need: 'myWork',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const form = readResponse(bodyOf(request.body));
        if (!form.ok)
          return record(request, reply, id, {
            ...refused(form.problems, form.input),
            form: 'countersign',
          });
        await service.signAsSupervisee(viewerOf(request), id, form.value);
        return reply.redirect(`${sessionHref(id)}?countersigned=1`, 303);
      },
    },
    {
      method: 'POST',
      url: '/supervision/:id/addenda',
      need: 'myWork',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const form = readAddendum(bodyOf(request.body));
        if (!form.ok)
          return record(request, reply, id, {
            ...refused(form.problems, form.input),
            form: 'addendum',
          });
        await service.addAddendum(viewerOf(request), id, form.value);
        return reply.redirect(`${sessionHref(id)}#addenda`, 303);
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id/discard',
      need: 'myWork',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const viewer = viewerOf(request);
        const session = await service.editable(viewer, id);
        const data = await service.load(viewer, id);
        return show(reply, 'supervision/discard', {
          pageTitle: 'Delete this draft',
          id,
          session,
          withWhom: withWhomOf(data),
          typeLabel: SESSION_TYPE_LABELS[session.type],
        });
      },
    },
    {
      method: 'POST',
      url: '/supervision/:id/discard',
      need: 'myWork',
      handler: async (request, reply) => {
        await service.discard(viewerOf(request), param(request, 'id'));
        return reply.redirect('/supervision?discarded=1', 303);
      },
    },
  ];

  // ---------------------------------------------------------------------------------------------
  // Page builders

  function typeParam(request: FastifyRequest): SessionType {
    const type = param(request, 'type');
    if (type !== 'individual' && type !== 'group' && type !== 'joint')
      throw new NotFoundError('session type');
    return type;
  }

  async function supervisionHome(request: FastifyRequest, reply: FastifyReply, failure?: Failure) {
    const viewer = viewerOf(request);
    const data = await service.mine(viewer);
    const me = data.me;
    const row = (s: (typeof data.sessions)[number]) => ({
      id: s.id,
      href: sessionHref(s.id),
      date: s.date,
      typeLabel: SESSION_TYPE_LABELS[s.type],
      supervisorName: personName(data.names, s.supervisorId),
      withWhom:
        s.type === 'group' && s.teamId !== null
          ? displayName(data.teamNames.get(s.teamId) ?? null, 'team', s.teamId)
          : superviseeNames(s, data.names),
      stateTag: stateTag(s),
      stateWords: stateWords(s, data.names),
    });
    const writing = data.sessions.filter((s) => s.state === 'draft' && s.supervisorId === me);
    const preparing = data.sessions.filter(
      (s) => s.state === 'draft' && supervisees(s).includes(me),
    );
    const toSign = data.sessions.filter(
      (s) =>
        s.state === 'awaiting-supervisee' &&
        s.participants.some(
          (p) => p.personId === me && p.role === 'supervisee' && p.signedAt === null,
        ),
    );
    const waiting = data.sessions.filter(
      (s) => s.state === 'awaiting-supervisee' && s.supervisorId === me,
    );
    const signed = data.sessions.filter((s) => s.state !== 'draft');
    const query = request.query as Record<string, string | undefined>;
    return show(
      reply,
      'supervision/index',
      {
        pageTitle: 'Supervision',
        mayStart: data.mayStart,
        supervisorName: data.supervisor
          ? displayName(data.supervisor.name, 'worker', data.supervisor.id)
          : null,
        supervisorRole: data.supervisor ? label(ROLE_LABELS, data.supervisor.role) : null,
        writing: writing.map(row),
        preparing: preparing.map(row),
        toSign: toSign.map(row),
        waiting: waiting.map(row),
        records: signed.map(row),
        items: data.items,
        discarded: query.discarded === '1',
        prompts: await supervisionPrompts(deps.db, data.me, deps.clock.today()),
        breakGlass: await breakGlassNotices(deps, viewer, '/supervision'),
      },
      failure,
    );
  }

  async function newTypePage(request: FastifyRequest, reply: FastifyReply, failure?: Failure) {
    const options = await service.startOptions(viewerOf(request));
    const types = (['individual', 'group', 'joint'] as const).filter((t) =>
      t === 'group' ? options.teams.length > 0 : options.supervisees.length > 0,
    );
    if (types.length === 0) throw new ForbiddenError('no one to supervise');
    return show(
      reply,
      'supervision/new-type',
      {
        pageTitle: 'What kind of session?',
        typeItems: types.map((t) => ({
          value: t,
          text: SESSION_TYPE_LABELS[t],
          hint: { text: SESSION_TYPE_HINTS[t] },
        })),
      },
      failure,
    );
  }

  async function newDetailsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    type: SessionType,
    failure?: Failure,
  ) {
    const options = await service.startOptions(viewerOf(request));
    if (type === 'group' ? options.teams.length === 0 : options.supervisees.length === 0)
      throw new ForbiddenError('no one to supervise');
    const query = request.query as Record<string, string | undefined>;
    const values: FormInput = {
      ...dateInput('date', deps.clock.today()),
      supervisee: query.supervisee ?? '',
      teamId: query.team ?? options.teams[0]?.id ?? '',
    };
    const chosenAttendees = new Set((failure?.input.attendees ?? '').split(',').filter(Boolean));
    const chosenCoWorkers = new Set((failure?.input.coWorkers ?? '').split(',').filter(Boolean));
    const person = (p: {
      id: string;
      name: string | null;
      role: string;
      teamName?: string | null;
    }) => `${displayName(p.name, 'worker', p.id)} (${label(ROLE_LABELS, p.role)})`;
    const mine = new Set(options.supervisees.map((p) => p.id));
    return show(
      reply,
      'supervision/new-details',
      {
        pageTitle: SESSION_TYPE_LABELS[type],
        type,
        typeLabel: SESSION_TYPE_LABELS[type],
        superviseeItems: [
          { value: '', text: 'Select a person' },
          ...options.supervisees.map((p) => ({ value: p.id, text: person(p) })),
        ],
        teams: options.teams.map((t) => ({
          id: t.id,
          name: displayName(t.name, 'team', t.id),
          members: t.members.map((p) => ({
            value: p.id,
            text: person(p),
            checked: failure === undefined ? mine.has(p.id) : chosenAttendees.has(p.id),
          })),
        })),
        teamItems: options.teams.map((t) => ({
          value: t.id,
          text: displayName(t.name, 'team', t.id),
        })),
        coWorkerItems: options.everyone
          .filter((p) => !mine.has(p.id))
          .map((p) => ({
            value: p.id,
            text: `${displayName(p.name, 'worker', p.id)}, ${label(ROLE_LABELS, p.role)}${p.teamName ? `, ${p.teamName}` : ''}`,
            selected: chosenCoWorkers.has(p.id),
          })),
        values,
      },
      failure,
    );
  }

  async function addChildrenPage(request: FastifyRequest, reply: FastifyReply, failure?: Failure) {
    const id = param(request, 'id');
    const viewer = viewerOf(request);
    const data = await service.load(viewer, id);
    if (!data.mayEdit) return lockedOr(reply, data.session.state, id);
    const candidates = await service.childrenToDiscuss(viewer, id);
    return show(
      reply,
      'supervision/add-children',
      {
        pageTitle: 'Which children will you discuss?',
        id,
        session: data.session,
        withWhom: withWhomOf(data),
        items: candidates.map((c) => ({
          value: c.childId,
          text: displayName(c.name, 'child', c.childId),
          hint: {
            text: `${c.status === 'overdue' ? 'Overdue' : c.status === 'due' ? 'Due' : 'On track'}: ${c.reason}`,
          },
        })),
        backHref: sessionHref(id, 'cases'),
      },
      failure,
    );
  }

  async function discussionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    failure?: Failure,
    notice?: Notice,
  ) {
    const id = param(request, 'id');
    const discussionId = param(request, 'discussionId');
    const viewer = viewerOf(request);
    const data = await service.load(viewer, id);
    const discussion = data.discussions.find((d) => d.id === discussionId);
    if (discussion === undefined) throw new NotFoundError('discussion');
    if (!data.mayEdit && !data.mayPrepare) return lockedOr(reply, data.session.state, id);
    if (!data.mayEdit && discussion.workerId !== viewer.personId)
      throw new NotFoundError('discussion');
    const actions = data.actions.filter((a) => a.discussionId === discussionId);
    const query = request.query as Record<string, string | undefined>;
    const postedRows = Number(failure?.input.rows ?? 0);
    const rows = Math.max(actions.length + (query.add === '1' ? 2 : 1), postedRows, 1);
    const values: FormInput = {};
    for (const [field] of DISCUSSION_FIELDS) values[field] = discussion[field] ?? '';
    actions.forEach((a, i) => {
      const key = `action-${String(i + 1)}`;
      values[`${key}-description`] = a.description;
      values[`${key}-owner`] = a.ownerId;
      Object.assign(values, dateInput(`${key}-due`, a.dueDate));
    });
    const owners = [data.session.supervisorId, ...data.session.participants.map((p) => p.personId)];
    const child = data.children.get(discussion.childId);
    return show(
      reply,
      'supervision/discussion',
      {
        pageTitle: `Case discussion: ${discussionTitle(discussion, data.children)}`,
        id,
        session: data.session,
        discussion,
        childName: discussionTitle(discussion, data.children),
        childHref: `/children/${encodeURIComponent(discussion.childId)}`,
        dateOfBirth: child?.dateOfBirth ?? null,
        supervisor: data.mayEdit,
        fields: DISCUSSION_FIELDS.filter(
          ([f]) => data.mayEdit || (f !== 'decision' && f !== 'rationale'),
        ).map(([name, text]) => ({ name, text })),
        rows,
        rowNumbers: Array.from({ length: rows }, (_, i) => i + 1),
        ownerItems: owners.map((o) => ({ value: o, text: personName(data.names, o) })),
        values,
        backHref: data.mayEdit ? sessionHref(id, 'cases') : sessionHref(id),
        ...sectionState(data, `case:${discussionId}`, notice),
      },
      failure && { ...failure, input: { ...failure.input, rows: String(rows) } },
      notice === undefined ? undefined : 409,
    );
  }

  async function signPage(request: FastifyRequest, reply: FastifyReply, failure?: Failure) {
    const id = param(request, 'id');
    const viewer = viewerOf(request);
    const data = await service.load(viewer, id);
    if (!data.mayEdit) return lockedOr(reply, data.session.state, id);
    const problems = await service.signProblems(viewer, id);
    const agenda = await service.agenda(viewer, id);
    const today = deps.clock.today();
    const next = await service.nextSessionCheck(data.session);
    const unreviewed = agenda.actions.filter((a) => !data.reviews.some((r) => r.actionId === a.id));
    return show(
      reply,
      'supervision/sign',
      {
        pageTitle: 'Check the record and sign it',
        summaryRows: sessionSummaryRows(data.session, data.names, {
          teamName: data.teamName,
          changeHref: sessionHref(id, 'details'),
        }),
        id,
        session: data.session,
        typeLabel: SESSION_TYPE_LABELS[data.session.type],
        withWhom: withWhomOf(data),
        coWorkers: data.session.participants
          .filter((p) => p.role === 'co-worker')
          .map((p) => personName(data.names, p.personId)),
        personal: data.personal,
        reviewed: data.reviewed.map((a) => ({
          ...presentAction(a, data.names, today),
          review: data.reviews.find((r) => r.actionId === a.id),
        })),
        unreviewed: unreviewed.length,
        outcomeLabels: OUTCOME_LABELS,
        discussions: data.discussions.map((d) => ({
          ...d,
          title: discussionTitle(d, data.children),
          href: sessionHref(id, `cases/${encodeURIComponent(d.id)}`),
          actions: data.actions
            .filter((a) => a.discussionId === d.id)
            .map((a) => presentAction(a, data.names, today)),
        })),
        fields: DISCUSSION_FIELDS.filter(([f]) => f !== 'status'),
        next,
        problems,
        countsAs: countsAs(data.session.type, data.discussions.length),
      },
      failure,
    );
  }

  function countsAs(type: SessionType, children: number): string {
    const kids = `${String(children)} ${children === 1 ? 'child' : 'children'}`;
    switch (type) {
      case 'individual':
        return `Signing counts this session, on its date, as the supervisee’s professional supervision and as case supervision for the ${kids} discussed. Their due dates move at once.`;
      case 'group':
        return `Signing counts this session, on its date, as the team’s group supervision and as group case supervision for the ${kids} discussed. Their due dates move at once.`;
      case 'joint':
        return `Signing counts this session, on its date, as case supervision for the ${kids} discussed. It is not anyone’s professional supervision.`;
    }
  }

  /** A draft's page opened once the record is signed goes to the record; a draft not theirs is refused. */
  async function lockedOr(reply: FastifyReply, state: string, id: string): Promise<FastifyReply> {
    if (state === 'draft') throw new ForbiddenError('not your draft');
    return reply.redirect(sessionHref(id), 303);
  }

  function sectionState(
    data: Awaited<ReturnType<SupervisionService['load']>>,
    section: Section,
    notice?: Notice,
  ) {
    const revision = data.revisions.get(section);
    return {
      revision: notice === undefined ? (revision?.revision ?? 0) : notice.revision,
      saved: savedBy(revision, data.names),
      notice: notice ?? null,
      taskListHref: sessionHref(data.session.id),
    };
  }
}

interface Notice {
  kind: 'conflict';
  byName: string;
  at: string;
  revision: number;
}
