import { parseIsoDate } from '../domain/dates/index.js';
import type { Policy } from '../domain/scheduling/policy.js';
import type { Queryable } from '../db/database.js';
import {
  addPolicyVersion,
  listPolicyVersions,
  policyVersionOn,
  type PolicyVersion,
} from '../db/policy.repository.js';
import { loadPreset, parsePolicy, presetIds } from '../policies/index.js';

/**
 * The organisation's policy: a preset or its own validated policy file, chosen by an
 * administrator with a date it takes effect from; every earlier choice is kept.
 */

const parsed = new Map<string, Policy>();

export function policyOf(version: PolicyVersion): Policy {
  let policy = parsed.get(version.id);
  if (policy === undefined) {
    policy =
      version.source === 'preset'
        ? loadPreset(version.policyId)
        : parsePolicy(version.document ?? '', `policy version ${version.id}`);
    parsed.set(version.id, policy);
  }
  return policy;
}

export async function loadPolicyVersion(
  db: Queryable,
  date: string,
): Promise<{ id: string; version: PolicyVersion; policy: Policy } | null> {
  const version = await policyVersionOn(db, date);
  return version === undefined ? null : { id: version.id, version, policy: policyOf(version) };
}

export { listPolicyVersions, presetIds };

export interface PolicyChoice {
  /** A preset's id, or null with `document` for a council's own file. */
  presetId: string | null;
  document: string | null;
  effectiveFrom: string;
  reason: string;
  chosenBy: string | null;
  chosenAt: string;
}

/** Validates and records a choice of policy; throws PolicyError for an invalid file. */
export async function choosePolicy(db: Queryable, choice: PolicyChoice): Promise<string> {
  parseIsoDate(choice.effectiveFrom);
  let policyId: string;
  if (choice.presetId !== null) {
    policyId = loadPreset(choice.presetId).id;
  } else {
    policyId = parsePolicy(choice.document ?? '', 'the policy file').id;
  }
  return addPolicyVersion(db, {
    policyId,
    source: choice.presetId === null ? 'file' : 'preset',
    document: choice.presetId === null ? choice.document : null,
    effectiveFrom: choice.effectiveFrom,
    chosenBy: choice.chosenBy,
    chosenAt: choice.chosenAt,
    reason: choice.reason,
  });
}
