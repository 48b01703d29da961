// The top-level properties a contract's JSON Schema describes (name, type, format, required), for mapping suggestions.
import { readFile } from 'node:fs/promises';
import type { ContractProperty } from './mapping-suggestion.js';

type Schema = Record<string, unknown>;

const objectOf = (v: unknown): Schema | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : undefined;

/** Follows a local `$ref` ("#/$defs/Invoice") inside the document, a few steps at most. */
function resolve(document: Schema, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let step = 0; step < 8 && current && typeof current.$ref === 'string'; step += 1) {
    const ref = current.$ref;
    if (!ref.startsWith('#')) return current;
    let target: unknown = document;
    for (const part of ref.slice(1).split('/').filter(Boolean))
      target = objectOf(target)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    current = objectOf(target);
  }
  return current;
}

/** The first type a property allows ("number" for ["number", "null"]). */
function typeOf(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type))
    return schema.type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

/** The properties of the document's root object (after local $refs), in the order the schema lists them. */
export function contractProperties(document: unknown): ContractProperty[] {
  const root = objectOf(document);
  if (!root) return [];
  const top = resolve(root, root);
  const properties = objectOf(top?.properties);
  if (!top || !properties) return [];
  const required = new Set(
    Array.isArray(top.required) ? top.required.filter((r) => typeof r === 'string') : [],
  );
  return Object.entries(properties).map(([name, value]) => {
    const schema = resolve(root, objectOf(value)) ?? {};
    const type = typeOf(schema);
    return {
      name,
      required: required.has(name),
      ...(type ? { type } : {}),
      ...(typeof schema.format === 'string' ? { format: schema.format } : {}),
    };
  });
}

/** Reads a JSON Schema file's root properties; throws an Error naming the file when it cannot be read. */
export async function readContractProperties(schemaFile: string): Promise<ContractProperty[]> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(schemaFile, 'utf8'));
  } catch (error) {
    throw new Error(`contract schema ${schemaFile} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return contractProperties(document);
}
