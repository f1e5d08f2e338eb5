import { toIsoDate } from '../domain/dates/index.js';
import { EMPTY_SNAPSHOT, type OrganisationSnapshot } from '../domain/organisation/snapshot.js';
import { toExtract } from '../domain/organisation/to-extract.js';
import { validateExtract, type InputProblem } from '../domain/scheduling/extract.js';
import type { Db, Queryable, SubjectKindColumn } from '../db/database.js';
import { countOverridesOn, countServiceEvents, subjectIdsAfter } from '../db/export.repository.js';
import {
  readChildren,
  readFosterCarers,
  readPeople,
  readTeams,
} from '../db/organisation.repository.js';
import { listClosureDays } from '../db/policy.repository.js';
import { loadPolicyVersion } from './policy.service.js';

/**
 * The whole organisation as the extract of spec/scheduling.md §6, which `oversight due` reads
 * back to the dates the service shows: every child, person (as a worker), foster carer and team
 * with their records and every event, those recorded in the service (signed records, oversight
 * notes, contracts) as well as those imported. Names, structure and allocations stay behind, as
 * toExtract leaves them. Written in pieces of EXTRACT_BATCH subjects, so that memory stays flat
 * for a council of any size: one subject per line, in id order, so that two extracts compare
 * line by line.
 */

export const EXTRACT_BATCH = 1000;

export interface ExtractCounts {
  children: number;
  workers: number;
  fosterCarers: number;
  teams: number;
  events: number;
}

/** A record in the database that the extract format cannot hold (so nothing is written). */
export class ExtractExportError extends Error {
  constructor(readonly problems: readonly { subject: string; problem: InputProblem }[]) {
    super(
      `the database holds ${problems.length === 1 ? 'a record' : `${String(problems.length)} records`} the extract cannot hold:\n` +
        problems
          .map(
            ({ subject, problem }) =>
              `  ${subject}${problem.path === '' ? '' : `: ${problem.path}`}: ${problem.message}`,
          )
          .join('\n'),
    );
    this.name = 'ExtractExportError';
  }
}

const SECTIONS = [
  { kind: 'child', key: 'children', words: 'child' },
  { kind: 'worker', key: 'workers', words: 'worker' },
  { kind: 'fosterCarer', key: 'fosterCarers', words: 'foster carer' },
  { kind: 'team', key: 'teams', words: 'team' },
] as const satisfies readonly { kind: SubjectKindColumn; key: string; words: string }[];

type Section = (typeof SECTIONS)[number];

async function snapshotOf(
  db: Queryable,
  kind: SubjectKindColumn,
  ids: readonly string[],
): Promise<OrganisationSnapshot> {
  // Each read keeps the ids' order where it sorts otherwise (teams by name).
  const order = new Map(ids.map((id, i) => [id, i]));
  const byId = <T extends { id: string }>(list: T[]) =>
    list.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  switch (kind) {
    case 'child':
      return { ...EMPTY_SNAPSHOT, children: await readChildren(db, ids) };
    case 'worker':
      return { ...EMPTY_SNAPSHOT, people: byId(await readPeople(db, ids)) };
    case 'fosterCarer':
      return { ...EMPTY_SNAPSHOT, fosterCarers: byId(await readFosterCarers(db, ids)) };
    case 'team':
      return { ...EMPTY_SNAPSHOT, teams: byId(await readTeams(db, ids)) };
  }
}

/** One section's subjects of a batch, checked against §6 as `oversight due` will check them. */
function checked(section: Section, snapshot: OrganisationSnapshot): { id: string }[] {
  const extract = toExtract(snapshot);
  const subjects: { id: string }[] = extract[section.key] ?? [];
  const validation = validateExtract({ [section.key]: subjects });
  if (!validation.ok) {
    throw new ExtractExportError(
      validation.problems.map((problem) => {
        // `children[3].involvements[0].end` → the child's id and `involvements[0].end`.
        const match = /^[A-Za-z]+\[(\d+)\]\.?(.*)$/.exec(problem.path);
        const subject = match === null ? undefined : subjects[Number(match[1])];
        return subject === undefined
          ? { subject: section.words, problem }
          : {
              subject: `${section.words} ${subject.id}`,
              problem: { path: match?.[2] ?? '', message: problem.message },
            };
      }),
    );
  }
  return subjects;
}

