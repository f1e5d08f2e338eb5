import type { Access } from '../../domain/access/viewer.js';
import {
  bodyOf,
  EMAIL_PATTERN,
  Problems,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

import { passwordMessage, passwordProblem } from '../../domain/access/password-rules.js';
export { MIN_PASSWORD_LENGTH } from '../../domain/access/password-rules.js';
import { MIN_PASSWORD_LENGTH } from '../../domain/access/password-rules.js';

export interface NewAccount {
  email: string;
  access: Access;
  personId: string | null;
  password: string;
}

const ACCESS: readonly Access[] = ['staff', 'quality-assurance', 'administrator'];

/** Creating an account: an email, what it gives access to, and a temporary password. */
export function parseAccountForm(body: unknown): FormResult<NewAccount> {
  const b = bodyOf(body);
  // The password is never sent back to the page.
  const input: FormInput = {
    email: text(b, 'email'),
    access: text(b, 'access'),
    personId: text(b, 'personId'),
  };
  const password = typeof b.password === 'string' ? b.password : '';
  const problems = new Problems();
  const email = input.email ?? '';
  if (email === '') problems.add('email', 'Enter the email address the person signs in with');
  else if (email.length > 254 || !EMAIL_PATTERN.test(email))
    problems.add('email', 'Enter an email address in the correct format, like name@example.com');
  const access = ACCESS.find((a) => a === input.access);
  if (access === undefined) problems.add('access', 'Select what the account is for');
  if (access === 'staff' && input.personId === '')
    problems.add('personId', 'Select the person this staff account is for');
  if (password === '') problems.add('password', 'Enter a temporary password');
  else if (password.length < MIN_PASSWORD_LENGTH)
    problems.add(
      'password',
      `The temporary password must be at least ${String(MIN_PASSWORD_LENGTH)} characters`,
    );
  else if (password.length > 200)
    problems.add('password', 'The temporary password must be 200 characters or fewer');
  else {
    // The same deny list as every other password (the council's name is checked where it is known).
    const problem = passwordProblem(password, { email });
    if (problem === 'common' || problem === 'context')
      problems.add('password', passwordMessage(problem));
  }
  return problems.result(input, () => ({
    email: email.toLowerCase(),
    access: access ?? 'staff',
    personId: input.personId || null,
    password,
  }));
}
