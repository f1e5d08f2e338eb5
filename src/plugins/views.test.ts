import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createViewEnvironment, formatDate, plural, viewsPlugin, withQuery } from './views.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let publicDir: string;
// A page of this test's own, in a folder searched before src/views.
let templateDir: string;

const samplePage = `{% extends "layouts/base.njk" %}
{% from "components/status-tag/macro.njk" import statusTag %}
{% from "components/summary-figures/macro.njk" import summaryFigures %}
{% from "components/sortable-header/macro.njk" import sortableHeader %}
{% block content %}
  <h1 class="govuk-heading-l">{{ pageTitle }}</h1>
  <p id="note">{{ note }}</p>
  <p id="due">{{ due | date }}</p>
  {% for s in statuses %}{{ statusTag(s) }}{% endfor %}
  {{ summaryFigures(figures) }}
  <table class="govuk-table"><thead><tr>
    {{ sortableHeader({ text: "Due", field: "due", sort: sort, dir: dir, query: query }) }}
    {{ sortableHeader({ text: "Name", field: "name", sort: sort, dir: dir, query: query }) }}
  </tr></thead></table>
{% endblock %}
`;

beforeAll(() => {
  publicDir = mkdtempSync(join(tmpdir(), 'oversight-assets-'));
  execFileSync(process.execPath, [join(root, 'scripts', 'build-assets.js'), publicDir]);
  templateDir = mkdtempSync(join(tmpdir(), 'oversight-views-'));
  mkdirSync(join(templateDir, 'pages'));
  writeFileSync(join(templateDir, 'pages', 'sample.njk'), samplePage);
});

afterAll(() => {
  rmSync(publicDir, { recursive: true, force: true });
  rmSync(templateDir, { recursive: true, force: true });
});

async function buildApp(demo: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(helmet, { enableCSPNonces: true });
  await app.register(viewsPlugin, {
    councilName: 'Northshire County Council',
    demo,
    publicDir,
    extraTemplateDirs: [templateDir],
  });
  app.get('/sample', async (request, reply) => {
    reply.locals.viewer = { name: 'Sam Okafor' };
    reply.locals.csrfToken = 'token-123';
    reply.locals.navigation = [
      { href: '/my-work', text: 'My work', current: true },
      { href: '/teams', text: 'Teams', current: false },
    ];
    return reply.view('sample', {
      pageTitle: 'My work',
      backLink: { href: '/teams' },
      note: '<script>alert(1)</script>',
      due: '2026-03-15',
      statuses: ['on-track', 'due', 'overdue', 'met', 'missed', 'breached', 'none'],
      figures: [
        { label: 'Overdue', value: 12, href: '/my-work?status=overdue' },
        { label: 'Due this week', value: 4 },
      ],
      sort: 'due',
      dir: 'asc',
      query: { team: '4', sort: 'due', dir: 'asc', page: '3' },
      ...(request.query as Record<string, unknown>),
    });
  });
  app.get('/form-error', async (_request, reply) =>
    reply.code(400).view('sample', {
      pageTitle: 'Record a supervision',
      errorList: [{ text: 'Enter a date', href: '#date' }],
    }),
  );
  app.get('/errors/:page', async (request, reply) => {
    const { page } = request.params as { page: string };
    return reply.view(`errors/${page}`);
  });
  app.get('/accessibility', async (_request, reply) => reply.view('accessibility'));
  await app.ready();
  return app;
}

