import type { Extract } from '../scheduling/extract.js';
import type { DatedEvent, OrganisationSnapshot, Period } from './snapshot.js';

/**
 * The engine's view of an organisation (spec/scheduling.md §6): every field the extract has and
 * nothing else, since the extract rejects unknown fields. Names, structure and allocations stay
 * behind; every person is a worker. Records are copied, never shared, so that nothing the engine
 * is given can reach back into the snapshot. Nulls stay nulls: §6 reads them as absent.
 */
export function toExtract(snapshot: OrganisationSnapshot): Extract {
  return {
    children: snapshot.children.map((child) => ({
      id: child.id,
      dateOfBirth: child.dateOfBirth,
      involvements: child.involvements.map((i) => ({ type: i.type, start: i.start, end: i.end })),
      placements: child.placements.map((p) => ({
        type: p.type,
        start: p.start,
        end: p.end,
        stableFrom: p.stableFrom,
      })),
      legal: child.legal.map((l) => ({ type: l.type, start: l.start, end: l.end })),
      risk: child.risk.map((r) => ({ level: r.level, from: r.from })),
      events: events(child.events),
    })),
    workers: snapshot.people.map((person) => ({
      id: person.id,
      role: person.role,
      start: person.start,
      end: person.end,
      probationEnd: person.probationEnd,
      earlyCareer: person.earlyCareer === null ? null : period(person.earlyCareer),
      events: events(person.events),
    })),
    fosterCarers: snapshot.fosterCarers.map((carer) => ({
      id: carer.id,
      start: carer.start,
      end: carer.end,
      placements: carer.placements.map(period),
      events: events(carer.events),
    })),
    teams: snapshot.teams.map((team) => ({
      id: team.id,
      groupSupervision: team.groupSupervision,
      start: team.start,
      end: team.end,
      events: events(team.events),
    })),
  };
}

function period(p: Period): Period {
  return { start: p.start, end: p.end };
}

function events<K extends string>(list: readonly DatedEvent<K>[]): DatedEvent<K>[] {
  return list.map((e) => ({ date: e.date, kind: e.kind }));
}
