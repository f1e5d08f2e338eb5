import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  incomingFolder,
  removeFolder,
  UPLOAD_MAX_FILES,
  UPLOAD_ROOT,
  type UploadedFile,
} from '../../services/import-jobs.service.js';
import { allows, type AuditSpec, type Need } from '../route-table.js';

declare module 'fastify' {
  // What app.ts gives each route (multipart's types add a field here, so the rest is said too).
  interface FastifyContextConfig {
    need?: Need;
    audit?: AuditSpec;
  }
  interface FastifyRequest {
    /** The folder this request's uploaded files were written to, removed after the response. */
    uploadFolder: string | null;
  }
}

/**
 * File uploads (multipart/form-data), for the administrators' import pages only. Other requests
 * are untouched: the parser is for multipart bodies alone. Each uploaded file is streamed to a
 * folder of its own under the system's temporary folder (never held whole in memory, never in
 * the working tree), and the form's other fields become the body's plain values, so that the
 * CSRF check (app.ts) reads `_csrf` as it does from any form. Files are written only for a
 * signed-in administrator on a route that needs one; anyone else's are read and thrown away.
 * Whatever the route does not take for itself is removed once the response has gone.
 */
export async function registerUploads(
  app: FastifyInstance,
  options: { limitMegabytes: number },
): Promise<void> {
  app.decorateRequest('uploadFolder', null);
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    // A file cut off at the limit is marked, and the route answers with a page saying so.
    throwFileSizeLimit: false,
    limits: {
      fileSize: options.limitMegabytes * 1024 * 1024,
      // One more than may be imported, so that the route can say how many are too many.
      files: UPLOAD_MAX_FILES + 1,
      fields: 50,
      fieldSize: 64 * 1024,
    },
    onFile: async function (this: FastifyRequest, part: MultipartFile) {
      // The form's token comes before its files (the hidden field is the form's first): a body
      // without one is refused by the CSRF check, so its files are not even written. One with a
      // wrong token is, and removed after the refusal.
      const token = (part.fields._csrf as { value?: unknown } | undefined)?.value;
      const wanted =
        part.fieldname === 'files' &&
        part.filename !== '' &&
        typeof token === 'string' &&
        token !== '' &&
        this.routeOptions.config.need === 'admin' &&
        allows('admin', this.viewer);
      if (!wanted) {
        await pipeline(
          part.file,
          new Writable({
            write: (_chunk, _encoding, next) => {
              next();
            },
          }),
        );
        return;
      }
      this.uploadFolder ??= await incomingFolder(UPLOAD_ROOT);
      const index = countFiles(part.fields);
      let bytes = 0;
      part.file.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      await pipeline(part.file, createWriteStream(join(this.uploadFolder, String(index))));
      const file: UploadedFile = {
        filename: part.filename,
        path: join(this.uploadFolder, String(index)),
        bytes,
        truncated: part.file.truncated,
      };
      (part as MultipartFile & { value?: unknown }).value = file;
    },
  });
  app.addHook('onResponse', async (request) => {
    if (request.uploadFolder !== null) await removeFolder(request.uploadFolder);
  });
}

/** The files written before this one (the body so far holds every part read). */
function countFiles(body: unknown): number {
  const files = (body as Record<string, unknown> | undefined)?.files;
  const list = Array.isArray(files) ? files : files === undefined ? [] : [files];
  return list.filter((f) => (f as { value?: unknown }).value !== undefined).length;
}

/**
 * The files a multipart request uploaded (its `files` field), in the order chosen: none for any
 * other kind of body, whatever it holds.
 */
export function uploadedFiles(request: FastifyRequest): UploadedFile[] {
  if (!request.isMultipart() || request.uploadFolder === null) return [];
  const files = (request.body as Record<string, unknown> | undefined)?.files;
  const list: unknown[] = Array.isArray(files) ? files : files === undefined ? [] : [files];
  return list.filter(
    (f): f is UploadedFile =>
      typeof f === 'object' && f !== null && typeof (f as UploadedFile).path === 'string',
  );
}
