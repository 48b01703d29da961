// The path to the server, step by step: DNS, TCP (to the proxy when one is used), CONNECT, TLS, interception, expiry.
import type { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { ProxyRoute } from '../proxy.js';
import type { LoadedTls } from '../tls.js';
import { proxyFailure } from '../transport-errors.js';
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import { certificateExpiry } from './certificate-expiry.js';
import { elapsed, splitFix } from './deadline.js';
import { checkDns } from './dns-step.js';
import { checkInterception, type TrustSettings } from './interception.js';
import { proxyConnect, secureProxySocket, tcpConnect } from './socket-steps.js';
import { tlsHandshake } from './tls-step.js';

export interface ConnectionPlan {
  /** Destination host (no brackets) and port. */
  host: string;
  port: number;
  https: boolean;
  /** The proxy in use, undefined for a direct connection. */
  route?: ProxyRoute;
  /** Why there is no proxy, or why the proxy setting is unusable (then `proxyProblem`). */
  directReason: string;
  proxyProblem?: string;
  tls?: LoadedTls;
  tlsProblem?: string;
  /** For plain http: the transport policy's verdict (warning or refusal), undefined on loopback. */
  plainHttp?: { status: 'warn' | 'fail'; message: string };
  trust: Omit<TrustSettings, 'extraCa'>;
  timeoutMs: number;
}

export interface ConnectionOutcome {
  checks: DoctorCheck[];
  /** False when DNS, TCP, the proxy or TLS failed: requests to the destination cannot work. */
  reachable: boolean;
}

const skip = (id: string, title: string, detail: string): DoctorCheck => ({
  id,
  title,
  status: 'skip',
  detail,
});

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : 'ERROR';
}

function tcpFailure(error: unknown, where: string, isProxy: boolean): DoctorCheck {
  const code = errorCode(error);
  const setting = isProxy
    ? 'the proxy setting (destination.proxy or HTTPS_PROXY)'
    : 'the host and port in destination.url';
  const fix =
    code === 'ECONNREFUSED'
      ? `nothing accepts connections at ${where}: check ${setting} and that the ${isProxy ? 'proxy' : 'API'} runs`
      : code === 'ETIMEDOUT'
        ? `no answer from ${where}: a firewall may drop the traffic; ask your network administrator to allow it, or use the proxy your network requires`
        : `check ${setting} and the network`;
  return {
    id: 'tcp',
    title: 'TCP connect',
    status: 'fail',
    detail: `cannot connect to ${where}: ${(error as Error).message}`,
    fix,
    data: { target: where, code },
  };
}

async function throughProxy(
  socket: Socket,
  plan: ConnectionPlan,
  route: ProxyRoute,
  target: string,
): Promise<{ check: DoctorCheck; socket?: Socket }> {
  const title = 'Proxy CONNECT';
  const started = performance.now();
  try {
    const proxySocket =
      route.url.protocol === 'https:'
        ? await secureProxySocket(socket, route.url.hostname, plan.tls?.options.ca, plan.timeoutMs)
        : socket;
    const answer = await proxyConnect(proxySocket, route, target, plan.timeoutMs);
    const ms = elapsed(started);
    const data = {
      proxy: route.origin,
      target,
      statusLine: answer.statusLine,
      ms,
      login: route.credentials !== undefined,
    };
    if (answer.status >= 200 && answer.status < 300)
      return {
        check: {
          id: 'proxy',
          title,
          status: 'pass',
          detail: `${route.origin} opened a tunnel to ${target}: "${answer.statusLine}" in ${ms} ms`,
          data,
        },
        socket: proxySocket,
      };
    proxySocket.destroy();
    const failure = proxyFailure(
      new Error(`Bad response: ${answer.status}`),
      route.origin,
      target,
      route.credentialHint,
    );
    const fix =
      answer.status === 407
        ? route.credentials === undefined
          ? route.credentialHint
          : `the proxy refused the login: ${route.credentialHint}`
        : (splitFix(failure.message).fix ?? 'ask your network administrator');
    return {
      check: {
        id: 'proxy',
        title,
        status: 'fail',
        detail: `${route.origin} answered CONNECT ${target} with "${answer.statusLine}"`,
        fix,
        data,
      },
    };
  } catch (error) {
    socket.destroy();
    return {
      check: {
        id: 'proxy',
        title,
        status: 'fail',
        detail: `CONNECT ${target} through ${route.origin} failed: ${(error as Error).message}`,
        fix: 'check that destination.proxy (or HTTPS_PROXY) names an HTTP proxy that allows CONNECT to this host and port',
        data: { proxy: route.origin, target, code: errorCode(error) },
      },
    };
  }
}

