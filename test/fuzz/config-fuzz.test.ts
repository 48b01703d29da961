// Fuzz: the config loader turns any YAML or JSON text, and any mutation of a valid config, into a config or a ConfigError.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../main/config/errors.js';
import { parseConfigText, validateConfig } from '../../main/config/load-config.js';
import { fuzzParameters, hostileText } from './fuzz-budget.js';

/**
 * Parse and validate as `loadConfigFile` does; returns 'ok' or the ConfigError, anything else fails the property,
 * and so does a process warning (a config problem belongs in the ConfigError, not as a stray line on stderr).
 */
function load(text: string, file: string): 'ok' | ConfigError {
  const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    return loadOrError(text, file);
  } finally {
    const calls = warnings.mock.calls.length;
    warnings.mockRestore();
    expect(calls).toBe(0);
  }
}

function loadOrError(text: string, file: string): 'ok' | ConfigError {
  try {
    validateConfig(parseConfigText(text, file), file);
    return 'ok';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.problem.length).toBeGreaterThan(0);
      expect(issue.fix.length).toBeGreaterThan(0);
    }
    return error;
  }
}

const validConfig = {
  configVersion: 1,
  connections: [
    {
      id: 'scans',
      source: { type: 'folder', path: '/srv/scans', records: { format: 'csv' } },
      destination: { type: 'http', url: 'https://erp.example.com/api/documents' },
    },
  ],
};

const yamlText = hostileText([
  'configVersion: 1\n',
  'connections:\n',
  '  - id: a\n',
  '    source: ',
  '{ type: folder, path: /x }',
  '\n',
  ' ',
  '  ',
  '- ',
  ': ',
  '&a ',
  '*a',
  '<<: *a',
  '!!binary ',
  '!!js/function ',
  '"',
  "'",
  '#',
  '[',
  ']',
  '{',
  '}',
  ',',
  '|',
  '>',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '\t',
  '? ',
  'null',
  '~',
  '0x1F',
  '1e999',
  '__proto__',
  'constructor',
]);
const jsonText = hostileText([
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"configVersion"',
  '"connections"',
  '"__proto__"',
  '1',
  '-',
  '1e999',
  'true',
  'null',
  '"',
  '\\',
  '\\u00',
  ' ',
  '\n',
]);

/** A path into the config and a value to put there: the shape of real mistakes (wrong type, extra key, prototype keys). */
const mutation = fc.record({
  path: fc.array(
    fc.oneof(
      fc.constantFrom(
        'connections',
        0,
        'source',
        'destination',
        'records',
        'url',
        'id',
        'path',
        'type',
        'format',
        'headers',
        '__proto__',
        'constructor',
        'console',
        'tls',
        'outbox',
        'toString',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 5 },
  ),
  value: fc.jsonValue({ maxDepth: 3 }),
});

function mutate(base: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const [index, key] of path.entries()) {
    // An array's length cannot be redefined (and JSON text cannot express that): such a path leaves the config as is.
    if (Array.isArray(at) && key === 'length') return copy;
    if (index === path.length - 1) break;
    const next = Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
    if (typeof next !== 'object' || next === null) {
      Object.defineProperty(at, key, { value: {}, enumerable: true, writable: true, configurable: true });
    }
    at = at[key] as Record<string | number, unknown>;
  }
  Object.defineProperty(at, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

describe('fuzz: config loader', () => {
  it('YAML text: a config or a ConfigError with path, problem and fix', () => {
    fc.assert(
      fc.property(yamlText, (text) => void load(text, 'fuzz.yaml')),
      fuzzParameters(300),
    );
  });

  it('JSON text: a config or a ConfigError with path, problem and fix', () => {
    fc.assert(
      fc.property(jsonText, (text) => void load(text, 'fuzz.json')),
      fuzzParameters(300),
    );
  });

  it('any mutation of a valid config, written as JSON or YAML, gives a config or a ConfigError', () => {
    expect(load(JSON.stringify(validConfig), 'base.json')).toBe('ok');
    fc.assert(
      fc.property(mutation, ({ path, value }) => {
        const text = JSON.stringify(mutate(validConfig, path, value));
        const asJson = load(text, 'fuzz.json');
        const asYaml = load(text, 'fuzz.yaml'); // JSON is YAML: both readings must agree
        expect(asYaml === 'ok').toBe(asJson === 'ok');
      }),
      fuzzParameters(300),
    );
  });
});
