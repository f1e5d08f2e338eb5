import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { adminRoutes } from '../src/features/admin/admin.routes.js';
import { demoApp, Session, signedIn, TEST_TODAY } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * The administration area through app.inject, with CSRF on: every page and form as an
 * administrator (the change visible after the redirect, due dates kept current), every form's
 * validation, and a team manager refused everywhere.
 */

/** HTML text with the entities Nunjucks writes turned back into characters. */
function plain(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function titleOf(html: string): string {
  return plain(/<title[^>]*>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '');
}

/**
 * A form's values as the page shows them (inputs, checked boxes, selected options, textareas),
 * so that a test can post it back with one field changed.
 */
function formValues(html: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(tag)?.[1];
    const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? 'text';
    if (name === undefined || name === '_csrf') continue;
    const value = plain(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
    if (type === 'checkbox' || type === 'radio') {
      if (/\bchecked\b/.test(tag)) values[name] = value;
      else values[name] ??= '';
    } else values[name] = value;
  }
  for (const [, name = '', options = ''] of html.matchAll(
    /<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g,
  ))
    values[name] = plain(/<option value="([^"]*)" selected/.exec(options)?.[1] ?? '');
  for (const [, name = '', text = ''] of html.matchAll(
    /<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g,
  ))
    values[name] = plain(text.trim());
  return values;
}

/** The boxes of a date input. */
function date(field: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return {
    [`${field}-day`]: String(Number(day)),
    [`${field}-month`]: String(Number(month)),
    [`${field}-year`]: year,
  };
}

function expectRedirect(res: LightMyRequestResponse, to: string): void {
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
  expect(res.headers.location).toBe(to);
}

function expectRefused(res: LightMyRequestResponse, ...messages: string[]): void {
  expect(res.statusCode).toBe(400);
  expect(titleOf(res.body)).toMatch(/^Error: /);
  expect(res.body).toContain('govuk-error-summary');
  for (const message of messages)
    expect(plain(res.body).includes(message), `page shows ${message}`).toBe(true);
}

function expectPage(res: LightMyRequestResponse, ...texts: string[]): void {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  expect(titleOf(res.body)).not.toMatch(/^Error: /);
  for (const text of texts) expect(plain(res.body).includes(text), `page shows ${text}`).toBe(true);
}

async function generation(db: Db): Promise<number> {
  const row = await db.selectFrom('due_state').select('generation').executeTakeFirst();
  return row?.generation ?? 0;
}

async function dueRows(db: Db, kind: 'child' | 'worker' | 'team', id: string) {
  return db
    .selectFrom('due_results')
    .selectAll()
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', id)
    .execute();
}