/** Runs the connection checks in order; a failed step skips the ones that need it. */
export async function checkConnection(plan: ConnectionPlan): Promise<ConnectionOutcome> {
  const { route } = plan;
  const target = `${plan.host.includes(':') ? `[${plan.host}]` : plan.host}:${plan.port}`;
  const tlsTitle = 'TLS handshake';
  const unreachable = (reason: string): ConnectionOutcome => {
    const checks = [
      skip('tcp', 'TCP connect', reason),
      skip('proxy', 'Proxy CONNECT', route === undefined ? plan.directReason : reason),
      skip('tls', tlsTitle, reason),
      skip('interception', 'TLS interception', reason),
      skip('certificate', 'Certificate validity', reason),
    ];
    return { checks, reachable: false };
  };
  if (plan.proxyProblem !== undefined) {
    const { detail, fix } = splitFix(plan.proxyProblem);
    const outcome = unreachable('not run: the proxy setting is unusable');
    outcome.checks[1] = {
      id: 'proxy',
      title: 'Proxy',
      status: 'fail',
      detail,
      fix: fix ?? 'correct the proxy setting',
    };
    return {
      checks: [skip('dns', 'DNS resolution', 'not run: the proxy setting is unusable'), ...outcome.checks],
      reachable: false,
    };
  }
  const connectHost = route === undefined ? plan.host : route.url.hostname.replace(/^\[|\]$/g, '');
  const connectPort =
    route === undefined ? plan.port : Number(route.url.port || (route.url.protocol === 'https:' ? 443 : 80));
  const dns = await checkDns(connectHost, plan.timeoutMs, route?.origin);
  if (dns.resolved === undefined) {
    const outcome = unreachable('not run: DNS failed');
    return { checks: [dns.check, ...outcome.checks], reachable: false };
  }
  const address = dns.resolved.addresses[0]?.address ?? connectHost;
  const where = `${address.includes(':') ? `[${address}]` : address}:${connectPort}`;
  const started = performance.now();
  let socket: Socket;
  try {
    socket = await tcpConnect(address, connectPort, plan.timeoutMs);
  } catch (error) {
    const outcome = unreachable('not run: TCP connect failed');
    outcome.checks[0] = tcpFailure(error, where, route !== undefined);
    return { checks: [dns.check, ...outcome.checks], reachable: false };
  }
  const tcpMs = elapsed(started);
  const tcp: DoctorCheck = {
    id: 'tcp',
    title: 'TCP connect',
    status: 'pass',
    detail: `connected to ${where}${route === undefined ? '' : ` (the proxy ${route.origin})`} in ${tcpMs} ms`,
    data: { target: where, ms: tcpMs, viaProxy: route !== undefined },
  };
  let proxy: DoctorCheck = skip('proxy', 'Proxy CONNECT', plan.directReason);
  if (route !== undefined) {
    const tunnel = await throughProxy(socket, plan, route, target);
    proxy = tunnel.check;
    if (tunnel.socket === undefined) {
      const rest = unreachable('not run: the proxy did not open a tunnel').checks.slice(2);
      return { checks: [dns.check, tcp, proxy, ...rest], reachable: false };
    }
    socket = tunnel.socket;
  }
  const tlsChecks = await checkTls(socket, plan);
  const tlsFailed = tlsChecks[0]?.status === 'fail';
  return { checks: [dns.check, tcp, proxy, ...tlsChecks], reachable: !tlsFailed };
}

async function checkTls(socket: Socket, plan: ConnectionPlan): Promise<DoctorCheck[]> {
  const title = 'TLS handshake';
  if (!plan.https) {
    socket.destroy();
    const plain = plan.plainHttp;
    const noTls = 'plain http: no TLS';
    return [
      plain === undefined
        ? skip('tls', title, 'plain http to a loopback address: no TLS')
        : { id: 'tls', title, status: plain.status, ...splitFix(plain.message) },
      skip('interception', 'TLS interception', noTls),
      skip('certificate', 'Certificate validity', noTls),
    ];
  }
  if (plan.tls === undefined) {
    socket.destroy();
    const { detail, fix } = splitFix(plan.tlsProblem ?? 'the TLS settings cannot be used');
    return [
      { id: 'tls', title, status: 'fail', detail, fix: fix ?? 'correct destination.tls' },
      skip('interception', 'TLS interception', 'not run: the TLS settings are unusable'),
      skip('certificate', 'Certificate validity', 'not run: the TLS settings are unusable'),
    ];
  }
  const result = await tlsHandshake(socket, plan.host, plan.port, plan.tls.options, plan.timeoutMs);
  const chain = result.chain;
  const data = {
    ms: result.ms,
    ...(result.protocol === undefined ? {} : { protocol: result.protocol }),
    ...(result.cipher === undefined ? {} : { cipher: result.cipher }),
    ...(chain === undefined ? {} : { chain: chain.summaries }),
  };
  const builtIn = new Set(rootCertificates);
  const extraCa = (plan.tls.options.ca ?? []).filter((pem) => !builtIn.has(pem));
  const interception =
    chain === undefined
      ? skip('interception', 'TLS interception', 'no certificate was received')
      : checkInterception(chain, { ...plan.trust, extraCa });
  const expiry = chain === undefined ? undefined : certificateExpiry(chain.summaries);
  const certificate: DoctorCheck =
    expiry === undefined
      ? skip('certificate', 'Certificate validity', 'no certificate was received')
      : {
          id: 'certificate',
          title: 'Certificate validity',
          status: expiry.status,
          detail: expiry.detail,
          ...(expiry.fix === undefined ? {} : { fix: expiry.fix }),
          ...(expiry.soonest === undefined ? {} : { data: { soonest: expiry.soonest } }),
        };
  const leaf = chain?.summaries[0];
  if (result.failure === undefined)
    return [
      {
        id: 'tls',
        title,
        status: 'pass',
        detail: `${result.protocol ?? 'TLS'}, ${result.cipher ?? 'unknown cipher'}; certificate ${leaf?.subject ?? 'unknown'} issued by ${leaf?.issuer ?? 'unknown'}; verified in ${result.ms} ms`,
        data,
      },
      interception,
      certificate,
    ];
  const { detail, fix } = splitFix(result.failure.message);
  const related = [interception, certificate].find((check) => check.status === 'fail')?.fix;
  const tls: DoctorCheck = {
    id: 'tls',
    title,
    status: 'fail',
    detail,
    fix: fix ?? related ?? 'follow the advice in the detail above',
    data: { ...data, ...(result.failure.code === undefined ? {} : { code: result.failure.code }) },
  };
  return [tls, interception, certificate];
}
