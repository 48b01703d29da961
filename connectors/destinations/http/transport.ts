// The HTTP destination's transport: a got client over keep-alive agents with verified TLS, pins, mTLS and proxy tunnels.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { Got } from 'got';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { resolveProxyRoute, type ProxyRoute } from './proxy.js';
import type { ProxyConfig, TlsConfig } from './security-config.js';
import { loadTls, type TlsConnectOptions } from './tls.js';
import { proxyFailure, watchHandshake } from './transport-errors.js';

export { describeTransportError } from './transport-errors.js';

export interface TransportOptions {
  /** Destination URL; decides proxy or direct for its host (other hosts, e.g. a token endpoint, are decided per request). */
  url: string;
  timeouts: { connectMs: number; responseMs: number; totalMs: number };
  /** maxSockets of each keep-alive agent. */
  concurrency: number;
  tls: TlsConfig;
  proxy: ProxyConfig;
  /** Synchronous secret lookup (values prefetched from the secret store). */
  secrets: (name: string) => string;
  /** Environment for proxy mode env (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface TransportDescription {
  /** Origin of the proxy used for the destination URL (never credentials). */
  proxy?: string;
  pinned: boolean;
  extraCa: boolean;
  clientCert: boolean;
}

export interface HttpTransport {
  /**
   * got with retry 0, throwHttpErrors false, followRedirect false, timeouts, TLS and proxy agents. got is loaded on
   * the first call: an agent with nothing to send does not carry it (about 14 MB of resident memory).
   */
  client(): Promise<Got>;
  describe(): TransportDescription;
  /** Destroys every agent and its sockets. */
  close(): void;
}

interface Agents {
  http: http.Agent;
  https: https.Agent;
}

type ConnectionCallback = (error: Error | null, stream: Duplex) => void;

function targetOf(options: http.ClientRequestArgs): string {
  return `${options.host ?? options.hostname ?? 'localhost'}:${options.port ?? ''}`;
}

class DirectHttpsAgent extends https.Agent {
  override createConnection(
    options: http.ClientRequestArgs,
    callback?: ConnectionCallback,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket instanceof TLSSocket) watchHandshake(socket, targetOf(options));
    return socket;
  }
}

/**
 * hpagent reads Proxy-Authorization (and, for an https:// proxy, the CAs to verify it) from proxyRequestOptions;
 * a non-enumerable property keeps the login out of JSON and inspect output of errors that reference the agent.
 */
function hideProxyLogin(agent: http.Agent, route: ProxyRoute, ca: string[] | undefined): void {
  const headers: Record<string, string> = {};
  if (route.credentials !== undefined) {
    const { username, password } = route.credentials;
    headers['proxy-authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  Object.defineProperty(agent, 'proxyRequestOptions', {
    value: { headers, ...(ca === undefined ? {} : { ca }) },
    enumerable: false,
  });
}

/** What a tunnel agent keeps about its proxy: nothing secret (the login lives only in hidden proxyRequestOptions). */
interface Tunnel {
  origin: string;
  credentialHint: string;
}

/** Wraps the tunnel callback: proxy failures become ProxyError (with the proxy's origin), TLS sockets are watched. */
function tunnelCallback(tunnel: Tunnel, options: http.ClientRequestArgs, callback: ConnectionCallback) {
  const target = targetOf(options);
  return (error: Error | null, socket: Duplex) => {
    if (error) {
      callback(proxyFailure(error, tunnel.origin, target, tunnel.credentialHint), socket);
      return;
    }
    if (socket instanceof TLSSocket) watchHandshake(socket, target);
    callback(null, socket);
  };
}

class TunnelHttpAgent extends HttpProxyAgent {
  readonly #tunnel: Tunnel;

  constructor(route: ProxyRoute, options: http.AgentOptions, proxyCa: string[] | undefined) {
    super({ ...options, proxy: route.url });
    this.#tunnel = { origin: route.origin, credentialHint: route.credentialHint };
    hideProxyLogin(this, route, proxyCa);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): undefined {
    if (callback) super.createConnection(options, tunnelCallback(this.#tunnel, options, callback));
    return undefined;
  }
}

class TunnelHttpsAgent extends HttpsProxyAgent {
  readonly #tunnel: Tunnel;

  constructor(route: ProxyRoute, options: https.AgentOptions, proxyCa: string[] | undefined) {
    super({ ...options, proxy: route.url });
    this.#tunnel = { origin: route.origin, credentialHint: route.credentialHint };
    hideProxyLogin(this, route, proxyCa);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): undefined {
    if (callback) super.createConnection(options, tunnelCallback(this.#tunnel, options, callback));
    return undefined;
  }
}

function createAgents(route: ProxyRoute | undefined, tls: TlsConnectOptions, concurrency: number): Agents {
  const base = { keepAlive: true, maxSockets: concurrency };
  if (route === undefined)
    return { http: new http.Agent(base), https: new DirectHttpsAgent({ ...base, ...tls }) };
  return {
    http: new TunnelHttpAgent(route, base, tls.ca),
    https: new TunnelHttpsAgent(route, { ...base, ...tls }, tls.ca),
  };
}

/** Builds the transport; reads the TLS files and resolves the proxy now, so bad settings fail at start. */
export function createHttpTransport(options: TransportOptions): HttpTransport {
  const env = options.env ?? process.env;
  const loaded = loadTls(options.tls, options.secrets);
  const agentsByRoute = new Map<string, Agents>();
  const routeByOrigin = new Map<string, Agents>();

  let closed = false;

  const agentsFor = (target: URL): Agents => {
    if (closed) throw new Error('the HTTP transport of this destination is closed');
    const known = routeByOrigin.get(target.origin);
    if (known) return known;
    const route = resolveProxyRoute(target, options.proxy, options.secrets, env);
    const key = route === undefined ? 'direct' : `${route.origin} ${route.credentials?.username ?? ''}`;
    let agents = agentsByRoute.get(key);
    if (!agents) {
      agents = createAgents(route, loaded.options, options.concurrency);
      agentsByRoute.set(key, agents);
    }
    routeByOrigin.set(target.origin, agents);
    return agents;
  };

  const destination = new URL(options.url);
  const destinationProxy = resolveProxyRoute(destination, options.proxy, options.secrets, env);
  agentsFor(destination);

  const extend = (got: Got): Got =>
    got.extend({
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: {
        connect: options.timeouts.connectMs,
        response: options.timeouts.responseMs,
        request: options.timeouts.totalMs,
      },
      hooks: {
        beforeRequest: [
          (request) => {
            const url = request.url instanceof URL ? request.url : new URL(String(request.url));
            request.agent = agentsFor(url);
          },
        ],
      },
    });
  let client: Promise<Got> | undefined;

  return {
    client: () => (client ??= import('got').then((loaded) => extend(loaded.default))),
    describe: () => ({
      ...(destinationProxy === undefined ? {} : { proxy: destinationProxy.origin }),
      pinned: loaded.pinned,
      extraCa: loaded.extraCa,
      clientCert: loaded.clientCert,
    }),
    close: () => {
      closed = true;
      for (const agents of agentsByRoute.values()) {
        agents.http.destroy();
        agents.https.destroy();
      }
      agentsByRoute.clear();
      routeByOrigin.clear();
    },
  };
}
