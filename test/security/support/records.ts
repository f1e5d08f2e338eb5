import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import { childrenOf } from '../../support/demo-people.js';

/**
 * Records at four places relative to the demo social worker (sw@, W0059, in Safeguarding East,
 * supervised by tm@): their own; a colleague's in the same team (also supervised by tm@); one in
 * another team of the same service (Safeguarding West, under hos@); one in another service (Early
 * Help). The demo holds a signed supervision record, its case discussions, actions and contracts
 * for sw@ only: the others are copies of those, made the way the service would hold them, for
 * other people. Handovers and oversight notes are made for all four.
 */

export const PLACES = ['own', 'sameTeam', 'otherTeam', 'otherService'] as const;
export type Place = (typeof PLACES)[number];

export interface PlacedRecords {
  worker: string;
  manager: string;
  team: string;
  service: string;
  child: string;
  session: string;
  discussion: string;
  contract: string;
  handover: string;
  action: string;
  note: string;
}

type Row = Record<string, unknown>;

async function rowsOf(db: Db, table: string, column: string, value: string): Promise<Row[]> {
  const result =
    await sql<Row>`select * from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(
      db,
    );
  return result.rows;
}

async function insert(db: Db, table: string, row: Row): Promise<void> {
  await db
    .insertInto(table as 'events')
    .values(row as never)
    .execute();
}

async function workerIn(
  db: Db,
  team: string,
  not: string[] = [],
): Promise<{ id: string; manager: string }> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'line_manager_id'])
    .where('team_id', '=', team)
    .where('role', '=', 'social-worker')
    .where('line_manager_id', 'is not', null)
    .where('id', 'not in', ['', ...not])
    .where('end', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('due_results')
          .select('subject_id')
          .whereRef('due_results.worker_id', '=', 'people.id')
          .where('subject_kind', '=', 'child')
          .where('requirement', '=', 'case-supervision'),
      ),
    )
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, manager: row.line_manager_id ?? '' };
}

export async function placeRecords(db: Db): Promise<Record<Place, PlacedRecords>> {
  const sw = 'W0059';
  const tm = 'W0056';
  const session = await db
    .selectFrom('supervision_sessions')
    .innerJoin('session_participants', 'session_participants.session_id', 'supervision_sessions.id')
    .select('supervision_sessions.id')
    .where('session_participants.person_id', '=', sw)
    .orderBy('supervision_sessions.id')
    .executeTakeFirstOrThrow();
  const [template] = await rowsOf(db, 'supervision_sessions', 'id', session.id);
  const participants = await rowsOf(db, 'session_participants', 'session_id', session.id);
  const personal = await rowsOf(db, 'session_personal', 'session_id', session.id);
  const discussions = await rowsOf(db, 'case_discussions', 'session_id', session.id);
  const actions = await rowsOf(db, 'supervision_actions', 'session_id', session.id);
  const [contract] = await rowsOf(db, 'supervision_contracts', 'supervisee_id', sw);
  if (template === undefined || contract === undefined || discussions[0] === undefined)
    throw new Error('the demo has no signed supervision record for sw@');

  const colleague = await workerIn(db, 'team-safeguarding-east', [sw]);
  const west = await workerIn(db, 'team-safeguarding-west');
  const earlyHelp = await workerIn(db, 'team-early-help-north');
  const people: Record<Place, { worker: string; manager: string; team: string; service: string }> =
    {
      own: {
        worker: sw,
        manager: tm,
        team: 'team-safeguarding-east',
        service: 'svc-assessment-child-protection',
      },
      sameTeam: {
        worker: colleague.id,
        manager: colleague.manager,
        team: 'team-safeguarding-east',
        service: 'svc-assessment-child-protection',
      },
      otherTeam: {
        worker: west.id,
        manager: west.manager,
        team: 'team-safeguarding-west',
        service: 'svc-assessment-child-protection',
      },
      otherService: {
        worker: earlyHelp.id,
        manager: earlyHelp.manager,
        team: 'team-early-help-north',
        service: 'svc-early-help',
      },
    };

  const placed = {} as Record<Place, PlacedRecords>;
  const now = '2026-11-20T10:00:00.000Z';
  for (const place of PLACES) {
    const who = people[place];
    const [child] = await childrenOf(db, who.worker);
    if (child === undefined) throw new Error(`no child allocated to ${who.worker}`);
    let sessionId = session.id;
    let discussionId = String(discussions[0].id);
    let actionId = String((actions.find((a) => a.owner_id === sw) ?? actions[0])?.id);
    let contractId = String(contract.id);
    if (place !== 'own') {
      sessionId = randomUUID();
      await insert(db, 'supervision_sessions', {
        ...template,
        id: sessionId,
        supervisor_id: who.manager,
      });
      for (const p of participants)
        await insert(db, 'session_participants', {
          ...p,
          session_id: sessionId,
          person_id:
            p.person_id === sw ? who.worker : p.person_id === tm ? who.manager : p.person_id,
        });
      for (const p of personal)
        await insert(db, 'session_personal', {
          ...p,
          session_id: sessionId,
          person_id: who.worker,
          author_id: who.manager,
        });
      discussionId = randomUUID();
      await insert(db, 'case_discussions', {
        ...discussions[0],
        id: discussionId,
        session_id: sessionId,
        child_id: child,
        worker_id: who.worker,
      });
      actionId = randomUUID();
      await insert(db, 'supervision_actions', {
        ...(actions[0] ?? {}),
        id: actionId,
        session_id: sessionId,
        discussion_id: discussionId,
        child_id: child,
        owner_id: who.worker,
      });
      contractId = randomUUID();
      await insert(db, 'supervision_contracts', {
        ...contract,
        id: contractId,
        supervisee_id: who.worker,
        supervisor_id: who.manager,
      });
    }
    const handover = randomUUID();
    await insert(db, 'handovers', {
      id: handover,
      supervisee_id: who.worker,
      from_supervisor_id: null,
      to_supervisor_id: who.manager,
      summary: '{}',
      notes: null,
      created_at: now,
      acknowledged_at: null,
    });
    const note = randomUUID();
    await insert(db, 'oversight_notes', {
      id: note,
      child_id: child,
      kind: 'oversight',
      date: '2026-11-20',
      decision: `Decision for ${place}`,
      rationale: 'Made for the security tests',
      author_id: who.manager,
      created_at: now,
    });
    placed[place] = {
      ...who,
      child,
      session: sessionId,
      discussion: discussionId,
      contract: contractId,
      handover,
      action: actionId,
      note,
    };
  }
  return placed;
}

/** The path parameters of a place's records, by the segment before each (see fillPath). */
export function pathIdsOf(records: PlacedRecords): Record<string, string> {
  return {
    children: records.child,
    workers: records.worker,
    teams: records.team,
    services: records.service,
    supervision: records.session,
    cases: records.discussion,
    contracts: records.contract,
    handovers: records.handover,
    actions: records.action,
  };
}

/** Ids of the same shape that name nothing. */
export const MADE_UP_IDS: Record<string, string> = {
  children: 'C999999',
  workers: 'W9999',
  teams: 'team-safeguarding-north',
  services: 'svc-youth-justice',
  supervision: '01a20d89-0000-7000-8000-000000000000',
  cases: '01a20d89-0000-7000-8000-000000000001',
  contracts: '01a20d89-0000-7000-8000-000000000002',
  handovers: '01a20d89-0000-7000-8000-000000000003',
  actions: '01a20d89-0000-7000-8000-000000000004',
};
