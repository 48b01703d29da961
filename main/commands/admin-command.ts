// `integration-agent admin set-passphrase`: sets the passphrase that unlocks admin mode in the UI; read hidden from stdin.
import {
  adminPassphraseFile,
  hasAdminPassphrase,
  passphraseProblem,
  setAdminPassphrase,
} from '../api/admin-passphrase.js';
import { readHiddenLine, readPipedLine } from '../secrets/read-secret-value.js';
import { SecretStoreError } from '../secrets/errors.js';
import { auditCliChange } from './cli-audit.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

async function readPassphrase(): Promise<string> {
  if (!process.stdin.isTTY) return readPipedLine(process.stdin);
  const first = await readHiddenLine(process.stdin, process.stderr, 'New admin passphrase (input hidden): ');
  const problem = passphraseProblem(first);
  if (problem) throw new CliError(problem, exitCodes.failure);
  const second = await readHiddenLine(process.stdin, process.stderr, 'Repeat it: ');
  if (first !== second) throw new CliError('the two entries differ; nothing was changed', exitCodes.failure);
  return first;
}

export async function setPassphraseCommand(options: SetupOptions): Promise<void> {
  const { dataDir } = await resolveSetup(options);
  let passphrase: string;
  try {
    passphrase = await readPassphrase();
  } catch (error) {
    if (error instanceof SecretStoreError) throw new CliError(error.message, exitCodes.failure);
    throw error;
  }
  const problem = passphraseProblem(passphrase);
  if (problem) throw new CliError(problem, exitCodes.failure);
  const replaced = await hasAdminPassphrase(dataDir).catch(() => true); // an unreadable file is replaced too
  await setAdminPassphrase(dataDir, passphrase);
  auditCliChange(dataDir, replaced ? 'admin-passphrase.replace' : 'admin-passphrase.set', null);
  process.stdout.write(
    `Admin passphrase set (stored as a scrypt hash in ${adminPassphraseFile(dataDir)}); unlock admin mode in the UI with it.\n`,
  );
}
