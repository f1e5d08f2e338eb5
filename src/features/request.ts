import type { FastifyRequest } from 'fastify';
import type { Viewer } from '../domain/access/viewer.js';
import { NotFoundError } from '../domain/errors.js';

/** What every route handler reads from a request. */

/** The person signed in; the route table guarantees one on every route that is not public. */
export function viewerOf(request: FastifyRequest): Viewer {
  const viewer = request.viewer;
  if (viewer === null) throw new Error('no viewer on a signed-in route');
  return viewer;
}

/** A path parameter; a missing or empty one is "not found". */
export function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string | undefined>)[name];
  if (value === undefined || value === '') throw new NotFoundError(name);
  return value;
}

/** The `:id` of the path. */
export function idParam(request: FastifyRequest): string {
  return param(request, 'id');
}
