import { formatDate, parseIsoDate, toIsoDate } from '../domain/dates/index.js';
import type { PolicyDescription } from '../domain/scheduling/describe.js';
import type { Schedule } from '../domain/scheduling/engine.js';
import { reportResult, type Report, type ReportResult } from '../domain/scheduling/report.js';
import { SUBJECT_NAMES, type SubjectKind } from '../domain/scheduling/vocabulary.js';

/**
 * The §7 document, one result per line, as a stream of pieces: a council's extract gives
 * hundreds of thousands of results, and one string of them all would be hundreds of megabytes.
 */
export function* jsonChunks(schedule: Schedule): Generator<string> {
  yield `{\n  "asOf": ${JSON.stringify(toIsoDate(schedule.asOf))},\n  "policy": ${JSON.stringify(schedule.policy)},\n  "results": [`;
  let first = true;
  for (const result of schedule.results) {
    yield `${first ? '' : ','}\n    ${JSON.stringify(reportResult(result))}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}],\n  "warnings": [`;
  first = true;
  for (const warning of schedule.warnings) {
    yield `${first ? '' : ','}\n    ${JSON.stringify({ subject: warning.subject, id: warning.id, message: warning.message })}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}]\n}\n`;
}

function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote anything a spreadsheet could misread, and defuse formula injection.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_COLUMNS = [
  'subject',
  'id',
  'requirement',
  'periodStart',
  'status',
  'due',
  'latest',
  'lastEvent',
  'met',
  'onTime',
  'rules',
  'setByKind',
  'setByDate',
  'reason',
] as const;

/** One row per result; warnings go to standard error, so the file stays one table. */
export function* csvChunks(schedule: Schedule): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const result of schedule.results) {
    const r = reportResult(result);
    const row = [
      r.subject,
      r.id,
      r.requirement,
      r.periodStart,
      r.status,
      r.due,
      r.latest,
      r.lastEvent,
      r.met,
      r.onTime,
      r.rules.join(' '),
      r.setBy.kind,
      r.setBy.date,
      r.reason,
    ];
    yield `${row.map(csvCell).join(',')}\r\n`;
  }
}

const STATUS_ORDER: Record<string, number> = {
  overdue: 0,
  missed: 1,
  breached: 2,
  due: 3,
  'on-track': 4,
  met: 5,
};
const STATUS_WORDS: Record<string, string> = {
  overdue: 'OVERDUE',
  missed: 'MISSED',
  breached: 'BREACHED',
  due: 'due',
  'on-track': 'on track',
  met: 'met',
};

function human(date: string | null | undefined): string {
  return date ? formatDate(parseIsoDate(date)) : '-';
}

function daysBetween(from: string, to: string): number {
  return parseIsoDate(to) - parseIsoDate(from);
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function countWords(results: readonly ReportResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return Object.keys(STATUS_ORDER)
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s) ?? 0} ${STATUS_WORDS[s]?.toLowerCase() ?? s}`)
    .join(', ');
}

/**
 * What a manager reads in a terminal: the most overdue first, then by date, dates written out.
 * Given the terminal's width, a row too long for it puts its reason on a line of its own.
 */
export function formatTable(report: Report, width?: number): string {
  const key = (r: ReportResult) => (r.status === 'overdue' ? r.latest : r.due);
  const sorted = [...report.results].sort(
    (a, b) =>
      (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) ||
      (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
  let rows = sorted.map((r) => {
    const days = daysBetween(r.latest, report.asOf);
    const late = r.status === 'overdue' ? ` (${days} day${days === 1 ? '' : 's'})` : '';
    return [
      `${STATUS_WORDS[r.status] ?? r.status}${late}`,
      SUBJECT_NAMES[r.subject as SubjectKind].one,
      r.id,
      r.requirement,
      human(r.due),
      r.latest === r.due ? '' : human(r.latest),
      r.periodStart ? human(r.met) : human(r.lastEvent),
      r.reason,
    ];
  });
  const out = [
    `Policy ${report.policy}, as of ${human(report.asOf)}: ${report.results.length} results${report.results.length ? ` (${countWords(report.results)})` : ''}`,
    '',
  ];
  let header = ['STATUS', 'SUBJECT', 'ID', 'REQUIREMENT', 'DUE', 'OVERDUE AFTER', 'LAST', 'WHY'];
  if (rows.every((row) => row[5] === '')) {
    // No ranges in play: leave out the empty "overdue after" column.
    header = header.filter((_, i) => i !== 5);
    rows = rows.map((row) => row.filter((_, i) => i !== 5));
  }
  if (rows.length > 0) {
    const lines = table(header, rows);
    const widest = Math.max(...lines.map((line) => line.length));
    if (width === undefined || widest <= width) out.push(...lines);
    else {
      // Too wide: the reason goes under its row, wrapped to the terminal.
      const short = table(
        header.slice(0, -1),
        rows.map((row) => row.slice(0, -1)),
      );
      out.push(short[0] ?? '', short[1] ?? '');
      rows.forEach((row, i) => {
        out.push(
          short[i + 2] ?? '',
          wrap(row[row.length - 1] ?? '', Math.max(40, width - 6), '    '),
        );
      });
    }
  }
  if (report.warnings.length > 0) {
    out.push('', `Warnings (${report.warnings.length}): no due date is given for these`);
    for (const w of report.warnings) {
      const line = `${SUBJECT_NAMES[w.subject].one} ${w.id}: ${w.message}`;
      out.push(
        width === undefined
          ? `  ${line}`
          : wrap(line, Math.max(40, width - 4), '  ').replace(/\n {2}/g, '\n    '),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function formatWarningsForStderr(schedule: Schedule): string {
  return schedule.warnings.map((w) => `warning: ${w.subject} ${w.id}: ${w.message}\n`).join('');
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

export function formatPolicy(description: PolicyDescription): string {
  const out = [
    `${description.name} (${description.id})`,
    `Transcribed from ${description.sourceDocument}`,
    '',
    wrap(description.description, 96, ''),
  ];
  for (const section of description.sections) {
    out.push('', section.title, '='.repeat(section.title.length));
    for (const row of section.rows) {
      out.push('', `${row.label}  [${row.id}]`);
      out.push(wrap(`Applies: ${row.appliesWhen}`, 96, '  '));
      out.push(wrap(`How often: ${row.frequency}`, 96, '  '));
      out.push(wrap(`Source: "${row.source}"`, 96, '  '));
      if (row.interpretation) out.push(wrap(`Read as: ${row.interpretation}`, 96, '  '));
    }
  }
  if (description.notModelled.length > 0) {
    out.push('', 'Not modelled', '============');
    for (const item of description.notModelled) {
      out.push('', wrap(`"${item.source}"`, 96, '  '), wrap(`Why: ${item.reason}`, 96, '  '));
    }
  }
  if (description.closureDays.length > 0) {
    out.push('', `Closure days, on top of bank holidays: ${description.closureDays.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
