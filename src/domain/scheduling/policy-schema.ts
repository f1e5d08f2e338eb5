import { z } from 'zod';
import { parseOffset, tryParseIsoDate, type CalendarDate, type Offset } from '../dates/index.js';
import { formatPath, oneOf, schemaProblems, type InputProblem } from './extract.js';
import {
  CONDITION_SUBJECTS,
  MAX_RULES_PER_FAMILY,
  type ConditionKey,
  type Policy,
  type Rule,
} from './policy.js';
import {
  EVENT_KINDS,
  FAMILIES,
  FAMILY_IDS,
  INVOLVEMENT_TYPES,
  LEGAL_TYPES,
  PLACEMENT_TYPES,
  RISK_LEVELS,
  SUBJECT_NAMES,
  WORKER_ROLES,
  type FamilyId,
} from './vocabulary.js';

/**
 * The policy file format: what a council writes to describe its own frequency table. See
 * docs/policy-files.md for a guide. Every problem is reported with its path in the file.
 */

const offset = z
  .string({ error: 'must be a period of time such as "28 days" or "1 month"' })
  .transform((text, ctx): Offset => {
    const parsed = parseOffset(text);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

const listOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.array(oneOf(values)).min(1, { error: 'must list at least one value' });

const text = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });
const ruleId = z.string({ error: 'must be text' }).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
  error: 'must be lower-case words joined by hyphens, e.g. "cla-high-risk"',
});

const condition = z.strictObject({
  involvement: listOf(INVOLVEMENT_TYPES).optional(),
  placement: z
    .strictObject({
      types: listOf(PLACEMENT_TYPES).optional(),
      from: offset.optional(),
      to: offset.optional(),
      stable: z.boolean().optional(),
    })
    .optional(),
  noPlacement: z.literal(true, { error: 'can only be true' }).optional(),
  legal: listOf(LEGAL_TYPES).optional(),
  risk: oneOf(RISK_LEVELS).optional(),
  age: z
    .strictObject({
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
      whenUnknown: z.boolean({
        error: 'is required: does the rule hold for a child with no date of birth?',
      }),
    })
    .refine((age) => age.min === undefined || age.max === undefined || age.min <= age.max, {
      error: 'min must not be more than max',
    })
    .optional(),
  role: listOf(WORKER_ROLES).optional(),
  earlyCareer: z.strictObject({ from: offset.optional(), to: offset.optional() }).optional(),
  probation: z.boolean().optional(),
  childrenPlaced: z.boolean().optional(),
});

const rule = z.strictObject({
  id: ruleId,
  label: text,
  when: condition.default({}),
  onlyWhereNoEarlierRule: z.boolean().default(false),
  first: offset.optional(),
  every: offset,
  latest: offset.optional(),
  firstLatest: offset.optional(),
  everyLatest: offset.optional(),
  source: text,
  interpretation: text.optional(),
});

const period = z.strictObject({ involvement: listOf(INVOLVEMENT_TYPES) });

const milestone = z.strictObject({
  id: ruleId,
  label: text,
  period,
  within: offset,
  metBy: oneOf(EVENT_KINDS.child),
  source: text,
  interpretation: text.optional(),
});

const gate = z.strictObject({
  id: ruleId,
  label: text,
  period,
  family: oneOf(FAMILY_IDS as unknown as readonly [FamilyId, ...FamilyId[]]),
  source: text,
  interpretation: text.optional(),
});

