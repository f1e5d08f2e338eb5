import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { saveMapping } from '../src/db/column-mappings.repository.js';
import { migrateToLatest, openDatabase } from '../src/db/create-db.js';
import type { ColumnMapping } from '../src/domain/imports/index.js';
import {
  ImportJobsService,
  incomingFolder,
  UPLOAD_ROOT,
} from '../src/services/import-jobs.service.js';
import { demoApp, Session, signedIn } from './support/app.js';

/** The configuration's default (UPLOAD_LIMIT_MB). */
const UPLOAD_LIMIT_MB = loadConfig({}).uploadLimitMegabytes;
import { describeEachDatabase } from './support/databases.js';
import { personOf } from './support/demo-people.js';
import { TestClock } from './support/clock.js';
import { runCli } from './support/due.js';

/**
 * Imports in the service (docs/imports.md, In the service): upload, preview, apply in the
 * background with a progress page, the history; refusals (a file with errors, one too large, a
 * post without the form's token); cancelling removes the files; column mappings saved and used;
 * and a staff list's change of line manager writes a handover in the import's transaction.
 */

const FIXTURES = 'test/fixtures/data-standards';
const ANNEX_A = 'annex_a_xlsx__sfdl-liia-tools__Annex_A.xlsx';

interface Part {
  filename: string;
  content: Buffer | string;
  field?: string;
}

/** A multipart/form-data body, as a browser sends a form with files. */
function multipart(
  fields: Record<string, string>,
  files: readonly Part[],
): { payload: Buffer; contentType: string } {
  const boundary = `----oversight${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'files'}"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      typeof file.content === 'string' ? Buffer.from(file.content) : file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(
  session: Session,
  url: string,
  fields: Record<string, string>,
  files: readonly Part[],
  options: { csrf?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const token = options.csrf === undefined ? session.csrf : options.csrf;
  const body = multipart({ ...(token === null ? {} : { _csrf: token }), ...fields }, files);
  return session.app.inject({
    method: 'POST',
    url,
    headers: { cookie: session.cookieHeader, 'content-type': body.contentType },
    payload: body.payload,
  });
}

/** Checks the progress page until it no longer says the import is under way. */
async function finished(session: Session, progressUrl: string): Promise<LightMyRequestResponse> {
  for (let i = 0; i < 600; i++) {
    const page = await session.get(progressUrl);
    if (!page.body.includes('data-import-progress')) return page;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the import did not finish');
}

/** Folders under the upload root, to see that nothing is left behind. */
function uploadFolders(): string[] {
  return existsSync(UPLOAD_ROOT) ? readdirSync(UPLOAD_ROOT) : [];
}

/**
 * The folders added since `before`, once the requests' clean-up has run (it runs when the
 * response has gone, which can be just after inject has it).
 */
async function foldersLeft(before: ReadonlySet<string>): Promise<string[]> {
  let left: string[] = [];
  for (let i = 0; i < 40; i++) {
    left = uploadFolders().filter((f) => !before.has(f));
    if (left.length === 0) return left;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return left;
}

/**
 * The folders created under the upload root while `action` runs (even if removed again): to
 * show that a refused upload never wrote its files at all.
 */
async function foldersCreatedDuring(action: () => Promise<unknown>): Promise<string[]> {
  mkdirSync(UPLOAD_ROOT, { recursive: true });
  const created = new Set<string>();
  const watcher = watch(UPLOAD_ROOT, (_event, name) => {
    if (name !== null && name.startsWith('incoming-')) created.add(name);
  });
  try {
    await action();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    watcher.close();
  }
  return [...created];
}

function jobIdOf(response: LightMyRequestResponse): string {
  const location = response.headers.location ?? '';
  const id = /^\/admin\/imports\/([A-Za-z0-9_-]+)$/.exec(location)?.[1];
  if (id === undefined) throw new Error(`not an import's address: ${location}`);
  return id;
}

