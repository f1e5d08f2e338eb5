import { z } from 'zod';
import { tryParseIsoDate } from '../../domain/dates/index.js';
import { Problems, readDate, text, type FormInput, type FormResult } from '../admin/form-fields.js';

/**
 * The form for decision records across children (a GET form: choosing a range changes
 * nothing): from and to as GOV.UK date inputs, and the place as `team:ID`, `service:ID` or empty
 * (all of the viewer's place). The PDF's own address carries ISO dates.
 */

export interface RangeForm {
  from: string;
  to: string;
  place: string;
}

/** The longest range one PDF covers. */
export const RANGE_MAX_DAYS = 366;

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** True when the query holds the form's fields (it was submitted), not just an empty visit. */
export function submitted(query: unknown): boolean {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  return ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year'].some(
    (k) => k in q,
  );
}

export function parseRangeForm(query: unknown): FormResult<RangeForm> {
  const body = (typeof query === 'object' && query !== null ? query : {}) as Record<
    string,
    unknown
  >;
  const input: FormInput = { place: text(body, 'place') };
  for (const field of ['from', 'to'])
    for (const part of ['day', 'month', 'year'])
      input[`${field}-${part}`] = text(body, `${field}-${part}`);
  const problems = new Problems();
  const from = readDate(input, 'from', 'The start of the range', problems, { required: true });
  const to = readDate(input, 'to', 'The end of the range', problems, { required: true });
  if (typeof from === 'string' && typeof to === 'string') {
    if (to < from)
      problems.add('to', 'The end of the range must be the same as or after its start', '#to-day');
    else if (daysBetween(from, to) > RANGE_MAX_DAYS)
      problems.add('to', 'Choose a range of a year or less', '#to-day');
  }
  const place = input.place ?? '';
  if (place !== '' && !/^(team|service):.{1,100}$/.test(place))
    problems.add('place', 'Choose a team or service from the list');
  return problems.result(input, () => ({ from: from ?? '', to: to ?? '', place }));
}

const isoDate = z.string().refine((s) => tryParseIsoDate(s) !== undefined);

/** The PDF's query: `from`, `to` (YYYY-MM-DD) and `place`. */
export const rangeQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    place: z
      .string()
      .regex(/^((team|service):.{1,100})?$/)
      .optional(),
  })
  .refine((q) => q.from <= q.to && daysBetween(q.from, q.to) <= RANGE_MAX_DAYS);

/** A place's value as the service's request. */
export function placeOf(place: string | undefined): { teamId?: string; serviceId?: string } {
  if (place?.startsWith('team:') === true) return { teamId: place.slice('team:'.length) };
  if (place?.startsWith('service:') === true) return { serviceId: place.slice('service:'.length) };
  return {};
}
