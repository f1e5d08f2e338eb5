import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ImportProblem, ImportResult } from '../../src/domain/imports/index.js';

/**
 * The sample files of the data standards: synthetic validator fixtures published under the MIT
 * licence, copied byte for byte into test/fixtures/data-standards (their provenance, checksums
 * and licence are in SOURCES.md there). OVERSIGHT_SAMPLES points at another folder of them.
 */
export const SAMPLES_DIR =
  process.env.OVERSIGHT_SAMPLES ??
  fileURLToPath(new URL('../fixtures/data-standards/', import.meta.url));
// The copies are part of the repository: a missing folder is a failure, not a reason to skip.
if (!existsSync(SAMPLES_DIR)) throw new Error(`The sample files are missing from ${SAMPLES_DIR}`);

export function samples(prefix: string): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.startsWith(prefix))
    .sort();
}

export const errors = (result: ImportResult | ImportProblem[]): ImportProblem[] =>
  (Array.isArray(result) ? result : result.problems).filter((p) => p.severity === 'error');
export const warnings = (result: ImportResult | ImportProblem[]): ImportProblem[] =>
  (Array.isArray(result) ? result : result.problems).filter((p) => p.severity === 'warning');

/** Every error says where: a row (or line) and, for a row's problem, the column. */
export function expectLocatedErrors(result: ImportResult): void {
  for (const problem of errors(result)) {
    expect(problem.file).not.toBe('');
    expect(problem.row, problem.message).toBeTypeOf('number');
    expect(problem.message.length).toBeGreaterThan(10);
  }
}

/** A text file's content as a stream of byte chunks of `size`, like a file read stream. */
export async function* chunked(text: string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) {
    await Promise.resolve();
    yield bytes.subarray(i, i + size);
  }
}

export const csv = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;
