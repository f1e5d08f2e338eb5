import { addMonths, birthday, parseIsoDate, toIsoDate } from '../dates/index.js';

/**
 * Retention: how long each type of record is kept, and from when. docs/data-protection.md says
 * why each default is what it is. Pure: the service finds the records and asks these.
 */

export const RECORD_TYPES = [
  'staff-supervision',
  'children-in-need',
  'looked-after',
  'api-calls',
  'import-history',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface RetentionRuleInfo {
  readonly type: RecordType;
  readonly label: string;
  /** What the years count from, in words for the administrator. */
  readonly from: string;
  readonly defaultYears: number;
  /** Where the default comes from. */
  readonly source: string;
}

export const RETENTION_RULES: readonly RetentionRuleInfo[] = [
  {
    type: 'staff-supervision',
    label: 'Staff supervision records',
    from: 'years after the supervisee leaves (their end date): sessions, personal sections, addenda, actions, agenda items, contracts, handovers and break-glass grants',
    defaultYears: 6,
    source:
      'Limitation Act 1980 (6 years for claims in contract and most employment claims); IRMS Local Government Retention Schedule, personnel files',
  },
  {
    type: 'children-in-need',
    label: 'Children’s decision records (not looked after)',
    from: 'years from the child’s date of birth, once the child has no open involvement: case discussions, oversight notes, decision records and the child’s events',
    defaultYears: 25,
    source: 'IRMS/LGA retention guidance for children’s social care: until the 25th birthday',
  },
  {
    type: 'looked-after',
    label: 'Children’s decision records (ever looked after)',
    from: 'years from the child’s date of birth, once the child has no open involvement, for a child who was ever looked after',
    defaultYears: 75,
    source:
      'Care Planning, Placement and Case Review (England) Regulations 2010, reg. 50: until the 75th anniversary of the date of birth',
  },
  {
    type: 'api-calls',
    label: 'API call log',
    from: 'years after the call',
    defaultYears: 2,
    source: 'Oversight’s choice: long enough to investigate an integration, no longer',
  },
  {
    type: 'import-history',
    label: 'Import history',
    from: 'years after the import',
    defaultYears: 6,
    source:
      'Oversight’s choice: as long as the staff supervision records whose due dates it explains',
  },
];

export const MIN_YEARS = 1;
export const MAX_YEARS = 100;

export function ruleInfo(type: RecordType): RetentionRuleInfo {
  const info = RETENTION_RULES.find((r) => r.type === type);
  if (info === undefined) throw new Error(`no retention rule ${type}`);
  return info;
}

export function isRecordType(value: string): value is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(value);
}

/**
 * The latest anchor date whose records are due today: a record whose period starts on or before
 * it has been kept its whole period. `today` less N years (29 February becomes the 28th).
 */
export function cutoff(today: string, years: number): string {
  return toIsoDate(addMonths(parseIsoDate(today), -12 * years));
}

/** The day a child's records become due, from their date of birth. */
export function childDueDate(dateOfBirth: string, years: number): string {
  return toIsoDate(birthday(parseIsoDate(dateOfBirth), years));
}

/**
 * Which rule a child's records fall under: a child ever looked after (a `cla` involvement, or a
 * placement) is kept the longer.
 */
export function childRecordType(everLookedAfter: boolean): RecordType {
  return everLookedAfter ? 'looked-after' : 'children-in-need';
}

/** Whole years, MIN_YEARS to MAX_YEARS, or the problem in words. */
export function checkYears(label: string, text: string): number | string {
  if (text === '') return `Enter how many years to keep ${label.toLowerCase()}`;
  if (!/^\d+$/.test(text)) return `${label}: the years must be a whole number, like 6`;
  const years = Number(text);
  if (years < MIN_YEARS || years > MAX_YEARS)
    return `${label}: the years must be between ${String(MIN_YEARS)} and ${String(MAX_YEARS)}`;
  return years;
}
