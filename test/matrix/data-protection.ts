/** The data-protection routes; their own test file checks them against every role. */
export const covered: string[] = [];
