import {
  INVOLVEMENT_TYPES,
  LEGAL_TYPES,
  PLACEMENT_TYPES,
  RISK_LEVELS,
} from '../../domain/scheduling/vocabulary.js';
import {
  bodyOf,
  checkOrder,
  Problems,
  readDate,
  readDateParts,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

/** The records an administrator adds to a child: three kinds of period and risk entries. */
export const RECORD_KINDS = ['involvement', 'placement', 'legal', 'risk'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export type PeriodKind = Exclude<RecordKind, 'risk'>;

export function isRecordKind(value: string): value is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(value);
}

export function isPeriodKind(value: string): value is PeriodKind {
  return value === 'involvement' || value === 'placement' || value === 'legal';
}

const TYPES: Record<RecordKind, readonly string[]> = {
  involvement: INVOLVEMENT_TYPES,
  placement: PLACEMENT_TYPES,
  legal: LEGAL_TYPES,
  risk: RISK_LEVELS,
};

const TYPE_MESSAGES: Record<RecordKind, string> = {
  involvement: 'Select the type of involvement',
  placement: 'Select the type of placement',
  legal: 'Select the legal status',
  risk: 'Select the level of risk',
};

export type NewRecord =
  | {
      kind: PeriodKind;
      type: string;
      start: string;
      end: string | null;
      stableFrom: string | null;
    }
  | { kind: 'risk'; level: string; from: string };

/** A new period (type, start, optional end; a placement's stable-from date) or risk entry. */
export function parseRecordForm(body: unknown, kind: RecordKind): FormResult<NewRecord> {
  const b = bodyOf(body);
  const input: FormInput = { type: text(b, 'type') };
  readDateParts(b, 'start', input);
  readDateParts(b, 'end', input);
  readDateParts(b, 'stableFrom', input);
  const problems = new Problems();
  const type = input.type ?? '';
  if (!TYPES[kind].includes(type)) problems.add('type', TYPE_MESSAGES[kind]);
  if (kind === 'risk') {
    const from = readDate(input, 'start', 'The date this risk level applies from', problems, {
      required: true,
    });
    return problems.result(input, () => ({ kind, level: type, from: from ?? '' }));
  }
  const start = readDate(input, 'start', 'Start date', problems, { required: true });
  const end = readDate(input, 'end', 'End date', problems, { required: false });
  checkOrder(problems, start, end, 'end', 'End date must be the same as or after the start date');
  const stableFrom =
    kind === 'placement'
      ? readDate(input, 'stableFrom', 'Stable from date', problems, { required: false })
      : null;
  checkOrder(
    problems,
    start,
    stableFrom,
    'stableFrom',
    'Stable from date must be the same as or after the start date',
  );
  return problems.result(input, () => ({
    kind,
    type,
    start: start ?? '',
    end: end ?? null,
    stableFrom: stableFrom ?? null,
  }));
}

/** Ending an open period: its end date. */
export function parseEndForm(body: unknown, start: string): FormResult<{ end: string }> {
  const b = bodyOf(body);
  const input: FormInput = {};
  readDateParts(b, 'end', input);
  const problems = new Problems();
  const end = readDate(input, 'end', 'End date', problems, { required: true });
  checkOrder(problems, start, end, 'end', 'End date must be the same as or after the start date');
  return problems.result(input, () => ({ end: end ?? '' }));
}
