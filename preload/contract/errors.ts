// The error shape every contract call fails with, the same over Electron IPC and the web console (browser-safe).
import { z } from 'zod';

export const contractErrorCodes = [
  'invalid-argument',
  'forbidden',
  'not-found',
  'unavailable',
  'conflict',
  'internal',
] as const;

export type ContractErrorCode = (typeof contractErrorCodes)[number];

export const contractErrorSchema = z.strictObject({
  code: z.enum(contractErrorCodes),
  /** What is wrong, in plain words. */
  message: z.string().max(4000),
  /** How to fix it, when there is something to do. */
  hint: z.string().max(4000).optional(),
});

export type ContractErrorShape = z.infer<typeof contractErrorSchema>;

/** True for a value that has the wire shape of a contract error (e.g. a rejected IPC or HTTP call). */
export function isContractErrorShape(value: unknown): value is ContractErrorShape {
  return contractErrorSchema.safeParse(value).success;
}
