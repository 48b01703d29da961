// Schema problems surface as ConfigError issues with a path, a problem and a fix.
import { describe, expect, it } from 'vitest';
import { destinationConnectors } from '../../../connectors/registry.js';
import { ConfigError, formatPath } from '../../../main/config/errors.js';
import { validateConfig } from '../../../main/config/load-config.js';
import { configErrorOf } from './config-error-helpers.js';

function connection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'inbox',
    source: { type: 'folder', path: '/data/in' },
    destination: { type: 'http', url: 'https://api.example.com/ingest' },
    ...overrides,
  };
}

function issuesOf(raw: unknown) {
  return configErrorOf(() => validateConfig(raw, 'agent.yaml')).issues;
}

describe('ConfigError', () => {
  it('renders one line per issue under the file name', () => {
    const error = new ConfigError('agent.yaml', [
      { path: 'logging.level', problem: 'is wrong', fix: 'fix it' },
      { path: '(root)', problem: 'is odd', fix: 'look' },
    ]);
    expect(error.message).toBe(
      'Invalid config agent.yaml:\n  - logging.level: is wrong. Fix: fix it\n  - (root): is odd. Fix: look',
    );
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
  });

  it('formats paths like connections[0].destination.url', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['connections', 0, 'destination', 'url'])).toBe('connections[0].destination.url');
    expect(formatPath(['headers', 'X-Api-Key'])).toBe('headers["X-Api-Key"]');
  });
});