describeEachDatabase('imports in the service', (use) => {
  let app: FastifyInstance;
  let admin: Session;

  beforeAll(async () => {
    app = await demoApp(use());
    admin = await signedIn(app, 'admin@demo.example');
  }, 60_000);

  it('uploads an Annex A workbook, previews it, applies it in the background and records it in the history', async () => {
    const page = await admin.get('/admin/imports');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    const childrenBefore = await use()
      .db.selectFrom('children')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();

    const uploaded = await upload(
      admin,
      '/admin/imports',
      { kind: 'annex-a', 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2021' },
      [{ filename: ANNEX_A, content: readFileSync(join(FIXTURES, ANNEX_A)) }],
    );
    expect(uploaded.statusCode).toBe(303);
    const id = jobIdOf(uploaded);
    expect(existsSync(join(UPLOAD_ROOT, `job-${id}`))).toBe(true);

    const preview = await admin.get(`/admin/imports/${id}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Check the import');
    expect(preview.body).toContain('Nothing has been written yet');
    expect(preview.body).toContain('What the import would change');
    expect(preview.body).toContain('Apply this import');
    // Nothing is written by the preview.
    const childrenAfterPreview = await use()
      .db.selectFrom('children')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(childrenAfterPreview.n)).toBe(Number(childrenBefore.n));

    const applied = await admin.post(`/admin/imports/${id}/apply`, {});
    expect(applied.statusCode).toBe(303);
    expect(applied.headers.location).toBe(`/admin/imports/${id}/progress`);
    const done = await finished(admin, `/admin/imports/${id}/progress`);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Import applied');
    expect(done.body).toContain('What the import changed');
    // The files are removed once applied.
    expect(existsSync(join(UPLOAD_ROOT, `job-${id}`))).toBe(false);
    const childrenAfter = await use()
      .db.selectFrom('children')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(childrenAfter.n)).toBeGreaterThan(Number(childrenBefore.n));

    // Applying again does nothing more: it was applied.
    const again = await admin.post(`/admin/imports/${id}/apply`, {});
    expect(again.statusCode).toBe(303);
    const history = await admin.get('/admin/imports/history');
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain(ANNEX_A);
    expect(history.body).toContain('admin@demo.example');
    const rows = await use()
      .db.selectFrom('import_history')
      .selectAll()
      .where('kind', '=', 'annex-a')
      .execute();
    expect(rows).toHaveLength(1);
    const entry = rows[0];
    if (entry === undefined) throw new Error('no history');
    expect(entry.outcome).toBe('applied');
    const detail = await admin.get(`/admin/imports/history/${entry.id}`);
    expect(detail.statusCode).toBe(200);
    const sha = (JSON.parse(entry.files) as { sha256: string }[])[0]?.sha256 ?? '';
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.body).toContain(sha);
    expect((await admin.get('/admin/imports/history/no-such-import')).statusCode).toBe(404);
  }, 60_000);

  it('shows the errors of a file that cannot be imported, offers no apply, and writes nothing', async () => {
    await admin.get('/admin/imports');
    const bad =
      'Employee ID,Name,Email,Job title,Team,Line manager ID,Start date\n' +
      'E1,Ada Lovelace,ada@example.org,Team Manager,Team North,,01/01/2020\n' +
      'E2,Ben Okafor,ben@example.org,Social Worker,Team North,E1,31/02/2021\n';
    const uploaded = await upload(admin, '/admin/imports', { kind: 'staff-list' }, [
      { filename: 'staff.csv', content: bad },
    ]);
    const id = jobIdOf(uploaded);
    const preview = await admin.get(`/admin/imports/${id}`);
    expect(preview.body).toContain('The files cannot be imported');
    expect(preview.body).toContain('Nothing will be written');
    expect(preview.body).not.toContain('Apply this import');
    // The problem names the file, the row and the column.
    expect(preview.body).toMatch(/staff\.csv<\/td>\s*<td class="govuk-table__cell">3<\/td>/);
    expect(preview.body).toContain('February 2021 has 28 days');
    // A file with errors is not kept, and applying it anyway does nothing.
    expect(existsSync(join(UPLOAD_ROOT, `job-${id}`))).toBe(false);
    const forced = await admin.post(`/admin/imports/${id}/apply`, {});
    expect(forced.statusCode).toBe(303);
    const people = await use()
      .db.selectFrom('people')
      .select('id')
      .where('id', 'in', ['E1', 'E2'])
      .execute();
    expect(people).toEqual([]);
    const job = await use()
      .db.selectFrom('import_jobs')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job.state).toBe('uploaded');
  });

  it('answers a file over the size limit with a page saying so (413), keeping nothing', async () => {
    await admin.get('/admin/imports');
    const before = new Set(uploadFolders());
    const big = Buffer.alloc(UPLOAD_LIMIT_MB * 1024 * 1024 + 1, 0x41);
    const response = await upload(admin, '/admin/imports', { kind: 'staff-list' }, [
      { filename: 'huge.csv', content: big },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('The file is too large');
    expect(response.body).toContain(`huge.csv is larger than ${String(UPLOAD_LIMIT_MB)} MB`);
    expect(await foldersLeft(before)).toEqual([]);
  }, 60_000);

  it('refuses an upload without the form’s token (403), keeping nothing', async () => {
    await admin.get('/admin/imports');
    const before = new Set(uploadFolders());
    const count = async () =>
      Number(
        (
          await use()
            .db.selectFrom('import_jobs')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const jobs = await count();
    const content = readFileSync(join(FIXTURES, ANNEX_A));
    // Without a token, the files are not even written.
    const written = await foldersCreatedDuring(async () => {
      const none = await upload(
        admin,
        '/admin/imports',
        { kind: 'annex-a' },
        [{ filename: ANNEX_A, content }],
        { csrf: null },
      );
      expect(none.statusCode).toBe(403);
    });
    expect(written).toEqual([]);
    const wrong = await upload(
      admin,
      '/admin/imports',
      { kind: 'annex-a' },
      [{ filename: ANNEX_A, content }],
      { csrf: 'not-the-token' },
    );
    expect(wrong.statusCode).toBe(403);
    expect(await count()).toBe(jobs);
    expect(await foldersLeft(before)).toEqual([]);
  });

  it('writes no file for anyone but an administrator', async () => {
    const sw = await signedIn(app, 'sw@demo.example');
    const anonymous = new Session(app);
    await anonymous.get('/sign-in');
    const content = readFileSync(join(FIXTURES, ANNEX_A));
    const written = await foldersCreatedDuring(async () => {
      // Each with a token from a form of their own: only the route's need stops them.
      await sw.get('/my-work');
      const response = await upload(sw, '/admin/imports', { kind: 'annex-a' }, [
        { filename: ANNEX_A, content },
      ]);
      expect(response.statusCode).toBe(403);
      const refused = await upload(anonymous, '/admin/imports', { kind: 'annex-a' }, [
        { filename: ANNEX_A, content },
      ]);
      expect(refused.statusCode).toBe(403);
    });
    expect(written).toEqual([]);
  });

  it('cancelling an upload removes its files, and it can no longer be applied', async () => {
    await admin.get('/admin/imports');
    const uploaded = await upload(admin, '/admin/imports', { kind: 'annex-a' }, [
      { filename: ANNEX_A, content: readFileSync(join(FIXTURES, ANNEX_A)) },
    ]);
    const id = jobIdOf(uploaded);
    const folder = join(UPLOAD_ROOT, `job-${id}`);
    expect(existsSync(folder)).toBe(true);
    await admin.get(`/admin/imports/${id}`);
    const cancelled = await admin.post(`/admin/imports/${id}/cancel`, {});
    expect(cancelled.statusCode).toBe(303);
    expect(existsSync(folder)).toBe(false);
    const page = await admin.get(`/admin/imports/${id}`);
    expect(page.body).toContain('Cancelled: nothing was written');
    expect(page.body).not.toContain('Apply this import');
    await admin.post(`/admin/imports/${id}/apply`, {});
    const job = await use()
      .db.selectFrom('import_jobs')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job.state).toBe('cancelled');
  });

  it('an upload left neither applied nor cancelled is removed after a day', async () => {
    const clock = new TestClock('2026-11-24T09:00:00Z');
    const jobs = new ImportJobsService(use().db, clock);
    const incoming = await incomingFolder();
    writeFileSync(
      join(incoming, '0'),
      'Employee ID,Name,Job title,Start date\nX1,Ann Example,Social Worker,01/01/2020\n',
    );
    const outcome = await jobs.upload({
      kind: 'staff-list',
      mappingId: null,
      asOf: null,
      incoming,
      files: [{ filename: 'staff.csv', path: join(incoming, '0'), bytes: 70, truncated: false }],
      by: 'test',
    });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(existsSync(incoming)).toBe(false);
    expect(existsSync(jobs.folderOf(outcome.id))).toBe(true);
    clock.advance({ hours: 23 });
    expect(await jobs.removeExpired()).toBe(0);
    expect(existsSync(jobs.folderOf(outcome.id))).toBe(true);
    clock.advance({ hours: 2 });
    expect(await jobs.removeExpired()).toBe(1);
    expect(existsSync(jobs.folderOf(outcome.id))).toBe(false);
    expect((await jobs.job(outcome.id)).state).toBe('expired');
    expect(await jobs.apply(outcome.id, 'test')).toBe(false);
  });

  it('shows an import whose process stopped mid-apply as stopped, with nothing written', async () => {
    const db = use().db;
    const old = '2026-11-24T11:00:00.000Z';
    await db
      .insertInto('import_jobs')
      .values({
        id: 'restarted-job',
        kind: 'ssda903',
        mapping_id: null,
        mapping_name: null,
        as_of: null,
        files: JSON.stringify([{ name: 'episodes.csv', sha256: 'a'.repeat(64), bytes: 100 }]),
        state: 'writing',
        done: 100,
        total: 100,
        preview: null,
        result: null,
        history_id: null,
        runner: 'a process that has gone',
        heartbeat_at: old,
        created_by: 'someone',
        created_at: old,
        updated_at: old,
      })
      .execute();
    const page = await admin.get('/admin/imports/restarted-job/progress');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Stopped: nothing was written');
    expect(page.body).not.toContain('data-import-progress');
  });

  it('saves a column mapping from a sample, and imports a CSV with it', async () => {
    const db = use().db;
    const child = await db.selectFrom('children').select('id').limit(1).executeTakeFirstOrThrow();
    const csv =
      'Person ID,Case Type,Opened,Closed\n' +
      `${child.id},Section 17,01/09/2026,\n` +
      'NEW-CHILD-1,Section 17,02/09/2026,\n';
    const list = await admin.get('/admin/imports/mappings');
    expect(list.statusCode).toBe(200);
    // A sample is needed.
    const noSample = await upload(
      admin,
      '/admin/imports/mappings/new',
      { name: 'Liquidlogic CIN extract', target: 'involvements' },
      [],
    );
    expect(noSample.statusCode).toBe(400);
    await admin.get('/admin/imports/mappings');
    const step = await upload(
      admin,
      '/admin/imports/mappings/new',
      { name: 'Liquidlogic CIN extract', target: 'involvements' },
      [{ filename: 'sample.csv', content: csv }],
    );
    expect(step.statusCode).toBe(200);
    expect(step.body).toContain('<option value="Case Type">Case Type</option>');
    await admin.get('/admin/imports/mappings');
    const headings = JSON.stringify(['Person ID', 'Case Type', 'Opened', 'Closed']);
    // Without the required columns, validateMapping's messages are in the error summary.
    const missing = await admin.post('/admin/imports/mappings', {
      name: 'Liquidlogic CIN extract',
      target: 'involvements',
      headings,
      'column-childId': 'Person ID',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose the column that holds the start date');
    expect(missing.body).toContain('Choose the column that holds the type');
    const unknownWord = await admin.post('/admin/imports/mappings', {
      name: 'Liquidlogic CIN extract',
      target: 'involvements',
      headings,
      'column-childId': 'Person ID',
      'column-type': 'Case Type',
      'column-start': 'Opened',
      values: 'Section 17 = child-in-need',
    });
    expect(unknownWord.statusCode).toBe(400);
    expect(unknownWord.body).toContain('is not one of');
    const saved = await admin.post('/admin/imports/mappings', {
      name: 'Liquidlogic CIN extract',
      target: 'involvements',
      headings,
      'column-childId': 'Person ID',
      'column-type': 'Case Type',
      'column-start': 'Opened',
      'column-end': 'Closed',
      values: 'Section 17 = cin',
    });
    expect(saved.statusCode).toBe(303);
    const mapping = await db.selectFrom('column_mappings').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(mapping.mapping)).toEqual({
      target: 'involvements',
      columns: { childId: 'Person ID', type: 'Case Type', start: 'Opened', end: 'Closed' },
      values: { 'Section 17': 'cin' },
    });
    // A second mapping of the same name is refused.
    await admin.get('/admin/imports/mappings');
    const twice = await admin.post('/admin/imports/mappings', {
      name: 'liquidlogic  CIN extract',
      target: 'involvements',
      headings,
      'column-childId': 'Person ID',
      'column-type': 'Case Type',
      'column-start': 'Opened',
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('There is already a mapping called Liquidlogic CIN extract');
    const edit = await admin.get(`/admin/imports/mappings/${mapping.id}`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Section 17 = cin');

    await admin.get('/admin/imports');
    const uploaded = await upload(
      admin,
      '/admin/imports',
      { kind: 'mapped-csv', mappingId: mapping.id },
      [{ filename: 'cin.csv', content: csv }],
    );
    const id = jobIdOf(uploaded);
    const preview = await admin.get(`/admin/imports/${id}`);
    expect(preview.body).toContain('Apply this import');
    await admin.post(`/admin/imports/${id}/apply`, {});
    const done = await finished(admin, `/admin/imports/${id}/progress`);
    expect(done.body).toContain('Import applied');
    const involvements = await db
      .selectFrom('child_involvements')
      .select(['child_id', 'type', 'start'])
      .where('child_id', 'in', [child.id, 'NEW-CHILD-1'])
      .where('type', '=', 'cin')
      .where('start', 'in', ['2026-09-01', '2026-09-02'])
      .orderBy('start')
      .execute();
    expect(involvements).toEqual([
      { child_id: child.id, type: 'cin', start: '2026-09-01' },
      { child_id: 'NEW-CHILD-1', type: 'cin', start: '2026-09-02' },
    ]);
  }, 60_000);

  it('a staff list that changes a line manager writes a handover the new and the old supervisor see', async () => {
    const db = use().db;
    const sw = await personOf(db, 'sw@demo.example');
    const tm = await personOf(db, 'tm@demo.example');
    const hos = await personOf(db, 'hos@demo.example');
    const person = await db
      .selectFrom('people')
      .select(['name', 'start', 'line_manager_id'])
      .where('id', '=', sw)
      .executeTakeFirstOrThrow();
    expect(person.line_manager_id).toBe(tm);
    const [y, m, d] = person.start.split('-');
    const list =
      'Employee ID,Name,Job title,Line manager ID,Start date\n' +
      `${sw},${person.name ?? ''},Social Worker,${hos},${d ?? ''}/${m ?? ''}/${y ?? ''}\n`;
    await admin.get('/admin/imports');
    const uploaded = await upload(admin, '/admin/imports', { kind: 'staff-list' }, [
      { filename: 'staff.csv', content: list },
    ]);
    const id = jobIdOf(uploaded);
    const preview = await admin.get(`/admin/imports/${id}`);
    expect(preview.body).toContain(
      'line manager changes: the new supervisor of each gets a handover',
    );
    expect(
      await db.selectFrom('handovers').select('id').where('supervisee_id', '=', sw).execute(),
    ).toEqual([]);
    await admin.post(`/admin/imports/${id}/apply`, {});
    const done = await finished(admin, `/admin/imports/${id}/progress`);
    expect(done.body).toContain('Import applied');
    const handovers = await db
      .selectFrom('handovers')
      .select(['id', 'from_supervisor_id', 'to_supervisor_id'])
      .where('supervisee_id', '=', sw)
      .execute();
    expect(handovers).toHaveLength(1);
    const handover = handovers[0];
    expect(handover).toMatchObject({ from_supervisor_id: tm, to_supervisor_id: hos });
    const href = `/handovers/${handover?.id ?? ''}`;
    expect((await (await signedIn(app, 'hos@demo.example')).get(href)).statusCode).toBe(200);
    expect((await (await signedIn(app, 'tm@demo.example')).get(href)).statusCode).toBe(200);
    const moved = await db
      .selectFrom('people')
      .select('line_manager_id')
      .where('id', '=', sw)
      .executeTakeFirstOrThrow();
    expect(moved.line_manager_id).toBe(hos);
  }, 60_000);

  it('every import page needs an administrator', async () => {
    const urls = [
      '/admin/imports',
      '/admin/imports/history',
      '/admin/imports/mappings',
      '/admin/imports/restarted-job',
      '/admin/imports/restarted-job/progress',
    ];
    for (const email of [
      'sw@demo.example',
      'tm@demo.example',
      'director@demo.example',
      'qa@demo.example',
    ]) {
      const session = await signedIn(app, email);
      for (const url of urls)
        expect((await session.get(url)).statusCode, `${email} ${url}`).toBe(403);
    }
  });
});

describe('oversight import csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-import-csv-'));
  const env = { DATABASE_URL: join(dir, 'o.sqlite'), LOG_LEVEL: 'silent' };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const csv =
    'Person ID,Plan,Start\n' + 'P1,Child Protection Plan,01/09/2026\n' + 'P2,CPP,02/09/2026\n';
  const mapping = JSON.stringify({
    target: 'involvements',
    columns: { childId: 'Person ID', type: 'Plan', start: 'Start' },
  });
  const children = async () => {
    const open = openDatabase({ kind: 'sqlite', file: env.DATABASE_URL });
    try {
      return (await open.db.selectFrom('children').select('id').orderBy('id').execute()).map(
        (c) => c.id,
      );
    } finally {
      await open.close();
    }
  };

  it('reads a mapping from a JSON file: a bad one is refused naming the file, a good one previews then imports', async () => {
    const files = {
      'plans.csv': csv,
      'map.json': mapping,
      'bad.json': '{"target":"cases","columns":{}}',
    };
    const bad = await runCli(['import', 'csv', '--mapping-file', 'bad.json', 'plans.csv'], {
      env,
      files,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.json: 'cases' is not a kind of record/m);
    const missing = await runCli(['import', 'csv', '--mapping-file', 'map.json', 'nope.csv'], {
      env,
      files,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^nope\.csv: no such file$/m);
    const preview = await runCli(
      ['import', 'csv', '--mapping-file', 'map.json', '--preview', 'plans.csv'],
      { env, files },
    );
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/nothing has been written/);
    expect(preview.stdout).toMatch(/^children\s+2\s+0\s+0\s+0\s+0$/m);
    const run = await runCli(['import', 'csv', '--mapping-file', 'map.json', 'plans.csv'], {
      env,
      files,
    });
    expect(run.code).toBe(0);
    expect(await children()).toEqual(['P1', 'P2']);
  });

  it('prints a row’s problem as FILE:ROW:COLUMN and imports nothing', async () => {
    const files = {
      'more.csv': csv + 'P3,CPP,31/02/2026\n',
      'map.json': mapping,
    };
    const run = await runCli(['import', 'csv', '--mapping-file', 'map.json', 'more.csv'], {
      env,
      files,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^more\.csv:4:Start: .*not a real date/m);
    expect(await children()).toEqual(['P1', 'P2']);
  });

  it('uses a mapping saved in the service by its name, and says which exist when the name is wrong', async () => {
    const open = openDatabase({ kind: 'sqlite', file: env.DATABASE_URL });
    try {
      await migrateToLatest(open.db);
      await saveMapping(
        open.db,
        { name: 'Mosaic CP plans', mapping: JSON.parse(mapping) as ColumnMapping, headings: [] },
        'test',
        '2026-11-24T09:00:00.000Z',
      );
    } finally {
      await open.close();
    }
    const files = { 'later.csv': 'Person ID,Plan,Start\nP4,CPP,03/09/2026\n' };
    const wrong = await runCli(['import', 'csv', '--mapping', 'Mosaic', 'later.csv'], {
      env,
      files,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'there is no mapping called "Mosaic": the saved mappings are "Mosaic CP plans"',
    );
    const run = await runCli(['import', 'csv', '--mapping', 'mosaic cp plans', 'later.csv'], {
      env,
      files,
    });
    expect(run.code).toBe(0);
    expect(await children()).toEqual(['P1', 'P2', 'P4']);
    const neither = await runCli(['import', 'csv', 'later.csv'], { env, files });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/give --mapping NAME/);
  });
});
