// The doctor's request to the destination: OPTIONS by default (sends no record), or with dryRun an empty batch with a synthetic key.
import { randomBytes } from 'node:crypto';
import type { RequestAuth } from '../auth/request-auth.js';
import type { HttpDestinationConfig } from '../config.js';
import { encodeBody } from '../request-body.js';
import { describeTransportError, type HttpTransport } from '../transport.js';
import { templateFields } from '../../../core/record-template.js';
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import type { DatedAnswer } from './clock-step.js';
import { elapsed, splitFix } from './deadline.js';

export interface ProbeOptions {
  dryRun: boolean;
  /** Credentials as delivery adds them; undefined when they could not be prepared (`credentialsProblem` says why). */
  auth?: RequestAuth;
  credentialsProblem?: string;
  secrets: (name: string) => string;
}

interface PlannedRequest {
  method: string;
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  /** Why a requested dry-run became an OPTIONS request. */
  note?: string;
  dryRun: boolean;
}

/** A URL without placeholders: each {{field}} becomes "doctor-probe" (only used for OPTIONS, which sends no record). */
function probeUrl(template: string): string {
  return template.replace(/\{\{\s*[^{}\s]+\s*\}\}/g, 'doctor-probe');
}

function plan(destination: HttpDestinationConfig, dryRun: boolean): PlannedRequest {
  // The URL with the declared API version in place ({{apiVersion}} is no record field).
  const version = destination.apiVersion?.via === 'path' ? destination.apiVersion.value : undefined;
  const config = version
    ? { ...destination, url: destination.url.replace(/\{\{\s*apiVersion\s*\}\}/g, version) }
    : destination;
  const options = (note?: string): PlannedRequest => ({
    method: 'OPTIONS',
    url: probeUrl(config.url),
    body: Buffer.alloc(0),
    headers: {},
    dryRun: false,
    ...(note === undefined ? {} : { note }),
  });
  if (!dryRun) return options();
  if (config.batch.format === 'none')
    return options(
      'no dry-run: with batch.format none every request carries exactly one record, and a synthetic record could be stored by the API',
    );
  if (templateFields(config.url).length > 0)
    return options('no dry-run: the URL has placeholders that only a real record fills');
  const { body, contentType } = encodeBody([], config.batch.format);
  return {
    method: config.method,
    url: config.url,
    body,
    headers: {
      'content-type': contentType,
      'idempotency-key': `doctor-${randomBytes(12).toString('hex')}`,
      'x-integration-agent-doctor': 'dry-run',
    },
    dryRun: true,
  };
}

function configuredHeaders(
  config: HttpDestinationConfig,
  secrets: (name: string) => string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name] = typeof value === 'string' ? value : secrets(value.secretRef);
  }
  return headers;
}

function authFix(config: HttpDestinationConfig): string {
  switch (config.auth.type) {
    case 'none':
      return 'the API wants credentials: configure destination.auth (bearer, api-key, oauth2-client-credentials or hmac)';
    case 'bearer':
      return `replace the token: integration-agent secrets set ${config.auth.token.secretRef}`;
    case 'api-key':
      return `check the header name (${config.auth.header}) and replace the key: integration-agent secrets set ${config.auth.value.secretRef}`;
    case 'oauth2-client-credentials':
      return 'the token was issued but the API refuses it: check auth.scope, auth.audience / auth.resource with the API provider';
    case 'hmac':
      return `check the shared secret (integration-agent secrets set ${config.auth.secret.secretRef}), auth.algorithm and the clock`;
  }
}

interface Verdict {
  status: DoctorCheck['status'];
  meaning: string;
  fix?: string;
}

