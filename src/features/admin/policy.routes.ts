import type { FastifyReply } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { tryParseIsoDate } from '../../domain/dates/index.js';
import { NotFoundError } from '../../domain/errors.js';
import type { RouteDefinition } from '../route-table.js';
import { instantText, presentPolicy } from './admin.presenter.js';
import { parseClosureDayForm } from './closure-day.form.js';
import { PolicyAdminService } from './policy-admin.service.js';
import { OWN_FILE, parsePolicyForm } from './policy.form.js';
import { param, path, seeOther, show, viewerOf, type Failure } from './render.js';

/** The policy in force, its history and a new version; and the organisation's closure days. */
export function policyRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const policies = new PolicyAdminService(deps.db, deps.clock);

  const policyPage = async (reply: FastifyReply, failure?: Failure) => {
    const data = await policies.page();
    const source = failure?.input.source ?? '';
    return show(
      reply,
      'admin/policy',
      {
        pageTitle: 'Policy',
        backLink: { href: '/admin', text: 'Back to administration' },
        today: data.today,
        current: data.current && {
          ...data.current,
          ...presentPolicy(data.current.policy),
        },
        history: data.history.map((v) => ({
          ...v,
          sourceText: v.source === 'preset' ? 'Preset' : 'Council’s own file',
          chosenAtText: instantText(v.chosenAt),
          chosenBy: v.chosenByEmail ?? 'Set up with the service',
          future: v.effectiveFrom > data.today,
          inForce: v.id === data.current?.versionId,
        })),
        ownFile: OWN_FILE,
        sourceItems: [
          ...data.presets.map((p) => ({
            value: p.id,
            text: p.name,
            hint: { text: `Preset “${p.id}”. ${p.description}` },
            checked: source === p.id,
          })),
        ],
        ownFileChecked: source === OWN_FILE,
      },
      failure,
    );
  };

  const closurePage = async (reply: FastifyReply, failure?: Failure) =>
    show(
      reply,
      'admin/closure-days',
      {
        pageTitle: 'Closure days',
        backLink: { href: '/admin', text: 'Back to administration' },
        days: (await policies.listClosureDays()).map((d) => ({
          ...d,
          removeHref: `${path('/admin/closure-days', d.date)}/remove`,
        })),
      },
      failure,
    );

  const closureDate = (value: string): string => {
    if (tryParseIsoDate(value) === undefined) throw new NotFoundError('closure day');
    return value;
  };

  return [
    {
      method: 'GET',
      url: '/admin/policy',
      need: 'admin',
      handler: (_request, reply) => policyPage(reply),
    },
    {
      method: 'POST',
      url: '/admin/policy',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parsePolicyForm(request.body, policies.presetIds());
        if (!form.ok) {
          // The file's own problems are listed with the form's, so that one round puts all right.
          const document = form.input.document ?? '';
          const fileProblems =
            form.input.source === OWN_FILE &&
            document !== '' &&
            !form.problems.some((p) => p.field === 'document')
              ? policies.documentProblems(document)
              : [];
          return policyPage(reply, { ...form, problems: [...form.problems, ...fileProblems] });
        }
        const result = await policies.choose(viewerOf(request), form.value);
        if (!result.ok) return policyPage(reply, { ...result, input: form.input });
        return seeOther(reply, '/admin/policy#history');
      },
    },
    {
      method: 'GET',
      url: '/admin/closure-days',
      need: 'admin',
      handler: (_request, reply) => closurePage(reply),
    },
    {
      method: 'POST',
      url: '/admin/closure-days',
      need: 'admin',
      handler: async (request, reply) => {
        const form = parseClosureDayForm(request.body);
        if (!form.ok) return closurePage(reply, form);
        const result = await policies.addClosureDay(form.value);
        if (!result.ok) return closurePage(reply, { ...result, input: form.input });
        return seeOther(reply, '/admin/closure-days');
      },
    },
    {
      method: 'GET',
      url: '/admin/closure-days/:date/remove',
      need: 'admin',
      handler: async (request, reply) => {
        const day = await policies.closureDay(closureDate(param(request, 'date')));
        return show(reply, 'admin/closure-day-remove', {
          pageTitle: 'Remove a closure day',
          backLink: { href: '/admin/closure-days', text: 'Back to closure days' },
          day,
          action: `${path('/admin/closure-days', day.date)}/remove`,
        });
      },
    },
    {
      method: 'POST',
      url: '/admin/closure-days/:date/remove',
      need: 'admin',
      handler: async (request, reply) => {
        await policies.removeClosureDay(closureDate(param(request, 'date')));
        return seeOther(reply, '/admin/closure-days');
      },
    },
  ];
}
