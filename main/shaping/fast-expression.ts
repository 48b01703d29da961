// A fast path for the usual shape of a mapping (an object of fields, conversion calls and literals), run as plain JS.
import type jsonata from 'jsonata';

type Json = unknown;

/** Returned when a record needs the full JSONata evaluation (a list or object where the fast path wants a value). */
export const needsJsonata = Symbol('needs JSONata');

type Value = (record: Record<string, Json>) => Json;
type Functions = Record<string, (...args: Json[]) => Json>;

interface Node {
  type: string;
  value?: Json;
  steps?: Node[];
  arguments?: Node[];
  procedure?: Node;
  expressions?: Node[];
  lhs?: [Node, Node][];
  [other: string]: Json;
}

const plainKeys = new Set(['type', 'value', 'position']);
const isPlain = (node: Node) => Object.keys(node).every((key) => plainKeys.has(key));

/** A field of the record: a single name step with no predicate, stages or other modifier. */
function fieldOf(node: Node): string | undefined {
  if (
    node.type !== 'path' ||
    node.steps?.length !== 1 ||
    Object.keys(node).some((k) => k !== 'type' && k !== 'steps')
  )
    return undefined;
  const [step] = node.steps;
  return step && step.type === 'name' && isPlain(step) && typeof step.value === 'string'
    ? step.value
    : undefined;
}

function compileValue(node: Node, functions: Functions): Value | undefined {
  const field = fieldOf(node);
  if (field !== undefined)
    return (record) => {
      const value = record[field];
      return value !== null && typeof value === 'object' ? needsJsonata : value;
    };
  if (['string', 'number', 'value'].includes(node.type) && isPlain(node)) {
    const literal = node.value;
    return () => literal;
  }
  if (
    node.type === 'unary' &&
    node.value === '[' &&
    node.expressions?.every((e) => e.type === 'string' && isPlain(e))
  ) {
    const list = node.expressions.map((e) => e.value);
    return () => list;
  }
  if (node.type === 'function' && node.value === '(' && node.procedure?.type === 'variable') {
    const name = node.procedure.value;
    const implementation = typeof name === 'string' ? functions[name] : undefined;
    const args = (node.arguments ?? []).map((a) => compileValue(a, functions));
    if (!implementation || args.some((a) => a === undefined)) return undefined;
    const compiled = args as Value[];
    const [only] = compiled;
    if (compiled.length === 1 && only)
      return (record) => {
        const value = only(record);
        return value === needsJsonata ? needsJsonata : implementation(value);
      };
    return (record) => {
      const values = compiled.map((a) => a(record));
      return values.includes(needsJsonata) ? needsJsonata : implementation(...values);
    };
  }
  return undefined;
}

/**
 * The expression as a JS function when it is an object constructor whose values are fields, literals, or calls of
 * the mapping functions on those; undefined otherwise (JSONata evaluates it). The function returns the object JSONata
 * would build (same keys in the same order), or `needsJsonata` for records where the shortcut would not be exactly
 * what JSONata does; it throws what a function throws.
 */
export function compileFast(
  expression: jsonata.Expression,
  functions: Functions,
): ((record: Record<string, Json>) => Record<string, Json> | typeof needsJsonata) | undefined {
  const ast = expression.ast() as unknown as Node;
  if (
    ast.type !== 'unary' ||
    ast.value !== '{' ||
    !ast.lhs ||
    Object.keys(ast).some((k) => !['type', 'value', 'position', 'lhs'].includes(k))
  )
    return undefined;
  const entries: [string, Value][] = [];
  for (const [keyNode, valueNode] of ast.lhs) {
    if (keyNode.type !== 'string' || typeof keyNode.value !== 'string' || !isPlain(keyNode)) return undefined;
    const key = keyNode.value;
    // Index-like keys ("1") come first in a JS object whatever the order written: left to JSONata.
    // "__proto__" would set the prototype of a plain object, not a field.
    if (entries.some(([k]) => k === key) || /^(?:0|[1-9]\d*)$/.test(key) || key === '__proto__')
      return undefined;
    const value = compileValue(valueNode, functions);
    if (!value) return undefined;
    entries.push([key, value]);
  }
  const keys = entries.map(([key]) => key);
  const values = entries.map(([, value]) => value);
  return (record) => {
    const out: Record<string, Json> = {};
    for (let i = 0; i < values.length; i++) {
      const result = (values[i] as Value)(record);
      if (result === needsJsonata) return needsJsonata;
      if (result !== undefined) out[keys[i] as string] = result;
    }
    return out;
  };
}
