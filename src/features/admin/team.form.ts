import type { TeamValues } from '../../db/admin.repository.js';
import {
  bodyOf,
  checkOrder,
  Problems,
  readCode,
  readDate,
  readDateParts,
  readLine,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

/** Adding or changing a team: a code (new teams only), name, service, group supervision, dates. */
export function parseTeamForm(
  body: unknown,
  options: { isNew: boolean },
): FormResult<{ id: string | null; team: TeamValues }> {
  const b = bodyOf(body);
  const input: FormInput = {
    id: text(b, 'id'),
    name: text(b, 'name'),
    serviceId: text(b, 'serviceId'),
    groupSupervision: text(b, 'groupSupervision') === 'yes' ? 'yes' : '',
  };
  readDateParts(b, 'start', input);
  readDateParts(b, 'end', input);
  const problems = new Problems();
  const id = options.isNew ? readCode(input, 'id', 'team', problems) : null;
  const name = readLine(input, 'name', problems, {
    empty: 'Enter the name of the team',
    tooLong: 'The name must be 100 characters or fewer',
  });
  if (input.serviceId === '') problems.add('serviceId', 'Select the service the team is in');
  const start = readDate(input, 'start', 'Start date', problems, { required: true });
  const end = readDate(input, 'end', 'End date', problems, { required: false });
  checkOrder(problems, start, end, 'end', 'End date must be the same as or after the start date');
  return problems.result(input, () => ({
    id: id ?? null,
    team: {
      name: name ?? '',
      serviceId: input.serviceId ?? null,
      groupSupervision: input.groupSupervision === 'yes',
      start: start ?? '',
      end: end ?? null,
    },
  }));
}
