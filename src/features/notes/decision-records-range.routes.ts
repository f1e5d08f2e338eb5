import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { formatDate } from '../../plugins/views.js';
import { show } from '../admin/render.js';
import { displayName } from '../oversight/labels.js';
import { viewerOf } from '../request.js';
import type { RouteDefinition } from '../route-table.js';
import { decisionRecordsRangeDocument } from './decision-record.pdf.js';
import {
  parseRangeForm,
  placeOf,
  rangeQuerySchema,
  RANGE_MAX_DAYS,
  submitted,
  type RangeForm,
} from './decision-records-range.form.js';
import {
  DecisionRecordsRangeService,
  RANGE_RECORD_LIMIT,
} from './decision-records-range.service.js';
import { presentDecisionRecord } from './notes.presenter.js';
import { renderPdfStream } from './pdf.js';

/** A request that cannot be understood: the error plugin shows the 400 page. */
function badRequest(what: string): Error {
  return Object.assign(new Error(`bad request: ${what}`), { statusCode: 400 });
}

function pdfHref(form: RangeForm): string {
  const params = new URLSearchParams({ from: form.from, to: form.to });
  if (form.place !== '') params.set('place', form.place);
  return `/decision-records.pdf?${params.toString()}`;
}

/**
 * Decision records across children (need 'team': team managers and above, and quality
 * assurance): a form to choose the dates and the team or service, and the PDF.
 */
export function decisionRecordsRangeRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const range = new DecisionRecordsRangeService(deps.db, deps.clock);

  return [
    {
      method: 'GET',
      url: '/decision-records',
      need: 'team',
      handler: async (request, reply) => {
        const viewer = viewerOf(request);
        const choices = await range.choices(viewer);
        const isSubmitted = submitted(request.query);
        const form = parseRangeForm(isSubmitted ? request.query : {});
        const values = form.input;
        const placeItems = [
          { value: '', text: 'Every child in your place', selected: (values.place ?? '') === '' },
          ...choices.services.map((s) => ({
            value: `service:${s.id}`,
            text: `Service: ${displayName(s.name, 'service', s.id)}`,
            selected: values.place === `service:${s.id}`,
          })),
          ...choices.teams.map((t) => ({
            value: `team:${t.id}`,
            text: `Team: ${displayName(t.name, 'team', t.id)}`,
            selected: values.place === `team:${t.id}`,
          })),
        ];
        const context = {
          pageTitle: 'Decision records for a range of dates',
          placeItems,
          maxDays: RANGE_MAX_DAYS,
          limit: RANGE_RECORD_LIMIT,
          values,
        };
        if (!isSubmitted) return show(reply, 'notes/decision-records', context);
        if (!form.ok) return show(reply, 'notes/decision-records', context, form);
        const known =
          form.value.place === '' || placeItems.some((item) => item.value === form.value.place);
        if (!known)
          return show(reply, 'notes/decision-records', context, {
            problems: [{ field: 'place', message: 'Choose a team or service from the list' }],
            input: form.input,
          });
        const count = await range.count(viewer, { ...form.value, ...placeOf(form.value.place) });
        if (count > RANGE_RECORD_LIMIT)
          return show(reply, 'notes/decision-records', context, {
            problems: [
              {
                field: 'from',
                message: `These dates hold ${count.toLocaleString('en-GB')} decision records, more than the ${String(RANGE_RECORD_LIMIT)} one document can hold: choose a shorter range, or one team`,
                href: '#from-day',
              },
            ],
            input: form.input,
          });
        return show(reply, 'notes/decision-records', {
          ...context,
          result: {
            count,
            from: formatDate(form.value.from),
            to: formatDate(form.value.to),
            href: pdfHref(form.value),
          },
        });
      },
    },
    {
      method: 'GET',
      url: '/decision-records.pdf',
      need: 'team',
      audit: { action: 'export', object: { kind: 'decision-records' } },
      handler: async (request, reply) => {
        const query = rangeQuerySchema.safeParse(request.query);
        if (!query.success) throw badRequest('range');
        const { from, to, place } = query.data;
        const viewer = viewerOf(request);
        const where = placeOf(place);
        const result = await range.between(viewer, { from, to, ...where });
        if (!result.ok) throw badRequest('too many records');
        const choices = await range.choices(viewer);
        const team = choices.teams.find((t) => t.id === where.teamId);
        const service = choices.services.find((s) => s.id === where.serviceId);
        const placeText =
          team !== undefined
            ? `Children of ${displayName(team.name, 'team', team.id)}`
            : service !== undefined
              ? `Children of ${displayName(service.name, 'service', service.id)}`
              : 'Children in the place of the person who asked';
        const rangeText = `Decisions in signed supervision from ${formatDate(from)} to ${formatDate(to)}`;
        const pdf = await renderPdfStream(
          decisionRecordsRangeDocument(
            result.children.map((c) => {
              const childName = displayName(c.child.name, 'child', c.child.id);
              return {
                childId: c.child.id,
                childName,
                dateOfBirth:
                  c.child.dateOfBirth === null
                    ? 'date of birth not recorded'
                    : formatDate(c.child.dateOfBirth),
                records: c.records.map(presentDecisionRecord),
              };
            }),
            {
              title: `Supervision decision records from ${formatDate(from)} to ${formatDate(to)}`,
              organisation: result.organisation,
              rangeText,
              placeText,
            },
          ),
        );
        return reply
          .header('content-type', 'application/pdf')
          .header(
            'content-disposition',
            `attachment; filename="decision-records-${from}-to-${to}.pdf"`,
          )
          .header('cache-control', 'no-store')
          .send(pdf);
      },
    },
  ];
}
