import type { Viewer } from '../access/viewer.js';
import type { WorkerRole } from '../scheduling/vocabulary.js';

/**
 * Break-glass access to the personal section of one signed supervision record (the issue: "a
 * head of service or assistant director who needs it (an HR investigation) uses break-glass
 * access: a stated reason, time-limited, audited, and the supervisee is told").
 *
 * Who may ask: heads of service and service managers for the people their service covers, and
 * assistant directors and directors. Not quality assurance: its officers audit the quality of
 * practice, not people's wellbeing, and the issue names managers in the line of the supervisee.
 * Not administrators, whose accounts keep the structure and see no records.
 */

export const BREAK_GLASS_ROLES: readonly WorkerRole[] = [
  'head-of-service',
  'service-manager',
  'assistant-director',
  'director',
];

/** How long a grant lasts: long enough for one piece of work, never open-ended. */
export const BREAK_GLASS_HOURS = [1, 8, 24, 72] as const;
export type BreakGlassHours = (typeof BREAK_GLASS_HOURS)[number];

export const REASON_MIN = 20;
export const REASON_MAX = 1000;

/** Whether someone's role lets them ask at all (their service's reach is checked as well). */
export function mayAskForBreakGlass(viewer: Viewer): boolean {
  return (
    viewer.access === 'staff' && viewer.role !== null && BREAK_GLASS_ROLES.includes(viewer.role)
  );
}

/** The reason, or the problem with it: some real words, not a token gesture. */
export function checkReason(reason: string): string | undefined {
  const words = reason.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (reason === '') return 'Enter why you need to read this personal section';
  if (reason.length < REASON_MIN || words.length < 3)
    return `Give the reason in at least ${String(REASON_MIN)} characters and a few words, for example the HR investigation’s reference and what it is about`;
  if (reason.length > REASON_MAX)
    return `The reason must be ${String(REASON_MAX)} characters or fewer`;
  return undefined;
}

export function isBreakGlassHours(value: number): value is BreakGlassHours {
  return (BREAK_GLASS_HOURS as readonly number[]).includes(value);
}

/** A grant is live from the moment it is made until (not including) its expiry. */
export function isLive(grant: { grantedAt: string; expiresAt: string }, now: string): boolean {
  return grant.grantedAt <= now && now < grant.expiresAt;
}
