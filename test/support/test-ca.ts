// A throwaway PKI made with the real openssl CLI: trusted test root, server cert, an unrelated CA, client CA and certs.
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  /** SHA-256 fingerprint of the certificate, as Node prints it ("AB:CD:…"). */
  sha256: string;
  subject: string;
}

export interface TestPki {
  dir: string;
  /** The test root CA clients are told to trust with caFile. */
  rootCa: TestCertificate;
  /** Server certificate for 127.0.0.1 and localhost (subjectAltName), issued by rootCa. */
  server: TestCertificate;
  /** A second, unrelated CA (stands in for a TLS-inspecting proxy or an impostor). */
  otherCa: TestCertificate;
  /** Server certificate for the same names, issued by otherCa. */
  otherServer: TestCertificate;
  /** CA the mTLS test server trusts for client certificates. */
  clientCa: TestCertificate;
  /** Client certificate (clientAuth) with an unencrypted key. */
  client: TestCertificate;
  /** The same client key, encrypted with `passphrase` (AES-256). */
  encryptedClientKey: { keyFile: string; keyPem: string; passphrase: string };
  /** Removes the directory. */
  remove(): void;
}

const days = '2';

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('openssl is not installed: apt-get install -y openssl', { cause: error });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr}`, { cause: error });
  }
}

function load(dir: string, name: string): TestCertificate {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  const certPem = fs.readFileSync(certFile, 'utf8');
  const x509 = new X509Certificate(certPem);
  return {
    certFile,
    keyFile,
    certPem,
    keyPem: fs.readFileSync(keyFile, 'utf8'),
    sha256: x509.fingerprint256,
    subject: x509.subject,
  };
}

const newEcKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc'];

function makeCa(dir: string, name: string, commonName: string): TestCertificate {
  openssl(dir, [
    'req',
    '-x509',
    ...newEcKey,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    days,
    '-subj',
    `/O=Integration Agent Tests/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return load(dir, name);
}

function makeLeaf(
  dir: string,
  name: string,
  ca: string,
  commonName: string,
  extensions: string[],
): TestCertificate {
  fs.writeFileSync(
    path.join(dir, `${name}.ext`),
    ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', ...extensions].join('\n') + '\n',
  );
  openssl(dir, [
    'req',
    '-new',
    ...newEcKey,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/O=Integration Agent Tests/CN=${commonName}`,
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    days,
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ]);
  return load(dir, name);
}

const serverExtensions = ['extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost'];

/** Creates the PKI in a fresh temp dir (about 0.2 s); call remove() when done. */
export function createTestPki(options: { passphrase?: string } = {}): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-pki-'));
  const passphrase = options.passphrase ?? 'client key passphrase';
  const rootCa = makeCa(dir, 'root-ca', 'Agent Test Root CA');
  const otherCa = makeCa(dir, 'other-ca', 'Unrelated Inspection CA');
  const clientCa = makeCa(dir, 'client-ca', 'Agent Test Client CA');
  const server = makeLeaf(dir, 'server', 'root-ca', 'localhost', serverExtensions);
  const otherServer = makeLeaf(dir, 'other-server', 'other-ca', 'localhost', serverExtensions);
  const client = makeLeaf(dir, 'client', 'client-ca', 'integration-agent', ['extendedKeyUsage=clientAuth']);
  const encryptedKeyFile = path.join(dir, 'client-encrypted.key');
  openssl(dir, [
    'pkey',
    '-in',
    'client.key',
    '-aes256',
    '-passout',
    `pass:${passphrase}`,
    '-out',
    encryptedKeyFile,
  ]);
  return {
    dir,
    rootCa,
    server,
    otherCa,
    otherServer,
    clientCa,
    client,
    encryptedClientKey: {
      keyFile: encryptedKeyFile,
      keyPem: fs.readFileSync(encryptedKeyFile, 'utf8'),
      passphrase,
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
