import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it, expect } from 'vitest';
import { writeExtract } from '../bench/generate-extract.js';
import { parseIsoDate } from '../src/domain/dates/index.js';
import { computeSchedule } from '../src/domain/scheduling/engine.js';
import type { Extract } from '../src/domain/scheduling/extract.js';
import { toReport } from '../src/domain/scheduling/report.js';
import { loadPreset, presetIds } from '../src/policies/index.js';
import { referenceClocks } from './support/reference-engine.js';

/**
 * The engine against the naive day-by-day reading of §3, on a small extract from the benchmark's
 * generator: ten years of realistic histories (episodes, placements, legal periods, risk, early
 * careers, probation, carers' placements), which random extracts rarely reach.
 */
it(
  'gives every clock of a realistic extract as the naive reading does, under every preset',
  { timeout: 120_000 },
  async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ref-')), 'x.json');
    await writeExtract(file, {
      seed: 7,
      asOf: '2026-11-24',
      children: 300,
      workers: 60,
      fosterCarers: 30,
      teams: 10,
      years: 10,
    });
    const extract = JSON.parse(readFileSync(file, 'utf8')) as Extract;
    let compared = 0;
    for (const id of presetIds()) {
      const policy = loadPreset(id);
      const clocks = toReport(computeSchedule(policy, extract, parseIsoDate('2026-11-24')))
        .results.filter((r) => r.periodStart === undefined)
        .map(({ reason: _r, ...c }) => c);
      const reference = referenceClocks(policy, extract, '2026-11-24');
      expect(clocks.length).toBe(reference.length);
      const byKey = new Map(reference.map((c) => [`${c.subject} ${c.id} ${c.requirement}`, c]));
      for (const c of clocks) expect(c).toEqual(byKey.get(`${c.subject} ${c.id} ${c.requirement}`));
      compared += clocks.length;
    }
    expect(compared).toBeGreaterThan(300);
  },
);
