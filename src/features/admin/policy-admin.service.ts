import type { Clock } from '../../clock.js';
import {
  closureDayExists,
  policyHistory,
  type PolicyHistoryRow,
} from '../../db/admin.repository.js';
import type { Db } from '../../db/database.js';
import {
  addClosureDay,
  listClosureDays,
  removeClosureDay,
  type ClosureDay,
} from '../../db/policy.repository.js';
import type { Viewer } from '../../domain/access/viewer.js';
import { formatDate, parseIsoDate } from '../../domain/dates/index.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Policy } from '../../domain/scheduling/policy.js';
import { loadPreset, parsePolicy, PolicyError } from '../../policies/index.js';
import { invalidateAll } from '../../services/due.service.js';
import { choosePolicy, loadPolicyVersion, presetIds } from '../../services/policy.service.js';
import { done, refuse, type Outcome, type Problem } from './form-fields.js';
import type { PolicyChoiceInput } from './policy.form.js';

/**
 * The policy and the organisation's closure days: both change everyone's due dates, so each
 * change marks every result for recomputing (invalidateAll) in the same transaction.
 */

function fileProblems(error: PolicyError, field: string): Problem[] {
  return error.problems.map((p) => ({
    field,
    message: p.path ? `${p.path}: ${p.message}` : p.message,
  }));
}

export interface PolicyPage {
  current: {
    versionId: string;
    policyId: string;
    source: 'preset' | 'file';
    effectiveFrom: string;
    policy: Policy;
  } | null;
  history: PolicyHistoryRow[];
  presets: { id: string; name: string; description: string }[];
  today: string;
}

export class PolicyAdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  presetIds(): string[] {
    return presetIds();
  }

  async page(): Promise<PolicyPage> {
    const today = this.clock.today();
    const current = await loadPolicyVersion(this.db, today);
    return {
      current: current && {
        versionId: current.id,
        policyId: current.version.policyId,
        source: current.version.source,
        effectiveFrom: current.version.effectiveFrom,
        policy: current.policy,
      },
      history: await policyHistory(this.db),
      presets: presetIds().map((id) => {
        const preset = loadPreset(id);
        return { id, name: preset.name, description: preset.description };
      }),
      today,
    };
  }

  /** Records a new version; an invalid policy file is refused with every problem found. */
  async choose(viewer: Viewer, choice: PolicyChoiceInput): Promise<Outcome> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await choosePolicy(trx, {
          presetId: choice.presetId,
          document: choice.document,
          effectiveFrom: choice.effectiveFrom,
          reason: choice.reason,
          chosenBy: viewer.accountId,
          chosenAt: this.clock.now().toISOString(),
        });
        await invalidateAll(trx);
      });
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      return {
        ok: false,
        problems: fileProblems(error, choice.presetId === null ? 'document' : 'source'),
      };
    }
    return done();
  }

  /** Every problem of a council's own policy file, without saving anything. */
  documentProblems(document: string): Problem[] {
    try {
      parsePolicy(document, 'the policy file');
      return [];
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      return fileProblems(error, 'document');
    }
  }

  listClosureDays(): Promise<ClosureDay[]> {
    return listClosureDays(this.db);
  }

  async closureDay(date: string): Promise<ClosureDay> {
    const day = (await listClosureDays(this.db)).find((d) => d.date === date);
    if (day === undefined) throw new NotFoundError('closure day');
    return day;
  }

  async addClosureDay(day: ClosureDay): Promise<Outcome> {
    if (await closureDayExists(this.db, day.date))
      return refuse(
        'date',
        `There is already a closure day on ${formatDate(parseIsoDate(day.date))}`,
        '#date-day',
      );
    await this.db.transaction().execute(async (trx) => {
      await addClosureDay(trx, day);
      await invalidateAll(trx);
    });
    return done();
  }

  async removeClosureDay(date: string): Promise<void> {
    await this.closureDay(date);
    await this.db.transaction().execute(async (trx) => {
      await removeClosureDay(trx, date);
      await invalidateAll(trx);
    });
  }
}
