import { londonDate } from '../../clock.js';
import type { OversightNoteKind } from '../../domain/supervision/record.js';
import { formatDate, formatInstant } from '../../plugins/views.js';
import { displayName } from '../oversight/labels.js';
import { SESSION_TYPE_LABELS } from '../supervision/supervision.presenter.js';
import type { DecisionRecordData } from './decision-records.service.js';
import type { NoteListItem } from './notes.service.js';

/**
 * Words for management oversight notes and decision records. The decision record's view is
 * plain text only, so that the page and the PDF (decision-record.pdf.ts) say the same thing.
 */

export const NOTE_KIND_LABELS: Record<OversightNoteKind, string> = {
  'ten-day-review': '10-day review',
  'twenty-day-review': '20-day review',
  'manager-decision': 'Manager’s decision',
  'consultation-supervisor': 'Consultation with supervisor',
  'consultation-principal-officer': 'Consultation with a principal officer',
  'consultation-iro-cp-chair': 'Consultation with an IRO or child protection chair',
};

export const NOTE_KIND_HINTS: Record<OversightNoteKind, string> = {
  'ten-day-review':
    'A manager’s review of the assessment within 10 working days of it starting (this meets the 10-day review)',
  'twenty-day-review': 'A manager’s review of the assessment 20 working days into it',
  'manager-decision': 'A decision about the case made between supervision sessions',
  'consultation-supervisor': 'Advice and direction from your supervisor outside supervision',
  'consultation-principal-officer': 'Advice from a principal officer on a specific issue',
  'consultation-iro-cp-chair':
    'Advice from the independent reviewing officer or the child protection chair',
};

export function personWords(id: string, name: string | null): string {
  return displayName(name, 'worker', id);
}

function listWords(list: readonly string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1) ?? ''}`;
}

/** The date (in London) an instant falls on, as "24 Nov 2026". */
export function dayOf(instant: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : formatDate(londonDate(new Date(ms)));
}

export function presentNote(note: NoteListItem) {
  return {
    id: note.id,
    date: formatDate(note.date),
    kind: NOTE_KIND_LABELS[note.kind],
    author: personWords(note.authorId, note.authorName),
    decision: note.decision,
    rationale: note.rationale,
    writtenAt: formatInstant(note.createdAt),
  };
}

export function decisionRecordHref(sessionId: string, discussionId: string, pdf = false): string {
  return `/supervision/${encodeURIComponent(sessionId)}/cases/${encodeURIComponent(discussionId)}/decision-record${pdf ? '.pdf' : ''}`;
}

/** Where a manager records that a decision record has been copied to the child's file. */
export function copiedHref(sessionId: string, discussionId: string): string {
  return `/supervision/${encodeURIComponent(sessionId)}/cases/${encodeURIComponent(discussionId)}/copied`;
}

/** One decision record as text: the page shows it, and the PDF prints it. */
export interface DecisionRecordView {
  organisation: string;
  childId: string;
  childName: string;
  dateOfBirth: string;
  supervisionDate: string;
  sessionType: string;
  supervisees: string;
  /** "Supervisee" or "Supervisees", as there are one or more. */
  superviseesLabel: string;
  supervisor: string;
  othersPresent: string | null;
  status: string | null;
  sinceLast: string | null;
  changes: string | null;
  worries: string | null;
  workingWell: string | null;
  strengths: string | null;
  childVoice: string | null;
  decision: string | null;
  rationale: string | null;
  actions: { description: string; owner: string; due: string | null; timescale: string }[];
  signatures: { role: string; name: string; signed: string }[];
  copied: string | null;
}

export function presentDecisionRecord(record: DecisionRecordData): DecisionRecordView {
  const d = record.discussion;
  return {
    organisation: record.organisation,
    childId: record.child.id,
    childName: displayName(record.child.name, 'child', record.child.id),
    dateOfBirth:
      record.child.dateOfBirth === null ? 'Not recorded' : formatDate(record.child.dateOfBirth),
    supervisionDate: formatDate(record.session.date),
    sessionType: SESSION_TYPE_LABELS[record.session.type],
    supervisees: listWords(record.supervisees.map((s) => personWords(s.personId, s.name))),
    superviseesLabel: record.supervisees.length === 1 ? 'Supervisee' : 'Supervisees',
    supervisor: personWords(record.supervisor.personId, record.supervisor.name),
    othersPresent:
      record.coWorkers.length === 0
        ? null
        : listWords(record.coWorkers.map((c) => personWords(c.personId, c.name))),
    status: d.status,
    sinceLast: d.sinceLast,
    changes: d.changes,
    worries: d.worries,
    workingWell: d.workingWell,
    strengths: d.strengths,
    childVoice: d.childVoice,
    decision: d.decision,
    rationale: d.rationale,
    actions: record.actions.map((a) => ({
      description: a.description,
      owner: personWords(a.ownerId, a.ownerName),
      due: a.dueDate === null ? null : formatDate(a.dueDate),
      timescale: a.dueDate === null ? 'No date set' : `By ${formatDate(a.dueDate)}`,
    })),
    signatures: [
      {
        role: 'Supervisor or manager',
        name: personWords(record.supervisor.personId, record.supervisor.name),
        signed:
          record.supervisor.signedAt === null
            ? 'Not yet signed'
            : dayOf(record.supervisor.signedAt),
      },
      ...record.supervisees.map((s) => ({
        role: 'Supervisee',
        name: personWords(s.personId, s.name),
        signed: s.signedAt === null ? 'Not yet signed' : dayOf(s.signedAt),
      })),
    ],
    copied:
      record.copied === null
        ? null
        : `Copied to the child’s file by ${personWords(record.copied.byId, record.copied.byName)} on ${dayOf(record.copied.at)}`,
  };
}

/** A case decision as the child's page lists it. */
export function presentCaseDecision(record: DecisionRecordData) {
  const view = presentDecisionRecord(record);
  return {
    sessionId: record.session.id,
    discussionId: record.discussion.id,
    date: view.supervisionDate,
    sessionType: view.sessionType,
    supervisor: view.supervisor,
    supervisees: view.supervisees,
    superviseesLabel: view.superviseesLabel,
    decision: view.decision,
    rationale: view.rationale,
    actions: view.actions,
    copied: view.copied,
    mayMarkCopied: record.mayMarkCopied,
    href: decisionRecordHref(record.session.id, record.discussion.id),
    pdfHref: decisionRecordHref(record.session.id, record.discussion.id, true),
    copiedAction: copiedHref(record.session.id, record.discussion.id),
  };
}

/** What the child's page was sent back after (post/redirect/get): a note, or a copy filed. */
export function savedOnChildPage(query: unknown): 'note' | 'copied' | null {
  const saved =
    typeof query === 'object' && query !== null ? (query as Record<string, unknown>).saved : null;
  return saved === 'note' || saved === 'copied' ? saved : null;
}

/** `decision-record-C001234-2026-11-24.pdf`: a name safe in a header and on any disk. */
export function pdfFileName(prefix: string, childId: string, date: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]/g, '');
  return `${prefix}-${safe(childId)}-${safe(date)}.pdf`;
}
