// Finds secrets written straight into a raw config (passwords, tokens, auth headers, URL credentials).
import { formatPath } from './errors.js';

/** Compared against a key lowercased with `-` and `_` removed. */
const secretKey = /(pass(word|phrase)?|secret|token|apikey|authorization|credential|privatekey|clientsecret)/;
/** Keys that name where a secret lives rather than holding it. */
const referenceKey = /(ref|url|uri|endpoint|path|file|env|name)$/;
const secretHeaders = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie']);

/** Paths (as in ConfigError, e.g. `connections[0].destination.headers.Authorization`) of inline secrets in `raw`. */
export function findInlineSecrets(raw: unknown): string[] {
  const found: string[] = [];
  walk(raw, [], false, found);
  return found;
}

function walk(value: unknown, path: PropertyKey[], inHeaders: boolean, found: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, index], false, found));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (isInlineSecret(key, child, inHeaders)) found.push(formatPath(childPath));
    else walk(child, childPath, key.toLowerCase() === 'headers', found);
  }
}

function isInlineSecret(key: string, value: unknown, inHeaders: boolean): boolean {
  if (typeof value !== 'string' || value === '') return false;
  if (inHeaders && secretHeaders.has(key.toLowerCase())) return true;
  if (hasUrlPassword(value)) return true;
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return secretKey.test(normalized) && !referenceKey.test(normalized);
}

/** `https://user:password@host/…` carries a password in the URL itself. */
function hasUrlPassword(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}
