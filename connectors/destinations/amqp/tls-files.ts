// Reads the AMQP destination's TLS files when it is built, so a missing or unreadable file fails the connection at once.
import fs from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { AmqpDestinationConfig } from './config.js';

/** TLS options for the socket: verification on, TLS 1.2 at least, Node's roots plus an extra CA, a client certificate. */
export interface AmqpTlsOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  servername?: string;
  minVersion: 'TLSv1.2';
  rejectUnauthorized: true;
}

function readSetting(file: string, setting: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const fix =
      code === 'ENOENT'
        ? 'check the path; it is read by the account the agent runs as'
        : code === 'EACCES' || code === 'EPERM'
          ? "give the agent's account read access to it"
          : 'point it at a readable .pem file';
    throw new Error(`destination.tls.${setting} ${file} cannot be read (${code}). Fix: ${fix}`, {
      cause: error,
    });
  }
}

/** The socket's TLS options for `hostname`; throws naming the setting when a file cannot be read. */
export function loadTls(tls: AmqpDestinationConfig['tls'], hostname: string): AmqpTlsOptions {
  const options: AmqpTlsOptions = { minVersion: 'TLSv1.2', rejectUnauthorized: true };
  if (!/^[\d.]+$|:/.test(hostname)) options.servername = hostname;
  if (tls?.caFile) options.ca = [...rootCertificates, readSetting(tls.caFile, 'caFile')];
  if (tls?.certFile) options.cert = readSetting(tls.certFile, 'certFile');
  if (tls?.keyFile) options.key = readSetting(tls.keyFile, 'keyFile');
  return options;
}
