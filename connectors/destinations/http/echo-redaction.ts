// Masks credentials a server echoes back (e.g. a 422 body repeating the request headers) before the answer is stored, logged or shown.

const mask = '[redacted]';

/** The secret parts of header values: the whole value and, for "Scheme token" values, the token alone. */
export function secretPartsOf(values: Iterable<string>): string[] {
  const parts = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.length >= 4) parts.add(trimmed);
    const token = /^[A-Za-z][\w-]*\s+(\S{4,})$/.exec(trimmed)?.[1];
    if (token) parts.add(token);
  }
  // Longest first, so a token inside a longer value never leaves the rest of that value behind.
  return [...parts].sort((a, b) => b.length - a.length);
}

export function redactEchoes(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(mask);
  return result;
}

export function redactHeaderEchoes(
  headers: Record<string, string>,
  secrets: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, redactEchoes(value, secrets)]),
  );
}
