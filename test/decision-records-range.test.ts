import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { personPlace } from '../src/db/accounts.repository.js';
import type { Db } from '../src/db/database.js';
import type { Viewer } from '../src/domain/access/viewer.js';
import { SupervisionService } from '../src/features/supervision/supervision.service.js';
import { ensureCurrent } from '../src/services/due.service.js';
import { pdfText } from './e2e/support/pdf-text.js';
import { covered } from './matrix/decision-records.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';
import { childrenOf, personOf, viewerFor } from './support/demo-people.js';

/**
 * Decision records across children as one PDF (issue 6): a manager's place only, the dates
 * chosen, a contents page, and never the personal section or a draft.
 */

const clock = fixedClock(TEST_TODAY);

const PERSONAL = {
  absence: 'RANGE-PERSONAL absence: sick leave',
  wellbeing: 'RANGE-PERSONAL wellbeing: a family bereavement',
  learning: 'RANGE-PERSONAL learning: a course',
};

const DECISION = (n: number) => `Range decision for child ${String(n)}: keep the plan`;
const OTHER = 'Range decision of another service';
const DRAFT = 'Range decision in a draft';

interface Seeded {
  children: [string, string];
  otherChild: string;
  otherTeam: string;
  tmTeam: string;
}

async function seed(db: Db): Promise<Seeded> {
  await ensureCurrent(db, clock);
  const supervision = new SupervisionService(db, clock);
  const sw = await personOf(db, 'sw@demo.example');
  const tm = await personOf(db, 'tm@demo.example');
  const hos = await personOf(db, 'hos@demo.example');
  const tmTeam = (await personPlace(db, tm))?.teamId ?? '';
  const hosService = (await personPlace(db, hos))?.serviceId ?? '';
  const tmViewer = await viewerFor(db, tm);
  const [c1, c2] = await childrenOf(db, sw);
  if (c1 === undefined || c2 === undefined) throw new Error('sw has fewer than two children');
  const start = (viewer: Viewer, superviseeId: string, date: string) =>
    supervision.start(viewer, {
      type: 'individual',
      superviseeIds: [superviseeId],
      coWorkerIds: [],
      teamId: null,
      date,
      startTime: '10:00',
      endTime: '11:00',
      place: 'Room 4',
      confidentiality: null,
    });

  const session = await start(tmViewer, sw, '2026-11-20');
  expect((await supervision.savePersonal(tmViewer, session, 0, PERSONAL)).ok).toBe(true);
  const [d1, d2] = (await supervision.addChildren(tmViewer, session, [c1, c2])) as [string, string];
  for (const [n, d] of [
    [1, d1],
    [2, d2],
  ] as const)
    expect(
      (
        await supervision.saveDiscussion(
          tmViewer,
          session,
          d,
          0,
          { decision: DECISION(n), rationale: 'Risks are reducing' },
          [],
        )
      ).ok,
    ).toBe(true);
  const signed = await supervision.signAsSupervisor(tmViewer, session);
  if (!signed.ok) throw new Error('could not sign');

  const draft = await start(tmViewer, sw, '2026-11-23');
  const [draftDiscussion] = await supervision.addChildren(tmViewer, draft, [c1]);
  await supervision.saveDiscussion(
    tmViewer,
    draft,
    draftDiscussion ?? '',
    0,
    { decision: DRAFT, rationale: 'Not signed' },
    [],
  );

  // A signed record in another service.
  const pair = await db
    .selectFrom('people as p')
    .innerJoin('people as m', 'm.id', 'p.line_manager_id')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['p.id as worker', 'm.id as manager', 't.id as team'])
    .where('m.role', '=', 'team-manager')
    .where('t.service_id', '!=', hosService)
    .where('p.end', 'is', null)
    .where('m.end', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('due_results')
          .select('subject_id')
          .whereRef('due_results.worker_id', '=', 'p.id')
          .where('subject_kind', '=', 'child')
          .where('requirement', '=', 'case-supervision'),
      ),
    )
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  const otherViewer = await viewerFor(db, pair.manager);
  const [otherChild] = await childrenOf(db, pair.worker);
  const other = await start(otherViewer, pair.worker, '2026-11-18');
  const [otherDiscussion] = await supervision.addChildren(otherViewer, other, [otherChild ?? '']);
  await supervision.saveDiscussion(
    otherViewer,
    other,
    otherDiscussion ?? '',
    0,
    { decision: OTHER, rationale: 'Elsewhere' },
    [],
  );
  if (!(await supervision.signAsSupervisor(otherViewer, other)).ok)
    throw new Error('could not sign the other record');
  return { children: [c1, c2], otherChild: otherChild ?? '', otherTeam: pair.team, tmTeam };
}

