/** The tables of migration 20261124T0012-single-sign-on. */
export interface SingleSignOnTables {
  single_sign_on_identities: SingleSignOnIdentitiesTable;
  single_sign_on_requests: SingleSignOnRequestsTable;
}

/** The identity provider's subject for an account, remembered at its first single sign-on. */
export interface SingleSignOnIdentitiesTable {
  issuer: string;
  subject: string;
  account_id: string;
  created_at: string;
  last_used_at: string;
}

/** A sign-in under way: keyed by the SHA-256 of its state, deleted by the callback that uses it. */
export interface SingleSignOnRequestsTable {
  id: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: string;
  expires_at: string;
}
