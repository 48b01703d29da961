// Suggests the allowed key closest to a misspelt one, by looking up the keys the schema allows at a path.
import { z } from 'zod';

/** Keys the schema accepts for the object at `path` (all union options merged); empty when the path is unknown. */
export function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    return allowedKeysAt(schema.unwrap() as z.ZodType, path);
  }
  if (schema instanceof z.ZodUnion) {
    const keys = schema.options.flatMap((option) => allowedKeysAt(option as z.ZodType, path));
    return [...new Set(keys)];
  }
  const [head, ...rest] = path;
  if (head === undefined) return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  if (schema instanceof z.ZodObject && typeof head === 'string' && head in schema.shape) {
    return allowedKeysAt(schema.shape[head] as z.ZodType, rest);
  }
  if (schema instanceof z.ZodArray && typeof head === 'number')
    return allowedKeysAt(schema.element as z.ZodType, rest);
  if (schema instanceof z.ZodRecord) return allowedKeysAt(schema.valueType as z.ZodType, rest);
  return [];
}

/** The candidate within a small edit distance of `key` (at most 2, less for short keys), if any. */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor(key.length / 3)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance where swapping two neighbouring letters also counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}