describe('viewsPlugin', () => {
  let app: FastifyInstance;
  let demoApp: FastifyInstance;

  beforeAll(async () => {
    app = await buildApp(false);
    demoApp = await buildApp(true);
  });

  afterAll(async () => {
    await app.close();
    await demoApp.close();
  });

  it('renders the council layout with no GOV.UK branding', async () => {
    const res = await app.inject('/sample');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Northshire County Council');
    expect(res.body).toMatch(
      /<a href="\/" class="govuk-service-navigation__link">\s*Oversight\s*<\/a>/,
    );
    expect(res.body).not.toMatch(/GOV\.UK/i);
    expect(res.body).not.toContain('govuk-logo');
    expect(res.body).not.toContain('govuk-header__logotype');
    expect(res.body).not.toContain('govuk-footer__crown');
    expect(res.body).not.toContain('govuk-footer__licence');
    expect(res.body).not.toContain('Open Government Licence');
    expect(res.body).not.toContain('images/favicon.ico');
    expect(res.body).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
    expect(res.body).toContain('<html lang="en-GB"');
    expect(res.body).toContain('Oversight · open-source software · Northshire County Council');
    expect(res.body).toContain('href="/accessibility"');
  });

  it('gives every script the nonce in the CSP header and loads init.js as a module', async () => {
    const res = await app.inject('/sample');
    const nonce = /script-src[^;]*'nonce-([0-9a-f]+)'/.exec(
      String(res.headers['content-security-policy']),
    )?.[1];
    expect(nonce).toBeDefined();
    const scripts = res.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce ?? ''}"`);
    expect(res.body).toMatch(
      /<script type="module" src="\/assets\/init\.js" nonce="[0-9a-f]+"><\/script>/,
    );
  });

  it('titles the page "{pageTitle} – Oversight – {councilName}", with "Error: " for a form with errors', async () => {
    const ok = await app.inject('/sample');
    expect(ok.body).toContain('<title>My work – Oversight – Northshire County Council</title>');
    const bad = await app.inject('/form-error');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(
      '<title>Error: Record a supervision – Oversight – Northshire County Council</title>',
    );
  });

  it('shows navigation, who is signed in and a sign-out form that POSTs the CSRF token', async () => {
    const res = await app.inject('/sample');
    expect(res.body).toMatch(
      /<a class="govuk-service-navigation__link" href="\/my-work" aria-current="page">/,
    );
    expect(res.body).toContain('Signed in as Sam Okafor');
    expect(res.body).toMatch(
      /<form class="app-signed-in__form" method="post" action="\/sign-out" novalidate>\s*<input type="hidden" name="_csrf" value="token-123">\s*<button type="submit" class="app-link-button">Sign out<\/button>/,
    );
  });

  it('puts the back link before <main>, in a landmark', async () => {
    const res = await app.inject('/sample');
    expect(res.body).toMatch(
      /<nav class="app-back-link" aria-label="Back">\s*<a href="\/teams" class="govuk-back-link">Back<\/a>\s*<\/nav>[\s\S]*<main /,
    );
    expect((await app.inject('/errors/404')).body).not.toContain('govuk-back-link');
  });

  it('omits the signed-in area when nobody is signed in', async () => {
    const res = await app.inject('/errors/404');
    expect(res.body).not.toContain('Signed in as');
    expect(res.body).not.toContain('/sign-out');
  });

  it('shows the DEMO notice only in demo mode', async () => {
    const live = await app.inject('/sample');
    expect(live.body).not.toContain('DEMO');
    expect(live.body).not.toContain('made-up organisation');
    const demo = await demoApp.inject('/sample');
    expect(demo.body).toContain('DEMO<span class="govuk-visually-hidden">:</span>');
    expect(demo.body).toContain('made-up organisation and data, for trying the service');
  });

  it('escapes values from the context', async () => {
    const res = await app.inject('/sample');
    expect(res.body).toContain('<p id="note">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    const viaQuery = await app.inject('/sample?pageTitle=%3Cimg%20src%3Dx%3E');
    expect(viaQuery.body).not.toContain('<img src=x>');
    expect(viaQuery.body).toContain('&lt;img src=x&gt;');
  });

  it('renders the components', async () => {
    const res = await app.inject('/sample');
    expect(res.body).toContain('<p id="due">15 Mar 2026</p>');
    for (const [text, colour] of [
      ['On track', 'green'],
      ['Due', 'yellow'],
      ['Overdue', 'red'],
      ['Met', 'turquoise'],
      ['Missed', 'red'],
      ['Breached', 'red'],
      ['No requirement', 'grey'],
    ]) {
      expect(res.body).toMatch(
        new RegExp(
          `<strong class="govuk-tag app-status-tag govuk-tag--${colour ?? ''}">\\s*${text ?? ''}\\s*</strong>`,
        ),
      );
    }
    expect(res.body).toMatch(
      /<a class="govuk-link app-summary-figure__link" href="\/my-work\?status=overdue">\s*<span class="app-summary-figure__value">12<\/span>/,
    );
    expect(res.body).toContain('<span class="app-summary-figure__value">4</span>');
    // The current column reverses; another column starts ascending; the page is dropped.
    expect(res.body).toContain('aria-sort="ascending"');
    expect(res.body).toContain('href="?team=4&amp;sort=due&amp;dir=desc"');
    expect(res.body).toContain('href="?team=4&amp;sort=name&amp;dir=asc"');
  });

  it.each([
    ['403', 'You do not have permission to see this page'],
    ['404', 'Page not found'],
    ['500', 'Sorry, there is a problem with the service'],
    ['csrf', 'This form has expired'],
  ])('renders the %s error page', async (page, heading) => {
    const res = await app.inject(`/errors/${page}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<title>${heading} – Oversight – Northshire County Council</title>`);
    expect(res.body).toContain(`<h1 class="govuk-heading-l">${heading}</h1>`);
    expect(res.body).not.toMatch(/GOV\.UK/i);
  });

  it('renders the accessibility statement', async () => {
    const res = await app.inject('/accessibility');
    expect(res.body).toContain(
      '<title>Accessibility statement – Oversight – Northshire County Council</title>',
    );
    expect(res.body).toContain('WCAG');
    expect(res.body).toContain('2.2');
    expect(res.body).not.toMatch(/GOV\.UK/i);
  });

  it('refuses a template name that could leave pages/', async () => {
    const res = await app.inject('/errors/..%2F..%2Flayouts%2Fbase');
    expect(res.statusCode).toBe(500);
  });

  it('serves the built assets from /assets/ with a day of caching', async () => {
    const css = await app.inject('/assets/application.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=86400');
    expect(css.body).toContain('.govuk-template');
    expect(css.body).toContain('system-ui');
    expect(css.body).not.toContain('GDS Transport');
    expect(css.body).not.toContain('@font-face');
    for (const file of ['init.js', 'govuk-frontend.min.js', 'favicon.svg']) {
      expect((await app.inject(`/assets/${file}`)).statusCode).toBe(200);
    }
    expect((await app.inject('/assets/')).statusCode).toBe(404);
    expect((await app.inject('/assets/%2e%2e/package.json')).statusCode).toBe(404);
  });
});

