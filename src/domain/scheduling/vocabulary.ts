/** The words of spec/scheduling.md §1 and §6, as values the code can check against. */

export const SUBJECT_KINDS = ['child', 'worker', 'fosterCarer', 'team'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const FAMILIES = {
  'case-supervision': { subject: 'child', satisfiedBy: ['case-supervision', 'group-supervision'] },
  'professional-supervision': { subject: 'worker', satisfiedBy: ['individual'] },
  'group-supervision': { subject: 'team', satisfiedBy: ['group'] },
  'foster-carer-supervision': { subject: 'fosterCarer', satisfiedBy: ['supervision'] },
  'contract-review': { subject: 'worker', satisfiedBy: ['contract'] },
} as const satisfies Record<string, { subject: SubjectKind; satisfiedBy: readonly string[] }>;

export type FamilyId = keyof typeof FAMILIES;
export const FAMILY_IDS = Object.keys(FAMILIES) as FamilyId[];

export const INVOLVEMENT_TYPES = [
  'early-help',
  'assessment',
  'cin',
  'cp',
  'cla',
  'care-leaver',
  'cwd-review',
] as const;
export type InvolvementType = (typeof INVOLVEMENT_TYPES)[number];

export const PLACEMENT_TYPES = [
  'foster',
  'residential',
  'with-parents',
  'adoption',
  'other',
] as const;
export type PlacementType = (typeof PLACEMENT_TYPES)[number];

export const LEGAL_TYPES = ['pre-proceedings', 'care-proceedings'] as const;
export type LegalType = (typeof LEGAL_TYPES)[number];

export const RISK_LEVELS = ['high', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const WORKER_ROLES = [
  'social-worker',
  'advanced-practitioner',
  'team-manager',
  'service-manager',
  'head-of-service',
  'assistant-director',
  'director',
  'family-support-worker',
  'residential-worker',
  'iro',
  'school-staff',
  'other',
] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export const EVENT_KINDS = {
  child: ['case-supervision', 'group-supervision', 'management-oversight'],
  worker: ['individual', 'group', 'contract'],
  fosterCarer: ['supervision'],
  team: ['group'],
} as const satisfies Record<SubjectKind, readonly string[]>;

export type ChildEventKind = (typeof EVENT_KINDS.child)[number];

/** Names for people, used in explanations and in `oversight policy show`. */
export const INVOLVEMENT_NAMES: Record<InvolvementType, string> = {
  'early-help': 'Early Help',
  assessment: 'assessment',
  cin: 'Child in Need',
  cp: 'Child Protection',
  cla: 'looked after',
  'care-leaver': 'care leaver',
  'cwd-review': 'disabled children annual review',
};

export const SUBJECT_NAMES: Record<SubjectKind, { one: string; many: string }> = {
  child: { one: 'child', many: 'children' },
  worker: { one: 'worker', many: 'workers' },
  fosterCarer: { one: 'foster carer', many: 'foster carers' },
  team: { one: 'team', many: 'teams' },
};
