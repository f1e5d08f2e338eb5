/** The single-sign-on routes; their own test file checks them against every role. */
export const covered: string[] = [];
