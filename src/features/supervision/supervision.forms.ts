import {
  ACTION_OUTCOMES,
  SESSION_TYPES,
  type SessionType,
} from '../../domain/supervision/record.js';
import {
  Problems,
  readDate,
  readDateParts,
  text,
  type Body,
  type FormInput,
  type FormResult,
} from '../admin/form-fields.js';

/**
 * Reading the supervision forms. Text in a draft is never refused for what it says (a draft is
 * whatever was written so far); only dates, times, choices and lengths are checked, and a
 * refused form is shown again with everything that was typed.
 */

/** Long enough for the longest record; short enough to refuse a pasted file. */
export const MAX_TEXT = 20_000;

export function longText(
  body: Body,
  field: string,
  label: string,
  input: FormInput,
  problems: Problems,
): string | null {
  const raw = body[field];
  // Keep line breaks; trim only the ends.
  const value = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
  input[field] = value;
  if (value.length > MAX_TEXT)
    problems.add(
      field,
      `${label} must be ${MAX_TEXT.toLocaleString('en-GB')} characters or fewer (it has ${value.length.toLocaleString('en-GB')})`,
    );
  return value === '' ? null : value;
}

/** The revision of the part of the draft the form was opened at. */
export function revisionOf(body: Body): number {
  const value = Number(text(body, 'revision'));
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

function readTime(
  input: FormInput,
  field: string,
  label: string,
  problems: Problems,
): string | null | undefined {
  const value = input[field] ?? '';
  if (value === '') return null;
  const match = TIME.exec(value);
  if (match === null) {
    problems.add(field, `${label} must be a time in hours and minutes, for example 14:30`);
    return undefined;
  }
  return `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? ''}`;
}

export function readType(body: Body): FormResult<SessionType> {
  const input: FormInput = { type: text(body, 'type') };
  const problems = new Problems();
  if (!(SESSION_TYPES as readonly string[]).includes(input.type ?? ''))
    problems.add('type', 'Select the kind of session', '#type');
  return problems.result(input, () => input.type as SessionType);
}

export interface DetailsValue {
  date: string;
  startTime: string | null;
  endTime: string | null;
  place: string | null;
  confidentiality: string | null;
}

/** When and where, for a new session or the details page of a draft. */
export function readDetails(
  body: Body,
  type: SessionType,
  input: FormInput = {},
  problems = new Problems(),
): FormResult<DetailsValue> {
  readDateParts(body, 'date', input);
  input.startTime = text(body, 'startTime');
  input.endTime = text(body, 'endTime');
  input.place = text(body, 'place');
  const date = readDate(input, 'date', 'The date of the session', problems, { required: true });
  const startTime = readTime(input, 'startTime', 'The start time', problems);
  const endTime = readTime(input, 'endTime', 'The end time', problems);
  if (typeof startTime === 'string' && typeof endTime === 'string' && endTime <= startTime)
    problems.add('endTime', 'The end time must be after the start time');
  if (input.place.length > 200) problems.add('place', 'The place must be 200 characters or fewer');
  const confidentiality =
    type === 'group'
      ? longText(body, 'confidentiality', 'What the group agreed', input, problems)
      : null;
  return problems.result(input, () => ({
    date: date ?? '',
    startTime: startTime ?? null,
    endTime: endTime ?? null,
    place: input.place === '' ? null : (input.place ?? null),
    confidentiality,
  }));
}

/** Values of a multi-choice field (checkboxes), however the body gives them. */
export function many(body: Body, field: string): string[] {
  const value = body[field];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export interface NewSessionValue extends DetailsValue {
  superviseeIds: string[];
  coWorkerIds: string[];
  teamId: string | null;
}

export function readNewSession(body: Body, type: SessionType): FormResult<NewSessionValue> {
  const input: FormInput = {};
  const problems = new Problems();
  let superviseeIds: string[] = [];
  let teamId: string | null = null;
  if (type === 'group') {
    input.teamId = text(body, 'teamId');
    teamId = input.teamId === '' ? null : input.teamId;
    superviseeIds = many(body, 'attendees');
    input.attendees = superviseeIds.join(',');
    if (teamId === null) problems.add('teamId', 'Select the team', '#teamId');
    else if (superviseeIds.length === 0)
      problems.add('attendees', 'Select who attended', '#attendees');
  } else {
    input.supervisee = text(body, 'supervisee');
    if (input.supervisee === '') problems.add('supervisee', 'Select who you are supervising');
    else superviseeIds = [input.supervisee];
  }
  const coWorkerIds = type === 'joint' ? many(body, 'coWorkers') : [];
  input.coWorkers = coWorkerIds.join(',');
  if (type === 'joint' && coWorkerIds.length === 0)
    problems.add('coWorkers', 'Select the co-workers who joined the session', '#coWorkers');
  const details = readDetails(body, type, input, problems);
  return problems.result(input, () => ({
    ...(details.ok ? details.value : ({} as DetailsValue)),
    superviseeIds,
    coWorkerIds,
    teamId,
  }));
}

export interface PersonalValue {
  absence: string | null;
  wellbeing: string | null;
  learning: string | null;
}

export function readPersonal(body: Body): FormResult<PersonalValue> {
  const input: FormInput = {};
  const problems = new Problems();
  const absence = longText(body, 'absence', 'Leave, sickness and training', input, problems);
  const wellbeing = longText(body, 'wellbeing', 'Wellbeing and support', input, problems);
  const learning = longText(body, 'learning', 'Learning and development', input, problems);
  return problems.result(input, () => ({ absence, wellbeing, learning }));
}

export interface ReviewValue {
  actionId: string;
  outcome: 'done' | 'carried' | 'dropped';
  reason: string | null;
}

/** One outcome per open action, named `outcome-<id>` with `reason-<id>` for a dropped one. */
export function readReview(body: Body, actionIds: readonly string[]): FormResult<ReviewValue[]> {
  const input: FormInput = {};
  const problems = new Problems();
  const out: ReviewValue[] = [];
  for (const id of actionIds) {
    const outcome = text(body, `outcome-${id}`);
    input[`outcome-${id}`] = outcome;
    const reason = longText(body, `reason-${id}`, 'The reason', input, problems);
    if (outcome === '') continue;
    if (!(ACTION_OUTCOMES as readonly string[]).includes(outcome)) {
      problems.add(`outcome-${id}`, 'Select done, carried forward or dropped');
      continue;
    }
    out.push({
      actionId: id,
      outcome: outcome as ReviewValue['outcome'],
      reason: outcome === 'dropped' ? reason : null,
    });
  }
  return problems.result(input, () => out);
}

export function readAllCases(body: Body): FormResult<'all' | 'sample' | null> {
  const input: FormInput = { allCases: text(body, 'allCases') };
  const problems = new Problems();
  if (input.allCases !== '' && input.allCases !== 'all' && input.allCases !== 'sample')
    problems.add('allCases', 'Select all or a sample');
  return problems.result(input, () =>
    input.allCases === '' ? null : (input.allCases as 'all' | 'sample'),
  );
}

export const DISCUSSION_FIELDS = [
  ['status', 'Current status'],
  ['sinceLast', 'What has happened since the last discussion'],
  ['changes', 'What has changed'],
  ['workingWell', 'What is working well'],
  ['worries', 'What we are worried about'],
  ['strengths', 'Strengths and protective factors'],
  ['childVoice', 'The child’s voice and lived experience'],
  ['decision', 'The decision'],
  ['rationale', 'The rationale for the decision'],
] as const;

export interface ActionValue {
  description: string;
  ownerId: string;
  dueDate: string | null;
}

export interface DiscussionValue {
  text: Record<(typeof DISCUSSION_FIELDS)[number][0], string | null>;
  actions: ActionValue[];
}

/** Rows of actions are numbered `action-<n>-description`, `-owner` and a `-due` date input. */
export function readDiscussion(
  body: Body,
  owners: readonly string[],
  rows: number,
): FormResult<DiscussionValue> {
  const input: FormInput = {};
  const problems = new Problems();
  const values = {} as DiscussionValue['text'];
  for (const [field, label] of DISCUSSION_FIELDS)
    values[field] = longText(body, field, label, input, problems);
  const actions: ActionValue[] = [];
  for (let n = 1; n <= rows; n++) {
    const key = `action-${String(n)}`;
    const description = longText(body, `${key}-description`, 'The action', input, problems);
    input[`${key}-owner`] = text(body, `${key}-owner`);
    readDateParts(body, `${key}-due`, input);
    const anyDate = ['day', 'month', 'year'].some((p) => (input[`${key}-due-${p}`] ?? '') !== '');
    if (description === null) {
      if (anyDate)
        problems.add(`${key}-description`, `Describe action ${String(n)}, or clear its date`);
      continue;
    }
    if (description.length > 2000)
      problems.add(`${key}-description`, `Action ${String(n)} must be 2,000 characters or fewer`);
    const owner = input[`${key}-owner`] ?? '';
    if (!owners.includes(owner))
      problems.add(`${key}-owner`, `Select who will do action ${String(n)}`);
    const due = readDate(input, `${key}-due`, `The timescale for action ${String(n)}`, problems, {
      required: true,
    });
    if (typeof due === 'string') actions.push({ description, ownerId: owner, dueDate: due });
  }
  return problems.result(input, () => ({ text: values, actions }));
}

export interface GeneralValue {
  teamIssues: string | null;
  otherBusiness: string | null;
  nextDate: string | null;
}

export function readGeneral(body: Body, sessionDate: string): FormResult<GeneralValue> {
  const input: FormInput = {};
  const problems = new Problems();
  const teamIssues = longText(body, 'teamIssues', 'Team and general issues', input, problems);
  const otherBusiness = longText(body, 'otherBusiness', 'Any other business', input, problems);
  readDateParts(body, 'nextDate', input);
  const nextDate = readDate(input, 'nextDate', 'The date of the next session', problems, {
    required: false,
  });
  if (typeof nextDate === 'string' && nextDate <= sessionDate)
    problems.add('nextDate', 'The next session must be after this one', '#nextDate-day');
  return problems.result(input, () => ({ teamIssues, otherBusiness, nextDate: nextDate ?? null }));
}

export function readResponse(
  body: Body,
): FormResult<{ comment: string | null; disagreement: string | null }> {
  const input: FormInput = {};
  const problems = new Problems();
  const comment = longText(body, 'comment', 'Your comments', input, problems);
  const disagreement = longText(body, 'disagreement', 'What you disagree with', input, problems);
  return problems.result(input, () => ({ comment, disagreement }));
}

export function readAddendum(body: Body): FormResult<string> {
  const input: FormInput = {};
  const problems = new Problems();
  const value = longText(body, 'addendum', 'The addendum', input, problems);
  if (value === null) problems.add('addendum', 'Write the addendum');
  return problems.result(input, () => value ?? '');
}

export function readAgendaItem(body: Body): FormResult<string> {
  const input: FormInput = { item: text(body, 'item') };
  const problems = new Problems();
  if (input.item === '') problems.add('item', 'Enter what you want to discuss');
  else if ((input.item ?? '').length > 1000)
    problems.add('item', 'An agenda item must be 1,000 characters or fewer');
  return problems.result(input, () => input.item ?? '');
}
