import type { Clock } from '../../clock.js';
import { countRecords, policyHistory, type RecordCounts } from '../../db/admin.repository.js';
import type { Db } from '../../db/database.js';
import { getOrganisation } from '../../db/organisation.repository.js';
import { loadPolicyVersion } from '../../services/policy.service.js';

/** The administration overview: the organisation, how much of it there is, the policy in force. */

export interface Overview {
  organisation: { name: string; demo: boolean } | null;
  counts: RecordCounts;
  policy: { policyId: string; name: string; effectiveFrom: string } | null;
  upcoming: { policyId: string; effectiveFrom: string }[];
}

export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async overview(): Promise<Overview> {
    const today = this.clock.today();
    const organisation = await getOrganisation(this.db);
    const current = await loadPolicyVersion(this.db, today);
    const upcoming = (await policyHistory(this.db))
      .filter((v) => v.effectiveFrom > today)
      .map((v) => ({ policyId: v.policyId, effectiveFrom: v.effectiveFrom }))
      .reverse();
    return {
      organisation: organisation ? { name: organisation.name, demo: organisation.demo } : null,
      counts: await countRecords(this.db),
      policy: current && {
        policyId: current.version.policyId,
        name: current.policy.name,
        effectiveFrom: current.version.effectiveFrom,
      },
      upcoming,
    };
  }
}
