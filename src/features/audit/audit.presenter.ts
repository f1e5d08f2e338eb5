import type { Column, Cell, Table } from '../exports/table.js';
import { ACTIONS, OBJECT_KINDS, searchParams, type AuditQuery } from './audit.form.js';
import type { AuditEntryView, AuditPage } from './audit.service.js';

/** The audit trail's search page and its CSV, in the words auditors use. */

function labelOf(list: readonly { value: string; text: string }[], value: string): string {
  return list.find((item) => item.value === value)?.text ?? value;
}

export function kindLabel(kind: string | null): string {
  return kind === null ? '' : labelOf(OBJECT_KINDS, kind);
}

export function actionLabel(action: string): string {
  return labelOf(ACTIONS, action);
}

/** A search's address: its filters, with changes (null removes one). */
export function searchHref(
  base: string,
  changes: Record<string, string | null>,
  from?: AuditQuery,
): string {
  const params = from === undefined ? new URLSearchParams() : searchParams(from);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? base : `${base}?${text}`;
}

/** What an entry is about, in words: "Child: Jo Bloggs (C1234)". */
function objectText(entry: Pick<AuditEntryView, 'objectKind' | 'objectId' | 'objectName'>): string {
  if (entry.objectKind === null) return '';
  const kind = kindLabel(entry.objectKind);
  if (entry.objectId === null) return kind;
  return entry.objectName === null
    ? `${kind} ${entry.objectId}`
    : `${kind}: ${entry.objectName} (${entry.objectId})`;
}

export function presentEntry(entry: AuditEntryView) {
  // An account's id finds its entries whatever its email was then; the command line and API
  // tokens have no account, so their name as written.
  const whoKey = entry.accountId ?? entry.actor;
  return {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    viewedHref: searchHref('/audit', { who: whoKey, action: 'view' }),
    action: actionLabel(entry.action),
    object: objectText(entry),
    objectHref:
      entry.objectKind === null || entry.objectId === null
        ? null
        : searchHref('/audit', { object: `${entry.objectKind}:${entry.objectId}` }),
    route: entry.route === null ? '' : `${entry.method ?? ''} ${entry.route}`.trim(),
    status: entry.status,
    ip: entry.ip ?? '',
    requestId: entry.requestId ?? '',
  };
}

export function presentSearch(query: AuditQuery, page: AuditPage) {
  const filtered = searchParams(query).toString() !== '';
  const about =
    query.objectKind === null || query.objectId === null
      ? null
      : objectText({
          objectKind: query.objectKind,
          objectId: query.objectId,
          objectName: page.entries.find((e) => e.objectName !== null)?.objectName ?? null,
        });
  return {
    entries: page.entries.map(presentEntry),
    about,
    filtered,
    csvHref: searchHref('/audit.csv', {}, query),
    pagination:
      page.page > 1 || page.hasNext
        ? {
            ...(page.page > 1
              ? { previous: { href: searchHref('/audit', { page: String(page.page - 1) }, query) } }
              : {}),
            ...(page.hasNext
              ? { next: { href: searchHref('/audit', { page: String(page.page + 1) }, query) } }
              : {}),
          }
        : null,
    page: page.page,
  };
}

/** The select boxes, with the current value chosen (and kept when it is not one we list). */
export function formItems(input: Record<string, string>) {
  const items = (list: readonly { value: string; text: string }[], chosen: string, any: string) => [
    { value: '', text: any, selected: chosen === '' },
    ...list.map((item) => ({ ...item, selected: item.value === chosen })),
    ...(chosen !== '' && !list.some((item) => item.value === chosen)
      ? [{ value: chosen, text: chosen, selected: true }]
      : []),
  ];
  return {
    kindItems: items(OBJECT_KINDS, input.kind ?? '', 'Any kind of record'),
    actionItems: items(ACTIONS, input.action ?? '', 'Any action'),
  };
}

export const AUDIT_COLUMNS: readonly Column[] = [
  { header: 'Entry', type: 'number', width: 10 },
  { header: 'When (UTC)', type: 'text', width: 26 },
  { header: 'Who', type: 'text', width: 30 },
  { header: 'Account', type: 'text', width: 20 },
  { header: 'Action', type: 'text', width: 12 },
  { header: 'Kind', type: 'text', width: 18 },
  { header: 'ID', type: 'text', width: 16 },
  { header: 'Name', type: 'text', width: 26 },
  { header: 'Method', type: 'text', width: 8 },
  { header: 'Route', type: 'text', width: 40 },
  { header: 'Status', type: 'number', width: 8 },
  { header: 'From (IP address)', type: 'text', width: 18 },
  { header: 'Request id', type: 'text', width: 38 },
  { header: 'Detail', type: 'text', width: 40 },
];

export function auditCells(entry: AuditEntryView): Cell[] {
  return [
    entry.seq,
    entry.at,
    entry.actor,
    entry.accountId,
    entry.action,
    entry.objectKind,
    entry.objectId,
    entry.objectName,
    entry.method,
    entry.route,
    entry.status,
    entry.ip,
    entry.requestId,
    entry.detail === '{}' ? null : entry.detail,
  ];
}

export function auditTable(batches: AsyncIterable<AuditEntryView[]>): Table {
  return {
    columns: AUDIT_COLUMNS,
    batches: (async function* () {
      for await (const batch of batches) yield batch.map(auditCells);
    })(),
  };
}
