import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Viewer } from '../domain/access/viewer.js';
import {
  checkReason,
  isBreakGlassHours,
  mayAskForBreakGlass,
  type BreakGlassHours,
} from '../domain/data-protection/break-glass.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { relationTo, supervisees } from '../domain/supervision/record.js';
import {
  allGrants,
  dismissGrant,
  grantsAbout,
  grantsOfSession,
  insertGrant,
  liveGrant,
  type GrantRow,
} from '../db/data-protection.repository.js';
import type { Db } from '../db/database.js';
import { maySee } from '../db/scope.js';
import { namesOf } from '../db/structure.repository.js';
import {
  getPersonal,
  getSession,
  type PersonalRow,
  type SessionRow,
} from '../db/supervision.repository.js';
import { recordAuditIn } from './audit.service.js';

/**
 * Break-glass access to the personal section of one signed one-to-one record
 * (docs/data-protection.md). A grant opens that record only, for the hours chosen, to the
 * account that asked; it is written with its audit entry in one transaction; each read under it
 * is audited by the route; the supervisee sees a notice until they dismiss it.
 */

/** When a grant made at `grantedAt` (an ISO instant) ends. */
export function expiryOf(grantedAt: string, hours: BreakGlassHours): string {
  return new Date(Date.parse(grantedAt) + hours * 3_600_000).toISOString();
}

export type { GrantRow } from '../db/data-protection.repository.js';

export interface GrantInput {
  reason: string;
  hours: BreakGlassHours;
}

/** Where a request came from, for the grant's audit entry. */
export interface RequestFacts {
  method: string;
  route: string;
  ip: string | null;
  requestId: string | null;
}

export interface RecordBreakGlass {
  /** The viewer may ask for access to this record's personal section. */
  mayRequest: boolean;
  /** The viewer's live grant on it. */
  live: GrantRow | null;
  /** Grants on this record, shown to its supervisee and its supervisor. */
  grants: GrantRow[];
}

