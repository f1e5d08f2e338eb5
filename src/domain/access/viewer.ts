import type { WorkerRole } from '../scheduling/vocabulary.js';

/**
 * Who is signed in, and what their place in the structure lets them see. Decided here, in one
 * place; the repositories turn a Scope into the `where` of every query that reads children,
 * workers or due dates, so nothing outside it is ever loaded.
 */
export type Scope =
  /** Assistant directors, directors and quality-assurance officers. */
  | { readonly kind: 'everything' }
  /** A head of service or service manager: their service (and their own supervision). */
  | { readonly kind: 'service'; readonly serviceId: string; readonly personId: string }
  /** A team manager: their team, and anyone they supervise elsewhere. */
  | { readonly kind: 'team'; readonly teamId: string; readonly personId: string }
  /** A supervisor: themselves, their supervisees and all of their children. */
  | { readonly kind: 'supervisor'; readonly personId: string }
  /** A practitioner: their own supervision and their allocated children. */
  | { readonly kind: 'own'; readonly personId: string }
  /** An administrator without a place in the structure: the structure, not children. */
  | { readonly kind: 'none' };

export type Access = 'staff' | 'quality-assurance' | 'administrator';

export interface Viewer {
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly access: Access;
  readonly personId: string | null;
  readonly role: WorkerRole | null;
  readonly scope: Scope;
  /** What the navigation offers: the levels this person looks at. */
  readonly levels: {
    readonly myWork: boolean;
    readonly teamId: string | null;
    readonly serviceId: string | null;
    readonly directorate: boolean;
    readonly administration: boolean;
  };
}

export interface PersonPlace {
  readonly id: string;
  readonly role: WorkerRole;
  readonly teamId: string | null;
  /** The person's own service, or their team's. */
  readonly serviceId: string | null;
  readonly supervisees: number;
}

const DIRECTORATE_ROLES: readonly WorkerRole[] = ['assistant-director', 'director'];
const SERVICE_ROLES: readonly WorkerRole[] = ['head-of-service', 'service-manager'];

export function scopeFor(access: Access, person: PersonPlace | null): Scope {
  if (access === 'quality-assurance') return { kind: 'everything' };
  if (person === null) return { kind: 'none' };
  if (DIRECTORATE_ROLES.includes(person.role)) return { kind: 'everything' };
  if (SERVICE_ROLES.includes(person.role) && person.serviceId !== null)
    return { kind: 'service', serviceId: person.serviceId, personId: person.id };
  if (person.role === 'team-manager' && person.teamId !== null)
    return { kind: 'team', teamId: person.teamId, personId: person.id };
  if (person.supervisees > 0) return { kind: 'supervisor', personId: person.id };
  return { kind: 'own', personId: person.id };
}

export function levelsFor(
  access: Access,
  person: PersonPlace | null,
  scope: Scope,
): Viewer['levels'] {
  return {
    myWork: person !== null,
    teamId: scope.kind === 'team' ? scope.teamId : null,
    serviceId: scope.kind === 'service' ? scope.serviceId : null,
    directorate: scope.kind === 'everything',
    administration: access === 'administrator',
  };
}

/** Tightening a child's schedule: a manager (anyone supervising, or above). */
export function mayTighten(viewer: Viewer): boolean {
  return viewer.scope.kind !== 'own' && viewer.scope.kind !== 'none' && viewer.access === 'staff';
}

/** Loosening needs a service manager or above. */
export function mayLoosen(viewer: Viewer): boolean {
  return (
    viewer.access === 'staff' &&
    viewer.role !== null &&
    [...SERVICE_ROLES, ...DIRECTORATE_ROLES].includes(viewer.role)
  );
}
