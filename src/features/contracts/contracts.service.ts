import type { Clock } from '../../clock.js';
import { londonDate } from '../../clock.js';
import type { Viewer } from '../../domain/access/viewer.js';
import {
  addDays,
  addMonths,
  applyOffset,
  frequencyWords,
  parseIsoDate,
  parseOffset,
  toIsoDate,
  WorkingDayCalendar,
} from '../../domain/dates/index.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { classifyOverride } from '../../domain/scheduling/override.js';
import type { Rule } from '../../domain/scheduling/policy.js';
import { daysToSign, supervisees } from '../../domain/supervision/record.js';
import {
  addSignature,
  completeContract,
  contractsOf,
  createContract,
  currentContract,
  currentContracts,
  getContract,
  openDraftBy,
  openDrafts,
  updateDraft,
  workerRequirement,
  type ContractRow,
  type ContractTerms,
} from '../../db/contracts.repository.js';
import type { Db, Queryable } from '../../db/database.js';
import {
  acknowledgeHandover,
  getHandover,
  handoversOf,
  saveHandoverNotes,
  unacknowledgedHandoversTo,
  visibleSubjects,
  type HandoverRow,
} from '../../db/handovers.repository.js';
import { addEvent } from '../../db/organisation.repository.js';
import { maySee } from '../../db/scope.js';
import {
  findPerson,
  listPeople,
  namesOf,
  type PersonSummary,
} from '../../db/structure.repository.js';
import { signedSessionsOfSupervisee } from '../../db/supervision.repository.js';
import { ensureCurrent, loadDueContext, recomputeSubjects } from '../../services/due.service.js';
import { ROLE_LABELS, displayName, label } from '../oversight/labels.js';
import {
  DEFAULT_DURATION_MINUTES,
  DEFAULT_SUPERVISEE_RESPONSIBILITIES,
  DEFAULT_SUPERVISOR_RESPONSIBILITIES,
} from './contract-text.js';
import type { Problem } from '../admin/form-fields.js';

/**
 * Supervision contracts, handovers between supervisors and a worker's supervision page
 * (docs/recording.md, Contracts and Handovers).
 *
 * Who may do what, decided here in one place:
 * - a contract, a handover and a worker's supervision page are seen by anyone whose place
 *   covers the worker (`maySee`), and by the contract's or handover's own people; anyone else
 *   is told they are not found, as for a made-up address;
 * - only the worker's line manager drafts, changes and signs a contract as its supervisor, and
 *   only the worker signs it as supervisee, after their supervisor;
 * - a handover's notes are written by the previous supervisor, and it is acknowledged by the
 *   new one.
 */

/** How close a contract's review must be for the supervisor to be prompted (days). */
export const REVIEW_PROMPT_DAYS = 28;

export type SaveDraftResult =
  | { kind: 'saved'; id: string }
  | { kind: 'problems'; problems: Problem[] }
  /** The contract was signed by both (or set aside) before the form arrived: nothing changed. */
  | { kind: 'locked'; contract: ContractRow };

export type SignResult = { signed: 'supervisor' | 'supervisee' | null; completed: boolean };

export interface PolicyFrequency {
  /** "every 4 weeks", the most frequent rule in force. */
  readonly words: string;
  readonly rules: readonly Rule[];
  readonly asOf: string;
  readonly calendar: WorkingDayCalendar;
}

export type PromptKind =
  'handover' | 'sign-contract' | 'draft-contract' | 'no-contract' | 'review-overdue' | 'review-due';

/** Something a person should do about supervision contracts or handovers. */
export interface SupervisionPrompt {
  readonly kind: PromptKind;
  /** The person it is about: the supervisee, or (for 'sign-contract') the supervisor. */
  readonly personId: string;
  readonly personName: string;
  /** A handover's previous supervisor, if there was one. */
  readonly otherName: string | null;
  /** The review date, or the date of the handover. */
  readonly date: string | null;
  readonly href: string;
}

