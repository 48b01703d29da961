// `integration-agent secrets set|delete|list`: manage the secrets configs reference with { secretRef }; never prints values.
import { SecretStoreError } from '../secrets/errors.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { readHiddenLine, readPipedValue } from '../secrets/read-secret-value.js';
import { assertSecretName, assertSecretValue } from '../secrets/secret-name.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { auditCliChange } from './cli-audit.js';
import { CliError, exitCodes } from './cli-error.js';
import { resolveSetup, type SetupOptions } from './resolve-setup.js';

export interface SecretsSetOptions extends SetupOptions {
  fromEnv?: string;
}

const noConfigHint =
  '\n(no config file was found, so the default store, the OS keychain, was used; ' +
  'pass --config FILE to use the store your config chooses)';

/** Runs secret store work, turning a SecretStoreError into one clear line and exit code 1. */
async function withSecretErrors<T>(work: () => Promise<T>, hint = ''): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SecretStoreError) throw new CliError(`${error.message}${hint}`, exitCodes.failure);
    throw error;
  }
}

/** Opens the store the config chooses; returns it with a hint for errors when no config was found. */
async function openStore(
  options: SetupOptions,
): Promise<{ store: SecretStore; hint: string; dataDir: string }> {
  const setup = await resolveSetup(options);
  const hint = setup.configFile === undefined ? noConfigHint : '';
  const config = setup.config?.secrets ?? { backend: 'keychain' as const };
  const store = await withSecretErrors(() => openSecretStore(config, setup.dataDir), hint);
  return { store, hint, dataDir: setup.dataDir };
}

async function readValue(name: string, fromEnv: string | undefined): Promise<string> {
  if (fromEnv !== undefined) {
    const value = process.env[fromEnv];
    if (value === undefined || value === '') {
      throw new SecretStoreError(
        `the environment variable ${fromEnv} is not set or empty`,
        `export ${fromEnv} before running the command, or leave out --from-env and type or pipe the value`,
      );
    }
    return value;
  }
  const value = process.stdin.isTTY
    ? await readHiddenLine(process.stdin, process.stderr, `Value for secret "${name}" (input hidden): `)
    : await readPipedValue(process.stdin);
  if (value === '') {
    throw new SecretStoreError(
      `no value for secret "${name}" was given on stdin`,
      `type it at the prompt, pipe it in (printf '%s' "$VALUE" | integration-agent secrets set ${name}), or use --from-env VAR`,
    );
  }
  return value;
}

export async function secretsSetCommand(name: string, options: SecretsSetOptions): Promise<void> {
  await withSecretErrors(() => Promise.resolve(assertSecretName(name)));
  const { store, hint, dataDir } = await openStore(options);
  const existed = await withSecretErrors(async () => {
    const existed = (await store.list()).includes(name);
    const value = await readValue(name, options.fromEnv);
    assertSecretValue(name, value);
    await store.set(name, value);
    process.stdout.write(
      `${existed ? 'Replaced' : 'Stored'} secret "${name}" in the ${store.description}.\n`,
    );
    return existed;
  }, hint);
  auditCliChange(dataDir, existed ? 'secret.replace' : 'secret.set', name); // the name only, never the value
}

export async function secretsDeleteCommand(name: string, options: SetupOptions): Promise<void> {
  await withSecretErrors(() => Promise.resolve(assertSecretName(name)));
  const { store, hint, dataDir } = await openStore(options);
  const deleted = await withSecretErrors(() => store.delete(name), hint);
  if (!deleted) {
    throw new CliError(
      `there is no secret "${name}" in the ${store.description}; \`integration-agent secrets list\` shows the stored names`,
      exitCodes.failure,
    );
  }
  process.stdout.write(`Deleted secret "${name}" from the ${store.description}.\n`);
  auditCliChange(dataDir, 'secret.delete', name);
}

export async function secretsListCommand(options: SetupOptions): Promise<void> {
  const { store, hint } = await openStore(options);
  const names = await withSecretErrors(() => store.list(), hint);
  if (names.length === 0) process.stderr.write(`No secrets in the ${store.description}.\n`);
  for (const name of names) process.stdout.write(`${name}\n`);
}
