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

/** The value of the "source" radio for a council's own policy file. */
export const OWN_FILE = 'own-file';

export interface PolicyChoiceInput {
  presetId: string | null;
  document: string | null;
  effectiveFrom: string;
  reason: string;
}

/** Choosing a new policy version: a preset or the council's own file, a date and a reason. */
export function parsePolicyForm(
  body: unknown,
  presetIds: readonly string[],
): FormResult<PolicyChoiceInput> {
  const b = bodyOf(body);
  const input: FormInput = {
    source: text(b, 'source'),
    // The file's own layout matters (YAML): kept as pasted, but for surrounding blank lines.
    document: typeof b.document === 'string' ? b.document.replace(/^\s*\n|\s+$/g, '') : '',
    reason: text(b, 'reason'),
  };
  readDateParts(b, 'effectiveFrom', input);
  const problems = new Problems();
  const source = input.source ?? '';
  const document = input.document ?? '';
  if (source !== OWN_FILE && !presetIds.includes(source))
    problems.add('source', 'Select a preset policy or the council’s own policy file');
  if (source === OWN_FILE) {
    if (document === '') problems.add('document', 'Paste the council’s policy file');
    else if (document.length > 200_000)
      problems.add('document', 'The policy file must be 200,000 characters or fewer');
  }
  const effectiveFrom = readDate(input, 'effectiveFrom', 'The date it takes effect', problems, {
    required: true,
  });
  const reason = readLine(
    input,
    'reason',
    problems,
    {
      empty: 'Enter the reason for the change',
      tooLong: 'The reason must be 1,000 characters or fewer',
    },
    1000,
  );
  return problems.result(input, () => ({
    presetId: source === OWN_FILE ? null : source,
    document: source === OWN_FILE ? document : null,
    effectiveFrom: effectiveFrom ?? '',
    reason: reason ?? '',
  }));
}
