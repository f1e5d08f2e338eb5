import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import {
  checkYears,
  childDueDate,
  childRecordType,
  cutoff,
  RETENTION_RULES,
  type RecordType,
} from '../domain/data-protection/retention.js';
import { NotFoundError } from '../domain/errors.js';
import {
  childCounts,
  childrenWithNotesBy,
  closedChildren,
  deleteChildFile,
  deleteLogRows,
  deleteSessions,
  deleteStaffRecords,
  findHold,
  insertHold,
  leaversBy,
  liftHold,
  listHolds,
  logBefore,
  readRules,
  saveRule,
  sessionsDiscussing,
  sessionsOfParticipants,
  staffCounts,
  type ChildCounts,
  type HoldRow,
  type StaffCounts,
} from '../db/data-protection.repository.js';
import type { Db, Queryable } from '../db/database.js';
import { namesOf } from '../db/structure.repository.js';
import { recordAuditIn } from './audit.service.js';
import { invalidateAll } from './due.service.js';

/**
 * Retention (docs/data-protection.md): the periods an administrator sets, legal holds, the
 * report of what is due for deletion today, and deleting it, all in one transaction with an
 * audit entry per person, child or log. The same report is on /admin/retention and from
 * `oversight retention`.
 *
 * What goes together:
 * - a child's file (when closed and its period from the date of birth has passed): its case
 *   discussions, oversight notes, actions about it, events and due dates, and the child;
 * - a leaver's staff supervision records (when their period after the end date has passed):
 *   their personal sections, agenda items, contracts, handovers, grants on their records,
 *   their scheduling history as a worker, and each whole session in which everyone taking part
 *   is such a leaver, once no child discussed in it is still kept. A session discussing a child
 *   whose file is kept stays (without the leaver's personal section): it is part of that
 *   child's decision record.
 * A legal hold on a person keeps every record in which they take part (as supervisee,
 * supervisor, co-worker or author); a hold on a child keeps its file and the sessions about it.
 */

export interface RuleSetting {
  type: RecordType;
  label: string;
  from: string;
  source: string;
  years: number;
  defaultYears: number;
  setBy: string | null;
  setAt: string | null;
  /** Records whose period started on or before this date are due today. */
  cutoff: string;
}

export interface StaffDue {
  personId: string;
  name: string | null;
  end: string;
  sessionIds: string[];
  counts: StaffCounts & { sessions: number };
  contractIds: string[];
  handoverIds: string[];
}

export interface ChildDue {
  childId: string;
  type: RecordType;
  dateOfBirth: string;
  dueDate: string;
  counts: ChildCounts;
}

export interface RetentionReport {
  asOf: string;
  rules: RuleSetting[];
  staff: {
    due: StaffDue[];
    /** Whole sessions of due leavers kept because a child discussed in them is kept. */
    keptWithChild: number;
    held: { personId: string; name: string | null; end: string }[];
  };
  children: {
    due: ChildDue[];
    held: { childId: string; type: RecordType; dueDate: string }[];
    /** Closed files without a date of birth: no period can be counted, so nothing is due. */
    withoutDateOfBirth: number;
  };
  apiCalls: { ids: string[]; oldest: string | null; held: number };
  importHistory: { ids: string[]; oldest: string | null };
}

/** The report's lines, per rule, for the page and the command. */
export interface ReportLine {
  type: RecordType;
  label: string;
  years: number;
  cutoff: string;
  /** Records due for deletion. */
  records: number;
  /** People, children or log rows they belong to. */
  subjects: number;
  subjectWord: string;
  subjectPlural: string;
  oldest: string | null;
  heldBack: number;
  note: string | null;
}

