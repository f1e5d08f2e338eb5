import type { Migration } from 'kysely';
import * as structure from './20261124T0001-structure.js';
import * as children from './20261124T0002-children.js';
import * as carersAndEvents from './20261124T0003-foster-carers-and-events.js';
import * as policy from './20261124T0004-policy.js';
import * as accounts from './20261124T0005-accounts-and-sessions.js';
import * as due from './20261124T0006-due-results.js';
import * as supervision from './20261124T0007-supervision-records.js';
import * as apiTokens from './20261124T0008-api-tokens.js';
import * as importHistory from './20261124T0009-import-history.js';
import * as audit from './20261124T0010-audit.js';
import * as accountSecurity from './20261124T0011-account-security.js';
import * as singleSignOn from './20261124T0012-single-sign-on.js';
import * as dataProtection from './20261124T0013-data-protection.js';
import * as importsInTheService from './20261124T0014-imports-in-the-service.js';

/**
 * Every migration, by name, in order. Listed here rather than read from the folder so that the
 * compiled service and the tests run the same set. Frozen once landed: add, never edit.
 */
export const migrations: Record<string, Migration> = {
  '20261124T0001-structure': structure,
  '20261124T0002-children': children,
  '20261124T0003-foster-carers-and-events': carersAndEvents,
  '20261124T0004-policy': policy,
  '20261124T0005-accounts-and-sessions': accounts,
  '20261124T0006-due-results': due,
  '20261124T0007-supervision-records': supervision,
  '20261124T0008-api-tokens': apiTokens,
  '20261124T0009-import-history': importHistory,
  '20261124T0010-audit': audit,
  '20261124T0011-account-security': accountSecurity,
  '20261124T0012-single-sign-on': singleSignOn,
  '20261124T0013-data-protection': dataProtection,
  '20261124T0014-imports-in-the-service': importsInTheService,
};
