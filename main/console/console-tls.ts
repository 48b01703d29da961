// The console's HTTPS certificate: read from the configured files, checked to match, with its fingerprint for users.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConsoleError } from './console-error.js';
import { errorMessage } from '../shared/error-message.js';

export interface ConsoleTls {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 fingerprint, colon-separated: what a user compares before trusting a self-signed certificate. */
  fingerprint: string;
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConsoleError(
      `cannot read the console ${what} ${path} (${errorMessage(error)})`,
      `check console.tls`,
    );
  }
}

export function loadConsoleTls(files: { certFile: string; keyFile: string }): ConsoleTls {
  const cert = read(files.certFile, 'certificate');
  const key = read(files.keyFile, 'private key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
    if (!certificate.checkPrivateKey(createPrivateKey(key)))
      throw new Error('the private key does not belong to the certificate');
  } catch (error) {
    throw new ConsoleError(
      `console.tls is unusable: ${errorMessage(error)}`,
      'give a PEM certificate in certFile and its own PEM private key (unencrypted) in keyFile',
    );
  }
  return { cert, key, fingerprint: certificate.fingerprint256 };
}
