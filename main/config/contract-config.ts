// Config of a connection's contract: a JSON Schema file, or an OpenAPI 3.x document (file or pinned URL) and operation.
import { z } from 'zod';

const methods = ['post', 'put', 'patch', 'delete', 'get'] as const;

export const contractSchema = z
  .strictObject({
    schemaFile: z
      .string()
      .min(1)
      .optional()
      .describe('JSON Schema (2020-12) file every mapped payload must satisfy'),
    openapi: z
      .string()
      .min(1)
      .optional()
      .describe(
        'OpenAPI 3.0 or 3.1 document: a file path, or an https:// URL fetched at start (pin it with sha256)',
      ),
    operation: z
      .strictObject({
        method: z
          .string()
          .refine((m) => (methods as readonly string[]).includes(m.toLowerCase()), {
            error: `must be one of ${methods.join(', ')}`,
          })
          .describe('HTTP method, any case'),
        path: z
          .string()
          .startsWith('/', { error: 'must be the path as the document lists it, e.g. /v1/invoices' }),
      })
      .optional()
      .describe('The operation whose request body the payloads are: method and path as in the document'),
    mediaType: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Which request body media type to check (default: application/json, else the first JSON one)',
      ),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (the SHA-256 of the document)' })
      .optional()
      .describe('SHA-256 of the document: required for a URL; a document that no longer matches is refused'),
  })
  .superRefine((contract, ctx) => {
    if ((contract.schemaFile === undefined) === (contract.openapi === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          contract.schemaFile === undefined
            ? 'a contract needs schemaFile (JSON Schema) or openapi (OpenAPI document)'
            : 'a contract has either schemaFile or openapi, not both',
        params: {
          fix: 'use { schemaFile: "invoice.schema.json" } or { openapi: "api.yaml", operation: { method: "post", path: "/v1/invoices" } }',
        },
      });
      return;
    }
    if (contract.schemaFile !== undefined) {
      for (const key of ['operation', 'mediaType', 'sha256'] as const)
        if (contract[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${key} belongs to an OpenAPI contract, and this contract is a JSON Schema file`,
            params: { fix: `remove ${key}, or use openapi instead of schemaFile` },
          });
      return;
    }
    if (contract.operation === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['operation'],
        message: 'an OpenAPI contract names the operation whose request body the payloads are',
        params: { fix: 'add operation: { method: "post", path: "/v1/invoices" } (as the document lists it)' },
      });
    if (isContractUrl(contract.openapi ?? '') && contract.sha256 === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['sha256'],
        message:
          'a contract fetched from a URL must be pinned: the published document could change under you',
        params: {
          fix: 'add sha256: the hash of the document you checked (`curl -s URL | sha256sum`); the connection refuses to start and prints the hash when it does not match',
        },
      });
  })
  .describe('Checks what the mapping made before it is stored for sending');

/** True when the contract document is fetched (http:// or https://) rather than read from a file. */
export function isContractUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export type ContractConfig = z.output<typeof contractSchema>;