function personOf(viewer: Viewer): string {
  if (viewer.personId === null) throw new ForbiddenError('no place in the structure');
  return viewer.personId;
}

function active(person: { start: string; end: string | null }, today: string): boolean {
  return person.start <= today && (person.end === null || person.end >= today);
}

export function contractHref(id: string): string {
  return `/contracts/${encodeURIComponent(id)}`;
}

export function newContractHref(workerId: string): string {
  return `/workers/${encodeURIComponent(workerId)}/contract/new`;
}

export function handoverHref(id: string): string {
  return `/handovers/${encodeURIComponent(id)}`;
}

/**
 * A person's open prompts: handovers to them not yet acknowledged; a contract their supervisor
 * has signed and they have not; and, for each person they supervise, a contract they are still
 * drafting, no signed contract, or one whose review is overdue or due within 28 days. The
 * supervision page shows them (views/partials/supervision-prompts.njk).
 */
export async function supervisionPrompts(
  db: Queryable,
  personId: string,
  today: string,
): Promise<SupervisionPrompt[]> {
  const handovers = await unacknowledgedHandoversTo(db, personId);
  const mine = (await openDrafts(db, [personId])).filter((c) => c.state === 'awaiting-supervisee');
  const people = (await listPeople(db, { lineManagerId: personId })).filter((p) =>
    active(p, today),
  );
  const ids = people.map((p) => p.id);
  const [current, drafts] = await Promise.all([currentContracts(db, ids), openDrafts(db, ids)]);
  const names = await namesOf(db, 'people', [
    ...handovers.flatMap((h) => [
      h.superviseeId,
      ...(h.fromSupervisorId === null ? [] : [h.fromSupervisorId]),
    ]),
    ...mine.map((c) => c.supervisorId),
  ]);
  const nameOf = (id: string, name?: string | null) =>
    displayName(name ?? names.get(id) ?? null, 'worker', id);
  const prompts: SupervisionPrompt[] = [];
  for (const h of handovers)
    prompts.push({
      kind: 'handover',
      personId: h.superviseeId,
      personName: nameOf(h.superviseeId),
      otherName: h.fromSupervisorId === null ? null : nameOf(h.fromSupervisorId),
      date: londonDate(new Date(h.createdAt)),
      href: handoverHref(h.id),
    });
  for (const c of mine)
    prompts.push({
      kind: 'sign-contract',
      personId: c.supervisorId,
      personName: nameOf(c.supervisorId),
      otherName: null,
      date: null,
      href: contractHref(c.id),
    });
  const soon = toIsoDate(addDays(parseIsoDate(today), REVIEW_PROMPT_DAYS));
  const later: SupervisionPrompt[] = [];
  for (const person of people) {
    const base = {
      personId: person.id,
      personName: nameOf(person.id, person.name),
      otherName: null,
    };
    const draft = drafts.find((d) => d.superviseeId === person.id && d.supervisorId === personId);
    if (draft?.state === 'draft') {
      later.push({ ...base, kind: 'draft-contract', date: null, href: contractHref(draft.id) });
      continue;
    }
    // Offered and waiting for the supervisee: nothing for the supervisor to do.
    if (draft?.state === 'awaiting-supervisee') continue;
    const contract = current.get(person.id);
    if (contract === undefined)
      later.push({ ...base, kind: 'no-contract', date: null, href: newContractHref(person.id) });
    else if (contract.reviewDue !== null && contract.reviewDue < today)
      later.push({
        ...base,
        kind: 'review-overdue',
        date: contract.reviewDue,
        href: newContractHref(person.id),
      });
    else if (contract.reviewDue !== null && contract.reviewDue <= soon)
      later.push({
        ...base,
        kind: 'review-due',
        date: contract.reviewDue,
        href: newContractHref(person.id),
      });
  }
  const order: Record<PromptKind, number> = {
    handover: 0,
    'sign-contract': 1,
    'review-overdue': 2,
    'review-due': 3,
    'draft-contract': 4,
    'no-contract': 5,
  };
  later.sort(
    (a, b) =>
      order[a.kind] - order[b.kind] ||
      (a.date ?? '').localeCompare(b.date ?? '') ||
      a.personName.localeCompare(b.personName),
  );
  return [...prompts, ...later];
}

