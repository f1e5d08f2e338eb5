import { OVERSIGHT_NOTE_KINDS, type OversightNoteKind } from '../../domain/supervision/record.js';
import { formatDate } from '../../plugins/views.js';
import {
  Problems,
  readDate,
  readDateParts,
  text,
  type Body,
  type FormInput,
  type FormResult,
} from '../admin/form-fields.js';

/**
 * The management oversight note form: what kind of note, its date, the decision and its
 * rationale. The date is the day the review, decision or consultation happened: not in the
 * future, and not before the child's first record.
 */

export const NOTE_TEXT_MAX = 5_000;

export interface NoteValue {
  kind: OversightNoteKind;
  date: string;
  decision: string;
  rationale: string;
}

export interface NoteBounds {
  today: string;
  /** The start of the child's first record, when the child has any. */
  earliest: string | null;
}

function longText(
  body: Body,
  field: string,
  input: FormInput,
  problems: Problems,
  messages: { empty: string; what: string },
): string {
  const raw = body[field];
  // Keep line breaks; trim only the ends.
  const value = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
  input[field] = value;
  if (value === '') problems.add(field, messages.empty);
  else if (value.length > NOTE_TEXT_MAX)
    problems.add(
      field,
      `${messages.what} must be ${NOTE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer (it has ${value.length.toLocaleString('en-GB')})`,
    );
  return value;
}

export function isNoteKind(value: string): value is OversightNoteKind {
  return (OVERSIGHT_NOTE_KINDS as readonly string[]).includes(value);
}

export function readNote(body: Body, bounds: NoteBounds): FormResult<NoteValue> {
  const input: FormInput = { kind: text(body, 'kind') };
  const problems = new Problems();
  const kind = input.kind ?? '';
  if (!isNoteKind(kind)) problems.add('kind', 'Select what kind of note this is', '#kind');

  readDateParts(body, 'date', input);
  const date = readDate(input, 'date', 'The date', problems, { required: true });
  if (typeof date === 'string') {
    if (date > bounds.today)
      problems.add('date', 'The date must be today or in the past', '#date-day');
    else if (bounds.earliest !== null && date < bounds.earliest)
      problems.add(
        'date',
        `The date must be on or after ${formatDate(bounds.earliest)}, the start of the child’s first record`,
        '#date-day',
      );
  }

  const decision = longText(body, 'decision', input, problems, {
    empty: 'Enter the decision',
    what: 'The decision',
  });
  const rationale = longText(body, 'rationale', input, problems, {
    empty: 'Enter the rationale for the decision',
    what: 'The rationale',
  });
  return problems.result(input, () => ({
    kind: kind as OversightNoteKind,
    date: date ?? '',
    decision,
    rationale,
  }));
}
