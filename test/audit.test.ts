import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Clock } from '../src/clock.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../src/db/create-db.js';
import type { Database, Db } from '../src/db/database.js';
import type { Viewer } from '../src/domain/access/viewer.js';
import { IntegrationsService } from '../src/features/api/integrations.service.js';
import {
  auditHash,
  recordAudit,
  verifyAuditChain,
  type AuditChainReport,
} from '../src/services/audit.service.js';
import { buildApp, loggerOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { databaseKinds, describeEachDatabase, type DatabaseKind } from './support/databases.js';
import { childrenOf, personOf } from './support/demo-people.js';
import { runCli } from './support/due.js';

/**
 * The audit trail (docs/audit.md): what each kind of request writes, the hash chain and its
 * verification (in the service and by `oversight audit verify`), the database's refusal to
 * change an entry, concurrent appends, a failed write withholding the page, and the search.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogRow {
  seq: number;
  at: string;
  account_id: string | null;
  actor: string;
  action: string;
  object_kind: string | null;
  object_id: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  ip: string | null;
  request_id: string | null;
  detail: Record<string, unknown>;
}

async function entries(db: Db): Promise<LogRow[]> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    account_id: r.account_id,
    actor: r.actor,
    action: r.action,
    object_kind: r.object_kind,
    object_id: r.object_id,
    method: r.method,
    route: r.route,
    status: r.status,
    ip: r.ip,
    request_id: r.request_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}

/** The entries written while `act` ran. */
async function written(db: Db, act: () => Promise<unknown>): Promise<LogRow[]> {
  const before = (await entries(db)).length;
  await act();
  return (await entries(db)).slice(before);
}

async function accountId(db: Db, email: string): Promise<string> {
  return (
    await db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).id;
}

describeEachDatabase('the audit trail of the web service', (use) => {
  let app: FastifyInstance;
  let db: Db;
  let sw: Session;
  let tm: Session;
  let qa: Session;
  let swChild: string;
  let swPerson: string;
  let record: string;
  const clock = fixedClock(TEST_TODAY);

  beforeAll(async () => {
    db = use().db;
    app = await demoApp(use(), clock, { supervisionHistory: true });
    sw = await signedIn(app, 'sw@demo.example');
    tm = await signedIn(app, 'tm@demo.example');
    qa = await signedIn(app, 'qa@demo.example');
    swPerson = await personOf(db, 'sw@demo.example');
    const children = await childrenOf(db, swPerson);
    swChild = children[0] ?? '';
    const tmPerson = await personOf(db, 'tm@demo.example');
    record = (
      await db
        .selectFrom('supervision_sessions')
        .select('id')
        .where('supervisor_id', '=', tmPerson)
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  it('a view of a child writes who, what, when, from where and the request id', async () => {
    const [entry, ...more] = await written(db, () => sw.get(`/children/${swChild}`));
    expect(more).toEqual([]);
    expect(entry).toEqual({
      seq: expect.any(Number) as number,
      at: clock.now().toISOString(),
      account_id: await accountId(db, 'sw@demo.example'),
      actor: 'sw@demo.example',
      action: 'view',
      object_kind: 'child',
      object_id: swChild,
      method: 'GET',
      route: '/children/:id',
      status: 200,
      ip: '127.0.0.1',
      request_id: expect.stringMatching(UUID) as string,
      detail: {},
    });
  });

  it('a view of a worker and of a supervision record, each as its kind with its id', async () => {
    const worker = await written(db, () => tm.get(`/workers/${swPerson}`));
    expect(worker.map((e) => [e.action, e.object_kind, e.object_id, e.status])).toEqual([
      ['view', 'worker', swPerson, 200],
    ]);
    const seen = await written(db, () => tm.get(`/supervision/${record}`));
    expect(seen.map((e) => [e.action, e.object_kind, e.object_id, e.route])).toEqual([
      ['view', 'supervision-record', record, '/supervision/:id'],
    ]);
  });

  it('a record outside the viewer’s place is recorded with its refusal', async () => {
    const made = await written(db, () => sw.get('/children/NO-SUCH-CHILD'));
    expect(made.map((e) => [e.actor, e.action, e.object_kind, e.object_id, e.status])).toEqual([
      ['sw@demo.example', 'view', 'child', 'NO-SUCH-CHILD', 404],
    ]);
  });

  it('a change, and a refused change with its status', async () => {
    const form = {
      everyCount: '2',
      everyUnit: 'weeks',
      untilDay: '31',
      untilMonth: '1',
      untilYear: '2027',
      reason: 'Risk has increased',
    };
    await tm.get(`/children/${swChild}`);
    const saved = await written(db, () => tm.post(`/children/${swChild}/override`, form));
    expect(
      saved.map((e) => [e.actor, e.action, e.method, e.object_kind, e.object_id, e.status]),
    ).toEqual([['tm@demo.example', 'change', 'POST', 'child', swChild, 303]]);
    // The free text typed about the child is not in the trail.
    expect(JSON.stringify(saved)).not.toContain('Risk has increased');
    await sw.get(`/children/${swChild}`);
    const refused = await written(db, () => sw.post(`/children/${swChild}/override`, form));
    expect(refused.map((e) => [e.action, e.status])).toEqual([['change', 403]]);
    const noToken = await written(db, () =>
      tm.post(`/children/${swChild}/override/end`, {}, { csrf: null }),
    );
    expect(noToken.map((e) => [e.action, e.route, e.status])).toEqual([
      ['change', '/children/:id/override/end', 403],
    ]);
  });

  it('an export of a list and a download of a document', async () => {
    const exported = await written(db, () => tm.get(`/workers/${swPerson}/caseload.csv`));
    expect(exported.map((e) => [e.action, e.object_kind, e.object_id, e.route, e.status])).toEqual([
      ['export', 'worker', swPerson, '/workers/:id/caseload.csv', 200],
    ]);
    const downloaded = await written(db, () => tm.get(`/children/${swChild}/decision-records.pdf`));
    expect(downloaded.map((e) => [e.action, e.object_kind, e.object_id, e.status])).toEqual([
      ['download', 'child', swChild, 200],
    ]);
  });

  it('nothing for a public page, a sign-in redirect, an asset or the health check', async () => {
    const anonymous = new Session(app);
    const none = await written(db, async () => {
      expect((await anonymous.get('/signed-out')).statusCode).toBe(200);
      expect((await anonymous.get(`/children/${swChild}`)).statusCode).toBe(302);
      expect((await anonymous.get('/health')).statusCode).toBe(200);
      await anonymous.get('/assets/application.css');
      await anonymous.get('/no-such-page');
    });
    expect(none).toEqual([]);
  });

  it('a client cannot choose its request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/children/${swChild}`,
      headers: { cookie: sw.cookieHeader, 'request-id': 'chosen-by-client', 'x-request-id': 'x' },
    });
    expect(response.statusCode).toBe(200);
    const [last] = (await entries(db)).slice(-1);
    expect(last?.request_id).toMatch(UUID);
  });

  it('an API call is recorded under its token’s name', async () => {
    const admin = {
      accountId: await accountId(db, 'admin@demo.example'),
      email: 'admin@demo.example',
    } as Viewer;
    const created = await new IntegrationsService(db, clock).create(admin, {
      name: 'Case system feed',
      scopes: ['due:read'],
    });
    if (!created.ok) throw new Error('token not created');
    const call = await written(db, () =>
      app.inject({
        method: 'GET',
        url: `/api/v1/children/${swChild}/due`,
        headers: { authorization: `Bearer ${created.value.token}` },
      }),
    );
    expect(
      call.map((e) => [e.actor, e.account_id, e.action, e.object_kind, e.object_id, e.status]),
    ).toEqual([['API token: Case system feed', null, 'view', 'child', swChild, 200]]);
    expect(call[0]?.detail).toMatchObject({ tokenId: created.value.id });
    // A call without a token Oversight knows is recorded too, with its refusal.
    const refused = await written(db, () =>
      app.inject({
        method: 'GET',
        url: `/api/v1/children/${swChild}/due`,
        headers: { authorization: 'Bearer ovs_not-a-token' },
      }),
    );
    expect(refused.map((e) => [e.actor, e.action, e.object_id, e.status])).toEqual([
      ['API call without a known token', 'view', swChild, 401],
    ]);
    // The published description of the API is no one's view of anything.
    expect(
      await written(db, () => app.inject({ method: 'GET', url: '/api/v1/openapi.json' })),
    ).toEqual([]);
  });

  it('auditors search it; the search is recorded; and the chain verifies', async () => {
    const page = await qa.get(`/children/${swChild}`);
    expect(page.body).toContain(`href="/audit?object=child%3A${swChild}"`);
    expect(page.body).toContain('Who has opened this record');
    // Nobody else sees the link.
    expect((await tm.get(`/children/${swChild}`)).body).not.toContain('Who has opened this record');

    const search = await written(db, async () => {
      const found = await qa.get(`/audit?object=child:${swChild}`);
      expect(found.statusCode).toBe(200);
      // Who opened it: the practitioner and the manager, newest first, with the child's name.
      expect(found.body).toContain('sw@demo.example');
      expect(found.body).toContain('tm@demo.example');
      expect(found.body).toContain('Download every entry of this search (CSV)');
      const name = (
        await db
          .selectFrom('children')
          .select('name')
          .where('id', '=', swChild)
          .executeTakeFirstOrThrow()
      ).name;
      expect(found.body).toContain(`Entries about Child: ${name ?? ''} (${swChild})`);
      const rows = [...found.body.matchAll(/<tr class="govuk-table__row">/g)].length - 1;
      expect(rows).toBeGreaterThan(3);
    });
    expect(search.map((e) => [e.actor, e.action, e.object_kind, e.status])).toEqual([
      ['qa@demo.example', 'audit-search', null, 200],
    ]);
    expect(search[0]?.detail).toEqual({ search: { kind: 'child', id: swChild } });

    const report = await verifyAuditChain(db);
    expect(report).toMatchObject({ ok: true, entries: (await entries(db)).length });
  });

  it('"what did this person view": by account, views only, and as a CSV with formulas defused', async () => {
    const swAccount = await accountId(db, 'sw@demo.example');
    const found = await qa.get(`/audit?who=${swAccount}&action=view`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`Child`);
    expect(found.body).not.toContain('tm@demo.example');
    const byEmail = await qa.get('/audit?who=SW%40demo.example&action=change');
    expect(byEmail.body).toContain('/children/:id/override');
    expect(byEmail.body).not.toContain('>GET /children/:id<');

    const csv = await qa.get(`/audit.csv?who=${swAccount}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="audit-trail-${TEST_TODAY}.csv"`,
    );
    expect(csv.body.startsWith('\uFEFFEntry,When (UTC),Who,')).toBe(true);
    const lines = csv.body.trim().split('\r\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => l.includes('sw@demo.example'))).toBe(true);
    const [last] = (await entries(db)).slice(-1);
    expect([last?.action, last?.route]).toEqual(['export', '/audit.csv']);

    // Text a spreadsheet would run as a formula is defused.
    await recordAudit(db, clock, {
      accountId: null,
      actor: '=HYPERLINK("http://x")',
      action: 'view',
    });
    const defused = await qa.get(`/audit.csv?who=${encodeURIComponent('=HYPERLINK("http://x")')}`);
    expect(defused.body.split('\r\n')[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('the search refuses dates that are not dates, and a to before a from', async () => {
    const bad = await qa.get('/audit?from=2026-02-30&to=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error: Audit trail');
    expect(bad.body).toContain('Enter the from date as a real date in the form YYYY-MM-DD');
    expect(bad.body).toContain('Enter the to date as a real date in the form YYYY-MM-DD');
    const backwards = await qa.get('/audit?from=2026-11-24&to=2026-11-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The to date must be the same as or after the from date');
    const idOnly = await qa.get('/audit?id=C1');
    expect(idOnly.body).toContain('Choose what kind of record the id is for');
    // A day in London: the entries of 24 November are found, and not those of the day after.
    expect((await qa.get('/audit?from=2026-11-24&to=2026-11-24')).body).toContain(
      'sw@demo.example',
    );
    expect((await qa.get('/audit?from=2026-11-25')).body).toContain(
      'No entries match this search.',
    );
  });

  it('pages of fifty, newest first', async () => {
    for (let i = 0; i < 50; i++) await sw.get(`/children/${swChild}`);
    const first = await qa.get('/audit');
    const second = await qa.get('/audit?page=2');
    expect(first.body).toContain('Showing entries 1 to 50, newest first.');
    expect(first.body).toContain('href="/audit?page=2"');
    expect(second.body).toContain('Showing entries 51 to');
    expect(second.body).toContain('href="/audit?page=1"');
  });

  it('the audit routes against every role', async () => {
    const sessions: Record<string, Session> = {
      anonymous: new Session(app),
      sw,
      tm,
      hos: await signedIn(app, 'hos@demo.example'),
      admin: await signedIn(app, 'admin@demo.example'),
      qa,
      director: await signedIn(app, 'director@demo.example'),
    };
    const expected: Record<string, number | 'signIn'> = {
      anonymous: 'signIn',
      sw: 403,
      tm: 403,
      hos: 403,
      admin: 403,
      qa: 200,
      director: 200,
    };
    for (const url of ['/audit', '/audit.csv']) {
      for (const [role, session] of Object.entries(sessions)) {
        const response = await session.get(url);
        const got =
          response.statusCode === 302 && String(response.headers.location).startsWith('/sign-in')
            ? 'signIn'
            : response.statusCode;
        expect({ url, role, got }).toEqual({ url, role, got: expected[role] });
      }
    }
    // The navigation offers it to auditors only.
    expect((await qa.get('/directorate')).body).toContain('href="/audit"');
    expect((await sessions.director?.get('/directorate'))?.body).toContain('Audit trail');
    expect((await sessions.hos?.get('/my-work'))?.body).not.toContain('href="/audit"');
  });
});

/** A second app whose audit trail cannot be written: nothing is shown unrecorded. */
describeEachDatabase('when the audit trail cannot be written', (use) => {
  let app: FastifyInstance;
  let db: Db;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = use().db;
    await demoApp(use()).then((demo) => demo.close());
    // The same app, with its log kept, to see what the log says of the failure.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' });
    app = await buildApp({
      config,
      database: use(),
      clock: fixedClock(TEST_TODAY),
      logger: {
        ...(loggerOptions(config) as object),
        stream: {
          write: (line: string) => {
            logLines.push(line);
          },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await app.close();
  });

  it('answers 500 without the page, and without the download', async () => {
    const tm = await signedIn(app, 'tm@demo.example');
    const worker = await personOf(db, 'sw@demo.example');
    const child = (await childrenOf(db, worker))[0] ?? '';
    const page = await tm.get(`/children/${child}`);
    expect(page.statusCode).toBe(200);
    const name = /<h1 class="govuk-heading-xl">([^<]+)<\/h1>/.exec(page.body)?.[1] ?? '';
    expect(name).not.toBe('');
    await sql`alter table audit_head rename to audit_head_away`.execute(db);
    try {
      const withheld = await tm.get(`/children/${child}`);
      expect(withheld.statusCode).toBe(500);
      expect(withheld.body).toContain('Sorry, there is a problem with the service');
      expect(withheld.body).not.toContain(name);
      expect(withheld.body).not.toContain(child);
      const file = await tm.get(`/workers/${worker}/caseload.csv`);
      expect(file.statusCode).toBe(500);
      expect(file.headers['content-disposition']).toBeUndefined();
      expect(file.body).not.toContain(child);
      // The log says what happened, and nothing of whom it was about.
      const said = logLines.filter((l) => l.includes('audit entry not written'));
      expect(said.length).toBe(2);
      expect(logLines.join('\n')).not.toContain(child);
      expect(logLines.join('\n')).not.toContain(name);
      expect(logLines.join('\n')).not.toContain('tm@demo.example');
    } finally {
      await sql`alter table audit_head_away rename to audit_head`.execute(db);
    }
    expect((await tm.get(`/children/${child}`)).statusCode).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// The chain: tampering, the database's own refusal, concurrent appends, the command.

/** A database of its own that the command line can open too (a file, or a schema's URL). */
async function standalone(kind: DatabaseKind): Promise<{
  open: OpenDatabase;
  url: string;
  close: () => Promise<void>;
}> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-audit-'));
    const file = join(dir, 'o.sqlite');
    const open = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(open.db);
    return {
      open,
      url: file,
      close: async () => {
        await open.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL ?? '';
  const schema = `audit_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(base);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const open = openDatabase({ kind: 'postgres', url: scoped.toString() }, { poolSize: 8 });
  await migrateToLatest(open.db, { schema });
  return {
    open,
    url: scoped.toString(),
    close: async () => {
      await open.close();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

async function fiveEntries(db: Db, clock: Clock): Promise<void> {
  for (let i = 1; i <= 5; i++)
    await recordAudit(db, clock, {
      accountId: 'A1',
      actor: 'sw@demo.example',
      action: 'view',
      objectKind: 'child',
      objectId: `C${String(i)}`,
      method: 'GET',
      route: '/children/:id',
      status: 200,
      ip: '127.0.0.1',
      requestId: `r${String(i)}`,
    });
}

/** Lets the test do what the database otherwise refuses (as someone with its owner's rights could). */
async function dropGuards(db: Kysely<Database>, kind: DatabaseKind): Promise<void> {
  if (kind === 'postgres') await sql`drop trigger audit_log_no_update on audit_log`.execute(db);
  else {
    await sql`drop trigger audit_log_no_update`.execute(db);
    await sql`drop trigger audit_log_no_delete`.execute(db);
  }
}

const CLOCK = fixedClock(TEST_TODAY, new Date('2026-11-24T10:00:00.000Z'));

for (const kind of databaseKinds()) {
  describe(`the audit chain [${kind}]`, () => {
    /** Five entries, a tampering, then what verifyAuditChain and the command say. */
    async function tampered(
      tamper: (db: Db) => Promise<unknown>,
    ): Promise<{ report: AuditChainReport; cli: Awaited<ReturnType<typeof runCli>> }> {
      const { open, url, close } = await standalone(kind);
      try {
        await fiveEntries(open.db, CLOCK);
        expect(await verifyAuditChain(open.db)).toMatchObject({ ok: true, entries: 5 });
        await dropGuards(open.db, kind);
        await tamper(open.db);
        const report = await verifyAuditChain(open.db);
        const cli = await runCli(['audit', 'verify'], {
          env: { DATABASE_URL: url, LOG_LEVEL: 'silent' },
        });
        return { report, cli };
      } finally {
        await close();
      }
    }

    it('an unbroken chain verifies, in the service and by the command (exit 0)', async () => {
      const { open, url, close } = await standalone(kind);
      try {
        expect(await verifyAuditChain(open.db)).toEqual({
          ok: true,
          entries: 0,
          first: null,
          last: null,
          headHash: '0'.repeat(64),
        });
        await fiveEntries(open.db, CLOCK);
        const progress: number[] = [];
        const report = await verifyAuditChain(open.db, {
          batchSize: 2,
          onProgress: (p) => progress.push(p.checked),
        });
        expect(report).toMatchObject({
          ok: true,
          entries: 5,
          first: { seq: 1, at: '2026-11-24T10:00:00.000Z' },
          last: { seq: 5, at: '2026-11-24T10:00:00.000Z' },
        });
        // Batches of two: memory stays flat however long the chain.
        expect(progress).toEqual([2, 4, 5]);
        const cli = await runCli(['audit', 'verify'], {
          env: { DATABASE_URL: url, LOG_LEVEL: 'silent' },
        });
        expect(cli.code).toBe(0);
        expect(cli.stdout).toMatch(
          /^The audit trail is unbroken: 5 entries, from 1 \(2026-11-24T10:00:00.000Z\) to 5 \(2026-11-24T10:00:00.000Z\); head hash [0-9a-f]{64}\.\n$/,
        );
      } finally {
        await close();
      }
    });

    it('a changed entry is found', async () => {
      const { report, cli } = await tampered((db) =>
        db
          .updateTable('audit_log')
          .set({ actor: 'someone-else@demo.example' })
          .where('seq', '=', 3)
          .execute(),
      );
      expect(report).toEqual({
        ok: false,
        entries: 2,
        seq: 3,
        problem:
          'entry 3 (2026-11-24T10:00:00.000Z) does not match its hash: changed after it was written',
      });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toBe('');
      expect(cli.stderr).toContain(
        'The audit trail is broken: entry 3 (2026-11-24T10:00:00.000Z) does not match its hash',
      );
    });

    it('a changed entry given a new hash is found by the next one', async () => {
      const { report, cli } = await tampered(async (db) => {
        const row = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '=', 3)
          .executeTakeFirstOrThrow();
        const hash = auditHash(row.prev_hash, {
          seq: 3,
          at: row.at,
          accountId: row.account_id,
          actor: 'someone-else@demo.example',
          action: row.action,
          objectKind: row.object_kind,
          objectId: row.object_id,
          method: row.method,
          route: row.route,
          status: row.status,
          ip: row.ip,
          requestId: row.request_id,
          detail: row.detail,
        });
        await db
          .updateTable('audit_log')
          .set({ actor: 'someone-else@demo.example', hash })
          .where('seq', '=', 3)
          .execute();
      });
      expect(report).toMatchObject({ ok: false, seq: 4, entries: 3 });
      expect(report.ok ? '' : report.problem).toContain(
        'entry 4 (2026-11-24T10:00:00.000Z) does not follow entry 3',
      );
      expect(cli.code).toBe(1);
    });

    it('a removed entry is found', async () => {
      const { report, cli } = await tampered((db) =>
        db.deleteFrom('audit_log').where('seq', '=', 2).execute(),
      );
      expect(report).toEqual({
        ok: false,
        entries: 1,
        seq: 2,
        problem: 'entry 2 is missing: removed after it was written',
      });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('entry 2 is missing');
    });

    it('the last entry removed is found by the head', async () => {
      const { report, cli } = await tampered((db) =>
        db.deleteFrom('audit_log').where('seq', '=', 5).execute(),
      );
      expect(report).toMatchObject({ ok: false, seq: 5, entries: 4 });
      expect(report.ok ? '' : report.problem).toContain('entry 5 was removed');
      expect(cli.code).toBe(1);
    });

    it('an entry put in afterwards is found, even with a well-made hash', async () => {
      const { report, cli } = await tampered(async (db) => {
        const last = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '=', 5)
          .executeTakeFirstOrThrow();
        const entry = {
          seq: 6,
          at: '2026-11-24T10:00:01.000Z',
          accountId: null,
          actor: 'nobody',
          action: 'view',
          objectKind: null,
          objectId: null,
          method: null,
          route: null,
          status: null,
          ip: null,
          requestId: null,
          detail: '{}',
        };
        await db
          .insertInto('audit_log')
          .values({
            seq: 6,
            at: entry.at,
            account_id: null,
            actor: entry.actor,
            action: entry.action,
            object_kind: null,
            object_id: null,
            method: null,
            route: null,
            status: null,
            ip: null,
            request_id: null,
            detail: '{}',
            prev_hash: last.hash,
            hash: auditHash(last.hash, entry),
          })
          .execute();
      });
      expect(report).toMatchObject({ ok: false, seq: 6, entries: 5 });
      expect(report.ok ? '' : report.problem).toContain("there are entries after the chain's head");
      expect(cli.code).toBe(1);
    });

    it('an entry put in between, renumbering the rest, is found', async () => {
      const { report } = await tampered(async (db) => {
        await db.deleteFrom('audit_log').where('seq', '=', 5).execute();
        await db.updateTable('audit_log').set({ seq: 5 }).where('seq', '=', 4).execute();
        await db
          .insertInto('audit_log')
          .values({
            seq: 4,
            at: '2026-11-24T10:00:00.000Z',
            account_id: null,
            actor: 'nobody',
            action: 'view',
            object_kind: null,
            object_id: null,
            method: null,
            route: null,
            status: null,
            ip: null,
            request_id: null,
            detail: '{}',
            prev_hash: '0'.repeat(64),
            hash: '0'.repeat(64),
          })
          .execute();
      });
      expect(report).toMatchObject({ ok: false, seq: 4, entries: 3 });
    });

    it('a changed head is found', async () => {
      const { report, cli } = await tampered((db) =>
        db
          .updateTable('audit_head')
          .set({ hash: 'f'.repeat(64) })
          .where('id', '=', 1)
          .execute(),
      );
      expect(report).toMatchObject({ ok: false, seq: null, entries: 5 });
      expect(report.ok ? '' : report.problem).toContain(
        "the chain's head does not match the hash of entry 5",
      );
      expect(cli.code).toBe(1);
    });

    it('any change to any field of any entry is found at that entry', async () => {
      const { open, close } = await standalone(kind);
      try {
        const db = open.db;
        for (let i = 0; i < 4; i++) await fiveEntries(db, CLOCK);
        await dropGuards(db, kind);
        const fields = [
          'at',
          'account_id',
          'actor',
          'action',
          'object_kind',
          'object_id',
          'method',
          'route',
          'ip',
          'request_id',
          'detail',
          'prev_hash',
          'hash',
        ] as const;
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 20 }),
            fc.constantFrom(...fields),
            fc.string({ minLength: 1, maxLength: 12 }),
            async (seq, field, value) => {
              const row = await db
                .selectFrom('audit_log')
                .selectAll()
                .where('seq', '=', seq)
                .executeTakeFirstOrThrow();
              fc.pre(row[field] !== value);
              await db
                .updateTable('audit_log')
                .set({ [field]: value })
                .where('seq', '=', seq)
                .execute();
              try {
                const report = await verifyAuditChain(db, { batchSize: 7 });
                expect(report).toMatchObject({ ok: false, seq, entries: seq - 1 });
              } finally {
                await db
                  .updateTable('audit_log')
                  .set({ [field]: row[field] })
                  .where('seq', '=', seq)
                  .execute();
              }
            },
          ),
          { numRuns: kind === 'sqlite' ? 100 : 25 },
        );
        // The status, a number, too.
        await db.updateTable('audit_log').set({ status: 201 }).where('seq', '=', 9).execute();
        expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 9 });
      } finally {
        await close();
      }
    });

    it('the database refuses to change or remove an entry', async () => {
      const { open, close } = await standalone(kind);
      try {
        await fiveEntries(open.db, CLOCK);
        await expect(
          open.db.updateTable('audit_log').set({ actor: 'x' }).where('seq', '=', 1).execute(),
        ).rejects.toThrow(/append-only/);
        await expect(
          open.db.deleteFrom('audit_log').where('seq', '=', 1).execute(),
        ).rejects.toThrow(/append-only/);
        expect(await verifyAuditChain(open.db)).toMatchObject({ ok: true, entries: 5 });
      } finally {
        await close();
      }
    });

    it('fifty appends at once leave an unbroken chain numbered 1 to 50', async () => {
      const { open, close } = await standalone(kind);
      try {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            recordAudit(open.db, CLOCK, {
              accountId: null,
              actor: `person${String(i)}@demo.example`,
              action: 'view',
            }),
          ),
        );
        const seqs = (
          await open.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()
        ).map((r) => Number(r.seq));
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(await verifyAuditChain(open.db)).toMatchObject({ ok: true, entries: 50 });
      } finally {
        await close();
      }
    });

    it('the command says how it is used, and when the database has no audit trail', async () => {
      const wrong = await runCli(['audit', 'check'], { env: { LOG_LEVEL: 'silent' } });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('"oversight audit" takes one subcommand: verify');
      if (kind !== 'sqlite') return;
      const dir = mkdtempSync(join(tmpdir(), 'oversight-audit-'));
      try {
        const empty = await runCli(['audit', 'verify'], {
          env: { DATABASE_URL: join(dir, 'new.sqlite'), LOG_LEVEL: 'silent' },
        });
        expect(empty.code).toBe(2);
        expect(empty.stderr).toContain('the audit trail could not be read');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
