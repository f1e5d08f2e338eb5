import type { WorkerRole } from '../scheduling/vocabulary.js';
import { WORKER_ROLES } from '../scheduling/vocabulary.js';
import { normaliseName } from './headings.js';

/**
 * Free-text job titles → Oversight's roles (spec/scheduling.md §6). Titles are normalised like
 * headings (lower case, punctuation as spaces), then the rules below are tried in order and the
 * first that matches wins; the order is what makes "Social Work Team Manager" a team manager and
 * "Assistant Director" not a director. A title no rule matches is `other`, with a warning.
 * docs/imports.md shows the same table.
 */
export interface RoleRule {
  role: WorkerRole;
  pattern: RegExp;
  /** Why, where the choice is not obvious. */
  note?: string;
}

export const ROLE_RULES: readonly RoleRule[] = [
  // Assistant / deputy director before director.
  { role: 'assistant-director', pattern: /\b(assistant|deputy) director\b|\bad\b/ },
  {
    role: 'director',
    pattern: /\bdirector\b|\bdcs\b/,
    note: "Director of Children's Services, and any other director",
  },
  // School roles before "head of", so that a head of year is not a head of service.
  {
    role: 'school-staff',
    pattern:
      /\b(teacher|headteacher|head of (year|school|house|key stage)|designated safeguarding (lead|officer)|dsl|ddsl|school|pastoral|senco|learning mentor)\b/,
  },
  { role: 'head-of-service', pattern: /\bhead of\b|\bhead of service\b/ },
  {
    role: 'service-manager',
    pattern:
      /\b(service manager|service lead|group manager|area manager|operations manager|strategic manager)\b/,
  },
  {
    role: 'team-manager',
    pattern:
      /\b(team manager|team leader|deputy team manager|assistant team manager|practice manager|practice supervisor|unit manager|registered manager|home manager)\b/,
    note: 'Practice supervisors and managers of a children’s home supervise practitioners, as team managers do',
  },
  {
    role: 'iro',
    pattern:
      /\b(independent reviewing officer|iro|child protection (conference )?chair|cp chair|conference chair|child protection co ?ordinator)\b/,
    note: 'Child protection conference chairs review plans independently, as IROs do',
  },
  {
    role: 'advanced-practitioner',
    pattern:
      /\b(advanced practitioner|advanced social work practitioner|advanced social worker|consultant social worker|senior practitioner|principal social worker|lead practitioner|practice lead|practice educator)\b/,
    note: 'A senior social worker is a social worker; a senior practitioner is an advanced practitioner',
  },
  {
    role: 'residential-worker',
    pattern:
      /\b(residential|children s home|childrens home|care worker|night care|residential support worker)\b/,
  },
  {
    role: 'family-support-worker',
    pattern:
      /\b(family support|family practitioner|family worker|family help|early help (practitioner|worker|key worker)|family intervention|support worker|contact (worker|supervisor)|youth worker|social work assistant|community care worker|outreach worker|parenting (practitioner|worker)|key worker)\b/,
    note: 'Social work assistants and early help practitioners are supervised as family support workers',
  },
  {
    role: 'social-worker',
    pattern:
      /\b(social worker|sw|nqsw|asye|newly qualified|children and families worker|case worker|caseworker|supervising social worker|fostering social worker)\b/,
  },
  {
    role: 'other',
    pattern:
      /\b(personal advis[eo]r|business support|administrator|admin|administration|officer|coordinator|co ordinator|analyst|assistant)\b/,
    note: 'Recognised roles the spec has no word for (personal advisers, business support): other, without a warning',
  },
];

const EXACT = new Map<string, WorkerRole>(
  WORKER_ROLES.map((role) => [normaliseName(role), role] as const),
);
const cache = new Map<string, { role: WorkerRole; known: boolean }>();

/** The role of a job title, and whether a rule knew it (unknown titles are `other`). */
export function roleOfJobTitle(title: string): { role: WorkerRole; known: boolean } {
  const key = normaliseName(title);
  let found = cache.get(key);
  if (found === undefined) {
    const exact = EXACT.get(key);
    if (exact !== undefined) found = { role: exact, known: true };
    else {
      const rule = ROLE_RULES.find((r) => r.pattern.test(key));
      found =
        rule === undefined ? { role: 'other', known: false } : { role: rule.role, known: true };
    }
    if (cache.size < 10_000) cache.set(key, found);
  }
  return found;
}
