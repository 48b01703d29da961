// Loads the destination's TLS material (extra CAs, client certificate) and builds verification that also enforces pins.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import { normalizeFingerprint, type TlsConfig } from './security-config.js';

/** Options for https.Agent / tls.connect. Verification is always on; TLS 1.2 is the floor. */
export interface TlsConnectOptions {
  /** Only set with caFile: Node's built-in roots plus the extra CAs. Unset means Node's default trust store. */
  ca?: string[];
  cert?: string;
  key?: string;
  passphrase?: string;
  minVersion: 'TLSv1.2';
  rejectUnauthorized: true;
  checkServerIdentity: (hostname: string, cert: PeerCertificate) => Error | undefined;
}

export interface LoadedTls {
  options: TlsConnectOptions;
  pinned: boolean;
  extraCa: boolean;
  clientCert: boolean;
}

/** A TLS setting that cannot be used (file missing, not PEM, key not decryptable…); says how to fix it. */
export class TlsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsConfigError';
  }
}

/** The server's verified chain contains none of the pinned fingerprints. */
export class CertificatePinError extends Error {
  readonly code = 'ERR_TLS_PIN_MISMATCH';
  constructor(
    readonly host: string,
    readonly fingerprint: string,
    readonly issuer: string,
  ) {
    super(`certificate fingerprint ${fingerprint} of ${host} does not match pinnedSha256`);
    this.name = 'CertificatePinError';
  }
}

/** "CN=…, O=…" of a certificate subject or issuer. */
export function distinguishedName(name: PeerCertificate['issuer'] | undefined): string {
  if (!name) return 'unknown';
  const order = ['CN', 'OU', 'O', 'L', 'ST', 'C'];
  const parts = order.flatMap((key) => {
    const value = (name as unknown as Record<string, string | string[] | undefined>)[key];
    if (value === undefined) return [];
    return [`${key}=${Array.isArray(value) ? value.join('+') : value}`];
  });
  return parts.length > 0 ? parts.join(', ') : 'unknown';
}

function readSettingFile(file: string, setting: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new TlsConfigError(
        `destination.tls.${setting} ${file} does not exist. Fix: check the path; it is read by the account the agent runs as`,
      );
    if (code === 'EACCES' || code === 'EPERM')
      throw new TlsConfigError(
        `destination.tls.${setting} ${file} cannot be read (permission denied). Fix: give the agent's account read access to it`,
      );
    if (code === 'EISDIR')
      throw new TlsConfigError(
        `destination.tls.${setting} ${file} is a folder. Fix: point it at a .pem file`,
      );
    throw new TlsConfigError(
      `destination.tls.${setting} ${file} cannot be read (${code ?? 'unknown error'})`,
    );
  }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemCertificates(file: string, setting: string): string[] {
  const text = readSettingFile(file, setting);
  const blocks = text.match(pemCertificate) ?? [];
  if (blocks.length === 0)
    throw new TlsConfigError(
      `destination.tls.${setting} ${file} contains no PEM certificate ("-----BEGIN CERTIFICATE-----"). ` +
        `Fix: export the certificate as PEM (Base64); a DER/.cer file converts with: openssl x509 -inform der -in ${file} -out cert.pem`,
    );
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new TlsConfigError(
        `destination.tls.${setting} ${file}: certificate #${index + 1} is damaged and cannot be parsed. Fix: export it again`,
      );
    }
  });
  return blocks;
}

function loadClientKey(
  config: TlsConfig,
  keyFile: string,
  secrets: (name: string) => string,
): { pem: string; key: KeyObject; passphrase?: string } {
  const pem = readSettingFile(keyFile, 'clientKeyFile');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new TlsConfigError(
      `destination.tls.clientKeyFile ${keyFile} contains no PEM private key ("-----BEGIN … PRIVATE KEY-----"). Fix: export the key as PEM`,
    );
  const secretName = config.clientKeyPassphrase?.secretRef;
  const passphrase = secretName === undefined ? undefined : secrets(secretName);
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && passphrase === undefined)
    throw new TlsConfigError(
      `client key ${keyFile} is encrypted. Fix: store its passphrase in the secret store and reference it with destination.tls.clientKeyPassphrase: { secretRef: <name> }`,
    );
  try {
    const key = createPrivateKey({ key: pem, ...(passphrase === undefined ? {} : { passphrase }) });
    return { pem, key, ...(passphrase === undefined ? {} : { passphrase }) };
  } catch {
    if (encrypted)
      throw new TlsConfigError(`cannot decrypt client key ${keyFile}: check the secret ${secretName}`);
    throw new TlsConfigError(
      `destination.tls.clientKeyFile ${keyFile} cannot be read as a private key. Fix: export the key as PEM (PKCS#8 or traditional)`,
    );
  }
}

function chainOf(cert: PeerCertificate): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let current: PeerCertificate | undefined = cert;
  while (current?.fingerprint256 && !chain.some((c) => c.fingerprint256 === current?.fingerprint256)) {
    chain.push(current);
    current = (current as DetailedPeerCertificate).issuerCertificate;
  }
  return chain;
}

/** Node's hostname check, then: at least one certificate of the verified chain must carry a pinned fingerprint. */
export function createServerIdentityCheck(
  pins: readonly string[],
): (hostname: string, cert: PeerCertificate) => Error | undefined {
  const pinned = new Set(pins);
  return (hostname, cert) => {
    const error = tls.checkServerIdentity(hostname, cert);
    if (error) return error;
    if (pinned.size === 0) return undefined;
    if (chainOf(cert).some((c) => pinned.has(c.fingerprint256))) return undefined;
    return new CertificatePinError(hostname, cert.fingerprint256, distinguishedName(cert.issuer));
  };
}

/** Reads every file named by the TLS config now, so a bad setting fails at start with a clear message. */
export function loadTls(config: TlsConfig, secrets: (name: string) => string): LoadedTls {
  const extra = config.caFile === undefined ? undefined : pemCertificates(config.caFile, 'caFile');
  let client: { cert: string; key: string; passphrase?: string } | undefined;
  if (config.clientCertFile !== undefined && config.clientKeyFile !== undefined) {
    const chain = pemCertificates(config.clientCertFile, 'clientCertFile');
    const key = loadClientKey(config, config.clientKeyFile, secrets);
    if (!new X509Certificate(chain[0] ?? '').checkPrivateKey(key.key))
      throw new TlsConfigError(
        `client key ${config.clientKeyFile} does not belong to the certificate in ${config.clientCertFile}. Fix: point clientKeyFile at the key the certificate was issued for`,
      );
    client = {
      cert: chain.join('\n'),
      key: key.pem,
      ...(key.passphrase === undefined ? {} : { passphrase: key.passphrase }),
    };
  }
  const pins = (config.pinnedSha256 ?? []).map(normalizeFingerprint);
  return {
    options: {
      ...(extra === undefined ? {} : { ca: [...tls.rootCertificates, ...extra] }),
      ...client,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      checkServerIdentity: createServerIdentityCheck(pins),
    },
    pinned: pins.length > 0,
    extraCa: extra !== undefined,
    clientCert: client !== undefined,
  };
}
