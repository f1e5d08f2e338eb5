import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../../src/db/create-db.js';
import type { Db } from '../../../src/db/database.js';
import { setUpOrganisation } from '../../../src/services/organisation.service.js';

/** The date every journey runs on: the demo organisation is generated for it. */
export const TODAY = '2026-11-24';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  readonly baseUrl: string;
  /** The server's own database, for choosing records and checking what a page shows. */
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * The real application, in-process, on a fresh SQLite database holding the demo organisation,
 * listening on a free port of 127.0.0.1. One per test file: setting the demo up takes a few
 * seconds.
 */
export async function startServer(
  options: { supervisionHistory?: boolean } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-e2e-'));
  const file = join(dir, 'oversight.sqlite');
  const clock = fixedClock(TODAY);
  let database: OpenDatabase | undefined;
  let app: FastifyInstance | undefined;
  try {
    database = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(database.db);
    await setUpOrganisation(database.db, clock, {
      demo: true,
      councilName: 'Demo Borough Council',
      ...options,
    });
    app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: file }),
      database,
      clock,
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const opened = { app, database };
    return {
      baseUrl: address.replace(/\/$/, ''),
      db: database.db,
      close: async () => {
        // Fastify waits up to its keep-alive timeout (72 s) for open connections otherwise.
        opened.app.server.closeAllConnections();
        await opened.app.close();
        await opened.database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
