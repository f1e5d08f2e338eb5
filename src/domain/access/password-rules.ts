import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The rules for a new password, after the NCSC's password guidance and OWASP ASVS level 2: long
 * enough, not on a list of passwords attackers try first, and not built from words anyone could
 * guess about this service or this person. No composition rules (no "one capital, one digit"):
 * they make passwords harder to remember without making them harder to guess. Any characters
 * are allowed, spaces included, so that people can use a passphrase.
 */

/** ASVS 2.1.1 asks for 12; the NCSC's 8 is a floor, and we take the stricter. */
export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase or password manager; short enough to hash cheaply. */
export const MAX_PASSWORD_LENGTH = 256;
/**
 * What must remain once the guessable words are taken out: a password that is a context word
 * with a few digits or symbols around it ("Oversight2026!") is refused, a passphrase that
 * happens to contain one is not.
 */
const MIN_REMAINDER = 8;
/** Shorter context words ("jo", "sw") would refuse too much by accident. */
const MIN_CONTEXT_WORD = 3;

export type PasswordProblem = 'missing' | 'too-short' | 'too-long' | 'common' | 'context';

/** Words that make a password easy to guess for this person in this service. */
export interface PasswordContext {
  /** The council's name, e.g. "Demo Borough Council". */
  councilName?: string | null;
  /** The account's email address. */
  email?: string | null;
  /** The person's name, when the account is someone's. */
  name?: string | null;
}

let common: ReadonlySet<string> | undefined;

/** The 49,233 most common passwords (zxcvbn-ts's list, all lower case), read once. */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common']);
  return common;
}

/** Length in characters as people count them (code points), not UTF-16 units. */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

/** The words of a context: the service's name, and each word of the council, email and name. */
export function contextWords(context: PasswordContext): string[] {
  const words = new Set<string>(['oversight']);
  const add = (text: string | null | undefined) => {
    if (text === undefined || text === null) return;
    const lower = text.toLowerCase();
    for (const word of lower.split(/[^\p{L}\p{N}]+/u))
      if (Array.from(word).length >= MIN_CONTEXT_WORD) words.add(word);
  };
  add(context.councilName);
  add(context.name);
  const email = context.email ?? '';
  const local = email.includes('@') ? email.slice(0, email.lastIndexOf('@')) : email;
  add(local);
  const compactLocal = local.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  if (Array.from(compactLocal).length >= MIN_CONTEXT_WORD) words.add(compactLocal);
  // Longest first, so that "rookwell" goes before a shorter word inside it.
  return [...words].sort((a, b) => b.length - a.length);
}

/** The password without the digits and symbols around it: "Password123!" → "password". */
function core(lower: string): string {
  return lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

/**
 * Why a new password cannot be used, or null when it can. Checked in order: missing, length,
 * the common list (the whole password, or its letters without the digits and symbols around
 * them, compared without regard to case), then the context words.
 */
export function passwordProblem(
  password: string,
  context: PasswordContext = {},
): PasswordProblem | null {
  if (password === '') return 'missing';
  const length = passwordLength(password);
  if (length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (length > MAX_PASSWORD_LENGTH) return 'too-long';
  const lower = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lower) || list.has(lower.trim())) return 'common';
  const letters = core(lower);
  if (letters.length >= 4 && list.has(letters)) return 'common';
  let rest = lower;
  for (const word of contextWords(context)) rest = rest.split(word).join('');
  if (rest.length < lower.length && passwordLength(rest.replace(/\s+/g, '')) < MIN_REMAINDER)
    return 'context';
  return null;
}

/** What each problem says, in the GOV.UK style; `what` names the field ("Password"). */
export function passwordMessage(problem: PasswordProblem, what = 'Password'): string {
  switch (problem) {
    case 'missing':
      return `Enter a ${what.toLowerCase()}`;
    case 'too-short':
      return `${what} must be ${String(MIN_PASSWORD_LENGTH)} characters or more`;
    case 'too-long':
      return `${what} must be ${String(MAX_PASSWORD_LENGTH)} characters or fewer`;
    case 'common':
      return 'Choose a password that is harder to guess: this one is on a list of common passwords';
    case 'context':
      return 'Choose a password that is harder to guess: do not build it from the name of the service, the council, or your own name or email address';
  }
}
