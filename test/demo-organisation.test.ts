import { describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  generateDemoOrganisation,
  type DemoOrganisation,
} from '../src/demo/demo-organisation.js';
import { addMonths, parseIsoDate, toIsoDate, tryParseIsoDate } from '../src/domain/dates/index.js';
import type { OrganisationSnapshot, Period } from '../src/domain/organisation/snapshot.js';
import { toExtract } from '../src/domain/organisation/to-extract.js';
import { computeSchedule, type Status } from '../src/domain/scheduling/engine.js';
import { validateExtract } from '../src/domain/scheduling/extract.js';
import type { InvolvementType } from '../src/domain/scheduling/vocabulary.js';
import { loadPreset } from '../src/policies/index.js';

describe('toExtract', () => {
  it('gives the engine every §6 field and nothing else', () => {
    const snapshot: OrganisationSnapshot = {
      organisation: { name: 'Test Council', directorate: "Children's Services" },
      services: [{ id: 'S1', name: 'Service' }],
      teams: [
        {
          id: 'T1',
          name: 'Team',
          serviceId: 'S1',
          groupSupervision: true,
          start: '2020-01-01',
          end: null,
          events: [{ date: '2026-01-20', kind: 'group' }],
        },
      ],
      people: [
        {
          id: 'W1',
          name: 'Ada Ashdown',
          email: 'ada.ashdown@demo.example',
          role: 'social-worker',
          teamId: 'T1',
          serviceId: null,
          lineManagerId: 'W2',
          start: '2025-09-01',
          end: null,
          probationEnd: '2026-03-01',
          earlyCareer: { start: '2025-09-01', end: null },
          events: [
            { date: '2025-09-01', kind: 'contract' },
            { date: '2025-09-08', kind: 'individual' },
          ],
        },
        {
          id: 'W2',
          name: 'Bea Bellhaven',
          email: null,
          role: 'team-manager',
          teamId: 'T1',
          serviceId: null,
          lineManagerId: null,
          start: '2019-04-01',
          end: '2026-06-30',
          probationEnd: null,
          earlyCareer: null,
          events: [],
        },
      ],
      children: [
        {
          id: 'C1',
          name: 'Cleo Candlewood',
          dateOfBirth: '2014-06-02',
          involvements: [{ type: 'cla', start: '2026-01-05', end: null }],
          placements: [
            { type: 'foster', start: '2026-02-01', end: null, stableFrom: '2026-06-01' },
          ],
          legal: [{ type: 'care-proceedings', start: '2026-01-05', end: null }],
          risk: [{ level: 'low', from: '2026-05-01' }],
          allocations: [{ workerId: 'W1', teamId: 'T1', start: '2026-01-05', end: null }],
          events: [
            { date: '2026-02-20', kind: 'case-supervision' },
            { date: '2026-03-02', kind: 'management-oversight' },
          ],
        },
        {
          id: 'C2',
          name: 'Dara Dovecote',
          dateOfBirth: null,
          involvements: [],
          placements: [],
          legal: [],
          risk: [],
          allocations: [],
          events: [],
        },
      ],
      fosterCarers: [
        {
          id: 'F1',
          name: 'Eden and Ezra Elderbrook',
          start: '2024-01-01',
          end: null,
          supervisingWorkerId: 'W1',
          placements: [{ start: '2026-01-10', end: '2026-04-30' }],
          events: [{ date: '2026-02-01', kind: 'supervision' }],
        },
      ],
    };

    const extract = toExtract(snapshot);

    expect(extract).toStrictEqual({
      children: [
        {
          id: 'C1',
          dateOfBirth: '2014-06-02',
          involvements: [{ type: 'cla', start: '2026-01-05', end: null }],
          placements: [
            { type: 'foster', start: '2026-02-01', end: null, stableFrom: '2026-06-01' },
          ],
          legal: [{ type: 'care-proceedings', start: '2026-01-05', end: null }],
          risk: [{ level: 'low', from: '2026-05-01' }],
          events: [
            { date: '2026-02-20', kind: 'case-supervision' },
            { date: '2026-03-02', kind: 'management-oversight' },
          ],
        },
        {
          id: 'C2',
          dateOfBirth: null,
          involvements: [],
          placements: [],
          legal: [],
          risk: [],
          events: [],
        },
      ],
      workers: [
        {
          id: 'W1',
          role: 'social-worker',
          start: '2025-09-01',
          end: null,
          probationEnd: '2026-03-01',
          earlyCareer: { start: '2025-09-01', end: null },
          events: [
            { date: '2025-09-01', kind: 'contract' },
            { date: '2025-09-08', kind: 'individual' },
          ],
        },
        {
          id: 'W2',
          role: 'team-manager',
          start: '2019-04-01',
          end: '2026-06-30',
          probationEnd: null,
          earlyCareer: null,
          events: [],
        },
      ],
      fosterCarers: [
        {
          id: 'F1',
          start: '2024-01-01',
          end: null,
          placements: [{ start: '2026-01-10', end: '2026-04-30' }],
          events: [{ date: '2026-02-01', kind: 'supervision' }],
        },
      ],
      teams: [
        {
          id: 'T1',
          groupSupervision: true,
          start: '2020-01-01',
          end: null,
          events: [{ date: '2026-01-20', kind: 'group' }],
        },
      ],
    });
    expect(validateExtract(extract).ok).toBe(true);
    // Copies, not the snapshot's own objects.
    expect(extract.children?.[0]?.events).not.toBe(snapshot.children[0]?.events);
    expect(extract.workers?.[0]?.earlyCareer).not.toBe(snapshot.people[0]?.earlyCareer);
  });
});

