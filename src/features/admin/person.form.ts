import type { PersonValues } from '../../db/admin.repository.js';
import { WORKER_ROLES } from '../../domain/scheduling/vocabulary.js';
import {
  bodyOf,
  checkOrder,
  EMAIL_PATTERN,
  Problems,
  readCode,
  readDate,
  readDateParts,
  readLine,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

const DATE_FIELDS = ['start', 'end', 'probationEnd', 'earlyCareerStart', 'earlyCareerEnd'] as const;

/** Adding or changing a person: their place in the structure and the dates the policy reads. */
export function parsePersonForm(
  body: unknown,
  options: { isNew: boolean },
): FormResult<{ id: string | null; person: PersonValues }> {
  const b = bodyOf(body);
  const input: FormInput = {
    id: text(b, 'id'),
    name: text(b, 'name'),
    email: text(b, 'email'),
    role: text(b, 'role'),
    teamId: text(b, 'teamId'),
    serviceId: text(b, 'serviceId'),
    lineManagerId: text(b, 'lineManagerId'),
  };
  for (const field of DATE_FIELDS) readDateParts(b, field, input);
  const problems = new Problems();
  const id = options.isNew ? readCode(input, 'id', 'person', problems) : null;
  const name = readLine(input, 'name', problems, {
    empty: 'Enter the person’s name',
    tooLong: 'The name must be 100 characters or fewer',
  });
  const email = input.email ?? '';
  if (email !== '' && (email.length > 254 || !EMAIL_PATTERN.test(email)))
    problems.add('email', 'Enter an email address in the correct format, like name@example.com');
  const role = input.role ?? '';
  if (!(WORKER_ROLES as readonly string[]).includes(role)) problems.add('role', 'Select a role');
  const start = readDate(input, 'start', 'Start date', problems, { required: true });
  const end = readDate(input, 'end', 'End date', problems, { required: false });
  checkOrder(problems, start, end, 'end', 'End date must be the same as or after the start date');
  const probationEnd = readDate(input, 'probationEnd', 'Probation end date', problems, {
    required: false,
  });
  const earlyStart = readDate(
    input,
    'earlyCareerStart',
    'Early-career programme start date',
    problems,
    { required: false },
  );
  const earlyEnd = readDate(input, 'earlyCareerEnd', 'Early-career programme end date', problems, {
    required: false,
  });
  if (earlyEnd !== null && earlyEnd !== undefined && earlyStart === null)
    problems.add(
      'earlyCareerStart',
      'Enter the early-career programme start date, or leave its end date empty',
      '#earlyCareerStart-day',
    );
  checkOrder(
    problems,
    earlyStart,
    earlyEnd,
    'earlyCareerEnd',
    'Early-career programme end date must be the same as or after its start date',
  );
  return problems.result(input, () => ({
    id: id ?? null,
    person: {
      name: name ?? '',
      email: email === '' ? null : email.toLowerCase(),
      role,
      teamId: input.teamId || null,
      serviceId: input.serviceId || null,
      lineManagerId: input.lineManagerId || null,
      start: start ?? '',
      end: end ?? null,
      probationEnd: probationEnd ?? null,
      earlyCareerStart: earlyStart ?? null,
      earlyCareerEnd: earlyEnd ?? null,
    },
  }));
}
