import { addDays, addMonths, parseIsoDate, toIsoDate } from '../domain/dates/index.js';
import { eventsForSession, type EngineEvent } from '../domain/supervision/record.js';
import type { INVOLVEMENT_TYPES } from '../domain/scheduling/vocabulary.js';
import {
  addSignature,
  completeContract,
  createContract,
  type ContractTerms,
} from '../db/contracts.repository.js';
import type { Db, Queryable } from '../db/database.js';
import { addEvent } from '../db/organisation.repository.js';
import {
  addDiscussions,
  createSession,
  getSession,
  markSupervisorSigned,
  markSuperviseeSigned,
  replaceDraftActions,
  saveDiscussion,
  savePersonal,
  updateSession,
} from '../db/supervision.repository.js';
import { loadDueContext, recomputeSubjects } from '../services/due.service.js';
import { DEMO_ACCOUNT_EMAILS } from './demo-organisation.js';

/**
 * Recorded supervision for the demo organisation, so that the demo team manager (tm@demo) and
 * social worker (sw@demo) find a history when they sign in:
 * - signed supervision contracts for the social worker (the one in force and the one before),
 *   the team manager, and most of the people the team manager supervises, each on the date the
 *   demo's history already has a contract for them; one supervisee has only a draft and one has
 *   none, so that the supervision page prompts the team manager;
 * - one signed one-to-one session between the team manager and the social worker about four
 *   weeks ago, with a personal section, two case discussions with decisions, and two open
 *   actions (one each) for the next session to review.
 * Events are written as a signature writes them (naming the record); a bare demo event of the
 * same kind, subject and date is replaced rather than duplicated. Made-up data throughout.
 */

type Involvement = (typeof INVOLVEMENT_TYPES)[number];

const STATUS_WORDS: Partial<Record<string, string>> & Record<Involvement, string> = {
  'early-help': 'Early help',
  assessment: 'Assessment',
  cin: 'Child in need plan',
  cp: 'Child protection plan',
  cla: 'Looked after',
  'care-leaver': 'Care leaver',
  'cwd-review': 'Disabled children review',
};

const SUPERVISOR_RESPONSIBILITIES = [
  'Meet with you at the agreed frequency, in a confidential space free from distraction, and keep the time free of interruptions.',
  'Hold an open and honest discussion about the children and families you are working with, with support and professional challenge.',
  'Focus on children subject to a child protection plan, children looked after and children in need, and any child where there are safeguarding concerns.',
  'Keep an accurate and clear record of every session, signed by both of us.',
  'Include team work, learning and development, and wellbeing in our discussions.',
  'Review this contract with you every year, and arrange a handover if your line manager changes.',
].join('\n');

const SUPERVISEE_RESPONSIBILITIES = [
  'Attend regularly and on time, prepare for each session and bring an agenda.',
  'Hold an open and honest discussion about the children and families I am working with.',
  'Take the actions needed to protect any child at risk of harm, and carry out the actions agreed.',
  'Record the decisions and actions agreed in supervision on the child’s file.',
  'Check that the record of each session reflects it, and sign it.',
].join('\n');

function day(date: string, days: number): string {
  return toIsoDate(addDays(parseIsoDate(date), days));
}