const isoDate = z.string().refine((value) => tryParseIsoDate(value) !== undefined, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a real date in the form YYYY-MM-DD`,
});

const familyRules = z
  .array(rule)
  .max(MAX_RULES_PER_FAMILY, { error: `at most ${MAX_RULES_PER_FAMILY} rules in one family` });

const policyFile = z.strictObject({
  id: ruleId,
  name: text,
  description: text,
  sourceDocument: text,
  closureDays: z.array(isoDate).default([]),
  rules: z.strictObject(
    Object.fromEntries(FAMILY_IDS.map((family) => [family, familyRules.optional()])) as Record<
      FamilyId,
      z.ZodOptional<typeof familyRules>
    >,
  ),
  milestones: z.array(milestone).default([]),
  gates: z.array(gate).default([]),
  notModelled: z.array(z.strictObject({ source: text, reason: text })).default([]),
});

type RuleFile = z.infer<typeof rule>;

function checkRule(
  family: FamilyId,
  r: RuleFile,
  path: (string | number)[],
  problems: InputProblem[],
): void {
  const subject = FAMILIES[family].subject;
  for (const key of Object.keys(r.when) as ConditionKey[]) {
    if (CONDITION_SUBJECTS[key] !== subject) {
      problems.push({
        path: formatPath([...path, 'when', key]),
        message: `is about ${SUBJECT_NAMES[CONDITION_SUBJECTS[key]].many}, but ${family} is a requirement on ${SUBJECT_NAMES[subject].many}`,
      });
    }
  }
  if (r.latest !== undefined && (r.firstLatest !== undefined || r.everyLatest !== undefined)) {
    problems.push({
      path: formatPath([...path, 'latest']),
      message: 'give either latest, or firstLatest and everyLatest, not both',
    });
  }
  const ranges: [string, Offset, Offset | undefined][] = [
    ['firstLatest', r.first ?? r.every, r.firstLatest ?? r.latest],
    ['everyLatest', r.every, r.everyLatest ?? r.latest],
  ];
  for (const [name, due, latest] of ranges) {
    const [d] = due;
    const [l] = latest ?? [];
    if (
      due.length === 1 &&
      latest?.length === 1 &&
      d !== undefined &&
      l !== undefined &&
      d.unit === l.unit &&
      l.count < d.count
    ) {
      const where = formatPath([...path, r.latest !== undefined ? 'latest' : name]);
      // `latest` extends both dates: say so once.
      if (problems.some((p) => p.path === where)) continue;
      problems.push({
        path: where,
        message: 'must not be earlier than the due date it extends',
      });
    }
  }
}

export type PolicyValidation =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly problems: readonly InputProblem[] };

/** Checks a parsed policy document (from YAML or JSON) and builds the engine's Policy. */
export function validatePolicy(document: unknown): PolicyValidation {
  const parsed = policyFile.safeParse(document);
  if (!parsed.success)
    return { ok: false, problems: schemaProblems(parsed.error, document, 'a policy file') };
  const file = parsed.data;
  const problems: InputProblem[] = [];
  const ids = new Map<string, string>();
  const claim = (id: string, path: (string | number)[]) => {
    const seen = ids.get(id);
    if (seen !== undefined)
      problems.push({
        path: formatPath([...path, 'id']),
        message: `"${id}" is used already at ${seen}`,
      });
    else ids.set(id, formatPath(path));
  };

  const rules: Partial<Record<FamilyId, Rule[]>> = {};
  for (const family of FAMILY_IDS) {
    const list = file.rules[family];
    if (list === undefined) continue;
    rules[family] = list.map((r, index) => {
      const path = ['rules', family, index];
      claim(r.id, path);
      checkRule(family, r, path, problems);
      const first = r.first ?? r.every;
      return {
        id: r.id,
        family,
        label: r.label,
        when: r.when,
        onlyWhereNoEarlierRule: r.onlyWhereNoEarlierRule,
        first,
        every: r.every,
        firstLatest: r.firstLatest ?? r.latest ?? first,
        everyLatest: r.everyLatest ?? r.latest ?? r.every,
        source: r.source,
        interpretation: r.interpretation,
      };
    });
  }
  file.milestones.forEach((m, index) => {
    claim(m.id, ['milestones', index]);
  });
  file.gates.forEach((g, index) => {
    claim(g.id, ['gates', index]);
    if (FAMILIES[g.family].subject !== 'child') {
      problems.push({
        path: formatPath(['gates', index, 'family']),
        message: `must be a requirement on children; ${g.family} is not`,
      });
    }
  });
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    policy: {
      id: file.id,
      name: file.name,
      description: file.description,
      sourceDocument: file.sourceDocument,
      rules,
      milestones: file.milestones,
      gates: file.gates,
      notModelled: file.notModelled,
      closureDays: file.closureDays.map((d) => tryParseIsoDate(d) as CalendarDate),
    },
  };
}
