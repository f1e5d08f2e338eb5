import {
  bodyOf,
  Problems,
  readDate,
  readDateParts,
  readLine,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

/** Adding a closure day: its date and what it is. */
export function parseClosureDayForm(
  body: unknown,
): FormResult<{ date: string; description: string }> {
  const b = bodyOf(body);
  const input: FormInput = { description: text(b, 'description') };
  readDateParts(b, 'date', input);
  const problems = new Problems();
  const date = readDate(input, 'date', 'Date', problems, { required: true });
  const description = readLine(
    input,
    'description',
    problems,
    {
      empty:
        'Enter what the closure day is, for example “Council closure between Christmas and New Year”',
      tooLong: 'The description must be 200 characters or fewer',
    },
    200,
  );
  return problems.result(input, () => ({ date: date ?? '', description: description ?? '' }));
}
