import {
  bodyOf,
  Problems,
  readDate,
  readDateParts,
  text,
  type FormInput,
  type FormResult,
} from './form-fields.js';

export interface Reallocation {
  workerId: string;
  /** Null: the worker's own team. */
  teamId: string | null;
  from: string;
}

/** Reallocating a child: to a worker (and a team, by default theirs) from a date. */
export function parseReallocateForm(body: unknown): FormResult<Reallocation> {
  const b = bodyOf(body);
  const input: FormInput = { workerId: text(b, 'workerId'), teamId: text(b, 'teamId') };
  readDateParts(b, 'from', input);
  const problems = new Problems();
  if (input.workerId === '')
    problems.add('workerId', 'Select the worker the child is allocated to');
  const from = readDate(input, 'from', 'The date of the new allocation', problems, {
    required: true,
  });
  return problems.result(input, () => ({
    workerId: input.workerId ?? '',
    teamId: input.teamId || null,
    from: from ?? '',
  }));
}
