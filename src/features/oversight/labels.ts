/** Words for the engine's identifiers, as managers say them. */

export const REQUIREMENT_LABELS: Record<string, string> = {
  'case-supervision': 'Case supervision',
  'professional-supervision': 'Supervision',
  'group-supervision': 'Group supervision',
  'foster-carer-supervision': 'Foster carer supervision',
  'contract-review': 'Supervision contract review',
  'ten-day-review': '10-day review',
  'supervised-before-transfer': 'Supervised before transfer',
};

export const SUBJECT_LABELS: Record<string, string> = {
  child: 'Child',
  worker: 'Worker',
  fosterCarer: 'Foster carer',
  team: 'Team',
};

export const INVOLVEMENT_LABELS: Record<string, string> = {
  'early-help': 'Early help',
  assessment: 'Assessment',
  cin: 'Child in need',
  cp: 'Child protection',
  cla: 'Looked after',
  'care-leaver': 'Care leaver',
  'cwd-review': 'Disabled children review',
};

export const PLACEMENT_LABELS: Record<string, string> = {
  foster: 'Foster care',
  residential: 'Residential',
  'with-parents': 'Placed with parents',
  adoption: 'Placed for adoption',
  other: 'Other placement',
};

export const LEGAL_LABELS: Record<string, string> = {
  'pre-proceedings': 'Pre-proceedings (public law outline)',
  'care-proceedings': 'Care proceedings',
};

export const ROLE_LABELS: Record<string, string> = {
  'social-worker': 'Social worker',
  'advanced-practitioner': 'Advanced practitioner',
  'team-manager': 'Team manager',
  'service-manager': 'Service manager',
  'head-of-service': 'Head of service',
  'assistant-director': 'Assistant director',
  director: 'Director',
  'family-support-worker': 'Family support worker',
  'residential-worker': 'Residential worker',
  iro: 'Independent reviewing officer',
  'school-staff': 'School staff',
  other: 'Other',
};

export const EVENT_LABELS: Record<string, string> = {
  'case-supervision': 'Case supervision',
  'group-supervision': 'Group case supervision',
  'management-oversight': 'Management oversight note',
  individual: 'Supervision',
  group: 'Group supervision',
  contract: 'Supervision contract signed',
  supervision: 'Supervision',
};

export function label(table: Record<string, string>, key: string): string {
  return table[key] ?? key;
}

/** A subject's name, or its id where the organisation's data gives none. */
export function displayName(name: string | null, kind: string, id: string): string {
  if (name !== null && name !== '') return name;
  return `${label(SUBJECT_LABELS, kind)} ${id}`;
}
