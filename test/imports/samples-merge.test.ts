import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  mergeBatch,
  parseAnnexA,
  parseCinCensusXml,
  parseSsda903Csv,
  parseSsda903Xml,
  type ImportBatch,
} from '../../src/domain/imports/index.js';
import {
  EMPTY_SNAPSHOT,
  type OrganisationSnapshot,
} from '../../src/domain/organisation/snapshot.js';
import { toExtract } from '../../src/domain/organisation/to-extract.js';
import { validateExtract } from '../../src/domain/scheduling/extract.js';
import { samples, SAMPLES_DIR } from './support.js';

/**
 * Every sample, parsed and merged one after another into one organisation: what comes out is
 * an extract the engine accepts (real dates, no end before its start), and merging any of the
 * batches again changes nothing.
 */
describe('sample files, merged', () => {
  it('give an organisation the engine accepts, and merge idempotently', async () => {
    const stream = (file: string) => createReadStream(join(SAMPLES_DIR, file));
    const batches: ImportBatch[] = [
      (
        await parseSsda903Csv(
          samples('ssda903_csv__').map((name) => ({ name, content: stream(name) })),
        )
      ).batch,
      (
        await parseSsda903Xml({
          name: 'fake_903.xml',
          content: stream(samples('ssda903_xml__')[0] ?? ''),
        })
      ).batch,
      ...(await Promise.all(
        samples('cin_census_xml__').map(
          async (name) => (await parseCinCensusXml({ name, content: stream(name) })).batch,
        ),
      )),
      (
        await parseAnnexA(
          {
            name: 'Annex_A.xlsx',
            content: readFileSync(join(SAMPLES_DIR, samples('annex_a_xlsx__')[0] ?? '')),
          },
          { asOf: '2021-03-31' },
        )
      ).batch,
    ];
    let organisation: OrganisationSnapshot = EMPTY_SNAPSHOT;
    for (const batch of batches) organisation = mergeBatch(organisation, batch).snapshot;

    const validation = validateExtract(toExtract(organisation));
    expect(validation.ok ? [] : validation.problems.slice(0, 5)).toEqual([]);
    expect(organisation.children.length).toBe(2124 + 198 + 2 + 332 + 33);

    for (const batch of batches) {
      const again = mergeBatch(organisation, batch);
      expect(again.snapshot).toEqual(organisation);
      expect(again.summary.children).toMatchObject({ added: 0, changed: 0, closed: 0 });
    }
  });
});
