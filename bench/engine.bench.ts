import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeExtract } from './generate-extract.js';

/**
 * `npm run bench`: generates a council-scale extract (seeded, so every run reads the same data),
 * then times JSON.parse of it and the engine on it, in a fresh process, for the placement-led
 * and four-weekly presets. Targets: engineMs ≤ parseMs, peakRssMb < 1536. The last line printed
 * is one JSON object with the figures.
 */

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '6000' },
    'foster-carers': { type: 'string', default: '3000' },
    teams: { type: 'string', default: '300' },
    runs: { type: 'string', default: '5' },
    'as-of': { type: 'string', default: '2026-11-24' },
    seed: { type: 'string', default: '20261124' },
    keep: { type: 'boolean', default: false },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'oversight-bench-'));
const file = join(dir, 'extract.json');
const asOf = values['as-of'];
const log = (line: string) => process.stderr.write(`${line}\n`);

try {
  const started = Date.now();
  const summary = await writeExtract(file, {
    seed: Number(values.seed),
    asOf,
    children: Number(values.children),
    workers: Number(values.workers),
    fosterCarers: Number(values['foster-carers']),
    teams: Number(values.teams),
    years: 10,
  });
  log(
    `generated ${file}: ${summary.children} children (${summary.openChildren} open on ${asOf}), ${summary.workers} workers, ` +
      `${summary.fosterCarers} foster carers, ${summary.teams} teams, ${summary.events} events, ` +
      `${(summary.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const measure = fileURLToPath(new URL('./engine-measure.js', import.meta.url));
  const run = (...extra: string[]) =>
    JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', measure, file, asOf, values.runs, ...extra], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as Record<string, unknown>;

  const engine = run() as {
    parseMs: number;
    presets: Record<string, { medianMs: number; results: number; warnings: number }>;
    peakRssMb: number;
  };
  for (const [id, figures] of Object.entries(engine.presets)) {
    log(
      `engine, ${id}: median ${figures.medianMs} ms over ${values.runs} runs, ${figures.results} results, ${figures.warnings} warnings`,
    );
  }
  const validation = run('--validate') as { validateMs: number; peakRssMb: number };
  log(
    `JSON.parse: median ${engine.parseMs} ms; validation of the extract (not part of engineMs): ${validation.validateMs} ms, peak ${validation.peakRssMb} MB`,
  );

  const engineMs = Math.max(...Object.values(engine.presets).map((p) => p.medianMs));
  const result = {
    children: summary.children,
    workers: summary.workers,
    events: summary.events,
    parseMs: engine.parseMs,
    engineMs,
    engineEventsPerSec: Math.round(summary.events / (engineMs / 1000)),
    peakRssMb: engine.peakRssMb,
  };
  const met = result.engineMs <= result.parseMs && result.peakRssMb < 1536;
  log(
    met
      ? 'targets met: engineMs ≤ parseMs and peakRssMb < 1536'
      : 'TARGETS MISSED: engineMs ≤ parseMs and peakRssMb < 1536',
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!met) process.exitCode = 1;
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${file}`);
}
