/** The routes of this feature that its own tests check against every role (see routes.test.ts). */
export const covered: string[] = [];