describe('filters', () => {
  it.each([
    ['2026-03-15', '15 Mar 2026'],
    ['2026-12-01', '1 Dec 2026'],
    [null, ''],
    ['', ''],
    ['not a date', 'not a date'],
    ['2026-13-01', '2026-13-01'],
  ])('date %s → %s', (input, output) => {
    expect(formatDate(input)).toBe(output);
  });

  it('plural', () => {
    expect(plural(1, 'child', 'children')).toBe('1 child');
    expect(plural(3, 'child', 'children')).toBe('3 children');
    expect(plural(1200, 'case')).toBe('1,200 cases');
  });

  it('withQuery keeps other parameters, replaces changed ones and drops empty ones', () => {
    expect(
      withQuery({ team: '4', status: ['due', 'overdue'], page: '2' }, { sort: 'name', page: null }),
    ).toBe('?team=4&status=due&status=overdue&sort=name');
    expect(withQuery(undefined, { sort: 'a b' })).toBe('?sort=a+b');
    expect(withQuery({}, {})).toBe('?');
  });
});

describe('the trim filter', () => {
  const env = createViewEnvironment([]);
  it('trims, escapes plain text and keeps markup marked safe as markup', () => {
    expect(env.renderString('[{{ x | trim }}]', { x: '  <b>bold</b>  ' })).toBe(
      '[&lt;b&gt;bold&lt;/b&gt;]',
    );
    expect(env.renderString('[{{ x | safe | trim }}]', { x: '  <b>bold</b>\n\n  ' })).toBe(
      '[<b>bold</b>]',
    );
    expect(env.renderString('[{{ x | trim }}]', { x: null })).toBe('[]');
  });
});
