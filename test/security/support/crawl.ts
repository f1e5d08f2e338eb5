import type { LightMyRequestResponse } from 'fastify';
import type { Session } from '../../support/app.js';

/**
 * Walking the service as one person would: breadth first over same-origin links from where they
 * start, a bounded number of pages, never following a link that signs out. The security tests
 * use it to find every page and every form a role can reach, so pages added later are covered
 * without being listed.
 */

export interface CrawledPage {
  url: string;
  response: LightMyRequestResponse;
}

export interface FoundForm {
  /** The page the form is on. */
  page: string;
  action: string;
  method: string;
  /** Every named field with its value as the page gives it (hidden ones included). */
  fields: FormField[];
}

export interface FormField {
  name: string;
  kind: 'text' | 'textarea' | 'hidden' | 'radio' | 'checkbox' | 'select' | 'file' | 'other';
  value: string;
  checked: boolean;
}

/** Downloads are fetched but not read for links. */
const DOWNLOAD = /\.(csv|xlsx|pdf|json)(\?|$)/;

export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function linksOf(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
    const href = decodeEntities(match[1] ?? '');
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    found.push(href.split('#')[0] ?? href);
  }
  return found;
}

/** The page's id-like path segments replaced, so that a thousand children count as one page shape. */
export function shapeOf(url: string): string {
  const [path = '', query = ''] = url.split('?');
  const shape = path
    .split('/')
    .map((segment) => (/\d/.test(segment) || segment.length > 24 ? ':id' : segment))
    .join('/');
  const keys = [...new URLSearchParams(query).keys()].sort().join('&');
  return keys === '' ? shape : `${shape}?${keys}`;
}

/**
 * Breadth first from `start`, at most `perShape` pages of each shape and `limit` pages in all.
 * `skip` leaves out links (sign-out, say) by their path.
 */
export async function crawl(
  session: Session,
  start: string[],
  options: { limit?: number; perShape?: number; skip?: (url: string) => boolean } = {},
): Promise<CrawledPage[]> {
  const limit = options.limit ?? 200;
  const perShape = options.perShape ?? 2;
  const seen = new Set<string>();
  const shapes = new Map<string, number>();
  const queue = [...start];
  const pages: CrawledPage[] = [];
  while (queue.length > 0 && pages.length < limit) {
    const url = queue.shift() ?? '';
    if (seen.has(url)) continue;
    seen.add(url);
    if (options.skip?.(url) === true) continue;
    const shape = shapeOf(url);
    const count = shapes.get(shape) ?? 0;
    if (count >= perShape) continue;
    shapes.set(shape, count + 1);
    const response = await session.get(url);
    pages.push({ url, response });
    if (DOWNLOAD.test(url)) continue;
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
      if (location.startsWith('/') && !location.startsWith('//') && !seen.has(location))
        queue.push(location);
      continue;
    }
    if (response.statusCode !== 200) continue;
    if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue;
    for (const link of linksOf(response.body)) if (!seen.has(link)) queue.push(link);
  }
  return pages;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match === null ? undefined : decodeEntities(match[1] ?? '');
}

/** Every POST form on a page, with its fields. */
export function formsOf(page: string, html: string): FoundForm[] {
  const forms: FoundForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const tag = match[1] ?? '';
    const body = match[2] ?? '';
    const method = (attribute(tag, 'method') ?? 'get').toUpperCase();
    const action = attribute(tag, 'action') ?? page;
    const fields: FormField[] = [];
    for (const input of body.matchAll(/<input\b([^>]*)>/g)) {
      const t = input[1] ?? '';
      const name = attribute(t, 'name');
      if (name === undefined) continue;
      const type = (attribute(t, 'type') ?? 'text').toLowerCase();
      const kind: FormField['kind'] =
        type === 'hidden'
          ? 'hidden'
          : type === 'radio'
            ? 'radio'
            : type === 'checkbox'
              ? 'checkbox'
              : type === 'file'
                ? 'file'
                : ['text', 'email', 'search', 'tel', 'url'].includes(type)
                  ? 'text'
                  : 'other';
      fields.push({
        name,
        kind,
        value: attribute(t, 'value') ?? '',
        checked: /\schecked\b/.test(t),
      });
    }
    for (const area of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attribute(area[1] ?? '', 'name');
      if (name !== undefined)
        fields.push({
          name,
          kind: 'textarea',
          value: decodeEntities(area[2] ?? ''),
          checked: false,
        });
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(select[1] ?? '', 'name');
      if (name === undefined) continue;
      const options = [...(select[2] ?? '').matchAll(/<option\b([^>]*)>/g)].map((o) => o[1] ?? '');
      const selected = options.find((o) => /\sselected\b/.test(o));
      const chosen =
        (selected !== undefined && (attribute(selected, 'value') ?? '') !== ''
          ? selected
          : options.find((o) => (attribute(o, 'value') ?? '') !== '')) ?? '';
      fields.push({
        name,
        kind: 'select',
        value: attribute(chosen, 'value') ?? '',
        checked: false,
      });
    }
    forms.push({ page, action: action.split('#')[0] ?? action, method, fields });
  }
  return forms;
}

/**
 * The body a browser would send for a form, with each text field and textarea given `fill(name)`
 * (or its own value when fill answers undefined), the first choice of each radio group, and
 * every checkbox that is checked.
 */
export function formBody(
  form: FoundForm,
  fill: (field: FormField) => string | undefined,
): Record<string, string> {
  const body: Record<string, string> = {};
  const radios = new Set<string>();
  for (const field of form.fields) {
    switch (field.kind) {
      case 'text':
      case 'textarea':
        body[field.name] = fill(field) ?? field.value;
        break;
      case 'radio':
        if (field.checked || !radios.has(field.name)) body[field.name] = field.value;
        radios.add(field.name);
        break;
      case 'checkbox':
        if (field.checked) body[field.name] = field.value;
        break;
      case 'file':
        break;
      default:
        body[field.name] = field.value;
    }
  }
  return body;
}

/** A page with its per-response values (nonces, form tokens) taken out, for comparing two answers. */
export function normalised(html: string): string {
  return html
    .replace(/nonce="[^"]+"/g, 'nonce=""')
    .replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""')
    .replace(/data-session-ends-in="[^"]*"/g, '');
}
