// AES-256-GCM sealing of one value (random 12-byte IV, 16-byte tag, bound to a label) under a scrypt-derived key.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

export interface ScryptParams {
  /** Base64 random salt, one per store file. */
  salt: string;
  N: number;
  r: number;
  p: number;
}

/** A sealed value as stored in the file, every field base64. */
export interface Sealed {
  iv: string;
  data: string;
  tag: string;
}

/** About 100 ms and 32 MiB per derivation: cheap once at start, costly for guessing a weak passphrase. */
export const defaultScrypt = { N: 2 ** 15, r: 8, p: 1 } as const;
/** Bounds for parameters read from a file, so a crafted file cannot make the agent allocate without limit. */
export const scryptLimits = { maxN: 2 ** 20, maxR: 32, maxP: 16 } as const;

export function newScryptParams(): ScryptParams {
  return { salt: randomBytes(16).toString('base64'), ...defaultScrypt };
}

export function deriveKey(material: Buffer, params: ScryptParams): Promise<Buffer> {
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(material, Buffer.from(params.salt, 'base64'), 32, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function seal(key: Buffer, label: string, plaintext: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The plaintext, or undefined when authentication fails (wrong key, or the sealed value or its label was altered). */
export function unseal(key: Buffer, label: string, sealed: Sealed): string | undefined {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