function at(date: string, time: string): string {
  return `${date}T${time}:00.000Z`;
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

async function accountOf(db: Queryable, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.id ?? null;
}

async function personOfAccount(db: Queryable, email: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .select('person_id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.person_id ?? null;
}

/** Writes an event as a signed record does, in place of any bare one for the same fact. */
async function recordEvent(
  db: Queryable,
  event: EngineEvent | { subjectKind: 'worker'; subjectId: string; kind: string; date: string },
  recordedBy: string,
  recordedAt: string,
  record: { kind: 'session' | 'contract'; id: string },
): Promise<void> {
  await db
    .deleteFrom('events')
    .where('subject_kind', '=', event.subjectKind)
    .where('subject_id', '=', event.subjectId)
    .where('kind', '=', event.kind)
    .where('date', '=', event.date)
    .where('record_id', 'is', null)
    .execute();
  await addEvent(db, event, recordedBy, recordedAt, record);
}

async function eventDates(
  db: Queryable,
  kind: 'worker' | 'child',
  subjectId: string,
  eventKind: string,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('date')
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('kind', '=', eventKind)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map((r) => r.date);
}

interface Person {
  id: string;
  name: string | null;
  role: string;
  lineManagerId: string | null;
}

async function person(db: Queryable, id: string): Promise<Person | undefined> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'name', 'role', 'line_manager_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, role: row.role, lineManagerId: row.line_manager_id };
}

function firstName(name: string | null, fallback: string): string {
  return name?.split(' ')[0] ?? fallback;
}

/** One contract, signed by both on `date` (the supervisor two days before), event and all. */
async function signedContract(
  db: Queryable,
  parties: { superviseeId: string; supervisorId: string },
  terms: ContractTerms,
  date: string,
  today: string,
  now: string,
): Promise<string> {
  const supervisorSigned = earlier(at(day(date, -2), '10:00'), now);
  const superviseeSigned = earlier(at(date, '14:00'), now);
  const id = await createContract(
    db,
    { ...parties, ...terms },
    earlier(at(day(date, -3), '09:00'), now),
  );
  await addSignature(db, id, 'supervisor', supervisorSigned);
  await addSignature(db, id, 'supervisee', superviseeSigned);
  await completeContract(
    db,
    id,
    { signedDate: date, reviewDue: toIsoDate(addMonths(parseIsoDate(date), 12)) },
    superviseeSigned,
  );
  const recordedBy =
    (await accountOf(db, parties.superviseeId)) ??
    (await accountOf(db, parties.supervisorId)) ??
    'demo';
  if (date <= today)
    await recordEvent(
      db,
      { subjectKind: 'worker', subjectId: parties.superviseeId, kind: 'contract', date },
      recordedBy,
      superviseeSigned,
      { kind: 'contract', id },
    );
  return id;
}

export async function seedDemoSupervision(
  db: Db,
  options: { today: string; now: string },
): Promise<void> {
  const { today, now } = options;
  const existing = await db
    .selectFrom('supervision_contracts')
    .select('id')
    .limit(1)
    .executeTakeFirst();
  const sessions = await db
    .selectFrom('supervision_sessions')
    .select('id')
    .limit(1)
    .executeTakeFirst();
  // Once only: a demo that already has records keeps them.
  if (existing !== undefined || sessions !== undefined) return;
  const tmId = await personOfAccount(db, DEMO_ACCOUNT_EMAILS.teamManager);
  const swId = await personOfAccount(db, DEMO_ACCOUNT_EMAILS.socialWorker);
  if (tmId === null || swId === null) return;
  const tm = await person(db, tmId);
  const sw = await person(db, swId);
  if (tm === undefined || sw === undefined || sw.lineManagerId !== tm.id) return;
  const tmAccount = (await accountOf(db, tm.id)) ?? 'demo';

  await db.transaction().execute(async (trx) => {
    const workers = new Set<string>();
    const children = new Set<string>();

    // --- Contracts -------------------------------------------------------------------------
    const contractDates = (id: string) =>
      eventDates(trx, 'worker', id, 'contract', day(today, -3 * 366), today);
    const terms = (overrides: Partial<ContractTerms>): ContractTerms => ({
      frequency: null,
      durationMinutes: 60,
      place: 'A quiet room at the team’s office, booked in advance',
      supervisorResponsibilities: SUPERVISOR_RESPONSIBILITIES,
      superviseeResponsibilities: SUPERVISEE_RESPONSIBILITIES,
      disputeResolver: null,
      ...overrides,
    });
    const resolverFor = async (supervisorId: string) => {
      const supervisor = await person(trx, supervisorId);
      const above =
        supervisor?.lineManagerId == null ? undefined : await person(trx, supervisor.lineManagerId);
      return above === undefined
        ? 'The head of service'
        : `${above.name ?? above.id}, ${above.role.replace(/-/g, ' ')}`;
    };
    const fallbackDate = (i: number) => day(today, -150 - 23 * i);

    // The social worker: the contract before and the one in force.
    const swDates = await contractDates(sw.id);
    const swCurrent = swDates.at(-1) ?? fallbackDate(0);
    const swPrevious = swDates.at(-2) ?? toIsoDate(addMonths(parseIsoDate(swCurrent), -12));
    const swResolver = await resolverFor(tm.id);
    await signedContract(
      trx,
      { superviseeId: sw.id, supervisorId: tm.id },
      terms({ frequency: '14 days', durationMinutes: 90, disputeResolver: swResolver }),
      swPrevious,
      today,
      now,
    );
    await signedContract(
      trx,
      { superviseeId: sw.id, supervisorId: tm.id },
      terms({
        durationMinutes: 90,
        place: 'Meeting room 2 at the Civic Centre, or a quiet room at the team’s office',
        disputeResolver: swResolver,
      }),
      swCurrent,
      today,
      now,
    );
    workers.add(sw.id);

    // The team manager's own contract with their line manager.
    if (tm.lineManagerId !== null) {
      const dates = await contractDates(tm.id);
      await signedContract(
        trx,
        { superviseeId: tm.id, supervisorId: tm.lineManagerId },
        terms({
          place: 'The head of service’s office',
          disputeResolver: await resolverFor(tm.lineManagerId),
        }),
        dates.at(-1) ?? fallbackDate(1),
        today,
        now,
      );
      workers.add(tm.id);
    }

    // Most of the people the team manager supervises; one has a draft, one has nothing yet.
    const others = await trx
      .selectFrom('people')
      .select('id')
      .where('line_manager_id', '=', tm.id)
      .where('id', '!=', sw.id)
      .where('start', '<=', today)
      .where((eb) => eb.or([eb('end', 'is', null), eb('end', '>=', today)]))
      .orderBy('id')
      .execute();
    for (const [i, other] of others.entries()) {
      if (i === 3) continue;
      if (i === 4) {
        await createContract(
          trx,
          {
            superviseeId: other.id,
            supervisorId: tm.id,
            ...terms({ disputeResolver: swResolver }),
          },
          now,
        );
        continue;
      }
      const dates = await contractDates(other.id);
      await signedContract(
        trx,
        { superviseeId: other.id, supervisorId: tm.id },
        terms({ disputeResolver: swResolver }),
        dates.at(-1) ?? fallbackDate(i + 2),
        today,
        now,
      );
      workers.add(other.id);
    }

    // --- One signed one-to-one, about four weeks ago ------------------------------------------
    // On the day the demo's history already has a one-to-one, when there is one near.
    const target = day(today, -28);
    const near = await eventDates(
      trx,
      'worker',
      sw.id,
      'individual',
      day(target, -7),
      day(target, 7),
    );
    const date =
      near.sort(
        (a, b) =>
          Math.abs(parseIsoDate(a) - parseIsoDate(target)) -
          Math.abs(parseIsoDate(b) - parseIsoDate(target)),
      )[0] ?? target;
    const allocated = await trx
      .selectFrom('due_results as d')
      .innerJoin('children as c', 'c.id', 'd.subject_id')
      .select(['d.subject_id as id', 'c.name'])
      .where('d.subject_kind', '=', 'child')
      .where('d.requirement', '=', 'case-supervision')
      .where('d.period_start', '=', '')
      .where('d.worker_id', '=', sw.id)
      .orderBy('d.subject_id')
      .execute();
    // Children whose history already has a case discussion that day come first.
    const discussedThatDay = new Set(
      (
        await trx
          .selectFrom('events')
          .select('subject_id')
          .where('subject_kind', '=', 'child')
          .where('kind', '=', 'case-supervision')
          .where('date', '=', date)
          .where('subject_id', 'in', allocated.length === 0 ? [''] : allocated.map((c) => c.id))
          .execute()
      ).map((r) => r.subject_id),
    );
    const chosen = [
      ...allocated.filter((c) => discussedThatDay.has(c.id)),
      ...allocated.filter((c) => !discussedThatDay.has(c.id)),
    ].slice(0, 2);

    const created = earlier(at(date, '09:00'), now);
    const sessionId = await createSession(
      trx,
      {
        type: 'individual',
        supervisorId: tm.id,
        teamId: null,
        date,
        startTime: '10:00',
        endTime: '11:30',
        place: 'Meeting room 2, Civic Centre',
        confidentiality: null,
        participants: [{ personId: sw.id, role: 'supervisee' }],
      },
      created,
    );
    await savePersonal(
      trx,
      {
        sessionId,
        personId: sw.id,
        authorId: tm.id,
        absence:
          'Two days’ annual leave since our last session. No sickness. Attended the county’s training on writing chronologies.',
        wellbeing: `${firstName(sw.name, 'They')} said the last month has been busy with two court reports due in the same week, but manageable. We agreed to protect Friday afternoons for recording. Uses the team’s peer reflection group and finds it helpful.`,
        learning:
          'Wants to build confidence in chairing core groups. Will observe an experienced colleague chair one before taking on the next.',
      },
      created,
    );
    const involvementsOn = async (childId: string) => {
      const rows = await trx
        .selectFrom('child_involvements')
        .select('type')
        .where('child_id', '=', childId)
        .where('start', '<=', date)
        .where((eb) => eb.or([eb('end', 'is', null), eb('end', '>=', date)]))
        .execute();
      const words = [...new Set(rows.map((r) => STATUS_WORDS[r.type] ?? r.type))];
      return words.length === 0 ? null : words.join('; ');
    };
    const discussionIds = await addDiscussions(
      trx,
      sessionId,
      await Promise.all(
        chosen.map(async (c) => ({
          childId: c.id,
          workerId: sw.id,
          status: await involvementsOn(c.id),
        })),
      ),
    );
    const texts = [
      {
        sinceLast:
          'Two home visits, one unannounced. School reports attendance up from 82% to 91% this half term.',
        changes: 'Mother’s partner has moved out; she has told the school and the health visitor.',
        workingWell:
          'Mother is engaging with the parenting course and has attended every core group.',
        worries:
          'Money is very tight since the partner left, and the home was cold at the last visit.',
        strengths: 'Maternal grandmother visits daily and is a protective presence.',
        childVoice: (name: string) =>
          `${name} said at school that “things are calmer at home now” and drew a picture of the family with grandma.`,
        decision: 'Continue with the plan. Refer the family for help with fuel and food costs.',
        rationale:
          'Risk has reduced with the partner gone and the family is engaging; the immediate worry is poverty, not care.',
        action: {
          description: 'Refer the family to the council’s household support fund',
          owner: sw.id,
          due: day(today, 7),
        },
      },
      {
        sinceLast: 'Placement review held; the carers asked for more support at weekends.',
        changes: 'Contact with father has moved from supervised to supported.',
        workingWell: 'Settled in the placement and has made friends at the new school.',
        worries:
          'Contact with father has been cancelled twice at short notice, which has unsettled them.',
        strengths: 'A warm relationship with the foster carers, who advocate well for them.',
        childVoice: (name: string) =>
          `${name} wants to keep seeing dad but “not when he doesn’t turn up”.`,
        decision:
          'Keep contact as supported for now; a written agreement with father about notice of cancellations.',
        rationale:
          'The child wants contact to continue; the harm is in the unreliability, which an agreement can address before any change.',
        action: {
          description: 'Ask the fostering team about weekend respite for the carers',
          owner: tm.id,
          due: day(today, -3),
        },
      },
    ];
    for (const [i, discussionId] of discussionIds.entries()) {
      const child = chosen[i];
      const t = texts[i];
      if (child === undefined || t === undefined) continue;
      await saveDiscussion(trx, discussionId, {
        sinceLast: t.sinceLast,
        changes: t.changes,
        workingWell: t.workingWell,
        worries: t.worries,
        strengths: t.strengths,
        childVoice: t.childVoice(firstName(child.name, 'The child')),
        decision: t.decision,
        rationale: t.rationale,
      });
      await replaceDraftActions(
        trx,
        sessionId,
        discussionId,
        child.id,
        [{ description: t.action.description, ownerId: t.action.owner, dueDate: t.action.due }],
        created,
      );
    }
    await updateSession(
      trx,
      sessionId,
      {
        allCases: 'sample',
        teamIssues: 'Duty rota for December agreed at the team meeting.',
        otherBusiness: null,
        nextDate: day(date, 28),
      },
      tm.id,
      created,
    );
    const supervisorSigned = earlier(at(day(date, 1), '16:00'), now);
    await markSupervisorSigned(trx, sessionId, supervisorSigned);
    await markSuperviseeSigned(
      trx,
      sessionId,
      sw.id,
      {
        comment: 'A fair record. Thank you for the time on the court reports.',
        disagreement: null,
      },
      earlier(at(day(date, 3), '11:00'), now),
    );
    const session = await getSession(trx, sessionId);
    if (session !== undefined) {
      const events = eventsForSession(
        session,
        chosen.map((c) => c.id),
      );
      for (const event of events) {
        await recordEvent(trx, event, tmAccount, supervisorSigned, {
          kind: 'session',
          id: sessionId,
        });
        if (event.subjectKind === 'worker') workers.add(event.subjectId);
        if (event.subjectKind === 'child') children.add(event.subjectId);
      }
    }

    const ctx = await loadDueContext(trx, today);
    await recomputeSubjects(trx, ctx, 'worker', [...workers]);
    await recomputeSubjects(trx, ctx, 'child', [...children]);
  });
}
