import {
  formatDate,
  frequencyWords,
  offsetWords,
  sameOffset,
  type CalendarDate,
} from '../dates/index.js';
import type { Gate, Milestone, Rule } from './policy.js';
import { SUBJECT_NAMES, type FamilyId, type SubjectKind } from './vocabulary.js';

/** Sentences a manager can read (spec §4): what set a date, under which rule, how often. */

const EVENT_NOUNS: Record<FamilyId, string> = {
  'case-supervision': 'supervision',
  'professional-supervision': 'supervision',
  'group-supervision': 'group supervision',
  'foster-carer-supervision': 'supervision',
  'contract-review': 'contract',
};

function rangeWords(due: Rule['every'], latest: Rule['every']): string {
  return sameOffset(due, latest) ? '' : ` (overdue after ${offsetWords(latest)})`;
}

function ruleWords(rules: readonly Rule[], which: 'first' | 'every'): string {
  const latestOf = (rule: Rule) => (which === 'first' ? rule.firstLatest : rule.everyLatest);
  const frequency = (rule: Rule) =>
    which === 'every'
      ? `${frequencyWords(rule.every)}${rangeWords(rule.every, latestOf(rule))}`
      : `first within ${offsetWords(rule.first)}${rangeWords(rule.first, latestOf(rule))}`;
  const [head] = rules;
  if (head === undefined) return '';
  const shared = frequency(head);
  if (rules.every((rule) => frequency(rule) === shared)) {
    return `${rules.map((rule) => rule.label).join(' and ')}, ${shared}`;
  }
  return rules.map((rule) => `${rule.label} (${frequency(rule)})`).join(' and ');
}

/**
 * "Child in Need, every 2 months, from the supervision on 20 Jan 2026", or for a date set when
 * a rule began to apply, "Child Protection plan, first within 1 month, from its start on 1 Mar 2026".
 */
export function scheduleReason(
  rules: readonly Rule[],
  family: FamilyId,
  setBy: 'event' | 'start',
  on: CalendarDate,
): string {
  if (setBy === 'event')
    return `${ruleWords(rules, 'every')}, from the ${EVENT_NOUNS[family]} on ${formatDate(on)}`;
  return `${ruleWords(rules, 'first')}, from its start on ${formatDate(on)}`;
}

const milestoneText = new WeakMap<Milestone, string>();

/** "10-day review: a management oversight within 10 working days", worked out once per milestone. */
function milestoneWords(milestone: Milestone): string {
  let text = milestoneText.get(milestone);
  if (text === undefined) {
    text = `${milestone.label}: a ${milestone.metBy.replace(/-/g, ' ')} within ${offsetWords(milestone.within)}`;
    milestoneText.set(milestone, text);
  }
  return text;
}

export function milestoneReason(
  milestone: Milestone,
  start: CalendarDate,
  due: CalendarDate,
  met: CalendarDate | null,
  status: string,
): string {
  const base = `${milestoneWords(milestone)} of the start on ${formatDate(start)}, due ${formatDate(due)}`;
  if (met !== null) return `${base}; recorded on ${formatDate(met)}${met <= due ? '' : ', late'}`;
  if (status === 'missed') return `${base}; the period ended without one`;
  return `${base}; none recorded yet`;
}

export function gateReason(
  gate: Gate,
  start: CalendarDate,
  end: CalendarDate,
  met: CalendarDate | null,
): string {
  const period = `the period from ${formatDate(start)} to ${formatDate(end)}`;
  if (met === null) return `${gate.label}: no supervision was recorded in ${period}`;
  return `${gate.label}: first supervised on ${formatDate(met)}, in ${period}`;
}

/** "cwd-review is open but policy camden has no rule for it" (spec §7). */
export function involvementWarning(types: readonly string[], policyId: string): string {
  if (types.length === 1)
    return `${types[0] ?? ''} is open but policy ${policyId} has no rule for it`;
  return `${types.join(' and ')} are open but policy ${policyId} has no rule for them`;
}

export function subjectWarning(kind: SubjectKind, policyId: string): string {
  const what: Record<SubjectKind, string> = {
    child: 'has an open involvement',
    worker: 'is in post',
    fosterCarer: 'is approved',
    team: 'has group supervision',
  };
  return `${what[kind]}, but policy ${policyId} sets no supervision for ${SUBJECT_NAMES[kind].many} that applies`;
}
