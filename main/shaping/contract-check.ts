// The contract check: every payload about to be stored for sending must satisfy the connection's JSON Schema (2020-12).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { addContractFormats } from './contract-formats.js';

/**
 * Checks one JSON payload (or `value`, its parsed JSON, when the caller has it); returns the problem in words
 * (pointer, expected, found), or undefined when it conforms.
 */
export type ContractCheck = (payload: Buffer, value?: unknown) => string | undefined;

/** The value at a JSON pointer ('/lines/0/amount'), for saying what was found there. */
function at(document: unknown, pointer: string): unknown {
  let value = document;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const kind = Array.isArray(value) ? 'array' : typeof value;
  const text = JSON.stringify(value);
  return kind === 'object' || kind === 'array'
    ? kind
    : `${kind} ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
}

function expected(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `expected ${String(params['type'])}`;
    case 'format':
      return `expected format ${String(params['format'])}`;
    case 'required':
      return `expected property "${String(params['missingProperty'])}"`;
    case 'additionalProperties':
      return `unexpected property "${String(params['additionalProperty'])}"`;
    case 'enum':
      return `expected one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `expected ${JSON.stringify(params['allowedValue'])}`;
    case 'oneOf': {
      const passing = params['passingSchemas'];
      return Array.isArray(passing)
        ? `expected exactly one oneOf alternative, but ${passing.length} match`
        : 'expected one of the oneOf alternatives, none matches';
    }
    case 'anyOf':
      return 'expected one of the anyOf alternatives, none matches';
    default:
      return `expected: ${error.message ?? error.keyword}`;
  }
}

/** The error to report: a failed oneOf/anyOf as a whole (its alternatives' errors come first), else the first one. */
function reported(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const [first] = errors;
  const alternatives = errors.find(
    (e) =>
      (e.keyword === 'oneOf' || e.keyword === 'anyOf') &&
      first !== undefined &&
      first.schemaPath.startsWith(`${e.schemaPath}/`),
  );
  return alternatives ?? first;
}

/**
 * The check of one compiled schema; `label` names the contract in messages (a file, or an OpenAPI operation).
 * Throws when the schema does not compile.
 */
export function contractChecker(schema: object, label: string): ContractCheck {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  addContractFormats(ajv);
  const validate = ajv.compile(schema);
  return (payload, value) => {
    let document = value;
    if (document === undefined)
      try {
        document = JSON.parse(payload.toString('utf8'));
      } catch {
        return `contract: the payload is not JSON, so it cannot satisfy ${label}`;
      }
    if (validate(document)) return undefined;
    const error = reported(validate.errors ?? []);
    if (!error) return `contract: the payload does not satisfy ${label}`;
    const missing =
      error.keyword === 'required'
        ? (error.params as { missingProperty?: string }).missingProperty
        : undefined;
    const pointer = missing === undefined ? error.instancePath : `${error.instancePath}/${missing}`;
    return `contract: ${pointer || '/'}: ${expected(error)}, found ${found(at(document, pointer))}`;
  };
}

/** Compiles the schema file; throws an Error naming the file when it cannot be read or is not a valid schema. */
export function compileContract(schemaFile: string): ContractCheck {
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  } catch (error) {
    throw new Error(`contract schema ${schemaFile} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return contractChecker(schema as object, schemaFile);
  } catch (error) {
    throw new Error(`contract schema ${schemaFile} is not a valid JSON Schema: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
