import { hasDrifted } from '../../domain/supervision/record.js';
import type { ActionCounts, ActionListRow } from '../../db/actions.repository.js';
import { displayName } from '../oversight/labels.js';
import { subjectHref } from '../oversight/oversight.presenter.js';
import { sessionHref, SESSION_TYPE_LABELS } from '../supervision/supervision.presenter.js';
import type { OverdueQuery, Reach } from './actions.service.js';

/** Words, tags and links for the actions pages. */

export interface ActionView {
  id: string;
  description: string;
  childName: string | null;
  childHref: string | null;
  ownerName: string;
  ownerHref: string | null;
  teamName: string | null;
  sessionDate: string;
  sessionLabel: string;
  sessionHref: string | null;
  dueDate: string | null;
  overdue: boolean;
  daysOverdue: number | null;
  drifted: boolean;
  carried: number;
  markedDoneAt: string | null;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function presentAction(
  action: ActionListRow & { ownerTeamName?: string | null },
  reach: Reach,
  today: string,
): ActionView {
  const overdue = action.state === 'open' && action.dueDate !== null && action.dueDate < today;
  return {
    id: action.id,
    description: action.description,
    // A child the viewer may not see, in a record they may not open, is not named to them.
    childName:
      action.childId === null
        ? null
        : reach.childLink || reach.sessionLink
          ? displayName(action.childName, 'child', action.childId)
          : 'a child outside your area',
    childHref:
      reach.childLink && action.childId !== null ? subjectHref('child', action.childId) : null,
    ownerName: displayName(action.ownerName, 'worker', action.ownerId),
    ownerHref: reach.ownerLink ? subjectHref('worker', action.ownerId) : null,
    teamName: action.ownerTeamName ?? null,
    sessionDate: action.sessionDate,
    sessionLabel: (
      (SESSION_TYPE_LABELS as Record<string, string | undefined>)[action.sessionType] ??
      'Supervision'
    ).toLowerCase(),
    sessionHref: reach.sessionLink ? sessionHref(action.sessionId) : null,
    dueDate: action.dueDate,
    overdue,
    daysOverdue: overdue ? daysBetween(action.dueDate, today) : null,
    drifted: hasDrifted(action),
    carried: action.carried,
    markedDoneAt: action.state === 'done' && action.closedIn === null ? action.closedAt : null,
  };
}

/** The headline counts, each a link to the list showing just those. */
export function presentCounts(counts: ActionCounts, query: OverdueQuery) {
  const href = (show: string) =>
    `/actions/overdue${listQuery(query, { show, page: undefined })}#list`;
  return [
    { label: 'overdue', value: counts.overdue.toLocaleString('en-GB'), href: href('overdue') },
    {
      label: 'drifting (carried forward 3 times or more)',
      value: counts.drifting.toLocaleString('en-GB'),
      href: href('drifting'),
    },
  ];
}

/** The query string for the list with some parameters changed; defaults are left out. */
export function listQuery(
  query: OverdueQuery,
  changes: Partial<Record<keyof OverdueQuery, string | number | undefined>> = {},
): string {
  const merged: Record<string, string | number | undefined> = { ...query, ...changes };
  const defaults: Record<string, string | number> = {
    show: 'either',
    sort: 'due',
    dir: 'asc',
    page: 1,
  };
  const params = new URLSearchParams();
  for (const key of ['show', 'team', 'worker', 'sort', 'dir', 'page']) {
    const value = merged[key];
    if (value === undefined || value === '' || defaults[key] === value) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The query as the sortable headers keep it: every filter, without the page. */
export function sortQuery(query: OverdueQuery): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(query) as [string, string | number | undefined][]) {
    if (value === undefined || key === 'page' || (key === 'show' && value === 'either')) continue;
    kept[key] = String(value);
  }
  return kept;
}

/** GOV.UK pagination for a list of `pages` pages, with gaps where there are many. */
export function pagination(query: OverdueQuery, pages: number) {
  if (pages <= 1) return null;
  const page = query.page;
  const href = (p: number) => `/actions/overdue${listQuery(query, { page: p })}#list`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2)
      items.push({ number: p, href: href(p), current: p === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  };
}
