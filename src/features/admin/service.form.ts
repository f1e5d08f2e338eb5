import { bodyOf, Problems, readLine, text, type FormResult } from './form-fields.js';

/** Adding or renaming a service: its name. */
export function parseServiceForm(body: unknown): FormResult<{ name: string }> {
  const b = bodyOf(body);
  const input = { name: text(b, 'name') };
  const problems = new Problems();
  const name = readLine(input, 'name', problems, {
    empty: 'Enter the name of the service',
    tooLong: 'The name must be 100 characters or fewer',
  });
  return problems.result(input, () => ({ name: name ?? '' }));
}
