import type { Clock } from '../clock.js';
import { DEMO_PASSWORD, generateDemoOrganisation } from '../demo/demo-organisation.js';
import { addMonths, parseIsoDate, toIsoDate } from '../domain/dates/index.js';
import type { OrganisationSnapshot } from '../domain/organisation/snapshot.js';
import type { Db, Queryable } from '../db/database.js';
import { createAccount, enableTwoFactor } from '../db/accounts.repository.js';
import { DEMO_ADMIN_STORED_SECRET } from '../demo/demo-two-factor.js';
import {
  getOrganisation,
  saveChildren,
  saveFosterCarers,
  saveOrganisation,
  savePeople,
  saveServices,
  saveTeams,
} from '../db/organisation.repository.js';
import { hashPassword } from './auth.service.js';
import { choosePolicy } from './policy.service.js';
import { seedDemoSupervision } from '../demo/demo-supervision.js';
import { recomputeAll } from './due.service.js';

/**
 * Setting the organisation up: on an empty database the service creates either the demo
 * organisation (outside production) or just the organisation's own row (production), so that
 * the first administrator can be made with `oversight user create --admin`.
 */

/** Writes a whole snapshot (structure, children, carers, events) inside the caller's transaction. */
export async function saveSnapshot(
  db: Queryable,
  snapshot: OrganisationSnapshot,
  options: { source: string; demo: boolean; now: string },
): Promise<void> {
  await saveOrganisation(db, { ...snapshot.organisation, demo: options.demo }, options.now);
  await saveServices(db, snapshot.services);
  await saveTeams(db, snapshot.teams, options.source, options.now);
  await savePeople(db, snapshot.people, options.source, options.now);
  await saveFosterCarers(db, snapshot.fosterCarers, options.source, options.now);
  await saveChildren(db, snapshot.children, options.source, options.now);
}

export type SetUpResult =
  | { kind: 'existing'; demo: boolean }
  | { kind: 'demo'; accounts: { email: string; description: string }[]; password: string }
  | { kind: 'empty' };

export async function setUpOrganisation(
  db: Db,
  clock: Clock,
  options: {
    demo: boolean;
    councilName: string;
    /** Give the demo its recorded supervision (contracts, a signed session); default true. */
    supervisionHistory?: boolean;
  },
): Promise<SetUpResult> {
  const existing = await getOrganisation(db);
  if (existing !== undefined) return { kind: 'existing', demo: existing.demo };
  const now = clock.now().toISOString();
  if (!options.demo) {
    await saveOrganisation(
      db,
      { name: options.councilName, directorate: "Children's Services", demo: false },
      now,
    );
    return { kind: 'empty' };
  }
  const today = clock.today();
  const demo = generateDemoOrganisation({ today });
  const hashes = await Promise.all(demo.accounts.map(() => hashPassword(DEMO_PASSWORD)));
  await db.transaction().execute(async (trx) => {
    await saveSnapshot(trx, demo.snapshot, { source: 'demo', demo: true, now });
    await choosePolicy(trx, {
      presetId: demo.policyId,
      document: null,
      effectiveFrom: toIsoDate(addMonths(parseIsoDate(today), -36)),
      reason: 'The demo organisation follows the four-weekly preset.',
      chosenBy: null,
      chosenAt: now,
    });
    for (const [i, account] of demo.accounts.entries()) {
      const id = await createAccount(
        trx,
        {
          email: account.email,
          passwordHash: hashes[i] ?? null,
          personId: account.personId,
          access: account.access,
        },
        now,
      );
      // Administrators must have two-factor: the demo's uses a published, made-up secret.
      if (account.access === 'administrator')
        await enableTwoFactor(trx, id, DEMO_ADMIN_STORED_SECRET, 0, now);
    }
  });
  await recomputeAll(db, today);
  // A believable history of recorded supervision for the demo accounts (contracts, a signed
  // one-to-one with open actions), written the way the service writes it.
  if (options.supervisionHistory !== false) await seedDemoSupervision(db, { today, now });
  return {
    kind: 'demo',
    accounts: demo.accounts.map((a) => ({ email: a.email, description: a.description })),
    password: DEMO_PASSWORD,
  };
}
