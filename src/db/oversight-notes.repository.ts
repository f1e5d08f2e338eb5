import type { OversightNoteKind } from '../domain/supervision/record.js';
import { newRowId } from './bulk.js';
import type { Queryable } from './database.js';

/**
 * Management oversight notes on a child, written between supervision sessions, and the reads the
 * child's decision records need beside the supervision repository's (the actions agreed in each
 * case discussion). Access is decided by the services; nothing here reads the personal section.
 */

export interface OversightNoteRow {
  readonly id: string;
  readonly childId: string;
  readonly kind: OversightNoteKind;
  readonly date: string;
  readonly decision: string;
  readonly rationale: string;
  readonly authorId: string;
  readonly createdAt: string;
}

export interface NewOversightNote {
  childId: string;
  kind: OversightNoteKind;
  date: string;
  decision: string;
  rationale: string;
  authorId: string;
}

/** Saves a note; notes are never changed afterwards (a correction is a new note). */
export async function addOversightNote(
  db: Queryable,
  note: NewOversightNote,
  now: string,
): Promise<string> {
  const id = newRowId();
  await db
    .insertInto('oversight_notes')
    .values({
      id,
      child_id: note.childId,
      kind: note.kind,
      date: note.date,
      decision: note.decision,
      rationale: note.rationale,
      author_id: note.authorId,
      created_at: now,
    })
    .execute();
  return id;
}

/** A child's notes, newest first (by their date, then the order they were written in). */
export async function oversightNotesOf(
  db: Queryable,
  childId: string,
): Promise<OversightNoteRow[]> {
  const rows = await db
    .selectFrom('oversight_notes')
    .selectAll()
    .where('child_id', '=', childId)
    .orderBy('date', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    childId: r.child_id,
    kind: r.kind as OversightNoteKind,
    date: r.date,
    decision: r.decision,
    rationale: r.rationale,
    authorId: r.author_id,
    createdAt: r.created_at,
  }));
}

export interface DiscussionActionRow {
  readonly id: string;
  readonly discussionId: string;
  readonly description: string;
  readonly ownerId: string;
  readonly dueDate: string | null;
  readonly state: 'open' | 'done' | 'dropped';
}

/** The actions agreed in some case discussions, in the order they were written. */
export async function actionsOfDiscussions(
  db: Queryable,
  discussionIds: readonly string[],
): Promise<DiscussionActionRow[]> {
  if (discussionIds.length === 0) return [];
  const rows = await db
    .selectFrom('supervision_actions')
    .select(['id', 'discussion_id', 'description', 'owner_id', 'due_date', 'state'])
    .where('discussion_id', 'in', [...new Set(discussionIds)])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    discussionId: r.discussion_id ?? '',
    description: r.description,
    ownerId: r.owner_id,
    dueDate: r.due_date,
    state: r.state as DiscussionActionRow['state'],
  }));
}
