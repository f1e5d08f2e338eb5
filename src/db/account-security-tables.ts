/** The tables of migration 20261124T0011-account-security (the new columns are in database.ts). */
export interface AccountSecurityTables {
  password_reset_links: PasswordResetLinksTable;
  sign_in_challenges: SignInChallengesTable;
}

export interface PasswordResetLinksTable {
  /** SHA-256 of the token in the link. */
  id: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  /** The administrator's account id. */
  created_by: string;
  /** 1: using the link also removes two-factor authentication (a lost phone). */
  remove_two_factor: number;
}

export interface SignInChallengesTable {
  /** SHA-256 of the token in the browser's cookie. */
  id: string;
  account_id: string;
  purpose: 'code' | 'enrol';
  return_to: string;
  created_at: string;
  expires_at: string;
}
