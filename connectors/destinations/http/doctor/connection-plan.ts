// What the doctor's connection checks need to know about a destination: host, port, proxy route, TLS and trust settings.
import type { HttpDestinationConfig } from '../config.js';
import { resolveProxyRoute, type ProxyRoute } from '../proxy.js';
import { loadTls, type LoadedTls } from '../tls.js';
import { checkTransport } from '../transport-policy.js';
import type { CheckOptions } from '../../../core/connector.js';
import type { ConnectionPlan } from './connection-checks.js';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function lookup(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** Why the destination is reached directly, in plain words. */
function directReason(config: HttpDestinationConfig, url: URL, env: NodeJS.ProcessEnv): string {
  if (config.proxy.mode === 'none') return 'direct connection (destination.proxy.mode is none)';
  const scheme = url.protocol.replace(':', '');
  const configured =
    config.proxy.mode === 'explicit' ||
    lookup(env, `${scheme}_proxy`) !== '' ||
    lookup(env, 'all_proxy') !== '';
  return configured
    ? `direct connection: ${url.hostname} matches NO_PROXY / destination.proxy.noProxy`
    : `direct connection: no proxy configured (${scheme.toUpperCase()}_PROXY is not set)`;
}

function plainHttpVerdict(url: URL, allowInsecureHttp: boolean): ConnectionPlan['plainHttp'] {
  try {
    const warning = checkTransport(url, allowInsecureHttp);
    return warning === undefined ? undefined : { status: 'warn', message: warning };
  } catch (error) {
    return { status: 'fail', message: message(error) };
  }
}

/** The plan for `checkConnection`; unusable TLS or proxy settings become problems in the plan, never exceptions. */
export function planConnection(
  config: HttpDestinationConfig,
  url: URL,
  options: Pick<CheckOptions, 'secrets' | 'timeoutMs' | 'expectedIssuerSha256'>,
  env: NodeJS.ProcessEnv,
): ConnectionPlan {
  const https = url.protocol === 'https:';
  let tls: LoadedTls | undefined;
  let tlsProblem: string | undefined;
  try {
    tls = loadTls(config.tls, options.secrets);
  } catch (error) {
    tlsProblem = message(error);
  }
  let route: ProxyRoute | undefined;
  let proxyProblem: string | undefined;
  try {
    route = resolveProxyRoute(url, config.proxy, options.secrets, env);
  } catch (error) {
    proxyProblem = message(error);
  }
  const plainHttp = https ? undefined : plainHttpVerdict(url, config.allowInsecureHttp);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (https ? 443 : 80)),
    https,
    ...(route === undefined ? {} : { route }),
    directReason: directReason(config, url, env),
    ...(proxyProblem === undefined ? {} : { proxyProblem }),
    ...(tls === undefined ? {} : { tls }),
    ...(tlsProblem === undefined ? {} : { tlsProblem }),
    ...(plainHttp === undefined ? {} : { plainHttp }),
    trust: {
      ...(config.tls.caFile === undefined ? {} : { caFile: config.tls.caFile }),
      pins: config.tls.pinnedSha256 ?? [],
      expectedIssuerSha256: options.expectedIssuerSha256 ?? [],
    },
    timeoutMs: options.timeoutMs,
  };
}
