// Config schema of the secret store: the OS keychain (default) or, chosen explicitly, an encrypted file.
import { z } from 'zod';

const keychainConfigSchema = z
  .strictObject({
    backend: z.literal('keychain'),
  })
  .describe(
    'OS keychain: macOS Keychain, Windows Credential Manager, Secret Service (GNOME Keyring) on Linux',
  );

const fileConfigSchema = z
  .strictObject({
    backend: z.literal('file'),
    file: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Encrypted store file; default <dataDir>/secrets.enc.json; relative paths start at the data dir',
      ),
    keyFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'File holding the key (mode 0600, readable only by the agent account); relative to the data dir',
      ),
    keyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be the name of an environment variable' })
      .optional()
      .describe('Name of the environment variable holding the key (instead of keyFile)'),
  })
  .superRefine((config, ctx) => {
    if (config.keyFile !== undefined && config.keyEnv !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['keyEnv'],
        message: 'keyFile and keyEnv are both set; the key must come from exactly one place',
        params: { fix: 'remove keyEnv or keyFile' },
      });
    } else if (config.keyFile === undefined && config.keyEnv === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'the file backend needs the key that encrypts the store, but neither keyFile nor keyEnv is set',
        params: {
          fix:
            'add keyFile: /etc/integration-agent/secrets.key (create it with `(umask 077 && openssl rand -base64 32 > FILE)`) ' +
            'or keyEnv: NAME of an environment variable that holds the key',
        },
      });
    }
  })
  .describe('Encrypted file, for headless servers without a keychain; chosen only explicitly');

export const secretsConfigSchema = z
  .discriminatedUnion('backend', [keychainConfigSchema, fileConfigSchema])
  .default({ backend: 'keychain' })
  .describe('Where the secrets named by { "secretRef": … } are kept');

export type SecretsConfig = z.output<typeof secretsConfigSchema>;
