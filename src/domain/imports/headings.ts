/**
 * Column headings as people type them: `Date of Referral`, `Date of referral `, `Child’s Legal
 * Status`, `UASC (Y/N))`, `C.I.N. Start Date`, with non-breaking spaces. Headings are compared
 * after normalising: lower case; apostrophes and quotes removed (`child’s` → `childs`); `&` read
 * as `and`; every other run of punctuation or white space one space; trimmed; and letters
 * standing alone run together (`c i n` → `cin`, `y n` → `yn`).
 */
const APOSTROPHES = /['’‘`´"“”]/g;
const AMPERSAND = /&/g;
const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

export function normaliseHeading(text: string): string {
  const spaced = text
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(AMPERSAND, ' and ')
    .replace(NON_ALPHANUMERIC, ' ')
    .trim();
  return spaced.includes(' ') ? joinInitials(spaced) : spaced;
}

/** `c i n start date` (from `C.I.N. Start Date`) → `cin start date`: a run of letters alone. */
function joinInitials(text: string): string {
  const words = text.split(' ');
  const out: string[] = [];
  let run = '';
  for (const word of words) {
    if (word.length === 1) {
      run += word;
      continue;
    }
    if (run !== '') out.push(run);
    run = '';
    out.push(word);
  }
  if (run !== '') out.push(run);
  return out.join(' ');
}

/**
 * A field a file may have, with the headings it goes by. `also` catches the spellings nobody
 * listed (matched against the normalised heading), tried only for fields no heading matched
 * exactly, so that an exact heading always wins.
 */
export interface FieldHeadings<K extends string> {
  field: K;
  headings: readonly string[];
  also?: RegExp;
}

export interface HeadingMatch<K extends string> {
  /** The column index of each field found. */
  columns: Partial<Record<K, number>>;
  /** The heading as written in the file, per field found (for problems). */
  written: Partial<Record<K, string>>;
  /** Headings that matched no field, as written. */
  unknown: string[];
  /** Fields that two or more columns matched (the first column is used). */
  repeated: K[];
}

export class HeadingIndex<K extends string> {
  private readonly exact = new Map<string, K>();

  constructor(private readonly fields: readonly FieldHeadings<K>[]) {
    for (const { field, headings } of fields)
      for (const heading of headings) {
        const key = normaliseHeading(heading);
        if (!this.exact.has(key)) this.exact.set(key, field);
      }
  }

  /** The field a heading names exactly, if any. */
  field(heading: string): K | undefined {
    return this.exact.get(normaliseHeading(heading));
  }

  match(headings: readonly string[]): HeadingMatch<K> {
    const columns: Partial<Record<K, number>> = {};
    const written: Partial<Record<K, string>> = {};
    const repeated: K[] = [];
    const unmatched: number[] = [];
    headings.forEach((heading, index) => {
      if (heading.trim() === '') return;
      const field = this.exact.get(normaliseHeading(heading));
      if (field === undefined) {
        unmatched.push(index);
      } else if (columns[field] === undefined) {
        columns[field] = index;
        written[field] = heading.trim();
      } else if (!repeated.includes(field)) {
        repeated.push(field);
      }
    });
    const unknown: string[] = [];
    for (const index of unmatched) {
      const heading = headings[index] ?? '';
      const key = normaliseHeading(heading);
      const loose = this.fields.find(
        (f) => f.also !== undefined && columns[f.field] === undefined && f.also.test(key),
      );
      if (loose === undefined) unknown.push(heading.trim());
      else {
        columns[loose.field] = index;
        written[loose.field] = heading.trim();
      }
    }
    return { columns, written, unknown, repeated };
  }
}

/** A person's or team's name for matching: normalised like a heading. */
export const normaliseName = normaliseHeading;
