// Loading configs: defaults for a minimal file, full YAML and JSON files, and file-level errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfigFile, parseConfigText, validateConfig } from '../../../main/config/load-config.js';
import { asyncConfigErrorOf, configErrorOf, makeTempDir } from './config-error-helpers.js';

const fullYaml = `# Production config
configVersion: 1
dataDir: /var/lib/integration-agent
outbox:
  synchronous: NORMAL
  busyTimeoutMs: 2000
  maxDatabaseBytes: 10000000000
  maxPendingRecords: 50000
  maxPendingBytes: 1000000000
  minFreeDiskBytes: 0
  retention:
    compactAfterDays: 3
    removeAfterDays: 30
logging:
  level: debug
  maxFileBytes: 1048576
  maxFiles: 10
connections:
  - id: scans-to-erp
    name: Scanner → ERP
    enabled: false
    source:
      type: folder
      path: /srv/scans
      include: ["*.pdf"]
      exclude: ["tmp/**"]
      recursive: false
      quietPeriodMs: 500
      maxFileBytes: 2048
      contentType: application/pdf
    destination:
      type: http
      url: https://erp.example.com/api/documents
      method: PUT
      headers:
        X-Tenant: acme
        Authorization: { secretRef: erp-token }
      allowInsecureHttp: false
      timeouts: { connectMs: 1000, responseMs: 2000, totalMs: 3000 }
      concurrency: 8
      leaseMs: 60000
      retry: { baseMs: 500, capMs: 60000 }
sandbox: false
`;

describe('validateConfig defaults', () => {
  it('fills every default into a minimal config', () => {
    const { config, migratedFrom } = validateConfig({ configVersion: 1 }, 'minimal.yaml');
    expect(migratedFrom).toBeUndefined();
    expect(config).toEqual({
      configVersion: 1,
      outbox: {
        synchronous: 'FULL',
        busyTimeoutMs: 5000,
        maxPendingRecords: 1_000_000,
        maxPendingBytes: 2 * 1024 ** 3,
        // minFreeDiskBytes: absent, so the engine scales the floor to the data disk (see backpressure.ts)
        retention: { compactAfterDays: 7, removeAfterDays: 90 },
      },
      logging: { level: 'info', maxFileBytes: 10 * 1024 ** 2, maxFiles: 5 },
      connections: [],
      sandbox: false,
      secrets: { backend: 'keychain' },
      alerts: {
        enabled: true,
        cooldownMinutes: 60,
        oldestPendingMinutes: 30,
        circuitOpenMinutes: 10,
        sourceLagMinutes: 15,
        certificateExpiryDays: 14,
        diskForecastHours: 4,
      },
      diagnostics: { redactPatterns: [], hashFileNames: true },
    });
  });

  it('fills connection, source and destination defaults', () => {
    const { config } = validateConfig(
      {
        configVersion: 1,
        connections: [
          {
            id: 'inbox',
            source: { type: 'folder', path: '/data/in' },
            destination: { type: 'http', url: 'https://api.example.com/ingest' },
          },
        ],
      },
      'minimal.yaml',
    );
    expect(config.connections[0]).toEqual({
      id: 'inbox',
      enabled: true,
      source: {
        type: 'folder',
        path: '/data/in',
        include: ['**/*'],
        exclude: [],
        recursive: true,
        paths: [],
        finishedWhen: 'quiet',
        quietPeriodMs: 2000,
        markerSuffix: '.done',
        triggerFile: 'READY',
        minFileAgeMs: 0,
        rescanIntervalMs: 300_000,
        emitDeletes: false,
        afterDelivery: 'leave',
        maxFileBytes: 100 * 1024 ** 2,
      },
      destination: {
        type: 'http',
        url: 'https://api.example.com/ingest',
        method: 'POST',
        headers: {},
        allowInsecureHttp: false,
        timeouts: { connectMs: 10_000, responseMs: 30_000, totalMs: 60_000 },
        concurrency: 4,
        leaseMs: 120_000,
        retry: { baseMs: 1000, capMs: 300_000 },
        batch: { format: 'none', maxRecords: 500, maxBytes: 1024 ** 2, lingerMs: 200 },
        classification: { retryOn: [], deadOn: [] },
        circuitBreaker: {
          enabled: true,
          failureThreshold: 5,
          errorRate: 0.5,
          windowMs: 60_000,
          minRequests: 20,
          openMs: 30_000,
          maxOpenMs: 300_000,
        },
        auth: { type: 'none' },
        tls: {},
        proxy: { mode: 'env', noProxy: [] },
        traceContext: false,
        dedupeWindowHours: 24,
        maxPendingAgeMinutes: 60,
      },
    });
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('loads a full YAML config with every setting given', async () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, fullYaml);
    const { config } = await loadConfigFile(file);
    expect(config.dataDir).toBe('/var/lib/integration-agent');
    expect(config.outbox.synchronous).toBe('NORMAL');
    expect(config.outbox.maxDatabaseBytes).toBe(10_000_000_000);
    expect(config.outbox.retention).toEqual({ compactAfterDays: 3, removeAfterDays: 30 });
    expect(config.logging).toEqual({ level: 'debug', maxFileBytes: 1048576, maxFiles: 10 });
    const [connection] = config.connections;
    expect(connection?.enabled).toBe(false);
    expect(connection?.name).toBe('Scanner → ERP');
    expect(connection?.source).toMatchObject({ path: '/srv/scans', include: ['*.pdf'], recursive: false });
    expect(connection?.destination).toMatchObject({
      method: 'PUT',
      headers: { 'X-Tenant': 'acme', Authorization: { secretRef: 'erp-token' } },
      timeouts: { connectMs: 1000, responseMs: 2000, totalMs: 3000 },
      concurrency: 8,
    });
  });

  it('loads the same config written as JSON (.json) and as .yml', async () => {
    const yamlFile = join(dir, 'agent.yaml');
    writeFileSync(yamlFile, fullYaml);
    const fromYaml = (await loadConfigFile(yamlFile)).config;
    const jsonFile = join(dir, 'agent.json');
    writeFileSync(jsonFile, `\uFEFF${JSON.stringify(fromYaml, null, 2)}`);
    expect((await loadConfigFile(jsonFile)).config).toEqual(fromYaml);
    const ymlFile = join(dir, 'agent.yml');
    writeFileSync(ymlFile, fullYaml);
    expect((await loadConfigFile(ymlFile)).config).toEqual(fromYaml);
  });

  it('says a missing file does not exist and how to go on', async () => {
    const file = join(dir, 'nope.yaml');
    const error = await asyncConfigErrorOf(() => loadConfigFile(file));
    expect(error.file).toBe(file);
    expect(error.message).toBe(
      `Invalid config ${file}:\n  - (root): the file does not exist. ` +
        'Fix: create it, or start without --config to run the built-in sandbox',
    );
  });

  it('says when the path is a folder', async () => {
    const folder = join(dir, 'config.yaml');
    mkdirSync(folder);
    const error = await asyncConfigErrorOf(() => loadConfigFile(folder));
    expect(error.issues[0]?.problem).toContain('is a folder');
  });
});

