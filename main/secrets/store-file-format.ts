// The encrypted store file (JSON, format version 1): scrypt parameters, a key check and one sealed entry per secret.
import { z } from 'zod';
import { SecretStoreError } from './errors.js';
import { scryptLimits, type ScryptParams, type Sealed } from './secret-cipher.js';
import { secretNamePattern } from '../../connectors/core/secret-ref.js';

export const storeFormat = 'integration-agent-secrets';
export const storeFormatVersion = 1;

/** Label and plaintext of the entry that tells a wrong key apart from a damaged secret. */
export const keyCheckLabel = `${storeFormat}:key-check`;
export const keyCheckText = 'integration-agent secret store key check';
/** Each secret is sealed under a label naming it, so entries cannot be swapped between names. */
export const entryLabel = (name: string) => `${storeFormat}:entry:${name}`;

export interface StoreFile {
  format: typeof storeFormat;
  version: typeof storeFormatVersion;
  kdf: { name: 'scrypt' } & ScryptParams;
  check: Sealed;
  secrets: Record<string, Sealed>;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealedSchema = z.strictObject({ iv: base64, data: base64, tag: base64 });
const powerOfTwo = (n: number) => n > 1 && (n & (n - 1)) === 0;

const storeFileSchema = z.strictObject({
  format: z.literal(storeFormat),
  version: z.literal(storeFormatVersion),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    salt: base64.min(16),
    N: z.int().max(scryptLimits.maxN).refine(powerOfTwo),
    r: z.int().min(1).max(scryptLimits.maxR),
    p: z.int().min(1).max(scryptLimits.maxP),
  }),
  check: sealedSchema,
  secrets: z.record(z.string().regex(secretNamePattern), sealedSchema),
});

const damagedFix =
  'restore the file from a backup; or, if no backup exists, move it aside and set every secret again ' +
  '(the agent never overwrites a damaged store)';

/** Parses the store file's text; a damaged, truncated or foreign file is refused with a clear message. */
export function parseStoreFile(text: string, file: string): StoreFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'is empty' : 'is not valid JSON (damaged or truncated)';
    throw new SecretStoreError(`the secret store file ${file} ${what}`, damagedFix);
  }
  const version =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['version'] : undefined;
  if (typeof version === 'number' && version > storeFormatVersion) {
    throw new SecretStoreError(
      `the secret store file ${file} has format version ${version}, written by a newer agent (this one reads version ${storeFormatVersion})`,
      'upgrade the agent; the file is left untouched',
    );
  }
  const parsed = storeFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where =
      first === undefined || first.path.length === 0 ? '' : ` at ${first.path.map(String).join('.')}`;
    throw new SecretStoreError(
      `the secret store file ${file} is not a valid secret store (unexpected content${where})`,
      damagedFix,
    );
  }
  return parsed.data;
}

export function serializeStoreFile(store: StoreFile): string {
  return `${JSON.stringify(store, null, 2)}\n`;
}
