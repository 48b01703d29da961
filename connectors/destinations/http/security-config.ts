// Config schemas for the HTTP destination's transport security (TLS, proxy) and request authentication.
import { z } from 'zod';
import { secretRefSchema } from '../../core/secret-ref.js';

/** "AB:CD:…" (32 colon-separated byte pairs), the form Node reports certificate fingerprints in. */
export function normalizeFingerprint(value: string): string {
  const hex = value.replace(/[\s:]/g, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

/**
 * Validated here, normalised where it is used (tls.ts): a transform anywhere in the config schema would hide every
 * enclosing default from the exported JSON Schema.
 */
const fingerprintSchema = z
  .string()
  .refine((value) => /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(normalizeFingerprint(value)), {
    message: 'is not a SHA-256 certificate fingerprint (64 hex digits)',
    params: {
      fix: 'write 64 hex digits, with or without colons, e.g. from `openssl x509 -in server.pem -noout -fingerprint -sha256`',
    },
  });

export const tlsConfigSchema = z
  .strictObject({
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PEM file with extra CA certificates to trust in addition to the built-in roots (e.g. your corporate root CA when the network inspects TLS)',
      ),
    pinnedSha256: z
      .array(fingerprintSchema)
      .min(1)
      .optional()
      .describe(
        "SHA-256 fingerprints (hex, colons optional) of which at least one must appear in the server's verified certificate chain (leaf, intermediate or root)",
      ),
    clientCertFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM client certificate (chain) for servers that require mutual TLS'),
    clientKeyFile: z.string().min(1).optional().describe('PEM private key of clientCertFile'),
    clientKeyPassphrase: secretRefSchema
      .optional()
      .describe('Passphrase of an encrypted clientKeyFile, from the secret store'),
  })
  .superRefine((tls, ctx) => {
    if ((tls.clientCertFile === undefined) !== (tls.clientKeyFile === undefined)) {
      const missing = tls.clientCertFile === undefined ? 'clientCertFile' : 'clientKeyFile';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'clientCertFile and clientKeyFile must be given together',
        params: { fix: `add ${missing}, or remove the other one to connect without a client certificate` },
      });
    }
    if (tls.clientKeyPassphrase !== undefined && tls.clientKeyFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientKeyPassphrase'],
        message: 'clientKeyPassphrase is set but there is no clientKeyFile',
        params: { fix: 'add clientCertFile and clientKeyFile, or remove clientKeyPassphrase' },
      });
    }
  })
  .describe(
    'TLS settings; certificates are always verified and TLS 1.2 is the minimum (there is no option to turn that off)',
  );

export type TlsConfig = z.output<typeof tlsConfigSchema>;

export const proxyConfigSchema = z
  .strictObject({
    mode: z
      .enum(['env', 'none', 'explicit'])
      .default('env')
      .describe(
        'env: use HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment; none: always connect directly; explicit: use url',
      ),
    url: z
      .url({
        protocol: /^http$/,
        error: 'must be an http:// proxy URL such as http://proxy.example.com:3128',
      })
      .optional()
      .describe('Proxy to use in explicit mode, e.g. http://proxy.example.com:3128 (no credentials here)'),
    username: z
      .string()
      .min(1)
      .optional()
      .describe('User name for proxy authentication (Basic), in explicit or env mode'),
    password: secretRefSchema.optional().describe('Proxy password, from the secret store'),
    noProxy: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Hosts reached directly, NO_PROXY syntax ("internal.example.com", ".example.com", "10.0.0.5:8443", "*"); in env mode added to NO_PROXY',
      ),
  })
  .superRefine((proxy, ctx) => {
    const issue = (path: string, message: string, fix: string): void =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { fix } });
    if (proxy.mode === 'explicit' && proxy.url === undefined)
      issue('url', 'is required when mode is explicit', 'add url: http://<proxy host>:<port>');
    if (proxy.mode !== 'explicit' && proxy.url !== undefined)
      issue(
        'url',
        `is only used when mode is explicit (mode is ${proxy.mode})`,
        'set mode: explicit, or remove url',
      );
    if (proxy.url !== undefined) {
      const url = new URL(proxy.url);
      if (url.username !== '' || url.password !== '')
        issue(
          'url',
          'must not contain credentials',
          'remove "user:password@" from the URL; put the user name in proxy.username and the password in the secret store, referenced by proxy.password: { secretRef: <name> }',
        );
      if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
        issue('url', 'must be only scheme, host and port', `write ${url.origin}`);
    }
    if (proxy.password !== undefined && proxy.username === undefined)
      issue('username', 'is required when password is set', 'add proxy.username, or remove proxy.password');
    if (proxy.mode === 'none' && (proxy.username !== undefined || proxy.noProxy.length > 0))
      issue(
        'mode',
        'is none, so username, password and noProxy have no effect',
        'set mode to env or explicit, or remove those settings',
      );
  })
  .describe('How requests reach the destination: through an HTTP proxy (CONNECT) or directly');

