// ConfigError: every problem in a config file as path + problem + fix, and its mapping from zod issues.
import type { core, ZodError } from 'zod';
import { allowedKeysAt, closestKey } from './key-suggestion.js';
import { agentConfigSchema } from './schema.js';

export interface ConfigIssue {
  /** Where in the file, e.g. `connections[0].destination.url`; `(root)` for the file as a whole. */
  path: string;
  problem: string;
  fix: string;
}

/** A config file cannot be used; `message` lists every issue on its own line. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      [`Invalid config ${file}:`, ...issues.map((i) => `  - ${i.path}: ${i.problem}. Fix: ${i.fix}`)].join(
        '\n',
      ),
    );
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Maps a failed parse of `agentConfigSchema` (ideally with `reportInput: true`) to a ConfigError for `file`. */
export function fromZodError(file: string, error: ZodError): ConfigError {
  return new ConfigError(
    file,
    error.issues.flatMap((issue) => describeIssue(issue, [])),
  );
}

type Issue = core.$ZodIssue;

function describeIssue(issue: Issue, base: readonly PropertyKey[]): ConfigIssue[] {
  const at = [...base, ...issue.path];
  const one = (problem: string, fix: string): ConfigIssue[] => [{ path: formatPath(at), problem, fix }];
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeWording(issue.expected);
      if (!('input' in issue)) return one('has the wrong type', `expected ${expected}`);
      if (issue.input === undefined) return one('is required but missing', `add it; expected ${expected}`);
      return one(`expected ${expected}, got ${valueWording(issue.input)}`, `write ${expected} here`);
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      if (allowed.length === 1) return one(`must be ${allowed[0]}`, `set it to ${allowed[0]}`);
      const got =
        typeof issue.input === 'string' && issue.input.length <= 32 ? ` (got "${issue.input}")` : '';
      return one(`is not one of the allowed values${got}`, `use one of: ${allowed.join(', ')}`);
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'string' && issue.code === 'too_small' && Number(issue.minimum) === 1) {
        return one('is empty', 'write a value here');
      }
      const bound = boundWording(issue);
      const got = typeof issue.input === 'number' ? ` (got ${issue.input})` : '';
      const noun =
        issue.origin === 'string' ? 'text' : ['array', 'set'].includes(issue.origin) ? 'list' : 'number';
      return one(
        `is too ${issue.code === 'too_small' ? 'small' : 'big'}${got}; it must be ${bound}`,
        `use a ${noun} that is ${bound}`,
      );
    }
    case 'invalid_format':
      return one(issue.message, formatFix(issue));
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(agentConfigSchema, at);
      return issue.keys.map((key) => {
        const suggestion = closestKey(key, allowed);
        const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
        return {
          path: formatPath([...at, key]),
          problem: `unknown key "${key}"`,
          fix: `remove it or check the spelling${hint}`,
        };
      });
    }
    case 'invalid_union':
      return describeUnion(issue, at);
    case 'custom': {
      const fix: unknown = issue.params?.['fix'];
      return one(issue.message, typeof fix === 'string' ? fix : 'change the value so that this check passes');
    }
    default:
      return one(issue.message, 'correct the value');
  }
}

function describeUnion(issue: Extract<Issue, { code: 'invalid_union' }>, at: PropertyKey[]): ConfigIssue[] {
  const path = formatPath(at);
  if (issue.discriminator !== undefined && 'options' in issue && issue.options !== undefined) {
    const known = issue.options.map((o) => JSON.stringify(o)).join(', ');
    const given = isRecord(issue.input) ? issue.input[issue.discriminator] : undefined;
    const problem =
      given === undefined
        ? 'is missing'
        : typeof given === 'string' && given.length <= 32
          ? `"${given}" is not a known ${issue.discriminator}`
          : `is not a known ${issue.discriminator}`;
    return [{ path, problem, fix: `set ${issue.discriminator} to one of: ${known}` }];
  }
  // A branch that failed below its root is a near miss (right kind of value, wrong details): report its issues.
  const nearMisses = issue.errors
    .filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'))
    .sort((a, b) => a.length - b.length);
  if (nearMisses[0] !== undefined) return nearMisses[0].flatMap((i) => describeIssue(i, at));
  const keys = allowedKeysAt(agentConfigSchema, at);
  const objectWording =
    keys.length > 0 ? `{ ${keys.map((k) => `"${k}": …`).join(', ')} }` : typeWording('object');
  const expected = issue.errors
    .flatMap((branch) => branch.map((i) => (i.code === 'invalid_type' ? i.expected : undefined)))
    .filter((w): w is string => w !== undefined)
    .map((w) => (w === 'object' ? objectWording : typeWording(w)));
  if (expected.length === 0) return [{ path, problem: issue.message, fix: 'correct the value' }];
  const either = [...new Set(expected)].join(' or ');
  return [{ path, problem: `expected ${either}`, fix: `write ${either} here` }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeWording(expected: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    record: 'an object',
    array: 'a list',
  };
  return words[expected] ?? `a ${expected}`;
}

/** Names a value's kind without echoing strings, which could hold something private. */
function valueWording(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return 'a string';
  return `a value of type ${typeof value}`;
}

function boundWording(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const unit =
    issue.origin === 'string' ? 'character' : ['array', 'set'].includes(issue.origin) ? 'item' : '';
  if (unit !== '') return `${small ? 'at least' : 'at most'} ${limit} ${unit}${limit === 1 ? '' : 's'} long`;
  if (issue.inclusive === false) return `${small ? 'greater than' : 'less than'} ${limit}`;
  return `${small ? 'at least' : 'at most'} ${limit}`;
}

function formatFix(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  if (issue.format === 'url') return 'write the full address, such as "https://api.example.com/ingest"';
  if (issue.format === 'regex' && typeof issue.input === 'string') {
    const example = exampleMatching(issue.input, issue.pattern);
    if (example !== undefined) return `change it to fit that rule, e.g. "${example}"`;
  }
  return 'change it to fit that rule';
}

/** A lowercase-dashed version of `input` when that satisfies the `/…/flags` pattern string zod reports. */
function exampleMatching(input: string, pattern: string | undefined): string | undefined {
  const parts = /^\/(.*)\/([a-z]*)$/s.exec(pattern ?? '');
  if (parts === null) return undefined;
  const slug = input
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 63);
  return slug !== '' && new RegExp(parts[1] ?? '', parts[2]).test(slug) ? slug : undefined;
}