/** Which services may hold a case of each involvement type. */
const SERVICES_FOR: Record<InvolvementType, readonly string[]> = {
  'early-help': ['svc-early-help'],
  assessment: ['svc-assessment-child-protection'],
  // Private fostering arrangements are held by the fostering service.
  cin: ['svc-assessment-child-protection', 'svc-fostering'],
  cp: ['svc-assessment-child-protection'],
  'cwd-review': ['svc-assessment-child-protection'],
  // Children placed for adoption are held by Adoption and Permanence.
  cla: ['svc-children-in-care', 'svc-fostering'],
  'care-leaver': ['svc-children-in-care'],
};

function isOpen(period: Period): boolean {
  return period.end === null;
}

function tally(statuses: readonly Status[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

function share(statuses: readonly Status[], status: Status): number {
  return statuses.filter((s) => s === status).length / statuses.length;
}

describe.each(['2026-11-24', '2027-06-30'])('the demo organisation on %s', (today) => {
  const demo: DemoOrganisation = generateDemoOrganisation({ today });
  const { snapshot } = demo;
  const people = new Map(snapshot.people.map((p) => [p.id, p]));
  const teams = new Map(snapshot.teams.map((t) => [t.id, t]));
  const services = new Map(snapshot.services.map((s) => [s.id, s]));
  const account = (email: string) => {
    const found = demo.accounts.find((a) => a.email === email);
    if (found === undefined) throw new Error(`no account ${email}`);
    return found;
  };
  const personOf = (email: string) => {
    const id = account(email).personId;
    const person = id === null ? undefined : people.get(id);
    if (person === undefined) throw new Error(`no person behind ${email}`);
    return person;
  };
  const currentAllocation = (child: (typeof snapshot.children)[number]) =>
    child.allocations.find(isOpen);

  it('is a valid extract for the engine', () => {
    const validation = validateExtract(toExtract(snapshot));
    expect(validation.ok ? [] : validation.problems.slice(0, 5)).toEqual([]);
  });

  it('is a clearly made-up council of the right size', () => {
    expect(snapshot.organisation.name).toContain('Demo');
    expect(snapshot.organisation.directorate).toBe("Children's Services");
    expect([...services.keys()].sort()).toEqual([
      'svc-assessment-child-protection',
      'svc-children-in-care',
      'svc-early-help',
      'svc-fostering',
    ]);
    expect(snapshot.teams.length).toBeGreaterThanOrEqual(10);
    expect(snapshot.teams.length).toBeLessThanOrEqual(14);
    for (const service of services.keys()) {
      expect(snapshot.teams.filter((t) => t.serviceId === service).length).toBeGreaterThanOrEqual(
        2,
      );
    }
    expect(snapshot.teams.some((t) => t.groupSupervision && t.events.length > 0)).toBe(true);
    expect(snapshot.people.length).toBeGreaterThanOrEqual(130);
    expect(snapshot.people.length).toBeLessThanOrEqual(170);
    expect(snapshot.children.length).toBeGreaterThanOrEqual(2300);
    expect(snapshot.children.length).toBeLessThanOrEqual(2700);
    expect(snapshot.fosterCarers.length).toBeGreaterThanOrEqual(25);
    expect(snapshot.fosterCarers.length).toBeLessThanOrEqual(35);
    const open = snapshot.children.filter((c) => c.involvements.some(isOpen));
    expect(open.length / snapshot.children.length).toBeGreaterThan(0.45);
    expect(open.length / snapshot.children.length).toBeLessThan(0.7);
  });

  it('has every kind of record the engine reads', () => {
    const involvementTypes = new Set(
      snapshot.children.flatMap((c) => c.involvements.map((i) => i.type)),
    );
    expect([...involvementTypes].sort()).toEqual(
      ['assessment', 'care-leaver', 'cin', 'cla', 'cp', 'cwd-review', 'early-help'].sort(),
    );
    const placementTypes = new Set(
      snapshot.children.flatMap((c) => c.placements.map((p) => p.type)),
    );
    expect([...placementTypes].sort()).toEqual(
      ['adoption', 'foster', 'other', 'residential', 'with-parents'].sort(),
    );
    expect(snapshot.children.some((c) => c.placements.some((p) => p.stableFrom !== null))).toBe(
      true,
    );
    const legalTypes = new Set(snapshot.children.flatMap((c) => c.legal.map((l) => l.type)));
    expect([...legalTypes].sort()).toEqual(['care-proceedings', 'pre-proceedings']);
    const riskLevels = new Set(snapshot.children.flatMap((c) => c.risk.map((r) => r.level)));
    expect([...riskLevels].sort()).toEqual(['high', 'low']);
    const childKinds = new Set(snapshot.children.flatMap((c) => c.events.map((e) => e.kind)));
    expect([...childKinds].sort()).toEqual([
      'case-supervision',
      'group-supervision',
      'management-oversight',
    ]);
    const workerKinds = new Set(snapshot.people.flatMap((p) => p.events.map((e) => e.kind)));
    expect([...workerKinds].sort()).toEqual(['contract', 'group', 'individual']);
    expect(snapshot.fosterCarers.every((f) => f.events.length > 0)).toBe(true);
    const withoutBirth = snapshot.children.filter((c) => c.dateOfBirth === null).length;
    expect(withoutBirth).toBeGreaterThan(0);
    expect(withoutBirth / snapshot.children.length).toBeLessThan(0.03);
  });

  it('has a realistic workforce', () => {
    const asOf = parseIsoDate(today);
    const yearAgo = toIsoDate(addMonths(asOf, -12));
    const sixWeeksAgo = toIsoDate((asOf - 42) as typeof asOf);
    const current = snapshot.people.filter((p) => p.end === null);
    const socialWorkers = current.filter((p) => p.role === 'social-worker');
    const earlyCareer = socialWorkers.filter(
      (p) => p.earlyCareer !== null && p.earlyCareer.start > yearAgo,
    );
    expect(earlyCareer.length / socialWorkers.length).toBeGreaterThanOrEqual(0.15);
    expect(earlyCareer.length / socialWorkers.length).toBeLessThanOrEqual(0.2);
    expect(earlyCareer.some((p) => (p.earlyCareer?.start ?? '') > sixWeeksAgo)).toBe(true);
    expect(current.some((p) => p.probationEnd !== null && p.probationEnd > today)).toBe(true);
    const leavers = snapshot.people.filter((p) => p.end !== null);
    expect(leavers.length).toBeGreaterThanOrEqual(3);
    expect(leavers.every((p) => (p.end ?? '') < today)).toBe(true);
    const startYears = new Set(snapshot.people.map((p) => p.start.slice(0, 4)));
    expect(startYears.size).toBeGreaterThanOrEqual(8);

    const roles = new Set(snapshot.people.map((p) => p.role));
    for (const role of [
      'social-worker',
      'advanced-practitioner',
      'team-manager',
      'head-of-service',
      'assistant-director',
      'family-support-worker',
      'residential-worker',
    ] as const) {
      expect(roles).toContain(role);
    }
    for (const team of snapshot.teams) {
      const managers = current.filter((p) => p.teamId === team.id && p.role === 'team-manager');
      expect(managers).toHaveLength(1);
    }
    for (const service of services.keys()) {
      const heads = current.filter((p) => p.role === 'head-of-service' && p.serviceId === service);
      expect(heads).toHaveLength(1);
      expect(heads[0]?.teamId).toBeNull();
    }

    // Line management follows the structure.
    for (const person of snapshot.people) {
      const manager = person.lineManagerId === null ? undefined : people.get(person.lineManagerId);
      if (person.role === 'team-manager') {
        expect(manager?.role).toBe('head-of-service');
        expect(manager?.serviceId).toBe(teams.get(person.teamId ?? '')?.serviceId);
      } else if (person.role === 'head-of-service') {
        expect(manager?.role).toBe('assistant-director');
      } else if (person.teamId !== null) {
        expect(['team-manager', 'advanced-practitioner']).toContain(manager?.role);
        expect(manager?.teamId).toBe(person.teamId);
      }
    }
    const emails = snapshot.people.map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toMatch(/^[a-z.-]+@demo\.example$/);
  });

  it('keeps every date real, every period in order and nothing after today', () => {
    const problems: string[] = [];
    const date = (where: string, value: string | null) => {
      if (value !== null && tryParseIsoDate(value) === undefined)
        problems.push(`${where}: ${value}`);
    };
    const notAfterToday = (where: string, value: string | null) => {
      date(where, value);
      if (value !== null && value > today) problems.push(`${where}: ${value} is after ${today}`);
    };
    const period = (where: string, p: Period) => {
      notAfterToday(`${where}.start`, p.start);
      notAfterToday(`${where}.end`, p.end);
      if (p.end !== null && p.end < p.start) problems.push(`${where}: ends before it starts`);
    };
    const events = (where: string, list: readonly { date: string }[]) => {
      list.forEach((e, i) => {
        notAfterToday(`${where}.events[${i}]`, e.date);
      });
    };
    for (const t of snapshot.teams) {
      period(t.id, t);
      events(t.id, t.events);
    }
    for (const p of snapshot.people) {
      period(p.id, p);
      date(`${p.id}.probationEnd`, p.probationEnd);
      if (p.earlyCareer !== null) period(`${p.id}.earlyCareer`, p.earlyCareer);
      events(p.id, p.events);
      for (const e of p.events) {
        if (e.date < p.start || (p.end !== null && e.date > p.end))
          problems.push(`${p.id}: event ${e.date} outside employment`);
      }
    }
    for (const c of snapshot.children) {
      notAfterToday(`${c.id}.dateOfBirth`, c.dateOfBirth);
      for (const [name, list] of [
        ['involvements', c.involvements],
        ['placements', c.placements],
        ['legal', c.legal],
        ['allocations', c.allocations],
      ] as const) {
        list.forEach((p: Period, i: number) => {
          period(`${c.id}.${name}[${i}]`, p);
          if (c.dateOfBirth !== null && p.start < c.dateOfBirth)
            problems.push(`${c.id}.${name}[${i}] starts before birth`);
        });
      }
      c.placements.forEach((p, i) => {
        notAfterToday(`${c.id}.placements[${i}].stableFrom`, p.stableFrom);
        if (
          p.stableFrom !== null &&
          (p.stableFrom < p.start || (p.end !== null && p.stableFrom > p.end))
        )
          problems.push(`${c.id}.placements[${i}].stableFrom outside the placement`);
      });
      c.risk.forEach((r, i) => {
        notAfterToday(`${c.id}.risk[${i}]`, r.from);
      });
      if (new Set(c.risk.map((r) => r.from)).size !== c.risk.length)
        problems.push(`${c.id}: two risk entries on one date`);
      events(c.id, c.events);
      const first = c.involvements.reduce((min, i) => (i.start < min ? i.start : min), today);
      for (const e of c.events) {
        if (e.date < first) problems.push(`${c.id}: event ${e.date} before the first record`);
      }
    }
    for (const f of snapshot.fosterCarers) {
      period(f.id, f);
      f.placements.forEach((p, i) => {
        period(`${f.id}.placements[${i}]`, p);
      });
      events(f.id, f.events);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('has unique, readable ids and no reference to a missing record', () => {
    const unique = (ids: string[]) => new Set(ids).size === ids.length;
    expect(unique(snapshot.services.map((s) => s.id))).toBe(true);
    expect(unique(snapshot.teams.map((t) => t.id))).toBe(true);
    expect(unique(snapshot.people.map((p) => p.id))).toBe(true);
    expect(unique(snapshot.children.map((c) => c.id))).toBe(true);
    expect(unique(snapshot.fosterCarers.map((f) => f.id))).toBe(true);
    expect(snapshot.services.every((s) => s.id.startsWith('svc-'))).toBe(true);
    expect(snapshot.teams.every((t) => t.id.startsWith('team-'))).toBe(true);
    expect(snapshot.people.every((p) => /^W\d{4}$/.test(p.id))).toBe(true);
    expect(snapshot.children.every((c) => /^C\d{6}$/.test(c.id))).toBe(true);
    expect(snapshot.fosterCarers.every((f) => /^F\d{3}$/.test(f.id))).toBe(true);

    const problems: string[] = [];
    for (const t of snapshot.teams) {
      if (t.serviceId === null || !services.has(t.serviceId)) problems.push(`${t.id}.serviceId`);
    }
    for (const p of snapshot.people) {
      if (p.teamId !== null && !teams.has(p.teamId)) problems.push(`${p.id}.teamId`);
      if (p.serviceId !== null && !services.has(p.serviceId)) problems.push(`${p.id}.serviceId`);
      if (p.lineManagerId !== null && !people.has(p.lineManagerId))
        problems.push(`${p.id}.lineManagerId`);
      if (p.lineManagerId === p.id) problems.push(`${p.id} manages themselves`);
    }
    for (const c of snapshot.children) {
      for (const a of c.allocations) {
        const team = a.teamId === null ? undefined : teams.get(a.teamId);
        if (team === undefined) problems.push(`${c.id}: allocation to team ${a.teamId ?? 'null'}`);
        if (a.workerId === null) continue;
        const worker = people.get(a.workerId);
        if (worker === undefined) {
          problems.push(`${c.id}: allocation to worker ${a.workerId}`);
          continue;
        }
        if (worker.teamId !== a.teamId)
          problems.push(`${c.id}: ${a.workerId} is not in ${a.teamId ?? ''}`);
        if (
          a.start < worker.start ||
          (worker.end !== null && (a.end === null || a.end > worker.end))
        )
          problems.push(`${c.id}: allocated to ${a.workerId} outside their employment`);
      }
    }
    for (const f of snapshot.fosterCarers) {
      const worker = f.supervisingWorkerId === null ? undefined : people.get(f.supervisingWorkerId);
      if (worker === undefined) problems.push(`${f.id}.supervisingWorkerId`);
      else if (teams.get(worker.teamId ?? '')?.serviceId !== 'svc-fostering')
        problems.push(`${f.id}: supervised from outside fostering`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('allocates every open case, and only open cases, to a team of the right service', () => {
    const problems: string[] = [];
    for (const c of snapshot.children) {
      const open = c.involvements.filter(isOpen);
      const current = c.allocations.filter(isOpen);
      if (open.length === 0) {
        if (current.length > 0) problems.push(`${c.id}: closed but allocated`);
        continue;
      }
      if (current.length !== 1) {
        problems.push(`${c.id}: ${current.length} open allocations`);
        continue;
      }
      const service = teams.get(current[0]?.teamId ?? '')?.serviceId ?? '';
      for (const involvement of open) {
        if (!SERVICES_FOR[involvement.type].includes(service))
          problems.push(`${c.id}: ${involvement.type} held by ${service}`);
      }
      // Allocations follow one another without overlapping.
      const sorted = [...c.allocations].sort((a, b) => (a.start < b.start ? -1 : 1));
      for (let i = 1; i < sorted.length; i++) {
        const before = sorted[i - 1];
        const after = sorted[i];
        if (before?.end == null || (after !== undefined && after.start <= before.end))
          problems.push(`${c.id}: overlapping allocations`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // Cases move between services over time.
    const moved = snapshot.children.filter(
      (c) => new Set(c.allocations.map((a) => teams.get(a.teamId ?? '')?.serviceId)).size > 1,
    );
    expect(moved.length).toBeGreaterThan(300);
  });

  it('has the six demo accounts, tied together through the structure', () => {
    expect(DEMO_PASSWORD).toBe('oversight-demo');
    expect(demo.policyId).toBe('four-weekly');
    expect(demo.accounts.map((a) => [a.email, a.access])).toEqual([
      ['admin@demo.example', 'administrator'],
      ['director@demo.example', 'staff'],
      ['hos@demo.example', 'staff'],
      ['tm@demo.example', 'staff'],
      ['sw@demo.example', 'staff'],
      ['qa@demo.example', 'quality-assurance'],
    ]);
    expect(account('admin@demo.example').personId).toBeNull();

    const director = personOf('director@demo.example');
    const hos = personOf('hos@demo.example');
    const tm = personOf('tm@demo.example');
    const sw = personOf('sw@demo.example');
    const qa = personOf('qa@demo.example');
    for (const [email, person] of [
      ['director@demo.example', director],
      ['hos@demo.example', hos],
      ['tm@demo.example', tm],
      ['sw@demo.example', sw],
      ['qa@demo.example', qa],
    ] as const) {
      expect(person.email).toBe(email);
      expect(person.end).toBeNull();
    }

    expect(director.role).toBe('assistant-director');
    expect(director.teamId).toBeNull();
    expect(director.serviceId).toBeNull();

    expect(sw.role).toBe('social-worker');
    expect(sw.lineManagerId).toBe(tm.id);
    expect(tm.role).toBe('team-manager');
    expect(tm.teamId).not.toBeNull();
    expect(sw.teamId).toBe(tm.teamId);
    expect(hos.role).toBe('head-of-service');
    expect(hos.serviceId).toBe('svc-assessment-child-protection');
    expect(teams.get(tm.teamId ?? '')?.serviceId).toBe(hos.serviceId);
    expect(tm.lineManagerId).toBe(hos.id);
    expect(hos.lineManagerId).toBe(director.id);

    expect(qa.role).toBe('other');
    expect(qa.teamId).toBeNull();
    expect(qa.serviceId).toBeNull();

    const swChildren = snapshot.children.filter((c) => currentAllocation(c)?.workerId === sw.id);
    expect(swChildren.length).toBeGreaterThanOrEqual(10);
    expect(swChildren.length).toBeLessThanOrEqual(20);
  });

  it('is the same council every time for the same options', () => {
    expect(generateDemoOrganisation({ today })).toStrictEqual(demo);
    const other = generateDemoOrganisation({ today, seed: 7 });
    expect(other.snapshot.children).not.toStrictEqual(snapshot.children);
  });

  it('shows a realistic mix of statuses under the four-weekly policy', () => {
    const schedule = computeSchedule(
      loadPreset('four-weekly'),
      toExtract(snapshot),
      parseIsoDate(today),
    );
    const caseStatus = new Map<string, Status>();
    const workerStatus = new Map<string, Status>();
    for (const result of schedule.results) {
      if (result.subject === 'child' && result.requirement === 'case-supervision')
        caseStatus.set(result.id, result.status);
      if (result.subject === 'worker' && result.requirement === 'professional-supervision')
        workerStatus.set(result.id, result.status);
    }
    expect(schedule.warnings).toEqual([]);

    const children = [...caseStatus.values()];
    const open = snapshot.children.filter((c) => c.involvements.some(isOpen));
    expect(children.length).toBe(open.length);
    expect(share(children, 'on-track'), JSON.stringify(tally(children))).toBeGreaterThanOrEqual(
      0.7,
    );
    expect(share(children, 'on-track')).toBeLessThanOrEqual(0.85);
    expect(share(children, 'overdue')).toBeGreaterThanOrEqual(0.1);
    expect(share(children, 'overdue')).toBeLessThanOrEqual(0.25);

    const workers = [...workerStatus.values()];
    expect(workers.length).toBe(snapshot.people.filter((p) => p.end === null).length);
    expect(share(workers, 'on-track'), JSON.stringify(tally(workers))).toBeGreaterThanOrEqual(0.7);
    expect(share(workers, 'on-track')).toBeLessThanOrEqual(0.9);
    expect(share(workers, 'overdue')).toBeGreaterThanOrEqual(0.05);
    expect(share(workers, 'overdue')).toBeLessThanOrEqual(0.2);

    // Every team and every service has children overdue and children on track.
    const byTeam = new Map<string, Status[]>();
    const byService = new Map<string, Status[]>();
    for (const child of snapshot.children) {
      const allocation = currentAllocation(child);
      const status = caseStatus.get(child.id);
      if (allocation === undefined || status === undefined) continue;
      const teamId = allocation.teamId ?? '';
      byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), status]);
      const serviceId = teams.get(teamId)?.serviceId ?? '';
      byService.set(serviceId, [...(byService.get(serviceId) ?? []), status]);
    }
    expect([...byTeam.keys()].sort()).toEqual([...teams.keys()].sort());
    expect([...byService.keys()].sort()).toEqual([...services.keys()].sort());
    for (const [id, statuses] of [...byTeam, ...byService]) {
      expect(statuses, id).toContain('overdue');
      expect(statuses, id).toContain('on-track');
    }

    // The demo accounts' own views are full and mixed.
    const sw = personOf('sw@demo.example');
    const tm = personOf('tm@demo.example');
    const swStatuses = snapshot.children
      .filter((c) => currentAllocation(c)?.workerId === sw.id)
      .map((c) => caseStatus.get(c.id));
    expect(swStatuses.filter((s) => s === 'overdue').length).toBeGreaterThanOrEqual(2);
    expect(swStatuses.filter((s) => s === 'on-track').length).toBeGreaterThanOrEqual(2);
    const tmWorkers = snapshot.people
      .filter((p) => p.teamId === tm.teamId && p.id !== tm.id)
      .map((p) => workerStatus.get(p.id));
    expect(tmWorkers).toContain('overdue');
    expect(tmWorkers).toContain('on-track');
    expect(byTeam.get(tm.teamId ?? '')).toContain('overdue');
  });

  it('is generated in well under a second', () => {
    const started = performance.now();
    generateDemoOrganisation({ today, seed: 99 });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
