// Asks the token endpoint for a token with the agent's own OAuth client (same transport); reports type, lifetime and scope only.
import type { RequestAuth } from '../auth/request-auth.js';
import { OAuthClientCredentials } from '../auth/oauth-client-credentials.js';
import type { OAuth2ClientCredentialsConfig } from '../security-config.js';
import type { Got } from 'got';
import type { HttpTransport } from '../transport.js';
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import { elapsed, splitFix, withDeadline } from './deadline.js';

export interface TokenFacts {
  tokenType?: string;
  expiresIn?: number;
  scope?: string;
  /** The token endpoint's Date header, for the clock check when the API gives none. */
  date?: string;
}

/** Wraps the transport so the token response's public fields (never access_token) can be read after the request. */
function observedTransport(transport: HttpTransport, tokenUrl: string, facts: TokenFacts): HttpTransport {
  const endpoint = new URL(tokenUrl);
  const observe = (client: Got): Got =>
    client.extend({
      hooks: {
        afterResponse: [
          (response) => {
            if (response.url.startsWith(`${endpoint.origin}${endpoint.pathname}`)) {
              facts.date = response.headers.date;
              try {
                const body = JSON.parse(Buffer.from(response.rawBody ?? '').toString('utf8')) as Record<
                  string,
                  unknown
                >;
                if (typeof body.token_type === 'string') facts.tokenType = body.token_type;
                if (typeof body.expires_in === 'number' || typeof body.expires_in === 'string')
                  facts.expiresIn = Number(body.expires_in);
                if (typeof body.scope === 'string') facts.scope = body.scope;
              } catch {
                // Not JSON: the token client reports that itself.
              }
            }
            return response;
          },
        ],
      },
    });
  let client: Promise<Got> | undefined;
  return { ...transport, client: () => (client ??= transport.client().then(observe)) };
}

const title = 'OAuth token request';

/** The token check, and the OAuth client to reuse for the dry-run request (its token is cached). */
export async function checkOAuth(
  config: OAuth2ClientCredentialsConfig,
  transport: HttpTransport,
  secrets: (name: string) => string,
  timeoutMs: number,
): Promise<{ check: DoctorCheck; auth?: RequestAuth; facts: TokenFacts }> {
  const facts: TokenFacts = {};
  const endpoint = new URL(config.tokenUrl);
  const where = `${endpoint.origin}${endpoint.pathname}`;
  const started = performance.now();
  let client: OAuthClientCredentials;
  try {
    client = new OAuthClientCredentials(
      config,
      observedTransport(transport, config.tokenUrl, facts),
      secrets,
      Date.now,
    );
    await withDeadline(client.headers(), timeoutMs, `the token request to ${where}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { detail, fix } = splitFix(message);
    const code = (error as { code?: unknown }).code;
    return {
      check: {
        id: 'oauth',
        title,
        status: 'fail',
        detail,
        fix:
          fix ??
          (code === 'ETIMEDOUT'
            ? `check that ${where} is reachable from this computer (proxy, firewall)`
            : 'check auth.tokenUrl, auth.clientId and the client secret in the secret store'),
        data: { tokenUrl: where, ms: elapsed(started), ...(typeof code === 'string' ? { code } : {}) },
      },
      facts,
    };
  }
  const ms = elapsed(started);
  const parts = [
    `${facts.tokenType ?? 'Bearer'} token`,
    facts.expiresIn === undefined ? 'no expires_in' : `expires in ${facts.expiresIn} s`,
    facts.scope === undefined ? 'no scope in the answer' : `scope "${facts.scope}"`,
  ];
  const data = {
    tokenUrl: where,
    ms,
    ...(facts.tokenType === undefined ? {} : { tokenType: facts.tokenType }),
    ...(facts.expiresIn === undefined ? {} : { expiresIn: facts.expiresIn }),
    ...(facts.scope === undefined ? {} : { scope: facts.scope }),
  };
  const short = facts.expiresIn !== undefined && facts.expiresIn < 60;
  return {
    check: {
      id: 'oauth',
      title,
      status: short ? 'warn' : 'pass',
      detail: `got a ${parts.join(', ')} from ${where} in ${ms} ms`,
      ...(short
        ? {
            fix: 'tokens this short-lived mean a token request almost every minute; ask for a longer lifetime at the authorization server',
          }
        : {}),
      data,
    },
    auth: client,
    facts,
  };
}
