/** The sign-in form. Messages follow the GOV.UK pattern and never say which part was wrong. */

export interface SignInInput {
  email: string;
  returnTo: string;
}

export type SignInParse =
  | { ok: true; email: string; password: string; returnTo: string }
  | { ok: false; errors: { text: string; href: string }[]; input: SignInInput };

/** Only a path on this site: never another host, so a link cannot send people elsewhere. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.length > 500 || /[\r\n]/.test(value)) return '/';
  return value;
}

/**
 * Why someone is being asked to sign in, said at the top of the sign-in page:
 *   timedOut   the timeout warning ran out (with `saved`: their draft was saved first)
 *   kept       they posted part of a draft after their session ended, and it was saved
 *   notKept    they posted part of a draft but their session had gone, so it was not saved
 */
export type SignInReason = 'timedOut' | 'kept' | 'notKept';

/** The sign-in page, coming back to `returnTo` (a path on this site) afterwards. */
export function signInHref(returnTo: string, reason?: SignInReason): string {
  const query = new URLSearchParams({ returnTo: safeReturnTo(returnTo) });
  if (reason !== undefined) query.set(reason, '1');
  return `/sign-in?${query.toString()}`;
}

export interface SignInNotice {
  heading: string;
  text?: string;
  /** Something was lost: a warning rather than information. */
  warning: boolean;
}

/** What the sign-in page says about why the person is there, from its query. */
export function signInNotice(query: Record<string, unknown>): SignInNotice | null {
  if (query.passwordReset === '1')
    return {
      heading: 'Your password has been changed',
      text: 'Sign in with your new password.',
      warning: false,
    };
  if (query.expired === '1')
    return {
      heading: 'Sign in again',
      text: 'The time for entering your code ran out, so start again with your email address and password.',
      warning: false,
    };
  if (query.notKept === '1')
    return {
      heading: 'You were signed out, so what you had just written was not saved',
      text: 'Sign in, then go back to the page and enter your changes again. If the page is still open in another tab, your words may still be in it: copy them before you close it.',
      warning: true,
    };
  if (query.kept === '1')
    return {
      heading: 'You were signed out',
      text: 'We kept what you had written in your draft; sign in to carry on.',
      warning: false,
    };
  if (query.timedOut === '1')
    return {
      heading: 'You were signed out because you were inactive',
      ...(query.saved === '1' ? { text: 'Your draft was saved.' } : {}),
      warning: false,
    };
  return null;
}

export function parseSignInForm(body: unknown): SignInParse {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const email = typeof b.email === 'string' ? b.email.trim() : '';
  const password = typeof b.password === 'string' ? b.password : '';
  const returnTo = safeReturnTo(b.returnTo);
  const errors: { text: string; href: string }[] = [];
  if (email === '') errors.push({ text: 'Enter your email address', href: '#email' });
  else if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))
    errors.push({
      text: 'Enter an email address in the correct format, like name@example.com',
      href: '#email',
    });
  if (password === '') errors.push({ text: 'Enter your password', href: '#password' });
  else if (password.length > 1000) errors.push({ text: 'Enter your password', href: '#password' });
  if (errors.length > 0) return { ok: false, errors, input: { email, returnTo } };
  return { ok: true, email, password, returnTo };
}