export interface DeletionResult {
  report: RetentionReport;
  lines: ReportLine[];
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function reportLines(report: RetentionReport): ReportLine[] {
  const rule = (type: RecordType) => {
    const r = report.rules.find((x) => x.type === type);
    if (r === undefined) throw new Error(`no rule ${type}`);
    return r;
  };
  const childLine = (type: RecordType): ReportLine => {
    const due = report.children.due.filter((c) => c.type === type);
    return {
      type,
      label: rule(type).label,
      years: rule(type).years,
      cutoff: rule(type).cutoff,
      records: sum(
        due.map(
          (c) =>
            c.counts.caseDiscussions + c.counts.oversightNotes + c.counts.actions + c.counts.events,
        ),
      ),
      subjects: due.length,
      subjectWord: 'child',
      subjectPlural: 'children',
      oldest: due.map((c) => c.dueDate).sort()[0] ?? null,
      heldBack: report.children.held.filter((c) => c.type === type).length,
      note:
        type === 'children-in-need' && report.children.withoutDateOfBirth > 0
          ? `${String(report.children.withoutDateOfBirth)} closed ${report.children.withoutDateOfBirth === 1 ? 'file has' : 'files have'} no date of birth and cannot be counted`
          : null,
    };
  };
  const staff = report.staff.due;
  return [
    {
      type: 'staff-supervision',
      label: rule('staff-supervision').label,
      years: rule('staff-supervision').years,
      cutoff: rule('staff-supervision').cutoff,
      records: sum(
        staff.map(
          (s) =>
            s.counts.sessions +
            s.counts.personalSections +
            s.counts.agendaItems +
            s.counts.contracts +
            s.counts.handovers,
        ),
      ),
      subjects: staff.length,
      subjectWord: 'person',
      subjectPlural: 'people',
      oldest: staff.map((s) => s.end).sort()[0] ?? null,
      heldBack: report.staff.held.length,
      note:
        report.staff.keptWithChild > 0
          ? `${String(report.staff.keptWithChild)} ${report.staff.keptWithChild === 1 ? 'session is' : 'sessions are'} kept with a child’s file`
          : null,
    },
    childLine('children-in-need'),
    childLine('looked-after'),
    {
      type: 'api-calls',
      label: rule('api-calls').label,
      years: rule('api-calls').years,
      cutoff: rule('api-calls').cutoff,
      records: report.apiCalls.ids.length,
      subjects: report.apiCalls.ids.length,
      subjectWord: 'call',
      subjectPlural: 'calls',
      oldest: report.apiCalls.oldest,
      heldBack: report.apiCalls.held,
      note: null,
    },
    {
      type: 'import-history',
      label: rule('import-history').label,
      years: rule('import-history').years,
      cutoff: rule('import-history').cutoff,
      records: report.importHistory.ids.length,
      subjects: report.importHistory.ids.length,
      subjectWord: 'import',
      subjectPlural: 'imports',
      oldest: report.importHistory.oldest,
      heldBack: 0,
      note: null,
    },
  ];
}

/** Who did it: an account's email, or the operating-system user at the command line. */
export interface Actor {
  accountId: string | null;
  actor: string;
}

export class RetentionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async rules(db: Queryable = this.db): Promise<RuleSetting[]> {
    const saved = await readRules(db);
    const today = this.clock.today();
    return RETENTION_RULES.map((info) => {
      const row = saved.find((r) => r.recordType === info.type);
      const years = row?.years ?? info.defaultYears;
      return {
        type: info.type,
        label: info.label,
        from: info.from,
        source: info.source,
        years,
        defaultYears: info.defaultYears,
        setBy: row?.setBy ?? null,
        setAt: row?.setAt ?? null,
        cutoff: cutoff(today, years),
      };
    });
  }

  /**
   * Sets the periods from the administrator's form (text per record type). Problems are
   * returned per field; nothing is saved unless all are right. Each change is audited.
   */
  async setRules(
    who: Actor,
    input: Partial<Record<RecordType, string>>,
  ): Promise<
    | { ok: true; changed: RecordType[] }
    | { ok: false; problems: { field: string; message: string }[] }
  > {
    const problems: { field: string; message: string }[] = [];
    const years = new Map<RecordType, number>();
    for (const info of RETENTION_RULES) {
      const checked = checkYears(info.label, (input[info.type] ?? '').trim());
      if (typeof checked === 'string') problems.push({ field: info.type, message: checked });
      else years.set(info.type, checked);
    }
    if (problems.length > 0) return { ok: false, problems };
    const now = this.clock.now().toISOString();
    const changed: RecordType[] = [];
    await this.db.transaction().execute(async (trx) => {
      const current = await this.rules(trx);
      for (const rule of current) {
        const next = years.get(rule.type);
        if (next === undefined || next === rule.years) continue;
        await saveRule(trx, { recordType: rule.type, years: next, setBy: who.actor, setAt: now });
        await recordAuditIn(trx, this.clock, {
          accountId: who.accountId,
          actor: who.actor,
          action: 'change',
          objectKind: 'retention-rule',
          objectId: rule.type,
          detail: { event: 'retention-rule-set', from: rule.years, to: next },
        });
        changed.push(rule.type);
      }
    });
    return { ok: true, changed };
  }

  // -------------------------------------------------------------------------------------------
  // Legal holds

