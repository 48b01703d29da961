// A change whose JSON payload is serialised from its object only when first read: a mapping that maps the object never reads it.
import type { CapturedChange } from './change.js';

/**
 * Gives `change` a `payload` that is `JSON.stringify(value)` (built once, on first read) and `parsed: value`. The
 * change must not be stored before `value` is final: the payload is whatever the object holds when first read.
 */
export function withPayloadOnDemand(
  change: Omit<CapturedChange, 'payload' | 'parsed'>,
  value: Readonly<Record<string, unknown>>,
): CapturedChange {
  let payload: Buffer | undefined;
  const lazy = { ...change, parsed: value } as CapturedChange;
  return Object.defineProperty(lazy, 'payload', {
    enumerable: true,
    get: () => (payload ??= Buffer.from(JSON.stringify(value))),
  });
}
