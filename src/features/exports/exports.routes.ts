import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Viewer } from '../../domain/access/viewer.js';
import type { Db } from '../../db/database.js';
import { overdueQuerySchema } from '../actions/actions.service.js';
import { listQuerySchema } from '../oversight/oversight.service.js';
import type { Need, RouteDefinition } from '../route-table.js';
import { csvChunks } from './csv.js';
import { actionsTable, dueTable } from './exports.presenter.js';
import { ExportsService } from './exports.service.js';
import { fileSlug, type Table } from './table.js';
import { XLSX_TYPE, xlsxStream } from './xlsx.js';

/**
 * Every list as CSV and as Excel, at the page's address with `.csv` or `.xlsx` (a team's list:
 * /teams/:id/due.csv), taking the page's query string, so that the file is the list as filtered
 * and sorted on the page, every page of it. Each needs what its page needs, and refuses (or does
 * not find) what its page refuses. Files are streamed as they are read: a directorate's list of
 * tens of thousands of rows never sits in memory.
 */

type Format = 'csv' | 'xlsx';

interface Download {
  /** The file's name without its extension. */
  name: string;
  sheet: string;
  table: Table;
}

function viewerOf(request: FastifyRequest): Viewer {
  // The route table guarantees a viewer on every route below.
  const viewer = request.viewer;
  if (viewer === null) throw new Error('no viewer on a signed-in route');
  return viewer;
}

function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** A list that failed part way, already logged. */
class ListReadFailed extends Error {
  constructor() {
    super('the list could not be read');
    this.name = 'ListReadFailed';
  }
}

/**
 * A failure part way through a file (the headers have gone, so the download is cut short),
 * logged by its kind only: a database error's message can quote the values it refused.
 */
function logFailure(request: FastifyRequest, error: unknown): void {
  if (error instanceof ListReadFailed) return;
  const type = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  request.log.error(
    {
      err: { type, code: typeof code === 'string' || typeof code === 'number' ? code : undefined },
    },
    'export failed part way',
  );
}

/** The rows, with a failure to read them logged and replaced by one that says nothing more. */
function guarded(request: FastifyRequest, table: Table): Table {
  return {
    columns: table.columns,
    batches: (async function* () {
      try {
        yield* table.batches;
      } catch (error) {
        logFailure(request, error);
        throw new ListReadFailed();
      }
    })(),
  };
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  format: Format,
  download: Download,
): FastifyReply {
  const table = guarded(request, download.table);
  reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${download.name}.${format}"`);
  if (format === 'csv')
    return reply.type('text/csv; charset=utf-8').send(Readable.from(csvChunks(table)));
  return reply.type(XLSX_TYPE).send(
    xlsxStream(table, {
      sheet: download.sheet,
      onError: (error) => {
        logFailure(request, error);
      },
    }),
  );
}

/** One export in both formats, at `${path}.csv` and `${path}.xlsx`. */
function both(
  path: string,
  need: Need,
  make: (request: FastifyRequest) => Promise<Download>,
): RouteDefinition[] {
  return (['csv', 'xlsx'] as const).map((format) => ({
    method: 'GET' as const,
    url: `${path}.${format}`,
    need,
    handler: async (request: FastifyRequest, reply: FastifyReply) =>
      send(request, reply, format, await make(request)),
  }));
}

export function exportsRoutes(deps: { db: Db; clock: Clock; config: Config }): RouteDefinition[] {
  const service = new ExportsService(deps.db, deps.clock);
  const dueDownload = (list: { of: string; asOf: string }, table: Table): Download => ({
    name: `supervision-due-${fileSlug(list.of)}-${list.asOf}`,
    sheet: 'Supervision due',
    table,
  });

  return [
    ...both('/teams/:id/due', 'team', async (request) => {
      const list = await service.team(
        viewerOf(request),
        idParam(request),
        listQuerySchema.parse(request.query),
      );
      return dueDownload(list, dueTable(list));
    }),
    ...both('/services/:id/due', 'service', async (request) => {
      const list = await service.service(
        viewerOf(request),
        idParam(request),
        listQuerySchema.parse(request.query),
      );
      return dueDownload(list, dueTable(list));
    }),
    ...both('/directorate/due', 'directorate', async (request) => {
      const list = await service.directorate(
        viewerOf(request),
        listQuerySchema.parse(request.query),
      );
      return dueDownload(list, dueTable(list));
    }),
    ...both('/workers/:id/caseload', 'records', async (request) => {
      const list = await service.caseload(viewerOf(request), idParam(request));
      return {
        name: `caseload-${fileSlug(list.of)}-${list.asOf}`,
        sheet: 'Caseload',
        table: dueTable(list),
      };
    }),
    ...both('/actions', 'myWork', async (request) => {
      const list = await service.myActions(viewerOf(request));
      return {
        name: `my-actions-${list.today}`,
        sheet: 'My actions',
        table: actionsTable(list, { withList: true }),
      };
    }),
    ...both('/actions/overdue', 'team', async (request) => {
      const list = await service.overdueActions(
        viewerOf(request),
        overdueQuerySchema.parse(request.query),
      );
      return {
        name: `overdue-and-drifting-actions-${list.today}`,
        sheet: 'Overdue and drifting actions',
        table: actionsTable(list, { withList: false }),
      };
    }),
  ];
}
