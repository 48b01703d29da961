// OpenAPI 3.0 schema objects as JSON Schema 2020-12: `nullable`, boolean exclusive bounds (3.1 needs no conversion).
type Schema = Record<string, unknown>;

const subschemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const subschemas = ['items', 'not', 'additionalProperties', 'contains'];
const subschemaMaps = ['properties', 'patternProperties'];

/**
 * Converts a dereferenced OpenAPI 3.0 schema: `nullable: true` also allows null (in `type` and `enum`, or as an
 * alternative when the schema has no type), `exclusiveMinimum: true` becomes the numeric form. Shared and circular
 * subschemas are converted once.
 */
export function openApi30ToJsonSchema(schema: object): object {
  const done = new Map<object, Schema>();
  const convert = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const known = done.get(value);
    if (known) return known;
    const source = value as Schema;
    const out: Schema = {};
    done.set(value, out);
    for (const [key, item] of Object.entries(source)) {
      if (key === 'nullable') continue;
      if (subschemaLists.includes(key) && Array.isArray(item)) out[key] = item.map(convert);
      else if (subschemas.includes(key)) out[key] = convert(item);
      else if (subschemaMaps.includes(key) && item !== null && typeof item === 'object')
        out[key] = Object.fromEntries(Object.entries(item).map(([name, s]) => [name, convert(s)]));
      else out[key] = item;
    }
    for (const [flag, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (typeof source[flag] !== 'boolean') continue;
      delete out[flag];
      if (source[flag] === true && typeof source[bound] === 'number') {
        out[flag] = source[bound];
        delete out[bound];
      }
    }
    if (source['nullable'] === true) allowNull(out);
    return out;
  };
  return convert(schema) as object;
}

function allowNull(out: Schema): void {
  const type = out['type'];
  if (typeof type === 'string') out['type'] = [type, 'null'];
  else if (Array.isArray(type) && !type.includes('null')) out['type'] = [...(type as string[]), 'null'];
  const values = out['enum'];
  if (Array.isArray(values) && !values.includes(null)) out['enum'] = [...(values as unknown[]), null];
  if (type === undefined) {
    const alternative = { ...out };
    for (const key of Object.keys(out)) delete out[key];
    out['anyOf'] = [{ type: 'null' }, alternative];
  }
}
