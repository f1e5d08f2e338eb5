import { z } from 'zod';
import { tryParseIsoDate } from '../../domain/dates/index.js';

/**
 * The API's inputs, each checked with zod: the id in the path, the query and the body. Every
 * problem is reported at once, naming where it is (path, query or body), the field and what is
 * wrong, in words an integrator can act on.
 */

export const SUBJECT_KINDS = ['child', 'worker', 'fosterCarer', 'team'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const CHILD_EVENT_KINDS = [
  'case-supervision',
  'group-supervision',
  'management-oversight',
] as const;
export const WORKER_EVENT_KINDS = ['individual', 'group', 'contract'] as const;

/** The subjects events may be posted for, with the kinds of event each takes. */
export const EVENT_KINDS = { child: CHILD_EVENT_KINDS, worker: WORKER_EVENT_KINDS } as const;
export type EventSubject = keyof typeof EVENT_KINDS;

/** Fastify's longest path parameter (its maxParamLength). */
export const ID_MAX = 100;
export const EXTERNAL_ID_MAX = 200;

export interface InputProblem {
  in: 'path' | 'query' | 'body';
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

function words(list: readonly string[]): string {
  return list.length < 2
    ? list.join('')
    : `${list.slice(0, -1).join(', ')} or ${list.at(-1) ?? ''}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : 'an object';
}

function problemsOf(
  error: z.ZodError,
  where: InputProblem['in'],
  unknownField: (key: string) => string,
  whole: string,
): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push({ in: where, field: key, message: unknownField(key) });
    } else if (issue.path.length === 0) {
      problems.push({ in: where, field: '', message: whole });
    } else {
      problems.push({ in: where, field: issue.path.map(String).join('.'), message: issue.message });
    }
  }
  return problems;
}

/**
 * The `{id}` of a path: any text the council uses for its ids. (Fastify refuses a path part
 * longer than ID_MAX characters before any route sees it.)
 */
export function parseId(params: unknown, what: string): Parsed<string> {
  const id = (params as Record<string, unknown> | undefined)?.id;
  if (typeof id !== 'string' || id === '')
    return {
      ok: false,
      problems: [
        {
          in: 'path',
          field: 'id',
          message: `id must not be empty: put the ${what}’s id in the path`,
        },
      ],
    };
  return { ok: true, value: id };
}

const subjectSchema = z.enum(SUBJECT_KINDS, {
  error: (issue) => `subject must be one of ${words(SUBJECT_KINDS)}, not ${describe(issue.input)}`,
});

/**
 * The query of a due-dates call: nothing for a child; for a worker or a team, `subject` may
 * narrow the results to one kind of subject.
 */
export function parseDueQuery(
  query: unknown,
  options: { subjectFilter: boolean },
): Parsed<{ subject: SubjectKind | null }> {
  const schema = options.subjectFilter
    ? z.strictObject({ subject: subjectSchema.optional() })
    : z.strictObject({});
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) {
    const subject = (parsed.data as { subject?: SubjectKind }).subject ?? null;
    return { ok: true, value: { subject } };
  }
  const known = options.subjectFilter
    ? 'the only query parameter it takes is subject'
    : 'it takes no query parameters';
  return {
    ok: false,
    problems: problemsOf(
      parsed.error,
      'query',
      (key) => `${key} is not a query parameter of this call: ${known}`,
      'The query could not be read',
    ),
  };
}

export interface EventInput {
  kind: string;
  date: string;
  externalId: string | null;
}

/**
 * The body of an event: `kind` (one of the subject's kinds of event), `date` (YYYY-MM-DD, a
 * real date, not after today) and an optional `externalId` (the integration's own id for it).
 */
export function parseEventBody(
  body: unknown,
  subject: EventSubject,
  today: string,
): Parsed<EventInput> {
  const kinds = EVENT_KINDS[subject];
  const schema = z.strictObject({
    kind: z.enum(kinds, {
      error: (issue) =>
        issue.input === undefined
          ? `kind is required: one of ${words(kinds)}`
          : `kind must be one of ${words(kinds)} for a ${subject}, not ${describe(issue.input)}`,
    }),
    date: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'date is required: the day it happened, written YYYY-MM-DD'
            : `date must be text written YYYY-MM-DD, not ${describe(issue.input)}`,
      })
      .superRefine((value, ctx) => {
        const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? tryParseIsoDate(value) : undefined;
        const year = Number(value.slice(0, 4));
        if (date === undefined || year < 1900)
          ctx.addIssue({
            code: 'custom',
            message: /^\d{4}-\d{2}-\d{2}$/.test(value)
              ? `date ${describe(value)} is not a real date`
              : `date must be written YYYY-MM-DD, for example 2026-11-24, not ${describe(value)}`,
          });
        else if (value > today)
          ctx.addIssue({
            code: 'custom',
            message: `date ${value} is in the future: post an event once it has happened (today is ${today})`,
          });
      }),
    externalId: z
      .string({
        error: (issue) => `externalId must be text, not ${describe(issue.input)}`,
      })
      .min(1, { error: 'externalId must not be empty: leave it out instead' })
      .max(EXTERNAL_ID_MAX, {
        error: `externalId must be ${String(EXTERNAL_ID_MAX)} characters or fewer`,
      })
      .nullish(),
  });
  const parsed = schema.safeParse(body);
  if (parsed.success)
    return {
      ok: true,
      value: {
        kind: parsed.data.kind,
        date: parsed.data.date,
        externalId: parsed.data.externalId ?? null,
      },
    };
  return {
    ok: false,
    problems: problemsOf(
      parsed.error,
      'body',
      (key) => `${key} is not a field of an event: the fields are kind, date and externalId`,
      'The body must be a JSON object with the fields kind, date and, if you like, externalId',
    ),
  };
}
