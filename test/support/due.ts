import { parseIsoDate } from '../../src/domain/dates/index.js';
import { computeSchedule } from '../../src/domain/scheduling/engine.js';
import { validateExtract } from '../../src/domain/scheduling/extract.js';
import { toReport, type Report, type ReportResult } from '../../src/domain/scheduling/report.js';
import { main } from '../../src/cli/main.js';
import { resolvePolicy } from '../../src/policies/index.js';

/**
 * The §7 result document for a policy (preset id or file), a date and an extract, computed
 * in-process exactly as `oversight due --format json` does. Throws if the extract is invalid.
 */
export function due(policy: string, asOf: string, extract: unknown): Report {
  const validation = validateExtract(extract);
  if (!validation.ok) {
    throw new Error(
      `invalid extract: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
  return toReport(computeSchedule(resolvePolicy(policy), validation.extract, parseIsoDate(asOf)));
}

/** The one result for a subject and requirement (and period, for milestones and gates). */
export function resultFor(
  report: Report,
  subject: string,
  id: string,
  requirement: string,
  periodStart?: string,
): ReportResult | undefined {
  return report.results.find(
    (r) =>
      r.subject === subject &&
      r.id === id &&
      r.requirement === requirement &&
      (periodStart === undefined || r.periodStart === periodStart),
  );
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `oversight` command in-process; `files` are what it can read, "-" is stdin. */
export async function runCli(
  args: string[],
  options: {
    files?: Record<string, string | Buffer>;
    stdin?: string;
    today?: string;
    terminal?: boolean;
    columns?: number;
    env?: Record<string, string | undefined>;
    secret?: string;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    readInput: (path) => {
      if (path === '-') return Promise.resolve(Buffer.from(options.stdin ?? ''));
      const content = options.files?.[path];
      if (content === undefined) {
        return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' }));
      }
      return Promise.resolve(Buffer.isBuffer(content) ? content : Buffer.from(content));
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    today: () => options.today ?? '2026-11-24',
    stdoutIsTerminal: options.terminal ?? false,
    ...(options.columns !== undefined ? { terminalColumns: options.columns } : {}),
    env: options.env ?? {},
    readSecret: () => Promise.resolve(options.secret ?? ''),
    readText: (path) => {
      const content = options.files?.[path];
      return content === undefined
        ? Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' }))
        : Promise.resolve(content.toString());
    },
  });
  return { code, stdout, stderr };
}
