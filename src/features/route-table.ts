import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../domain/access/viewer.js';

/**
 * What a route needs of the person asking, kept beside the route in one flat table
 * (features/routes.ts). Whether a viewer may see a particular child, worker, team or service is
 * decided by the services, in the queries.
 */
export type Need =
  /** Anyone, signed in or not. */
  | 'public'
  /** Anyone signed in. */
  | 'signedIn'
  /** Someone with a place in the structure (their own supervision and caseload). */
  | 'myWork'
  /** Anyone who may see some children or workers (team, service and directorate pages check which). */
  | 'records'
  /** Team managers and above. */
  | 'team'
  /** Heads of service and above. */
  | 'service'
  /** Assistant directors, directors and quality assurance. */
  | 'directorate'
  /** Administrators. */
  | 'admin'
  /** Auditors: quality assurance, assistant directors and directors (the audit trail). */
  | 'audit';

export function allows(need: Need, viewer: Viewer | null): boolean {
  if (need === 'public') return true;
  if (viewer === null) return false;
  const scope = viewer.scope.kind;
  switch (need) {
    case 'signedIn':
      return true;
    case 'myWork':
      return viewer.personId !== null;
    case 'records':
      return scope !== 'none';
    case 'team':
      return scope === 'team' || scope === 'service' || scope === 'everything';
    case 'service':
      return scope === 'service' || scope === 'everything';
    case 'directorate':
      return scope === 'everything';
    case 'admin':
      return viewer.access === 'administrator';
    case 'audit':
      return mayAudit(viewer);
  }
}

const AUDITOR_ROLES: readonly string[] = ['assistant-director', 'director'];

/**
 * Who may search the audit trail: quality assurance, and assistant directors and directors by
 * their role in the structure (not by what they can see: an administrator sees no children and
 * a head of service sees one service, and neither audits the others).
 */
export function mayAudit(viewer: Viewer): boolean {
  return (
    viewer.access === 'quality-assurance' ||
    (viewer.role !== null && AUDITOR_ROLES.includes(viewer.role))
  );
}

/**
 * What the audit trail records of a route, where the audit plugin cannot tell it from the
 * route's address (src/plugins/audit.ts infers most: `/children/:id…` is about a child, a POST is
 * a change, an attachment is a download). `false`: a request that is not recorded at all (a
 * session's keep-alive, say); say why beside it.
 */
export type AuditSpec =
  | false
  | {
      /** 'view', 'change', 'export', 'download', 'sign-in', … */
      readonly action?: string;
      /** What the request is about: its kind, and the path parameter holding its id. */
      readonly object?: { readonly kind: string; readonly param?: string };
    };

export interface RouteDefinition {
  method: 'GET' | 'POST';
  url: string;
  need: Need;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /**
   * A POST that saves part of a draft: when the session has timed out, what was posted is still
   * saved for the person whose session it was, and they are asked to sign in again.
   */
  keepsDraft?: boolean;
  /** What the audit trail records (see AuditSpec); inferred when absent. */
  audit?: AuditSpec;
}

/** Where a viewer lands after signing in, or at `/`. */
export function homeOf(viewer: Viewer): string {
  if (viewer.access === 'administrator') return '/admin';
  if (viewer.personId !== null) return '/my-work';
  return '/directorate';
}

export interface NavigationItem {
  href: string;
  text: string;
  current: boolean;
}

export function navigationFor(viewer: Viewer, path: string): NavigationItem[] {
  const items: { href: string; text: string; prefix: string }[] = [];
  const { levels } = viewer;
  if (levels.myWork) items.push({ href: '/my-work', text: 'My work', prefix: '/my-work' });
  if (levels.myWork)
    items.push({ href: '/supervision', text: 'Supervision', prefix: '/supervision' });
  if (levels.myWork) items.push({ href: '/actions', text: 'Actions', prefix: '/actions' });
  if (levels.teamId !== null)
    items.push({
      href: `/teams/${encodeURIComponent(levels.teamId)}`,
      text: 'My team',
      prefix: '/teams/',
    });
  if (levels.serviceId !== null)
    items.push({
      href: `/services/${encodeURIComponent(levels.serviceId)}`,
      text: 'My service',
      prefix: '/services/',
    });
  if (levels.directorate)
    items.push({ href: '/directorate', text: 'Directorate', prefix: '/directorate' });
  if (levels.administration)
    items.push({ href: '/admin', text: 'Administration', prefix: '/admin' });
  if (mayAudit(viewer)) items.push({ href: '/audit', text: 'Audit trail', prefix: '/audit' });
  return items.map((item) => ({
    href: item.href,
    text: item.text,
    current: path === item.href || path.startsWith(item.prefix),
  }));
}