export class ContractsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** A worker the viewer may see (or supervises); anyone else is told it is not found. */
  private async worker(viewer: Viewer, workerId: string): Promise<PersonSummary> {
    const person = await findPerson(this.db, workerId);
    if (person === undefined) throw new NotFoundError('worker');
    if (viewer.personId !== null && person.lineManagerId === viewer.personId) return person;
    if (viewer.personId === workerId) return person;
    if (!(await maySee(this.db, viewer.scope, 'worker', workerId)))
      throw new NotFoundError('worker');
    return person;
  }

  /** The worker, when the viewer is their line manager: only they draft the contract. */
  private async supervisedWorker(viewer: Viewer, workerId: string): Promise<PersonSummary> {
    const person = await this.worker(viewer, workerId);
    if (viewer.personId === null || person.lineManagerId !== viewer.personId)
      throw new ForbiddenError('only the line manager drafts a contract');
    return person;
  }

  /** The policy's professional-supervision frequency for a worker today, if it sets one. */
  async policyFrequency(workerId: string): Promise<PolicyFrequency | null> {
    const { asOf } = await ensureCurrent(this.db, this.clock);
    const [ctx, row] = await Promise.all([
      loadDueContext(this.db, asOf),
      workerRequirement(this.db, workerId, 'professional-supervision'),
    ]);
    if (ctx === null || row === undefined) return null;
    const rules = (ctx.policy.rules['professional-supervision'] ?? []).filter((r) =>
      row.rules.includes(r.id),
    );
    if (rules.length === 0) return null;
    const from = parseIsoDate(asOf);
    const tightest = rules.reduce((a, b) =>
      applyOffset(from, b.every, ctx.calendar) < applyOffset(from, a.every, ctx.calendar) ? b : a,
    );
    return { words: frequencyWords(tightest.every), rules, asOf, calendar: ctx.calendar };
  }

  // -------------------------------------------------------------------------------------------
  // Drafting

  /** What the contract form starts with: the open draft, the contract in force, or the sample. */
  async draftForm(viewer: Viewer, workerId: string) {
    const person = await this.supervisedWorker(viewer, workerId);
    const me = personOf(viewer);
    const [draft, current, policy, supervisor] = await Promise.all([
      openDraftBy(this.db, workerId, me),
      currentContract(this.db, workerId),
      this.policyFrequency(workerId),
      findPerson(this.db, me),
    ]);
    let terms: ContractTerms;
    if (draft !== undefined) terms = draft;
    else if (current !== undefined) terms = current;
    else {
      // Someone above the supervisor is who the sample contract has in mind for a dispute.
      const above =
        supervisor?.lineManagerId == null
          ? undefined
          : await findPerson(this.db, supervisor.lineManagerId);
      terms = {
        frequency: null,
        durationMinutes: DEFAULT_DURATION_MINUTES,
        place: null,
        supervisorResponsibilities: DEFAULT_SUPERVISOR_RESPONSIBILITIES,
        superviseeResponsibilities: DEFAULT_SUPERVISEE_RESPONSIBILITIES,
        disputeResolver:
          above === undefined
            ? null
            : `${displayName(above.name, 'worker', above.id)}, ${label(ROLE_LABELS, above.role).toLowerCase()}`,
      };
    }
    return { person, draft: draft ?? null, current: current ?? null, terms, policy };
  }

  /**
   * Saves the supervisor's draft: the one named by the form, or their open draft for the worker,
   * or a new one. Changing a draft takes off any signature already given. A form naming a
   * contract both have signed changes nothing.
   */
  async saveDraft(
    viewer: Viewer,
    workerId: string,
    form: { contractId: string | null; terms: ContractTerms },
  ): Promise<SaveDraftResult> {
    await this.supervisedWorker(viewer, workerId);
    const me = personOf(viewer);
    let target: ContractRow | undefined;
    if (form.contractId !== null) {
      target = await getContract(this.db, form.contractId);
      if (target?.superviseeId !== workerId) throw new NotFoundError('contract');
      if (target.supervisorId !== me) throw new ForbiddenError('not your contract');
      if (target.state !== 'draft' && target.state !== 'awaiting-supervisee')
        return { kind: 'locked', contract: target };
    }
    if (form.terms.frequency !== null) {
      const problem = await this.frequencyProblem(workerId, form.terms.frequency);
      if (problem !== null) return { kind: 'problems', problems: [problem] };
    }
    const now = this.now();
    const result = await this.db.transaction().execute(async (trx) => {
      const draft = target ?? (await openDraftBy(trx, workerId, me));
      if (draft === undefined) {
        const id = await createContract(
          trx,
          { superviseeId: workerId, supervisorId: me, ...form.terms },
          now,
        );
        return { kind: 'saved' as const, id };
      }
      if (await updateDraft(trx, draft.id, form.terms, now))
        return { kind: 'saved' as const, id: draft.id };
      return { kind: 'locked' as const, id: draft.id };
    });
    if (result.kind === 'saved') return result;
    const locked = await getContract(this.db, result.id);
    if (locked === undefined) throw new NotFoundError('contract');
    return { kind: 'locked', contract: locked };
  }

  /** A contract may agree more frequent supervision than the policy, never less. */
  private async frequencyProblem(workerId: string, frequency: string): Promise<Problem | null> {
    const offset = parseOffset(frequency);
    if (typeof offset === 'string') return { field: 'frequencyCount', message: offset };
    const policy = await this.policyFrequency(workerId);
    if (policy === null) return null;
    const direction = classifyOverride(
      offset,
      policy.rules,
      parseIsoDate(policy.asOf),
      policy.calendar,
    );
    if (direction === 'tighten') return null;
    const words = frequencyWords(offset);
    return {
      field: 'frequencyCount',
      message: `${words.charAt(0).toUpperCase()}${words.slice(1)} is less often than the policy asks (${policy.words}): a contract can agree more frequent supervision, not less`,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Reading and signing a contract

  /** A contract for the people who may see it; anyone else is told it is not found. */
  private async visibleContract(viewer: Viewer, id: string): Promise<ContractRow> {
    const contract = await getContract(this.db, id);
    if (contract === undefined) throw new NotFoundError('contract');
    const me = viewer.personId;
    if (me !== null && (me === contract.superviseeId || me === contract.supervisorId))
      return contract;
    if (await maySee(this.db, viewer.scope, 'worker', contract.superviseeId)) return contract;
    throw new NotFoundError('contract');
  }

  async contract(viewer: Viewer, id: string) {
    const contract = await this.visibleContract(viewer, id);
    const [person, supervisor, policy, review, mayOpenWorker] = await Promise.all([
      findPerson(this.db, contract.superviseeId),
      findPerson(this.db, contract.supervisorId),
      this.policyFrequency(contract.superviseeId),
      workerRequirement(this.db, contract.superviseeId, 'contract-review'),
      maySee(this.db, viewer.scope, 'worker', contract.superviseeId),
    ]);
    if (person === undefined || supervisor === undefined) throw new NotFoundError('contract');
    const me = viewer.personId;
    const stillSupervisor = person.lineManagerId === contract.supervisorId;
    const open = contract.state === 'draft' || contract.state === 'awaiting-supervisee';
    const isSupervisor = me !== null && me === contract.supervisorId;
    const isSupervisee = me !== null && me === contract.superviseeId;
    const current =
      contract.state === 'superseded'
        ? await currentContract(this.db, contract.superviseeId)
        : null;
    return {
      contract,
      person,
      supervisor,
      policy,
      review: contract.state === 'signed' ? (review ?? null) : null,
      replacedBy: current ?? null,
      mayOpenWorker,
      relation: isSupervisor
        ? ('supervisor' as const)
        : isSupervisee
          ? ('supervisee' as const)
          : null,
      mayChange: isSupervisor && open && stillSupervisor,
      maySign:
        (isSupervisor && contract.state === 'draft' && stillSupervisor) ||
        (isSupervisee && contract.state === 'awaiting-supervisee'),
      mayRenew:
        me !== null &&
        person.lineManagerId === me &&
        (contract.state === 'signed' || contract.state === 'superseded'),
    };
  }

  /**
   * Signs as whichever side the viewer is. When the supervisee signs after their supervisor,
   * the contract is complete: its date is the day (in London) of that signature, its review is
   * due 12 calendar months later, the contract it replaces is superseded, and a `contract`
   * event is written for the worker with their due dates recomputed, all in one transaction.
   */
  async sign(viewer: Viewer, id: string): Promise<SignResult> {
    const contract = await this.visibleContract(viewer, id);
    const me = personOf(viewer);
    if (me === contract.supervisorId) {
      const person = await findPerson(this.db, contract.superviseeId);
      if (person?.lineManagerId !== me) throw new ForbiddenError('no longer the supervisor');
      if (contract.state !== 'draft') return { signed: null, completed: false };
      const signed = await this.db
        .transaction()
        .execute((trx) => addSignature(trx, id, 'supervisor', this.now()));
      return { signed: signed ? 'supervisor' : null, completed: false };
    }
    if (me !== contract.superviseeId) throw new ForbiddenError('not a party to this contract');
    if (contract.state === 'draft') throw new ForbiddenError('not yet signed by the supervisor');
    if (contract.state !== 'awaiting-supervisee') return { signed: null, completed: false };
    const { asOf } = await ensureCurrent(this.db, this.clock);
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      if (!(await addSignature(trx, id, 'supervisee', now)))
        return { signed: null, completed: false };
      const signedDate = londonDate(new Date(now));
      const reviewDue = toIsoDate(addMonths(parseIsoDate(signedDate), 12));
      if (!(await completeContract(trx, id, { signedDate, reviewDue }, now)))
        return { signed: 'supervisee' as const, completed: false };
      await addEvent(
        trx,
        {
          subjectKind: 'worker',
          subjectId: contract.superviseeId,
          kind: 'contract',
          date: signedDate,
        },
        viewer.accountId,
        now,
        { kind: 'contract', id },
      );
      await recomputeSubjects(trx, await loadDueContext(trx, asOf), 'worker', [
        contract.superviseeId,
      ]);
      return { signed: 'supervisee' as const, completed: true };
    });
  }

  // -------------------------------------------------------------------------------------------
  // A worker's supervision

  /** The contract in force and before, handovers, and the signed records as supervisee. */
  async workerSupervision(viewer: Viewer, workerId: string) {
    // The same rule as the worker's own page: their place, nothing else.
    if (!(await maySee(this.db, viewer.scope, 'worker', workerId)))
      throw new NotFoundError('worker');
    const person = await findPerson(this.db, workerId);
    if (person === undefined) throw new NotFoundError('worker');
    const [contracts, handovers, sessions, policy, review] = await Promise.all([
      contractsOf(this.db, workerId),
      handoversOf(this.db, workerId),
      signedSessionsOfSupervisee(this.db, workerId),
      this.policyFrequency(workerId),
      workerRequirement(this.db, workerId, 'contract-review'),
    ]);
    const names = await namesOf(this.db, 'people', [
      ...contracts.map((c) => c.supervisorId),
      ...handovers.flatMap((h) =>
        [h.fromSupervisorId, h.toSupervisorId].filter((p): p is string => p !== null),
      ),
      ...sessions.map((s) => s.supervisorId),
    ]);
    const current = contracts.find((c) => c.state === 'signed') ?? null;
    return {
      person,
      current,
      open: contracts.filter((c) => c.state === 'draft' || c.state === 'awaiting-supervisee'),
      history: contracts.filter((c) => c.state === 'superseded' || c.state === 'withdrawn'),
      handovers,
      sessions: sessions
        .filter((s) => supervisees(s).includes(workerId))
        .map((s) => {
          const me = s.participants.find((p) => p.personId === workerId);
          const signedDate =
            s.supervisorSignedAt === null ? null : londonDate(new Date(s.supervisorSignedAt));
          return {
            id: s.id,
            date: s.date,
            type: s.type,
            supervisorId: s.supervisorId,
            daysToSign: daysToSign(s.date, signedDate),
            superviseeSignedAt: me?.signedAt ?? null,
          };
        }),
      names,
      policy,
      review: review ?? null,
      mayDraft: viewer.personId !== null && person.lineManagerId === viewer.personId,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Handovers

  private async visibleHandover(viewer: Viewer, id: string): Promise<HandoverRow> {
    const handover = await getHandover(this.db, id);
    if (handover === undefined) throw new NotFoundError('handover');
    const me = viewer.personId;
    if (me !== null && (me === handover.toSupervisorId || me === handover.fromSupervisorId))
      return handover;
    if (await maySee(this.db, viewer.scope, 'worker', handover.superviseeId)) return handover;
    throw new NotFoundError('handover');
  }

  async handover(viewer: Viewer, id: string) {
    const handover = await this.visibleHandover(viewer, id);
    const { summary } = handover;
    const childIds = [
      ...summary.children.map((c) => c.id),
      ...summary.openActions.flatMap((a) => (a.childId === null ? [] : [a.childId])),
    ];
    const [person, seeable, current, names] = await Promise.all([
      findPerson(this.db, handover.superviseeId),
      visibleSubjects(this.db, viewer.scope, 'child', childIds),
      currentContract(this.db, handover.superviseeId),
      namesOf(
        this.db,
        'people',
        [handover.fromSupervisorId, handover.toSupervisorId].filter((p): p is string => p !== null),
      ),
    ]);
    if (person === undefined) throw new NotFoundError('handover');
    const me = viewer.personId;
    const acknowledged = handover.acknowledgedAt !== null;
    const isNew = me !== null && me === handover.toSupervisorId;
    return {
      handover,
      person,
      names,
      // Children the viewer's place no longer covers (the previous supervisor's, say) are
      // counted, not named.
      seeable,
      current: current ?? null,
      relation: isNew
        ? ('new' as const)
        : me !== null && me === handover.fromSupervisorId
          ? ('previous' as const)
          : null,
      mayAddNotes: !acknowledged && me !== null && me === handover.fromSupervisorId,
      mayAcknowledge: !acknowledged && isNew,
      mayAgreeContract: isNew && person.lineManagerId === me,
    };
  }

  /** The previous supervisor's notes; false when the handover was acknowledged first. */
  async saveNotes(viewer: Viewer, id: string, notes: string | null): Promise<boolean> {
    const handover = await this.visibleHandover(viewer, id);
    const me = personOf(viewer);
    if (handover.fromSupervisorId !== me) throw new ForbiddenError('not the previous supervisor');
    if (handover.acknowledgedAt !== null) return false;
    return this.db.transaction().execute((trx) => saveHandoverNotes(trx, id, me, notes));
  }

  async acknowledge(viewer: Viewer, id: string): Promise<void> {
    const handover = await this.visibleHandover(viewer, id);
    const me = personOf(viewer);
    if (handover.toSupervisorId !== me) throw new ForbiddenError('not the new supervisor');
    // Twice is the same as once.
    await this.db.transaction().execute((trx) => acknowledgeHandover(trx, id, me, this.now()));
  }

  prompts(viewer: Viewer): Promise<SupervisionPrompt[]> {
    if (viewer.personId === null) return Promise.resolve([]);
    return supervisionPrompts(this.db, viewer.personId, this.clock.today());
  }
}
