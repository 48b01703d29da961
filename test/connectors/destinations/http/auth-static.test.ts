// Static request authentication (none, bearer, api-key): the right header from the secret store, no retry on 401.
import { describe, expect, it } from 'vitest';
import { createRequestAuth } from '../../../../connectors/destinations/http/auth/create-request-auth.js';
import { authConfigSchema } from '../../../../connectors/destinations/http/security-config.js';
import type { HttpTransport } from '../../../../connectors/destinations/http/transport.js';

const store: Record<string, string> = { 'erp-token': 'tok-123', 'erp-key': 'key-456' };
const secrets = (name: string): string => {
  const value = store[name];
  if (value === undefined) throw new Error(`no secret ${name}`);
  return value;
};
const build = (input: unknown) =>
  createRequestAuth(authConfigSchema.parse(input), { transport: {} as HttpTransport, secrets });
const request = { method: 'POST', url: 'https://api.example.com/', body: Buffer.from('x') };

describe('static request authentication', () => {
  it('none adds nothing', async () => {
    const auth = build({ type: 'none' });
    expect(auth.kind).toBe('none');
    expect(await auth.headers(request)).toEqual({});
    expect(auth.invalidate()).toBe(false);
  });

  it('bearer sends the token from the secret store, read at send time', async () => {
    const auth = build({ type: 'bearer', token: { secretRef: 'erp-token' } });
    expect(await auth.headers(request)).toEqual({ authorization: 'Bearer tok-123' });
    store['erp-token'] = 'tok-rotated';
    expect(await auth.headers(request)).toEqual({ authorization: 'Bearer tok-rotated' });
    expect(auth.invalidate()).toBe(false);
  });

  it('api-key uses x-api-key by default and a custom header when given', async () => {
    expect(await build({ type: 'api-key', value: { secretRef: 'erp-key' } }).headers(request)).toEqual({
      'x-api-key': 'key-456',
    });
    expect(
      await build({ type: 'api-key', header: 'X-Tenant-Key', value: { secretRef: 'erp-key' } }).headers(
        request,
      ),
    ).toEqual({ 'x-tenant-key': 'key-456' });
  });

  it('refuses inline secret values and invalid header names in the config', () => {
    expect(authConfigSchema.safeParse({ type: 'bearer', token: 'tok-123' }).success).toBe(false);
    expect(
      authConfigSchema.safeParse({ type: 'api-key', header: 'bad header', value: { secretRef: 'k' } })
        .success,
    ).toBe(false);
  });

  it('fills the OAuth and HMAC defaults', () => {
    expect(
      authConfigSchema.parse({
        type: 'oauth2-client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'agent',
        clientSecret: { secretRef: 'oauth' },
      }),
    ).toMatchObject({ clientAuth: 'basic', refreshBeforeExpiryMs: 60_000 });
    expect(authConfigSchema.parse({ type: 'hmac', secret: { secretRef: 'h' } })).toEqual({
      type: 'hmac',
      secret: { secretRef: 'h' },
      algorithm: 'sha256',
      signatureHeader: 'x-signature',
      timestampHeader: 'x-timestamp',
      encoding: 'hex',
    });
  });
});
