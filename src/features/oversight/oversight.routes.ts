import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { describeOffsetText } from './override.view.js';
import type { Db } from '../../db/database.js';
import { breakGlassNotices } from '../data-protection/data-protection.presenter.js';
import { homeOf, type RouteDefinition } from '../route-table.js';
import {
  EVENT_LABELS,
  INVOLVEMENT_LABELS,
  LEGAL_LABELS,
  PLACEMENT_LABELS,
  REQUIREMENT_LABELS,
  ROLE_LABELS,
  displayName,
  label,
} from './labels.js';
import { parseOverrideForm } from './override.form.js';
import { OverrideService } from './override.service.js';
import {
  figureRows,
  percentText,
  presentFigures,
  presentList,
  presentRow,
  subjectHref,
} from './oversight.presenter.js';
import { listQuerySchema, OversightService } from './oversight.service.js';
import { presentCaseDecision, presentNote, savedOnChildPage } from '../notes/notes.presenter.js';
import { idParam, viewerOf } from '../request.js';

export function oversightRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const service = new OversightService(deps.db, deps.clock);
  const overrides = new OverrideService(deps.db, deps.clock);

  const childPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: {
      errors: { text: string; href: string }[];
      fieldErrors: Record<string, string>;
      input: object;
    },
  ) => {
    const viewer = viewerOf(request);
    const data = await service.child(viewer, idParam(request));
    const { child } = data;
    const name = displayName(child.name, 'child', child.id);
    const clocks = data.results.filter((r) => r.periodStart === null);
    const milestones = data.results.filter((r) => r.periodStart !== null);
    return reply.code(form ? 400 : 200).view('oversight/child', {
      pageTitle: name,
      errorList: form?.errors ?? [],
      fieldErrors: form?.fieldErrors ?? {},
      values: form?.input ?? {},
      asOf: data.asOf,
      child,
      name,
      policyName: data.policy?.name ?? null,
      clocks: clocks.map((r) => ({
        ...presentRow(r, data.asOf),
        requirement: label(REQUIREMENT_LABELS, r.requirement),
        policyStatus: r.status,
        policyDue: r.due,
        policyLatest: r.latest,
        setBy: r.setByKind === 'event' ? `the supervision on` : 'the date this requirement began,',
        setByDate: r.setByDate,
        rules: r.rules,
      })),
      milestones: milestones.map((r) => ({
        requirement: label(REQUIREMENT_LABELS, r.requirement),
        periodStart: r.periodStart,
        status: r.status,
        due: r.due,
        met: r.met,
        onTime: r.onTime,
        reason: r.reason,
      })),
      involvements: child.involvements.map((i) => ({
        ...i,
        label: label(INVOLVEMENT_LABELS, i.type),
      })),
      placements: child.placements.map((p) => ({ ...p, label: label(PLACEMENT_LABELS, p.type) })),
      legal: child.legal.map((l) => ({ ...l, label: label(LEGAL_LABELS, l.type) })),
      allocations: [...child.allocations]
        .sort((a, b) => (a.start < b.start ? 1 : -1))
        .map((a) => ({
          ...a,
          workerName:
            a.workerId === null
              ? null
              : displayName(data.workerNames.get(a.workerId) ?? null, 'worker', a.workerId),
          workerHref: a.workerId === null ? null : subjectHref('worker', a.workerId),
          teamName:
            a.teamId === null
              ? null
              : displayName(data.teamNames.get(a.teamId) ?? null, 'team', a.teamId),
        })),
      history: data.history.map((e) => ({ ...e, label: label(EVENT_LABELS, e.kind) })),
      warnings: data.warnings,
      activeOverride: data.activeOverride && {
        ...data.activeOverride,
        words: describeOffsetText(data.activeOverride.every),
      },
      overrides: data.overrides.map((o) => ({ ...o, words: describeOffsetText(o.every) })),
      mayTighten: data.mayTighten,
      mayLoosen: data.mayLoosen,
      // What the last change on this page was (post/redirect/get), for its banner.
      saved: savedOnChildPage(request.query),
      oversightNotes: data.oversightNotes.map(presentNote),
      newNoteHref: data.mayWriteNotes
        ? `/children/${encodeURIComponent(child.id)}/oversight-notes/new`
        : null,
      caseDecisions: data.caseDecisions.map(presentCaseDecision),
      decisionRecordsPdfHref: `/children/${encodeURIComponent(child.id)}/decision-records.pdf`,
    });
  };

  return [
    {
      method: 'GET',
      url: '/',
      need: 'signedIn',
      handler: async (request, reply) => reply.redirect(homeOf(viewerOf(request))),
    },
    {
      method: 'GET',
      url: '/my-work',
      need: 'myWork',
      handler: async (request, reply) => {
        const data = await service.myWork(viewerOf(request));
        const breakGlass = await breakGlassNotices(deps, viewerOf(request), '/my-work');
        const present = (rows: typeof data.myChildren) => rows.map((r) => presentRow(r, data.asOf));
        return reply.view('oversight/my-work', {
          pageTitle: 'My work',
          breakGlass,
          asOf: data.asOf,
          me: { ...data.me, roleLabel: label(ROLE_LABELS, data.me.role) },
          mine: present(data.mine),
          myChildren: present(data.myChildren),
          myChildrenOverdue: data.myChildren.filter((r) => r.effectiveStatus === 'overdue').length,
          supervisees: data.supervisees
            .map((p) => ({
              ...p,
              href: subjectHref('worker', p.id),
              displayName: displayName(p.name, 'worker', p.id),
              roleLabel: label(ROLE_LABELS, p.role),
              result: data.superviseeResults.find(
                (r) => r.subjectId === p.id && r.requirement === 'professional-supervision',
              ),
            }))
            .map((p) => ({ ...p, result: p.result && presentRow(p.result, data.asOf) })),
          superviseeChildren: present(data.superviseeChildren),
          superviseeChildrenTotal: data.superviseeChildrenTotal,
          teamHref:
            viewerOf(request).levels.teamId === null
              ? null
              : `/teams/${encodeURIComponent(viewerOf(request).levels.teamId ?? '')}`,
          superviseeChildFigures: data.superviseeChildFigures,
        });
      },
    },
    {
      method: 'GET',
      url: '/teams/:id',
      need: 'team',
      handler: async (request, reply) => {
        const query = listQuerySchema.parse(request.query);
        const id = idParam(request);
        const data = await service.team(viewerOf(request), id, query);
        const path = `/teams/${encodeURIComponent(id)}`;
        const teamName = displayName(data.team.name, 'team', data.team.id);
        return reply.view('oversight/team', {
          pageTitle: teamName,
          team: data.team,
          teamName,
          asOf: data.list.asOf,
          figures: presentFigures(data.headline, path),
          figureRows: figureRows(data.headline),
          list: presentList(data.list, path),
          listOptions: {
            action: path,
            caption: `Supervision due in ${teamName}`,
            workers: data.workers.map((w) => ({
              value: w.id,
              text: displayName(w.name, 'worker', w.id),
            })),
          },
          warnings: data.warnings.length,
          actions: {
            ...data.actions,
            overdueHref: `/actions/overdue?team=${encodeURIComponent(id)}&show=overdue#list`,
            driftingHref: `/actions/overdue?team=${encodeURIComponent(id)}&show=drifting#list`,
          },
          serviceHref:
            data.team.serviceId !== null && viewerOf(request).scope.kind !== 'team'
              ? `/services/${encodeURIComponent(data.team.serviceId)}`
              : null,
        });
      },
    },
    {
      method: 'GET',
      url: '/services/:id',
      need: 'service',
      handler: async (request, reply) => {
        const query = listQuerySchema.parse(request.query);
        const id = idParam(request);
        const data = await service.service(viewerOf(request), id, query);
        const path = `/services/${encodeURIComponent(id)}`;
        const serviceName = displayName(data.service.name, 'service', data.service.id);
        return reply.view('oversight/service', {
          pageTitle: serviceName,
          serviceName,
          asOf: data.list.asOf,
          figures: presentFigures(data.headline, path),
          figureRows: figureRows(data.headline),
          units: data.teams.map((t) => ({
            href: `/teams/${encodeURIComponent(t.id)}`,
            name: displayName(t.name, 'team', t.id),
            children: t.children,
            workers: t.workers,
            overdue: t.all.overdue,
            percent: percentText(t.percentOnTrack),
          })),
          list: presentList(data.list, path),
          listOptions: {
            action: path,
            caption: `Supervision due in ${serviceName}`,
            teams: data.teamOptions.map((t) => ({
              value: t.id,
              text: displayName(t.name, 'team', t.id),
            })),
          },
          showDirectorate: viewerOf(request).scope.kind === 'everything',
        });
      },
    },
    {
      method: 'GET',
      url: '/directorate',
      need: 'directorate',
      handler: async (request, reply) => {
        const query = listQuerySchema.parse(request.query);
        const data = await service.directorate(viewerOf(request), query);
        return reply.view('oversight/directorate', {
          pageTitle: 'Directorate',
          asOf: data.list.asOf,
          figures: presentFigures(data.headline, '/directorate'),
          figureRows: figureRows(data.headline),
          units: data.services.map((s) => ({
            href: `/services/${encodeURIComponent(s.id)}`,
            name: displayName(s.name, 'service', s.id),
            children: s.children,
            workers: s.workers,
            overdue: s.all.overdue,
            percent: percentText(s.percentOnTrack),
          })),
          list: presentList(data.list, '/directorate'),
          listOptions: {
            action: '/directorate',
            caption: 'Supervision due across the directorate',
            services: data.services.map((s) => ({
              value: s.id,
              text: displayName(s.name, 'service', s.id),
            })),
          },
        });
      },
    },
    {
      method: 'GET',
      url: '/children/:id',
      need: 'records',
      handler: (request, reply) => childPage(request, reply),
    },
    {
      method: 'POST',
      url: '/children/:id/override',
      need: 'records',
      handler: async (request, reply) => {
        const viewer = viewerOf(request);
        const id = idParam(request);
        const form = parseOverrideForm(request.body, deps.clock.today());
        if (!form.ok) {
          reply.locals.csrfToken = reply.generateCsrf();
          return childPage(request, reply, form);
        }
        const result = await overrides.set(viewer, id, form);
        if (!result.ok) {
          reply.locals.csrfToken = reply.generateCsrf();
          return childPage(request, reply, {
            errors: [{ text: result.message, href: `#${result.field}` }],
            fieldErrors: { every: result.message },
            input: form.input,
          });
        }
        return reply.redirect(`/children/${encodeURIComponent(id)}#override`, 303);
      },
    },
    {
      method: 'POST',
      url: '/children/:id/override/end',
      need: 'records',
      handler: async (request, reply) => {
        const id = idParam(request);
        await overrides.end(viewerOf(request), id);
        return reply.redirect(`/children/${encodeURIComponent(id)}#override`, 303);
      },
    },
    {
      method: 'GET',
      url: '/workers/:id',
      need: 'records',
      handler: async (request, reply) => {
        const data = await service.worker(viewerOf(request), idParam(request));
        const name = displayName(data.person.name, 'worker', data.person.id);
        return reply.view('oversight/worker', {
          pageTitle: name,
          name,
          asOf: data.asOf,
          person: { ...data.person, roleLabel: label(ROLE_LABELS, data.person.role) },
          results: data.results.map((r) => ({
            ...presentRow(r, data.asOf),
            setBy:
              r.setByKind === 'event' ? 'the supervision on' : 'the date this requirement began,',
            setByDate: r.setByDate,
          })),
          history: data.history.map((e) => ({ ...e, label: label(EVENT_LABELS, e.kind) })),
          supervisees: data.supervisees.map((p) => ({
            href: subjectHref('worker', p.id),
            name: displayName(p.name, 'worker', p.id),
            role: label(ROLE_LABELS, p.role),
          })),
          caseload: data.caseload.map((r) => presentRow(r, data.asOf)),
          lineManagerHref:
            data.person.lineManagerId && subjectHref('worker', data.person.lineManagerId),
        });
      },
    },
    {
      method: 'GET',
      url: '/foster-carers/:id',
      need: 'records',
      handler: async (request, reply) => {
        const data = await service.fosterCarer(viewerOf(request), idParam(request));
        const name = displayName(data.carer.name, 'fosterCarer', data.carer.id);
        return reply.view('oversight/foster-carer', {
          pageTitle: name,
          name,
          asOf: data.asOf,
          carer: data.carer,
          supervisor: data.supervisor && {
            href: subjectHref('worker', data.supervisor.id),
            name: displayName(data.supervisor.name, 'worker', data.supervisor.id),
          },
          results: data.results.map((r) => presentRow(r, data.asOf)),
        });
      },
    },
  ];
}
