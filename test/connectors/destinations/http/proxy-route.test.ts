// Proxy selection per target: environment variables (both cases), NO_PROXY via proxy-from-env, explicit noProxy, logins.
import { describe, expect, it } from 'vitest';
import { ProxyConfigError, resolveProxyRoute } from '../../../../connectors/destinations/http/proxy.js';
import { proxyConfigSchema } from '../../../../connectors/destinations/http/security-config.js';

const env = proxyConfigSchema.parse({ mode: 'env' });
const noSecrets = (name: string): string => {
  throw new Error(`unexpected secret ${name}`);
};
const route = (target: string, environment: NodeJS.ProcessEnv, config = env, secrets = noSecrets) =>
  resolveProxyRoute(new URL(target), config, secrets, environment);

describe('resolveProxyRoute in env mode', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http targets, lower case before upper case', () => {
    const environment = {
      HTTPS_PROXY: 'http://upper:3128',
      https_proxy: 'http://lower:3128',
      HTTP_PROXY: 'http://plain:8080',
    };
    expect(route('https://api.example.com/x', environment)?.origin).toBe('http://lower:3128');
    expect(route('http://api.example.com/x', environment)?.origin).toBe('http://plain:8080');
  });

  it('falls back to ALL_PROXY and reads a proxy without scheme as http://', () => {
    expect(route('https://api.example.com/', { ALL_PROXY: 'proxy.corp:3128' })?.origin).toBe(
      'http://proxy.corp:3128',
    );
  });

  it('connects directly without proxy variables', () => {
    expect(route('https://api.example.com/', {})).toBeUndefined();
  });

  it.each([
    ['api.example.com', 'https://api.example.com/', true],
    ['.example.com', 'https://api.example.com/', true],
    ['*.example.com', 'https://api.example.com/', true],
    ['example.com:8443', 'https://example.com:8443/', true],
    ['example.com:8443', 'https://example.com/', false],
    ['*', 'https://anything.test/', true],
    ['other.com, 10.0.0.5', 'https://10.0.0.5/', true],
    ['other.com', 'https://api.example.com/', false],
  ])('NO_PROXY=%s for %s bypasses the proxy: %s', (noProxy, target, bypass) => {
    const result = route(target, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy });
    expect(result === undefined).toBe(bypass);
  });

  it('adds the config noProxy list to NO_PROXY', () => {
    const config = proxyConfigSchema.parse({ mode: 'env', noProxy: ['internal.example'] });
    const environment = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'other.example' };
    expect(route('https://internal.example/', environment, config)).toBeUndefined();
    expect(route('https://other.example/', environment, config)).toBeUndefined();
    expect(route('https://api.example.com/', environment, config)?.origin).toBe('http://proxy:3128');
  });

  it('leaves process.env as it was', () => {
    const before = { ...process.env };
    const saved = process.env;
    route('https://api.example.com/', { HTTPS_PROXY: 'http://proxy:3128' });
    expect(process.env).toBe(saved);
    expect(process.env).toEqual(before);
  });

  it('takes credentials from the environment URL and keeps them out of url and origin', () => {
    const result = route('https://api.example.com/', { HTTPS_PROXY: 'http://us%40er:p%3Ass@proxy:3128' });
    expect(result?.credentials).toEqual({ username: 'us@er', password: 'p:ss' });
    expect(result?.url.href).toBe('http://proxy:3128/');
    expect(result?.origin).toBe('http://proxy:3128');
    expect(result?.credentialHint).toBe('check the user name and password in HTTPS_PROXY');
  });

  it('names the variable, never its value, when the environment proxy is unusable', () => {
    expect(() => route('https://a.example/', { HTTPS_PROXY: 'http://user:s3cret@[bad' })).toThrow(
      ProxyConfigError,
    );
    expect(() => route('https://a.example/', { HTTPS_PROXY: 'http://user:s3cret@[bad' })).toThrow(
      /^HTTPS_PROXY is not a valid proxy URL/,
    );
    try {
      route('https://a.example/', { HTTPS_PROXY: 'http://user:s3cret@[bad' });
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
    expect(() => route('https://a.example/', { HTTPS_PROXY: 'socks5://proxy:1080' })).toThrow(
      /only HTTP proxies \(CONNECT\) are supported/,
    );
  });
});

describe('resolveProxyRoute in explicit and none modes', () => {
  const explicit = proxyConfigSchema.parse({
    mode: 'explicit',
    url: 'http://proxy.corp:3128',
    username: 'agent',
    password: { secretRef: 'proxy-password' },
    noProxy: ['.corp', 'localhost'],
  });
  const secrets = (name: string) => (name === 'proxy-password' ? 'pw' : noSecrets(name));

  it('uses the configured proxy and ignores the environment', () => {
    const result = route(
      'https://api.example.com/',
      { HTTPS_PROXY: 'http://elsewhere:1' },
      explicit,
      secrets,
    );
    expect(result?.origin).toBe('http://proxy.corp:3128');
    expect(result?.credentials).toEqual({ username: 'agent', password: 'pw' });
    expect(result?.credentialHint).toBe('check proxy.username and the secret proxy-password');
  });

  it('goes direct to hosts in noProxy', () => {
    expect(route('https://erp.corp/', {}, explicit, secrets)).toBeUndefined();
    expect(route('http://localhost:8080/', {}, explicit, secrets)).toBeUndefined();
  });

  it('never uses a proxy in mode none', () => {
    const none = proxyConfigSchema.parse({ mode: 'none' });
    expect(route('https://api.example.com/', { HTTPS_PROXY: 'http://proxy:3128' }, none)).toBeUndefined();
  });
});
