// Bounds on contract arguments: every id, name, text and list an argument carries has a ceiling (browser-safe).
import { z } from 'zod';
import { boundedJsonObject } from './json-value.js';

/** The config schema's connection id rule (main/config/schema.ts), repeated here because the contract stays browser-only. */
export const connectionIdSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, {
    error: 'must be a connection id: lowercase letters, digits, - and _, up to 63 characters',
  });

/** The secret name rule (connectors/core/secret-ref.ts). */
export const secretNameSchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    error:
      'must be a secret name: 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

export const recordIdSchema = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/** At most this many record ids in one replay or discard. */
export const maxIdsPerAction = 1000;
export const recordIdsSchema = z.array(recordIdSchema).min(1).max(maxIdsPerAction);

/** A page size: 1 to `max`, `fallback` when left out. */
export const limitSchema = (max: number, fallback: number) => z.int().min(1).max(max).default(fallback);

export const searchTextSchema = z.string().max(512);

/** A connection config as the wizard sends it; the agent validates it against the full config schema. */
export const connectionConfigArgSchema = boundedJsonObject({
  maxDepth: 12,
  maxNodes: 2000,
  maxStringLength: 8192,
  maxKeyLength: 128,
});

/** A secret value: never echoed back; 64 KiB is far above any token or key the agent uses. */
export const secretValueSchema = z.string().min(1).max(65_536);

export const passphraseSchema = z.string().min(1).max(1024);
