import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { ChildListRow, ChildPeriodRow } from '../../db/admin.repository.js';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../domain/errors.js';
import {
  displayName,
  INVOLVEMENT_LABELS,
  label,
  LEGAL_LABELS,
  PLACEMENT_LABELS,
} from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import { selectItems } from './admin.presenter.js';
import { ChildrenAdminService } from './children-admin.service.js';
import { parseChildForm } from './child.form.js';
import {
  isPeriodKind,
  isRecordKind,
  parseEndForm,
  parseRecordForm,
  type PeriodKind,
  type RecordKind,
} from './child-record.form.js';
import { dateInput } from './form-fields.js';
import { parseReallocateForm } from './reallocate.form.js';
import { param, path, seeOther, show, type Failure } from './render.js';

const RISK_LABELS: Record<string, string> = { high: 'High', low: 'Low' };

const TYPE_LABELS: Record<RecordKind, Record<string, string>> = {
  involvement: INVOLVEMENT_LABELS,
  placement: PLACEMENT_LABELS,
  legal: LEGAL_LABELS,
  risk: RISK_LABELS,
};

/** How each kind of record is named in titles, labels and headings. */
const KIND_WORDS: Record<RecordKind, { add: string; type: string; one: string }> = {
  involvement: { add: 'Add an involvement', type: 'Type of involvement', one: 'involvement' },
  placement: { add: 'Add a placement', type: 'Type of placement', one: 'placement' },
  legal: { add: 'Add a legal status', type: 'Legal status', one: 'legal status' },
  risk: { add: 'Record a risk level', type: 'Level of risk', one: 'risk level' },
};

function kindParam(request: FastifyRequest): RecordKind {
  const kind = param(request, 'kind');
  if (!isRecordKind(kind)) throw new NotFoundError('record kind');
  return kind;
}

function periodKindParam(request: FastifyRequest): PeriodKind {
  const kind = param(request, 'kind');
  if (!isPeriodKind(kind)) throw new NotFoundError('record kind');
  return kind;
}

function childName(child: ChildListRow): string {
  return displayName(child.name, 'child', child.id);
}

