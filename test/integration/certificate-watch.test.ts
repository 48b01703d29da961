// The periodic certificate check behind the expiry alert: a real TLS server's leaf certificate reaches the alert engine.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { AlertEngine } from '../../main/alerts/alert-engine.js';
import { defaultAlertThresholds } from '../../main/alerts/alert-types.js';
import { validateConfig } from '../../main/config/load-config.js';
import { destinationCertificates } from '../../main/engine/certificate-watch.js';
import { createTestPki, type TestPki } from '../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../support/tls-server.js';

let pki: TestPki;
let server: TlsServer | undefined;

beforeAll(() => {
  pki = createTestPki();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => pki?.remove());

it('reads the leaf expiry of every enabled HTTPS destination; the test certificate (2 days) fires the 14-day alert', async () => {
  server = await startTlsServer({ cert: pki.server.certPem, key: pki.server.keyPem });
  const { config } = validateConfig(
    {
      configVersion: 1,
      connections: [
        {
          id: 'erp',
          source: { type: 'folder', path: '/tmp/in' },
          destination: {
            type: 'http',
            url: `${server.url}/v1`,
            proxy: { mode: 'none' },
            tls: { caFile: pki.rootCa.certFile },
          },
        },
        {
          id: 'local',
          source: { type: 'folder', path: '/tmp/in2' },
          destination: { type: 'http', url: 'http://127.0.0.1:9/ingest' }, // plain http: nothing to check
        },
      ],
    },
    'test.yaml',
  );
  const certificates = await destinationCertificates({ currentConfig: () => config });
  expect(certificates).toHaveLength(1);
  expect(certificates[0]?.destination).toBe('erp');
  const daysLeft = ((certificates[0]?.notAfter ?? 0) - Date.now()) / 86_400_000;
  expect(daysLeft).toBeGreaterThan(0);
  expect(daysLeft).toBeLessThan(3);

  const transitions = new AlertEngine(defaultAlertThresholds).evaluate({ certificates }, Date.now());
  expect(transitions.map((t) => [t.kind, t.alert.rule, t.alert.subject])).toEqual([
    ['fired', 'certificate-expiry', 'erp'],
  ]);
});
