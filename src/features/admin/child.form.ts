import {
  bodyOf,
  Problems,
  readCode,
  readDate,
  readDateParts,
  readLine,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

export interface ChildDetails {
  id: string | null;
  name: string;
  dateOfBirth: string | null;
}

/** Adding a child (a code, name, date of birth) or changing the name and date of birth. */
export function parseChildForm(
  body: unknown,
  options: { isNew: boolean; today: string },
): FormResult<ChildDetails> {
  const b = bodyOf(body);
  const input: FormInput = { id: text(b, 'id'), name: text(b, 'name') };
  readDateParts(b, 'dateOfBirth', input);
  const problems = new Problems();
  const id = options.isNew ? readCode(input, 'id', 'child', problems) : null;
  const name = readLine(input, 'name', problems, {
    empty: 'Enter the child’s name',
    tooLong: 'The name must be 100 characters or fewer',
  });
  const dateOfBirth = readDate(input, 'dateOfBirth', 'Date of birth', problems, {
    required: false,
  });
  // An unborn child can be open (pre-birth assessment), but only with a due date near.
  if (typeof dateOfBirth === 'string' && dateOfBirth > options.today)
    problems.add('dateOfBirth', 'Date of birth must be today or in the past', '#dateOfBirth-day');
  return problems.result(input, () => ({
    id: id ?? null,
    name: name ?? '',
    dateOfBirth: dateOfBirth ?? null,
  }));
}
