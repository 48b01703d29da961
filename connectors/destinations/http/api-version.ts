// The API version an HTTP destination targets: config, and how a record's stored version goes on its request.
import { z } from 'zod';

export const apiVersionSchema = z
  .strictObject({
    value: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, {
        error: 'must be a version such as 2025-01-01 or v2 (letters, digits, . _ -)',
      })
      .describe('The API version the mapping is written for, e.g. 2025-01-01'),
    via: z
      .enum(['header', 'media-type', 'path'])
      .default('header')
      .describe(
        'header: a request header (name, default Api-Version); media-type: a content-type parameter (name, default version); path: {{apiVersion}} in the URL',
      ),
    name: z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, {
        error: 'must be a header or parameter name (no spaces or colons)',
      })
      .optional()
      .describe('Header name (via header) or media type parameter (via media-type)'),
  })
  .describe('The API version sent with every request; each record keeps the version it was stored with');

export type ApiVersionConfig = z.output<typeof apiVersionSchema>;

/** How one request carries its version: extra headers, a media type parameter, the value for {{apiVersion}}. */
export interface VersionedRequest {
  headers: Record<string, string>;
  /** Appended to the content type (via media-type), e.g. "; version=2025-01-01". */
  mediaTypeParameter: string;
  /** Fills {{apiVersion}} in the URL (via path). */
  pathValue: string | undefined;
}

const none: VersionedRequest = { headers: {}, mediaTypeParameter: '', pathValue: undefined };

/**
 * The request parts for a record's stored version. A record stored before the destination declared a version has
 * none, and is sent as before (no header or parameter); via path the URL needs one, so it gets the configured value.
 */
export function versionedRequest(
  config: ApiVersionConfig | undefined,
  stored: string | undefined,
): VersionedRequest {
  if (!config) return none;
  if (config.via === 'path') return { ...none, pathValue: stored ?? config.value };
  if (stored === undefined) return none;
  if (config.via === 'header')
    return { ...none, headers: { [(config.name ?? 'Api-Version').toLowerCase()]: stored } };
  return { ...none, mediaTypeParameter: `; ${config.name ?? 'version'}=${stored}` };
}
