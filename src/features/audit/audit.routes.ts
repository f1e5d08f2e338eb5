import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { errorsFor } from '../admin/form-fields.js';
import { csvChunks } from '../exports/csv.js';
import type { RouteDefinition } from '../route-table.js';
import { parseAuditQuery, searchParams, type AuditQueryResult } from './audit.form.js';
import { auditTable, formItems, presentSearch } from './audit.presenter.js';
import { AuditSearchService } from './audit.service.js';

/**
 * The audit trail's search, for auditors (quality assurance, assistant directors and
 * directors): who opened this child's record, what did this person view. Searching is itself
 * recorded (as 'audit-search', and the CSV as an export), with the search's filters.
 */
export function auditRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const service = new AuditSearchService(deps.db);

  const remember = (request: FastifyRequest, parsed: AuditQueryResult) => {
    if (parsed.ok) request.auditDetail = { search: Object.fromEntries(searchParams(parsed.value)) };
  };

  return [
    {
      method: 'GET',
      url: '/audit',
      need: 'audit',
      audit: { action: 'audit-search' },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const parsed = parseAuditQuery(request.query);
        remember(request, parsed);
        const common = {
          pageTitle: 'Audit trail',
          values: parsed.input,
          ...formItems(parsed.input),
        };
        if (!parsed.ok)
          return reply.code(400).view('audit/index', {
            ...common,
            ...errorsFor(parsed.problems),
            results: null,
          });
        const page = await service.search(parsed.value);
        return reply.view('audit/index', {
          ...common,
          errorList: [],
          fieldErrors: {},
          results: presentSearch(parsed.value, page),
        });
      },
    },
    {
      method: 'GET',
      url: '/audit.csv',
      need: 'audit',
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const parsed = parseAuditQuery(request.query);
        remember(request, parsed);
        if (!parsed.ok) {
          const { kindItems, actionItems } = formItems(parsed.input);
          return reply.code(400).view('audit/index', {
            pageTitle: 'Audit trail',
            values: parsed.input,
            kindItems,
            actionItems,
            ...errorsFor(parsed.problems),
            results: null,
          });
        }
        const table = auditTable(service.all(parsed.value));
        const chunks = (async function* () {
          try {
            yield* csvChunks(table);
          } catch (caught) {
            // The headers have gone: the download is cut short, and the log says where, not what.
            request.log.error(
              { err: { type: caught instanceof Error ? caught.name : typeof caught } },
              'audit trail download failed part way',
            );
            throw new Error('the audit trail could not be read');
          }
        })();
        return reply
          .header('cache-control', 'no-store')
          .header(
            'content-disposition',
            `attachment; filename="audit-trail-${deps.clock.today()}.csv"`,
          )
          .type('text/csv; charset=utf-8')
          .send(Readable.from(chunks));
      },
    },
  ];
}
