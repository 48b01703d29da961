// HTTP destination transport policy: https always, plain http only to loopback or with the explicit insecure flag.
import { describe, expect, it } from 'vitest';
import { httpDestinationSchema } from '../../../../connectors/destinations/http/config.js';
import { isLoopbackHost } from '../../../../connectors/core/loopback.js';
import {
  InsecureTransportError,
  checkTransport,
} from '../../../../connectors/destinations/http/transport-policy.js';

describe('checkTransport', () => {
  it('accepts https without a warning', () => {
    expect(checkTransport(new URL('https://api.example.com/invoices'), false)).toBeUndefined();
    expect(checkTransport(new URL('https://api.example.com/invoices'), true)).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:8080/ingest',
    'http://127.5.6.7/',
    'http://localhost:3000/',
    'http://LOCALHOST/',
    'http://[::1]:9000/',
  ])('accepts plain http to loopback %s', (url) => {
    expect(checkTransport(new URL(url), false)).toBeUndefined();
  });

  it('refuses plain http to a remote host with a Fix', () => {
    const url = new URL('http://example.com/api');
    expect(() => checkTransport(url, false)).toThrow(InsecureTransportError);
    try {
      checkTransport(url, false);
    } catch (error) {
      expect((error as Error).name).toBe('InsecureTransportError');
      expect((error as Error).message).toContain('http://example.com');
      expect((error as Error).message).toContain('Fix:');
      expect((error as Error).message).toContain('allowInsecureHttp');
    }
  });

  it.each([
    'http://127.0.0.1.example.com/',
    'http://10.0.0.5/',
    'http://localhost.evil.com/',
    'http://128.0.0.1/',
  ])('does not mistake %s for loopback', (url) => {
    expect(() => checkTransport(new URL(url), false)).toThrow(InsecureTransportError);
  });

  it('allows remote plain http with the flag but returns a warning naming the origin', () => {
    const warning = checkTransport(new URL('http://intranet.local:8080/x'), true);
    expect(warning).toEqual(expect.any(String));
    expect(warning).toContain('INSECURE');
    expect(warning).toContain('http://intranet.local:8080');
  });

  it.each(['ftp://files.example.com/drop', 'file:///etc/passwd', 'ws://example.com/'])(
    'refuses other schemes such as %s, even with the flag',
    (url) => {
      expect(() => checkTransport(new URL(url), true)).toThrow(/Unsupported URL scheme/);
      expect(() => checkTransport(new URL(url), false)).toThrow(/use https/);
    },
  );
});

describe('isLoopbackHost', () => {
  it('knows loopback names and addresses', () => {
    for (const host of ['localhost', '127.0.0.1', '127.255.255.254', '[::1]', '::1']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['example.com', '0.0.0.0', '127.0.0', '1127.0.0.1', '192.168.1.1']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe('the config refuses plain http off this machine at every entry point', () => {
  it('is a config error with the fix, unless allowInsecureHttp is set; loopback and https are fine', () => {
    const refused = httpDestinationSchema.safeParse({ type: 'http', url: 'http://10.1.2.3/v1/records' });
    expect(refused.success).toBe(false);
    const issue = refused.error?.issues.find((i) => i.path.join('.') === 'url');
    expect(issue?.message).toBe(
      'plain http to http://10.1.2.3 would carry records across the network unencrypted',
    );
    expect((issue as { params?: { fix?: string } }).params?.fix).toContain('allowInsecureHttp: true');
    for (const ok of [
      { type: 'http', url: 'http://10.1.2.3/v1', allowInsecureHttp: true },
      { type: 'http', url: 'http://127.0.0.1:8080/v1' },
      { type: 'http', url: 'https://api.example.com/v1' },
    ])
      expect(httpDestinationSchema.safeParse(ok).success).toBe(true);
  });
});
