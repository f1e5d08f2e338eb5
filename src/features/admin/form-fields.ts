import { toIsoDate, tryFromYmd } from '../../domain/dates/index.js';

/**
 * What every administration form has in common: reading text and GOV.UK date inputs (day, month
 * and year boxes named `<field>-day`, `<field>-month`, `<field>-year`) from a posted body, and
 * collecting problems with the field each belongs to, for the error summary and the field.
 */

export interface Problem {
  /** The field's name: the key of its message in fieldErrors. */
  field: string;
  message: string;
  /** Where the error summary links to; `#<field>` unless given. */
  href?: string;
}

/** The form's raw text, as typed, to fill the form again when it is shown with errors. */
export type FormInput = Record<string, string>;

export type FormResult<T> =
  { ok: true; value: T; input: FormInput } | { ok: false; problems: Problem[]; input: FormInput };

/** A service's answer to an action: done, or refused with the fields to mark. */
export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function done(): Outcome;
export function done<T>(value: T): Outcome<T>;
export function done<T>(value?: T): Outcome<T | undefined> {
  return { ok: true, value };
}

export function refuse(
  field: string,
  message: string,
  href?: string,
): { ok: false; problems: Problem[] } {
  return { ok: false, problems: [{ field, message, ...(href === undefined ? {} : { href }) }] };
}

/** The error summary's list and each field's message (the first problem of each field). */
export function errorsFor(problems: readonly Problem[]): {
  errorList: { text: string; href: string }[];
  fieldErrors: Record<string, string>;
} {
  const fieldErrors: Record<string, string> = {};
  for (const p of problems) fieldErrors[p.field] ??= p.message;
  return {
    errorList: problems.map((p) => ({ text: p.message, href: p.href ?? `#${p.field}` })),
    fieldErrors,
  };
}

export type Body = Record<string, unknown>;

export function bodyOf(body: unknown): Body {
  return typeof body === 'object' && body !== null ? (body as Body) : {};
}

/** A field's text, trimmed; '' when absent or sent more than once (a tampered form). */
export function text(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value.trim() : '';
}

export class Problems {
  readonly list: Problem[] = [];

  add(field: string, message: string, href?: string): void {
    if (this.has(field)) return;
    this.list.push({ field, message, ...(href === undefined ? {} : { href }) });
  }

  has(field: string): boolean {
    return this.list.some((p) => p.field === field);
  }

  result<T>(input: FormInput, value: () => T): FormResult<T> {
    return this.list.length > 0
      ? { ok: false, problems: this.list, input }
      : { ok: true, value: value(), input };
  }
}

/** Copies the three boxes of a date input into the form's input. */
export function readDateParts(body: Body, field: string, input: FormInput): void {
  for (const part of ['day', 'month', 'year'])
    input[`${field}-${part}`] = text(body, `${field}-${part}`);
}

const PART_NAMES = { day: 'a day', month: 'a month', year: 'a year' } as const;

/**
 * A GOV.UK date input as an ISO date: null when left empty (and not required), undefined when
 * it is wrong (the problem is recorded). `label` begins the messages: "Start date must be a
 * real date".
 */
export function readDate(
  input: FormInput,
  field: string,
  label: string,
  problems: Problems,
  options: { required: boolean },
): string | null | undefined {
  const parts = {
    day: input[`${field}-day`] ?? '',
    month: input[`${field}-month`] ?? '',
    year: input[`${field}-year`] ?? '',
  };
  const missing = (['day', 'month', 'year'] as const).filter((p) => parts[p] === '');
  const href = (part: 'day' | 'month' | 'year') => `#${field}-${part}`;
  if (missing.length === 3) {
    const noun = `${label.charAt(0).toLowerCase()}${label.slice(1)}`;
    if (options.required)
      problems.add(
        field,
        noun.startsWith('the ') ? `Enter ${noun}` : `Enter the ${noun}`,
        href('day'),
      );
    return options.required ? undefined : null;
  }
  const first = missing[0];
  if (first !== undefined) {
    const words = missing.map((p) => PART_NAMES[p]);
    const list =
      words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
    problems.add(field, `${label} must include ${list ?? ''}`, href(first));
    return undefined;
  }
  const date =
    /^\d{1,2}$/.test(parts.day) && /^\d{1,2}$/.test(parts.month) && /^\d{4}$/.test(parts.year)
      ? tryFromYmd(Number(parts.year), Number(parts.month), Number(parts.day))
      : undefined;
  // Years outside 1900-2199 are typing mistakes in this service's records.
  if (date === undefined || Number(parts.year) < 1900 || Number(parts.year) > 2199) {
    problems.add(field, `${label} must be a real date`, href('day'));
    return undefined;
  }
  return toIsoDate(date);
}

/** Splits an ISO date into a date input's boxes, to fill a form from a record. */
export function dateInput(field: string, iso: string | null): FormInput {
  const match = iso === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return {
    [`${field}-day`]: match ? String(Number(match[3])) : '',
    [`${field}-month`]: match ? String(Number(match[2])) : '',
    [`${field}-year`]: match?.[1] ?? '',
  };
}

/** An end that is before its start is refused with the end's field marked. */
export function checkOrder(
  problems: Problems,
  start: string | null | undefined,
  end: string | null | undefined,
  field: string,
  message: string,
): void {
  if (typeof start === 'string' && typeof end === 'string' && end < start)
    problems.add(field, message, `#${field}-day`);
}

/** Ids typed by an administrator: short codes that are safe in addresses and files. */
export const CODE_PATTERN = /^[A-Za-z0-9-]{1,40}$/;

export function readCode(
  input: FormInput,
  field: string,
  what: string,
  problems: Problems,
): string | undefined {
  const value = input[field] ?? '';
  if (value === '') {
    problems.add(field, `Enter a code for the ${what}`);
    return undefined;
  }
  if (!CODE_PATTERN.test(value)) {
    problems.add(
      field,
      `The code must be 40 characters or fewer, using only letters, numbers and hyphens`,
    );
    return undefined;
  }
  // "new" is the address of the page that adds one.
  if (value.toLowerCase() === 'new') {
    problems.add(field, 'The code cannot be “new”');
    return undefined;
  }
  return value;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A name or a short line of text: required, at most `max` characters. */
export function readLine(
  input: FormInput,
  field: string,
  problems: Problems,
  messages: { empty: string; tooLong: string },
  max = 100,
): string | undefined {
  const value = input[field] ?? '';
  if (value === '') problems.add(field, messages.empty);
  else if (value.length > max) problems.add(field, messages.tooLong);
  else return value;
  return undefined;
}
