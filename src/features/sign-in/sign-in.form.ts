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