async function pdfOf(session: Session, url: string): Promise<string> {
  const response = await session.app.inject({
    method: 'GET',
    url,
    headers: { cookie: session.cookieHeader },
  });
  expect(response.statusCode, url).toBe(200);
  expect(response.headers['content-type']).toBe('application/pdf');
  expect(String(response.headers['content-disposition'])).toMatch(
    /^attachment; filename="decision-records-/,
  );
  return pdfText(new Uint8Array(response.rawPayload));
}

describeEachDatabase('decision records across children', (use) => {
  let app: FastifyInstance;
  let seeded: Seeded;
  let tm: Session;

  beforeAll(async () => {
    app = await demoApp(use());
    seeded = await seed(use().db);
    tm = await signedIn(app, 'tm@demo.example');
  }, 60_000);

  it('a team manager gets their children’s decisions in the range, with contents, and nothing personal or in draft', async () => {
    const text = await pdfOf(tm, '/decision-records.pdf?from=2026-11-01&to=2026-11-30');
    expect(text).toContain('Contents');
    expect(text).toContain(DECISION(1));
    expect(text).toContain(DECISION(2));
    expect(text).not.toContain(OTHER);
    expect(text).not.toContain(DRAFT);
    expect(text).not.toContain('RANGE-PERSONAL');
    for (const child of seeded.children) expect(text).toContain(child);
  });

  it('dates outside the range leave the record out', async () => {
    const text = await pdfOf(tm, '/decision-records.pdf?from=2026-11-21&to=2026-11-30');
    expect(text).not.toContain(DECISION(1));
    expect(text).toContain('There are no signed supervision decision records');
  });

  it('a team manager cannot get another team’s children, even by naming the team', async () => {
    const text = await pdfOf(
      tm,
      `/decision-records.pdf?from=2026-11-01&to=2026-11-30&place=${encodeURIComponent(`team:${seeded.otherTeam}`)}`,
    );
    expect(text).not.toContain(OTHER);
    expect(text).not.toContain(seeded.otherChild);
    // The form does not offer it.
    const form = await tm.get('/decision-records');
    expect(form.body).not.toContain(`team:${seeded.otherTeam}`);
    expect(form.body).toContain(`team:${seeded.tmTeam}`);
  });

  it('quality assurance gets every child’s decisions in the range; one team narrows it', async () => {
    const qa = await signedIn(app, 'qa@demo.example');
    const all = await pdfOf(qa, '/decision-records.pdf?from=2026-11-01&to=2026-11-30');
    expect(all).toContain(DECISION(1));
    expect(all).toContain(OTHER);
    expect(all).not.toContain('RANGE-PERSONAL');
    const team = await pdfOf(
      qa,
      `/decision-records.pdf?from=2026-11-01&to=2026-11-30&place=${encodeURIComponent(`team:${seeded.otherTeam}`)}`,
    );
    expect(team).toContain(OTHER);
    expect(team).not.toContain(DECISION(1));
  });

  it('the form: its errors, then a count and the link to the PDF', async () => {
    const empty = await tm.get('/decision-records');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Decision records for a range of dates');
    const wrong = await tm.get(
      '/decision-records?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026',
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<title>Error:');
    expect(wrong.body).toContain('The start of the range must be a real date');
    const backwards = await tm.get(
      '/decision-records?from-day=30&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026',
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end of the range must be the same as or after its start');
    const ok = await tm.get(
      '/decision-records?from-day=1&from-month=11&from-year=2026&to-day=30&to-month=11&to-year=2026&place=',
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('2 decision records');
    expect(ok.body).toContain('href="/decision-records.pdf?from=2026-11-01&amp;to=2026-11-30"');
    expect((await tm.get('/decision-records.pdf?from=2026-11-30&to=2026-11-01')).statusCode).toBe(
      400,
    );
    expect((await tm.get('/decision-records.pdf?from=yesterday&to=2026-11-01')).statusCode).toBe(
      400,
    );
  });

  it('every role against the range routes', async () => {
    const statuses: Record<string, number | 'signIn'> = {
      anonymous: 'signIn',
      'sw@demo.example': 403,
      'tm@demo.example': 200,
      'hos@demo.example': 200,
      'director@demo.example': 200,
      'qa@demo.example': 200,
      'admin@demo.example': 403,
    };
    const urls: Record<string, string> = {
      'GET /decision-records': '/decision-records',
      'GET /decision-records.pdf': '/decision-records.pdf?from=2026-11-01&to=2026-11-30',
    };
    expect(Object.keys(urls).sort()).toEqual([...covered].sort());
    for (const [who, expected] of Object.entries(statuses)) {
      const session = who === 'anonymous' ? new Session(app) : await signedIn(app, who);
      for (const url of Object.values(urls)) {
        const response: LightMyRequestResponse = await session.get(url);
        const got =
          response.statusCode === 302 && String(response.headers.location).startsWith('/sign-in')
            ? 'signIn'
            : response.statusCode;
        expect(got, `${who} ${url}`).toBe(expected);
      }
    }
  });
});
