import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../../src/domain/imports/csv-fast.js';
import { csvRecords } from '../../src/domain/imports/csv.js';
import {
  BAD_DATE,
  describeBadDate,
  isoOf,
  NO_DATE,
  readDate,
} from '../../src/domain/imports/dates.js';
import { normaliseHeading } from '../../src/domain/imports/headings.js';
import { Problems } from '../../src/domain/imports/problems.js';

function tokenize(chunks: string[]): { records: string[][]; unclosed: boolean } {
  const tokenizer = new CsvTokenizer();
  const records: string[][] = [];
  for (const chunk of chunks) {
    tokenizer.push(chunk);
    records.push(...tokenizer.records);
    tokenizer.records = [];
  }
  tokenizer.end();
  records.push(...tokenizer.records);
  return { records, unclosed: tokenizer.unclosedQuote };
}

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

const csvParse = (text: string): string[][] => parse(text, CSV_PARSE_OPTIONS);

const CSV_PARSE_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false };

describe('the fast CSV tokenizer reads what csv-parse reads', () => {
  const cell = fc.oneof(
    fc.constantFrom('', 'a', 'N1', '01/04/2024', 'SC123456', ' x '),
    fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') }),
  );
  const quoteCell = (value: string) =>
    /[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;

  it('for any records written as RFC 4180, cut into any chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, eol, finalEol, cuts) => {
          const text =
            rows.map((r) => r.map(quoteCell).join(',')).join(eol) + (finalEol ? eol : '');
          const expected = csvParse(text);
          expect(tokenize(splitAt(text, cuts)).records).toEqual(expected);
        },
      ),
    );
  });

  it('for any unquoted cells with quotes inside them (5" tall), cut into any chunks', () => {
    const inner = fc
      .tuple(
        fc.constantFrom('a', 'b', ' ', '1'),
        fc.string({ unit: fc.constantFrom('a', 'b', '"', ' '), maxLength: 6 }),
      )
      .map(([first, rest]) => first + rest);
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(inner, fc.constant('')), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (rows, cuts) => {
          const text = rows.map((r) => r.join(',')).join('\n');
          const expected = csvParse(text);
          expect(tokenize(splitAt(text, cuts))).toEqual({ records: expected, unclosed: false });
        },
      ),
    );
  });

  it.each([
    ['blank lines', 'a,b\n\n1,2\n'],
    ['a quote inside an unquoted cell', 'a,b\n5" tall,2\n'],
    ['text after a closing quote', 'a,b\n"3"x,4\n'],
    ['only commas', ',,\n'],
    ['no final line end', 'a,b\n1,2'],
    ['a cell ending the file after a comma', 'a,b\n1,'],
  ])('for %s', (_, text) => {
    const expected = csvParse(text);
    for (let cut = 0; cut <= text.length; cut++)
      expect(tokenize([text.slice(0, cut), text.slice(cut)]).records).toEqual(expected);
  });

  it('reads any line end anywhere (csv-parse keeps to the first kind it meets)', () => {
    expect(tokenize(['a\r1\r\n2\n3']).records).toEqual([['a'], ['1'], ['2'], ['3']]);
  });

  it('reports a quote never closed, after the records before it', () => {
    expect(tokenize(['a,b\n1,2\n"3,', '4\n'])).toEqual({
      records: [
        ['a', 'b'],
        ['1', '2'],
      ],
      unclosed: true,
    });
  });
});

describe('csvRecords', () => {
  it('guesses a semicolon or tab delimiter from the heading when asked', async () => {
    const read = async (text: string) => {
      const records: string[][] = [];
      for await (const r of csvRecords(text, new Problems('f.csv'), { guessDelimiter: true }))
        records.push(r);
      return records;
    };
    expect(await read('a;b\n1;2,5\n')).toEqual([
      ['a', 'b'],
      ['1', '2,5'],
    ]);
    expect(await read('a\tb\n1\t2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('stops early without leaving anything running', async () => {
    const problems = new Problems('f.csv');
    const lines = Array.from({ length: 50_000 }, (_, i) => `${i},x`).join('\n');
    let seen = 0;
    for await (const _ of csvRecords(lines, problems)) if (++seen === 3) break;
    expect(seen).toBe(3);
    expect(problems.list).toEqual([]);
  });
});

describe('dates', () => {
  it.each([
    ['01/04/2024', '2024-04-01'],
    ['1/4/2024', '2024-04-01'],
    ['01-04-2024', '2024-04-01'],
    ['01.04.2024', '2024-04-01'],
    ['2024-04-01', '2024-04-01'],
    ['2024/4/1', '2024-04-01'],
    [' 29/02/2024 ', '2024-02-29'],
    ['01/09/2025 00:00', '2025-09-01'],
    ['2025-09-01T00:00:00Z', '2025-09-01'],
    ['2025-09-01T10:15:00+01:00', '2025-09-01'],
    ['2025-09-01Z', '2025-09-01'],
    ['2025-09-01+01:00', '2025-09-01'],
  ])('reads %s', (text, iso) => {
    expect(isoOf(readDate(text))).toBe(iso);
  });

  it('reads blank as no date', () => {
    expect(readDate('')).toBe(NO_DATE);
    expect(readDate('   ')).toBe(NO_DATE);
  });

  it.each([
    ['29/02/2023', "'29/02/2023' is not a real date (February 2023 has 28 days)"],
    ['31/04/2024', "'31/04/2024' is not a real date (April 2024 has 30 days)"],
    ['00/04/2024', "'00/04/2024' is not a real date (April 2024 has 30 days)"],
    [
      '04/13/2024',
      "'04/13/2024' is not a real date (there is no month 13: dates are written day first)",
    ],
    ['01/04/24', "'01/04/24' has a two-digit year: write the date as DD/MM/YYYY"],
    ['01/01/0201', "'01/01/0201' is not a plausible date (the year is 201)"],
    ['2024-02-30', "'2024-02-30' is not a real date (February 2024 has 29 days)"],
    ['next week', "'next week' is not a date in the form DD/MM/YYYY"],
    ['45292', "'45292' is not a date in the form DD/MM/YYYY"],
    ['01-04-2024Z', "'01-04-2024Z' is not a date in the form DD/MM/YYYY"],
  ])('rejects %s, saying why', (text, message) => {
    expect(readDate(text)).toBe(BAD_DATE);
    expect(describeBadDate(text)).toBe(message);
  });
});

describe('headings', () => {
  it.each([
    ['Date of Referral', 'date of referral'],
    ['Date of referral ', 'date of referral'],
    ['Child’s Legal Status', 'childs legal status'],
    ["Child's  Legal\u00a0Status", 'childs legal status'],
    ['UASC (Y/N))', 'uasc yn'],
    ['C.I.N. Start Date', 'cin start date'],
    [
      'Number of Episodes the Child has been ‘Missing’',
      'number of episodes the child has been missing',
    ],
    ['C&F Assessment', 'c and f assessment'],
  ])('normalises %s', (heading, normal) => {
    expect(normaliseHeading(heading)).toBe(normal);
  });
});
