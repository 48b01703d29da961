// Decides per target URL whether a request goes through an HTTP proxy (which one, with which login) or directly.
import { getProxyForUrl } from 'proxy-from-env';
import type { ProxyConfig } from './security-config.js';

export interface ProxyRoute {
  /** The proxy, without credentials. */
  url: URL;
  /** scheme://host:port of the proxy; safe to log and show. */
  origin: string;
  /** Basic credentials sent as Proxy-Authorization on CONNECT. */
  credentials?: { username: string; password: string };
  /** What to check when the proxy refuses the login, in plain words (never the secret itself). */
  credentialHint: string;
}

/** A proxy setting (config or environment) that cannot be used. */
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

/** Same precedence as proxy-from-env: lower case first, then upper case. */
function lookup(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** curl reads a proxy without scheme as http://; proxy-from-env would use the target's scheme (https://) instead. */
function withScheme(proxy: string): string {
  return proxy === '' || proxy.includes('://') ? proxy : `http://${proxy}`;
}

/**
 * proxy-from-env only reads process.env; it runs synchronously, so it sees `env` for exactly this call.
 * Nothing else can run (and observe process.env) until it is restored.
 */
function proxyForUrl(target: URL, env: NodeJS.ProcessEnv): string {
  const saved = process.env;
  process.env = env;
  try {
    return getProxyForUrl(target);
  } finally {
    process.env = saved;
  }
}

interface Selection {
  env: NodeJS.ProcessEnv;
  /** Where the proxy URL came from, for messages. */
  source: string;
}

function select(target: URL, config: ProxyConfig, env: NodeJS.ProcessEnv): Selection | undefined {
  if (config.mode === 'none') return undefined;
  const noProxy = config.noProxy.join(',');
  if (config.mode === 'explicit') {
    const url = config.url ?? '';
    return { env: { https_proxy: url, http_proxy: url, no_proxy: noProxy }, source: 'proxy.url' };
  }
  const scheme = target.protocol.replace(':', '');
  return {
    env: {
      https_proxy: withScheme(lookup(env, 'https_proxy')),
      http_proxy: withScheme(lookup(env, 'http_proxy')),
      all_proxy: withScheme(lookup(env, 'all_proxy')),
      no_proxy: [lookup(env, 'no_proxy'), noProxy].filter((list) => list !== '').join(','),
    },
    source: lookup(env, `${scheme}_proxy`) !== '' ? `${scheme.toUpperCase()}_PROXY` : 'ALL_PROXY',
  };
}

/** The proxy for `target`, or undefined to connect directly (mode none, no proxy configured, or NO_PROXY match). */
export function resolveProxyRoute(
  target: URL,
  config: ProxyConfig,
  secrets: (name: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): ProxyRoute | undefined {
  const selection = select(target, config, env);
  if (selection === undefined) return undefined;
  const href = proxyForUrl(target, selection.env);
  if (href === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(href);
  } catch {
    // The value may hold a password: name the setting, never echo it.
    throw new ProxyConfigError(
      `${selection.source} is not a valid proxy URL. Fix: set it to http://<proxy host>:<port>`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ProxyConfigError(
      `${selection.source} names a ${parsed.protocol.replace(':', '')} proxy; only HTTP proxies (CONNECT) are supported. Fix: use an http:// proxy`,
    );
  const url = new URL(parsed.origin);
  const base = { url, origin: url.origin };
  if (config.username !== undefined) {
    const secret = config.password?.secretRef;
    return {
      ...base,
      credentials: { username: config.username, password: secret === undefined ? '' : secrets(secret) },
      credentialHint:
        secret === undefined ? 'check proxy.username' : `check proxy.username and the secret ${secret}`,
    };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return {
      ...base,
      credentials: {
        username: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
      },
      credentialHint: `check the user name and password in ${selection.source}`,
    };
  }
  return {
    ...base,
    credentialHint:
      'the proxy requires a login: set proxy.username and proxy.password: { secretRef: <name> } on the destination',
  };
}
