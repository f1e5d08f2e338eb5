import type { Queryable, SubjectKindColumn } from '../../db/database.js';
import { loadDueContext, recomputeSubjects } from '../../services/due.service.js';

/**
 * Recomputes the due dates of the subjects a change touched, inside the change's transaction,
 * so that nobody ever reads dates that disagree with the records (docs/adr/0004).
 */
export async function recomputeTouched(
  trx: Queryable,
  today: string,
  touched: Partial<Record<SubjectKindColumn, readonly string[]>>,
): Promise<void> {
  const ctx = await loadDueContext(trx, today);
  for (const kind of ['team', 'worker', 'fosterCarer', 'child'] as const) {
    const ids = [...new Set(touched[kind] ?? [])];
    if (ids.length > 0) await recomputeSubjects(trx, ctx, kind, ids);
  }
}
