import { createHash } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** WCAG 2.2 AA, as PRODUCT.md asks, in axe's tags. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/** One violation as lines a person can act on: the rule, then each element and what is wrong. */
export function describeViolation(v: Violation): string {
  const lines = [`${v.id} (${v.impact ?? 'unknown impact'}): ${v.help} – ${v.helpUrl}`];
  for (const node of v.nodes) {
    lines.push(`  at ${node.target.map(String).join(' ')}`);
    lines.push(`    ${node.html.replace(/\s+/g, ' ').slice(0, 200)}`);
    for (const line of (node.failureSummary ?? '').split('\n')) {
      if (line.trim() !== '') lines.push(`    ${line.trim()}`);
    }
  }
  return lines.join('\n');
}

// Documents already found free of violations, by their markup without the parts that change on
// every request (the CSRF token, the script nonce) and the width they were laid out at: the sign-in
// page, say, is checked once rather than in every journey.
const passed = new Set<string>();

async function documentKey(page: Page): Promise<string> {
  const html = (await page.content())
    .replace(/(name="_csrf" value=")[^"]*"/g, '$1"')
    .replace(/ nonce="[^"]*"/g, '');
  const width = page.viewportSize()?.width ?? 0;
  return createHash('sha256')
    .update(`${String(width)}\n${html}`)
    .digest('hex');
}

/** Runs axe on the page as it is now and fails with a readable list of what it found. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const key = await documentKey(page);
  if (passed.has(key)) return;
  const results = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    // Details of what passed are not needed, and working them out is most of axe's time.
    .options({ resultTypes: ['violations'] })
    .analyze();
  const found = results.violations.map((v) => describeViolation(v));
  expect(found, `axe found accessibility problems on ${where} (${page.url()})`).toEqual([]);
  passed.add(key);
}
