import type { WriteResult } from '../services/write-result.js';
import type { HandlerContext } from './route-spec.js';

/** Answers a PUT: 201 when created, 200 otherwise, with the version as ETag. */
export function written<T extends { version: number }>(
  h: HandlerContext<unknown, unknown, unknown>,
  result: WriteResult<T>,
) {
  h.reply.header('etag', `"${result.record.version}"`);
  h.reply.code(result.status === 'created' ? 201 : 200);
  return { status: result.status, ...result.record };
}
