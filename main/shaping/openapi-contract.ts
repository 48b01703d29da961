// OpenAPI 3.0/3.1 contracts: the document (file, or URL checked against its pinned SHA-256), the operation's body schema.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dereference } from '@readme/openapi-parser';
import { yaml } from '../config/yaml-module.js';
import { isContractUrl, type ContractConfig } from '../config/contract-config.js';
import { compileContract, contractChecker, type ContractCheck } from './contract-check.js';
import { openApi30ToJsonSchema } from './openapi-schema.js';

/** The document's bytes as fetched or read, and their SHA-256. */
export interface ContractDocument {
  location: string;
  bytes: Buffer;
  sha256: string;
}

/** A fetched document whose hash is not the pinned one: the connection does not start. */
export class ContractPinError extends Error {
  constructor(
    readonly location: string,
    readonly pinned: string,
    readonly actual: string,
  ) {
    super(
      `contract ${location} has changed: its SHA-256 is ${actual}, the config pins ${pinned}. ` +
        `Fix: read what changed in the API, adjust the mapping if needed, then set contract.sha256 to ${actual}`,
    );
    this.name = 'ContractPinError';
  }
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Reads the file or fetches the URL (GET, following redirects); throws in words naming the location. */
export async function readContractDocument(location: string, timeoutMs = 10_000): Promise<ContractDocument> {
  let bytes: Buffer;
  try {
    if (isContractUrl(location)) {
      const response = await fetch(location, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
      bytes = Buffer.from(await response.arrayBuffer());
    } else bytes = await readFile(location);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(
      `contract ${location} cannot be ${isContractUrl(location) ? 'fetched' : 'read'}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      { cause: error },
    );
  }
  return { location, bytes, sha256: sha256Of(bytes) };
}

type Json = Record<string, unknown>;

const jsonMediaType = /^application\/(?:[\w.-]+\+)?json$/i;

/** The operation's request body schema, as JSON Schema 2020-12; throws naming what is missing in the document. */
export function requestBodySchema(
  document: Json,
  operation: { method: string; path: string },
  mediaType: string | undefined,
  location: string,
): object {
  const where = `${operation.method.toUpperCase()} ${operation.path}`;
  const paths = (document['paths'] ?? {}) as Record<string, Json | undefined>;
  const item = paths[operation.path];
  if (!item) {
    const known = Object.keys(paths).slice(0, 8).join(', ') || 'none';
    throw new Error(
      `contract ${location} has no path ${operation.path} (paths: ${known}). Fix: set contract.operation.path to one of them`,
    );
  }
  const op = item[operation.method.toLowerCase()] as Json | undefined;
  if (!op)
    throw new Error(
      `contract ${location} has no ${where} (the path has ${Object.keys(item).join(', ')}). Fix: set contract.operation.method`,
    );
  const content = ((op['requestBody'] as Json | undefined)?.['content'] ?? {}) as Record<string, Json>;
  const types = Object.keys(content);
  const chosen =
    mediaType ??
    (types.includes('application/json') ? 'application/json' : types.find((t) => jsonMediaType.test(t)));
  const schema = chosen === undefined ? undefined : (content[chosen]?.['schema'] as object | undefined);
  if (!schema)
    throw new Error(
      `contract ${location}: ${where} has no ${chosen ?? 'JSON'} request body schema (it has: ${types.join(', ') || 'no request body'}). ` +
        'Fix: pick the operation that takes the records, or set contract.mediaType',
    );
  const version = typeof document['openapi'] === 'string' ? document['openapi'] : '';
  if (version.startsWith('3.0')) return openApi30ToJsonSchema(schema);
  if (version.startsWith('3.1')) return schema;
  throw new Error(
    `contract ${location} is not an OpenAPI 3.0 or 3.1 document (openapi: ${version || 'missing'}). ` +
      'Fix: point contract.openapi at an OpenAPI 3.x document (Swagger 2.0 can be converted with swagger2openapi)',
  );
}

/** Parses and dereferences the document's bytes ($refs inside the document; a URL's external $refs are not followed). */
async function dereferenced(document: ContractDocument): Promise<Json> {
  let parsed: unknown;
  try {
    parsed = yaml().parse(document.bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`contract ${document.location} is not JSON or YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const api = isContractUrl(document.location)
      ? (parsed as Parameters<typeof dereference>[0])
      : document.location;
    const options = { resolve: { external: !isContractUrl(document.location) } };
    return (await dereference(api, options)) as unknown as Json;
  } catch (error) {
    throw new Error(
      `contract ${document.location} is not a valid OpenAPI document: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The check of an OpenAPI contract; throws (in words, with the fix) when the pin or the document is wrong. */
export async function compileOpenApiContract(
  contract: ContractConfig & { openapi: string; operation: { method: string; path: string } },
): Promise<ContractCheck> {
  const document = await readContractDocument(contract.openapi);
  if (contract.sha256 !== undefined && contract.sha256 !== document.sha256)
    throw new ContractPinError(contract.openapi, contract.sha256, document.sha256);
  const api = await dereferenced(document);
  const schema = requestBodySchema(api, contract.operation, contract.mediaType, contract.openapi);
  const label = `${contract.operation.method.toUpperCase()} ${contract.operation.path} of ${contract.openapi}`;
  try {
    return contractChecker(schema, label);
  } catch (error) {
    throw new Error(
      `contract ${label}: the request body schema does not compile: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Builds a connection's contract check: a JSON Schema file or an OpenAPI operation. */
export async function loadContract(contract: ContractConfig): Promise<ContractCheck> {
  if (contract.schemaFile !== undefined) return compileContract(contract.schemaFile);
  if (contract.openapi === undefined || contract.operation === undefined)
    throw new Error('contract: needs schemaFile, or openapi with operation');
  return compileOpenApiContract({ ...contract, openapi: contract.openapi, operation: contract.operation });
}
