// Redaction for diagnostics: known secret values (raw, URL-encoded, base64), credentials, tokens and emails in any text.

export interface RedactorOptions {
  /** Values from the secret store: removed wherever they appear, also URL-encoded, base64 and JSON-escaped. */
  secretValues?: readonly string[];
  /** Extra patterns (regular expression sources or RegExps) whose matches are removed, e.g. customer numbers. */
  extraPatterns?: readonly (string | RegExp)[];
}

export type Redactor = (text: string) => string;

export const redactedMark = '[redacted]';

/** Secret values shorter than this are not matched by value (they would blank out ordinary words and numbers). */
const minSecretLength = 4;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Percent-encodes every byte but unreserved characters (some encoders also escape !'()*). */
function percentEncodeAll(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_.~-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** The forms a secret value takes in logs, URLs, headers and JSON. */
function secretForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const forms = [
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    percentEncodeAll(value),
    JSON.stringify(value).slice(1, -1),
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
  return forms.filter((form) => form.length >= minSecretLength);
}

function secretValuePattern(values: readonly string[]): RegExp | undefined {
  const forms = [...new Set(values.filter((v) => v.length >= minSecretLength).flatMap(secretForms))].sort(
    (a, b) => b.length - a.length,
  );
  return forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
}

const secretKeyNames =
  'password|passwd|pwd|passphrase|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|' +
  'api[_-]?key|apikey|private[_-]?key|credentials?|auth[_-]?token|session[_-]?id';

interface Rule {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

/** Luhn check: separates card numbers from ids and millisecond timestamps. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const rules: Rule[] = [
  // Header lines and header fields in JSON: Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key.
  {
    pattern:
      /\b((?:proxy-)?authorization|set-cookie|cookie|x-api-key|x-auth-token)(\\?["']?\s*[:=]\s*\\?["']?)((?:\\"|[^"'\r\n])+)/gi,
    replace: (_m, name, sep) => `${name}${sep}${redactedMark}`,
  },
  // Bearer / Basic / token credentials wherever they appear.
  {
    pattern: /\b(bearer|basic|token|digest|negotiate)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi,
    replace: (_m, scheme, space) => `${scheme}${space}${redactedMark}`,
  },
  // JSON Web Tokens.
  {
    pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    replace: () => redactedMark,
  },
  // Credentials in URLs and connection strings: scheme://user:password@host.
  {
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^:/@\s"']*):([^@\s"'/]+)@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${redactedMark}@`,
  },
  // key=value, key: value, "key": "value", Password=…; in ADO/ODBC strings.
  {
    pattern: new RegExp(
      String.raw`((?:${secretKeyNames})\\?["']?\s*[:=]\s*)("(?:\\.|[^"\\])*"|\\"(?:[^"\\]|\\(?!"))*\\"|'[^']*'|[^\s;,&"'{}\[\]]+)`,
      'gi',
    ),
    replace: (_m, key, value) => {
      const quote = value.startsWith('\\"')
        ? '\\"'
        : value.startsWith('"')
          ? '"'
          : value.startsWith("'")
            ? "'"
            : '';
      return `${key}${quote}${redactedMark}${quote}`;
    },
  },
  // Email addresses.
  {
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    replace: () => '[email]',
  },
  // Payment card numbers: 4 groups of 4 digits, or 15–19 digits passing the Luhn check.
  {
    pattern: /\b(?:\d{4}[ -]){3}\d{1,7}\b|\b\d{15,19}\b/g,
    replace: (match) => (luhn(match.replace(/[ -]/g, '')) ? '[card]' : match),
  },
];

function compileExtra(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) {
    return new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  }
  return new RegExp(pattern, 'g');
}

/** A text redactor: known secret values first (exact forms), then credentials, tokens, emails, cards, extra patterns. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secrets = secretValuePattern(options.secretValues ?? []);
  const extra = (options.extraPatterns ?? []).map(compileExtra);
  return (text) => {
    let out = secrets ? text.replace(secrets, redactedMark) : text;
    for (const rule of rules) out = out.replace(rule.pattern, rule.replace);
    for (const pattern of extra) out = out.replace(pattern, redactedMark);
    return out;
  };
}

const secretKey = new RegExp(
  `^(?:${secretKeyNames}|authorization|proxy-authorization|cookie|set-cookie|x-api-key)$`,
  'i',
);
const secretKeyPart =
  /password|passphrase|secret|token|authorization|cookie|api[_-]?key|private[_-]?key|credential/i;
/** Keys that name where a secret lives or what kind it is, not the secret itself (secretRef, tokenUrl, keyFile…). */
const referenceKey = /(?:ref|url|uri|endpoint|name|names|type|file|env|path|header|expires(?:at|in)?)$/i;

/** True for object keys whose values are secret whatever they look like. */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key) || (secretKeyPart.test(key) && !referenceKey.test(key));
}

/**
 * Structural redaction of parsed JSON: values under secret-looking keys are replaced (a `{ secretRef }` object keeps
 * its name: it is a reference, not a value), and every string and key passes through the text redactor.
 */
export function redactJson(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redact));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const secretRef = typeof item === 'object' && item !== null && 'secretRef' in item;
    out[redact(key)] =
      isSecretKey(key) && !secretRef && item !== null && item !== undefined && typeof item !== 'boolean'
        ? redactedMark
        : redactJson(item, redact);
  }
  return out;
}
