// A config value that names an entry in the agent's secret store instead of holding the secret itself.
import { z } from 'zod';

/** Secret names: short, printable, safe as a keychain account and in a shell command. */
export const secretNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Points at a value in the agent's secret store instead of holding the secret itself. */
export const secretRefSchema = z
  .strictObject({
    secretRef: z
      .string()
      .regex(secretNamePattern, {
        error:
          'is not a valid secret name: use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      })
      .describe("Name of the value in the agent's secret store"),
  })
  .describe('Reference to a secret held in the secret store, never the secret itself');

export type SecretRef = z.output<typeof secretRefSchema>;

/** Synchronous lookup of a prefetched secret; throws for a name that was not fetched. */
export type SecretResolver = (name: string) => string;

/** A resolver over prefetched values; `resolverOf(new Map())` serves connections that reference no secret. */
export function resolverOf(values: ReadonlyMap<string, string>): SecretResolver {
  return (name) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`secret "${name}" was not loaded`);
    return value;
  };
}
