// The network doctor: checks the whole path to an HTTP destination (DNS, TCP, proxy, TLS, interception, clock, OAuth, a request).
import { createRequestAuth } from '../auth/create-request-auth.js';
import type { RequestAuth } from '../auth/request-auth.js';
import type { HttpDestinationConfig } from '../config.js';
import { createHttpTransport, type HttpTransport } from '../transport.js';
import { overallOf, type DoctorCheck, type DoctorReport } from '../../../../preload/contract/doctor.js';
import type { SecretResolver } from '../../../core/secret-ref.js';
import { checkClock, type DatedAnswer } from './clock-step.js';
import type { CheckOptions } from '../../../core/connector.js';
import { checkConnection } from './connection-checks.js';
import { checkContractPin } from './contract-pin-step.js';
import { planConnection } from './connection-plan.js';
import { splitFix } from './deadline.js';
import { checkOAuth } from './oauth-step.js';
import { probeDestination } from './request-probe.js';

export {
  certificateExpiry,
  expiryWarningDays,
  type CertificateExpiry,
  type CertificateSummary,
} from './certificate-expiry.js';
export type { DoctorCheck, DoctorReport } from '../../../../preload/contract/doctor.js';
export { httpCertificates } from './certificates.js';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

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
export async function runHttpDoctor(
  destination: HttpDestinationConfig,
  options: CheckOptions,
): Promise<DoctorReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs;
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
  const pin = options.contractDocument && (await checkContractPin(options.contractDocument, timeoutMs));
  const checks = [
    dns,
    tcp,
    proxy,
    tls,
    interception,
    certificate,
    checkClock(answer),
    oauth,
    probe,
    pin,
  ].filter((check): check is DoctorCheck => check !== undefined);
  return {
    destination: `${url.origin}${decodeURI(url.pathname)}`,
    ...(options.connection === undefined ? {} : { connection: options.connection }),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    checks,
    overall: overallOf(checks),
  };
}
