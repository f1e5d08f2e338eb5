import type { Clock } from '../../clock.js';
import {
  peopleWithoutAccounts,
  personExists,
  personHasAccount,
} from '../../db/admin.repository.js';
import {
  createAccount,
  findAccount,
  findAccountByEmail,
  listAccounts,
  updateAccount,
  type AccountRow,
} from '../../db/accounts.repository.js';
import type { Db } from '../../db/database.js';
import { deleteSessionsOf } from '../../db/sessions.repository.js';
import type { Viewer } from '../../domain/access/viewer.js';
import { NotFoundError } from '../../domain/errors.js';
import { hashPassword } from '../../services/auth.service.js';
import type { NewAccount } from './account.form.js';
import { done, refuse, type Outcome } from './form-fields.js';

/** Sign-in accounts: created with a temporary password, unlocked, disabled and enabled. */

export interface AccountListRow extends AccountRow {
  personName: string | null;
  locked: boolean;
}

export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<AccountListRow[]> {
    const now = this.clock.now().toISOString();
    return (await listAccounts(this.db)).map((a) => ({
      ...a,
      locked: a.lockedUntil !== null && a.lockedUntil > now,
    }));
  }

  peopleWithoutAccounts(): Promise<{ id: string; name: string | null }[]> {
    return peopleWithoutAccounts(this.db);
  }

  async create(account: NewAccount): Promise<Outcome<string>> {
    if ((await findAccountByEmail(this.db, account.email)) !== undefined)
      return refuse('email', 'There is already an account with this email address');
    if (account.personId !== null) {
      if (!(await personExists(this.db, account.personId)))
        return refuse('personId', 'Select a person from the list');
      if (await personHasAccount(this.db, account.personId))
        return refuse('personId', 'This person already has an account');
    }
    const passwordHash = await hashPassword(account.password);
    const id = await createAccount(
      this.db,
      {
        email: account.email,
        passwordHash,
        personId: account.personId,
        access: account.access,
      },
      this.clock.now().toISOString(),
    );
    return done(id);
  }

  private async account(id: string): Promise<AccountRow> {
    const account = await findAccount(this.db, id);
    if (account === undefined) throw new NotFoundError('account');
    return account;
  }

  async unlock(id: string): Promise<void> {
    await this.account(id);
    await updateAccount(this.db, id, { unlock: true });
  }

  /** Disabling also ends every session of the account, so it takes effect at once. */
  async setDisabled(viewer: Viewer, id: string, disabled: boolean): Promise<Outcome> {
    const account = await this.account(id);
    if (disabled && account.id === viewer.accountId)
      return refuse('accounts', 'You cannot disable your own account');
    await this.db.transaction().execute(async (trx) => {
      await updateAccount(trx, id, { disabled });
      if (disabled) await deleteSessionsOf(trx, id);
    });
    return done();
  }
}
