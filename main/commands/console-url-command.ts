// `integration-agent console-url`: prints the link that signs a browser in to the running web console (token in the URL fragment).
import { readConsoleAddress, consoleUrl } from '../console/console-address.js';
import { ConsoleError } from '../console/console-error.js';
import { readConsoleToken } from '../console/console-token.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running console's sign-in link and certificate fingerprint (HTTPS); throws a CliError when none runs. */
export async function consoleSignIn(dataDir: string): Promise<{ url: string; certificateSha256?: string }> {
  const address = await readConsoleAddress(dataDir);
  if (!address || !isAlive(address.pid)) {
    throw new CliError(
      `the web console is not running for the data directory ${dataDir}. Fix: start the agent with \`integration-agent run\` (console.enabled must not be false), or pass the right --data-dir`,
      exitCodes.failure,
    );
  }
  try {
    const url = consoleUrl(
      address.host,
      address.port,
      await readConsoleToken(dataDir),
      address.secure ?? false,
    );
    return address.certificateSha256 ? { url, certificateSha256: address.certificateSha256 } : { url };
  } catch (error) {
    if (error instanceof ConsoleError) throw new CliError(error.message, exitCodes.failure);
    throw error;
  }
}

/** The sign-in link of the console running on `dataDir`; throws a CliError when none runs. */
export async function consoleSignInUrl(dataDir: string): Promise<string> {
  return (await consoleSignIn(dataDir)).url;
}

export async function printConsoleUrl(options: SetupOptions): Promise<void> {
  const setup = await resolveSetup(options);
  const { url, certificateSha256 } = await consoleSignIn(setup.dataDir);
  process.stdout.write(`${url}\n`);
  process.stderr.write(
    'Open it in a browser on this machine. It grants access to the console: keep it private.\n',
  );
  if (certificateSha256) {
    process.stderr.write(
      `Certificate SHA-256 fingerprint: ${certificateSha256}\n` +
        'Before accepting a self-signed certificate, check that the browser shows this same fingerprint.\n',
    );
  }
}