export class BreakGlassService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * The record, when the viewer may ask to open its personal section: a signed one-to-one with
   * a personal section, about a supervisee their place covers, and not their own record.
   * Anyone else is told "not found", as for any record they may not open.
   */
  private async eligible(
    viewer: Viewer,
    sessionId: string,
  ): Promise<{ session: SessionRow; personal: PersonalRow }> {
    if (!mayAskForBreakGlass(viewer)) throw new NotFoundError('session');
    const session = await getSession(this.db, sessionId);
    if (session === undefined || session.state === 'draft' || session.type !== 'individual')
      throw new NotFoundError('session');
    if (relationTo(session, viewer.personId) !== null) throw new NotFoundError('session');
    const personal = await getPersonal(this.db, sessionId);
    if (personal === undefined) throw new NotFoundError('session');
    if (!(await maySee(this.db, viewer.scope, 'worker', personal.personId)))
      throw new NotFoundError('session');
    return { session, personal };
  }

  private async mayRequest(viewer: Viewer, sessionId: string): Promise<boolean> {
    try {
      await this.eligible(viewer, sessionId);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** What a record's page shows about break-glass to this viewer. */
  async onRecord(viewer: Viewer, session: SessionRow): Promise<RecordBreakGlass> {
    const relation = relationTo(session, viewer.personId);
    const own = relation === 'supervisor' || relation === 'supervisee';
    const [mayRequest, live, grants] = await Promise.all([
      own ? Promise.resolve(false) : this.mayRequest(viewer, session.id),
      liveGrant(this.db, session.id, viewer.accountId, this.now()),
      own ? grantsOfSession(this.db, session.id) : Promise.resolve([]),
    ]);
    return { mayRequest, live: live ?? null, grants };
  }

  /** The form's page: the record's date and whose it is. */
  async requestPage(viewer: Viewer, sessionId: string) {
    const { session, personal } = await this.eligible(viewer, sessionId);
    const names = await namesOf(this.db, 'people', [personal.personId, session.supervisorId]);
    return {
      session,
      superviseeName: names.get(personal.personId) ?? personal.personId,
      supervisorName: names.get(session.supervisorId) ?? session.supervisorId,
    };
  }

  /** Grants access, written with its audit entry; refused as "not found" to anyone not eligible. */
  async grant(
    viewer: Viewer,
    sessionId: string,
    input: GrantInput,
    request: RequestFacts,
  ): Promise<GrantRow> {
    // Checked here as well as in the form: a grant never exists without a reason.
    if (checkReason(input.reason) !== undefined || !isBreakGlassHours(input.hours))
      throw new ForbiddenError('a break-glass grant needs a reason and a duration');
    const { session, personal } = await this.eligible(viewer, sessionId);
    const grantedAt = this.now();
    const grant: GrantRow = {
      id: randomUUID(),
      sessionId,
      superviseeId: personal.personId,
      accountId: viewer.accountId,
      personId: viewer.personId,
      grantedToName: viewer.name,
      grantedToRole: viewer.role ?? '',
      reason: input.reason,
      hours: input.hours,
      grantedAt,
      expiresAt: expiryOf(grantedAt, input.hours),
      dismissedAt: null,
      sessionDate: session.date,
    };
    await this.db.transaction().execute(async (trx) => {
      await insertGrant(trx, grant);
      // The reason stays in the grant (the supervisee and administrators read it there): the
      // audit trail keeps no free text written about a person.
      await recordAuditIn(trx, this.clock, {
        accountId: viewer.accountId,
        actor: viewer.email,
        action: 'break-glass',
        objectKind: 'supervision-record',
        objectId: sessionId,
        method: request.method,
        route: request.route,
        status: 303,
        ip: request.ip,
        requestId: request.requestId,
        detail: {
          event: 'granted',
          grant: grant.id,
          supervisee: grant.superviseeId,
          hours: grant.hours,
          expiresAt: grant.expiresAt,
          reasonLength: grant.reason.length,
        },
      });
    });
    return grant;
  }

  /**
   * The personal section under the viewer's live grant on this record; "not found" without one,
   * exactly as before it was granted or after it expires.
   */
  async readUnderGrant(viewer: Viewer, sessionId: string) {
    const grant = await liveGrant(this.db, sessionId, viewer.accountId, this.now());
    if (grant === undefined) throw new NotFoundError('session');
    const session = await getSession(this.db, sessionId);
    const personal = await getPersonal(this.db, sessionId);
    if (session === undefined || personal === undefined) throw new NotFoundError('session');
    const names = await namesOf(this.db, 'people', [
      personal.personId,
      personal.authorId,
      session.supervisorId,
    ]);
    return {
      grant,
      session,
      personal,
      superviseeName: names.get(personal.personId) ?? personal.personId,
      supervisorName: names.get(session.supervisorId) ?? session.supervisorId,
      supervisees: supervisees(session),
    };
  }

  /** The notices the signed-in supervisee has not dismissed. */
  async notices(viewer: Viewer): Promise<GrantRow[]> {
    if (viewer.personId === null) return [];
    return grantsAbout(this.db, viewer.personId, { undismissed: true });
  }

  /** The supervisee dismisses a notice; only their own, once. */
  async dismiss(viewer: Viewer, grantId: string): Promise<void> {
    if (viewer.personId === null) throw new NotFoundError('grant');
    const changed = await dismissGrant(this.db, grantId, viewer.personId, this.now());
    if (changed === 0) throw new NotFoundError('grant');
  }

  /** Every grant, newest first, for the administrators' list. */
  async all(): Promise<{ grants: GrantRow[]; names: Map<string, string | null>; now: string }> {
    const grants = await allGrants(this.db);
    const names = await namesOf(
      this.db,
      'people',
      grants.map((g) => g.superviseeId),
    );
    return { grants, names, now: this.now() };
  }
}
