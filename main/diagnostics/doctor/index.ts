// The network doctor: checks the whole path to an HTTP destination (DNS, TCP, proxy, TLS, interception, clock, OAuth, a request).
import {
  createRequestAuth,
  type RequestAuth,
} from '../../../connectors/destinations/http/auth/request-auth.js';
import type { HttpDestinationConfig } from '../../../connectors/destinations/http/config.js';
import { resolveProxyRoute, type ProxyRoute } from '../../../connectors/destinations/http/proxy.js';
import { loadTls, type LoadedTls } from '../../../connectors/destinations/http/tls.js';
import { checkTransport } from '../../../connectors/destinations/http/transport-policy.js';
import { createHttpTransport, type HttpTransport } from '../../../connectors/destinations/http/transport.js';
import { overallOf, type DoctorCheck, type DoctorReport } from '../../../preload/contract/doctor.js';
import type { SecretResolver } from '../../../connectors/core/secret-ref.js';
import { checkClock, type DatedAnswer } from './clock-step.js';
import { checkConnection, type ConnectionPlan } from './connection-checks.js';
import { splitFix } from './deadline.js';
import { checkOAuth } from './oauth-step.js';
import { probeDestination } from './request-probe.js';

export {
  certificateExpiry,
  expiryWarningDays,
  type CertificateExpiry,
  type CertificateSummary,
} from './certificate-expiry.js';
export type { DoctorCheck, DoctorReport } from '../../../preload/contract/doctor.js';

export interface NetworkDoctorOptions {
  /** Secrets the destination references (auth, headers, proxy password, client key passphrase); may throw for missing ones. */
  secrets: SecretResolver;
  /** Limit of each network step (default 10 s). */
  timeoutMs?: number;
  /** Send the configured method with an empty batch and a synthetic `doctor-<random>` Idempotency-Key instead of OPTIONS. */
  dryRun?: boolean;
  /** SHA-256 fingerprints of which one must be in the chain (else TLS counts as intercepted). */
  expectedIssuerSha256?: string[];
  /** Environment for proxy mode env (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Connection id, shown in the report. */
  connection?: string;
}

export const defaultDoctorTimeoutMs = 10_000;

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

function planConnection(
  config: HttpDestinationConfig,
  url: URL,
  options: NetworkDoctorOptions,
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
    timeoutMs: options.timeoutMs ?? defaultDoctorTimeoutMs,
  };
}

/** Credentials for the request: the OAuth client from the token check, or the configured static / HMAC auth. */
function requestAuth(
  config: HttpDestinationConfig,
  transport: HttpTransport,
  secrets: SecretResolver,
): { auth?: RequestAuth; problem?: string } {
  try {
    return { auth: createRequestAuth(config.auth, { transport, secrets }) };
  } catch (error) {
    return { problem: splitFix(message(error)).detail };
  }
}

/** Runs every check against one HTTP destination; never throws for network or settings problems (they become checks). */
export async function runNetworkDoctor(
  destination: HttpDestinationConfig,
  options: NetworkDoctorOptions,
): Promise<DoctorReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? defaultDoctorTimeoutMs;
  const url = new URL(destination.url);
  const connection = await checkConnection(planConnection(destination, url, options, env));

  let transport: HttpTransport | undefined;
  let transportProblem: string | undefined;
  try {
    transport = createHttpTransport({
      url: destination.url,
      timeouts: { connectMs: timeoutMs, responseMs: timeoutMs, totalMs: timeoutMs },
      concurrency: 1,
      tls: destination.tls,
      proxy: destination.proxy,
      secrets: options.secrets,
      env,
    });
  } catch (error) {
    transportProblem = splitFix(message(error)).detail;
  }
  const notRun = (id: string, title: string, detail: string): DoctorCheck => ({
    id,
    title,
    status: 'skip',
    detail,
  });
  let oauth: DoctorCheck = notRun(
    'oauth',
    'OAuth token request',
    `auth is ${destination.auth.type}: no token to request`,
  );
  let probe: DoctorCheck = notRun(
    'dry-run',
    'Request',
    'not sent: the connection to the destination failed (see above)',
  );
  let answer: DatedAnswer | undefined;
  try {
    let auth: { auth?: RequestAuth; problem?: string } = {};
    if (transport !== undefined) {
      if (destination.auth.type === 'oauth2-client-credentials') {
        const sentAt = Date.now();
        const result = await checkOAuth(destination.auth, transport, options.secrets, timeoutMs);
        oauth = result.check;
        auth =
          result.auth === undefined
            ? { problem: 'no OAuth token, see the OAuth check' }
            : { auth: result.auth };
        if (result.facts.date !== undefined)
          answer = {
            date: result.facts.date,
            sentAt,
            receivedAt: Date.now(),
            from: new URL(destination.auth.tokenUrl).host,
          };
      } else auth = requestAuth(destination, transport, options.secrets);
      if (connection.reachable) {
        const result = await probeDestination(destination, transport, {
          dryRun: options.dryRun ?? false,
          secrets: options.secrets,
          ...(auth.auth === undefined ? {} : { auth: auth.auth }),
          ...(auth.problem === undefined ? {} : { credentialsProblem: auth.problem }),
        });
        probe = result.check;
        answer = result.answer ?? answer;
      }
    } else {
      const detail = `not run: the transport cannot be built (${transportProblem ?? 'unknown problem'})`;
      if (destination.auth.type === 'oauth2-client-credentials')
        oauth = { ...notRun('oauth', 'OAuth token request', detail), status: 'fail' };
      probe = notRun('dry-run', 'Request', detail);
    }
  } finally {
    transport?.close();
  }
  const [dns, tcp, proxy, tls, interception, certificate] = connection.checks;
  const checks = [dns, tcp, proxy, tls, interception, certificate, checkClock(answer), oauth, probe].filter(
    (check): check is DoctorCheck => check !== undefined,
  );
  return {
    destination: `${url.origin}${decodeURI(url.pathname)}`,
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks,
    overall: overallOf(checks),
  };
}
