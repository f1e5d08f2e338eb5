/**
 * A supervision record, the rules about who may do what with it, and what it counts as for the
 * scheduling engine once signed. Pure: the service layer loads the record and asks these.
 *
 * The shape follows the policies' own forms (004's Appendix 3, Parts A and B, and 003's
 * recording column): a personal section kept apart, a review of earlier actions, one case
 * discussion per child, team and general issues, and signatures from both sides.
 */

export const SESSION_TYPES = ['individual', 'group', 'joint'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export type SessionState = 'draft' | 'awaiting-supervisee' | 'complete';

export type ParticipantRole = 'supervisee' | 'co-worker';

export interface Participant {
  readonly personId: string;
  readonly role: ParticipantRole;
  readonly signedAt: string | null;
}

export interface SessionHeader {
  readonly id: string;
  readonly type: SessionType;
  readonly supervisorId: string;
  readonly teamId: string | null;
  readonly date: string;
  readonly state: SessionState;
  readonly participants: readonly Participant[];
}

export const ACTION_OUTCOMES = ['done', 'carried', 'dropped'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

/** An action carried forward this many times or more has drifted. */
export const DRIFT_AFTER = 3;

export function hasDrifted(action: { carried: number; state: string }): boolean {
  return action.state === 'open' && action.carried >= DRIFT_AFTER;
}

/** Between-session notes that evidence management oversight of a child (003, 004). */
export const OVERSIGHT_NOTE_KINDS = [
  'ten-day-review',
  'twenty-day-review',
  'manager-decision',
  'consultation-supervisor',
  'consultation-principal-officer',
  'consultation-iro-cp-chair',
] as const;
export type OversightNoteKind = (typeof OVERSIGHT_NOTE_KINDS)[number];

/** Notes only a manager may write; consultations may be recorded by the worker who consulted. */
export const MANAGER_NOTE_KINDS: readonly OversightNoteKind[] = [
  'ten-day-review',
  'twenty-day-review',
  'manager-decision',
];

export function supervisees(session: Pick<SessionHeader, 'participants'>): string[] {
  return session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId);
}

export type Relation = 'supervisor' | 'supervisee' | 'co-worker' | null;

export function relationTo(
  session: Pick<SessionHeader, 'supervisorId' | 'participants'>,
  personId: string | null,
): Relation {
  if (personId === null) return null;
  if (session.supervisorId === personId) return 'supervisor';
  return session.participants.find((p) => p.personId === personId)?.role ?? null;
}

/**
 * The personal section: its supervisee and the supervisor who wrote it, and no one else, at any
 * level (a head of service who needs it uses break-glass access, which is audited).
 */
export function mayReadPersonal(
  personal: { readonly personId: string; readonly authorId: string },
  personId: string | null,
): boolean {
  return personId !== null && (personal.personId === personId || personal.authorId === personId);
}

/** Only the supervisor writes a draft; it is locked once they sign. */
export function mayEdit(session: SessionHeader, personId: string | null): boolean {
  return session.state === 'draft' && session.supervisorId === personId;
}

/**
 * A supervisee may prepare the worker's part of their own children's case discussions (Part A
 * of the policy's record) while the draft is open.
 */
export function mayPrepare(session: SessionHeader, personId: string | null): boolean {
  return session.state === 'draft' && supervisees(session).includes(personId ?? '');
}

export function maySignAsSupervisee(session: SessionHeader, personId: string | null): boolean {
  return (
    session.state === 'awaiting-supervisee' &&
    session.participants.some(
      (p) => p.personId === personId && p.role === 'supervisee' && p.signedAt === null,
    )
  );
}

/** After the supervisor signs, changes are dated addenda by the supervisor or a supervisee. */
export function mayAddAddendum(session: SessionHeader, personId: string | null): boolean {
  if (session.state === 'draft') return false;
  const relation = relationTo(session, personId);
  return relation === 'supervisor' || relation === 'supervisee';
}

export interface EngineEvent {
  readonly subjectKind: 'child' | 'worker' | 'team';
  readonly subjectId: string;
  readonly kind: string;
  readonly date: string;
}

/**
 * What a record counts as when the supervisor signs it (docs/recording.md):
 * - individual: professional supervision (`individual`) for the supervisee, and case
 *   supervision (`case-supervision`) for every child discussed;
 * - group: `group-supervision` for every child discussed, `group` for the team whose session it
 *   is, and `group` attendance for each supervisee (which satisfies nothing in the presets);
 * - joint (with co-workers from other teams): `case-supervision` for every child discussed; it
 *   is not the supervisee's professional supervision, which has a personal section.
 * All on the session's date, not the date of signing.
 */
export function eventsForSession(
  session: Pick<SessionHeader, 'type' | 'teamId' | 'date' | 'participants'>,
  childIds: readonly string[],
): EngineEvent[] {
  const date = session.date;
  const children = [...new Set(childIds)];
  const people = supervisees(session);
  switch (session.type) {
    case 'individual':
      return [
        ...people.map((id) => ({ subjectKind: 'worker', subjectId: id, kind: 'individual', date })),
        ...children.map((id) => ({
          subjectKind: 'child',
          subjectId: id,
          kind: 'case-supervision',
          date,
        })),
      ] as EngineEvent[];
    case 'group':
      return [
        ...(session.teamId === null
          ? []
          : [{ subjectKind: 'team', subjectId: session.teamId, kind: 'group', date }]),
        ...people.map((id) => ({ subjectKind: 'worker', subjectId: id, kind: 'group', date })),
        ...children.map((id) => ({
          subjectKind: 'child',
          subjectId: id,
          kind: 'group-supervision',
          date,
        })),
      ] as EngineEvent[];
    case 'joint':
      return children.map((id) => ({
        subjectKind: 'child',
        subjectId: id,
        kind: 'case-supervision',
        date,
      }));
  }
}

/**
 * Whole days from the session to the day (in London) the record was signed: the policies ask for
 * notes to be distributed promptly.
 */
export function daysToSign(sessionDate: string, signedDate: string | null): number | null {
  if (signedDate === null) return null;
  const start = Date.parse(`${sessionDate}T00:00:00Z`);
  const signed = Date.parse(`${signedDate}T00:00:00Z`);
  return Math.max(0, Math.round((signed - start) / 86_400_000));
}
