import { frequencyWords, offsetWords, sameOffset } from '../../domain/dates/index.js';
import { conditionWords, describePolicy } from '../../domain/scheduling/describe.js';
import type { Policy, Rule } from '../../domain/scheduling/policy.js';
import { FAMILY_IDS, type FamilyId } from '../../domain/scheduling/vocabulary.js';
import { displayName } from '../oversight/labels.js';

/** Words, select options and tables for the administration pages. */

export const ACCESS_LABELS: Record<string, string> = {
  staff: 'Staff',
  'quality-assurance': 'Quality assurance',
  administrator: 'Administrator',
};

export interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
}

/** Items for govukSelect, with an empty first choice and the chosen one marked. */
export function selectItems(
  options: readonly { id: string; name: string | null }[],
  selected: string | undefined,
  kind: string,
  empty: string,
): SelectItem[] {
  return [
    { value: '', text: empty, selected: !selected },
    ...options.map((o) => ({
      value: o.id,
      text: `${displayName(o.name, kind, o.id)} (${o.id})`,
      selected: o.id === selected,
    })),
  ];
}

const instant = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An ISO instant as people read it in England: "24 Nov 2026, 12:00". */
export function instantText(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : instant.format(date);
}

export interface Pagination {
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
  previous?: { href: string };
  next?: { href: string };
}

/** govukPagination's parameters, or null for a single page. */
export function pagination(
  page: number,
  pages: number,
  href: (page: number) => string,
): Pagination | null {
  if (pages <= 1) return null;
  const items: Pagination['items'] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2)
      items.push({ number: p, href: href(p), current: p === page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    items,
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < pages ? { next: { href: href(page + 1) } } : {}),
  };
}

const FAMILY_TITLES: Record<FamilyId, string> = {
  'case-supervision': 'Case supervision (children)',
  'professional-supervision': 'Professional supervision (workers)',
  'group-supervision': 'Group supervision (teams)',
  'foster-carer-supervision': 'Supervision of foster carers',
  'contract-review': 'Supervision contract (workers)',
};

/** "every 4 weeks" → "Every 4 weeks", leaving the rest as written ("Child Protection"). */
function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function latestWords(rule: Rule): string {
  const firstRange = !sameOffset(rule.first, rule.firstLatest);
  const everyRange = !sameOffset(rule.every, rule.everyLatest);
  if (!firstRange && !everyRange) return 'When due';
  if (sameOffset(rule.firstLatest, rule.everyLatest)) return offsetWords(rule.everyLatest);
  return `${offsetWords(rule.firstLatest)} at first, then ${offsetWords(rule.everyLatest)}`;
}

/** The policy as the frequency table it was transcribed from, one table per family. */
export function presentPolicy(policy: Policy) {
  const families = FAMILY_IDS.flatMap((family) => {
    const rules = policy.rules[family] ?? [];
    if (rules.length === 0) return [];
    return [
      {
        id: family,
        title: FAMILY_TITLES[family],
        rows: rules.map((rule) => ({
          id: rule.id,
          label: rule.label,
          appliesWhen: sentence(conditionWords(rule.when, rule.onlyWhereNoEarlierRule, family)),
          first: offsetWords(rule.first),
          every: sentence(frequencyWords(rule.every)),
          latest: latestWords(rule),
          source: rule.source,
          interpretation: rule.interpretation ?? null,
        })),
      },
    ];
  });
  const description = describePolicy(policy);
  const checks =
    policy.milestones.length + policy.gates.length > 0
      ? (description.sections.at(-1)?.rows ?? [])
      : [];
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    sourceDocument: policy.sourceDocument,
    families,
    checks: checks.map((c) => ({
      id: c.id,
      label: c.label,
      appliesWhen: sentence(c.appliesWhen),
      requirement: sentence(c.frequency),
      source: c.source,
    })),
    notModelled: policy.notModelled,
    closureDays: description.closureDays,
  };
}
