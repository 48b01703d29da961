// HMAC request signing: the signature is recomputed here independently, over "<unix seconds>.<raw body>".
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRequestAuth } from '../../../../connectors/destinations/http/auth/create-request-auth.js';
import { authConfigSchema } from '../../../../connectors/destinations/http/security-config.js';
import type { HttpTransport } from '../../../../connectors/destinations/http/transport.js';

const secret = 'shared-hmac-secret-ÄÖ';
const at = Date.UTC(2026, 10, 21, 12, 0, 0, 750);
const unused = {} as HttpTransport;

function hmacAuth(extra: Record<string, unknown> = {}) {
  return createRequestAuth(
    authConfigSchema.parse({ type: 'hmac', secret: { secretRef: 'hmac-key' }, ...extra }),
    {
      transport: unused,
      secrets: (name) => (name === 'hmac-key' ? secret : ''),
      clock: () => at,
    },
  );
}

const request = (body: Buffer) => ({ method: 'POST', url: 'https://api.example.com/in', body });

describe('HMAC signing', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 in hex by default, timestamp in unix seconds', async () => {
    const body = Buffer.from('{"invoice":"INV-1","total":12.5}');
    const headers = await hmacAuth().headers(request(body));
    const timestamp = String(Math.floor(at / 1000));
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.concat([Buffer.from(`${timestamp}.`, 'ascii'), body]))
      .digest('hex');
    expect(headers).toEqual({ 'x-timestamp': timestamp, 'x-signature': expected });
    expect(headers['x-signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the signature when one body byte changes', async () => {
    const auth = hmacAuth();
    const body = Buffer.from('{"invoice":"INV-1","total":12.5}');
    const flipped = Buffer.from(body);
    flipped[5] = (flipped[5] ?? 0) ^ 0x01;
    const a = await auth.headers(request(body));
    const b = await auth.headers(request(flipped));
    expect(a['x-timestamp']).toBe(b['x-timestamp']);
    expect(a['x-signature']).not.toBe(b['x-signature']);
  });

  it('signs binary bodies byte for byte (no text re-encoding)', async () => {
    const body = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a]);
    const headers = await hmacAuth().headers(request(body));
    const expected = createHmac('sha256', secret)
      .update(Buffer.concat([Buffer.from(`${Math.floor(at / 1000)}.`), body]))
      .digest('hex');
    expect(headers['x-signature']).toBe(expected);
  });

  it('supports sha512, base64 and custom header names (sent lower-case)', async () => {
    const body = Buffer.from('payload');
    const headers = await hmacAuth({
      algorithm: 'sha512',
      encoding: 'base64',
      signatureHeader: 'X-Agent-Signature',
      timestampHeader: 'X-Agent-Time',
    }).headers(request(body));
    const timestamp = String(Math.floor(at / 1000));
    expect(headers).toEqual({
      'x-agent-time': timestamp,
      'x-agent-signature': createHmac('sha512', secret).update(`${timestamp}.payload`).digest('base64'),
    });
  });

  it('does not ask for a retry after a 401 (a new signature would not help)', () => {
    expect(hmacAuth().invalidate()).toBe(false);
  });
});
