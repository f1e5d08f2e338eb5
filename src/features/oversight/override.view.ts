import { frequencyWords, parseOffset } from '../../domain/dates/index.js';

/** "14 days" → "fortnightly", for showing a stored override. */
export function describeOffsetText(every: string): string {
  const offset = parseOffset(every);
  return typeof offset === 'string' ? every : frequencyWords(offset);
}
