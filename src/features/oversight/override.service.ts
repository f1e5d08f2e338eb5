import type { Clock } from '../../clock.js';
import { mayLoosen, mayTighten, type Viewer } from '../../domain/access/viewer.js';
import {
  parseIsoDate,
  parseOffset,
  frequencyWords,
  WorkingDayCalendar,
} from '../../domain/dates/index.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { classifyOverride } from '../../domain/scheduling/override.js';
import type { Rule } from '../../domain/scheduling/policy.js';
import type { Db } from '../../db/database.js';
import { dueForSubject } from '../../db/due.repository.js';
import { addOverride, endOverrides } from '../../db/policy.repository.js';
import { maySee } from '../../db/scope.js';
import { ensureCurrent, loadDueContext, recomputeSubjects } from '../../services/due.service.js';

/**
 * Setting and ending a manager's override of a child's case-supervision frequency. Tightening
 * is for managers; loosening (a longer interval than the policy's) needs a service manager or
 * above. Both need a reason, and the child's due dates move in the same transaction.
 */

export type SetOverrideResult =
  { ok: true; direction: 'tighten' | 'loosen' } | { ok: false; message: string; field: string };

export class OverrideService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async set(
    viewer: Viewer,
    childId: string,
    change: { every: string; until: string; reason: string },
  ): Promise<SetOverrideResult> {
    const { asOf } = await ensureCurrent(this.db, this.clock);
    if (!(await maySee(this.db, viewer.scope, 'child', childId))) throw new NotFoundError('child');
    if (!mayTighten(viewer)) throw new ForbiddenError('override');
    const ctx = await loadDueContext(this.db, asOf);
    const result = (await dueForSubject(this.db, viewer.scope, 'child', childId)).find(
      (r) => r.requirement === 'case-supervision' && r.periodStart === null,
    );
    if (ctx === null || result === undefined) {
      return {
        ok: false,
        field: 'everyCount',
        message:
          'This child has no case supervision requirement today, so there is nothing to override',
      };
    }
    const every = parseOffset(change.every);
    if (typeof every === 'string') return { ok: false, field: 'everyCount', message: every };
    const rules = (ctx.policy.rules['case-supervision'] ?? []).filter((r: Rule) =>
      result.rules.includes(r.id),
    );
    const calendar = new WorkingDayCalendar(ctx.policy.closureDays);
    const direction = classifyOverride(every, rules, parseIsoDate(asOf), calendar);
    if (direction === 'loosen' && !mayLoosen(viewer)) {
      const policyWords = rules.map((r) => frequencyWords(r.every)).join(' or ');
      return {
        ok: false,
        field: 'everyCount',
        message: `${frequencyWords(every)} is less often than the policy asks (${policyWords}); only a service manager or above can loosen a child's schedule`,
      };
    }
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await endOverrides(trx, childId, viewer.accountId, now);
      await addOverride(trx, {
        childId,
        every: change.every,
        starts: asOf,
        until: change.until,
        direction,
        reason: change.reason,
        setBy: viewer.accountId,
        setByName: viewer.name,
        setAt: now,
      });
      await recomputeSubjects(trx, await loadDueContext(trx, asOf), 'child', [childId]);
    });
    return { ok: true, direction };
  }

  async end(viewer: Viewer, childId: string): Promise<void> {
    const { asOf } = await ensureCurrent(this.db, this.clock);
    if (!(await maySee(this.db, viewer.scope, 'child', childId))) throw new NotFoundError('child');
    if (!mayTighten(viewer)) throw new ForbiddenError('override');
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await endOverrides(trx, childId, viewer.accountId, now);
      await recomputeSubjects(trx, await loadDueContext(trx, asOf), 'child', [childId]);
    });
  }
}