/** Children: find one, add one, and keep each child's records. */
export function childrenRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const children = new ChildrenAdminService(deps.db, deps.clock);
  const childHref = (id: string) => path('/admin/children', id);

  const detailsPage = async (reply: FastifyReply, child: ChildListRow | null, failure?: Failure) =>
    show(
      reply,
      'admin/child-details',
      {
        pageTitle: child ? `Change ${childName(child)}’s details` : 'Add a child',
        backLink: child
          ? { href: childHref(child.id), text: `Back to ${childName(child)}` }
          : { href: '/admin/children', text: 'Back to children' },
        child,
        action: child ? `${childHref(child.id)}/details` : '/admin/children',
        values: child
          ? { name: child.name ?? '', ...dateInput('dateOfBirth', child.dateOfBirth) }
          : {},
      },
      failure,
    );

  const recordPage = async (
    reply: FastifyReply,
    child: ChildListRow,
    kind: RecordKind,
    failure?: Failure,
  ) => {
    const type = failure?.input.type;
    return show(
      reply,
      'admin/child-record',
      {
        pageTitle: `${KIND_WORDS[kind].add} for ${childName(child)}`,
        backLink: { href: childHref(child.id), text: `Back to ${childName(child)}` },
        child,
        name: childName(child),
        kind,
        words: KIND_WORDS[kind],
        action: `${childHref(child.id)}/add/${kind}`,
        typeItems: Object.entries(TYPE_LABELS[kind]).map(([value, text]) => ({
          value,
          text,
          checked: value === type,
        })),
      },
      failure,
    );
  };

  const endPage = async (reply: FastifyReply, request: FastifyRequest, failure?: Failure) => {
    const id = param(request, 'id');
    const kind = periodKindParam(request);
    const period = await children.openPeriod(id, kind, param(request, 'recordId'));
    const { child } = await children.child(id);
    const what = label(TYPE_LABELS[kind], period.type);
    return show(
      reply,
      'admin/child-end',
      {
        pageTitle: `End ${KIND_WORDS[kind].one}: ${what}`,
        backLink: { href: childHref(child.id), text: `Back to ${childName(child)}` },
        name: childName(child),
        what,
        period,
        action: `${childHref(child.id)}/end/${kind}/${encodeURIComponent(period.id)}`,
      },
      failure,
    );
  };

  const reallocatePage = async (reply: FastifyReply, id: string, failure?: Failure) => {
    const { child, records } = await children.child(id);
    const options = await children.allocationOptions();
    const values = failure?.input ?? {};
    const current = records.allocations.filter((a) => a.end === null);
    return show(
      reply,
      'admin/child-reallocate',
      {
        pageTitle: `Reallocate ${childName(child)}`,
        backLink: { href: childHref(child.id), text: `Back to ${childName(child)}` },
        name: childName(child),
        action: `${childHref(child.id)}/reallocate`,
        current: current.map((a) => ({
          ...a,
          worker: a.workerId === null ? null : displayName(a.workerName, 'worker', a.workerId),
          team: a.teamId === null ? null : displayName(a.teamName, 'team', a.teamId),
        })),
        workerItems: selectItems(
          options.workers.filter((w) => w.end === null || w.end >= deps.clock.today()),
          values.workerId,
          'worker',
          'Select a worker',
        ),
        teamItems: selectItems(options.teams, values.teamId, 'team', 'The worker’s own team'),
      },
      failure,
    );
  };

  const periods = (kind: RecordKind, rows: ChildPeriodRow[], id: string) =>
    rows.map((p) => ({
      ...p,
      label: label(TYPE_LABELS[kind], p.type),
      endHref: p.end === null ? `${childHref(id)}/end/${kind}/${encodeURIComponent(p.id)}` : null,
    }));

  return [
    {
      method: 'GET',
      url: '/admin/children',
      need: 'admin',
      handler: async (request, reply) => {
        const raw = (request.query as { q?: unknown }).q;
        const q = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
        const results = q === '' ? null : await children.search(q);
        return show(reply, 'admin/children', {
          pageTitle: 'Children',
          backLink: { href: '/admin', text: 'Back to administration' },
          q,
          limit: 50,
          results:
            results &&
            results.map((c) => ({ ...c, href: childHref(c.id), displayName: childName(c) })),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/children/new',
      need: 'admin',
      handler: (_request, reply) => detailsPage(reply, null),
    },
    {
      method: 'POST',
      url: '/admin/children',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseChildForm(request.body, { isNew: true, today: deps.clock.today() });
        if (!form.ok) return detailsPage(reply, null, form);
        const result = await children.add(form.value);
        if (!result.ok) return detailsPage(reply, null, { ...result, input: form.input });
        return seeOther(reply, childHref(result.value));
      },
    },
    {
      method: 'GET',
      url: '/admin/children/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const { child, records } = await children.child(param(request, 'id'));
        return show(reply, 'admin/child', {
          pageTitle: childName(child),
          backLink: { href: '/admin/children', text: 'Back to children' },
          child,
          name: childName(child),
          href: childHref(child.id),
          sections: [
            {
              kind: 'involvement',
              title: 'Involvements',
              rows: periods('involvement', records.involvements, child.id),
            },
            {
              kind: 'placement',
              title: 'Placements',
              rows: periods('placement', records.placements, child.id),
            },
            {
              kind: 'legal',
              title: 'Legal status',
              rows: periods('legal', records.legal, child.id),
            },
          ],
          risk: records.risk.map((r) => ({ ...r, label: label(RISK_LABELS, r.level) })),
          allocations: [...records.allocations].reverse().map((a) => ({
            ...a,
            worker: a.workerId === null ? null : displayName(a.workerName, 'worker', a.workerId),
            team: a.teamId === null ? null : displayName(a.teamName, 'team', a.teamId),
          })),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/children/:id/details',
      need: 'admin',
      handler: async (request, reply) =>
        detailsPage(reply, (await children.child(param(request, 'id'))).child),
    },
    {
      method: 'POST',
      url: '/admin/children/:id/details',
      need: 'admin',
      handler: async (request, reply) => {
        const { child } = await children.child(param(request, 'id'));
        const form = parseChildForm(request.body, { isNew: false, today: deps.clock.today() });
        if (!form.ok) return detailsPage(reply, child, form);
        await children.updateDetails(child.id, form.value);
        return seeOther(reply, childHref(child.id));
      },
    },
    {
      method: 'GET',
      url: '/admin/children/:id/add/:kind',
      need: 'admin',
      handler: async (request, reply) => {
        const kind = kindParam(request);
        const { child } = await children.child(param(request, 'id'));
        return recordPage(reply, child, kind);
      },
    },
    {
      method: 'POST',
      url: '/admin/children/:id/add/:kind',
      need: 'admin',
      handler: async (request, reply) => {
        const kind = kindParam(request);
        const { child } = await children.child(param(request, 'id'));
        const form = parseRecordForm(request.body, kind);
        if (!form.ok) return recordPage(reply, child, kind, form);
        const result = await children.addRecord(child.id, form.value);
        if (!result.ok) return recordPage(reply, child, kind, { ...result, input: form.input });
        return seeOther(reply, childHref(child.id));
      },
    },
    {
      method: 'GET',
      url: '/admin/children/:id/end/:kind/:recordId',
      need: 'admin',
      handler: (request, reply) => endPage(reply, request),
    },
    {
      method: 'POST',
      url: '/admin/children/:id/end/:kind/:recordId',
      need: 'admin',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const kind = periodKindParam(request);
        const recordId = param(request, 'recordId');
        const period = await children.openPeriod(id, kind, recordId);
        const form = parseEndForm(request.body, period.start);
        if (!form.ok) return endPage(reply, request, form);
        await children.endPeriod(id, kind, recordId, form.value.end);
        return seeOther(reply, childHref(id));
      },
    },
    {
      method: 'GET',
      url: '/admin/children/:id/reallocate',
      need: 'admin',
      handler: (request, reply) => reallocatePage(reply, param(request, 'id')),
    },
    {
      method: 'POST',
      url: '/admin/children/:id/reallocate',
      need: 'admin',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const form = parseReallocateForm(request.body);
        if (!form.ok) return reallocatePage(reply, id, form);
        const result = await children.reallocate(id, form.value);
        if (!result.ok) return reallocatePage(reply, id, { ...result, input: form.input });
        return seeOther(reply, childHref(id));
      },
    },
  ];
}
