// Builds an HTTP destination from its config: transport (TLS, proxy, timeouts), resolved headers, auth and classification.
import type { SecretResolver } from '../../core/secret-ref.js';
import { createRequestAuth } from './auth/create-request-auth.js';
import type { HttpDestinationConfig } from './config.js';
import { HttpDestination } from './destination.js';
import { createHttpTransport, describeTransportError } from './transport.js';

function resolveHeaders(config: HttpDestinationConfig, secrets: SecretResolver): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name] = typeof value === 'string' ? value : secrets(value.secretRef);
  }
  return headers;
}

export function createHttpDestination(d: HttpDestinationConfig, secrets: SecretResolver): HttpDestination {
  const transport = createHttpTransport({
    url: d.url,
    timeouts: d.timeouts,
    concurrency: d.concurrency,
    tls: d.tls,
    proxy: d.proxy,
    secrets,
  });
  try {
    return new HttpDestination({
      url: d.url,
      method: d.method,
      headers: resolveHeaders(d, secrets),
      secretHeaderValues: Object.values(d.headers).flatMap((v) =>
        typeof v === 'string' ? [] : [secrets(v.secretRef)],
      ),
      allowInsecureHttp: d.allowInsecureHttp,
      batch: d.batch,
      transport,
      credentials: createRequestAuth(d.auth, { transport, secrets }),
      describeError: describeTransportError,
      classification: d.classification,
      ...(d.apiVersion ? { apiVersion: d.apiVersion } : {}),
    });
  } catch (error) {
    transport.close();
    throw error;
  }
}
