import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { MappingTarget } from '../../domain/imports/column-mapping.js';
import { ColumnMappingsService } from '../../services/column-mappings.service.js';
import {
  ImportJobsService,
  UPLOAD_KEPT_HOURS,
  UPLOAD_MAX_FILES,
} from '../../services/import-jobs.service.js';
import type { Config } from '../../config.js';
import type { RouteDefinition } from '../route-table.js';
import { instantText, pagination } from './admin.presenter.js';
import type { FormInput, Problem } from './form-fields.js';
import { parseMappingForm, parseSampleForm, parseUploadForm } from './imports.form.js';
import {
  dueDatesView,
  fileRows,
  fixedTypeItems,
  jobHeading,
  kindItems,
  kindText,
  mappingFields,
  mappingValues,
  problemsView,
  progressText,
  replacesItems,
  STATE_TEXT,
  summaryView,
  TARGET_LABELS,
  targetItems,
  typeWords,
} from './imports.presenter.js';
import { uploadedFiles } from './imports.uploads.js';
import { param, path, seeOther, show, viewerOf, type Failure } from './render.js';

export const HISTORY_PAGE_SIZE = 25;

const historyQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});

const BACK_TO_IMPORTS = { href: '/admin/imports', text: 'Back to imports' };

/**
 * Imports in the service (need 'admin'): upload a council's files, see what they would do,
 * apply them (in the background, with a page that follows it) or cancel; the import history;
 * and the column mappings for any CSV.
 */
