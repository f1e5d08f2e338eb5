import { CsvError, parse, type Options } from 'csv-parse';
import { CsvTokenizer } from './csv-fast.js';
import type { Problems } from './problems.js';
import { textChunks, UnreadableTextError, type TextSource } from './text-source.js';

/**
 * The records of a CSV file, streamed: each is the array of its cells as text (untrimmed), in
 * file order, the heading row first. Record n is spreadsheet row n, since a spreadsheet shows a
 * value with a line break inside one row too. Blank lines come through as `['']`, so that row
 * numbers stay right. A file that cannot be read adds one error and ends the records.
 */
export async function* csvRecords(
  source: TextSource,
  problems: Problems,
  options: { guessDelimiter?: boolean; fast?: boolean } = {},
): AsyncGenerator<string[]> {
  for await (const records of csvBatches(source, problems, options)) yield* records;
}

/**
 * `csvRecords` a batch at a time (the records decoded from one chunk of the file), for the
 * large files: a 100,000-row file then costs a few hundred awaits rather than 100,000.
 */
export async function* csvBatches(
  source: TextSource,
  problems: Problems,
  options: { guessDelimiter?: boolean; fast?: boolean } = {},
): AsyncGenerator<string[][]> {
  let legacyNoted = false;
  const chunks = textChunks(source, () => {
    if (legacyNoted) return;
    legacyNoted = true;
    problems.warning(
      'The file is not saved as UTF-8: it was read as Windows-1252 (what Excel calls "CSV"). ' +
        'Check that names with accents look right, or save the file as "CSV UTF-8".',
    );
  });

  let firstChunk: string | undefined;
  try {
    const head = await chunks.next();
    firstChunk = head.done === true ? '' : head.value;
  } catch (error) {
    if (error instanceof UnreadableTextError) {
      problems.error(error.message);
      return;
    }
    throw error;
  }

  if (options.fast === true) {
    yield* fastBatches(firstChunk, chunks, problems);
    return;
  }

  const parserOptions: Options = {
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  };
  if (options.guessDelimiter === true) parserOptions.delimiter = guessDelimiter(firstChunk);
  const parser = parse(parserOptions);

  // Records are taken from 'data' events rather than the stream's async iterator: a stream that
  // fails throws away what it holds, and every record before a broken one must still be read.
  const state = {
    queue: [] as string[][],
    done: false,
    stopped: false,
    failure: null as unknown,
    wakeReader: null as (() => void) | null,
    wakeFeeder: null as (() => void) | null,
  };
  const wake = (which: 'wakeReader' | 'wakeFeeder') => {
    const resolve = state[which];
    state[which] = null;
    resolve?.();
  };
  parser.on('data', (record: string[]) => {
    state.queue.push(record);
    wake('wakeReader');
  });
  parser.on('error', (error) => {
    state.failure ??= error;
    state.done = true;
    wake('wakeReader');
  });
  parser.on('end', () => {
    state.done = true;
    wake('wakeReader');
  });

  // A function, as the reader sets it while the feeder waits (no narrowing across the await).
  const isStopped = () => state.stopped;
  const feeding = (async () => {
    try {
      if (firstChunk !== '') parser.write(firstChunk);
      for await (const chunk of chunks) {
        if (state.stopped || state.done) return;
        parser.write(chunk);
        // Read on only once the reader has caught up, so that a large file is never held whole.
        while (state.queue.length > 10_000 && !isStopped())
          await new Promise<void>((resolve) => (state.wakeFeeder = resolve));
      }
      if (!state.done) parser.end();
    } catch (error) {
      state.failure ??= error;
      state.done = true;
      wake('wakeReader');
    }
  })();

  try {
    for (;;) {
      if (state.queue.length > 0) {
        const records = state.queue;
        state.queue = [];
        wake('wakeFeeder');
        yield records;
        continue;
      }
      if (state.done) break;
      await new Promise<void>((resolve) => (state.wakeReader = resolve));
    }
  } finally {
    state.stopped = true;
    wake('wakeFeeder');
    if (!parser.destroyed) parser.destroy();
    await feeding;
  }

  const failure = state.failure;
  if (failure === null) return;
  if (failure instanceof CsvError) {
    // `records` counts those read well, the heading row included: the broken one is the next.
    const records = (failure as CsvError & { records?: unknown }).records;
    problems.error(describeCsvError(failure.code, failure.message), {
      row: (typeof records === 'number' ? records : 0) + 1,
    });
  } else if (failure instanceof UnreadableTextError) problems.error(failure.message);
  else throw failure instanceof Error ? failure : new Error('reading the file failed');
}

/** `csvBatches` through CsvTokenizer (csv-fast.ts): comma-separated only. */
async function* fastBatches(
  firstChunk: string,
  chunks: AsyncGenerator<string>,
  problems: Problems,
): AsyncGenerator<string[][]> {
  const tokenizer = new CsvTokenizer();
  const take = (): string[][] => {
    const records = tokenizer.records;
    tokenizer.records = [];
    return records;
  };
  try {
    tokenizer.push(firstChunk);
    yield take();
    for await (const chunk of chunks) {
      tokenizer.push(chunk);
      if (tokenizer.records.length > 0) yield take();
    }
  } catch (error) {
    if (error instanceof UnreadableTextError) {
      yield take();
      problems.error(error.message);
      return;
    }
    throw error;
  }
  tokenizer.end();
  yield take();
  if (tokenizer.unclosedQuote)
    problems.error(describeCsvError('CSV_QUOTE_NOT_CLOSED', ''), { row: tokenizer.count + 1 });
}

/** A spreadsheet saved as "CSV" in some locales uses semicolons or tabs; look at the heading. */
function guessDelimiter(text: string): string {
  const line = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const count = (c: string) => line.split(c).length - 1;
  const [commas, semicolons, tabs] = [count(','), count(';'), count('\t')];
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

function describeCsvError(code: string, message: string): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A value starts with a double quote (") that is never closed, so the rest of the file cannot be read. Check the row named and the rows after it.';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'A value in double quotes is followed by more text before the next comma. Check the quotes in this row.';
    default:
      return `The file cannot be read as CSV here: ${message}`;
  }
}

/** Cells of a heading row, trimmed. */
export function headingsOf(record: readonly string[]): string[] {
  return record.map((cell) => cell.trim());
}

/** True for a record with nothing in it (a blank line, or only commas). */
export function isBlankRecord(record: readonly string[]): boolean {
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}
