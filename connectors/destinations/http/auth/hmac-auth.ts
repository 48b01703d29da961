// Signs each request body with a shared secret (HMAC-SHA256/512) and the signing time, for APIs that verify webhooks-style signatures.
import { createHmac } from 'node:crypto';
import type { HmacAuthConfig } from '../security-config.js';
import type { AuthRequest, RequestAuth } from './request-auth.js';

/**
 * The signed string is exactly `${timestamp}.${body}`: the timestamp header's value (unix seconds, decimal ASCII),
 * one "." (0x2E), then the raw request body bytes as sent (no re-encoding, no trailing newline).
 * signature = HMAC-<algorithm>(secret as UTF-8 bytes, that string), encoded as lowercase hex or standard base64.
 */
export class HmacAuth implements RequestAuth {
  readonly kind = 'hmac';
  private readonly signatureHeader: string;
  private readonly timestampHeader: string;

  constructor(
    private readonly config: HmacAuthConfig,
    private readonly secrets: (name: string) => string,
    private readonly clock: () => number,
  ) {
    this.signatureHeader = config.signatureHeader.toLowerCase();
    this.timestampHeader = config.timestampHeader.toLowerCase();
  }

  headers(request: AuthRequest): Promise<Record<string, string>> {
    const timestamp = String(Math.floor(this.clock() / 1000));
    const signature = createHmac(this.config.algorithm, this.secrets(this.config.secret.secretRef))
      .update(`${timestamp}.`)
      .update(request.body)
      .digest(this.config.encoding);
    return Promise.resolve({ [this.timestampHeader]: timestamp, [this.signatureHeader]: signature });
  }

  invalidate(): boolean {
    return false;
  }
}
