import type { ImportProblem } from './types.js';

export interface Where {
  sheet?: string;
  row?: number;
  column?: string;
}

/** Collects the problems of one file, in the order they are found. */
export class Problems {
  constructor(
    readonly file: string,
    private readonly sheet?: string,
    /** Shared by the collectors of one file's sheets, so problems keep the order found. */
    readonly list: ImportProblem[] = [],
    private readonly prefix = '',
  ) {}

  error(message: string, where: Where = {}): void {
    this.list.push(this.problem('error', message, where));
  }

  warning(message: string, where: Where = {}): void {
    this.list.push(this.problem('warning', message, where));
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }

  /** A collector for another sheet of the same file, adding to the same list. */
  forSheet(sheet: string): Problems {
    return new Problems(this.file, sheet, this.list, this.prefix);
  }

  /**
   * A collector whose messages start with `prefix` (an XML file often sits on one line, so its
   * line numbers alone do not find a child: "Child 'C1': ...").
   */
  withPrefix(prefix: string): Problems {
    return new Problems(this.file, this.sheet, this.list, prefix);
  }

  private problem(severity: 'error' | 'warning', message: string, where: Where): ImportProblem {
    const problem: ImportProblem = { severity, file: this.file, message: this.prefix + message };
    const sheet = where.sheet ?? this.sheet;
    if (sheet !== undefined) problem.sheet = sheet;
    if (where.row !== undefined) problem.row = where.row;
    if (where.column !== undefined) problem.column = where.column;
    return problem;
  }
}

/** `'value'` for messages: quoted, and cut short when long. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `'${shown}'`;
}

/** "rows 2, 5 and 9" / "rows 2, 5, 9 and 12 more". */
export function rowList(rows: readonly number[], limit = 5): string {
  if (rows.length === 1) return `row ${rows[0] ?? ''}`;
  const shown = rows.slice(0, limit).join(', ');
  if (rows.length <= limit) {
    const head = rows.slice(0, -1).join(', ');
    return `rows ${head} and ${rows[rows.length - 1] ?? ''}`;
  }
  return `rows ${shown} and ${rows.length - limit} more`;
}
