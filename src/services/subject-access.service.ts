import type { Clock } from '../clock.js';
import { NotFoundError } from '../domain/errors.js';
import {
  accountWithoutSecrets,
  actionsOwnedBy,
  addendaBy,
  agendaItemsOf,
  auditEntriesOf,
  contractsOf,
  discussionsIn,
  grantsAbout,
  handoversOf,
  importsBy,
  oversightNotesBy,
  ownPersonalSections,
  participantsOf,
  personRow,
  sessionsAsParticipant,
  sessionsSupervised,
  workerEvents,
} from '../db/data-protection.repository.js';
import type { Db } from '../db/database.js';
import { namesOf } from '../db/structure.repository.js';

/**
 * A subject access export (UK GDPR Article 15) for one member of staff: everything Oversight
 * holds about them, as one JSON document with an `about` section that says what each part is.
 * Never in it: anyone else's personal section, password hashes, two-factor secrets, token
 * hashes. Records they supervised are listed by date, type and who, not by what was said.
 */

export const SUBJECT_ACCESS_ABOUT: Record<string, string> = {
  person:
    'Your record in the council’s structure: name, email, role, team, line manager and dates.',
  account:
    'Your account for signing in to Oversight. Passwords and two-factor secrets are never exported (only their dates).',
  supervisionRecords:
    'Supervision sessions in which you took part (as supervisee or co-worker), in full: your own part, your comments and signatures, the case discussions, and your personal section where there is one. Other people’s personal sections are never included.',
  recordsSupervised:
    'Sessions you ran as supervisor: when, what type, and who took part. What was said is in each supervisee’s own export.',
  actions: 'Actions agreed in supervision that you own.',
  agendaItems: 'Items you added, or that were added for your supervision.',
  contracts: 'Supervision contracts in which you are the supervisee or the supervisor.',
  handovers: 'Handovers between supervisors about you, or that you gave or received.',
  addenda: 'Dated addenda you wrote to signed records.',
  oversightNotes: 'Management oversight notes you wrote about children’s cases.',
  supervisionEvents:
    'Your supervision history as the scheduling engine counts it (the dates that set your next due date).',
  breakGlassGrants:
    'Times someone was given break-glass access to your personal supervision record: who, when, for how long and why.',
  auditEntries:
    'What the audit trail recorded you doing in Oversight: pages viewed, changes, downloads, signing in.',
  imports: 'Imports of council files that you made.',
};

export class SubjectAccessService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Everything held about one person, ready to be written as JSON. */
  async export(personId: string): Promise<Record<string, unknown>> {
    const person = await personRow(this.db, personId);
    if (person === undefined) throw new NotFoundError('person');
    const account = await accountWithoutSecrets(this.db, personId);
    const sessions = await sessionsAsParticipant(this.db, personId);
    const sessionIds = sessions.map((s) => s.id);
    const supervised = await sessionsSupervised(this.db, personId);
    const [participants, supervisedParticipants, discussions, personal] = await Promise.all([
      participantsOf(this.db, sessionIds),
      participantsOf(
        this.db,
        supervised.map((s) => s.id),
      ),
      discussionsIn(this.db, sessionIds),
      ownPersonalSections(this.db, personId),
    ]);
    const [actions, agenda, contracts, handovers, addenda, notes, events, grants] =
      await Promise.all([
        actionsOwnedBy(this.db, personId),
        agendaItemsOf(this.db, personId),
        contractsOf(this.db, personId),
        handoversOf(this.db, personId),
        addendaBy(this.db, personId),
        oversightNotesBy(this.db, personId),
        workerEvents(this.db, personId),
        grantsAbout(this.db, personId),
      ]);
    const audit = account === undefined ? [] : await auditEntriesOf(this.db, account.id);
    const imports = await importsBy(
      this.db,
      [account?.email, account?.id].filter((x): x is string => typeof x === 'string'),
    );
    const names = await namesOf(this.db, 'people', [
      ...sessions.map((s) => s.supervisor_id),
      ...participants.map((p) => p.person_id),
      ...supervisedParticipants.map((p) => p.person_id),
    ]);
    const who = (id: string) => ({ id, name: names.get(id) ?? null });

    return {
      about: {
        what: `Everything Oversight holds about ${person.name ?? person.id} (person ${person.id}), exported on ${this.clock.now().toISOString()} in answer to a subject access request.`,
        parts: SUBJECT_ACCESS_ABOUT,
        dates: 'Dates are YYYY-MM-DD; times are UTC (ISO 8601).',
      },
      person,
      account: account ?? null,
      supervisionRecords: sessions.map((s) => ({
        ...s,
        supervisor: who(s.supervisor_id),
        participants: participants
          .filter((p) => p.session_id === s.id)
          .map((p) => ({ ...who(p.person_id), role: p.role })),
        caseDiscussions: discussions.filter((d) => d.session_id === s.id),
        // Only this person's own personal section: the table is keyed by whose it is.
        personal: personal.find((p) => p.session_id === s.id) ?? null,
      })),
      recordsSupervised: supervised.map((s) => ({
        ...s,
        participants: supervisedParticipants
          .filter((p) => p.session_id === s.id)
          .map((p) => ({ ...who(p.person_id), role: p.role })),
      })),
      actions,
      agendaItems: agenda,
      contracts,
      handovers,
      addenda,
      oversightNotes: notes,
      supervisionEvents: events,
      breakGlassGrants: grants.map((g) => ({
        id: g.id,
        record: g.sessionId,
        recordDate: g.sessionDate,
        grantedTo: g.grantedToName,
        role: g.grantedToRole,
        reason: g.reason,
        hours: g.hours,
        grantedAt: g.grantedAt,
        expiresAt: g.expiresAt,
        noticeDismissedAt: g.dismissedAt,
      })),
      auditEntries: audit.map((a) => ({ ...a, seq: Number(a.seq), detail: parse(a.detail) })),
      imports: imports.map((i) => ({ ...i, files: parse(i.files) })),
    };
  }

  /** The export as the file's text: UTF-8 JSON, pretty-printed. */
  async exportText(personId: string): Promise<string> {
    return `${JSON.stringify(await this.export(personId), null, 2)}\n`;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