describeEachDatabase('administration', (use) => {
  let app: FastifyInstance;
  let db: Db;
  let admin: Session;
  let teamManager: Session;

  beforeAll(async () => {
    db = use().db;
    // setUpOrganisation (the demo organisation) and buildApp, on today's date.
    app = await demoApp(use(), fixedClock(TEST_TODAY));
    admin = await signedIn(app, 'admin@demo.example');
    teamManager = await signedIn(app, 'tm@demo.example');
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  it('refuses a team manager every administration page and form', async () => {
    const routes = adminRoutes({
      db,
      clock: fixedClock(TEST_TODAY),
      config: loadConfig({ NODE_ENV: 'test' }),
    });
    expect(routes.length).toBeGreaterThan(30);
    const before = await db.selectFrom('services').select('id').execute();
    for (const route of routes) {
      const url = route.url
        .replace(':kind', 'involvement')
        .replace(':date', '2026-12-29')
        .replace(/:[a-zA-Z]+/g, 'x');
      const res =
        route.method === 'GET'
          ? await teamManager.get(url)
          : await teamManager.post(url, { name: 'Sneaky service' });
      expect(res.statusCode, `${route.method} ${url}`).toBe(403);
      expect(res.body).toContain('You do not have permission to see this page');
    }
    expect(await db.selectFrom('services').select('id').execute()).toEqual(before);
  });

  it('sends someone signed out to sign in, and refuses a form without its token', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/teams' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fteams');
    const forged = await admin.post('/admin/services', { name: 'Forged' }, { csrf: null });
    expect(forged.statusCode).toBe(403);
    expect(
      await db.selectFrom('services').select('id').where('name', '=', 'Forged').execute(),
    ).toEqual([]);
  });

  it('shows the overview: organisation, counts, the policy in force and the sections', async () => {
    const res = await admin.get('/admin');
    expectPage(
      res,
      'Demo Borough Council',
      'DEMO',
      'Four-weekly case supervision',
      'in force since 24 Nov 2023',
      '2,500',
    );
    expect(titleOf(res.body)).toBe('Administration – Oversight – Demo Borough Council');
    for (const href of [
      '/admin/services',
      '/admin/teams',
      '/admin/people',
      '/admin/accounts',
      '/admin/policy',
      '/admin/closure-days',
      '/admin/children',
    ])
      expect(res.body).toContain(`href="${href}"`);
  });

  it('adds and renames a service, refusing an empty or duplicate name', async () => {
    expectPage(await admin.get('/admin/services'), 'Early Help', 'svc-early-help');
    expectPage(await admin.get('/admin/services/new'), 'Add a service');
    expectRefused(
      await admin.post('/admin/services', { name: '' }),
      'Enter the name of the service',
    );
    expectRefused(
      await admin.post('/admin/services', { name: 'early help' }),
      'There is already a service called early help',
    );
    expectRedirect(
      await admin.post('/admin/services', { name: 'Youth Justice' }),
      '/admin/services',
    );
    expectPage(await admin.get('/admin/services'), 'Youth Justice', 'svc-youth-justice');

    expectPage(await admin.get('/admin/services/svc-youth-justice'), 'Youth Justice');
    expectRefused(
      await admin.post('/admin/services/svc-youth-justice', { name: 'x'.repeat(101) }),
      'The name must be 100 characters or fewer',
    );
    expectRedirect(
      await admin.post('/admin/services/svc-youth-justice', { name: 'Youth Justice Service' }),
      '/admin/services',
    );
    expectPage(await admin.get('/admin/services'), 'Youth Justice Service');
    expect((await admin.get('/admin/services/no-such-service')).statusCode).toBe(404);
  });

  it('adds a team with its due dates, and refuses a bad code, a duplicate and bad dates', async () => {
    expectPage(await admin.get('/admin/teams'), 'Safeguarding East', 'Group supervision');
    expectPage(await admin.get('/admin/teams/new'), 'Add a team');
    const team = {
      id: 'YJ-1',
      name: 'Youth Justice Team',
      serviceId: 'svc-youth-justice',
      groupSupervision: 'yes',
      ...date('start', '2026-04-01'),
    };
    expectRefused(
      await admin.post('/admin/teams', { ...team, id: 'not a code!' }),
      'The code must be 40 characters or fewer, using only letters, numbers and hyphens',
    );
    const refused = await admin.post('/admin/teams', {
      ...team,
      name: '',
      serviceId: '',
      'start-day': '31',
      'start-month': '2',
      ...date('end', '2020-01-01'),
    });
    expectRefused(
      refused,
      'Enter the name of the team',
      'Select the service the team is in',
      'Start date must be a real date',
    );
    // The error summary links to the day box, and the date input's boxes are all marked.
    expect(refused.body).toContain('href="#start-day"');
    expect(
      (refused.body.match(/govuk-date-input__input[^"]*govuk-input--error/g) ?? []).length,
    ).toBe(3);
    expectRefused(
      await admin.post('/admin/teams', { ...team, ...date('end', '2026-03-31') }),
      'End date must be the same as or after the start date',
    );
    expectRedirect(await admin.post('/admin/teams', team), '/admin/teams');
    expectPage(await admin.get('/admin/teams'), 'Youth Justice Team', 'YJ-1', '1 Apr 2026');
    const rows = await dueRows(db, 'team', 'YJ-1');
    expect(rows.map((r) => [r.requirement, r.due, r.service_id])).toEqual([
      ['group-supervision', '2026-04-22', 'svc-youth-justice'],
    ]);
    expectRefused(
      await admin.post('/admin/teams', team),
      'There is already a team with the code YJ-1',
    );

    // Ending group supervision removes the team's requirement.
    expectPage(await admin.get('/admin/teams/YJ-1'), 'Youth Justice Team');
    expectRedirect(
      await admin.post('/admin/teams/YJ-1', { ...team, groupSupervision: '' }),
      '/admin/teams',
    );
    expect(await dueRows(db, 'team', 'YJ-1')).toEqual([]);
  });

  it('moves everyone filed under a team when the team changes service', async () => {
    const teamId = 'team-safeguarding-east';
    const [child] = await db
      .selectFrom('due_results')
      .select(['subject_id', 'service_id'])
      .where('subject_kind', '=', 'child')
      .where('team_id', '=', teamId)
      .limit(1)
      .execute();
    expect(child?.service_id).toBe('svc-assessment-child-protection');
    const values = formValues((await admin.get(`/admin/teams/${teamId}`)).body);
    expect(values.name).toBe('Safeguarding East');
    const move = { ...values, serviceId: 'svc-youth-justice' };
    expectRedirect(await admin.post(`/admin/teams/${teamId}`, move), '/admin/teams');
    const after = await dueRows(db, 'child', child?.subject_id ?? '');
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((r) => r.service_id))).toEqual(new Set(['svc-youth-justice']));
    const back = { ...move, serviceId: 'svc-assessment-child-protection' };
    expectRedirect(await admin.post(`/admin/teams/${teamId}`, back), '/admin/teams');
    const restored = await dueRows(db, 'child', child?.subject_id ?? '');
    expect(new Set(restored.map((r) => r.service_id))).toEqual(
      new Set(['svc-assessment-child-protection']),
    );
  });

  it('lists people 50 to a page, filtered by team', async () => {
    const total = Number(
      (
        await db
          .selectFrom('people')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );
    const first = await admin.get('/admin/people');
    expectPage(
      first,
      `Showing 1 to 50 of ${String(total)} people`,
      'Social worker',
      'Line manager',
    );
    expect((first.body.match(/<tr class="govuk-table__row">/g) ?? []).length).toBe(51);
    expect(first.body).toContain('govuk-pagination');
    expectPage(await admin.get('/admin/people?page=2'), 'Showing 51 to 100', 'Everyone, page 2');

    const inTeam = await db
      .selectFrom('people')
      .select(['name'])
      .where('team_id', '=', 'team-safeguarding-east')
      .execute();
    const filtered = await admin.get('/admin/people?team=team-safeguarding-east');
    expectPage(filtered, `of ${inTeam.length} people`, 'People in Safeguarding East');
    for (const p of inTeam) expect(plain(filtered.body)).toContain(p.name ?? '');
    expect(filtered.body).not.toContain('govuk-pagination');
  });

  it('adds and changes a person, refusing bad dates, a taken email and a cycle of line managers', async () => {
    const manager = await db
      .selectFrom('people')
      .select(['id', 'name', 'team_id', 'email'])
      .where('role', '=', 'team-manager')
      .where('team_id', '=', 'team-safeguarding-east')
      .executeTakeFirstOrThrow();
    expectPage(await admin.get('/admin/people/new'), 'Add a person', 'Advanced practitioner');
    const person = {
      id: 'NEW-W1',
      name: 'Nadia Newcombe',
      email: 'Nadia.Newcombe@demo.example',
      role: 'social-worker',
      teamId: 'team-safeguarding-east',
      serviceId: '',
      lineManagerId: manager.id,
      ...date('start', '2026-09-01'),
      ...date('earlyCareerStart', '2026-09-01'),
    };
    expectRefused(
      await admin.post('/admin/people', {
        ...person,
        name: '',
        role: 'wizard',
        'start-day': '',
        'start-month': '',
        'start-year': '2026',
        ...date('end', '2026-08-01'),
        'probationEnd-day': '40',
        'probationEnd-month': '1',
        'probationEnd-year': '2027',
      }),
      'Enter the person’s name',
      'Select a role',
      'Start date must include a day and a month',
      'Probation end date must be a real date',
    );
    expectRefused(
      await admin.post('/admin/people', { ...person, ...date('end', '2026-08-31') }),
      'End date must be the same as or after the start date',
    );
    expectRefused(
      await admin.post('/admin/people', { ...person, email: manager.email ?? '' }),
      'Someone else already has this email address',
    );
    expectRefused(
      await admin.post('/admin/people', { ...person, serviceId: 'svc-early-help' }),
      'Leave the service empty for someone in a team',
    );
    expectRedirect(
      await admin.post('/admin/people', person),
      '/admin/people?team=team-safeguarding-east',
    );
    expectPage(
      await admin.get('/admin/people?team=team-safeguarding-east'),
      'Nadia Newcombe',
      manager.name ?? '',
    );
    // Weekly supervision for the first six weeks of the early-career programme.
    const rows = await dueRows(db, 'worker', 'NEW-W1');
    expect(rows.find((r) => r.requirement === 'professional-supervision')?.due).toBe('2026-09-08');
    expect(rows[0]?.team_id).toBe('team-safeguarding-east');

    // The manager cannot be managed by the person they manage, directly or through others.
    const managerPage = await admin.get(`/admin/people/${manager.id}`);
    expectPage(managerPage, manager.name ?? '');
    const managerValues = { ...formValues(managerPage.body), lineManagerId: 'NEW-W1' };
    expectRefused(
      await admin.post(`/admin/people/${manager.id}`, managerValues),
      `Nadia Newcombe is line managed by ${manager.name ?? ''}, so cannot also be their line manager`,
    );
    expectRefused(
      await admin.post(`/admin/people/${manager.id}`, {
        ...managerValues,
        lineManagerId: manager.id,
      }),
      'A person cannot be their own line manager',
    );

    // Moving the person to another team moves their due dates with them.
    expectRedirect(
      await admin.post('/admin/people/NEW-W1', { ...person, teamId: 'team-safeguarding-west' }),
      '/admin/people?team=team-safeguarding-west',
    );
    const moved = await dueRows(db, 'worker', 'NEW-W1');
    expect(new Set(moved.map((r) => r.team_id))).toEqual(new Set(['team-safeguarding-west']));
    const edit = await admin.get('/admin/people/NEW-W1');
    expectPage(edit, 'Change Nadia Newcombe');
    expect(edit.body).toContain('value="nadia.newcombe@demo.example"');
    // Nobody is offered as their own line manager.
    expect(edit.body).not.toContain('<option value="NEW-W1"');
  });

  it('creates an account with a temporary password, and refuses a short one or a taken email', async () => {
    expectPage(
      await admin.get('/admin/accounts'),
      'admin@demo.example',
      'tm@demo.example',
      'Administrator',
    );
    const form = await admin.get('/admin/accounts/new');
    expectPage(form, 'Create an account', 'Nadia Newcombe');
    const account = {
      email: 'nadia.newcombe@demo.example',
      access: 'staff',
      personId: 'NEW-W1',
      password: 'correct horse battery',
    };
    expectRefused(
      await admin.post('/admin/accounts', { ...account, password: 'short', personId: '' }),
      'The temporary password must be at least 12 characters',
      'Select the person this staff account is for',
    );
    expectRefused(
      await admin.post('/admin/accounts', { ...account, email: 'TM@demo.example' }),
      'There is already an account with this email address',
    );
    expectRefused(
      await admin.post('/admin/accounts', { ...account, access: '' }),
      'Select what the account is for',
    );
    expectRedirect(await admin.post('/admin/accounts', account), '/admin/accounts');
    const list = await admin.get('/admin/accounts');
    expectPage(list, 'nadia.newcombe@demo.example', 'Nadia Newcombe', 'Never');
    expect(list.body).not.toContain('correct horse battery');

    const nadia = new Session(app);
    expect(
      (await nadia.signIn('nadia.newcombe@demo.example', 'correct horse battery')).statusCode,
    ).toBe(303);
    expectPage(await nadia.get('/my-work'), 'Nadia Newcombe');
    expect((await nadia.get('/admin')).statusCode).toBe(403);
    expectRefused(
      await admin.post('/admin/accounts', { ...account, email: 'other@demo.example' }),
      'This person already has an account',
    );
  });

  it('unlocks a locked account, and disables one (ending its sessions) and enables it again', async () => {
    const sw = await db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'sw@demo.example')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('accounts')
      .set({ locked_until: '2026-11-24T12:10:00.000Z', failed_attempts: 0 })
      .where('id', '=', sw.id)
      .execute();
    const locked = await admin.get('/admin/accounts');
    expectPage(locked, 'Locked', 'Unlock');
    expectRedirect(await admin.post(`/admin/accounts/${sw.id}/unlock`, {}), '/admin/accounts');
    const unlocked = await db
      .selectFrom('accounts')
      .select('locked_until')
      .where('id', '=', sw.id)
      .executeTakeFirst();
    expect(unlocked?.locked_until).toBeNull();

    const socialWorker = await signedIn(app, 'sw@demo.example');
    expect((await socialWorker.get('/my-work')).statusCode).toBe(200);
    expectRedirect(await admin.post(`/admin/accounts/${sw.id}/disable`, {}), '/admin/accounts');
    expect(
      await db.selectFrom('web_sessions').select('id').where('account_id', '=', sw.id).execute(),
    ).toEqual([]);
    expect((await socialWorker.get('/my-work')).statusCode).toBe(302);
    expectPage(await admin.get('/admin/accounts'), 'Disabled', 'Enable');
    expectRedirect(await admin.post(`/admin/accounts/${sw.id}/enable`, {}), '/admin/accounts');
    const enabled = await db
      .selectFrom('accounts')
      .select('disabled')
      .where('id', '=', sw.id)
      .executeTakeFirst();
    expect(Number(enabled?.disabled)).toBe(0);
    expect((await socialWorker.signIn('sw@demo.example')).statusCode).toBe(303);

    const me = await db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'admin@demo.example')
      .executeTakeFirstOrThrow();
    expectRefused(
      await admin.post(`/admin/accounts/${me.id}/disable`, {}),
      'You cannot disable your own account',
    );
    expect((await admin.get('/admin')).statusCode).toBe(200);
    expect((await admin.post('/admin/accounts/no-such-account/unlock', {})).statusCode).toBe(404);
  });

  it('prints the policy in force as its frequency table, with its history', async () => {
    const res = await admin.get('/admin/policy');
    expectPage(
      res,
      'In force: Four-weekly case supervision',
      'Case supervision (children)',
      'Professional supervision (workers)',
      'Early Help',
      'Early Help open',
      '4 weeks',
      '6 weeks',
      'Not worked out by the service',
      '10-day review',
      'Set up with the service',
      'The demo organisation follows the four-weekly preset.',
    );
    for (const preset of ['bimonthly', 'camden', 'four-weekly', 'leeds-schools', 'placement-led'])
      expect(res.body).toContain(`value="${preset}"`);
  });

  it('records a new policy version, refusing an invalid file with every problem and saving nothing', async () => {
    const versions = async () =>
      (await db.selectFrom('policy_versions').select('id').execute()).length;
    const before = await versions();
    const generationBefore = await generation(db);
    expectRefused(
      await admin.post('/admin/policy', { source: '', reason: '' }),
      'Select a preset policy or the council’s own policy file',
      'Enter the date it takes effect',
      'Enter the reason for the change',
    );
    const broken = [
      'id: our-policy',
      'name: Our policy',
      'rules:',
      '  case-supervision:',
      '    - id: cp',
      '      label: Child protection',
      '      when: { involvement: [cpx] }',
      '      every: sometimes',
      '      source: "Child protection: monthly"',
    ].join('\n');
    const refused = await admin.post('/admin/policy', {
      source: 'own-file',
      document: broken,
      ...date('effectiveFrom', '2027-04-01'),
      reason: 'Our own policy',
    });
    expectRefused(
      refused,
      'rules.case-supervision[0].every',
      'rules.case-supervision[0].when.involvement',
    );
    const listed = refused.body.match(/<a href="#document">/g) ?? [];
    expect(listed.length).toBeGreaterThanOrEqual(3);
    expect(refused.body).toContain('id="document"');
    // With the form's own problems too, the file's are listed in the same round.
    expectRefused(
      await admin.post('/admin/policy', { source: 'own-file', document: broken, reason: '' }),
      'Enter the reason for the change',
      'rules.case-supervision[0].every',
    );
    expect(await versions()).toBe(before);
    expect(await generation(db)).toBe(generationBefore);

    expectRedirect(
      await admin.post('/admin/policy', {
        source: 'camden',
        ...date('effectiveFrom', '2027-04-01'),
        reason: 'The council adopts Camden’s frequencies from April',
      }),
      '/admin/policy#history',
    );
    expect(await versions()).toBe(before + 1);
    expect(await generation(db)).toBe(generationBefore + 1);
    const after = await admin.get('/admin/policy');
    expectPage(
      after,
      'camden',
      'Not yet in force',
      '1 Apr 2027',
      'admin@demo.example',
      'The council adopts Camden’s frequencies from April',
      // Still in force today.
      'In force: Four-weekly case supervision',
    );
  });

  it('adds and removes closure days, marking every due date for recomputing', async () => {
    expectPage(await admin.get('/admin/closure-days'), 'There are no closure days');
    const start = await generation(db);
    expectRefused(
      await admin.post('/admin/closure-days', { ...date('date', '2026-02-30'), description: '' }),
      'Date must be a real date',
      'Enter what the closure day is',
    );
    expect(await generation(db)).toBe(start);
    const day = { ...date('date', '2026-12-29'), description: 'Council closure' };
    expectRedirect(await admin.post('/admin/closure-days', day), '/admin/closure-days');
    expect(await generation(db)).toBe(start + 1);
    expectPage(await admin.get('/admin/closure-days'), '29 Dec 2026', 'Council closure');
    expectRefused(
      await admin.post('/admin/closure-days', day),
      'There is already a closure day on 29 Dec 2026',
    );
    expectPage(
      await admin.get('/admin/closure-days/2026-12-29/remove'),
      'Remove the closure day on 29 Dec 2026?',
    );
    expectRedirect(
      await admin.post('/admin/closure-days/2026-12-29/remove', {}),
      '/admin/closure-days',
    );
    expect(await generation(db)).toBe(start + 2);
    expectPage(await admin.get('/admin/closure-days'), 'There are no closure days');
    expect((await admin.get('/admin/closure-days/2026-12-29/remove')).statusCode).toBe(404);
    expect((await admin.get('/admin/closure-days/not-a-date/remove')).statusCode).toBe(404);
  });

  it('finds children by code or the start of their name', async () => {
    const child = await db
      .selectFrom('children')
      .select(['id', 'name'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expectPage(await admin.get('/admin/children'), 'Find a child');
    expectPage(await admin.get(`/admin/children?q=${child.id}`), child.name ?? '', child.id);
    const firstName = (child.name ?? '').split(' ')[0] ?? '';
    expectPage(
      await admin.get(`/admin/children?q=${encodeURIComponent(firstName.toLowerCase())}`),
      child.name ?? '',
    );
    const many = await admin.get('/admin/children?q=C');
    expectPage(many, 'The first 50 children');
    expectPage(await admin.get('/admin/children?q=%25'), 'No child’s code or name starts with “%”');
    // Administrators see the records, not the case status.
    const page = await admin.get(`/admin/children/${child.id}`);
    expectPage(page, child.name ?? '', 'Involvements', 'Allocation');
    expect(page.body).not.toContain('Next due');
  });

  it('adds a child and keeps its records, with its due dates moving in step', async () => {
    expectPage(await admin.get('/admin/children/new'), 'Add a child');
    const child = { id: 'NEW-C1', name: 'Robin Redwood', ...date('dateOfBirth', '2015-06-02') };
    expectRefused(
      await admin.post('/admin/children', {
        ...child,
        id: '',
        ...date('dateOfBirth', '2027-01-01'),
      }),
      'Enter a code for the child',
      'Date of birth must be today or in the past',
    );
    expectRedirect(await admin.post('/admin/children', child), '/admin/children/NEW-C1');
    expectRefused(
      await admin.post('/admin/children', child),
      'There is already a child with the code NEW-C1',
    );
    expectPage(
      await admin.get('/admin/children/NEW-C1'),
      'Robin Redwood',
      '2 Jun 2015',
      'Never allocated',
    );

    expectPage(await admin.get('/admin/children/NEW-C1/details'), 'Change the child’s details');
    expectRedirect(
      await admin.post('/admin/children/NEW-C1/details', {
        name: 'Robin Redwood-Ash',
        'dateOfBirth-day': '',
        'dateOfBirth-month': '',
        'dateOfBirth-year': '',
      }),
      '/admin/children/NEW-C1',
    );
    expectPage(await admin.get('/admin/children/NEW-C1'), 'Robin Redwood-Ash', 'Not recorded');

    // An involvement starts case supervision: every 28 days under four-weekly.
    expectPage(
      await admin.get('/admin/children/NEW-C1/add/involvement'),
      'Add an involvement',
      'Child in need',
    );
    expectRefused(
      await admin.post('/admin/children/NEW-C1/add/involvement', {
        type: '',
        ...date('start', '2026-11-01'),
        ...date('end', '2026-10-01'),
      }),
      'Select the type of involvement',
      'End date must be the same as or after the start date',
    );
    expectRedirect(
      await admin.post('/admin/children/NEW-C1/add/involvement', {
        type: 'cin',
        ...date('start', '2026-11-01'),
      }),
      '/admin/children/NEW-C1',
    );
    const open = await dueRows(db, 'child', 'NEW-C1');
    expect(open.map((r) => [r.requirement, r.due])).toEqual([['case-supervision', '2026-11-29']]);

    const page = await admin.get('/admin/children/NEW-C1');
    expectPage(page, 'Child in need', '1 Nov 2026', 'Open');
    const endHref =
      /href="(\/admin\/children\/NEW-C1\/end\/involvement\/[^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(endHref).not.toBe('');
    expectPage(await admin.get(endHref), 'End: Child in need', 'Open since 1 Nov 2026');
    expectRefused(
      await admin.post(endHref, date('end', '2026-10-31')),
      'End date must be the same as or after the start date',
    );
    expectRefused(await admin.post(endHref, {}), 'Enter the end date');
    // Ending the child's only open involvement ends its case supervision.
    expectRedirect(await admin.post(endHref, date('end', '2026-11-20')), '/admin/children/NEW-C1');
    expect(await dueRows(db, 'child', 'NEW-C1')).toEqual([]);
    expectPage(await admin.get('/admin/children/NEW-C1'), '20 Nov 2026');
    expect((await admin.get(endHref)).statusCode).toBe(404);

    // Looked after with a placement and care proceedings: placements and legal periods too.
    for (const [kind, form] of [
      ['involvement', { type: 'cla', ...date('start', '2026-11-21') }],
      [
        'placement',
        { type: 'foster', ...date('start', '2026-11-21'), ...date('stableFrom', '2027-02-21') },
      ],
      ['legal', { type: 'care-proceedings', ...date('start', '2026-11-21') }],
    ] as const) {
      expectRedirect(
        await admin.post(`/admin/children/NEW-C1/add/${kind}`, form),
        '/admin/children/NEW-C1',
      );
    }
    expectRefused(
      await admin.post('/admin/children/NEW-C1/add/placement', {
        type: 'foster',
        ...date('start', '2026-11-21'),
        ...date('stableFrom', '2026-01-01'),
      }),
      'Stable from date must be the same as or after the start date',
    );
    expectPage(
      await admin.get('/admin/children/NEW-C1'),
      'Looked after',
      'Foster care',
      '21 Feb 2027',
      'Care proceedings',
    );
    // The case never closed (cin to 20 Nov, looked after from 21 Nov), so the new status
    // cannot push the date back: still 28 days from 1 Nov.
    expect((await dueRows(db, 'child', 'NEW-C1')).map((r) => r.due)).toEqual(['2026-11-29']);

    expectPage(await admin.get('/admin/children/NEW-C1/add/risk'), 'Record a risk level');
    expectRedirect(
      await admin.post('/admin/children/NEW-C1/add/risk', {
        type: 'low',
        ...date('start', '2026-11-21'),
      }),
      '/admin/children/NEW-C1',
    );
    expectRefused(
      await admin.post('/admin/children/NEW-C1/add/risk', {
        type: 'high',
        ...date('start', '2026-11-21'),
      }),
      'There is already a risk entry from 21 Nov 2026',
    );
    expectPage(await admin.get('/admin/children/NEW-C1'), 'Low');
    expect((await admin.get('/admin/children/NEW-C1/add/unknown')).statusCode).toBe(404);
    expect((await admin.get('/admin/children/NO-SUCH-CHILD')).statusCode).toBe(404);
  });

  it('reallocates a child: the current allocation ends the day before, and its due dates follow', async () => {
    const [first, second] = await db
      .selectFrom('people')
      .select(['id', 'name', 'team_id'])
      .where('role', '=', 'social-worker')
      .where('end', 'is', null)
      .where('team_id', 'in', ['team-safeguarding-east', 'team-safeguarding-west'])
      .orderBy('team_id')
      .orderBy('id')
      .execute()
      .then((rows) => [rows[0], rows.at(-1)]);
    expectPage(
      await admin.get('/admin/children/NEW-C1/reallocate'),
      'Reallocate',
      'Not allocated at the moment',
    );
    expectRefused(
      await admin.post('/admin/children/NEW-C1/reallocate', { workerId: '', 'from-day': '1' }),
      'Select the worker the child is allocated to',
      'The date of the new allocation must include a month and a year',
    );
    expectRedirect(
      await admin.post('/admin/children/NEW-C1/reallocate', {
        workerId: first?.id ?? '',
        teamId: '',
        ...date('from', '2026-11-21'),
      }),
      '/admin/children/NEW-C1',
    );
    let rows = await dueRows(db, 'child', 'NEW-C1');
    expect(rows.map((r) => [r.worker_id, r.team_id])).toEqual([[first?.id, first?.team_id]]);

    expectRefused(
      await admin.post('/admin/children/NEW-C1/reallocate', {
        workerId: second?.id ?? '',
        ...date('from', '2026-11-21'),
      }),
      'The new allocation must start after the current one, which began on 21 Nov 2026',
    );
    expectRedirect(
      await admin.post('/admin/children/NEW-C1/reallocate', {
        workerId: second?.id ?? '',
        ...date('from', '2026-11-24'),
      }),
      '/admin/children/NEW-C1',
    );
    rows = await dueRows(db, 'child', 'NEW-C1');
    expect(rows.map((r) => [r.worker_id, r.team_id])).toEqual([[second?.id, second?.team_id]]);
    const allocations = await db
      .selectFrom('allocations')
      .select(['worker_id', 'start', 'end'])
      .where('child_id', '=', 'NEW-C1')
      .orderBy('start')
      .execute();
    expect(allocations).toEqual([
      { worker_id: first?.id, start: '2026-11-21', end: '2026-11-23' },
      { worker_id: second?.id, start: '2026-11-24', end: null },
    ]);
    expectPage(await admin.get('/admin/children/NEW-C1'), second?.name ?? '', '23 Nov 2026');
  });

  it('ends a demo child’s only open involvement, and its case supervision with it', async () => {
    const candidates = await db
      .selectFrom('child_involvements')
      .select(['child_id'])
      .where('end', 'is', null)
      .where('type', '=', 'cin')
      .groupBy('child_id')
      .having((eb) => eb.fn.countAll(), '=', 1)
      .orderBy('child_id')
      .limit(20)
      .execute();
    let childId: string | undefined;
    for (const c of candidates) {
      const all = await db
        .selectFrom('child_involvements')
        .select('id')
        .where('child_id', '=', c.child_id)
        .where('end', 'is', null)
        .execute();
      if (all.length === 1) {
        childId = c.child_id;
        break;
      }
    }
    expect(childId).toBeDefined();
    const id = childId ?? '';
    expect((await dueRows(db, 'child', id)).some((r) => r.requirement === 'case-supervision')).toBe(
      true,
    );
    const page = await admin.get(`/admin/children/${id}`);
    const endHref = new RegExp(`href="(/admin/children/${id}/end/involvement/[^"]+)"`).exec(
      page.body,
    )?.[1];
    expect(endHref).toBeDefined();
    expectRedirect(
      await admin.post(endHref ?? '', date('end', '2026-11-23')),
      `/admin/children/${id}`,
    );
    const clocks = (await dueRows(db, 'child', id)).filter((r) => r.period_start === '');
    expect(clocks).toEqual([]);
  });
});
