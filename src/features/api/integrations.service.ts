import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import {
  activeTokenNamed,
  callsOfToken,
  countCallsOfToken,
  countCallsWithoutToken,
  findApiToken,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiCall,
  type ApiTokenRow,
} from '../../db/api.repository.js';
import type { Db } from '../../db/database.js';
import type { Viewer } from '../../domain/access/viewer.js';
import { NotFoundError } from '../../domain/errors.js';
import { done, refuse, type Outcome } from '../admin/form-fields.js';
import type { NewIntegration } from './integration.form.js';
import { newToken } from './tokens.js';

/**
 * API integrations, kept by administrators: each has its own token, with the scopes it needs,
 * shown once when it is created and then known only by its hash; revoking it refuses the
 * integration's next call.
 */

export const CALLS_PAGE_SIZE = 50;
/** The list of integrations counts the calls refused for want of a token over this many days. */
export const REFUSED_DAYS = 30;

export class IntegrationsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<{ tokens: ApiTokenRow[]; refusedWithoutToken: number }> {
    const since = new Date(this.clock.now().getTime() - REFUSED_DAYS * 86_400_000).toISOString();
    const [tokens, refusedWithoutToken] = await Promise.all([
      listApiTokens(this.db),
      countCallsWithoutToken(this.db, since),
    ]);
    return { tokens, refusedWithoutToken };
  }

  /** Creates an integration's token; the token itself is in the answer and nowhere else. */
  async create(
    viewer: Viewer,
    integration: NewIntegration,
  ): Promise<Outcome<{ id: string; token: string }>> {
    if (await activeTokenNamed(this.db, integration.name))
      return refuse(
        'name',
        'There is already an integration with this name: give this one another name, or revoke the other first',
      );
    const id = randomUUID();
    const { token, hash, prefix } = newToken();
    await insertApiToken(this.db, {
      id,
      name: integration.name,
      hash,
      prefix,
      scopes: integration.scopes,
      createdBy: viewer.accountId,
      createdAt: this.clock.now().toISOString(),
    });
    return done({ id, token });
  }

  async find(id: string): Promise<ApiTokenRow> {
    const token = await findApiToken(this.db, id);
    if (token === undefined) throw new NotFoundError('integration');
    return token;
  }

  async calls(
    id: string,
    page: number,
  ): Promise<{ calls: ApiCall[]; total: number; pages: number; page: number }> {
    const total = await countCallsOfToken(this.db, id);
    const pages = Math.max(1, Math.ceil(total / CALLS_PAGE_SIZE));
    const current = Math.min(Math.max(1, page), pages);
    const calls = await callsOfToken(this.db, id, {
      offset: (current - 1) * CALLS_PAGE_SIZE,
      limit: CALLS_PAGE_SIZE,
    });
    return { calls, total, pages, page: current };
  }

  /** Revokes the token (a second time changes nothing). */
  async revoke(viewer: Viewer, id: string): Promise<void> {
    await this.find(id);
    await revokeApiToken(this.db, id, viewer.accountId, this.clock.now().toISOString());
  }
}
