// Which names a secret may have: short, printable, safe as a keychain account and in a shell command.
import { secretNamePattern } from '../../connectors/core/secret-ref.js';
import { SecretStoreError } from './errors.js';

/** Throws a SecretStoreError unless `name` is a valid secret name. */
export function assertSecretName(name: string): void {
  if (secretNamePattern.test(name)) return;
  const shown = name.length <= 40 ? `"${name}"` : `"${name.slice(0, 40)}…"`;
  throw new SecretStoreError(
    `${shown} is not a valid secret name`,
    'use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit (for example "erp-token")',
  );
}

/** Throws a SecretStoreError when `value` cannot be stored (empty). */
export function assertSecretValue(name: string, value: string): void {
  if (value === '') {
    throw new SecretStoreError(
      `the value for secret "${name}" is empty`,
      'provide the secret value (an empty value cannot be stored; use `secrets delete` to remove a secret)',
    );
  }
}
