import type { Clock } from '../../clock.js';
import {
  apiEventByExternalId,
  dueOf,
  insertApiEvent,
  recordApiCall,
  subjectExists,
  tokenByHash,
  touchApiToken,
  type ApiCall,
  type ApiEventRow,
  type DueSelection,
} from '../../db/api.repository.js';
import { newRowId } from '../../db/bulk.js';
import type { Db } from '../../db/database.js';
import { addEvent } from '../../db/organisation.repository.js';
import { policyVersionOn } from '../../db/policy.repository.js';
import { ensureCurrent, loadDueContext, recomputeSubjects } from '../../services/due.service.js';
import type { EventInput, EventSubject, SubjectKind } from './api.form.js';
import { presentDue, presentEvent, type DueJson, type EventJson } from './api.presenter.js';
import { hashToken } from './tokens.js';

/**
 * What the API does for an integration: recognise its token, read the stored due dates of a
 * child, a worker or a team, post an event (written once per external id, with the subject's
 * due dates recomputed in the same transaction), and record every call.
 */

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
}

export type PostOutcome =
  | { kind: 'created' | 'existing'; event: EventJson; due: DueJson }
  | { kind: 'conflict'; existing: EventJson }
  | { kind: 'not-found' };

export class ApiService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * The token's integration, if an administrator created the token and has not revoked it; a
   * revoked token is told apart so that its calls are recorded against it.
   */
  async authenticate(
    token: string,
  ): Promise<
    { kind: 'ok'; token: ApiToken } | { kind: 'revoked'; tokenId: string } | { kind: 'unknown' }
  > {
    const found = await tokenByHash(this.db, hashToken(token));
    if (found === undefined) return { kind: 'unknown' };
    if (found.revoked) return { kind: 'revoked', tokenId: found.id };
    await touchApiToken(this.db, found.id, this.clock.now().toISOString());
    return { kind: 'ok', token: { id: found.id, name: found.name, scopes: found.scopes } };
  }

  async record(call: Omit<ApiCall, 'at'>): Promise<void> {
    await recordApiCall(this.db, { ...call, at: this.clock.now().toISOString() });
  }

  /**
   * The stored due dates of a child (its own), a worker (their own, and those of the children
   * and foster carers allocated to them) or a team (the team's, its workers' and its
   * children's); null when there is no such child, worker or team.
   */
  async due(
    kind: 'child' | 'worker' | 'team',
    id: string,
    subject: SubjectKind | null,
  ): Promise<DueJson | null> {
    const { asOf } = await ensureCurrent(this.db, this.clock);
    if (!(await subjectExists(this.db, kind, id))) return null;
    const narrow = subject === null ? {} : { subjectKind: subject };
    const selection: DueSelection =
      kind === 'child'
        ? { kind: 'subject', subjectKind: 'child', id }
        : kind === 'worker'
          ? { kind: 'worker', workerId: id, ...narrow }
          : { kind: 'team', teamId: id, ...narrow };
    return this.read(asOf, selection);
  }

  private async read(asOf: string, selection: DueSelection): Promise<DueJson> {
    const [version, stored] = await Promise.all([
      policyVersionOn(this.db, asOf),
      dueOf(this.db, selection),
    ]);
    return presentDue(asOf, version?.policyId ?? null, stored);
  }

  /**
   * Posts an event for a child or a worker. With an external id used already, nothing is
   * written: the event it posted is the answer (or a conflict, if that was a different event).
   */
  async postEvent(
    token: ApiToken,
    subject: { kind: EventSubject; id: string },
    input: EventInput,
  ): Promise<PostOutcome> {
    const { asOf } = await ensureCurrent(this.db, this.clock);
    if (!(await subjectExists(this.db, subject.kind, subject.id))) return { kind: 'not-found' };
    if (input.externalId !== null) {
      const existing = await apiEventByExternalId(this.db, input.externalId);
      if (existing !== undefined) return this.again(existing, subject, input, asOf);
    }
    const now = this.clock.now().toISOString();
    const event: ApiEventRow = {
      id: newRowId(),
      tokenId: token.id,
      externalId: input.externalId,
      subjectKind: subject.kind,
      subjectId: subject.id,
      kind: input.kind,
      date: input.date,
      createdAt: now,
    };
    const written = await this.db.transaction().execute(async (trx) => {
      if (!(await insertApiEvent(trx, event))) return false;
      await addEvent(
        trx,
        { subjectKind: subject.kind, subjectId: subject.id, kind: input.kind, date: input.date },
        token.id,
        now,
        { kind: 'api', id: event.id },
      );
      await recomputeSubjects(trx, await loadDueContext(trx, asOf), subject.kind, [subject.id]);
      return true;
    });
    if (!written) {
      // The same external id, posted at the same moment by another call that got there first.
      const existing = await apiEventByExternalId(this.db, input.externalId ?? '');
      if (existing === undefined) throw new Error('an api event vanished after its insert clashed');
      return this.again(existing, subject, input, asOf);
    }
    return {
      kind: 'created',
      event: presentEvent(event),
      due: await this.read(asOf, { kind: 'subject', subjectKind: subject.kind, id: subject.id }),
    };
  }

  private async again(
    existing: ApiEventRow,
    subject: { kind: EventSubject; id: string },
    input: EventInput,
    asOf: string,
  ): Promise<PostOutcome> {
    const same =
      existing.subjectKind === subject.kind &&
      existing.subjectId === subject.id &&
      existing.kind === input.kind &&
      existing.date === input.date;
    if (!same) return { kind: 'conflict', existing: presentEvent(existing) };
    return {
      kind: 'existing',
      event: presentEvent(existing),
      due: await this.read(asOf, { kind: 'subject', subjectKind: subject.kind, id: subject.id }),
    };
  }
}
