import { readFileSync } from 'node:fs';
import { parseIsoDate } from '../src/domain/dates/index.js';
import { computeSchedule } from '../src/domain/scheduling/engine.js';
import { validateExtract, type Extract } from '../src/domain/scheduling/extract.js';
import { loadPreset } from '../src/policies/index.js';

/**
 * Times, in one fresh process, JSON.parse of an extract file and the engine on the parsed
 * extract. Run by engine.bench.ts; prints one JSON line. With --validate it times the extract's
 * validation instead (in its own process, so that its memory does not count against the engine).
 */

const [file, asOfText, runsText, mode] = process.argv.slice(2);
if (file === undefined || asOfText === undefined)
  throw new Error('usage: engine-measure FILE AS_OF [RUNS] [--validate]');
const runs = Number(runsText ?? '5');
const asOf = parseIsoDate(asOfText);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time<T>(work: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

const text = readFileSync(file, 'utf8');
let extract: Extract | null = null;
const parseTimes: number[] = [];
for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
  extract = null;
  gc();
  const [parsed, ms] = time(() => JSON.parse(text) as Extract);
  extract = parsed;
  parseTimes.push(ms);
}
if (extract === null) throw new Error('nothing parsed');
const document: Extract = extract;

if (mode === '--validate') {
  const [validation, ms] = time(() => validateExtract(document));
  if (!validation.ok)
    throw new Error(
      `the generated extract is invalid: ${JSON.stringify(validation.problems.slice(0, 3))}`,
    );
  process.stdout.write(
    `${JSON.stringify({ validateMs: Math.round(ms), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
} else {
  const presets: Record<string, { medianMs: number; results: number; warnings: number }> = {};
  for (const id of ['placement-led', 'four-weekly']) {
    const policy = loadPreset(id);
    const times: number[] = [];
    let results = 0;
    let warnings = 0;
    for (let i = 0; i < runs; i++) {
      gc();
      const [schedule, ms] = time(() => computeSchedule(policy, document, asOf));
      times.push(ms);
      results = schedule.results.length;
      warnings = schedule.warnings.length;
    }
    presets[id] = { medianMs: Math.round(median(times)), results, warnings };
  }
  process.stdout.write(
    `${JSON.stringify({
      parseMs: Math.round(median(parseTimes)),
      presets,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
}
