import {
  BREAK_GLASS_HOURS,
  checkReason,
  isBreakGlassHours,
  type BreakGlassHours,
} from '../../domain/data-protection/break-glass.js';
import { RECORD_TYPES, type RecordType } from '../../domain/data-protection/retention.js';
import { bodyOf, Problems, text, type FormInput, type FormResult } from '../admin/form-fields.js';

/** The forms of break-glass access, retention rules and legal holds. */

/** Asking for break-glass access: a reason, how long, and that they understand. */
export function parseBreakGlassForm(
  body: unknown,
): FormResult<{ reason: string; hours: BreakGlassHours }> {
  const b = bodyOf(body);
  const input: FormInput = {
    reason: text(b, 'reason'),
    hours: text(b, 'hours'),
    confirm: text(b, 'confirm'),
  };
  const problems = new Problems();
  const reasonProblem = checkReason(input.reason ?? '');
  if (reasonProblem !== undefined) problems.add('reason', reasonProblem);
  const hours = Number(input.hours);
  if (!/^\d+$/.test(input.hours ?? '') || !isBreakGlassHours(hours))
    problems.add('hours', 'Choose how long you need access for');
  if (input.confirm !== 'yes')
    problems.add(
      'confirm',
      'Confirm that you understand your access is recorded and the supervisee is told',
    );
  return problems.result(input, () => ({
    reason: input.reason ?? '',
    hours: hours as BreakGlassHours,
  }));
}

export const HOURS_ITEMS = BREAK_GLASS_HOURS.map((h) => ({
  value: String(h),
  text: h === 1 ? '1 hour' : `${String(h)} hours`,
}));

/** The retention periods, one box per record type. */
export function readRulesForm(body: unknown): Partial<Record<RecordType, string>> {
  const b = bodyOf(body);
  return Object.fromEntries(RECORD_TYPES.map((t) => [t, text(b, t)]));
}

export const HOLD_REASON_MIN = 10;
export const HOLD_REASON_MAX = 500;

function readReason(input: FormInput, field: string, problems: Problems, what: string): string {
  const value = input[field] ?? '';
  if (value === '') problems.add(field, `Enter the reason ${what}`);
  else if (value.length < HOLD_REASON_MIN)
    problems.add(
      field,
      `The reason must be at least ${String(HOLD_REASON_MIN)} characters, for example a claim or case reference`,
    );
  else if (value.length > HOLD_REASON_MAX)
    problems.add(field, `The reason must be ${String(HOLD_REASON_MAX)} characters or fewer`);
  return value;
}

/** Placing a legal hold on a person or a child. */
export function parseHoldForm(
  body: unknown,
): FormResult<{ subjectKind: 'person' | 'child'; subjectId: string; reason: string }> {
  const b = bodyOf(body);
  const input: FormInput = {
    subjectKind: text(b, 'subjectKind'),
    subjectId: text(b, 'subjectId'),
    reason: text(b, 'reason'),
  };
  const problems = new Problems();
  const kind = input.subjectKind;
  if (kind !== 'person' && kind !== 'child')
    problems.add('subjectKind', 'Choose whether the hold is on a member of staff or a child');
  if (input.subjectId === '')
    problems.add('subjectId', 'Enter the id of the person or child, for example W0059');
  else if ((input.subjectId ?? '').length > 40)
    problems.add('subjectId', 'The id must be 40 characters or fewer');
  const reason = readReason(input, 'reason', problems, 'for the hold');
  return problems.result(input, () => ({
    subjectKind: kind as 'person' | 'child',
    subjectId: input.subjectId ?? '',
    reason,
  }));
}

/** Lifting a legal hold: why it is no longer needed. */
export function parseLiftForm(body: unknown): FormResult<{ reason: string }> {
  const b = bodyOf(body);
  const input: FormInput = { reason: text(b, 'reason') };
  const problems = new Problems();
  const reason = readReason(input, 'reason', problems, 'for lifting the hold');
  return problems.result(input, () => ({ reason }));
}
