// Inline secrets are found wherever they hide and refused by the loader; secretRef is the accepted form.
import { describe, expect, it } from 'vitest';
import { findInlineSecrets } from '../../../main/config/inline-secrets.js';
import { validateConfig } from '../../../main/config/load-config.js';
import { configErrorOf } from './config-error-helpers.js';

function withDestination(destination: Record<string, unknown>): Record<string, unknown> {
  return {
    configVersion: 1,
    connections: [
      {
        id: 'inbox',
        source: { type: 'folder', path: '/data/in' },
        destination: { type: 'http', url: 'https://api.example.com/ingest', ...destination },
      },
    ],
  };
}

describe('findInlineSecrets', () => {
  it('finds secret-named keys at any depth, in any spelling', () => {
    expect(
      findInlineSecrets({
        database: { login: { password: 'hunter2' } },
        apiKey: 'k',
        API_KEY: 'k',
        'client-secret': 's',
        list: [{ private_key: 'pem' }, { passphrase: 'p' }],
        auth: { accessToken: 't', credentials: 'c' },
      }),
    ).toEqual([
      'database.login.password',
      'apiKey',
      'API_KEY',
      '["client-secret"]',
      'list[0].private_key',
      'list[1].passphrase',
      'auth.accessToken',
      'auth.credentials',
    ]);
  });

  it('finds secret headers, including ones the key rule would miss', () => {
    expect(
      findInlineSecrets({
        headers: {
          Authorization: 'Bearer x',
          Cookie: 'sid=1',
          'X-API-Key': 'k',
          'Proxy-Authorization': 'Basic y',
          'X-Tenant': 'acme',
        },
      }),
    ).toEqual([
      'headers.Authorization',
      'headers.Cookie',
      'headers["X-API-Key"]',
      'headers["Proxy-Authorization"]',
    ]);
  });

  it('finds passwords inside URLs', () => {
    expect(findInlineSecrets({ url: 'https://user:pw@api.example.com/' })).toEqual(['url']);
    expect(findInlineSecrets({ url: 'https://user@api.example.com/' })).toEqual([]);
  });

  it('accepts secretRef objects, empty values and keys that only name a secret', () => {
    expect(
      findInlineSecrets({
        password: { secretRef: 'db-password' },
        headers: { Authorization: { secretRef: 'erp-token' }, Cookie: '' },
        token: '',
        tokenUrl: 'https://login.example.com/token',
        passwordFile: '/etc/agent/pw',
        secretRef: 'name',
        enabled: true,
        bypassCount: 3,
      }),
    ).toEqual([]);
  });
});

describe('validateConfig and inline secrets', () => {
  const fix = `store the value in the agent's secret store under a name and write { "secretRef": "<name>" } here instead`;

  it('refuses an Authorization header, with the secret-store fix', () => {
    const error = configErrorOf(() =>
      validateConfig(withDestination({ headers: { Authorization: 'Bearer abc' } }), 'a.yaml'),
    );
    expect(error.issues).toEqual([
      {
        path: 'connections[0].destination.headers.Authorization',
        problem: 'contains an inline secret; secrets are never stored in the config file',
        fix,
      },
    ]);
    expect(error.message).not.toContain('Bearer abc');
  });

  it('refuses a nested password and an apiKey, reported once each (not also as unknown keys)', () => {
    const error = configErrorOf(() =>
      validateConfig(withDestination({ extra: { password: 'hunter2' }, apiKey: 'k-123' }), 'a.yaml'),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'connections[0].destination.extra.password',
      'connections[0].destination.apiKey',
      'connections[0].destination.extra',
    ]);
    expect(error.issues[0]?.fix).toBe(fix);
    expect(error.issues[2]?.problem).toBe('unknown key "extra"');
    expect(error.message).not.toContain('hunter2');
  });

  it('accepts secretRef header values', () => {
    const { config } = validateConfig(
      withDestination({
        headers: { Authorization: { secretRef: 'erp-token' }, 'X-Api-Key': { secretRef: 'erp-key' } },
      }),
      'a.yaml',
    );
    const destination = config.connections[0]?.destination;
    if (destination?.type !== 'http') throw new Error('expected an HTTP destination');
    expect(destination.headers).toEqual({
      Authorization: { secretRef: 'erp-token' },
      'X-Api-Key': { secretRef: 'erp-key' },
    });
  });
});
