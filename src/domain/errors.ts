/**
 * The domain's typed errors. They carry no HTTP codes; the error plugin maps them to pages.
 * Their messages are for logs and never name a child or a person.
 */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** The viewer may not do or see this. Shown as a refusal (or, for records, as not found). */
export class ForbiddenError extends Error {
  constructor(what: string) {
    super(`not permitted: ${what}`);
    this.name = 'ForbiddenError';
  }
}
