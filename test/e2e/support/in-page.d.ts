// Types of in-page.js: what each function returns to the test. The elements they are given are
// the browser's, which the project's TypeScript (no DOM library) does not describe.

export interface DueRowText {
  name: string;
  href: string;
  /** "Child", "Worker", "Foster carer" or "Team", from the caption under the name. */
  kind: string;
  status: string;
  daysOverdue: string;
  due: string;
  worker: string;
  workerHref: string | null;
  reason: string;
}

export interface LinkedRowText {
  name: string;
  href: string;
  status: string;
  /** The first numeric cell, e.g. "Children overdue" in a table of teams; null if none. */
  firstNumber: number | null;
}

export interface SummaryRowText {
  key: string;
  value: string;
  status: string;
}

export declare function readDueRows(rows: unknown[]): DueRowText[];
export declare function readLinkedRows(rows: unknown[]): LinkedRowText[];
export declare function readSummaryRows(rows: unknown[]): SummaryRowText[];
export declare function pageWidths(): { scroll: number; client: number };
export declare function elementsPastTheEdge(): string[];