export function importsRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const limitMegabytes = deps.config.uploadLimitMegabytes;
  const jobs = new ImportJobsService(deps.db, deps.clock, { limitMegabytes });
  const mappings = new ColumnMappingsService(deps.db, deps.clock);

  const uploadPage = async (reply: FastifyReply, failure?: Failure, status?: number) => {
    const saved = await jobs.mappings();
    const values = failure?.input ?? {};
    return show(
      reply,
      'admin/imports/index',
      {
        pageTitle: status === 413 ? 'The file is too large' : 'Import files',
        backLink: { href: '/admin', text: 'Back to administration' },
        kindItems: kindItems(values.kind),
        mappingItems: [
          {
            value: '',
            text: saved.length === 0 ? 'No mappings saved yet' : 'Choose a mapping',
            selected: !values.mappingId,
          },
          ...saved.map((m) => ({ value: m.id, text: m.name, selected: m.id === values.mappingId })),
        ],
        limitMegabytes,
        maxFiles: UPLOAD_MAX_FILES,
        keptHours: UPLOAD_KEPT_HOURS,
        tooLarge: status === 413,
      },
      failure,
      status,
    );
  };

  const mappingPage = async (
    reply: FastifyReply,
    context: {
      id: string | null;
      target: MappingTarget;
      headings: string[];
      values: FormInput;
      sampleName?: string;
    },
    failure?: Failure,
  ) => {
    const values = { ...context.values, ...(failure?.input ?? {}) };
    return show(
      reply,
      'admin/imports/mapping',
      {
        pageTitle:
          context.id === null ? 'Choose the columns' : `Change the mapping ${values.name ?? ''}`,
        backLink: { href: '/admin/imports/mappings', text: 'Back to column mappings' },
        action:
          context.id === null
            ? '/admin/imports/mappings'
            : path('/admin/imports/mappings', context.id),
        isNew: context.id === null,
        target: context.target,
        targetLabel: TARGET_LABELS[context.target],
        headingsJson: JSON.stringify(context.headings),
        headings: context.headings,
        sampleName: context.sampleName ?? null,
        fields: mappingFields(context.target, context.headings, values),
        hasTypes: typeWords(context.target).length > 0,
        typeWords: typeWords(context.target).join(', '),
        fixedTypeItems: fixedTypeItems(context.target, values.fixedType),
        replacesItems: replacesItems(context.target, values),
        values,
      },
      failure,
    );
  };

  const mappingsListPage = async (reply: FastifyReply, failure?: Failure) => {
    const saved = await mappings.list();
    return show(
      reply,
      'admin/imports/mappings',
      {
        pageTitle: 'Column mappings',
        backLink: BACK_TO_IMPORTS,
        rows: saved.map((m) => ({
          name: m.name,
          href: path('/admin/imports/mappings', m.id),
          target: TARGET_LABELS[m.mapping.target],
          columns: Object.entries(m.mapping.columns)
            .map(([field, heading]) => `${field}: ${heading}`)
            .join('; '),
          updated: instantText(m.updatedAt),
        })),
        targetItems: targetItems(failure?.input.target),
        limitMegabytes,
      },
      failure,
    );
  };

  const by = (request: FastifyRequest) => viewerOf(request).accountId;

  return [
    {
      method: 'GET',
      url: '/admin/imports',
      need: 'admin',
      handler: async (_request, reply) => uploadPage(reply),
    },
    {
      method: 'POST',
      url: '/admin/imports',
      need: 'admin',
      audit: { action: 'upload', object: { kind: 'import' } },
      handler: async (request, reply) => {
        const form = parseUploadForm(request.body);
        const files = uploadedFiles(request);
        if (!form.ok) return uploadPage(reply, form);
        const outcome = await jobs.upload({
          ...form.value,
          incoming: request.uploadFolder,
          files,
          by: by(request),
        });
        if (!outcome.ok) {
          const problem: Problem = {
            field: outcome.field,
            message: outcome.message,
          };
          return uploadPage(reply, { problems: [problem], input: form.input }, outcome.status);
        }
        return seeOther(reply, path('/admin/imports', outcome.id));
      },
    },
    {
      method: 'GET',
      url: '/admin/imports/history',
      need: 'admin',
      handler: async (request, reply) => {
        const query = historyQuery.parse(request.query);
        const { total, entries } = await jobs.history(query.page, HISTORY_PAGE_SIZE);
        const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
        return show(reply, 'admin/imports/history', {
          pageTitle: 'Import history',
          backLink: BACK_TO_IMPORTS,
          total,
          page: query.page,
          from: total === 0 ? 0 : (query.page - 1) * HISTORY_PAGE_SIZE + 1,
          to: Math.min(total, query.page * HISTORY_PAGE_SIZE),
          rows: entries.map((e) => ({
            href: path('/admin/imports/history', e.id),
            when: instantText(e.at),
            by: e.byText,
            kind: kindText(e.kind),
            outcome: e.outcome === 'applied' ? 'Applied' : 'Refused',
            applied: e.outcome === 'applied',
            files: fileRows(e.files),
            summary: historySummaryText(e.summary),
          })),
          pagination: pagination(
            query.page,
            pages,
            (p) => `/admin/imports/history?page=${String(p)}`,
          ),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/imports/history/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const entry = await jobs.historyEntry(param(request, 'id'));
        const summary =
          entry.outcome === 'applied' ? (entry.summary as Parameters<typeof summaryView>[0]) : null;
        const refused =
          entry.outcome === 'refused'
            ? (entry.summary as { errors?: number; problems?: [] })
            : null;
        return show(reply, 'admin/imports/history-entry', {
          pageTitle: `${kindText(entry.kind)} imported ${instantText(entry.at)}`,
          backLink: { href: '/admin/imports/history', text: 'Back to the import history' },
          when: instantText(entry.at),
          by: entry.byText,
          kind: kindText(entry.kind),
          applied: entry.outcome === 'applied',
          files: fileRows(entry.files),
          summary: summaryView(summary),
          problems:
            refused === null
              ? null
              : problemsView({
                  list: refused.problems ?? [],
                  errors: refused.errors ?? 0,
                  warnings: 0,
                }),
        });
      },
    },
    {
      method: 'GET',
      url: '/admin/imports/mappings',
      need: 'admin',
      handler: async (_request, reply) => mappingsListPage(reply),
    },
    {
      // A new mapping, first step: the name, the kind of record and a sample (multipart).
      method: 'POST',
      url: '/admin/imports/mappings/new',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseSampleForm(request.body);
        const [sample] = uploadedFiles(request);
        const problems: Problem[] = form.ok ? [] : [...form.problems];
        if (sample === undefined)
          problems.push({ field: 'sample', message: 'Choose a sample of the source’s files' });
        else if (sample.truncated)
          problems.push({
            field: 'sample',
            message: `The sample is larger than ${String(limitMegabytes)} MB: choose a shorter extract of the same source`,
          });
        let headings: string[] = [];
        if (problems.length === 0 && sample !== undefined) {
          const read = await mappings.readSample(sample.filename, sample.path);
          headings = read.headings;
          for (const p of read.problems.filter((p) => p.severity === 'error'))
            problems.push({ field: 'sample', message: `${sample.filename}: ${p.message}` });
        }
        if (!form.ok || problems.length > 0)
          return mappingsListPage(reply, { problems, input: form.input });
        return mappingPage(reply, {
          id: null,
          target: form.value.target,
          headings,
          values: { name: form.value.name, target: form.value.target },
          sampleName: sample?.filename ?? '',
        });
      },
    },
    {
      method: 'POST',
      url: '/admin/imports/mappings',
      need: 'admin',
      audit: { action: 'change', object: { kind: 'column-mapping' } },
      handler: async (request, reply) => {
        const form = parseMappingForm(request.body);
        const target = (form.input.target ?? 'involvements') as MappingTarget;
        const headings = form.ok ? form.value.headings : safeHeadings(form.input.headings);
        if (!form.ok) return mappingPage(reply, { id: null, target, headings, values: {} }, form);
        const saved = await mappings.save(form.value, by(request));
        if (!saved.ok)
          return mappingPage(
            reply,
            { id: null, target, headings, values: {} },
            { problems: saved.problems.map(toProblem), input: form.input },
          );
        return seeOther(reply, '/admin/imports/mappings');
      },
    },
    {
      method: 'GET',
      url: '/admin/imports/mappings/:id',
      need: 'admin',
      handler: async (request, reply) => {
        const saved = await mappings.get(param(request, 'id'));
        return mappingPage(reply, {
          id: saved.id,
          target: saved.mapping.target,
          headings: saved.headings,
          values: { ...mappingValues(saved), target: saved.mapping.target },
        });
      },
    },
    {
      method: 'POST',
      url: '/admin/imports/mappings/:id',
      need: 'admin',
      audit: { action: 'change', object: { kind: 'column-mapping', param: 'id' } },
      handler: async (request, reply) => {
        const saved = await mappings.get(param(request, 'id'));
        const form = parseMappingForm({
          ...(request.body as object),
          target: saved.mapping.target,
          headings: JSON.stringify(saved.headings),
        });
        const context = {
          id: saved.id,
          target: saved.mapping.target,
          headings: saved.headings,
          values: {},
        };
        if (!form.ok) return mappingPage(reply, context, form);
        const result = await mappings.save({ ...form.value, id: saved.id }, by(request));
        if (!result.ok)
          return mappingPage(reply, context, {
            problems: result.problems.map(toProblem),
            input: form.input,
          });
        return seeOther(reply, '/admin/imports/mappings');
      },
    },
    {
      method: 'GET',
      url: '/admin/imports/:id',
      need: 'admin',
      audit: { object: { kind: 'import', param: 'id' } },
      handler: async (request, reply) => {
        const job = await jobs.job(param(request, 'id'));
        if (job.state !== 'uploaded' && job.state !== 'cancelled' && job.state !== 'expired')
          return seeOther(reply, path('/admin/imports', job.id, 'progress'));
        const preview = job.preview;
        const problems = problemsView(preview?.problems ?? null);
        return show(reply, 'admin/imports/preview', {
          pageTitle:
            job.state === 'uploaded'
              ? (preview?.problems.errors ?? 0) > 0
                ? 'The files cannot be imported'
                : 'Check the import'
              : STATE_TEXT[job.state],
          backLink: BACK_TO_IMPORTS,
          job: { id: job.id, state: job.state, ...jobHeading(job) },
          waiting: job.state === 'uploaded',
          stateText: STATE_TEXT[job.state],
          files: fileRows(job.files),
          problems,
          hasErrors: (preview?.problems.errors ?? 0) > 0,
          summary: summaryView(preview?.summary ?? null),
          dueDates: dueDatesView(preview?.dueDates ?? null),
          applyAction: path('/admin/imports', job.id, 'apply'),
          cancelAction: path('/admin/imports', job.id, 'cancel'),
          keptHours: UPLOAD_KEPT_HOURS,
        });
      },
    },
    {
      method: 'POST',
      url: '/admin/imports/:id/apply',
      need: 'admin',
      audit: { action: 'import', object: { kind: 'import', param: 'id' } },
      handler: async (request, reply) => {
        const id = param(request, 'id');
        await jobs.apply(id, by(request));
        // Started now, or already started, finished or cancelled: the progress page says which.
        return seeOther(reply, path('/admin/imports', id, 'progress'));
      },
    },
    {
      method: 'POST',
      url: '/admin/imports/:id/cancel',
      need: 'admin',
      audit: { action: 'change', object: { kind: 'import', param: 'id' } },
      handler: async (request, reply) => {
        const id = param(request, 'id');
        await jobs.cancel(id);
        return seeOther(reply, path('/admin/imports', id));
      },
    },
    {
      method: 'GET',
      url: '/admin/imports/:id/progress',
      need: 'admin',
      audit: { object: { kind: 'import', param: 'id' } },
      handler: async (request, reply) => {
        const job = await jobs.job(param(request, 'id'));
        if (job.state === 'uploaded' || job.state === 'cancelled' || job.state === 'expired')
          return seeOther(reply, path('/admin/imports', job.id));
        const running = job.state === 'reading' || job.state === 'writing';
        const result = job.result;
        reply.header('cache-control', 'no-store');
        return show(reply, 'admin/imports/progress', {
          pageTitle: running ? 'Importing the files' : STATE_TEXT[job.state],
          backLink: BACK_TO_IMPORTS,
          job: { id: job.id, state: job.state, ...jobHeading(job) },
          running,
          progress: progressText(job),
          progressHref: path('/admin/imports', job.id, 'progress'),
          stateText: STATE_TEXT[job.state],
          applied: job.state === 'applied',
          files: fileRows(job.files),
          summary: result?.applied === true ? summaryView(result.summary) : null,
          problems: result?.applied === false ? problemsView(result.problems) : null,
          historyHref:
            job.historyId === null ? null : path('/admin/imports/history', job.historyId),
        });
      },
    },
  ];
}

function toProblem(p: { field: string; message: string }): Problem {
  return p.field === 'columns' ? { ...p, href: '#column-childId' } : p;
}

function safeHeadings(text: string | undefined): string[] {
  try {
    const parsed = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

/** One line of what an import did, for the history's table. */
function historySummaryText(summary: unknown): string {
  const s = summary as {
    children?: { added: number; changed: number; closed: number };
    workers?: { added: number; changed: number };
    errors?: number;
  } | null;
  if (s === null || typeof s !== 'object') return '';
  if (typeof s.errors === 'number')
    return `${String(s.errors)} ${s.errors === 1 ? 'error' : 'errors'}`;
  const parts: string[] = [];
  if (s.children !== undefined)
    parts.push(
      `Children: ${String(s.children.added)} new, ${String(s.children.changed)} changed, ${String(s.children.closed)} closed`,
    );
  if (s.workers !== undefined)
    parts.push(`workers: ${String(s.workers.added)} new, ${String(s.workers.changed)} changed`);
  return parts.join('; ');
}
