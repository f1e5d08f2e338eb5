import type { SessionListRow } from './account.service.js';

/** What the account pages show. */

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // Not hour12: en-GB's 12-hour clock counts 0 to 11, so noon would read "0:00pm".
  hourCycle: 'h12',
});

/** "24 November 2026 at 12:05pm", in London time. */
export function whenText(iso: string): string {
  const parts = Object.fromEntries(
    LONDON_TIME.formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  const period = (parts.dayPeriod ?? '').toLowerCase().replace(/\s/g, '');
  return `${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''} at ${parts.hour ?? ''}:${parts.minute ?? ''}${period}`;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/SamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/FxiOS\/(\d+)/, 'Firefox'],
  [/CriOS\/(\d+)/, 'Chrome'],
  [/HeadlessChrome\/(\d+)/, 'Chrome (headless)'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** A short, readable name for a browser from its user agent: "Firefox 133 on Windows". */
export function browserSummary(userAgent: string | null): string {
  if (userAgent === null || userAgent.trim() === '') return 'Unknown browser';
  let browser = 'Unknown browser';
  for (const [pattern, name] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) {
      browser = `${name} ${match[1] ?? ''}`.trim();
      break;
    }
  }
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system === undefined ? browser : `${browser} on ${system}`;
}

export interface SessionView {
  handle: string;
  started: string;
  lastUsed: string;
  from: string;
  browser: string;
  current: boolean;
}

export function sessionViews(rows: readonly SessionListRow[]): SessionView[] {
  return rows.map((s) => ({
    handle: s.handle,
    started: whenText(s.createdAt),
    lastUsed: whenText(s.lastSeenAt),
    from: s.ip ?? 'Not known',
    browser: browserSummary(s.userAgent),
    current: s.current,
  }));
}

/** The banner after a change on the account page (post/redirect/get), from `?done=`. */
export function doneBanner(done: unknown): string | null {
  switch (done) {
    case 'password':
      return 'Your password has been changed. You have been signed out everywhere else.';
    case 'two-factor-on':
      return 'Two-factor authentication is on. You will be asked for a code each time you sign in.';
    case 'two-factor-off':
      return 'Two-factor authentication is off. You have been signed out everywhere else.';
    case 'signed-out-others':
      return 'You have been signed out of every other session.';
    case 'signed-out-one':
      return 'That session has been signed out.';
    default:
      return null;
  }
}
