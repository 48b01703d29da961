// Redaction: secret values in every encoded form, credentials, tokens, emails, cards, extra patterns, structural JSON.
import { describe, expect, it } from 'vitest';
import { fromZodError } from '../../../main/config/errors.js';
import { agentConfigSchema } from '../../../main/config/schema.js';
import { createRedactor, isSecretKey, redactJson } from '../../../main/diagnostics/redaction.js';

const secret = 'Zq8!pL3 xWv9/Rt5+Ku2';

describe('createRedactor', () => {
  const redact = createRedactor({
    secretValues: [secret, 'ab'],
    extraPatterns: ['CUST-[0-9]{6}', /ORDER#\d+/i],
  });

  it('removes a known secret value raw, URL-encoded, form-encoded, JSON-escaped and base64', () => {
    const forms = [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ];
    for (const form of forms) {
      const out = redact(`before ${form} after`);
      expect(out, form).toBe('before [redacted] after');
    }
  });

  it('leaves values too short to match safely alone (they would blank ordinary words)', () => {
    expect(redact('tab cab')).toBe('tab cab');
  });

  it.each([
    ['Authorization: Bearer abc.def-123456', 'Authorization: [redacted]'],
    ['proxy-authorization: Basic dXNlcjpwYXNz', 'proxy-authorization: [redacted]'],
    ['Cookie: session=abc; theme=dark', 'Cookie: [redacted]'],
    ['X-Api-Key: k-1234567', 'X-Api-Key: [redacted]'],
    ['{"Authorization":"Bearer abcdefgh"}', '{"Authorization":"[redacted]"}'],
    ['sent with bearer abcdefghijk', 'sent with bearer [redacted]'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature', 'jwt [redacted]'],
    ['postgres://agent:hunter22@db.local:5432/erp', 'postgres://agent:[redacted]@db.local:5432/erp'],
    ['mysql://root:p%40ss@10.0.0.1/x', 'mysql://root:[redacted]@10.0.0.1/x'],
    [
      'Server=db;User Id=sa;Password=Pa55word;Database=erp',
      'Server=db;User Id=sa;Password=[redacted];Database=erp',
    ],
    ['login password=abc123 ok', 'login password=[redacted] ok'],
    ['"password": "a\\"b c", "user": "bob"', '"password": "[redacted]", "user": "bob"'],
    ['{"clientSecret":"xyz","n":1}', '{"clientSecret":"[redacted]","n":1}'],
    ['from jane.doe+x@mail.example.co.uk today', 'from [email] today'],
    ['card 4111 1111 1111 1111 / 4111-1111-1111-1111 / 4111111111111111', 'card [card] / [card] / [card]'],
    ['customer CUST-123456 order#991', 'customer [redacted] [redacted]'],
  ])('redacts %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('keeps what support needs: timestamps, ids, hashes, secret names and URLs without credentials', () => {
    const text =
      'at 1763700000000 record 42 key 3f2a9c0d1e2b4a5c {"secretRef":"erp-token"} https://api.example.com/v1 HTTP 422';
    expect(redact(text)).toBe(text);
  });
});

describe('redactJson', () => {
  const redact = createRedactor({ secretValues: ['s3cr3t-value'] });

  it('replaces values under secret keys, keeps secretRef names, and redacts every string', () => {
    const out = redactJson(
      {
        token: { secretRef: 'erp-token' },
        tokenUrl: 'https://idp.example.com/token',
        password: 'whatever',
        headers: { Authorization: 'Bearer x', 'X-Api-Key': 123456, accept: 'application/json' },
        nested: [{ apiKey: 'k', note: 'mail bob@example.com with s3cr3t-value' }],
        enabled: true,
        passwordRequired: false,
      },
      redact,
    );
    expect(out).toEqual({
      token: { secretRef: 'erp-token' },
      tokenUrl: 'https://idp.example.com/token',
      password: '[redacted]',
      headers: { Authorization: '[redacted]', 'X-Api-Key': '[redacted]', accept: 'application/json' },
      nested: [{ apiKey: '[redacted]', note: 'mail [email] with [redacted]' }],
      enabled: true,
      passwordRequired: false,
    });
  });

  it('tells secret keys from keys that only name where a secret lives', () => {
    for (const key of [
      'password',
      'accessToken',
      'client_secret',
      'Proxy-Authorization',
      'cookie',
      'privateKey',
    ])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['secretRef', 'tokenUrl', 'keyFile', 'keyEnv', 'idempotencyKey', 'user'])
      expect(isSecretKey(key), key).toBe(false);
  });
});

describe('diagnostics.redactPatterns in the config', () => {
  it('accepts valid patterns and refuses an invalid one with an error naming it', () => {
    const base = { configVersion: 1 };
    expect(
      agentConfigSchema.parse({ ...base, diagnostics: { redactPatterns: ['CUST-[0-9]{6}'] } }).diagnostics,
    ).toEqual({
      redactPatterns: ['CUST-[0-9]{6}'],
      hashFileNames: true,
    });
    expect(agentConfigSchema.parse(base).diagnostics).toEqual({ redactPatterns: [], hashFileNames: true });
    const result = agentConfigSchema.safeParse({
      ...base,
      diagnostics: { redactPatterns: ['ok', 'CUST-[0-9'] },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const message = fromZodError('agent.yaml', result.error).message;
    expect(message).toContain(
      'diagnostics.redactPatterns[1]: the pattern "CUST-[0-9" is not a valid regular expression',
    );
    expect(message).toContain('Fix: write a JavaScript regular expression');
  });
});
