// Reads a JSON request body with a size limit: too big → 413, not JSON → 400 with the parser's reason.
import type { IncomingMessage } from 'node:http';
import { errorMessage } from '../shared/error-message.js';
import { HttpError } from './http-response.js';

export const defaultBodyLimitBytes = 1024 * 1024;

export async function readJsonBody(
  req: IncomingMessage,
  limitBytes = defaultBodyLimitBytes,
): Promise<unknown> {
  const tooBig = () =>
    new HttpError(
      413,
      'invalid-argument',
      `the request body is larger than ${limitBytes} bytes`,
      'send less data per call',
    );
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) throw tooBig();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooBig();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(
      400,
      'invalid-argument',
      `the request body is not valid JSON (${errorMessage(error)})`,
      'send a JSON value, e.g. {} for no arguments',
    );
  }
}
