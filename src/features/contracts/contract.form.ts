import { parseOffset } from '../../domain/dates/index.js';
import type { ContractTerms } from '../../db/contracts.repository.js';
import { bodyOf, Problems, text, type FormInput, type FormResult } from '../admin/form-fields.js';

/**
 * The contract form: how often and how long, where, both sides' responsibilities and who
 * resolves a disagreement. `contractId` names the draft being changed (absent for a new one),
 * so that a form sent after the contract was signed is recognised and refused.
 */

export const FREQUENCY_UNITS = ['weeks', 'months', 'days'] as const;
type Unit = (typeof FREQUENCY_UNITS)[number];

const LIMITS: Record<Unit, number> = { days: 365, weeks: 52, months: 12 };

export const TEXT_LIMIT = 5000;
export const LINE_LIMIT = 200;

export interface ContractForm {
  contractId: string | null;
  terms: ContractTerms;
}

/** A stored frequency ("14 days", "2 months") as the form's count and unit. */
export function frequencyFields(frequency: string | null): FormInput {
  if (frequency === null)
    return { frequencyChoice: 'policy', frequencyCount: '', frequencyUnit: 'weeks' };
  const offset = parseOffset(frequency);
  const [step] = typeof offset === 'string' ? [] : offset;
  if (step === undefined || (typeof offset !== 'string' && offset.length !== 1))
    return { frequencyChoice: 'policy', frequencyCount: '', frequencyUnit: 'weeks' };
  if (step.unit === 'months')
    return { frequencyChoice: 'own', frequencyCount: String(step.count), frequencyUnit: 'months' };
  if (step.unit === 'days' && step.count % 7 === 0)
    return {
      frequencyChoice: 'own',
      frequencyCount: String(step.count / 7),
      frequencyUnit: 'weeks',
    };
  return { frequencyChoice: 'own', frequencyCount: String(step.count), frequencyUnit: 'days' };
}

/** The form's count and unit in the policy files' notation, which parseOffset reads back. */
function frequencyText(count: number, unit: Unit): string {
  if (unit === 'months') return count === 1 ? '1 month' : `${String(count)} months`;
  const days = unit === 'weeks' ? count * 7 : count;
  return days === 1 ? '1 day' : `${String(days)} days`;
}

export function termsAsInput(terms: ContractTerms): FormInput {
  return {
    ...frequencyFields(terms.frequency),
    durationMinutes: terms.durationMinutes === null ? '' : String(terms.durationMinutes),
    place: terms.place ?? '',
    supervisorResponsibilities: terms.supervisorResponsibilities,
    superviseeResponsibilities: terms.superviseeResponsibilities,
    disputeResolver: terms.disputeResolver ?? '',
  };
}

/** A textarea's text with Windows line endings made plain, and outer space trimmed. */
function longText(body: Record<string, unknown>, key: string): string {
  return text(body, key).replace(/\r\n?/g, '\n');
}

export function parseContractForm(body: unknown): FormResult<ContractForm> {
  const b = bodyOf(body);
  const input: FormInput = {
    contractId: text(b, 'contractId'),
    frequencyChoice: text(b, 'frequencyChoice'),
    frequencyCount: text(b, 'frequencyCount'),
    frequencyUnit: text(b, 'frequencyUnit'),
    durationMinutes: text(b, 'durationMinutes'),
    place: text(b, 'place'),
    supervisorResponsibilities: longText(b, 'supervisorResponsibilities'),
    superviseeResponsibilities: longText(b, 'superviseeResponsibilities'),
    disputeResolver: text(b, 'disputeResolver'),
  };
  const problems = new Problems();

  let frequency: string | null = null;
  const choice = input.frequencyChoice ?? '';
  if (choice !== 'policy' && choice !== 'own') {
    problems.add('frequencyChoice', 'Select how often supervision will take place');
  } else if (choice === 'own') {
    const unit = (input.frequencyUnit ?? '') as Unit;
    const countText = input.frequencyCount ?? '';
    if (!FREQUENCY_UNITS.includes(unit)) {
      problems.add('frequencyUnit', 'Select days, weeks or months', '#frequencyUnit');
    } else if (countText === '') {
      problems.add(
        'frequencyCount',
        'Enter how often supervision will take place',
        '#frequencyCount',
      );
    } else if (
      !/^\d{1,3}$/.test(countText) ||
      Number(countText) < 1 ||
      Number(countText) > LIMITS[unit]
    ) {
      problems.add(
        'frequencyCount',
        `How often must be a whole number of ${unit} from 1 to ${String(LIMITS[unit])}`,
        '#frequencyCount',
      );
    } else {
      frequency = frequencyText(Number(countText), unit);
    }
  }

  const minutesText = input.durationMinutes ?? '';
  let durationMinutes: number | null = null;
  if (minutesText === '')
    problems.add('durationMinutes', 'Enter how long each session lasts, in minutes');
  else if (!/^\d{1,3}$/.test(minutesText) || Number(minutesText) < 15 || Number(minutesText) > 480)
    problems.add(
      'durationMinutes',
      'How long each session lasts must be a whole number of minutes from 15 to 480',
    );
  else durationMinutes = Number(minutesText);

  const line = (field: string, empty: string, what: string) => {
    const value = input[field] ?? '';
    if (value === '') problems.add(field, empty);
    else if (value.length > LINE_LIMIT)
      problems.add(field, `${what} must be ${String(LINE_LIMIT)} characters or fewer`);
    return value;
  };
  const place = line(
    'place',
    'Enter where supervision will take place',
    'Where supervision takes place',
  );
  const disputeResolver = line(
    'disputeResolver',
    'Enter who you will both meet with if you cannot resolve a disagreement',
    'Who you will meet with',
  );
  const long = (field: string, empty: string, what: string) => {
    const value = input[field] ?? '';
    if (value === '') problems.add(field, empty);
    else if (value.length > TEXT_LIMIT)
      problems.add(field, `${what} must be 5,000 characters or fewer`);
    return value;
  };
  const supervisorResponsibilities = long(
    'supervisorResponsibilities',
    'Enter the supervisor’s responsibilities',
    'The supervisor’s responsibilities',
  );
  const superviseeResponsibilities = long(
    'superviseeResponsibilities',
    'Enter the supervisee’s responsibilities',
    'The supervisee’s responsibilities',
  );

  return problems.result(input, () => ({
    contractId: (input.contractId ?? '') === '' ? null : (input.contractId ?? null),
    terms: {
      frequency,
      durationMinutes,
      place,
      supervisorResponsibilities,
      superviseeResponsibilities,
      disputeResolver,
    },
  }));
}
