import { z } from 'zod';
import { tryParseIsoDate } from '../dates/index.js';
import {
  EVENT_KINDS,
  INVOLVEMENT_TYPES,
  LEGAL_TYPES,
  PLACEMENT_TYPES,
  RISK_LEVELS,
  WORKER_ROLES,
} from './vocabulary.js';

/**
 * The extract (spec/scheduling.md §6, version 1): what the engine reads about children,
 * workers, foster carers and teams. Unknown fields are errors, so that a typo cannot silently
 * change a due date; `null` means the same as absent for every optional field.
 */

const isoDate = z
  .string({ error: 'must be a date written YYYY-MM-DD' })
  .refine((text) => tryParseIsoDate(text) !== undefined, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a real date in the form YYYY-MM-DD`,
  });
const optionalDate = isoDate.nullish();
const id = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

/** One of a list of values, with a message that lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : `${JSON.stringify(issue.input)} is not one of ${values.map((v) => `"${v}"`).join(', ')}`,
  });
}

function list<T extends z.ZodType>(item: T) {
  return z.array(item, { error: 'must be an array' }).nullish();
}

const event = <const T extends readonly [string, ...string[]]>(kinds: T) =>
  z.strictObject({ date: isoDate, kind: oneOf(kinds) });

const involvement = z.strictObject({
  type: oneOf(INVOLVEMENT_TYPES),
  start: isoDate,
  end: optionalDate,
});

const placement = z.strictObject({
  type: oneOf(PLACEMENT_TYPES),
  start: isoDate,
  end: optionalDate,
  stableFrom: optionalDate,
});

const legal = z.strictObject({
  type: oneOf(LEGAL_TYPES),
  start: isoDate,
  end: optionalDate,
});

const risk = z.strictObject({ level: oneOf(RISK_LEVELS), from: isoDate });

const child = z.strictObject({
  id,
  dateOfBirth: optionalDate,
  involvements: list(involvement),
  placements: list(placement),
  legal: list(legal),
  risk: list(risk),
  events: list(event(EVENT_KINDS.child)),
});

const worker = z.strictObject({
  id,
  role: oneOf(WORKER_ROLES),
  start: isoDate,
  end: optionalDate,
  probationEnd: optionalDate,
  earlyCareer: z.strictObject({ start: isoDate, end: optionalDate }).nullish(),
  events: list(event(EVENT_KINDS.worker)),
});

const fosterCarer = z.strictObject({
  id,
  start: isoDate,
  end: optionalDate,
  placements: list(z.strictObject({ start: isoDate, end: optionalDate })),
  events: list(event(EVENT_KINDS.fosterCarer)),
});

const team = z.strictObject({
  id,
  groupSupervision: z.boolean({ error: 'must be true or false' }).nullish(),
  start: isoDate,
  end: optionalDate,
  events: list(event(EVENT_KINDS.team)),
});

export const extractSchema = z.strictObject(
  {
    children: list(child),
    workers: list(worker),
    fosterCarers: list(fosterCarer),
    teams: list(team),
  },
  { error: 'the extract must be a JSON object' },
);

export type Extract = z.infer<typeof extractSchema>;
export type ChildInput = z.infer<typeof child>;
export type WorkerInput = z.infer<typeof worker>;
export type FosterCarerInput = z.infer<typeof fosterCarer>;
export type TeamInput = z.infer<typeof team>;

export interface InputProblem {
  /** JSON path, e.g. `children[3].involvements[0].start`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Whether a field is missing from the document: absent, or null, which §6 says means the same
 * (zod's issues do not carry the input, so it is looked up).
 */
function isMissing(document: unknown, path: readonly PropertyKey[]): boolean {
  let value: unknown = document;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return true;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined || (value === null && typeof path[path.length - 1] === 'string');
}

/** zod's issues as problems with JSON paths: unknown fields one by one, missing ones as such. */
export function schemaProblems(error: z.ZodError, document: unknown, what: string): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          path: formatPath([...issue.path, key]),
          message: `is not a field of ${what} (unknown field)`,
        });
      }
    } else if (issue.path.length > 0 && isMissing(document, issue.path)) {
      // Optional fields accept absence and null, so a problem with a missing value is a
      // required field left out, whichever check found it.
      problems.push({ path: formatPath(issue.path), message: 'is required' });
    } else {
      problems.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return problems;
}

// The checks below read the raw document defensively, so they run (and report) even where
// other parts of it failed the schema: the user gets every problem at once.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(value: unknown, key: string): unknown[] {
  if (!isRecord(value)) return [];
  const found = value[key];
  return Array.isArray(found) ? found : [];
}

function checkPeriod(record: unknown, path: string, problems: InputProblem[]): void {
  if (!isRecord(record)) return;
  const { start, end } = record;
  if (typeof start !== 'string' || typeof end !== 'string') return;
  const startDate = tryParseIsoDate(start);
  const endDate = tryParseIsoDate(end);
  if (startDate !== undefined && endDate !== undefined && endDate < startDate) {
    problems.push({ path: `${path}.end`, message: `${end} is before the start ${start}` });
  }
}

function checkUniqueIds(items: unknown[], kind: string, problems: InputProblem[]): void {
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    if (!isRecord(item) || typeof item.id !== 'string') return;
    const seen = firstIndex.get(item.id);
    if (seen === undefined) firstIndex.set(item.id, index);
    else
      problems.push({
        path: `${kind}[${index}].id`,
        message: `"${item.id}" is used already by ${kind}[${seen}]`,
      });
  });
}

const PERIOD_LISTS = {
  children: ['involvements', 'placements', 'legal'],
  workers: [],
  fosterCarers: ['placements'],
  teams: [],
} as const;

function crossFieldProblems(document: unknown): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const kind of ['children', 'workers', 'fosterCarers', 'teams'] as const) {
    const items = arrayAt(document, kind);
    checkUniqueIds(items, kind, problems);
    items.forEach((item, index) => {
      const path = `${kind}[${index}]`;
      if (kind !== 'children') checkPeriod(item, path, problems);
      if (kind === 'workers' && isRecord(item))
        checkPeriod(item.earlyCareer, `${path}.earlyCareer`, problems);
      for (const listName of PERIOD_LISTS[kind]) {
        arrayAt(item, listName).forEach((record, i) => {
          checkPeriod(record, `${path}.${listName}[${i}]`, problems);
        });
      }
      if (kind === 'children') {
        const firstIndex = new Map<string, number>();
        arrayAt(item, 'risk').forEach((entry, i) => {
          if (!isRecord(entry) || typeof entry.from !== 'string') return;
          const seen = firstIndex.get(entry.from);
          if (seen === undefined) firstIndex.set(entry.from, i);
          else
            problems.push({
              path: `${path}.risk[${i}].from`,
              message: `${entry.from} is the date of risk[${seen}] too`,
            });
        });
      }
    });
  }
  return problems;
}

export type ExtractValidation =
  | { readonly ok: true; readonly extract: Extract }
  | { readonly ok: false; readonly problems: readonly InputProblem[] };

/** Checks a parsed JSON document against §6 and lists every problem found. */
export function validateExtract(document: unknown): ExtractValidation {
  const parsed = extractSchema.safeParse(document);
  const problems = [
    ...(parsed.success ? [] : schemaProblems(parsed.error, document, 'the extract')),
    ...crossFieldProblems(document),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  // The schema has no transforms or defaults, so the document it accepted is already the
  // extract; keeping it (not zod's copy) halves the memory a council-scale extract takes.
  return { ok: true, extract: document as Extract };
}