/**
 * Writes the extract through `write` (awaited, so a slow reader holds the reading back), reading
 * the database `batch` subjects at a time. Give it a transaction for one consistent reading.
 * Throws ExtractExportError for a record the extract cannot hold, before writing the batch that
 * holds it (what was written before it is then incomplete: the command writes a file under
 * another name and renames it only once whole).
 */
export async function writeExtract(
  db: Queryable,
  write: (text: string) => void | Promise<void>,
  options: { batch?: number } = {},
): Promise<ExtractCounts> {
  const batch = options.batch ?? EXTRACT_BATCH;
  const counts: ExtractCounts = { children: 0, workers: 0, fosterCarers: 0, teams: 0, events: 0 };
  await write('{\n');
  for (const [s, section] of SECTIONS.entries()) {
    await write(`${JSON.stringify(section.key)}: [`);
    let after: string | null = null;
    let first = true;
    for (;;) {
      const ids = await subjectIdsAfter(db, section.kind, after, batch);
      if (ids.length === 0) break;
      after = ids[ids.length - 1] ?? null;
      const subjects = checked(section, await snapshotOf(db, section.kind, ids));
      let text = '';
      for (const subject of subjects) {
        text += `${first ? '\n' : ',\n'}${JSON.stringify(subject)}`;
        first = false;
        counts.events += (subject as { events?: readonly unknown[] | null }).events?.length ?? 0;
      }
      counts[section.key] += subjects.length;
      await write(text);
      if (ids.length < batch) break;
    }
    await write(`${first ? '' : '\n'}]${s === SECTIONS.length - 1 ? '' : ','}\n`);
  }
  await write('}\n');
  return counts;
}

/** What reading the extract back needs beside it: the policy, and what the service adds. */
export interface ExtractContext {
  /** The policy in force on the day, or null when none is chosen. */
  policy: { id: string; name: string; source: 'preset' | 'file'; effectiveFrom: string } | null;
  /** Closure days the service counts that the policy itself does not list. */
  closureDays: string[];
  /** Managers' overrides in force on the day (the extract holds the policy's own dates). */
  overrides: number;
  /** Events recorded in the service itself, included in the extract. */
  serviceEvents: number;
}

export async function extractContext(db: Queryable, asOf: string): Promise<ExtractContext> {
  const version = await loadPolicyVersion(db, asOf);
  const policyDays = new Set((version?.policy.closureDays ?? []).map(toIsoDate));
  const closureDays = (await listClosureDays(db))
    .map((d) => d.date)
    .filter((date) => !policyDays.has(date));
  return {
    policy:
      version === null
        ? null
        : {
            id: version.policy.id,
            name: version.policy.name,
            source: version.version.source,
            effectiveFrom: version.version.effectiveFrom,
          },
    closureDays,
    overrides: await countOverridesOn(db, asOf),
    serviceEvents: await countServiceEvents(db),
  };
}

/**
 * The extract and its context from one consistent reading of the database (on PostgreSQL a
 * read-only repeatable-read transaction; SQLite's transaction reads one snapshot of the file),
 * so that a record signed meanwhile is either wholly in it or not at all.
 */
export async function exportExtract(
  db: Db,
  asOf: string,
  write: (text: string) => void | Promise<void>,
  options: { batch?: number } = {},
): Promise<{ counts: ExtractCounts; context: ExtractContext }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const context = await extractContext(trx, asOf);
      const counts = await writeExtract(trx, write, options);
      return { counts, context };
    });
}
