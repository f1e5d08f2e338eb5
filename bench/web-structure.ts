/**
 * Gives an imported extract the structure a council has and an extract lacks, for the web
 * benchmark: services, teams in them, a team and a line manager for every worker, names, an
 * allocation for every child, a supervising worker for every foster carer, and a director who
 * can sign in. Deterministic: the same database and seed always get the same structure.
 *
 * Everything is written in one transaction, with plain SQL through Kysely where the repositories
 * would rewrite whole subjects (and their millions of events) to change a name or a team.
 */
import { sql, type RawBuilder } from 'kysely';
import { createAccount } from '../src/db/accounts.repository.js';
import { insertMany, newRowId } from '../src/db/bulk.js';
import type { Db, Queryable } from '../src/db/database.js';
import { savePeople, saveServices } from '../src/db/organisation.repository.js';
import { hashPassword } from '../src/services/auth.service.js';

export interface StructureOptions {
  seed: number;
  /** The day the extract was made for (YYYY-MM-DD): open allocations start on or before it. */
  asOf: string;
  now: string;
  directorEmail: string;
  directorPassword: string;
}

export interface StructureSummary {
  services: number;
  teams: number;
  workers: number;
  teamManagers: number;
  children: number;
  openChildren: number;
  fosterCarers: number;
  directorId: string;
}

export const SERVICE_NAMES = [
  'Front Door and Assessment',
  'Children in Need',
  'Child Protection',
  'Children Looked After',
  'Care Leavers',
  'Fostering',
  'Early Help',
  'Disabled Children',
  'Adoption and Permanence',
  'Youth Justice',
  'Family Support',
  'Residential Care',
] as const;

const FIRST_NAMES = [
  'Aisha',
  'Alfie',
  'Amelia',
  'Arjun',
  'Ava',
  'Ben',
  'Chloe',
  'Daniel',
  'Ella',
  'Emily',
  'Ethan',
  'Fatima',
  'Freya',
  'George',
  'Grace',
  'Harry',
  'Isla',
  'Jack',
  'Jacob',
  'Jessica',
  'Kai',
  'Leo',
  'Lily',
  'Maya',
  'Mia',
  'Mohammed',
  'Noah',
  'Olivia',
  'Oscar',
  'Poppy',
  'Priya',
  'Rosie',
  'Ruby',
  'Sam',
  'Sophie',
  'Theo',
  'Thomas',
  'Yusuf',
  'Zara',
  'Zoe',
];
const SURNAMES = [
  'Ahmed',
  'Bailey',
  'Brown',
  'Campbell',
  'Clarke',
  'Davies',
  'Edwards',
  'Evans',
  'Green',
  'Hall',
  'Harris',
  'Hughes',
  'Hussain',
  'Jackson',
  'Jones',
  'Khan',
  'Kowalski',
  'Lewis',
  'Martin',
  'Morris',
  'Murphy',
  'Nowak',
  'Okafor',
  'Patel',
  'Roberts',
  'Robinson',
  'Shah',
  'Singh',
  'Smith',
  'Taylor',
  'Thomas',
  'Thompson',
  'Walker',
  'White',
  'Williams',
  'Wilson',
  'Wood',
  'Wright',
  'Young',
  'Zhang',
];

/** Roles that hold children's cases. */
const CASE_HOLDERS = new Set(['social-worker', 'advanced-practitioner', 'family-support-worker']);

/** mulberry32: a small seeded generator, so the structure is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Extract ids are a letter and a number (C1, W17, T300): in numeric order, not text order. */
function byNumber(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1)) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The same day `years` earlier (29 February becomes 1 March). */
function yearsBefore(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC((y ?? 2000) - years, (m ?? 1) - 1, d ?? 1)).toISOString().slice(0, 10);
}

/**
 * `update table set column = v.columnN … from (values (…), …) as v where table.id = v.column1`:
 * many rows changed in a few statements, on SQLite (3.33 and later) and PostgreSQL alike.
 */