describe('validateConfig errors', () => {
  it('names an unknown key and suggests the closest allowed one', () => {
    expect(issuesOf({ configVersion: 1, outbox: { synchronus: 'FULL' } })).toEqual([
      {
        path: 'outbox.synchronus',
        problem: 'unknown key "synchronus"',
        fix: 'remove it or check the spelling; did you mean "synchronous"?',
      },
    ]);
  });

  it('suggests keys inside connections, including swapped letters', () => {
    const issues = issuesOf({ configVersion: 1, connections: [connection({ enabeld: false })] });
    expect(issues[0]).toMatchObject({
      path: 'connections[0].enabeld',
      fix: expect.stringContaining('"enabled"'),
    });
    const inDestination = issuesOf({
      configVersion: 1,
      connections: [connection({ destination: { type: 'http', url: 'https://x.example', tiemouts: {} } })],
    });
    expect(inDestination[0]?.fix).toContain('did you mean "timeouts"?');
  });

  it('does not suggest far-off keys', () => {
    const [issue] = issuesOf({ configVersion: 1, colour: 'blue' });
    expect(issue).toEqual({
      path: 'colour',
      problem: 'unknown key "colour"',
      fix: 'remove it or check the spelling',
    });
  });

  it('rejects a URL that is not absolute http(s)', () => {
    for (const url of ['/relative/path', 'ftp://files.example.com/x', 'api.example.com']) {
      const issues = issuesOf({
        configVersion: 1,
        connections: [connection({ destination: { type: 'http', url } })],
      });
      expect(issues).toEqual([
        {
          path: 'connections[0].destination.url',
          problem: 'must be an absolute http:// or https:// URL',
          fix: 'write the full address, such as "https://api.example.com/ingest"',
        },
      ]);
    }
  });

  it('lists the allowed values for a bad enum', () => {
    const [issue] = issuesOf({ configVersion: 1, logging: { level: 'verbose' } });
    expect(issue).toEqual({
      path: 'logging.level',
      problem: 'is not one of the allowed values (got "verbose")',
      fix: 'use one of: "trace", "debug", "info", "warn", "error", "fatal"',
    });
  });

  it('names a duplicate connection id', () => {
    const issues = issuesOf({
      configVersion: 1,
      connections: [connection({ id: 'orders' }), connection({ id: 'other' }), connection({ id: 'orders' })],
    });
    expect(issues).toEqual([
      {
        path: 'connections[2].id',
        problem: 'duplicate connection id "orders" (also used by connections[0])',
        fix: 'give every connection its own id',
      },
    ]);
  });

  it('explains the id rule and proposes a valid id', () => {
    const [issue] = issuesOf({ configVersion: 1, connections: [connection({ id: 'Orders To ERP' })] });
    expect(issue?.path).toBe('connections[0].id');
    expect(issue?.problem).toContain('lowercase letters, digits, - and _, up to 63 chars');
    expect(issue?.fix).toContain('"orders-to-erp"');
    expect(issuesOf({ configVersion: 1, connections: [connection({ id: 'a'.repeat(64) })] })[0]?.path).toBe(
      'connections[0].id',
    );
  });

  it('lists the known types for an unknown source type and a missing one', () => {
    const issues = issuesOf({
      configVersion: 1,
      connections: [
        connection({ source: { type: 'ftp', path: '/x' } }),
        connection({ id: 'b', destination: { url: 'https://x.example' } }),
      ],
    });
    expect(issues).toEqual([
      {
        path: 'connections[0].source.type',
        problem: '"ftp" is not a known type',
        fix: 'set type to one of: "folder", "sqlite", "postgres", "mysql", "odbc"',
      },
      {
        path: 'connections[1].destination.type',
        problem: 'is missing',
        fix: `set type to one of: ${destinationConnectors.map((c) => `"${c.type}"`).join(', ')}`,
      },
    ]);
  });

  it('phrases wrong types as "expected X" and missing values as missing', () => {
    const issues = issuesOf({
      configVersion: 1,
      sandbox: 'yes',
      connections: [connection({ source: { type: 'folder' } }), connection({ id: 'b', enabled: 1 })],
      outbox: { busyTimeoutMs: 1.5 },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'sandbox', problem: 'expected true or false, got a string', fix: 'write true or false here' },
        {
          path: 'outbox.busyTimeoutMs',
          problem: 'expected a whole number, got 1.5',
          fix: 'write a whole number here',
        },
        {
          path: 'connections[0].source.path',
          problem: 'is required but missing',
          fix: 'add it; expected a string',
        },
        {
          path: 'connections[1].enabled',
          problem: 'expected true or false, got 1',
          fix: 'write true or false here',
        },
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('gives the bound for numbers out of range', () => {
    const issues = issuesOf({
      configVersion: 1,
      logging: { maxFiles: 101 },
      connections: [connection({ destination: { type: 'http', url: 'https://x.example', leaseMs: 10 } })],
    });
    expect(issues).toEqual([
      {
        path: 'logging.maxFiles',
        problem: 'is too big (got 101); it must be at most 100',
        fix: 'use a number that is at most 100',
      },
      {
        path: 'connections[0].destination.leaseMs',
        problem: 'is too small (got 10); it must be at least 1000',
        fix: 'use a number that is at least 1000',
      },
    ]);
    expect(issuesOf({ configVersion: 1, outbox: { maxPendingRecords: 0 } })[0]?.problem).toContain(
      'greater than 0',
    );
  });

  it('refuses retention that removes records before compacting them', () => {
    const [issue] = issuesOf({
      configVersion: 1,
      outbox: { retention: { compactAfterDays: 10, removeAfterDays: 5 } },
    });
    expect(issue?.path).toBe('outbox.retention.removeAfterDays');
    expect(issue?.problem).toContain('shorter than compactAfterDays (10)');
    expect(issue?.fix).toBe('set removeAfterDays to at least 10, or lower compactAfterDays');
  });

  it('explains header values that are neither a string nor a secretRef', () => {
    const issues = issuesOf({
      configVersion: 1,
      connections: [
        connection({
          destination: {
            type: 'http',
            url: 'https://x.example',
            headers: { 'X-Count': 5, 'X-Key': { secretref: 'k' } },
          },
        }),
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'connections[0].destination.headers["X-Count"]',
          problem: 'expected a string or { "secretRef": … }',
          fix: 'write a string or { "secretRef": … } here',
        },
        expect.objectContaining({
          path: 'connections[0].destination.headers["X-Key"].secretref',
          fix: 'remove it or check the spelling; did you mean "secretRef"?',
        }),
      ]),
    );
  });

  it('reports all problems in one error, each line carrying path, problem and fix', () => {
    const error = configErrorOf(() =>
      validateConfig({ configVersion: 1, extra: true, logging: { level: 'loud' } }, 'agent.yaml'),
    );
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid config agent.yaml:');
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}- \S+: .+\. Fix: .+$/);
  });

  it('refuses two logical decoding connections on the same replication slot, naming both', () => {
    const logical = (slot: string) => ({
      type: 'postgres',
      mode: 'logical',
      host: 'db.local',
      database: 'erp',
      user: 'capture',
      tables: ['public.invoices'],
      slot,
    });
    const config = (second: string) => ({
      configVersion: 1,
      connections: [
        connection({ id: 'invoices', source: logical('erp_slot') }),
        connection({ id: 'invoices-copy', source: logical(second) }),
      ],
    });
    expect(issuesOf(config('erp_slot'))).toEqual([
      {
        path: 'connections[1].source.slot',
        problem: 'replication slot "erp_slot" on db.local:5432/erp is also used by connections[0]',
        fix: 'give each logical decoding connection its own slot (source.slot)',
      },
    ]);
    expect(() => validateConfig(config('other_slot'), 'agent.yaml')).not.toThrow();
  });
});
