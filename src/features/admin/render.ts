import type { FastifyReply } from 'fastify';
export { param, viewerOf } from '../request.js';
import { errorsFor, type FormInput, type Problem } from './form-fields.js';

/** What the administration routes share: showing a page, with a form's errors when there are. */

export interface Failure {
  problems: readonly Problem[];
  input: FormInput;
}

/**
 * Renders a page; with a failure, status 400, the error summary, each field's message and what
 * was typed. A page shown in answer to a POST gets a fresh CSRF token for its forms.
 */
export function show(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown> & { values?: FormInput },
  failure?: Failure,
  /** The status when it is neither 200 nor a refused form's 400 (409 for a clash of saves). */
  status?: number,
): FastifyReply {
  if (reply.request.method !== 'GET') reply.locals.csrfToken = reply.generateCsrf();
  const errors = failure ? errorsFor(failure.problems) : { errorList: [], fieldErrors: {} };
  return reply.code(status ?? (failure ? 400 : 200)).view(template, {
    ...context,
    ...errors,
    values: { ...(context.values ?? {}), ...(failure?.input ?? {}) },
  });
}

/** After a change, the page to look at it (post/redirect/get). */
export function seeOther(reply: FastifyReply, path: string): FastifyReply {
  return reply.redirect(path, 303);
}

export function path(...parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}
