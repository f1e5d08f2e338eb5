import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { tryParseIsoDate } from '../../domain/dates/index.js';
import { ForbiddenError } from '../../domain/errors.js';
import type { Db } from '../../db/database.js';
import { formatDate } from '../../plugins/views.js';
import { bodyOf, text, type FormInput, type Problem } from '../admin/form-fields.js';
import { show } from '../admin/render.js';
import { displayName } from '../oversight/labels.js';
import type { RouteDefinition } from '../route-table.js';
import { decisionRecordsDocument } from './decision-record.pdf.js';
import { decisionRecordsRangeRoutes } from './decision-records-range.routes.js';
import { DecisionRecordsService } from './decision-records.service.js';
import { isNoteKind, NOTE_TEXT_MAX, readNote } from './note.form.js';
import {
  copiedHref,
  decisionRecordHref,
  NOTE_KIND_HINTS,
  NOTE_KIND_LABELS,
  pdfFileName,
  presentDecisionRecord,
} from './notes.presenter.js';
import { NotesService, type NoteForm } from './notes.service.js';
import { renderPdf } from './pdf.js';
import { param, viewerOf } from '../request.js';

/**
 * Management oversight notes on a child, and the decision records of the children discussed in
 * signed supervision records: as a page to read or print, as a PDF for the child's file (one, or
 * all of a child's), and the manager's note that one has been copied to the child's file.
 */

function childHref(id: string): string {
  return `/children/${encodeURIComponent(id)}`;
}

/** A request that cannot be understood: the error plugin shows the 400 page. */
function badRequest(what: string): Error {
  return Object.assign(new Error(`bad request: ${what}`), { statusCode: 400 });
}

const isoDate = z
  .string()
  .refine((s) => tryParseIsoDate(s) !== undefined)
  .optional();

/** `from` and `to` of a child's decision records, as YYYY-MM-DD; both optional. */
export const periodQuerySchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to);

function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string): FastifyReply {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

export function notesRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const notes = new NotesService(deps.db, deps.clock);
  const records = new DecisionRecordsService(deps.db, deps.clock);

  const notePage = (
    reply: FastifyReply,
    form: NoteForm,
    failure?: { problems: readonly Problem[]; input: FormInput },
  ) => {
    const name = displayName(form.child.name, 'child', form.child.id);
    return show(
      reply,
      'notes/new',
      {
        pageTitle: `Record a management oversight note for ${name}`,
        name,
        child: form.child,
        backLink: { href: `${childHref(form.child.id)}#oversight-notes` },
        action: `${childHref(form.child.id)}/oversight-notes/new`,
        kinds: form.kinds.map((k) => ({
          value: k,
          text: NOTE_KIND_LABELS[k],
          hint: NOTE_KIND_HINTS[k],
        })),
        mayWriteManagerNotes: form.kinds.includes('manager-decision'),
        earliest: form.bounds.earliest === null ? null : formatDate(form.bounds.earliest),
        maxLength: NOTE_TEXT_MAX,
      },
      failure,
    );
  };

  return [
    {
      method: 'GET',
      url: '/children/:id/oversight-notes/new',
      need: 'myWork',
      handler: async (request, reply) =>
        notePage(reply, await notes.form(viewerOf(request), param(request, 'id'))),
    },
    {
      method: 'POST',
      url: '/children/:id/oversight-notes/new',
      need: 'myWork',
      handler: async (request, reply) => {
        const viewer = viewerOf(request);
        const id = param(request, 'id');
        const form = await notes.form(viewer, id);
        const body = bodyOf(request.body);
        // A kind the form did not offer (a manager's note, posted by someone else) is refused
        // outright rather than shown as a mistake to correct.
        const kind = text(body, 'kind');
        if (isNoteKind(kind) && !form.kinds.includes(kind))
          throw new ForbiddenError('a manager’s note');
        const note = readNote(body, form.bounds);
        if (!note.ok) return notePage(reply, form, note);
        await notes.add(viewer, id, note.value);
        return reply.redirect(`${childHref(id)}?saved=note#oversight-notes`, 303);
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id/cases/:discussionId/decision-record',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const discussionId = param(request, 'discussionId');
        const record = await records.one(viewerOf(request), id, discussionId);
        const view = presentDecisionRecord(record);
        const saved = (request.query as Record<string, unknown>).saved === 'copied';
        reply.header('cache-control', 'no-store');
        return reply.view('notes/decision-record', {
          pageTitle: `Decision record for ${view.childName}, ${view.supervisionDate}`,
          record: view,
          saved,
          backLink: record.maySeeChild
            ? {
                href: `${childHref(record.child.id)}#case-decisions`,
                text: `Back to ${view.childName}`,
              }
            : {
                href: `/supervision/${encodeURIComponent(id)}`,
                text: 'Back to the supervision record',
              },
          pdfHref: decisionRecordHref(id, discussionId, true),
          copiedAction: record.mayMarkCopied ? copiedHref(id, discussionId) : null,
        });
      },
    },
    {
      method: 'GET',
      url: '/supervision/:id/cases/:discussionId/decision-record.pdf',
      need: 'records',
      handler: async (request, reply) => {
        const record = await records.one(
          viewerOf(request),
          param(request, 'id'),
          param(request, 'discussionId'),
        );
        const view = presentDecisionRecord(record);
        const pdf = await renderPdf(
          decisionRecordsDocument([view], {
            title: `Supervision decision record: ${view.childName}, ${view.supervisionDate}`,
          }),
        );
        return sendPdf(
          reply,
          pdf,
          pdfFileName('decision-record', record.child.id, record.session.date),
        );
      },
    },
    {
      method: 'GET',
      url: '/children/:id/decision-records.pdf',
      need: 'records',
      handler: async (request, reply) => {
        const query = periodQuerySchema.safeParse(request.query);
        if (!query.success) throw badRequest('period');
        const period = query.data;
        const data = await records.ofChild(viewerOf(request), param(request, 'id'), period);
        const childName = displayName(data.child.name, 'child', data.child.id);
        const between =
          period.from !== undefined && period.to !== undefined
            ? ` from ${formatDate(period.from)} to ${formatDate(period.to)}`
            : period.from !== undefined
              ? ` from ${formatDate(period.from)}`
              : period.to !== undefined
                ? ` up to ${formatDate(period.to)}`
                : '';
        const pdf = await renderPdf(
          decisionRecordsDocument(data.records.map(presentDecisionRecord), {
            title: `Supervision decision records: ${childName}${between}`,
            emptyText: `There are no signed supervision decision records for ${childName}${between}.`,
            heading: {
              organisation: data.organisation,
              childName,
              dateOfBirth:
                data.child.dateOfBirth === null
                  ? 'date of birth not recorded'
                  : formatDate(data.child.dateOfBirth),
            },
          }),
        );
        return sendPdf(
          reply,
          pdf,
          pdfFileName('decision-records', data.child.id, deps.clock.today()),
        );
      },
    },
    {
      method: 'POST',
      url: '/supervision/:id/cases/:discussionId/copied',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const discussionId = param(request, 'discussionId');
        const record = await records.markCopied(viewerOf(request), id, discussionId);
        // Back to the page the button was on: the child's page or the decision record.
        const from = text(bodyOf(request.body), 'from');
        return reply.redirect(
          from === 'child'
            ? `${childHref(record.child.id)}?saved=copied#case-decisions`
            : `${decisionRecordHref(id, discussionId)}?saved=copied`,
          303,
        );
      },
    },
    ...decisionRecordsRangeRoutes(deps),
  ];
}