export type ProxyConfig = z.output<typeof proxyConfigSchema>;

/** RFC 9110 field-name (token) characters. */
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'must be a valid HTTP header name' });

const noAuthSchema = z.strictObject({ type: z.literal('none') }).describe('No request authentication');

const bearerAuthSchema = z
  .strictObject({
    type: z.literal('bearer'),
    token: secretRefSchema.describe('Static bearer token, from the secret store'),
  })
  .describe('Sends Authorization: Bearer <token>');

const apiKeyAuthSchema = z
  .strictObject({
    type: z.literal('api-key'),
    header: headerName.default('x-api-key').describe('Header that carries the key'),
    value: secretRefSchema.describe('The API key, from the secret store'),
  })
  .describe('Sends a static API key in a header');

const oauth2ClientCredentialsSchema = z
  .strictObject({
    type: z.literal('oauth2-client-credentials'),
    tokenUrl: z
      .url({ protocol: /^https?$/, error: 'must be an absolute https:// URL (http:// only on loopback)' })
      .describe('Token endpoint of the authorization server (https, or http only on loopback)'),
    clientId: z.string().min(1).describe('OAuth client_id'),
    clientSecret: secretRefSchema.describe('OAuth client_secret, from the secret store'),
    scope: z.string().min(1).optional().describe('Space-separated scopes to request'),
    audience: z
      .string()
      .min(1)
      .optional()
      .describe('audience parameter some providers (e.g. Auth0) require to pick the API'),
    resource: z
      .url({ error: 'must be an absolute URI' })
      .optional()
      .describe('RFC 8707 resource indicator of the API the token is for'),
    clientAuth: z
      .enum(['basic', 'body'])
      .default('basic')
      .describe(
        'basic: client_secret_basic (HTTP Basic header, the default); body: client_secret_post (client_id and client_secret in the form)',
      ),
    refreshBeforeExpiryMs: z
      .int()
      .min(0)
      .default(60_000)
      .describe('Fetch a new token this long before the current one expires'),
  })
  .describe('OAuth 2.0 client credentials grant (RFC 6749 §4.4); sends Authorization: Bearer <access token>');

const hmacAuthSchema = z
  .strictObject({
    type: z.literal('hmac'),
    secret: secretRefSchema.describe('Shared HMAC key, from the secret store'),
    algorithm: z.enum(['sha256', 'sha512']).default('sha256'),
    signatureHeader: headerName.default('x-signature').describe('Header that carries the signature'),
    timestampHeader: headerName
      .default('x-timestamp')
      .describe('Header that carries the signing time (unix seconds)'),
    encoding: z.enum(['hex', 'base64']).default('hex').describe('Encoding of the signature'),
  })
  .describe('Signs each request: HMAC(secret, "<unix seconds>.<raw body bytes>")');

export const authConfigSchema = z
  .discriminatedUnion('type', [
    noAuthSchema,
    bearerAuthSchema,
    apiKeyAuthSchema,
    oauth2ClientCredentialsSchema,
    hmacAuthSchema,
  ])
  .describe('How each request proves who sends it');

export type AuthConfig = z.output<typeof authConfigSchema>;
export type OAuth2ClientCredentialsConfig = z.output<typeof oauth2ClientCredentialsSchema>;
export type HmacAuthConfig = z.output<typeof hmacAuthSchema>;
