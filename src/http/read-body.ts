/** A request body read whole up to a limit: the query proxy's form posts and query batches. */
import type { IncomingMessage } from 'node:http';
import { RequestError } from './query-params.js';

/** Throws RequestError 413 `payload_too_large` past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new RequestError(413, 'payload_too_large', `request body is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
