import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import { isLive, REASON_MIN } from '../../domain/data-protection/break-glass.js';
import { MAX_YEARS, MIN_YEARS, RECORD_TYPES } from '../../domain/data-protection/retention.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Db } from '../../db/database.js';
import { BreakGlassService } from '../../services/break-glass.service.js';
import { reportLines, RetentionService } from '../../services/retention.service.js';
import { SubjectAccessService } from '../../services/subject-access.service.js';
import type { FormInput } from '../admin/form-fields.js';
import { param, path, seeOther, show, viewerOf, type Failure } from '../admin/render.js';
import { displayName } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import {
  HOLD_REASON_MIN,
  HOURS_ITEMS,
  parseBreakGlassForm,
  parseHoldForm,
  parseLiftForm,
  readRulesForm,
} from './data-protection.forms.js';
import { hoursText, presentGrant } from './data-protection.presenter.js';

/** Break-glass access, retention rules, legal holds and subject access exports. */
export function dataProtectionRoutes(deps: {
  db: Db;
  clock: Clock;
  config: Config;
}): RouteDefinition[] {
  const breakGlass = new BreakGlassService(deps.db, deps.clock);
  const retention = new RetentionService(deps.db, deps.clock);
  const subjectAccess = new SubjectAccessService(deps.db, deps.clock);

  const recordHref = (id: string) => path('/supervision', id);
  const who = (request: FastifyRequest) => {
    const viewer = viewerOf(request);
    return { accountId: viewer.accountId, actor: viewer.email };
  };

  async function requestPage(request: FastifyRequest, reply: FastifyReply, failure?: Failure) {
    const id = param(request, 'id');
    const data = await breakGlass.requestPage(viewerOf(request), id);
    return show(
      reply,
      'data-protection/break-glass-request',
      {
        pageTitle: 'Request access to the personal section (break-glass)',
        backLink: { href: recordHref(id), text: 'Back to the record' },
        action: `${recordHref(id)}/break-glass`,
        sessionDate: data.session.date,
        superviseeName: data.superviseeName,
        supervisorName: data.supervisorName,
        reasonMin: REASON_MIN,
        hoursItems: HOURS_ITEMS.map((h) => ({
          ...h,
          checked: (failure?.input.hours ?? '') === h.value,
        })),
        confirmChecked: failure?.input.confirm === 'yes',
      },
      failure,
    );
  }

  async function retentionPage(reply: FastifyReply, failure?: Failure) {
    const [rules, report, holds] = await Promise.all([
      retention.rules(),
      retention.report(),
      retention.holds(),
    ]);
    const values: FormInput = Object.fromEntries(rules.map((r) => [r.type, String(r.years)]));
    return show(
      reply,
      'data-protection/retention',
      {
        pageTitle: 'Retention and legal holds',
        backLink: { href: '/admin', text: 'Back to administration' },
        asOf: report.asOf,
        rules,
        minYears: MIN_YEARS,
        maxYears: MAX_YEARS,
        values,
        lines: reportLines(report),
        staffDue: report.staff.due.map((s) => ({
          ...s,
          displayName: displayName(s.name, 'worker', s.personId),
        })),
        childrenDue: report.children.due,
        holdsInForce: holds.filter((h) => h.liftedAt === null).map(presentHold),
        holdsLifted: holds.filter((h) => h.liftedAt !== null).map(presentHold),
      },
      failure,
    );
  }

  function presentHold(h: Awaited<ReturnType<typeof retention.holds>>[number]) {
    return {
      ...h,
      subjectText: `${h.subjectKind === 'person' ? 'Staff' : 'Child'} ${h.subjectId}${h.subjectName ? ` (${h.subjectName})` : ''}`,
      liftHref: `${path('/admin/retention/holds', h.id)}/lift`,
    };
  }

  async function holdPage(reply: FastifyReply, failure?: Failure) {
    return show(
      reply,
      'data-protection/hold-new',
      {
        pageTitle: 'Place a legal hold',
        backLink: { href: '/admin/retention', text: 'Back to retention' },
        reasonMin: HOLD_REASON_MIN,
        kindItems: [
          { value: 'person', text: 'A member of staff' },
          { value: 'child', text: 'A child' },
        ].map((i) => ({ ...i, checked: failure?.input.subjectKind === i.value })),
      },
      failure,
    );
  }

  async function liftPage(request: FastifyRequest, reply: FastifyReply, failure?: Failure) {
    const hold = await retention.hold(param(request, 'holdId'));
    if (hold.liftedAt !== null) throw new NotFoundError('legal hold in force');
    return show(
      reply,
      'data-protection/hold-lift',
      {
        pageTitle: 'Lift a legal hold',
        backLink: { href: '/admin/retention', text: 'Back to retention' },
        hold: {
          ...hold,
          subjectText: `${hold.subjectKind === 'person' ? 'Staff' : 'Child'} ${hold.subjectId}`,
        },
        action: `${path('/admin/retention/holds', hold.id)}/lift`,
        reasonMin: HOLD_REASON_MIN,
      },
      failure,
    );
  }

  return [
    {
      method: 'GET',
      url: '/supervision/:id/break-glass',
      need: 'service',
      handler: (request, reply) => requestPage(request, reply),
    },
    {
      method: 'POST',
      url: '/supervision/:id/break-glass',
      need: 'service',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const form = parseBreakGlassForm(request.body);
        if (!form.ok) {
          request.auditDetail = {
            event: 'break-glass-refused',
            fields: form.problems.map((p) => p.field),
          };
          return requestPage(request, reply, form);
        }
        const grant = await breakGlass.grant(viewerOf(request), id, form.value, {
          method: request.method,
          route: request.routeOptions.url ?? '',
          ip: request.ip,
          requestId: request.id,
        });
        request.auditDetail = { grant: grant.id };
        return seeOther(reply, `${recordHref(id)}/break-glass/personal`);
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id/break-glass/personal',
      need: 'service',
      // Each read under a grant is its own entry, with the grant it was made under.
      audit: { action: 'break-glass', object: { kind: 'supervision-record', param: 'id' } },
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const data = await breakGlass.readUnderGrant(viewerOf(request), id);
        request.auditDetail = { event: 'read', grant: data.grant.id };
        reply.header('cache-control', 'no-store');
        return show(reply, 'data-protection/break-glass-personal', {
          pageTitle: `Personal section of ${data.superviseeName}’s supervision on ${data.session.date}`,
          backLink: { href: recordHref(id), text: 'Back to the record' },
          grant: presentGrant(data.grant),
          hoursText: hoursText(data.grant.hours),
          personal: data.personal,
          superviseeName: data.superviseeName,
          supervisorName: data.supervisorName,
          sessionDate: data.session.date,
        });
      },
    },
    {
      method: 'POST',
      url: '/supervision/notices/:grantId/dismiss',
      need: 'myWork',
      audit: { object: { kind: 'break-glass-grant', param: 'grantId' } },
      handler: async (request, reply) => {
        await breakGlass.dismiss(viewerOf(request), param(request, 'grantId'));
        const body = (request.body ?? {}) as Record<string, unknown>;
        return seeOther(reply, body.returnTo === '/my-work' ? '/my-work' : '/supervision');
      },
    },
    {
      method: 'GET',
      url: '/admin/break-glass',
      need: 'admin',
      handler: async (_request, reply) => {
        const data = await breakGlass.all();
        return show(reply, 'data-protection/break-glass-list', {
          pageTitle: 'Break-glass access',
          backLink: { href: '/admin', text: 'Back to administration' },
          grants: data.grants.map((g) => ({
            ...presentGrant(g),
            superviseeName: displayName(
              data.names.get(g.superviseeId) ?? null,
              'worker',
              g.superviseeId,
            ),
            hoursText: hoursText(g.hours),
            live: isLive(g, data.now),
          })),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/retention',
      need: 'admin',
      handler: (_request, reply) => retentionPage(reply),
    },
    {
      method: 'POST',
      url: '/admin/retention',
      need: 'admin',
      handler: async (request, reply) => {
        const input = readRulesForm(request.body);
        const result = await retention.setRules(who(request), input);
        if (!result.ok)
          return retentionPage(reply, {
            problems: result.problems,
            input: Object.fromEntries(RECORD_TYPES.map((t) => [t, input[t] ?? ''])),
          });
        request.auditDetail = { changed: result.changed };
        return seeOther(reply, '/admin/retention#rules');
      },
    },
    {
      method: 'GET',
      url: '/admin/retention/holds/new',
      need: 'admin',
      handler: (_request, reply) => holdPage(reply),
    },
    {
      method: 'POST',
      url: '/admin/retention/holds',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseHoldForm(request.body);
        if (!form.ok) return holdPage(reply, form);
        if (!(await retention.subjectExists(form.value.subjectKind, form.value.subjectId)))
          return holdPage(reply, {
            input: form.input,
            problems: [
              {
                field: 'subjectId',
                message: `There is no ${form.value.subjectKind === 'person' ? 'member of staff' : 'child'} with the id ${form.value.subjectId}`,
              },
            ],
          });
        const id = await retention.placeHold(who(request), form.value);
        request.auditDetail = { hold: id };
        return seeOther(reply, '/admin/retention#holds');
      },
    },
    {
      method: 'GET',
      url: '/admin/retention/holds/:holdId/lift',
      need: 'admin',
      audit: { object: { kind: 'legal-hold', param: 'holdId' } },
      handler: (request, reply) => liftPage(request, reply),
    },
    {
      method: 'POST',
      url: '/admin/retention/holds/:holdId/lift',
      need: 'admin',
      audit: { object: { kind: 'legal-hold', param: 'holdId' } },
      handler: async (request, reply) => {
        const form = parseLiftForm(request.body);
        if (!form.ok) return liftPage(request, reply, form);
        await retention.liftHold(who(request), param(request, 'holdId'), form.value.reason);
        return seeOther(reply, '/admin/retention#holds');
      },
    },
    {
      method: 'GET',
      url: '/admin/people/:id/subject-access',
      need: 'admin',
      // An attachment: the audit plugin records it as a download of the person's data.
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const text = await subjectAccess.exportText(id);
        const safe = id.replace(/[^A-Za-z0-9-]/g, '_');
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="subject-access-${safe}.json"`)
          .header('cache-control', 'no-store')
          .send(text);
      },
    },
  ];
}