function judge(
  status: number,
  planned: PlannedRequest,
  config: HttpDestinationConfig,
  withCredentials: boolean,
): Verdict {
  if (status === 401 || status === 403)
    return {
      status: 'fail',
      meaning: withCredentials
        ? 'the API refused the credentials'
        : 'the API wants credentials and none were sent',
      fix: authFix(config),
    };
  if (status === 407)
    return {
      status: 'fail',
      meaning: 'the proxy wants a login',
      fix: 'set proxy.username and proxy.password: { secretRef: <name> } on the destination',
    };
  // Many POST-only APIs answer OPTIONS with 404: a normal answer, not a warning. The dry run uses the real method.
  if (status === 404 && !planned.dryRun)
    return {
      status: 'pass',
      meaning:
        'reachable (404 to OPTIONS, as many APIs answer on a path that only takes POST; `doctor --dry-run` checks the path with the real method)',
    };
  if (status === 404)
    return { status: 'warn', meaning: 'the path was not found', fix: 'check the path in destination.url' };
  if (status === 429)
    return {
      status: 'warn',
      meaning: 'the API is rate limiting',
      fix: 'lower rateLimit.requestsPerSecond or ask the provider for a higher quota',
    };
  if (status >= 500)
    return {
      status: 'warn',
      meaning: 'the server is reachable but has a problem',
      fix: 'the agent retries such answers; if it lasts, contact the API provider',
    };
  if (planned.dryRun && status >= 400)
    return {
      status: 'warn',
      meaning:
        'reachable and authenticated, but the API does not accept an empty batch (not a problem for real records by itself)',
    };
  return {
    status: 'pass',
    meaning:
      status === 405 || status === 501
        ? 'reachable (the method is not allowed there, which is fine)'
        : 'reachable',
  };
}

/** Sends the probe through the delivery transport; also returns the Date for the clock check. */
export async function probeDestination(
  config: HttpDestinationConfig,
  transport: HttpTransport,
  options: ProbeOptions,
): Promise<{ check: DoctorCheck; answer?: DatedAnswer }> {
  const planned = plan(config, options.dryRun);
  const title = planned.dryRun ? `Dry-run ${planned.method} (empty batch)` : 'Request (OPTIONS, no record)';
  const notes: string[] = planned.note === undefined ? [] : [planned.note];
  let headers: Record<string, string> = { ...planned.headers };
  try {
    headers = { ...configuredHeaders(config, options.secrets), ...headers };
  } catch (error) {
    notes.push(`sent without destination.headers (${(error as Error).message})`);
  }
  let withCredentials = false;
  if (options.auth !== undefined && options.auth.kind !== 'none') {
    try {
      headers = {
        ...headers,
        ...(await options.auth.headers({ method: planned.method, url: planned.url, body: planned.body })),
      };
      withCredentials = true;
    } catch (error) {
      notes.push(`sent without credentials (${splitFix((error as Error).message).detail})`);
    }
  } else if (options.credentialsProblem !== undefined)
    notes.push(`sent without credentials (${options.credentialsProblem})`);
  const target = new URL(planned.url);
  const shown = `${planned.method} ${target.origin}${decodeURI(target.pathname)}`;
  const sentAt = Date.now();
  const started = performance.now();
  const data: Record<string, unknown> = { method: planned.method, url: `${target.origin}${target.pathname}` };
  if (planned.dryRun) data.idempotencyKey = headers['idempotency-key'];
  try {
    const response = await (
      await transport.client()
    )(planned.url, {
      method: planned.method as 'OPTIONS',
      headers,
      ...(planned.body.length > 0 || planned.dryRun ? { body: planned.body } : {}),
      responseType: 'buffer',
    });
    const ms = elapsed(started);
    const verdict = judge(response.statusCode, planned, config, withCredentials);
    const note = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    const check: DoctorCheck = {
      id: 'dry-run',
      title,
      status: verdict.status,
      detail: `${shown} → HTTP ${response.statusCode} in ${ms} ms: ${verdict.meaning}${note}`,
      ...(verdict.fix === undefined ? {} : { fix: verdict.fix }),
      data: {
        ...data,
        status: response.statusCode,
        ms,
        ...(response.headers.allow ? { allow: response.headers.allow } : {}),
      },
    };
    const date = response.headers.date;
    return {
      check,
      ...(date === undefined ? {} : { answer: { date, sentAt, receivedAt: Date.now(), from: target.host } }),
    };
  } catch (error) {
    const { message, code } = describeTransportError(error);
    const { detail, fix } = splitFix(message);
    return {
      check: {
        id: 'dry-run',
        title,
        status: 'fail',
        detail: `${shown} failed: ${detail}`,
        fix: fix ?? 'see the checks above for the first failing step',
        data: { ...data, ms: elapsed(started), ...(code === undefined ? {} : { code }) },
      },
    };
  }
}