describe('parseConfigText', () => {
  it('reports JSON syntax errors with line and column', () => {
    const error = configErrorOf(() =>
      parseConfigText('{\n  "configVersion": 1\n  "sandbox": true\n}', 'a.json'),
    );
    expect(error.issues).toEqual([
      {
        path: '(root)',
        problem: `JSON syntax error at line 3, column 3: expected ',' or '}' but found '"'`,
        fix: 'correct the JSON at line 3, column 3',
      },
    ]);
  });

  it.each([
    ['{"a": }', 1, 7, "expected a value but found '}'"],
    ['{\n  "a": 1,\n}', 2, 9, "trailing comma before '}'"],
    ['{"a": \'x\'}', 1, 7, 'double quotes'],
    ['{\n  // note\n  "a": 1\n}', 2, 3, 'comments are not allowed'],
    ['{"a": "line\nbreak"}', 1, 12, 'line break'],
    ['{"a": 1', 1, 8, 'the end of the file'],
    ['', 1, 1, 'the end of the file'],
    ['{} {}', 1, 4, 'after the end'],
  ])('locates the JSON error in %j at line %i, column %i', (text, line, column, words) => {
    const error = configErrorOf(() => parseConfigText(text, 'a.json'));
    expect(error.issues[0]?.problem).toContain(`line ${line}, column ${column}`);
    expect(error.issues[0]?.problem).toContain(words);
  });

  it('reports YAML syntax errors with line and column', () => {
    const error = configErrorOf(() =>
      parseConfigText('configVersion: 1\nlogging:\n\tlevel: info\n', 'a.yaml'),
    );
    expect(error.message).toContain('Invalid config a.yaml:');
    expect(error.issues[0]?.path).toBe('(root)');
    expect(error.issues[0]?.problem).toMatch(/^YAML syntax error at line 3, column 1: .*[Tt]ab/);
    expect(error.issues[0]?.fix).toContain('line 3, column 1');
  });

  it('reports duplicate YAML keys', () => {
    const error = configErrorOf(() =>
      parseConfigText('configVersion: 1\nsandbox: true\nsandbox: false\n', 'a.yml'),
    );
    expect(error.issues[0]?.problem).toContain('line 3, column 1');
  });

  it('refuses unknown file extensions', () => {
    const error = configErrorOf(() => parseConfigText('configVersion = 1', 'agent.toml'));
    expect(error.issues[0]?.problem).toContain('".toml"');
    expect(error.issues[0]?.fix).toContain('.yaml, .yml or .json');
  });

  it('reports an empty YAML file as missing its top-level settings', () => {
    const error = configErrorOf(() => validateConfig(parseConfigText('', 'a.yaml'), 'a.yaml'));
    expect(error.issues[0]).toMatchObject({ path: '(root)', fix: 'start it with configVersion: 1' });
  });
});

describe('YAML keys that are lists or mappings (found by the fuzz suite)', () => {
  it('are a ConfigError with the line, not a process warning and a stringified key', () => {
    const warnings = vi.spyOn(process, 'emitWarning');
    const error = configErrorOf(() => parseConfigText('configVersion: 1\n? [a, b]\n: x\n', 'c.yaml'));
    expect(error.issues).toEqual([
      expect.objectContaining({
        problem:
          'YAML syntax error at line 2, column 3: a key is a list, mapping or tagged value, not a name',
      }),
    ]);
    expect(configErrorOf(() => parseConfigText('{ a: 1 }: x\n', 'c.yaml')).issues[0]?.problem).toMatch(
      /line 1, column 1/,
    );
    expect(configErrorOf(() => parseConfigText('!!binary :\n', 'c.yaml')).issues[0]?.problem).toMatch(
      /line 1, column 1/,
    );
    expect(configErrorOf(() => parseConfigText('a: &x [1]\n*x : 2\n', 'c.yaml')).issues[0]?.problem).toMatch(
      /line 2, column 1/,
    );
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });
});
