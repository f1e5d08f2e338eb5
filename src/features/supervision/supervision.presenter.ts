import type { SessionType } from '../../domain/supervision/record.js';
import type {
  ActionRow,
  DiscussionRow,
  SessionRow,
  SectionRevision,
} from '../../db/supervision.repository.js';
import { formatDate, formatInstant } from '../../plugins/views.js';
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

interface SummaryRow {
  key: { text: string };
  value: { text: string };
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

/** The facts at the top of a record (and of its check page), as GOV.UK summary list rows. */
export function sessionSummaryRows(
  session: SessionRow,
  names: Names,
  options: { teamName?: string | null; daysToSign?: number | null; changeHref?: string } = {},
): SummaryRow[] {
  const change = (what: string) =>
    options.changeHref === undefined
      ? {}
      : {
          actions: {
            items: [{ href: options.changeHref, text: 'Change', visuallyHiddenText: what }],
          },
        };
  const coWorkers = session.participants
    .filter((p) => p.role === 'co-worker')
    .map((p) => personName(names, p.personId));
  const time =
    session.startTime === null
      ? 'Not recorded'
      : `${session.startTime}${session.endTime === null ? '' : ` to ${session.endTime}`}`;
  const rows: SummaryRow[] = [
    { key: { text: 'Date' }, value: { text: formatDate(session.date) }, ...change('the date') },
    { key: { text: 'Time' }, value: { text: time }, ...change('the time') },
    {
      key: { text: 'Place' },
      value: { text: session.place ?? 'Not recorded' },
      ...change('the place'),
    },
    { key: { text: 'Supervisor' }, value: { text: personName(names, session.supervisorId) } },
    {
      key: { text: session.type === 'group' ? 'Attended' : 'Supervisee' },
      value: { text: superviseeNames(session, names) },
    },
  ];
  if (coWorkers.length > 0)
    rows.push({ key: { text: 'Co-workers' }, value: { text: listWords(coWorkers) } });
  if (options.teamName != null)
    rows.push({ key: { text: 'Team' }, value: { text: options.teamName } });
  if (session.type === 'group')
    rows.push({
      key: { text: 'Confidentiality agreed' },
      value: { text: session.confidentiality ?? 'Not recorded' },
      ...change('what the group agreed about confidentiality'),
    });
  if (session.supervisorSignedAt !== null) {
    const days =
      options.daysToSign == null
        ? ''
        : options.daysToSign === 0
          ? ' (the day of the session)'
          : ` (${String(options.daysToSign)} ${options.daysToSign === 1 ? 'day' : 'days'} after the session)`;
    rows.push({
      key: { text: 'Signed by the supervisor' },
      value: { text: `${formatInstant(session.supervisorSignedAt)}${days}` },
    });
  }
  return rows;
}
