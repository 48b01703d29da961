// The console's generated certificate (`console.tls: { selfSigned: true }`): made once, kept 0600 in the data dir, reused.
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { errorMessage } from '../shared/error-message.js';
import { writePrivateFileAtomically } from '../secrets/private-file.js';
import { ConsoleError } from './console-error.js';
import { loadConsoleTls, type ConsoleTls } from './console-tls.js';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

export const selfSignedTlsDir = (dataDir: string) => join(dataDir, 'console-tls');
const validDays = 825;
/** A certificate this close to its end is replaced at start (its fingerprint changes then). */
const renewBeforeMs = 30 * 86_400_000;

/** The names the certificate covers: loopback, the bind host when it is one address, and console.allowedHosts. */
export function certificateNames(host: string, allowedHosts: readonly string[]): string[] {
  const wanted = ['localhost', '127.0.0.1', '::1', host, ...allowedHosts].map((n) =>
    n.replace(/^\[|\]$/g, ''),
  );
  const usable = (name: string) =>
    name !== '0.0.0.0' &&
    name !== '::' &&
    (isIP(name) === 4 ||
      (isIP(name) === 6 && !/[.%]/.test(name)) ||
      /^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name));
  return [...new Set(wanted.filter(usable).map((n) => (isIP(n) ? n : n.toLowerCase())))];
}

/** Covers every name (IPs compared as addresses), and is not about to expire. */
function stillGood(tls: ConsoleTls, names: readonly string[], now: Date): boolean {
  const certificate = new X509Certificate(tls.cert);
  if (new Date(certificate.validTo).getTime() - now.getTime() < renewBeforeMs) return false;
  return names.every((name) =>
    isIP(name) ? certificate.checkIP(name) !== undefined : certificate.checkHost(name) !== undefined,
  );
}

async function refuseOpenKey(keyFile: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await stat(keyFile)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConsoleError(
      `the console's private key ${keyFile} is accessible by other users (mode ${mode.toString(8).padStart(4, '0')})`,
      `run: chmod 600 ${keyFile} (or delete ${selfSignedTlsDir('<data dir>')} to generate a new certificate)`,
    );
  }
}

/**
 * The generated certificate in `<dataDir>/console-tls/`: the stored one when it is intact, covers `names` and has
 * more than 30 days left, else a new one (ECDSA P-256, 825 days) written 0600. Throws a ConsoleError when the stored
 * key is readable by others (it is never silently replaced then).
 */
export async function loadOrCreateSelfSignedTls(
  dataDir: string,
  names: readonly string[],
  now = new Date(),
): Promise<ConsoleTls & { created: boolean }> {
  const dir = selfSignedTlsDir(dataDir);
  const files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  const exists = await readFile(files.keyFile).then(
    () => true,
    () => false,
  );
  if (exists) {
    await refuseOpenKey(files.keyFile);
    try {
      const stored = loadConsoleTls(files);
      if (stillGood(stored, names, now)) return { ...stored, created: false };
    } catch {
      // unreadable or mismatched: replaced below, like a missing one
    }
  }
  const generated = createSelfSignedCertificate(names, validDays, now);
  try {
    await writePrivateFileAtomically(files.keyFile, generated.key);
    await writePrivateFileAtomically(files.certFile, generated.cert);
  } catch (error) {
    throw new ConsoleError(
      `cannot store the console's generated certificate in ${dir} (${errorMessage(error)})`,
      'check that the data directory is writable by the account that runs the agent',
    );
  }
  return { ...loadConsoleTls(files), created: true };
}
