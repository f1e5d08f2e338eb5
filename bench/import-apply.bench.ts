import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fixedClock } from '../src/clock.js';
import { migrateToLatest, openDatabase } from '../src/db/create-db.js';
import { applyImport } from '../src/services/data-import.service.js';
import { ensureCurrent } from '../src/services/due.service.js';
import { setUpOrganisation } from '../src/services/organisation.service.js';
import { choosePolicy } from '../src/services/policy.service.js';
import { writeEpisodesFixture } from './ssda903-fixture.js';

/**
 * `npm run bench` (after the engine): a 100,000-row SSDA903 Episodes file (ssda903-fixture.ts)
 * read from disk, parsed and applied with `oversight import ssda903`'s own code
 * (data-import.service.ts) into a fresh SQLite database file holding an organisation and a
 * policy; then the same file again (nothing changes, so nothing is written); then, separately,
 * the due dates of everyone the import added (not part of the import's figure: the service
 * computes them as it does after any first import). Target: the import under 10 s. The last
 * line printed is one JSON object with the figures.
 */

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20261124' },
    'as-of': { type: 'string', default: '2026-11-24' },
  },
});
const rows = Number(values.rows);
const today = values['as-of'];
const clock = fixedClock(today);
const log = (line: string) => process.stderr.write(`${line}\n`);
const TARGET_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'oversight-import-bench-'));
try {
  const file = join(dir, 'episodes.csv');
  const bytes = await writeEpisodesFixture(file, { rows, seed: Number(values.seed) });
  log(`generated ${file}: ${rows} episodes, ${(bytes / 1e6).toFixed(1)} MB`);

  const open = openDatabase({ kind: 'sqlite', file: join(dir, 'oversight.sqlite') });
  try {
    await migrateToLatest(open.db);
    await setUpOrganisation(open.db, clock, { demo: false, councilName: 'Bench Council' });
    await choosePolicy(open.db, {
      presetId: 'four-weekly',
      document: null,
      effectiveFrom: '2010-01-01',
      reason: 'bench',
      chosenBy: null,
      chosenAt: `${today}T09:00:00.000Z`,
    });
    const options = { today, now: `${today}T09:00:00.000Z`, by: 'bench' };

    let start = process.hrtime.bigint();
    const files = [{ name: 'episodes.csv', content: new Uint8Array(readFileSync(file)) }];
    const first = await applyImport(open.db, 'ssda903', files, options);
    const importMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (!first.applied || first.summary === null)
      throw new Error(`the import was refused: ${JSON.stringify(first.problems.slice(0, 3))}`);
    log(`import: ${first.summary.written.children} children written in ${importMs.toFixed(0)} ms`);

    start = process.hrtime.bigint();
    const again = await applyImport(
      open.db,
      'ssda903',
      [{ name: 'episodes.csv', content: new Uint8Array(readFileSync(file)) }],
      options,
    );
    const againMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (again.summary?.written.children !== 0)
      throw new Error('importing the same file again wrote children');
    log(`the same file again: nothing written, ${againMs.toFixed(0)} ms`);

    start = process.hrtime.bigint();
    await ensureCurrent(open.db, clock);
    const dueMs = Number(process.hrtime.bigint() - start) / 1e6;
    log(`due dates of everyone afterwards (not part of the import): ${dueMs.toFixed(0)} ms`);

    const result = {
      rows,
      children: first.summary.written.children,
      importMs: Math.round(importMs),
      reimportMs: Math.round(againMs),
      dueAfterMs: Math.round(dueMs),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const met = result.importMs < TARGET_MS;
    log(
      met
        ? 'target met: a 100,000-row SSDA903 import under 10 s'
        : 'TARGET MISSED: a 100,000-row SSDA903 import under 10 s',
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!met) process.exitCode = 1;
  } finally {
    await open.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
