// A config value that names an entry in the agent's secret store instead of holding the secret itself.
import { z } from 'zod';

/** Points at a value in the agent's secret store instead of holding the secret itself. */
export const secretRefSchema = z
  .strictObject({
    secretRef: z.string().min(1).describe("Name of the value in the agent's secret store"),
  })
  .describe('Reference to a secret held in the secret store, never the secret itself');

export type SecretRef = z.output<typeof secretRefSchema>;
