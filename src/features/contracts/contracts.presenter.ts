import { frequencyWords, parseOffset } from '../../domain/dates/index.js';
import type { ContractRow, ContractState } from '../../db/contracts.repository.js';
import type { HandoverRow } from '../../db/handovers.repository.js';
import { displayName } from '../oversight/labels.js';
import { SESSION_TYPE_LABELS } from '../supervision/supervision.presenter.js';
import { contractHref, handoverHref, type PolicyFrequency } from './contracts.service.js';

/** Words and addresses for the contract, handover and worker supervision pages. */

export type Names = ReadonlyMap<string, string | null>;

export function personName(names: Names, id: string | null): string {
  if (id === null) return 'No one';
  return displayName(names.get(id) ?? null, 'worker', id);
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "As the policy says (every 4 weeks)", or the contract's own: "Fortnightly". */
export function frequencyText(frequency: string | null, policy: PolicyFrequency | null): string {
  if (frequency === null)
    return policy === null ? 'As the policy says' : `As the policy says (${policy.words})`;
  const offset = parseOffset(frequency);
  return typeof offset === 'string' ? frequency : capitalise(frequencyWords(offset));
}

/** 60 → "1 hour"; 90 → "1 hour 30 minutes"; 45 → "45 minutes". */
export function durationText(minutes: number | null): string {
  if (minutes === null) return 'Not agreed';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [
    ...(hours > 0 ? [`${String(hours)} hour${hours === 1 ? '' : 's'}`] : []),
    ...(rest > 0 ? [`${String(rest)} minute${rest === 1 ? '' : 's'}`] : []),
  ];
  return parts.join(' ');
}

/** One responsibility per line, without any bullet typed before it. */
export function responsibilityItems(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•·]\s*)?/, '').trim())
    .filter((line) => line !== '');
}

export const CONTRACT_STATE_TAGS: Record<ContractState, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  'awaiting-supervisee': { text: 'Waiting for signature', classes: 'govuk-tag--yellow' },
  signed: { text: 'In force', classes: 'govuk-tag--green' },
  superseded: { text: 'Replaced', classes: 'govuk-tag--grey' },
  withdrawn: { text: 'Set aside', classes: 'govuk-tag--grey' },
};

export function contractStateWords(contract: ContractRow, names: Names): string {
  const supervisor = personName(names, contract.supervisorId);
  const supervisee = personName(names, contract.superviseeId);
  switch (contract.state) {
    case 'draft':
      return `A draft: ${supervisor} has not signed it yet.`;
    case 'awaiting-supervisee':
      return `Signed by ${supervisor}; waiting for ${supervisee} to read and sign it.`;
    case 'signed':
      return 'Signed by both: this is the contract in force.';
    case 'superseded':
      return 'Signed by both, and since replaced by a later contract.';
    case 'withdrawn':
      return `Never signed by both: set aside when ${supervisor} stopped supervising ${supervisee}.`;
  }
}

/** A review date as a status, for the tag beside it. */
export function reviewStatus(reviewDue: string | null, today: string, soon: string): string {
  if (reviewDue === null) return 'none';
  if (reviewDue < today) return 'overdue';
  if (reviewDue <= soon) return 'due';
  return 'on-track';
}

export function contractRow(contract: ContractRow, names: Names) {
  return {
    id: contract.id,
    href: contractHref(contract.id),
    supervisorName: personName(names, contract.supervisorId),
    signedDate: contract.signedDate,
    reviewDue: contract.reviewDue,
    createdAt: contract.createdAt,
    state: contract.state,
    tag: CONTRACT_STATE_TAGS[contract.state],
  };
}

export function handoverRow(handover: HandoverRow, names: Names) {
  return {
    id: handover.id,
    href: handoverHref(handover.id),
    createdAt: handover.createdAt,
    fromName:
      handover.fromSupervisorId === null ? null : personName(names, handover.fromSupervisorId),
    toName: personName(names, handover.toSupervisorId),
    acknowledgedAt: handover.acknowledgedAt,
  };
}

export function sessionTypeLabel(type: string): string {
  return (SESSION_TYPE_LABELS as Record<string, string>)[type] ?? type;
}
