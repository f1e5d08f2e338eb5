import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { addDays, parseIsoDate, toIsoDate } from '../../domain/dates/index.js';
import type { Db } from '../../db/database.js';
import { bodyOf, text, type FormInput, type Problem } from '../admin/form-fields.js';
import { param, seeOther, show } from '../admin/render.js';
import { displayName, label, REQUIREMENT_LABELS, ROLE_LABELS } from '../oversight/labels.js';
import { subjectHref } from '../oversight/oversight.presenter.js';
import type { RouteDefinition } from '../route-table.js';
import { sessionHref } from '../supervision/supervision.presenter.js';
import { parseContractForm, termsAsInput, TEXT_LIMIT } from './contract.form.js';
import { CONTRACT_PURPOSE, CONTRACT_RECORDS_NOTE } from './contract-text.js';
import {
  CONTRACT_STATE_TAGS,
  contractRow,
  contractStateWords,
  durationText,
  frequencyText,
  handoverRow,
  personName,
  responsibilityItems,
  reviewStatus,
  sessionTypeLabel,
} from './contracts.presenter.js';
import {
  contractHref,
  ContractsService,
  handoverHref,
  newContractHref,
  REVIEW_PROMPT_DAYS,
} from './contracts.service.js';
import { viewerOf } from '../request.js';

/**
 * Supervision contracts (drafted by the line manager, signed by both), handovers between
 * supervisors, and a worker's supervision page. Who may see or do what is decided by
 * ContractsService; every route here needs someone who may see some records.
 */

function workerSupervisionHref(id: string): string {
  return `/workers/${encodeURIComponent(id)}/supervision`;
}

const NOTES_LIMIT = TEXT_LIMIT;

