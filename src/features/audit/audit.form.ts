import { tryParseIsoDate } from '../../domain/dates/index.js';
import type { Problem } from '../admin/form-fields.js';

/**
 * The audit trail's search, read from the query string (a GET form: a search is bookmarked and
 * linked to, as "Who has opened this record" is). Every field may be left empty.
 */

/** What an entry can be about, as the audit plugin names it, in the words the search offers. */
export const OBJECT_KINDS: readonly { value: string; text: string }[] = [
  { value: 'child', text: 'Child' },
  { value: 'worker', text: 'Worker' },
  { value: 'foster-carer', text: 'Foster carer' },
  { value: 'supervision-record', text: 'Supervision record' },
  { value: 'contract', text: 'Supervision contract' },
  { value: 'handover', text: 'Handover' },
  { value: 'action', text: 'Action' },
  { value: 'agenda-item', text: 'Agenda item' },
  { value: 'team', text: 'Team' },
  { value: 'service', text: 'Service' },
  { value: 'person', text: 'Person (administration)' },
  { value: 'account', text: 'Account' },
  { value: 'api-token', text: 'API token' },
  { value: 'closure-day', text: 'Closure day' },
  { value: 'import', text: 'Import (upload)' },
  { value: 'import-history', text: 'Import (history)' },
  { value: 'column-mapping', text: 'Import column mapping' },
  { value: 'decision-records', text: 'Decision records of a period' },
  { value: 'break-glass-grant', text: 'Break-glass grant' },
  { value: 'legal-hold', text: 'Legal hold' },
  { value: 'retention-rule', text: 'Retention period' },
];

/** The actions the search offers; others (recorded by a route's own audit.action) are accepted. */
export const ACTIONS: readonly { value: string; text: string }[] = [
  { value: 'view', text: 'Viewed' },
  { value: 'change', text: 'Changed (or tried to)' },
  { value: 'download', text: 'Downloaded a document' },
  { value: 'export', text: 'Exported a list' },
  { value: 'sign-in', text: 'Signed in' },
  { value: 'sign-in-failed', text: 'Failed to sign in' },
  { value: 'sign-out', text: 'Signed out' },
  { value: 'break-glass', text: 'Used emergency access' },
  { value: 'audit-search', text: 'Searched the audit trail' },
];

export const PAGE_SIZE = 50;

export interface AuditQuery {
  objectKind: string | null;
  objectId: string | null;
  who: string | null;
  action: string | null;
  /** ISO dates, London days, both inclusive. */
  from: string | null;
  to: string | null;
  page: number;
}

export type AuditQueryResult =
  | { ok: true; value: AuditQuery; input: Record<string, string> }
  | { ok: false; problems: Problem[]; input: Record<string, string> };

const WORD = /^[a-z][a-z0-9-]{0,39}$/;

function single(query: Record<string, unknown>, key: string): string {
  const value = query[key];
  return typeof value === 'string' ? value.trim() : '';
}

function dateField(text: string, field: 'from' | 'to', problems: Problem[]): string | null {
  if (text === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || tryParseIsoDate(text) === undefined) {
    problems.push({
      field,
      message: `Enter the ${field} date as a real date in the form YYYY-MM-DD, for example 2026-04-01`,
    });
    return null;
  }
  return text;
}

export function parseAuditQuery(raw: unknown): AuditQueryResult {
  const query = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  let kind = single(query, 'kind');
  let id = single(query, 'id');
  // The one-click links (a child's page, an entry's object) say object=child:ID.
  const object = single(query, 'object');
  if (object !== '') {
    const colon = object.indexOf(':');
    kind = colon < 0 ? object : object.slice(0, colon);
    id = colon < 0 ? '' : object.slice(colon + 1);
  }
  const input: Record<string, string> = {
    kind,
    id,
    who: single(query, 'who'),
    action: single(query, 'action'),
    from: single(query, 'from'),
    to: single(query, 'to'),
  };
  const problems: Problem[] = [];
  // A kind a route names for itself (its audit.object) may not be in the list: any such word.
  if (kind !== '' && !WORD.test(kind))
    problems.push({ field: 'kind', message: 'Choose a kind of record from the list' });
  if (id !== '' && kind === '')
    problems.push({ field: 'kind', message: 'Choose what kind of record the id is for' });
  if (id.length > 200)
    problems.push({ field: 'id', message: 'The id must be 200 characters or fewer' });
  const whoText = input.who ?? '';
  if (whoText.length > 320)
    problems.push({ field: 'who', message: 'Who must be 320 characters or fewer' });
  const action = input.action ?? '';
  if (action !== '' && !WORD.test(action))
    problems.push({ field: 'action', message: 'Choose an action from the list' });
  const from = dateField(input.from ?? '', 'from', problems);
  const to = dateField(input.to ?? '', 'to', problems);
  if (from !== null && to !== null && to < from)
    problems.push({
      field: 'to',
      message: 'The to date must be the same as or after the from date',
    });
  if (problems.length > 0) return { ok: false, problems, input };
  const pageText = single(query, 'page');
  const page = /^[1-9]\d{0,5}$/.test(pageText) ? Number(pageText) : 1;
  // Emails are kept in lower case; an account id or an API token's name as typed.
  const who = /^\S+@\S+$/.test(whoText) ? whoText.toLowerCase() : whoText;
  return {
    ok: true,
    input,
    value: {
      objectKind: kind === '' ? null : kind,
      objectId: id === '' ? null : id,
      who: who === '' ? null : who,
      action: action === '' ? null : action,
      from,
      to,
      page,
    },
  };
}

/** The query string of a search (without the page), for links and the CSV download. */
export function searchParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.objectKind !== null) params.set('kind', query.objectKind);
  if (query.objectId !== null) params.set('id', query.objectId);
  if (query.who !== null) params.set('who', query.who);
  if (query.action !== null) params.set('action', query.action);
  if (query.from !== null) params.set('from', query.from);
  if (query.to !== null) params.set('to', query.to);
  return params;
}
