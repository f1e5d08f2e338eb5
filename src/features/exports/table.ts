/**
 * A list as the exports write it: columns with a type and a width, and the rows in batches, so
 * that a list of any length is written as it is read and never held whole. A date cell is ISO
 * `YYYY-MM-DD` text; CSV writes it as it is and Excel as a real date.
 */

export type CellType = 'text' | 'date' | 'number';

export interface Column {
  readonly header: string;
  readonly type: CellType;
  /** Width in Excel's characters. */
  readonly width: number;
}

export type Cell = string | number | null;

export interface Table {
  readonly columns: readonly Column[];
  /** The rows, a batch at a time; each row has one cell per column. */
  readonly batches: AsyncIterable<readonly (readonly Cell[])[]>;
}

/**
 * A text cell that a spreadsheet would read as a formula (=, +, -, @) or whose first character
 * is a tab or carriage return, with a leading apostrophe, so that opening the file never runs a
 * formula someone typed into a child's name or an action (OWASP's advice on CSV injection).
 */
export function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A name for a file: lower case letters, digits and hyphens only. */
export function fileSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'list' : slug;
}
