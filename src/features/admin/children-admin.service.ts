import type { Clock } from '../../clock.js';
import {
  addAllocation,
  addChildPeriod,
  addRisk,
  childRecords,
  endAllocation,
  endChildPeriod,
  findChild,
  findChildPeriod,
  insertChild,
  peopleDirectory,
  searchChildren,
  teamExists,
  updateChild,
  type ChildListRow,
  type ChildRecords,
} from '../../db/admin.repository.js';
import type { Db, Queryable } from '../../db/database.js';
import { listTeams, type TeamSummary } from '../../db/structure.repository.js';
import { addDays, formatDate, parseIsoDate, toIsoDate } from '../../domain/dates/index.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ChildDetails } from './child.form.js';
import type { NewRecord, PeriodKind } from './child-record.form.js';
import { done, refuse, type Outcome } from './form-fields.js';
import { recomputeTouched } from './keep-current.js';
import type { Reallocation } from './reallocate.form.js';

/**
 * A child's records as an administrator keeps them: details, periods, risk and allocation. No
 * due dates here: administrators see the structure, not the case. Every change recomputes the
 * child's due dates in its transaction.
 */

export const CHILD_SEARCH_LIMIT = 50;

export interface OpenPeriod {
  id: string;
  type: string;
  start: string;
}

export class ChildrenAdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  search(q: string): Promise<ChildListRow[]> {
    return searchChildren(this.db, q, CHILD_SEARCH_LIMIT);
  }

  async child(id: string): Promise<{ child: ChildListRow; records: ChildRecords }> {
    const child = await findChild(this.db, id);
    if (child === undefined) throw new NotFoundError('child');
    return { child, records: await childRecords(this.db, id) };
  }

  private async changeChild<T>(id: string, write: (trx: Queryable) => Promise<T>): Promise<T> {
    const today = this.clock.today();
    return this.db.transaction().execute(async (trx) => {
      const result = await write(trx);
      await recomputeTouched(trx, today, { child: [id] });
      return result;
    });
  }

  async add(details: ChildDetails): Promise<Outcome<string>> {
    const id = details.id ?? '';
    if ((await findChild(this.db, id)) !== undefined)
      return refuse('id', `There is already a child with the code ${id}`);
    await this.changeChild(id, (trx) =>
      insertChild(trx, { id, name: details.name, dateOfBirth: details.dateOfBirth }),
    );
    return done(id);
  }

  async updateDetails(id: string, details: ChildDetails): Promise<void> {
    await this.child(id);
    await this.changeChild(id, (trx) =>
      updateChild(trx, id, { name: details.name, dateOfBirth: details.dateOfBirth }),
    );
  }

  async addRecord(id: string, record: NewRecord): Promise<Outcome> {
    await this.child(id);
    if (record.kind === 'risk') {
      const added = await this.changeChild(id, (trx) =>
        addRisk(trx, id, { level: record.level, from: record.from }),
      );
      if (!added)
        return refuse(
          'start',
          `There is already a risk entry from ${formatDate(parseIsoDate(record.from))}`,
          '#start-day',
        );
      return done();
    }
    await this.changeChild(id, (trx) =>
      addChildPeriod(trx, record.kind, id, {
        type: record.type,
        start: record.start,
        end: record.end,
        stableFrom: record.stableFrom,
      }),
    );
    return done();
  }

  /** A period that is still open (no end date), for ending it. */
  async openPeriod(id: string, kind: PeriodKind, recordId: string): Promise<OpenPeriod> {
    await this.child(id);
    const period = await findChildPeriod(this.db, kind, id, recordId);
    if (period === undefined || period.end !== null) throw new NotFoundError('period');
    return { id: period.id, type: period.type, start: period.start };
  }

  async endPeriod(id: string, kind: PeriodKind, recordId: string, end: string): Promise<void> {
    await this.openPeriod(id, kind, recordId);
    await this.changeChild(id, (trx) => endChildPeriod(trx, kind, id, recordId, end));
  }

  async allocationOptions(): Promise<{
    workers: { id: string; name: string | null; teamId: string | null; end: string | null }[];
    teams: TeamSummary[];
  }> {
    return { workers: await peopleDirectory(this.db), teams: await listTeams(this.db) };
  }

  /**
   * Ends the current allocation the day before `from` and allocates the child to the worker
   * (in the chosen team, or the worker's own) from `from`.
   */
  async reallocate(id: string, change: Reallocation): Promise<Outcome> {
    const { records } = await this.child(id);
    const worker = (await peopleDirectory(this.db)).find((p) => p.id === change.workerId);
    if (worker === undefined) return refuse('workerId', 'Select a worker from the list');
    if (change.teamId !== null && !(await teamExists(this.db, change.teamId)))
      return refuse('teamId', 'Select a team from the list');
    const teamId = change.teamId ?? worker.teamId;
    const current = records.allocations.filter((a) => a.end === null || a.end >= change.from);
    const later = current.find((a) => a.start >= change.from);
    if (later !== undefined)
      return refuse(
        'from',
        `The new allocation must start after the current one, which began on ${formatDate(parseIsoDate(later.start))}`,
        '#from-day',
      );
    const dayBefore = toIsoDate(addDays(parseIsoDate(change.from), -1));
    await this.changeChild(id, async (trx) => {
      for (const allocation of current) await endAllocation(trx, allocation.id, dayBefore);
      await addAllocation(trx, id, { workerId: worker.id, teamId, start: change.from });
    });
    return done();
  }
}
