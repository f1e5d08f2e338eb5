import { loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { verifyAuditChain, type VerifyProgress } from '../services/audit.service.js';
import type { CliIo } from './io.js';
import { CommandError } from './service-commands.js';

/**
 * `oversight audit verify`: walks the audit trail's hash chain in the database the service uses
 * (DATABASE_URL) and says whether it is unbroken. Exit 0: unbroken, with a one-line summary and
 * the head's hash (note it elsewhere: a later run that ends at a different hash for the same
 * entry means the chain was rewritten). Exit 1: broken, with the first break on standard error.
 * Exit 2: the command was used wrongly, or the database could not be read.
 */

export const EXIT_CHAIN_BROKEN = 1;

const count = new Intl.NumberFormat('en-GB');

export async function auditCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] !== 'verify' || args.length !== 1)
    throw new CommandError('"oversight audit" takes one subcommand: verify', 2);
  const config = loadConfig(io.env ?? {});
  const open = openDatabase(config.database);
  try {
    // An object, so that the callback's writes are seen after the await.
    const line = { drawn: false };
    const onProgress = io.stderrIsTerminal
      ? ({ checked, total }: VerifyProgress) => {
          line.drawn = true;
          io.stderr(`\rChecked ${count.format(checked)} of ${count.format(total)} entries`);
        }
      : undefined;
    let report;
    try {
      report = await verifyAuditChain(open.db, onProgress === undefined ? {} : { onProgress });
    } catch (error) {
      // Not migrated, or not reachable: say so, without quoting what the database said.
      const code = (error as { code?: unknown }).code;
      throw new CommandError(
        `oversight audit verify: the audit trail could not be read${typeof code === 'string' ? ` (${code})` : ''}; is DATABASE_URL right, and has "oversight db migrate" been run?`,
        2,
      );
    } finally {
      if (line.drawn) io.stderr('\n');
    }
    if (!report.ok) {
      io.stderr(
        `The audit trail is broken: ${report.problem}.\n` +
          `${count.format(report.entries)} ${report.entries === 1 ? 'entry' : 'entries'} before the break ${report.entries === 1 ? 'is' : 'are'} unbroken.\n`,
      );
      return EXIT_CHAIN_BROKEN;
    }
    await io.stdout(
      report.last === null || report.first === null
        ? 'The audit trail is unbroken: it has no entries yet.\n'
        : `The audit trail is unbroken: ${count.format(report.entries)} ${report.entries === 1 ? 'entry' : 'entries'}, from ${String(report.first.seq)} (${report.first.at}) to ${String(report.last.seq)} (${report.last.at}); head hash ${report.headHash}.\n`,
    );
    return 0;
  } finally {
    await open.close();
  }
}
