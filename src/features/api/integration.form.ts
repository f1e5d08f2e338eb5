import {
  bodyOf,
  Problems,
  readLine,
  text,
  type FormInput,
  type FormResult,
} from '../admin/form-fields.js';
import { isScope, SCOPES, type Scope } from './tokens.js';

/** Creating an integration's token: the integration's name and what it may do. */

export interface NewIntegration {
  name: string;
  scopes: Scope[];
}

export const NAME_MAX = 100;

/** The ticked boxes of a checkbox group: one value, several, or none. */
function ticked(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The form's answer, with the boxes ticked (to tick them again when it is shown with errors). */
export function parseIntegrationForm(body: unknown): FormResult<NewIntegration> & {
  ticked: string[];
} {
  const b = bodyOf(body);
  const input: FormInput = { name: text(b, 'name') };
  const chosen = ticked(b.scopes);
  const problems = new Problems();
  const name = readLine(
    input,
    'name',
    problems,
    {
      empty: 'Enter the name of the integration, for example “Mosaic supervision feed”',
      tooLong: `The name must be ${String(NAME_MAX)} characters or fewer`,
    },
    NAME_MAX,
  );
  const scopes = SCOPES.filter((s) => chosen.includes(s));
  if (scopes.length === 0 || chosen.some((c) => !isScope(c)))
    problems.add('scopes', 'Select what the integration may do');
  return { ...problems.result(input, () => ({ name: name ?? '', scopes })), ticked: chosen };
}
