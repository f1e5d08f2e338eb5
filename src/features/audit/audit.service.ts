import { londonDate } from '../../clock.js';
import {
  accountNamed,
  namesOf,
  searchAuditLog,
  searchAuditLogBatches,
  type AuditFilter,
  type AuditRow,
} from '../../db/audit.repository.js';
import type { Db } from '../../db/database.js';
import { addDays, parseIsoDate, toIsoDate } from '../../domain/dates/index.js';
import { PAGE_SIZE, type AuditQuery } from './audit.form.js';

/**
 * The audit trail's search, for auditors (the route table's 'audit' need). Auditors see the
 * whole organisation, so the names of the children and workers an entry is about are shown
 * beside their ids: two lookups by id for a page of fifty, and the question "who opened Jo's
 * record" reads as it is asked.
 */

export interface AuditEntryView extends AuditRow {
  /** The child's or worker's name, when the entry is about one that exists. */
  objectName: string | null;
}

export interface AuditPage {
  entries: AuditEntryView[];
  page: number;
  hasNext: boolean;
}

/**
 * The instant a London day begins, as ISO UTC: midnight is 00:00Z in winter and 23:00Z the day
 * before in summer, so "this year" means the council's year, not Greenwich's.
 */
export function londonDayStart(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  for (const hours of [0, 1, -1]) {
    const t = utcMidnight - hours * 3_600_000;
    if (londonDate(new Date(t)) === date && londonDate(new Date(t - 1)) !== date)
      return new Date(t).toISOString();
  }
  return new Date(utcMidnight).toISOString();
}

/**
 * The search's filter. "Who" names an account (by email or id: its entries whatever its email
 * was then, found by the account's index) or else is matched as written (an API token's name,
 * an email no account has, which sign-in failures record).
 */
export function filterOf(query: AuditQuery, accountId: string | null = null): AuditFilter {
  const who = query.who === null ? {} : accountId === null ? { actor: query.who } : { accountId };
  return {
    ...(query.objectKind === null ? {} : { objectKind: query.objectKind }),
    ...(query.objectId === null ? {} : { objectId: query.objectId }),
    ...who,
    ...(query.action === null ? {} : { action: query.action }),
    ...(query.from === null ? {} : { fromAt: londonDayStart(query.from) }),
    ...(query.to === null
      ? {}
      : { toAt: londonDayStart(toIsoDate(addDays(parseIsoDate(query.to), 1))) }),
  };
}

export class AuditSearchService {
  constructor(private readonly db: Db) {}

  /** One page of fifty, newest first. */
  private async filter(query: AuditQuery): Promise<AuditFilter> {
    return filterOf(query, query.who === null ? null : await accountNamed(this.db, query.who));
  }

  async search(query: AuditQuery): Promise<AuditPage> {
    const rows = await searchAuditLog(this.db, await this.filter(query), {
      limit: PAGE_SIZE + 1,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    const shown = rows.slice(0, PAGE_SIZE);
    return {
      entries: await this.named(shown),
      page: query.page,
      hasNext: rows.length > PAGE_SIZE,
    };
  }

  /** Every entry of the search, newest first, a batch at a time, with names. */
  async *all(query: AuditQuery): AsyncGenerator<AuditEntryView[]> {
    for await (const batch of searchAuditLogBatches(this.db, await this.filter(query)))
      yield await this.named(batch);
  }

  private async named(rows: AuditRow[]): Promise<AuditEntryView[]> {
    const ids = (kind: string) => [
      ...new Set(
        rows
          .filter((r) => r.objectKind === kind && r.objectId !== null)
          .map((r) => r.objectId ?? ''),
      ),
    ];
    const names = await namesOf(this.db, {
      children: ids('child'),
      people: [...new Set([...ids('worker'), ...ids('person')])],
    });
    return rows.map((r) => ({
      ...r,
      objectName:
        r.objectId === null
          ? null
          : r.objectKind === 'child'
            ? (names.children.get(r.objectId) ?? null)
            : r.objectKind === 'worker' || r.objectKind === 'person'
              ? (names.people.get(r.objectId) ?? null)
              : null,
    }));
  }
}