export function contractsRoutes(deps: { db: Db; clock: Clock }): RouteDefinition[] {
  const service = new ContractsService(deps.db, deps.clock);
  const soon = () => toIsoDate(addDays(parseIsoDate(deps.clock.today()), REVIEW_PROMPT_DAYS));

  // ---------------------------------------------------------------------------------------------
  // The contract form

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    failure?: { problems: readonly Problem[]; input: FormInput },
  ) => {
    const workerId = param(request, 'id');
    const data = await service.draftForm(viewerOf(request), workerId);
    const name = displayName(data.person.name, 'worker', data.person.id);
    return show(
      reply,
      'contracts/form',
      {
        pageTitle: `Supervision contract with ${name}`,
        name,
        workerId,
        action: newContractHref(workerId),
        backLink: { href: workerSupervisionHref(workerId), text: `Back to ${name}’s supervision` },
        policyWords: data.policy?.words ?? null,
        editing: data.draft !== null,
        draftSigned: data.draft?.state === 'awaiting-supervisee',
        renewing: data.draft === null && data.current !== null,
        values: { ...termsAsInput(data.terms), contractId: data.draft?.id ?? '' },
      },
      failure,
    );
  };

  /** A change that arrived after it could be made: nothing saved, what was typed shown back. */
  const notSaved = (
    reply: FastifyReply,
    context: {
      heading: string;
      message: string;
      unsaved: { label: string; text: string }[];
      onward: { href: string; text: string };
      further?: { href: string; text: string } | null;
    },
  ) =>
    show(reply, 'contracts/not-saved', { pageTitle: context.heading, ...context }, undefined, 409);

  // ---------------------------------------------------------------------------------------------
  // The handover page

  const handoverPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    failure?: { problems: readonly Problem[]; input: FormInput },
  ) => {
    const id = param(request, 'id');
    const data = await service.handover(viewerOf(request), id);
    const { handover, person } = data;
    const name = displayName(person.name, 'worker', person.id);
    const names = data.names;
    const children = handover.summary.children;
    const seen = children.filter((c) => data.seeable.has(c.id));
    const done = (request.query as Record<string, unknown>).done;
    return show(
      reply,
      'contracts/handover',
      {
        pageTitle: `Handover of ${name}’s supervision`,
        name,
        done: typeof done === 'string' ? done : null,
        handover,
        fromName:
          handover.fromSupervisorId === null ? null : personName(names, handover.fromSupervisorId),
        toName: personName(names, handover.toSupervisorId),
        relation: data.relation,
        workerHref: workerSupervisionHref(person.id),
        summary: handover.summary,
        lastSessionHref:
          handover.summary.lastSignedSession === null
            ? null
            : sessionHref(handover.summary.lastSignedSession.id),
        lastSessionType:
          handover.summary.lastSignedSession === null
            ? null
            : sessionTypeLabel(handover.summary.lastSignedSession.type),
        contractThenHref:
          handover.summary.contract === null ? null : contractHref(handover.summary.contract.id),
        current: data.current && {
          href: contractHref(data.current.id),
          signedDate: data.current.signedDate,
          reviewDue: data.current.reviewDue,
          supervisorName: personName(names, data.current.supervisorId),
          changed: data.current.id !== handover.summary.contract?.id,
        },
        actions: handover.summary.openActions.map((a) => ({
          ...a,
          ownerName: displayName(a.ownerName, 'worker', a.ownerId),
          childName:
            a.childId !== null && data.seeable.has(a.childId)
              ? displayName(a.childName, 'child', a.childId)
              : null,
          childHref:
            a.childId !== null && data.seeable.has(a.childId)
              ? subjectHref('child', a.childId)
              : null,
          sessionHref: sessionHref(a.sessionId),
        })),
        children: seen.map((c) => ({
          ...c,
          name: displayName(c.name, 'child', c.id),
          href: subjectHref('child', c.id),
        })),
        hiddenChildren: children.length - seen.length,
        mayAddNotes: data.mayAddNotes,
        mayAcknowledge: data.mayAcknowledge,
        newContractHref: data.mayAgreeContract ? newContractHref(person.id) : null,
        values: { notes: handover.notes ?? '' },
      },
      failure,
    );
  };

  return [
    {
      method: 'GET',
      url: '/workers/:id/contract/new',
      need: 'records',
      handler: (request, reply) => formPage(request, reply),
    },
    {
      method: 'POST',
      url: '/workers/:id/contract/new',
      need: 'records',
      handler: async (request, reply) => {
        const viewer = viewerOf(request);
        const workerId = param(request, 'id');
        const form = parseContractForm(request.body);
        if (!form.ok) return formPage(request, reply, form);
        const result = await service.saveDraft(viewer, workerId, form.value);
        if (result.kind === 'problems')
          return formPage(request, reply, { problems: result.problems, input: form.input });
        if (result.kind === 'locked') {
          const input = form.input;
          return notSaved(reply, {
            heading: 'This contract has already been signed',
            message:
              'Both of you have signed this contract, so it can no longer be changed and your changes were not saved. To change what you agreed, agree a new contract: it replaces this one once you have both signed it.',
            unsaved: [
              { label: 'Where supervision takes place', text: input.place ?? '' },
              {
                label: 'The supervisor’s responsibilities',
                text: input.supervisorResponsibilities ?? '',
              },
              {
                label: 'The supervisee’s responsibilities',
                text: input.superviseeResponsibilities ?? '',
              },
              { label: 'Who you will meet with', text: input.disputeResolver ?? '' },
            ].filter((u) => u.text !== ''),
            onward: { href: contractHref(result.contract.id), text: 'Go to the signed contract' },
            further: { href: newContractHref(workerId), text: 'Agree a new contract' },
          });
        }
        return seeOther(reply, `${contractHref(result.id)}?done=saved`);
      },
    },
    {
      method: 'GET',
      url: '/contracts/:id',
      need: 'records',
      handler: async (request, reply) => {
        const data = await service.contract(viewerOf(request), param(request, 'id'));
        const { contract, person, supervisor } = data;
        const names = new Map([
          [person.id, person.name],
          [supervisor.id, supervisor.name],
        ]);
        const name = personName(names, person.id);
        const supervisorName = personName(names, supervisor.id);
        const done = (request.query as Record<string, unknown>).done;
        return show(reply, 'contracts/contract', {
          pageTitle: `Supervision contract for ${name}`,
          name,
          supervisorName,
          done: typeof done === 'string' ? done : null,
          contract,
          tag: CONTRACT_STATE_TAGS[contract.state],
          stateWords: contractStateWords(contract, names),
          person: { ...person, roleLabel: label(ROLE_LABELS, person.role) },
          supervisorRole: label(ROLE_LABELS, supervisor.role),
          frequency: frequencyText(contract.frequency, data.policy),
          duration: durationText(contract.durationMinutes),
          purpose: CONTRACT_PURPOSE,
          recordsNote: CONTRACT_RECORDS_NOTE,
          supervisorItems: responsibilityItems(contract.supervisorResponsibilities),
          superviseeItems: responsibilityItems(contract.superviseeResponsibilities),
          relation: data.relation,
          mayChange: data.mayChange,
          maySign: data.maySign,
          changeHref: newContractHref(person.id),
          renewHref: data.mayRenew ? newContractHref(person.id) : null,
          replacedHref: data.replacedBy === null ? null : contractHref(data.replacedBy.id),
          reviewStatus: reviewStatus(contract.reviewDue, deps.clock.today(), soon()),
          policyReview: data.review && {
            requirement: label(REQUIREMENT_LABELS, 'contract-review'),
            status: data.review.status,
            due: data.review.due,
          },
          backLink: data.mayOpenWorker
            ? { href: workerSupervisionHref(person.id), text: `Back to ${name}’s supervision` }
            : null,
        });
      },
    },
    {
      method: 'POST',
      url: '/contracts/:id/sign',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const result = await service.sign(viewerOf(request), id);
        const done = result.completed ? 'complete' : result.signed === null ? null : 'signed';
        return seeOther(
          reply,
          done === null ? contractHref(id) : `${contractHref(id)}?done=${done}`,
        );
      },
    },
    {
      method: 'GET',
      url: '/workers/:id/supervision',
      need: 'records',
      handler: async (request, reply) => {
        const workerId = param(request, 'id');
        const data = await service.workerSupervision(viewerOf(request), workerId);
        const name = displayName(data.person.name, 'worker', data.person.id);
        const names = data.names;
        const today = deps.clock.today();
        const myDraft = data.open.find((c) => c.supervisorId === viewerOf(request).personId);
        return show(reply, 'contracts/worker-supervision', {
          pageTitle: `${name}: supervision`,
          name,
          person: { ...data.person, roleLabel: label(ROLE_LABELS, data.person.role) },
          workerHref: subjectHref('worker', data.person.id),
          current: data.current && {
            ...contractRow(data.current, names),
            frequency: frequencyText(data.current.frequency, data.policy),
            duration: durationText(data.current.durationMinutes),
            reviewStatus: reviewStatus(data.current.reviewDue, today, soon()),
          },
          open: data.open.map((c) => ({
            ...contractRow(c, names),
            stateWords: contractStateWords(
              c,
              new Map([...names, [data.person.id, data.person.name]]),
            ),
          })),
          history: data.history.map((c) => contractRow(c, names)),
          policyReview: data.review && {
            requirement: label(REQUIREMENT_LABELS, 'contract-review'),
            status: data.review.status,
            due: data.review.due,
          },
          newContract:
            data.mayDraft && myDraft === undefined
              ? { href: newContractHref(workerId), text: 'Agree a new supervision contract' }
              : null,
          handovers: data.handovers.map((h) => handoverRow(h, names)),
          sessions: data.sessions.map((s) => ({
            ...s,
            href: sessionHref(s.id),
            typeLabel: sessionTypeLabel(s.type),
            supervisorName: personName(names, s.supervisorId),
          })),
        });
      },
    },
    {
      method: 'GET',
      url: '/handovers/:id',
      need: 'records',
      handler: (request, reply) => handoverPage(request, reply),
    },
    {
      method: 'POST',
      url: '/handovers/:id/notes',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        const notes = text(bodyOf(request.body), 'notes').replace(/\r\n?/g, '\n');
        const input = { notes };
        if (notes === '')
          return handoverPage(request, reply, {
            problems: [{ field: 'notes', message: 'Enter your notes for the new supervisor' }],
            input,
          });
        if (notes.length > NOTES_LIMIT)
          return handoverPage(request, reply, {
            problems: [{ field: 'notes', message: 'Your notes must be 5,000 characters or fewer' }],
            input,
          });
        if (!(await service.saveNotes(viewerOf(request), id, notes)))
          return notSaved(reply, {
            heading: 'This handover has been acknowledged',
            message:
              'The new supervisor acknowledged the handover before your notes arrived, so they were not added. Your notes are below: send them to the new supervisor another way.',
            unsaved: [{ label: 'Your notes', text: notes }],
            onward: { href: handoverHref(id), text: 'Go to the handover' },
          });
        return seeOther(reply, `${handoverHref(id)}?done=notes#notes`);
      },
    },
    {
      method: 'POST',
      url: '/handovers/:id/acknowledge',
      need: 'records',
      handler: async (request, reply) => {
        const id = param(request, 'id');
        await service.acknowledge(viewerOf(request), id);
        return seeOther(reply, `${handoverHref(id)}?done=acknowledged`);
      },
    },
  ];
}
