import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, Column, Table } from './table.js';

/**
 * An Excel workbook of one sheet, written with exceljs's streaming writer as the rows come: the
 * header row in bold and frozen with a filter on it, each column its width, dates as real dates
 * (shown as 24 Nov 2026, like the service). Strings are written inline rather than shared, so
 * that nothing grows with the number of rows; after each batch the writer waits for the reader
 * to take what it has, so that a slow download holds the reading back instead of filling memory.
 *
 * A text cell of an .xlsx file is text, never a formula, so nothing needs defusing here.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const DATE_FORMAT = 'd mmm yyyy';

/** How much of the sheet's XML may wait for compression before more rows are made. */
const MAX_BACKLOG = 1024 * 1024;

/** The streams the sheet's data waits in (exceljs's StreamBuf keeps its pipes in `pipes`). */
interface Buffered {
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}

function backlog(sheet: ExcelJS.Worksheet): number {
  const stream = (sheet as unknown as { stream?: { pipes?: Buffered[] } }).stream;
  let bytes = 0;
  for (const pipe of stream?.pipes ?? [])
    bytes += (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0);
  return bytes;
}

/** A calendar date as the Date exceljs writes as that day's serial number (midnight UTC). */
function excelDate(iso: string): Date | string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match === null) return iso;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function value(cell: Cell, column: Column | undefined): ExcelJS.CellValue {
  if (cell === null) return null;
  if (column?.type === 'date' && typeof cell === 'string') return excelDate(cell);
  return cell;
}

/** Excel refuses some characters in a sheet's name and more than 31 of them. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'List';
}

export function xlsxStream(
  table: Table,
  options: { sheet: string; onError?: (error: unknown) => void },
): Readable {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Oversight';
  const columns = table.columns;
  const sheet = workbook.addWorksheet(sheetName(options.sheet), {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
  });
  sheet.columns = columns.map((c, i) => ({
    key: String(i),
    width: c.width,
    ...(c.type === 'date' ? { style: { numFmt: DATE_FORMAT } } : {}),
  }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  /** Until the reader has taken what is waiting; refused if the download has ended. */
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        out.off('close', closed);
        resolve();
      };
      const closed = () => {
        out.off('drain', done);
        reject(new Error('the download ended before the list was written'));
      };
      out.once('drain', done);
      out.once('close', closed);
    });

  /**
   * Until what the sheet has written is mostly compressed and the reader is not behind. exceljs
   * (4.x) hands the sheet to the zip as a stream that ignores backpressure, so what the zip has
   * not taken yet waits in the stream it is piped into: its length is watched here (and the
   * download's, as a stream would be). Without this, rows are made faster than zlib takes them
   * and a large list sits in memory uncompressed.
   */
  const caughtUp = async () => {
    for (;;) {
      if (out.destroyed) throw new Error('the download ended before the list was written');
      if (backlog(sheet) <= MAX_BACKLOG && !out.writableNeedDrain) return;
      if (out.writableNeedDrain) await drained();
      else await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };

  const write = async () => {
    const header = sheet.addRow(columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    for await (const batch of table.batches) {
      for (const row of batch) sheet.addRow(row.map((cell, i) => value(cell, columns[i]))).commit();
      await caughtUp();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    // A download that ended early (the reader went away) is no failure of the workbook's.
    if (!out.destroyed) options.onError?.(error);
    out.destroy(new Error('the list could not be written'));
  });
  return out;
}
