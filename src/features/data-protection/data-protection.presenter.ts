import type { Clock } from '../../clock.js';
import { londonDate } from '../../clock.js';
import type { Viewer } from '../../domain/access/viewer.js';
import type { Db } from '../../db/database.js';
import type { SessionRow } from '../../db/supervision.repository.js';
import { BreakGlassService, type GrantRow } from '../../services/break-glass.service.js';
import { label, ROLE_LABELS } from '../oversight/labels.js';

/** What the pages show of break-glass grants and retention. */

export interface PresentedGrant {
  id: string;
  recordHref: string;
  sessionDate: string;
  grantedToName: string;
  roleLabel: string;
  /** The London date it was opened. */
  openedOn: string;
  grantedAt: string;
  expiresAt: string;
  hours: number;
  reason: string;
  dismissedAt: string | null;
}

export function presentGrant(grant: GrantRow): PresentedGrant {
  return {
    id: grant.id,
    recordHref: `/supervision/${encodeURIComponent(grant.sessionId)}`,
    sessionDate: grant.sessionDate,
    grantedToName: grant.grantedToName,
    roleLabel: label(ROLE_LABELS, grant.grantedToRole).toLowerCase(),
    openedOn: londonDate(new Date(grant.grantedAt)),
    grantedAt: grant.grantedAt,
    expiresAt: grant.expiresAt,
    hours: grant.hours,
    reason: grant.reason,
    dismissedAt: grant.dismissedAt,
  };
}

/**
 * The notices a supervisee sees on their Supervision and My work pages until they dismiss them
 * (pages/data-protection/partials/break-glass-notices.njk), with where to come back to.
 */
export async function breakGlassNotices(
  deps: { db: Db; clock: Clock },
  viewer: Viewer,
  returnTo: '/supervision' | '/my-work',
): Promise<{ notices: PresentedGrant[]; returnTo: string }> {
  const grants = await new BreakGlassService(deps.db, deps.clock).notices(viewer);
  return { notices: grants.map(presentGrant), returnTo };
}

export function hoursText(hours: number): string {
  return hours === 1 ? '1 hour' : `${String(hours)} hours`;
}

/**
 * What a signed record's page shows about break-glass: the link to ask (for those who may),
 * the way back in while a grant lasts, and to its supervisee and supervisor the grants on it.
 */
export async function recordBreakGlass(
  deps: { db: Db; clock: Clock },
  viewer: Viewer,
  session: SessionRow,
): Promise<{
  requestHref: string | null;
  live: PresentedGrant | null;
  readHref: string;
  grants: PresentedGrant[];
}> {
  const data = await new BreakGlassService(deps.db, deps.clock).onRecord(viewer, session);
  const base = `/supervision/${encodeURIComponent(session.id)}/break-glass`;
  return {
    requestHref: data.mayRequest ? base : null,
    live: data.live && presentGrant(data.live),
    readHref: `${base}/personal`,
    grants: data.grants.map(presentGrant),
  };
}
