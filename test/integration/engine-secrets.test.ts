// Secrets reach the destination from the encrypted file store by name (bearer, OAuth 2.0); a missing one stops only its connection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecretStore } from '../../main/secrets/open-secret-store.js';
import { waitFor } from '../support/agent-process.js';
import { fileSecrets } from '../support/file-secrets.js';
import { connectionOf, useEngineHarness, waitForStatus } from '../support/engine-harness.js';
import { defaultOAuthClient, startOAuthServer } from '../support/oauth-server.js';

const h = useEngineHarness('secrets-');

describe('secrets in the engine', () => {
  it('sends a bearer token stored in the file backend, and never puts it in status', async () => {
    const { dataDir, inbox } = h.paths();
    const secrets = fileSecrets(join(dataDir, '..'));
    const store = await openSecretStore(secrets, dataDir);
    await store.set('erp-token', 'tok-5f2c9e1d');
    const seen: (string | undefined)[] = [];
    const ingest = await h.ingest({
      authorize: (authorization) => {
        seen.push(authorization);
        return authorization === 'Bearer tok-5f2c9e1d';
      },
    });
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      secrets,
      destination: { auth: { type: 'bearer', token: { secretRef: 'erp-token' } } },
    });
    writeFileSync(join(inbox, 'a.json'), '{}');
    await waitFor(() => ingest.applied().length === 1, 10_000, 'an authorised delivery');
    expect(seen).toEqual(['Bearer tok-5f2c9e1d']);
    expect(connectionOf(engine.status()).destination?.connection).toEqual({
      auth: 'bearer',
      extraCa: false,
      pinned: false,
      clientCert: false,
    });
    expect(JSON.stringify(engine.status())).not.toContain('tok-5f2c9e1d');
  });

  it('a connection whose secret is missing does not start, and status names the command that sets it', async () => {
    const { dataDir, inbox } = h.paths();
    const secrets = fileSecrets(join(dataDir, '..'));
    const ingest = await h.ingest();
    const engine = await h.engine({
      dataDir,
      inbox,
      url: ingest.url,
      secrets,
      destination: { auth: { type: 'api-key', value: { secretRef: 'partner-key' } } },
    });
    await waitForStatus(engine, (s) => connectionOf(s).reason !== undefined, 'a reason');
    const status = connectionOf(engine.status());
    expect(status.health).toBe('attention');
    expect(status.reason).toMatch(/Cannot start: .*partner-key/);
    expect(status.reason).toContain('integration-agent secrets set partner-key');
  });

  it('gets an OAuth 2.0 token from a real authorization server with the client secret from the store', async () => {
    const { dataDir, inbox } = h.paths();
    const oauth = await startOAuthServer({ tokenTtlSeconds: 300 });
    try {
      const secrets = fileSecrets(join(dataDir, '..'));
      const store = await openSecretStore(secrets, dataDir);
      await store.set('erp-client-secret', defaultOAuthClient.clientSecret);
      const ingest = await h.ingest({
        authorize: async (authorization) => {
          const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
          return token !== undefined && (await oauth.verify(token));
        },
      });
      const engine = await h.engine({
        dataDir,
        inbox,
        url: ingest.url,
        secrets,
        destination: {
          auth: {
            type: 'oauth2-client-credentials',
            tokenUrl: oauth.tokenUrl,
            clientId: defaultOAuthClient.clientId,
            clientSecret: { secretRef: 'erp-client-secret' },
            resource: oauth.resource,
          },
        },
      });
      for (const name of ['a', 'b', 'c']) writeFileSync(join(inbox, `${name}.json`), '{}');
      await waitFor(() => ingest.applied().length === 3, 15_000, 'three authorised deliveries');
      expect(ingest.stats().unauthorized).toBe(0);
      expect(oauth.tokenRequests()).toBe(1); // cached for every later request
      expect(JSON.stringify(engine.status())).not.toContain(defaultOAuthClient.clientSecret);
    } finally {
      await oauth.close();
    }
  });
});
