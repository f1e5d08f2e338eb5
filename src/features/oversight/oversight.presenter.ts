import type { DueRow, Figures } from '../../db/due.repository.js';
import { daysOverdue, type Headline, type ListResult } from './oversight.service.js';
import { displayName, label, REQUIREMENT_LABELS, SUBJECT_LABELS } from './labels.js';

/** Turns the service's results into what the templates show: words, links and dates. */

export function subjectHref(kind: string, id: string): string {
  const base = {
    child: 'children',
    worker: 'workers',
    fosterCarer: 'foster-carers',
    team: 'teams',
  }[kind];
  return `/${base ?? 'children'}/${encodeURIComponent(id)}`;
}

export interface DueRowView {
  href: string;
  name: string;
  id: string;
  kind: string;
  requirement: string;
  status: string;
  daysOverdue: number | null;
  due: string;
  latest: string;
  lastEvent: string | null;
  reason: string;
  workerName: string | null;
  workerHref: string | null;
  teamName: string | null;
  overridden: boolean;
}

export function presentRow(row: DueRow, asOf: string): DueRowView {
  return {
    href: subjectHref(row.subjectKind, row.subjectId),
    name: displayName(row.subjectName, row.subjectKind, row.subjectId),
    id: row.subjectId,
    kind: label(SUBJECT_LABELS, row.subjectKind),
    requirement: label(REQUIREMENT_LABELS, row.requirement),
    status: row.effectiveStatus,
    daysOverdue: daysOverdue(row, asOf),
    due: row.effectiveDue,
    latest: row.effectiveLatest,
    lastEvent: row.lastEvent,
    reason: row.reason,
    workerName:
      row.workerId === null || row.subjectKind === 'worker'
        ? null
        : displayName(row.workerName, 'worker', row.workerId),
    workerHref:
      row.workerId === null || row.subjectKind === 'worker'
        ? null
        : subjectHref('worker', row.workerId),
    teamName: row.teamName,
    overridden: row.overrideId !== null,
  };
}

export function presentFigures(headline: Headline, listHref: string) {
  const link = (status: string) => `${listHref}?status=${status}#list`;
  return [
    { label: 'on track', value: percentText(headline.percentOnTrack) },
    {
      label: 'overdue',
      value: headline.all.overdue.toLocaleString('en-GB'),
      href: link('overdue'),
    },
    { label: 'due now', value: headline.all.due.toLocaleString('en-GB'), href: link('due') },
    {
      label: 'not yet due',
      value: headline.all.onTrack.toLocaleString('en-GB'),
      href: link('on-track'),
    },
  ];
}

export function percentText(percent: number | null): string {
  return percent === null ? '–' : `${percent.toFixed(percent % 1 === 0 ? 0 : 1)}%`;
}

export function figureRows(headline: Headline) {
  const row = (name: string, f: Figures) => ({
    name,
    total: f.total,
    overdue: f.overdue,
    due: f.due,
    onTrack: f.onTrack,
    percent: percentText(f.total === 0 ? null : Math.round((f.onTrack * 1000) / f.total) / 10),
  });
  return [
    row('Children (case supervision)', headline.children),
    row('Workers (supervision)', headline.workers),
    ...(headline.fosterCarers.total > 0 ? [row('Foster carers', headline.fosterCarers)] : []),
    ...(headline.teams.total > 0 ? [row('Teams (group supervision)', headline.teams)] : []),
  ];
}

export function presentList(list: ListResult, path: string) {
  const query: Record<string, string> = {};
  // Filters left at "any" are absent, not the text "undefined", in the links the page makes.
  for (const [key, value] of Object.entries(list.query) as [
    string,
    string | number | undefined,
  ][]) {
    if (value !== undefined && key !== 'page') query[key] = String(value);
  }
  const href = (page: number) => {
    const params = new URLSearchParams({ ...query, page: String(page) });
    return `${path}?${params.toString()}`;
  };
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let p = 1; p <= list.pages; p++) {
    if (p === 1 || p === list.pages || Math.abs(p - list.page) <= 2) {
      items.push({ number: p, href: href(p), current: p === list.page });
    } else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return {
    rows: list.rows.map((r) => presentRow(r, list.asOf)),
    total: list.total,
    query: { ...query },
    from: list.total === 0 ? 0 : (list.page - 1) * 50 + 1,
    to: Math.min(list.total, list.page * 50),
    pagination:
      list.pages <= 1
        ? null
        : {
            items,
            previous: list.page > 1 ? { href: href(list.page - 1) } : undefined,
            next: list.page < list.pages ? { href: href(list.page + 1) } : undefined,
          },
  };
}
