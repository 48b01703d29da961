// Proxy config schema: modes, credentials never in the URL, every problem with a fix.
import { describe, expect, it } from 'vitest';
import { proxyConfigSchema } from '../../../../connectors/destinations/http/security-config.js';

function issues(input: unknown) {
  const result = proxyConfigSchema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => ({
    path: i.path.join('.'),
    message: i.message,
    fix: (i as { params?: { fix?: string } }).params?.fix,
  }));
}

describe('proxyConfigSchema', () => {
  it('defaults to the environment with no extra noProxy hosts', () => {
    expect(proxyConfigSchema.parse({})).toEqual({ mode: 'env', noProxy: [] });
  });

  it('accepts an explicit proxy with a user name and a password reference', () => {
    expect(
      proxyConfigSchema.parse({
        mode: 'explicit',
        url: 'http://proxy.corp.example:3128',
        username: 'agent',
        password: { secretRef: 'proxy-password' },
        noProxy: ['.corp.example'],
      }),
    ).toMatchObject({ mode: 'explicit', url: 'http://proxy.corp.example:3128', username: 'agent' });
  });

  it('requires url in explicit mode', () => {
    expect(issues({ mode: 'explicit' })).toEqual([
      {
        path: 'url',
        message: 'is required when mode is explicit',
        fix: 'add url: http://<proxy host>:<port>',
      },
    ]);
  });

  it('refuses credentials in the proxy URL and says where they go instead', () => {
    const [issue] = issues({ mode: 'explicit', url: 'http://agent:hunter2@proxy.corp.example:3128' });
    expect(issue).toMatchObject({ path: 'url', message: 'must not contain credentials' });
    expect(issue?.fix).toContain('proxy.username');
    expect(issue?.fix).toContain('proxy.password: { secretRef');
    expect(JSON.stringify(issue)).not.toContain('hunter2');
  });

  it('refuses a plain-string password (secrets come from the secret store)', () => {
    expect(
      proxyConfigSchema.safeParse({ mode: 'explicit', url: 'http://p:3128', username: 'a', password: 'x' })
        .success,
    ).toBe(false);
  });

  it('refuses non-http proxy URLs and paths', () => {
    expect(issues({ mode: 'explicit', url: 'socks5://proxy:1080' })[0]?.message).toContain(
      'http:// proxy URL',
    );
    expect(issues({ mode: 'explicit', url: 'http://proxy:3128/path' })[0]).toMatchObject({
      message: 'must be only scheme, host and port',
      fix: 'write http://proxy:3128',
    });
  });

  it('needs a user name with a password, and url only in explicit mode', () => {
    expect(issues({ mode: 'explicit', url: 'http://p:3128', password: { secretRef: 'x' } })[0]?.path).toBe(
      'username',
    );
    expect(issues({ mode: 'env', url: 'http://p:3128' })[0]).toMatchObject({
      path: 'url',
      fix: 'set mode: explicit, or remove url',
    });
    expect(issues({ mode: 'none', noProxy: ['x'] })[0]?.path).toBe('mode');
  });
});
