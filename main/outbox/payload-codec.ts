// AES-256-GCM sealing of outbox payloads at rest: a marked envelope (key id, IV, tag), bound to its connection.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Starts every sealed payload; a plain payload (stored before encryption was on) does not, and passes through. */
const magic = Buffer.from([0x00, 0x49, 0x41, 0x45, 0x4e, 0x43, 0x01, 0x00]); // \0 I A E N C v1
const ivBytes = 12;
const tagBytes = 16;

/** The data keys of one connection: the one new payloads use, and every older one still needed to read. */
export interface ConnectionKeys {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** A sealed payload whose key is not available: the record stays, and this says how to get it back. */
export class PayloadKeyError extends Error {
  constructor(
    readonly connection: string,
    readonly keyId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadKeyError';
  }
}

export function isSealed(stored: Buffer): boolean {
  return stored.length > magic.length && stored.subarray(0, magic.length).equals(magic);
}

export function sealPayload(connection: string, keys: ConnectionKeys, plain: Buffer): Buffer {
  const key = keys.keys.get(keys.current);
  if (!key)
    throw new PayloadKeyError(
      connection,
      keys.current,
      `data key ${keys.current} of ${connection} is missing`,
    );
  const id = Buffer.from(keys.current, 'utf8');
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(connection, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([magic, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** The key id a sealed payload names (undefined for a plain one). */
export function sealedKeyId(stored: Buffer): string | undefined {
  if (!isSealed(stored)) return undefined;
  const length = stored[magic.length] ?? 0;
  return stored.subarray(magic.length + 1, magic.length + 1 + length).toString('utf8');
}

/** The plain payload; throws a PayloadKeyError when its key is unknown or the payload was altered. */
export function openPayload(connection: string, keys: ConnectionKeys | undefined, stored: Buffer): Buffer {
  const keyId = sealedKeyId(stored);
  if (keyId === undefined) return stored;
  const key = keys?.keys.get(keyId);
  if (!key) {
    throw new PayloadKeyError(
      connection,
      keyId,
      `records of connection ${connection} are encrypted with data key ${keyId}, which is not in the secret store`,
    );
  }
  const at = magic.length + 1 + Buffer.byteLength(keyId, 'utf8');
  const iv = stored.subarray(at, at + ivBytes);
  const tag = stored.subarray(at + ivBytes, at + ivBytes + tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(connection, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(stored.subarray(at + ivBytes + tagBytes)), decipher.final()]);
  } catch {
    throw new PayloadKeyError(
      connection,
      keyId,
      `a record of connection ${connection} does not decrypt with data key ${keyId} (altered, or a different key under that id)`,
    );
  }
}
