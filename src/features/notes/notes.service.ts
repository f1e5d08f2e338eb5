import type { Clock } from '../../clock.js';
import { mayTighten, type Viewer } from '../../domain/access/viewer.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { ChildRecord } from '../../domain/organisation/snapshot.js';
import {
  MANAGER_NOTE_KINDS,
  OVERSIGHT_NOTE_KINDS,
  type OversightNoteKind,
} from '../../domain/supervision/record.js';
import type { Db } from '../../db/database.js';
import { addEvent, readChildren } from '../../db/organisation.repository.js';
import {
  addOversightNote,
  oversightNotesOf,
  type OversightNoteRow,
} from '../../db/oversight-notes.repository.js';
import { maySee } from '../../db/scope.js';
import { namesOf } from '../../db/structure.repository.js';
import { ensureCurrent, loadDueContext, recomputeSubjects } from '../../services/due.service.js';
import type { NoteBounds, NoteValue } from './note.form.js';

/**
 * Management oversight notes on a child between supervision sessions (policies 003 and 004): a
 * 10-day or 20-day review, a manager's decision, or a consultation with a supervisor, a principal
 * officer, or an IRO or child protection chair.
 *
 * A note counts for the engine as `management-oversight` on the child (which meets the 10-day
 * review and never counts as case supervision), written with the note in one transaction that
 * also moves the child's due dates. Notes are never changed: a correction is a new note.
 */

/**
 * The kinds of note a viewer may write: a manager any; anyone else in the structure who may see
 * the child (the allocated worker) only the consultations they had. Quality assurance reads
 * records and writes none.
 */
export function noteKindsFor(viewer: Viewer): readonly OversightNoteKind[] {
  if (viewer.access !== 'staff' || viewer.personId === null) return [];
  if (mayTighten(viewer)) return OVERSIGHT_NOTE_KINDS;
  return OVERSIGHT_NOTE_KINDS.filter((k) => !MANAGER_NOTE_KINDS.includes(k));
}

/** The first day the child has any record: the earliest start of an involvement, placement,
 * legal status or allocation. A note cannot be dated before it. */
export function firstRecordOf(child: ChildRecord): string | null {
  const starts = [...child.involvements, ...child.placements, ...child.legal, ...child.allocations]
    .map((p) => p.start)
    .sort();
  return starts[0] ?? null;
}

export interface NoteForm {
  child: { id: string; name: string | null; dateOfBirth: string | null };
  kinds: readonly OversightNoteKind[];
  bounds: NoteBounds;
}

export interface NoteListItem extends OversightNoteRow {
  readonly authorName: string | null;
}

export class NotesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private async visibleChild(viewer: Viewer, childId: string): Promise<ChildRecord> {
    await ensureCurrent(this.db, this.clock);
    if (!(await maySee(this.db, viewer.scope, 'child', childId))) throw new NotFoundError('child');
    const [child] = await readChildren(this.db, [childId]);
    if (child === undefined) throw new NotFoundError('child');
    return child;
  }

  /** What the form needs; refused to anyone who may not see the child or write any note. */
  async form(viewer: Viewer, childId: string): Promise<NoteForm> {
    const child = await this.visibleChild(viewer, childId);
    const kinds = noteKindsFor(viewer);
    if (kinds.length === 0) throw new ForbiddenError('oversight note');
    return {
      child: { id: child.id, name: child.name, dateOfBirth: child.dateOfBirth },
      kinds,
      bounds: { today: this.clock.today(), earliest: firstRecordOf(child) },
    };
  }

  /**
   * Saves a note (already read by note.form.ts against `form()`'s bounds) with its event, and
   * moves the child's due dates, in one transaction. Checks again everything the form was told.
   */
  async add(viewer: Viewer, childId: string, note: NoteValue): Promise<string> {
    const form = await this.form(viewer, childId);
    if (!form.kinds.includes(note.kind)) throw new ForbiddenError('a manager’s note');
    const { today, earliest } = form.bounds;
    if (note.date > today || (earliest !== null && note.date < earliest))
      throw new ForbiddenError('note date outside the child’s record');
    const authorId = viewer.personId ?? '';
    const now = this.clock.now().toISOString();
    const { asOf } = await ensureCurrent(this.db, this.clock);
    return this.db.transaction().execute(async (trx) => {
      const id = await addOversightNote(trx, { childId, authorId, ...note }, now);
      await addEvent(
        trx,
        { subjectKind: 'child', subjectId: childId, kind: 'management-oversight', date: note.date },
        viewer.accountId,
        now,
        { kind: 'oversight-note', id },
      );
      await recomputeSubjects(trx, await loadDueContext(trx, asOf), 'child', [childId]);
      return id;
    });
  }

  /** A child's notes, newest first, with their authors' names. */
  async ofChild(viewer: Viewer, childId: string): Promise<NoteListItem[]> {
    await this.visibleChild(viewer, childId);
    const notes = await oversightNotesOf(this.db, childId);
    const names = await namesOf(
      this.db,
      'people',
      notes.map((n) => n.authorId),
    );
    return notes.map((n) => ({ ...n, authorName: names.get(n.authorId) ?? null }));
  }

  /** Whether the viewer may write a note on a child they can see. */
  mayWrite(viewer: Viewer): boolean {
    return noteKindsFor(viewer).length > 0;
  }
}
