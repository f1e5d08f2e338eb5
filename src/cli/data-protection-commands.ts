import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../db/create-db.js';
import { NotFoundError } from '../domain/errors.js';
import { recordAudit } from '../services/audit.service.js';
import { reportLines, RetentionService, type ReportLine } from '../services/retention.service.js';
import { SubjectAccessService } from '../services/subject-access.service.js';
import type { CliIo } from './io.js';
import { CommandError } from './service-commands.js';

/**
 * `oversight retention [--delete]` and `oversight subject-access PERSON_ID [FILE]`
 * (docs/data-protection.md). They work on the service's database (DATABASE_URL) and act as the
 * operating-system user, who is named in the audit trail.
 */

export const RETENTION_USAGE = `  oversight retention [--delete]
      What is due for deletion today under the retention periods set in Administration, per
      record type: how many records, the oldest, and what legal holds keep. --delete deletes
      it, all or nothing in one transaction, with an audit entry per person, child or log,
      and prints what it deleted.
  oversight subject-access PERSON_ID [FILE]
      Everything held about one member of staff, as one JSON file (standard output by
      default), for a subject access request. Recorded in the audit trail as a download.
`;

function commandLineUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

async function withDatabase<T>(io: CliIo, work: (open: OpenDatabase, clock: Clock) => Promise<T>) {
  const config = loadConfig(io.env ?? {});
  const open = openDatabase(config.database);
  const clock: Clock = { today: () => io.today(), now: () => new Date() };
  try {
    await migrateToLatest(open.db);
    return await work(open, clock);
  } finally {
    await open.close();
  }
}

function plural(n: number, word: string): string {
  const plurals: Record<string, string> = { person: 'people', child: 'children' };
  return `${String(n)} ${n === 1 ? word : (plurals[word] ?? `${word}s`)}`;
}

function lineText(line: ReportLine, verb: 'due' | 'deleted'): string {
  const head = `${line.label} (${plural(line.years, 'year')}; up to ${line.cutoff}):`;
  const what =
    line.records === 0 && line.subjects === 0
      ? verb === 'due'
        ? ' nothing due'
        : ' nothing deleted'
      : ` ${plural(line.records, 'record')} ${verb}, of ${plural(line.subjects, line.subjectWord)}; oldest ${line.oldest ?? 'none'}`;
  const held = line.heldBack > 0 ? `; ${String(line.heldBack)} held back by legal holds` : '';
  const note = line.note === null ? '' : `; ${line.note}`;
  return `  ${head}${what}${held}${note}\n`;
}

export async function retentionCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { delete: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new CommandError(
      `oversight retention: unexpected "${positionals[0] ?? ''}"\n\n${RETENTION_USAGE}`,
      2,
    );
  return withDatabase(io, async (open, clock) => {
    const service = new RetentionService(open.db, clock);
    if (!values.delete) {
      const report = await service.report();
      const lines = reportLines(report);
      await io.stdout(
        `Due for deletion on ${report.asOf}:\n${lines.map((l) => lineText(l, 'due')).join('')}` +
          (lines.some((l) => l.records > 0 || l.subjects > 0)
            ? 'Run "oversight retention --delete" to delete it.\n'
            : 'Nothing is due for deletion.\n'),
      );
      return 0;
    }
    const result = await service.deleteDue({ accountId: null, actor: commandLineUser() });
    await io.stdout(
      `Deleted on ${result.report.asOf}:\n${result.lines.map((l) => lineText(l, 'deleted')).join('')}` +
        result.report.staff.due
          .map(
            (s) =>
              `  person ${s.personId} (left ${s.end}): ${plural(s.counts.sessions, 'session')}, ${plural(s.counts.personalSections, 'personal section')}, ${plural(s.counts.contracts, 'contract')}, ${plural(s.counts.handovers, 'handover')}, ${plural(s.counts.agendaItems, 'agenda item')}\n`,
          )
          .join('') +
        result.report.children.due
          .map(
            (c) =>
              `  child ${c.childId} (${c.type}, due ${c.dueDate}): ${plural(c.counts.caseDiscussions, 'case discussion')}, ${plural(c.counts.oversightNotes, 'oversight note')}, ${plural(c.counts.actions, 'action')}, ${plural(c.counts.events, 'event')}\n`,
          )
          .join(''),
    );
    return 0;
  });
}

export async function subjectAccessCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true });
  const [personId, file, ...rest] = positionals;
  if (personId === undefined || personId === '' || rest.length > 0)
    throw new CommandError(
      `oversight subject-access takes a person's id and, optionally, a file\n\n${RETENTION_USAGE}`,
      2,
    );
  return withDatabase(io, async (open, clock) => {
    const service = new SubjectAccessService(open.db, clock);
    let text: string;
    try {
      text = await service.exportText(personId);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new CommandError(`oversight subject-access: there is no person ${personId}`, 2);
      throw error;
    }
    // Recorded before it is written out: nothing leaves unrecorded.
    await recordAudit(open.db, clock, {
      accountId: null,
      actor: commandLineUser(),
      action: 'download',
      objectKind: 'person',
      objectId: personId,
      detail: { subjectAccess: true, to: file === undefined || file === '-' ? 'stdout' : 'file' },
    });
    if (file === undefined || file === '-') await io.stdout(text);
    else {
      await writeFile(file, text, { encoding: 'utf8', mode: 0o600 });
      io.stderr(`Wrote everything held about ${personId} to ${file}.\n`);
    }
    return 0;
  });
}
