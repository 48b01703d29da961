// app:// requests map to files of the built renderer only, with CSP and content types.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appResponseHeaders,
  contentSecurityPolicy,
  resolveAppAsset,
} from '../../../main/desktop/app-assets.js';

const root = resolve('/opt/agent/dist/renderer');

describe('resolveAppAsset', () => {
  it('serves files under the renderer folder and index.html for the root and client-side routes', () => {
    expect(resolveAppAsset('app://agent/', root)).toEqual({ file: join(root, 'index.html') });
    expect(resolveAppAsset('app://agent/assets/index-1a2b.js', root)).toEqual({
      file: join(root, 'assets', 'index-1a2b.js'),
    });
    expect(resolveAppAsset('app://agent/connections/invoices', root)).toEqual({
      file: join(root, 'index.html'),
    });
    expect(resolveAppAsset('app://agent/assets/a%20b.css?v=1#x', root)).toEqual({
      file: join(root, 'assets', 'a b.css'),
    });
  });

  it('resolves dot segments as URL parsing does, so they never climb above the folder', () => {
    expect(resolveAppAsset('app://agent/../secrets.enc.json', root)).toEqual({
      file: join(root, 'secrets.enc.json'),
    });
    expect(resolveAppAsset('app://agent/assets/%2e%2e/%2e%2e/config.yaml', root)).toEqual({
      file: join(root, 'config.yaml'),
    });
  });

  it.each([
    'app://agent/assets/..%2f..%2fconfig.yaml',
    'app://agent/assets/..%5c..%5cconfig.yaml',
    'app://agent/a%00.js',
  ])('refuses %s, whose encoded separators would leave the folder', (url) => {
    expect(resolveAppAsset(url, root)).toEqual({ status: 403 });
  });

  it('refuses other origins and malformed escapes', () => {
    expect(resolveAppAsset('app://other/index.html', root)).toEqual({ status: 403 });
    expect(resolveAppAsset('file:///opt/agent/dist/renderer/index.html', root)).toEqual({ status: 403 });
    expect(resolveAppAsset('app://agent/%E0%A4%A.js', root)).toEqual({ status: 400 });
  });
});

describe('appResponseHeaders', () => {
  it('sends the CSP, nosniff and the content type with every file', () => {
    expect(appResponseHeaders('/x/index.html')).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    });
    expect(appResponseHeaders('/x/app.JS')['content-type']).toBe('text/javascript; charset=utf-8');
    expect(appResponseHeaders('/x/blob.bin')['content-type']).toBe('application/octet-stream');
  });

  it('allows no inline or remote script, no plugins, no framing and no remote connections', () => {
    const directives = new Map(
      contentSecurityPolicy.split('; ').map((d) => {
        const [name, ...values] = d.split(' ');
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});
