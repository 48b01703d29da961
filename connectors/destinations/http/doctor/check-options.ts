// What the HTTP connector's checks ("Test connection", the network doctor, the certificate watch) are given and return.
import type { SecretResolver } from '../../../core/secret-ref.js';

export interface HttpCheckOptions {
  /** Secrets the destination references (auth, headers, proxy password, client key passphrase); may throw for missing ones. */
  secrets: SecretResolver;
  /** Limit of each network step. */
  timeoutMs: number;
  /** Connection id, shown in the report. */
  connection?: string;
  /** Send the configured method with an empty batch and a synthetic `doctor-<random>` Idempotency-Key instead of OPTIONS. */
  dryRun?: boolean;
  /** SHA-256 fingerprints of which one must be in the chain (else TLS counts as intercepted). */
  expectedIssuerSha256?: string[];
  /** Environment for proxy mode env (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The leaf certificate a destination presented in the TLS handshake. */
export interface CertificateFacts {
  subject: string;
  /** Expiry in ms since the epoch. */
  notAfter: number;
}