async function updateRows(
  db: Queryable,
  table: 'teams' | 'people' | 'children' | 'foster_carers',
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  const perStatement = Math.floor(30_000 / (columns.length + 1));
  const set = sql.join(
    columns.map((column, i) => sql`${sql.ref(column)} = v.${sql.raw(`column${String(i + 2)}`)}`),
  );
  for (let i = 0; i < rows.length; i += perStatement) {
    const values: RawBuilder<unknown>[] = rows
      .slice(i, i + perStatement)
      .map((row) => sql`(${sql.join(row.map((value) => sql`${value}`))})`);
    await sql`update ${sql.table(table)} set ${set} from (values ${sql.join(values)}) as v where ${sql.ref(`${table}.id`)} = v.column1`.execute(
      db,
    );
  }
}

export async function giveStructure(db: Db, options: StructureOptions): Promise<StructureSummary> {
  const next = random(options.seed);
  const pick = <T>(list: readonly T[]): T => {
    const value = list[Math.floor(next() * list.length)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  };
  const name = () => `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`;
  const passwordHash = await hashPassword(options.directorPassword);

  return db.transaction().execute(async (trx) => {
    // Services, and the extract's teams spread over them.
    const services = SERVICE_NAMES.map((serviceName, i) => ({
      id: `S${String(i + 1)}`,
      name: serviceName,
    }));
    await saveServices(trx, services);
    const teamIds = (await trx.selectFrom('teams').select('id').execute())
      .map((t) => t.id)
      .sort(byNumber);
    const teamService = new Map<string, { id: string; name: string }>();
    const perService = new Map<string, number>();
    const teamRows = teamIds.map((id, i) => {
      const service = services[i % services.length] ?? services[0];
      if (service === undefined) throw new Error('no services');
      teamService.set(id, service);
      const n = (perService.get(service.id) ?? 0) + 1;
      perService.set(service.id, n);
      return [id, `${service.name} ${String(n)}`, service.id] as const;
    });
    await updateRows(trx, 'teams', ['name', 'service_id'], teamRows);

    // Teams of uneven size: every worker in one, each team with a team manager, who is the line
    // manager of the rest of it.
    const workers = (await trx.selectFrom('people').select(['id', 'role', 'end']).execute()).sort(
      (a, b) => byNumber(a.id, b.id),
    );
    const weights = teamIds.map(() => 0.4 + next() * 1.2);
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    const pickTeam = (): string => {
      let r = next() * totalWeight;
      for (const [i, w] of weights.entries()) {
        r -= w;
        if (r < 0) return teamIds[i] ?? '';
      }
      return teamIds[teamIds.length - 1] ?? '';
    };
    const managerOf = new Map<string, string>();
    const managers = workers.filter((w) => w.role === 'team-manager' && w.end === null);
    const others = workers.filter((w) => !(w.role === 'team-manager' && w.end === null));
    // A team without a manager of that role left takes a current worker as its line manager.
    const spare = others.filter((w) => w.end === null);
    const teamOf = new Map<string, string>();
    for (const teamId of teamIds) {
      const manager = managers.shift() ?? spare.shift();
      if (manager === undefined) break;
      managerOf.set(teamId, manager.id);
      teamOf.set(manager.id, teamId);
    }
    for (const w of [...managers, ...others]) if (!teamOf.has(w.id)) teamOf.set(w.id, pickTeam());
    const people = workers.map((w) => {
      const teamId = teamOf.get(w.id) ?? null;
      const manager = teamId === null ? undefined : managerOf.get(teamId);
      return [
        w.id,
        name(),
        teamId,
        teamId === null ? null : (teamService.get(teamId)?.id ?? null),
        manager === undefined || manager === w.id ? null : manager,
      ] as const;
    });
    await updateRows(trx, 'people', ['name', 'team_id', 'service_id', 'line_manager_id'], people);

    // Every child allocated to a current case holder, in that worker's team, from the start of
    // their latest involvement.
    const caseHolders = workers.filter((w) => CASE_HOLDERS.has(w.role) && w.end === null);
    if (caseHolders.length === 0) throw new Error('the extract has no current case holders');
    const children = (
      await trx
        .selectFrom('children')
        .leftJoin('child_involvements', 'child_involvements.child_id', 'children.id')
        .select(['children.id'])
        .select((eb) => [
          eb.fn.max<string | null>('child_involvements.start').as('last_start'),
          eb.fn
            .max<string | null>(
              sql<string>`coalesce(${sql.ref('child_involvements.end')}, '9999-12-31')`,
            )
            .as('last_end'),
        ])
        .groupBy('children.id')
        .execute()
    ).sort((a, b) => byNumber(a.id, b.id));
    let openChildren = 0;
    const allocations = children.map((c) => {
      const worker = pick(caseHolders);
      if (c.last_end !== null && c.last_end >= options.asOf) openChildren++;
      const start =
        c.last_start === null || c.last_start > options.asOf ? options.asOf : c.last_start;
      return {
        id: newRowId(),
        child_id: c.id,
        worker_id: worker.id,
        team_id: teamOf.get(worker.id) ?? null,
        start,
        end: null,
      };
    });
    await insertMany(trx, 'allocations', allocations);
    await updateRows(
      trx,
      'children',
      ['name'],
      children.map((c) => [c.id, name()]),
    );

    // Foster carers supervised by current social workers in the fostering service's teams.
    const fostering = services.find((s) => s.name === 'Fostering')?.id;
    const supervisors = caseHolders.filter(
      (w) =>
        w.role === 'social-worker' && teamService.get(teamOf.get(w.id) ?? '')?.id === fostering,
    );
    const carers = (await trx.selectFrom('foster_carers').select('id').execute())
      .map((c) => c.id)
      .sort(byNumber);
    await updateRows(
      trx,
      'foster_carers',
      ['name', 'supervising_worker_id'],
      carers.map((id) => [id, name(), pick(supervisors.length > 0 ? supervisors : caseHolders).id]),
    );

    // The director, who signs in.
    const directorId = 'DIRECTOR';
    await savePeople(
      trx,
      [
        {
          id: directorId,
          name: "Director of Children's Services",
          email: options.directorEmail,
          role: 'director',
          teamId: null,
          serviceId: null,
          lineManagerId: null,
          start: yearsBefore(options.asOf, 5),
          end: null,
          probationEnd: null,
          earlyCareer: null,
          events: [],
        },
      ],
      'structure',
      options.now,
    );
    await createAccount(
      trx,
      { email: options.directorEmail, passwordHash, personId: directorId, access: 'staff' },
      options.now,
    );
    return {
      services: services.length,
      teams: teamIds.length,
      workers: workers.length,
      teamManagers: managerOf.size,
      children: children.length,
      openChildren,
      fosterCarers: carers.length,
      directorId,
    };
  });
}

/**
 * The pages to measure, chosen from the recomputed results: the team with the median number of
 * children's clocks (a mid-sized team), its service, and the middle open child in it with results.
 */
export async function choosePages(
  db: Db,
): Promise<{ serviceId: string; teamId: string; childId: string }> {
  const teams = await db
    .selectFrom('due_results')
    .innerJoin('teams', 'teams.id', 'due_results.team_id')
    .select(['teams.id', 'teams.service_id'])
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('due_results.subject_kind', '=', 'child')
    .where('due_results.period_start', '=', '')
    .groupBy(['teams.id', 'teams.service_id'])
    .execute();
  teams.sort((a, b) => Number(a.n) - Number(b.n) || byNumber(a.id, b.id));
  const team = teams[Math.floor(teams.length / 2)];
  if (team?.service_id == null) throw new Error('no team with children');
  const children = (
    await db
      .selectFrom('due_results')
      .select('subject_id')
      .distinct()
      .where('subject_kind', '=', 'child')
      .where('period_start', '=', '')
      .where('team_id', '=', team.id)
      .execute()
  )
    .map((r) => r.subject_id)
    .sort(byNumber);
  const childId = children[Math.floor(children.length / 2)];
  if (childId === undefined) throw new Error('no open child with results');
  return { serviceId: team.service_id, teamId: team.id, childId };
}
