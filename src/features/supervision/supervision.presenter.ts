import type { SessionType } from '../../domain/supervision/record.js';
import type {
  ActionRow,
  DiscussionRow,
  SessionRow,
  SectionRevision,
} from '../../db/supervision.repository.js';
import { displayName } from '../oversight/labels.js';

/** Words and addresses for the supervision pages. */

export const SESSION_TYPE_LABELS: Record<SessionType, string> = {
  individual: 'One-to-one supervision',
  group: 'Group supervision',
  joint: 'Joint supervision',
};

export const SESSION_TYPE_HINTS: Record<SessionType, string> = {
  individual:
    'A supervisor and one supervisee: personal matters, a review of actions and case discussions',
  group:
    'A team’s group session: case discussions, with what the group agreed about confidentiality',
  joint: 'A supervisee with co-workers from other teams, to discuss children they share',
};

export const OUTCOME_LABELS = {
  done: 'Done',
  carried: 'Carried forward',
  dropped: 'Dropped',
} as const;

export function sessionHref(id: string, part = ''): string {
  return `/supervision/${encodeURIComponent(id)}${part === '' ? '' : `/${part}`}`;
}

export type Names = ReadonlyMap<string, string | null>;

export function personName(names: Names, id: string): string {
  return displayName(names.get(id) ?? null, 'worker', id);
}

export function superviseeNames(session: SessionRow, names: Names): string {
  const list = session.participants
    .filter((p) => p.role === 'supervisee')
    .map((p) => personName(names, p.personId));
  return listWords(list);
}

export function listWords(list: readonly string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1) ?? ''}`;
}

export function stateWords(session: SessionRow, names: Names): string {
  switch (session.state) {
    case 'draft':
      return 'Draft';
    case 'awaiting-supervisee': {
      const waiting = session.participants
        .filter((p) => p.role === 'supervisee' && p.signedAt === null)
        .map((p) => personName(names, p.personId));
      return `Signed by the supervisor; waiting for ${listWords(waiting)}`;
    }
    case 'complete':
      return 'Signed by everyone';
  }
}

export function stateTag(session: SessionRow): { text: string; classes: string } {
  switch (session.state) {
    case 'draft':
      return { text: 'Draft', classes: 'govuk-tag--grey' };
    case 'awaiting-supervisee':
      return { text: 'Waiting for signature', classes: 'govuk-tag--yellow' };
    case 'complete':
      return { text: 'Signed', classes: 'govuk-tag--green' };
  }
}

export type TaskStatus = 'completed' | 'in-progress' | 'not-started' | 'cannot-start';

export const TASK_STATUS_TAGS: Record<TaskStatus, { text: string; classes: string } | null> = {
  completed: null,
  'in-progress': { text: 'In progress', classes: 'govuk-tag--light-blue' },
  'not-started': { text: 'Not yet started', classes: 'govuk-tag--blue' },
  'cannot-start': { text: 'Cannot start yet', classes: 'govuk-tag--grey' },
};

export function taskStatus(
  status: TaskStatus,
): { text: string } | { tag: { text: string; classes: string } } {
  const tag = TASK_STATUS_TAGS[status];
  return tag === null ? { text: 'Completed' } : { tag };
}

export function savedBy(
  revision: SectionRevision | undefined,
  names: Names,
): { name: string; at: string } | null {
  if (revision?.updatedBy == null || revision.updatedAt === null) return null;
  return { name: personName(names, revision.updatedBy), at: revision.updatedAt };
}

export function presentAction(
  action: ActionRow,
  names: Names,
  today: string,
): ActionRow & { ownerName: string; overdue: boolean; drifted: boolean } {
  return {
    ...action,
    ownerName: personName(names, action.ownerId),
    overdue: action.state === 'open' && action.dueDate !== null && action.dueDate < today,
    drifted: action.state === 'open' && action.carried >= 3,
  };
}

export function discussionTitle(
  discussion: DiscussionRow,
  children: ReadonlyMap<string, { name: string | null }>,
): string {
  return displayName(children.get(discussion.childId)?.name ?? null, 'child', discussion.childId);
}
