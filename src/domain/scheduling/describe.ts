import {
  formatDate,
  frequencyWords,
  offsetWords,
  sameOffset,
  type Offset,
} from '../dates/index.js';
import type { Condition, Policy, Rule } from './policy.js';
import {
  FAMILIES,
  FAMILY_IDS,
  INVOLVEMENT_NAMES,
  type FamilyId,
  type SubjectKind,
} from './vocabulary.js';

/**
 * A policy read back in plain words, row by row as its source document reads, so that a policy
 * officer can check the transcription: what applies when, how often, and the quoted source.
 */

export interface PolicyRow {
  readonly id: string;
  readonly label: string;
  readonly appliesWhen: string;
  readonly frequency: string;
  readonly source: string;
  readonly interpretation?: string;
}

export interface PolicySection {
  readonly title: string;
  readonly rows: readonly PolicyRow[];
}

export interface PolicyDescription {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly sourceDocument: string;
  readonly sections: readonly PolicySection[];
  readonly notModelled: Policy['notModelled'];
  readonly closureDays: readonly string[];
}

const FAMILY_TITLES: Record<FamilyId, string> = {
  'case-supervision': 'Case supervision (children)',
  'professional-supervision': 'Professional supervision (workers)',
  'group-supervision': 'Group supervision (teams)',
  'foster-carer-supervision': 'Supervision of foster carers',
  'contract-review': 'Supervision contract (workers)',
};

/** Who a rule with no condition applies to: its family's subjects, while the family applies. */
const EVERYONE: Record<SubjectKind, string> = {
  child: 'every child with an open record',
  worker: 'every worker, while employed',
  fosterCarer: 'every foster carer, while approved',
  team: 'every team that has group supervision',
};

function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}

function phase(from: Offset | undefined, to: Offset | undefined, anchor: string): string {
  if (from !== undefined && to !== undefined)
    return `from ${offsetWords(from)} after ${anchor} until ${offsetWords(to)} after it`;
  if (from !== undefined) return `from ${offsetWords(from)} after ${anchor}`;
  if (to !== undefined) return `in the first ${offsetWords(to)} after ${anchor}`;
  return '';
}

export function conditionWords(
  when: Condition,
  onlyWhereNoEarlierRule: boolean,
  family: FamilyId,
): string {
  const parts: string[] = [];
  if (when.involvement)
    parts.push(`${orList(when.involvement.map((t) => INVOLVEMENT_NAMES[t]))} open`);
  if (when.legal) parts.push(`${orList(when.legal.map((t) => t.replace('-', ' ')))} open`);
  if (when.placement) {
    const { types, from, to, stable } = when.placement;
    const kinds = types
      ? `${orList(types.map((t) => t.replace('-', ' ')))} placement`
      : 'placement';
    let text = `a ${kinds} open`;
    const within = phase(from, to, 'it began');
    if (within) text += `, ${within}`;
    if (stable === true) text += ', stable with its permanence plan fully implemented';
    if (stable === false) text += ', its permanence plan not yet fully implemented';
    parts.push(text);
  }
  if (when.noPlacement) parts.push('no placement open');
  if (when.risk) parts.push(when.risk === 'high' ? 'risk high (or not recorded)' : 'risk low');
  if (when.age) {
    const { min, max, whenUnknown } = when.age;
    const range =
      min !== undefined && max !== undefined
        ? `aged ${min} to ${max}`
        : min !== undefined
          ? `aged ${min} or over`
          : max !== undefined
            ? `aged under ${max + 1}`
            : 'any age';
    parts.push(`${range}${whenUnknown ? ' (or no date of birth)' : ''}`);
  }
  if (when.role) parts.push(`role ${orList(when.role.map((r) => r.replace(/-/g, ' ')))}`);
  if (when.earlyCareer) {
    const within = phase(when.earlyCareer.from, when.earlyCareer.to, 'the programme began');
    parts.push(`on the early-career programme${within ? `, ${within}` : ''}`);
  }
  if (when.probation === true) parts.push('on probation');
  if (when.probation === false) parts.push('not on probation');
  if (when.childrenPlaced === true) parts.push('at least one child placed');
  if (when.childrenPlaced === false) parts.push('no child placed');
  if (parts.length === 0) parts.push(EVERYONE[FAMILIES[family].subject]);
  let text = parts.join('; ');
  if (onlyWhereNoEarlierRule) text += ', where no rule above applies';
  return text;
}

export function ruleFrequency(rule: Rule): string {
  const range = (due: Offset, latest: Offset) =>
    sameOffset(due, latest) ? '' : `, overdue after ${offsetWords(latest)}`;
  const every = `${frequencyWords(rule.every)}${range(rule.every, rule.everyLatest)}`;
  if (sameOffset(rule.first, rule.every) && sameOffset(rule.firstLatest, rule.everyLatest))
    return every;
  return `first within ${offsetWords(rule.first)}${range(rule.first, rule.firstLatest)}, then ${every}`;
}

export function describePolicy(policy: Policy): PolicyDescription {
  const sections: PolicySection[] = [];
  for (const family of FAMILY_IDS) {
    const rules = policy.rules[family] ?? [];
    if (rules.length === 0) continue;
    sections.push({
      title: FAMILY_TITLES[family],
      rows: rules.map((rule) => ({
        id: rule.id,
        label: rule.label,
        appliesWhen: conditionWords(rule.when, rule.onlyWhereNoEarlierRule, family),
        frequency: ruleFrequency(rule),
        source: rule.source,
        ...(rule.interpretation ? { interpretation: rule.interpretation } : {}),
      })),
    });
  }
  const checks: PolicyRow[] = [
    ...policy.milestones.map((m) => ({
      id: m.id,
      label: m.label,
      appliesWhen: `each ${orList(m.period.involvement.map((t) => INVOLVEMENT_NAMES[t]))} period`,
      frequency: `once: a ${m.metBy.replace(/-/g, ' ')} within ${offsetWords(m.within)} of its start`,
      source: m.source,
      ...(m.interpretation ? { interpretation: m.interpretation } : {}),
    })),
    ...policy.gates.map((g) => ({
      id: g.id,
      label: g.label,
      appliesWhen: `each ${orList(g.period.involvement.map((t) => INVOLVEMENT_NAMES[t]))} period that has ended`,
      frequency: `at least one ${g.family.replace(/-/g, ' ')} inside it`,
      source: g.source,
      ...(g.interpretation ? { interpretation: g.interpretation } : {}),
    })),
  ];
  if (checks.length > 0)
    sections.push({ title: 'One-off checks (milestones and gates)', rows: checks });
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    sourceDocument: policy.sourceDocument,
    sections,
    notModelled: policy.notModelled,
    closureDays: policy.closureDays.map(formatDate),
  };
}
