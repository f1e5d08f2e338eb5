import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hasErrors } from '../src/domain/imports/index.js';
import { parseSsda903Csv } from '../src/domain/imports/ssda903-csv.js';
import { writeEpisodesFixture } from './ssda903-fixture.js';

/**
 * Times the SSDA903 Episodes parser on a large synthetic file (ssda903-fixture.ts): streamed
 * from disk as the service would (a file read stream handed to the pure parser), and from a
 * string already in memory. Target: 100,000 rows well under 2 s. The last line printed is one
 * JSON object with the figures.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/imports.bench.js [--rows 100000] [--runs 5]
 */

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '20261124' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const log = (line: string) => process.stderr.write(`${line}\n`);

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const dir = mkdtempSync(join(tmpdir(), 'oversight-imports-bench-'));
try {
  const file = join(dir, 'episodes.csv');
  const bytes = await writeEpisodesFixture(file, { rows, seed: Number(values.seed) });
  log(`generated ${file}: ${rows} episodes, ${(bytes / 1e6).toFixed(1)} MB`);

  const streamed: number[] = [];
  const inMemory: number[] = [];
  let children = 0;
  let problems = 0;
  for (let run = 0; run < runs; run++) {
    let start = process.hrtime.bigint();
    const result = await parseSsda903Csv([
      { name: 'episodes.csv', content: createReadStream(file) },
    ]);
    streamed.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (hasErrors(result.problems))
      throw new Error(`the fixture has errors: ${JSON.stringify(result.problems.slice(0, 3))}`);
    children = result.batch.children.size;
    problems = result.problems.length;

    const text = readFileSync(file, 'utf8');
    start = process.hrtime.bigint();
    await parseSsda903Csv([{ name: 'episodes.csv', content: text }]);
    inMemory.push(Number(process.hrtime.bigint() - start) / 1e6);
    log(
      `run ${run + 1}: streamed ${streamed[run]?.toFixed(0)} ms, in memory ${inMemory[run]?.toFixed(0)} ms`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({
      rows,
      children,
      warnings: problems,
      streamedMs: Math.round(median(streamed)),
      inMemoryMs: Math.round(median(inMemory)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
