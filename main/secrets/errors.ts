// Errors of the secret store: each says what is wrong and how to fix it, and never contains a secret value.

/** A secret store problem a user can act on; `message` is "<problem>. Fix: <fix>". */
export class SecretStoreError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}. Fix: ${fix}`);
    this.name = 'SecretStoreError';
  }
}

/** The OS keychain cannot be reached (no D-Bus session, no Secret Service, locked keyring, native module missing). */
export class SecretStoreUnavailableError extends SecretStoreError {
  constructor(what: string) {
    super(
      `the OS keychain cannot be used: ${what}`,
      'on a headless server choose the encrypted file backend explicitly in the config ' +
        '(secrets: { backend: file, keyFile: /etc/integration-agent/secrets.key }, see docs/secrets.md), ' +
        'or run the agent inside a desktop session with an unlocked keyring',
    );
    this.name = 'SecretStoreUnavailableError';
  }
}

/** Secrets that the config references but the store does not hold; lists every one with the command that sets it. */
export class MissingSecretsError extends SecretStoreError {
  constructor(
    readonly names: readonly string[],
    storeDescription: string,
    setCommand: (name: string) => string,
  ) {
    const what = names.length === 1 ? `secret "${names[0]}" is` : `${names.length} secrets are`;
    super(
      `${what} missing from the ${storeDescription}: ${names.join(', ')}`,
      `store ${names.length === 1 ? 'it' : 'each one'} with\n${names.map((n) => `    ${setCommand(n)}`).join('\n')}`,
    );
    this.name = 'MissingSecretsError';
  }
}
