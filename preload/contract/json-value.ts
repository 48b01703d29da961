// Bounded JSON objects for arguments the contract passes on whole (connection configs): size-capped, no prototype keys.
import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface JsonBounds {
  maxDepth: number;
  maxNodes: number;
  maxStringLength: number;
  maxKeyLength: number;
}

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `value` is not a bounded JSON value, or undefined when it is one. */
export function jsonProblem(value: unknown, bounds: JsonBounds): string | undefined {
  let nodes = 0;
  const visit = (v: unknown, depth: number, path: string): string | undefined => {
    nodes += 1;
    if (nodes > bounds.maxNodes) return `has more than ${bounds.maxNodes} values`;
    if (depth > bounds.maxDepth) return `${path} is nested deeper than ${bounds.maxDepth} levels`;
    if (v === null || typeof v === 'boolean') return undefined;
    if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} is not a finite number`;
    if (typeof v === 'string')
      return v.length > bounds.maxStringLength
        ? `${path} is longer than ${bounds.maxStringLength} characters`
        : undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        const problem = visit(v[i], depth + 1, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    if (typeof v !== 'object') return `${path} is not JSON (${typeof v})`;
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${path} is not a plain object`;
    for (const key of Object.keys(v)) {
      if (forbiddenKeys.has(key)) return `${path} has the forbidden key "${key}"`;
      if (key.length > bounds.maxKeyLength) return `${path} has a key longer than ${bounds.maxKeyLength}`;
      const problem = visit((v as Record<string, unknown>)[key], depth + 1, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(value, 0, '(root)');
}

/** A plain JSON object within `bounds`; checked without copying, so hostile keys never reach an object literal. */
export function boundedJsonObject(bounds: JsonBounds) {
  return z.custom<JsonObject>().superRefine((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return;
    }
    const problem = jsonProblem(value, bounds);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
