import { tryFromYmd, toIsoDate } from '../../domain/dates/index.js';

/** The override form: "every N weeks|months until a date, because …". */

export interface OverrideInput {
  everyCount: string;
  everyUnit: string;
  untilDay: string;
  untilMonth: string;
  untilYear: string;
  reason: string;
}

export interface FormError {
  text: string;
  href: string;
}

export type OverrideParse =
  | { ok: true; every: string; until: string; reason: string; input: OverrideInput }
  | { ok: false; errors: FormError[]; fieldErrors: Record<string, string>; input: OverrideInput };

const UNITS = { weeks: 7, months: 1, days: 1 } as const;

function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value.trim() : '';
}

export function parseOverrideForm(body: unknown, today: string): OverrideParse {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const input: OverrideInput = {
    everyCount: text(b, 'everyCount'),
    everyUnit: text(b, 'everyUnit'),
    untilDay: text(b, 'untilDay'),
    untilMonth: text(b, 'untilMonth'),
    untilYear: text(b, 'untilYear'),
    reason: text(b, 'reason'),
  };
  const fieldErrors: Record<string, string> = {};
  const errors: FormError[] = [];
  const fail = (field: string, href: string, message: string) => {
    fieldErrors[field] = message;
    errors.push({ text: message, href });
  };

  const count = Number(input.everyCount);
  if (input.everyCount === '') fail('every', '#everyCount', 'Enter how often supervision is due');
  else if (!/^\d+$/.test(input.everyCount) || count < 1 || count > 52)
    fail('every', '#everyCount', 'How often must be a whole number from 1 to 52');
  if (!(input.everyUnit in UNITS)) fail('everyUnit', '#everyUnit', 'Choose days, weeks or months');

  let until = '';
  const parts = [input.untilDay, input.untilMonth, input.untilYear];
  if (parts.every((p) => p === '')) fail('until', '#untilDay', 'Enter the date the override ends');
  else if (parts.some((p) => p === ''))
    fail('until', '#untilDay', 'The date the override ends must include a day, month and year');
  else {
    const date =
      /^\d{1,2}$/.test(input.untilDay) &&
      /^\d{1,2}$/.test(input.untilMonth) &&
      /^\d{4}$/.test(input.untilYear)
        ? tryFromYmd(Number(input.untilYear), Number(input.untilMonth), Number(input.untilDay))
        : undefined;
    if (date === undefined)
      fail('until', '#untilDay', 'The date the override ends must be a real date');
    else {
      until = toIsoDate(date);
      const limit = `${String(Number(today.slice(0, 4)) + 1)}${today.slice(4)}`;
      if (until <= today)
        fail('until', '#untilDay', 'The date the override ends must be in the future');
      else if (until > limit)
        fail('until', '#untilDay', 'The date the override ends must be within a year of today');
    }
  }
  if (input.reason === '') fail('reason', '#reason', 'Enter the reason for the override');
  else if (input.reason.length > 1000)
    fail('reason', '#reason', 'The reason must be 1,000 characters or fewer');

  if (errors.length > 0) return { ok: false, errors, fieldErrors, input };
  // Stored in the policy files' notation, which parseOffset reads back.
  const every =
    input.everyUnit === 'months'
      ? `${String(count)} months`
      : `${String(count * UNITS[input.everyUnit as 'weeks' | 'days'])} days`;
  return { ok: true, every, until, reason: input.reason, input };
}