  async holds(): Promise<(HoldRow & { subjectName: string | null })[]> {
    const holds = await listHolds(this.db);
    const people = await namesOf(
      this.db,
      'people',
      holds.filter((h) => h.subjectKind === 'person').map((h) => h.subjectId),
    );
    const childIds = holds.filter((h) => h.subjectKind === 'child').map((h) => h.subjectId);
    const children = new Map(
      childIds.length === 0
        ? []
        : (
            await this.db
              .selectFrom('children')
              .select(['id', 'name'])
              .where('id', 'in', childIds)
              .execute()
          ).map((c) => [c.id, c.name]),
    );
    return holds.map((h) => ({
      ...h,
      subjectName: (h.subjectKind === 'person' ? people : children).get(h.subjectId) ?? null,
    }));
  }

  async hold(id: string): Promise<HoldRow> {
    const hold = await findHold(this.db, id);
    if (hold === undefined) throw new NotFoundError('legal hold');
    return hold;
  }

  /** Whether the subject exists, so that a hold names something real. */
  async subjectExists(kind: 'person' | 'child', id: string): Promise<boolean> {
    const row =
      kind === 'person'
        ? await this.db.selectFrom('people').select('id').where('id', '=', id).executeTakeFirst()
        : await this.db.selectFrom('children').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  async placeHold(
    who: Actor,
    input: { subjectKind: 'person' | 'child'; subjectId: string; reason: string },
  ): Promise<string> {
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertHold(trx, {
        id,
        subjectKind: input.subjectKind,
        subjectId: input.subjectId,
        reason: input.reason,
        placedBy: who.actor,
        placedAt: this.clock.now().toISOString(),
      });
      await recordAuditIn(trx, this.clock, {
        accountId: who.accountId,
        actor: who.actor,
        action: 'change',
        objectKind: 'legal-hold',
        objectId: id,
        detail: {
          event: 'legal-hold-placed',
          subjectKind: input.subjectKind,
          subjectId: input.subjectId,
        },
      });
    });
    return id;
  }

  async liftHold(who: Actor, id: string, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const hold = await findHold(trx, id);
      if (hold === undefined) throw new NotFoundError('legal hold');
      const changed = await liftHold(trx, id, {
        by: who.actor,
        at: this.clock.now().toISOString(),
        reason,
      });
      if (changed === 0) throw new NotFoundError('legal hold in force');
      await recordAuditIn(trx, this.clock, {
        accountId: who.accountId,
        actor: who.actor,
        action: 'change',
        objectKind: 'legal-hold',
        objectId: id,
        detail: {
          event: 'legal-hold-lifted',
          subjectKind: hold.subjectKind,
          subjectId: hold.subjectId,
        },
      });
    });
  }

  // -------------------------------------------------------------------------------------------
  // The report, and deleting

  /** What is due for deletion today, and what legal holds keep. */
  async report(db: Queryable = this.db): Promise<RetentionReport> {
    const today = this.clock.today();
    const rules = await this.rules(db);
    const years = (type: RecordType) => rules.find((r) => r.type === type)?.years ?? 0;
    const holds = (await listHolds(db)).filter((h) => h.liftedAt === null);
    const heldPeople = new Set(
      holds.filter((h) => h.subjectKind === 'person').map((h) => h.subjectId),
    );
    const heldChildren = new Set(
      holds.filter((h) => h.subjectKind === 'child').map((h) => h.subjectId),
    );

    // Children first: a leaver's session goes only once the children it discusses have gone.
    const closed = await closedChildren(db, today);
    const withoutDateOfBirth = closed.filter((c) => c.dateOfBirth === null).length;
    const candidates = closed.flatMap((c) => {
      if (c.dateOfBirth === null) return [];
      const type = childRecordType(c.everLookedAfter);
      const dueDate = childDueDate(c.dateOfBirth, years(type));
      return dueDate <= today ? [{ childId: c.id, type, dateOfBirth: c.dateOfBirth, dueDate }] : [];
    });
    // Held: a hold on the child, or on anyone taking part in a session about it or writing a
    // note about it.
    const aboutHeldPeople = new Set<string>();
    if (heldPeople.size > 0) {
      for (const s of await sessionsDiscussing(
        db,
        candidates.map((c) => c.childId),
      ))
        if ([s.supervisorId, ...s.participantIds].some((p) => heldPeople.has(p)))
          for (const child of s.childIds) aboutHeldPeople.add(child);
      for (const child of await childrenWithNotesBy(db, [...heldPeople]))
        aboutHeldPeople.add(child);
    }
    const isHeld = (id: string) => heldChildren.has(id) || aboutHeldPeople.has(id);
    const childrenDue: ChildDue[] = [];
    for (const c of candidates.filter((x) => !isHeld(x.childId)))
      childrenDue.push({ ...c, counts: await childCounts(db, c.childId) });
    const goingChildren = new Set(childrenDue.map((c) => c.childId));

    const leavers = await leaversBy(db, cutoff(today, years('staff-supervision')));
    const dueLeavers = leavers.filter((l) => !heldPeople.has(l.id));
    const going = new Set(dueLeavers.map((l) => l.id));
    const sessions = await sessionsOfParticipants(
      db,
      dueLeavers.map((l) => l.id),
    );
    let keptWithChild = 0;
    const sessionOwner = new Map<string, string>();
    for (const s of sessions) {
      if (!s.participantIds.every((p) => going.has(p)) || heldPeople.has(s.supervisorId)) continue;
      if (!s.childIds.every((c) => goingChildren.has(c))) {
        keptWithChild++;
        continue;
      }
      // Counted once, under the first of its people.
      const owner = [...s.participantIds].sort()[0];
      if (owner !== undefined) sessionOwner.set(s.id, owner);
    }
    const staffDue: StaffDue[] = [];
    for (const leaver of dueLeavers) {
      const counts = await staffCounts(db, leaver.id, heldPeople);
      const sessionIds = [...sessionOwner].filter(([, p]) => p === leaver.id).map(([id]) => id);
      // Someone whose records have all gone is not reported again.
      if (
        sessionIds.length +
          counts.personalSections +
          counts.agendaItems +
          counts.contracts +
          counts.handovers +
          counts.events +
          counts.grants ===
        0
      )
        continue;
      staffDue.push({
        personId: leaver.id,
        name: leaver.name,
        end: leaver.end,
        sessionIds,
        counts: {
          sessions: sessionIds.length,
          personalSections: counts.personalSections,
          agendaItems: counts.agendaItems,
          contracts: counts.contracts,
          handovers: counts.handovers,
        },
        contractIds: counts.contractIds,
        handoverIds: counts.handoverIds,
      });
    }

    const instant = (type: RecordType) => `${cutoff(today, years(type))}T00:00:00.000Z`;
    return {
      asOf: today,
      rules,
      staff: {
        due: staffDue,
        keptWithChild,
        held: leavers
          .filter((l) => heldPeople.has(l.id))
          .map((l) => ({ personId: l.id, name: l.name, end: l.end })),
      },
      children: {
        due: childrenDue,
        held: candidates
          .filter((c) => isHeld(c.childId))
          .map((c) => ({ childId: c.childId, type: c.type, dueDate: c.dueDate })),
        withoutDateOfBirth,
      },
      apiCalls: await logBefore(db, 'api_calls', instant('api-calls'), {
        kind: 'child',
        ids: heldChildren,
      }),
      importHistory: await logBefore(db, 'import_history', instant('import-history')),
    };
  }

  /**
   * Deletes everything due today, in one transaction: the report is made again inside it, so
   * that what is deleted is exactly what it says, and a failure part way leaves everything as
   * it was. One audit entry per child, person and log.
   */
  async deleteDue(who: Actor): Promise<DeletionResult> {
    const report = await this.db.transaction().execute(async (trx) => {
      const report = await this.report(trx);
      const audit = (
        objectKind: string,
        objectId: string | null,
        detail: Record<string, unknown>,
      ) =>
        recordAuditIn(trx, this.clock, {
          accountId: who.accountId,
          actor: who.actor,
          action: 'retention-delete',
          objectKind,
          objectId,
          detail,
        });
      for (const child of report.children.due) {
        await deleteChildFile(trx, child.childId);
        await audit('child', child.childId, { rule: child.type, ...child.counts });
      }
      for (const person of report.staff.due) {
        await deleteSessions(trx, person.sessionIds);
        await deleteStaffRecords(trx, person.personId, person);
        await audit('person', person.personId, {
          rule: 'staff-supervision',
          end: person.end,
          ...person.counts,
        });
      }
      if (report.apiCalls.ids.length > 0) {
        await deleteLogRows(trx, 'api_calls', report.apiCalls.ids);
        await audit('api-calls', null, {
          rule: 'api-calls',
          rows: report.apiCalls.ids.length,
          oldest: report.apiCalls.oldest,
        });
      }
      if (report.importHistory.ids.length > 0) {
        await deleteLogRows(trx, 'import_history', report.importHistory.ids);
        await audit('import-history', null, {
          rule: 'import-history',
          rows: report.importHistory.ids.length,
          oldest: report.importHistory.oldest,
        });
      }
      // Due dates are worked out again from what is left.
      if (report.children.due.length > 0 || report.staff.due.length > 0) await invalidateAll(trx);
      return report;
    });
    return { report, lines: reportLines(report) };
  }
}
