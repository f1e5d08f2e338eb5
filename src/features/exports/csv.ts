import { defuse, type Cell, type Table } from './table.js';

/**
 * CSV as RFC 4180 has it (comma separated, CRLF line ends, a field quoted when it holds a comma,
 * a quote or a line break, a quote doubled inside), in UTF-8 with a byte-order mark so that
 * Excel reads the names as UTF-8. Text that a spreadsheet would run as a formula is defused.
 */

const BOM = '\uFEFF';

function field(cell: Cell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell) : defuse(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(cells: readonly Cell[]): string {
  return `${cells.map(field).join(',')}\r\n`;
}

/** The file in pieces: the header line, then one piece per batch of rows. */
export async function* csvChunks(table: Table): AsyncGenerator<string> {
  yield BOM + line(table.columns.map((c) => c.header));
  for await (const batch of table.batches) {
    let text = '';
    for (const row of batch) text += line(row);
    if (text !== '') yield text;
  }
}
